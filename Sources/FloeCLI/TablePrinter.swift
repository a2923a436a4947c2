import Floe

/// Renders rows as an aligned text table; strings lose their JSON quotes.
struct TablePrinter {
    let names: [String]
    private var cells: [[String]] = []

    init(names: [String]) { self.names = names }

    mutating func add(_ columns: [BinaryValues], rows: Range<Int>) {
        for r in rows {
            cells.append(columns.map { TablePrinter.cell(String(decoding: $0[r], as: UTF8.self)) })
        }
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
