// Fuzz target `jsonl`: the JSON-lines pipeline — the line splitter (whole buffer and in
// chunks, which must agree), the strict scanner, schema inference over the lines, and the
// shredder filling columns of the inferred schema, whose output must fit that schema; its
// one-pass path and its tape path must agree on every line (outcome, novelty, columns).
import Floe

enum FuzzTarget {
    static func run(_ data: [UInt8]) {
        // The input split into lines in one go and in chunks of 1..16 bytes: same lines.
        var whole: [(Int, [UInt8])] = []
        data.withUnsafeBytes { buffer in
            JSONLineSplitter.forEachLine(in: buffer) { line in whole.append((line.number, Array(line.bytes))) }
        }
        var pieces: [(Int, [UInt8])] = []
        var splitter = JSONLineSplitter()
        let step = 1 + Int(data.first ?? 0) % 16
        data.withUnsafeBytes { buffer in
            var start = 0
            while start < buffer.count {
                let end = min(start + step, buffer.count)
                splitter.feed(UnsafeRawBufferPointer(rebasing: buffer[start..<end])) { line in pieces.append((line.number, Array(line.bytes))) }
                start = end
            }
            splitter.finish { line in pieces.append((line.number, Array(line.bytes))) }
        }
        if whole.count != pieces.count || zip(whole, pieces).contains(where: { $0.0 != $1.0 || $0.1 != $1.1 }) {
            fatalError("the line splitter gives different lines when fed in chunks of \(step)")
        }

        var scanner = JSONLineScanner(maxDepth: 64)
        var tape = JSONTape()
        var inference = SchemaInference()
        var good: [(Int, [UInt8])] = []
        for (number, line) in whole {
            let ok: Bool = line.withUnsafeBytes { raw in
                if JSONLineScanner.isBlank(raw) { return false }
                do throws(FloeError) {
                    try scanner.scan(raw, lineNumber: number, isFirstLine: number == 1, into: &tape)
                    try inference.add(tape, line: raw)
                    return true
                } catch {
                    if error.location.line != number { fatalError("scanner error without its line number: \(error)") }
                    return false
                }
            }
            if ok { good.append((number, line)) }
        }
        guard !good.isEmpty, let schema = try? inference.schema(),
              var shredder = try? JSONShredder(schema: schema, watching: inference) else { return }
        // The same lines through the tape path alone: the one-pass path must agree line by line.
        var tapeOptions = JSONShredder.Options()
        tapeOptions.directParsing = false
        guard var tapeShredder = try? JSONShredder(schema: schema, options: tapeOptions, watching: inference) else { return }
        var appended = 0
        for (number, line) in whole {
            let (outcome, tapeOutcome) = line.withUnsafeBytes { raw -> (String, String) in
                if JSONLineScanner.isBlank(raw) { return ("", "") }
                func run(_ s: inout JSONShredder) -> String {
                    do throws(FloeError) {
                        try s.append(line: raw, lineNumber: number, isFirstLine: number == 1)
                        return "appended, novel \(s.lastRecordIsNovel)"
                    } catch {
                        return "\(error)"
                    }
                }
                return (run(&shredder), run(&tapeShredder))
            }
            if outcome != tapeOutcome { fatalError("one-pass and tape shredding differ on line \(number): \(outcome) / \(tapeOutcome)") }
            if outcome.hasPrefix("appended") { appended += 1 }
        }
        let rows = shredder.rowCount
        if rows != appended { fatalError("shredder counts \(rows) rows for \(appended) appended lines") }
        let columns = shredder.take()
        if columns != tapeShredder.take() { fatalError("one-pass and tape shredding give different columns") }
        if columns.count != schema.leaves.count { fatalError("shredder returned \(columns.count) columns for \(schema.leaves.count) leaves") }
        for (column, leaf) in zip(columns, schema.leaves) {
            do { try column.validate(against: leaf) } catch { fatalError("shredded column \(leaf.dottedPath) does not fit the schema: \(error)") }
            if column.rowCount(maxRepetitionLevel: leaf.maxRepetitionLevel) != rows { fatalError("column \(leaf.dottedPath) row count") }
        }
    }

    static func seeds(from files: [String]) -> [[UInt8]] {
        let lines = [
            #"{"event":"track","userId":"u1","properties":{"price":12.5,"tags":["a","b"]},"timestamp":"2024-01-02T03:04:05.678Z"}"#,
            #"{"event":"page","anonymousId":null,"context":{"ip":"1.2.3.4","library":{"name":"analytics.js","version":"1.0"}}}"#,
            #"{"a":1,"b":[1,2,3],"c":{"d":true,"e":[{"f":"x"},{"f":null}]},"g":-0.0,"h":1e308,"i":"\u00e9\ud83d\ude00"}"#,
            #"{"a":9223372036854775807,"b":[],"c":{},"d":"2024-02-30","e":"caf\u00e9"}"#,
            #"[1,2,{"x":[[]]}]"#,
            #"{"n":123456789012345678901234567890,"s":"line\nbreak","t":"\t"}"#,
        ]
        var out: [[UInt8]] = []
        out.append(Array(lines.joined(separator: "\n").utf8))
        out.append(Array((lines.joined(separator: "\r\n") + "\r\n").utf8))
        for l in lines { out.append(Array(l.utf8)) }
        out.append([0xEF, 0xBB, 0xBF] + Array(lines[0].utf8))
        return out
    }
}
