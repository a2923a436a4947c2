import Floe

/// Renders rows as an aligned text table; strings lose their JSON quotes.
struct TablePrinter {
    let names: [String]
    private var cells: [[String]] = []

    init(names: [String]) { self.names = names }

    /// Adds rows given as canonical JSON lines; each top-level value becomes a cell.
    mutating func add(jsonLines: [UInt8]) {
        for line in jsonLines.split(separator: UInt8(ascii: "\n")) {
            cells.append(TablePrinter.topLevelValues(line, count: names.count).map(TablePrinter.cell))
        }
    }

    /// Splits `{"k":v,...}` into the texts of its values (keys skipped), respecting nesting and strings.
    private static func topLevelValues(_ line: ArraySlice<UInt8>, count: Int) -> [String] {
        var values: [String] = []
        var depth = 0, inString = false, escaped = false, start = -1, afterColon = false
        for i in line.indices {
            let c = line[i]
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0, start >= 0 { values.append(String(decoding: line[start..<i], as: UTF8.self)); start = -1 }
            case UInt8(ascii: ":") where depth == 1 && !afterColon: afterColon = true; start = i + 1
            case UInt8(ascii: ",") where depth == 1:
                if start >= 0 { values.append(String(decoding: line[start..<i], as: UTF8.self)) }
                start = -1; afterColon = false
            default: break
            }
        }
        while values.count < count { values.append("") }
        return values
    }

    private static func cell(_ json: String) -> String {
        var s = json
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { s = String(s.dropFirst().dropLast()) }
        if s.count > 60 { s = String(s.prefix(57)) + "..." }
        return s
    }

    func render() -> String {
        var widths = names.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ values: [String]) -> String {
            values.enumerated().map { i, v in v + String(repeating: " ", count: widths[i] - v.count) }
                .joined(separator: " | ") + "\n"
        }
        var out = line(names)
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n"
        for row in cells { out += line(row) }
        out += "(\(cells.count) row\(cells.count == 1 ? "" : "s"))\n"
        return out
    }
}
