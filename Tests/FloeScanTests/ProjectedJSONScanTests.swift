import Foundation
import Testing
import FloeCore
import FloeJSON
@testable import FloeScan

/// A JSON-lines file in its own temporary directory.
final class JSONLinesFile {
    let dir: String
    let path: String

    init(_ text: String, name: String = "t.jsonl") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("floe-projected-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    init(bytes: [UInt8], name: String = "t.jsonl") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("floe-projected-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        path = dir + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }
}

/// Runs `sql` (`{}` stands for the quoted path) through the projected scan and through the full
/// inference + shredding path; returns both answers as canonical JSON texts and the reason the
/// projected run fell back to a full scan (nil when it did not).
func bothPaths(_ sql: String, _ path: String) throws -> (projected: [[String]], full: [[String]], fallback: String?) {
    let query = try Parser.parse(sql.replacingOccurrences(of: "{}", with: "'\(path)'"))
    let files = try SourceResolver.resolve(query.source)
    func run(_ q: SelectQuery?) throws -> ([[String]], JSONScan) {
        let scan = JSONScan(files: files, query: q)
        let plan = try Plan(query: query, scan: scan)
        var stats = ScanStats()
        return (try plan.execute(&stats).rows.map { $0.map(\.canonicalJSON) }, scan)
    }
    let (p, scan) = try run(query)
    let (f, _) = try run(nil)
    return (p, f, scan.fullScanReason)
}

/// The error of running `sql` over `path`, if any.
func queryError(_ sql: String, _ path: String) -> FloeError? {
    do { _ = try QueryEngine.run(sql.replacingOccurrences(of: "{}", with: "'\(path)'")); return nil } catch { return error }
}

@Suite struct ProjectedJSONScanTests {
    static let edgeLines = """
    \u{FEFF}{"a":"x\\"y\\\\z","skip":{"deep":[1,{"q":"\\u00e9\\ud83d\\ude00","r":[[],{}]}]},"n":1,"t":"2019-05-27T10:00:00Z","b":true,"c":{"d":"v1","x":1}}\r
    {"n":2.5,"a":null,"skip":"é \\" } ] {","b":false,"t":"2019-05-27T10:00:00.123456+02:00","c":null}\r

    {"c":{"x":2,"d":"v3"},"a":"dup1","a":"dup2","n":-0,"b":null,"t":"2019-05-28T00:00:00Z","mixed":1}
       \t
    {"t":null,"c":{"d":"first","d":"second"},"c":{"x":3},"mixed":"one","n":1e2,"onlyNull":null}
    {"a":"\\u0041\\n","zz":[{"a":"not top-level"}],"n":12345678901234567890,"mixed":{"k":[1,2]},"c":{"d":null}}
    {"b":true,"a":"last","t":"2019-05-29T00:00:00Z","c":{"d":"v6"},"mixed":true}
    """

    @Test func edgeCaseLinesGiveTheFullPathsAnswers() throws {
        let f = try JSONLinesFile(Self.edgeLines)
        let queries = [
            "SELECT a, n, b, t FROM {}",
            "SELECT c.d, c.x FROM {}",
            "SELECT mixed, onlyNull FROM {}",
            "SELECT count(*), count(a), count(c.d), count(DISTINCT a), sum(n), min(t), max(c.x) FROM {}",
            "SELECT b, count(*) FROM {} GROUP BY b ORDER BY 2 DESC, 1",
            "SELECT a FROM {} WHERE t >= TIMESTAMP '2019-05-28 00:00:00' ORDER BY a",
            "SELECT a FROM {} WHERE c.d LIKE 'v%' ORDER BY 1",
        ]
        for sql in queries {
            let r = try bothPaths(sql, f.path)
            #expect(r.fallback == nil, "\(sql): \(r.fallback ?? "")")
            #expect(r.projected == r.full, "\(sql)")
        }
        // Known values: escapes decoded, the last of repeated keys, a type clash as JSON text.
        let values = try bothPaths("SELECT a, n, c.d, mixed FROM {}", f.path).projected
        #expect(values.map { $0[0] } == ["\"x\\\"y\\\\z\"", "null", "\"dup2\"", "null", "\"A\\n\"", "\"last\""])
        #expect(values.map { $0[1] } == ["1.0", "2.5", "0.0", "100.0", "1.2345678901234567e+19", "null"])
        #expect(values.map { $0[2] } == ["\"v1\"", "null", "\"v3\"", "null", "null", "\"v6\""])
        #expect(values.map { $0[3] } == ["null", "null", "\"1\"", "\"one\"", "\"{\\\"k\\\":[1,2]}\"", "\"true\""])
        // A timestamp column stays a timestamp; one odd string makes it a string.
        #expect(try bothPaths("SELECT t FROM {} WHERE b", f.path).projected == [["\"2019-05-27T10:00:00.000000Z\""], ["\"2019-05-29T00:00:00.000000Z\""]])
    }

    @Test func selectStarShredsOnlyTheLinesAStringConjunctKeeps() throws {
        let f = try JSONLinesFile(Self.edgeLines)
        let cases = [("a = 'dup2'", 1), ("mixed = '1'", 1), ("a >= 'l'", 2), ("a < 'x' AND b", 1), ("c.d BETWEEN 'v1' AND 'v3'", 2)]
        for (condition, count) in cases {
            // `OR 1 = 0` hides the range from the prefilter: every line is shredded.
            let kept = try rows("SELECT * FROM {} WHERE \(condition)", f.path)
            let all = try rows("SELECT * FROM {} WHERE (\(condition)) OR 1 = 0", f.path)
            #expect(kept == all && kept.count == count, "\(condition): \(kept)")
        }
        let bad = try JSONLinesFile("{\"a\":\"x\"}\n{\"a\":\"x\",\"b\":[1,]}\n")
        let e = try #require(queryError("SELECT * FROM {} WHERE a = 'x'", bad.path))
        #expect(e.location.line == 2 && e.location.byteColumn == 17, "\(e)")
    }

    @Test func typesWidenAcrossRangesAndFiles() throws {
        // More lines than one range holds is not needed for the rule: the statistics of
        // every line count, wherever the contradicting value sits.
        var lines: [String] = []
        for i in 0..<5000 { lines.append("{\"v\":\(i),\"ts\":\"2020-01-01T00:00:0\(i % 10)Z\",\"s\":\"k\(i % 3)\"}") }
        lines.append("{\"v\":0.5,\"ts\":\"not a time\",\"s\":\"k0\"}")
        let f = try JSONLinesFile(lines.joined(separator: "\n"))
        for sql in ["SELECT sum(v), min(ts), max(ts) FROM {}", "SELECT s, count(*), avg(v) FROM {} GROUP BY 1 ORDER BY 1",
                    "SELECT v FROM {} WHERE v < 2 ORDER BY 1"] {
            let r = try bothPaths(sql, f.path)
            #expect(r.fallback == nil && r.projected == r.full, "\(sql)")
        }
        #expect(try bothPaths("SELECT max(ts) FROM {}", f.path).projected == [["\"not a time\""]])
        #expect(try bothPaths("SELECT v FROM {} WHERE v < 1 ORDER BY 1", f.path).projected == [["0.0"], ["0.5"]])
    }

    @Test func wholeValuesMapsAndCaseVariantsUseTheFullPath() throws {
        let f = try JSONLinesFile("""
        {"id":1,"obj":{"x":1},"arr":[1,2],"m":{"2019-01-01":1,"2019-01-02":2},"Name":"a"}
        {"id":2,"obj":{"x":2},"arr":[],"m":{"2019-01-03":3},"Name":"b"}
        """)
        for sql in ["SELECT obj FROM {} ORDER BY id", "SELECT arr FROM {} ORDER BY id", "SELECT m['2019-01-01'] FROM {} ORDER BY id",
                    "SELECT name FROM {} ORDER BY id"] {
            let r = try bothPaths(sql, f.path)
            #expect(r.fallback != nil, "\(sql)")
            #expect(r.projected == r.full, "\(sql)")
        }
        #expect(try bothPaths("SELECT obj.x, name FROM {} ORDER BY id", f.path).projected == [["1", "\"a\""], ["2", "\"b\""]])
        #expect(queryError("SELECT nope FROM {}", f.path)?.message.contains("unknown column nope") == true)
        #expect(queryError("SELECT obj.nope FROM {}", f.path)?.message.contains("unknown column obj.nope") == true)
        #expect(queryError("SELECT id.x FROM {}", f.path)?.message.contains("unknown column id.x") == true)
    }

    @Test func malformedLinesNameLineAndColumn() throws {
        let good = "{\"a\":1,\"b\":\"x\"}"
        let cases: [(String, Int)] = [
            ("{\"a\":1,\"b\":\"x\\q\"}", 14),        // bad escape in a skipped value
            ("{\"a\":1,\"b\":[1,2}", 16),             // mismatched bracket in a skipped array
            ("{\"a\":1,\"b\":\"x\"} x", 17),          // junk after the value
            ("{\"a\":01}", 6),                        // leading zero in a projected number
            ("{\"a\":1,\"b\":{\"c\":x}}", 17),        // junk deep in a skipped object
            ("{\"a\":1,\"b\":{\"c\":\"\u{01}\"}}", 18), // control character in a skipped string
            ("{\"a\":1 \"b\":2}", 8),               // missing comma at the top level
            ("{\"a\":1,\"b\":[[[1]]}", 18),          // unbalanced
            ("[1,2]", 1),                             // not an object
            ("{\"a\":1,\"b\":tru}", 12),              // bad literal
        ]
        for (bad, column) in cases {
            let f = try JSONLinesFile([good, "", good, bad, good].joined(separator: "\n"))
            for sql in ["SELECT count(*) FROM {}", "SELECT a FROM {}", "SELECT count(*) FROM {} WHERE a > 0"] {
                let e = try #require(queryError(sql, f.path), "\(sql) on \(bad)")
                #expect(e.location.line == 4 && e.location.byteColumn == column, "\(bad): \(e)")
                #expect(e.location.file == f.path)
            }
        }
        // Inside skipped nested containers the order of tokens is not checked (documented):
        // such a line counts, while SELECT * (full inference) rejects it.
        let lenient = try JSONLinesFile("{\"a\":1,\"b\":{\"c\" 1,,}}\n{\"a\":2,\"b\":[1 2]}\n")
        #expect(try rows("SELECT count(*), sum(a) FROM {}", lenient.path) == [["2", "3"]])
        #expect(queryError("SELECT * FROM {}", lenient.path)?.location.line == 1)
        // A bad line deep in a large file: the parallel ranges still name it exactly.
        var text: [UInt8] = []
        var generator = EventGenerator(seed: 3)
        for _ in 0..<40_000 { generator.appendEvent(to: &text) }
        let bad = Array("{\"type\":\"x\",\"bad\":\"\u{01}\"}\n".utf8)
        var lines = text.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        lines.insert(Array(bad.dropLast()), at: 31_337)
        let f = try JSONLinesFile(bytes: Array(lines.joined(separator: [0x0A])))
        let e = try #require(queryError("SELECT type, count(*) FROM {} GROUP BY 1", f.path))
        #expect(e.location.line == 31_338 && e.location.byteColumn == 20, "\(e)")
    }

    @Test func eventDataAnswersMatchTheFullPath() throws {
        var generator = EventGenerator(seed: 11)
        var bytes: [UInt8] = []
        for _ in 0..<20_000 { generator.appendEvent(to: &bytes) }
        let f = try JSONLinesFile(bytes: bytes)
        for sql in ["SELECT count(*) FROM {}",
                    "SELECT type, count(messageId) FROM {} GROUP BY type ORDER BY 2 DESC",
                    "SELECT sourceId, date(timestamp), count(*) FROM {} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 5",
                    "SELECT context.page.url, count(*) FROM {} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5",
                    "SELECT sum(properties['revenue']), max(properties['revenue']), count(properties.position) FROM {}",
                    "SELECT userId FROM {} WHERE messageId < '01' ORDER BY 1"] {
            let r = try bothPaths(sql, f.path)
            #expect(r.projected == r.full, "\(sql)")
            #expect(r.fallback == nil, "\(sql): \(r.fallback ?? "")")
        }
    }

    @Test func gzipInputIsScannedOnASecondThreadWithTheSameAnswers() throws {
        guard let gzip = ["/usr/bin/gzip", "/bin/gzip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        var generator = EventGenerator(seed: 21)
        let bytes = generator.events(30_000)
        let plain = try JSONLinesFile(bytes: bytes)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzip)
        process.arguments = ["-k", plain.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let sql = "SELECT type, count(messageId), min(timestamp), count(context.page.url) FROM {} GROUP BY 1 ORDER BY 2 DESC"
        let a = try rows(sql, plain.path), b = try rows(sql, plain.path + ".gz")
        #expect(a == b && a.count == 6)
        #expect(try rows("SELECT count(*) FROM {}", plain.path + ".gz") == [["30000"]])
    }

    @Test func randomMutationsNeverTrapAndAgreeWithTheStrictScanner() throws {
        var generator = EventGenerator(seed: 5)
        var seed = generator.events(40)
        let lines = seed.split(separator: 0x0A).map(Array.init)
        seed.removeAll()
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("{}[]\",:\\ 0-9.eEtrufalsn\u{7F}".utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF, 0xED, 0xA0]
        let paths = ProjectionPaths([["type"], ["context", "page", "url"], ["properties", "revenue"], ["version"]])
        var projected = ProjectedLineScanner(paths: paths)
        var strict = JSONLineScanner()
        var tape = JSONTape()
        var agreed = 0
        for i in 0..<3000 {
            var line = lines[i % lines.count]
            for _ in 0..<(1 + Int.random(in: 0..<4, using: &rng)) {
                let at = Int.random(in: 0..<line.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: line[at] = alphabet.randomElement(using: &rng) ?? 0
                case 1: line.remove(at: at)
                default: line.insert(alphabet.randomElement(using: &rng) ?? 0, at: at)
                }
                if line.isEmpty { line = [0x7B] }
            }
            let a: FloeError?, b: FloeError?
            do {
                try line.withUnsafeBytes { try projected.scan($0, lineNumber: i + 1) }
                a = nil
            } catch { a = error as? FloeError ?? FloeError(.corrupt, "\(error)") }
            do {
                try line.withUnsafeBytes { raw in
                    try strict.scan(raw, lineNumber: i + 1, into: &tape)
                    if tape[0].kind != .objectStart { throw FloeError(.corrupt, "not an object", at: Location(line: i + 1, byteColumn: tape[0].column)) }
                }
                b = nil
            } catch { b = error as? FloeError ?? FloeError(.corrupt, "\(error)") }
            // Every line the strict scanner accepts, the projected one accepts; what the projected
            // one rejects, the strict one rejects too (it is lenient only about token order
            // inside skipped containers).
            if b == nil { #expect(a == nil, "\(String(decoding: line, as: UTF8.self)): \(String(describing: a))") }
            if let a {
                #expect(b != nil && a.location.line == i + 1 && a.location.byteColumn != nil,
                        "\(String(decoding: line, as: UTF8.self)): \(a)")
            }
            if a == nil && b == nil { agreed += 1 }
            if projected.rowCount > 1000 { _ = projected.takeColumns() }
        }
        #expect(agreed > 0)
    }
}

/// `SELECT *` with a selective text filter over JSON lines: the inference pass keeps the lines
/// that may pass (one read of the file), with the projected scan's value rules.
@Suite struct ProbedInferenceTests {
    static let lines = [
        #"{"id":1,"k":"abc","ctx":{"u":"x"}}"#,
        #"{"id":2,"k":"ab\u0063","ctx":{"u":"y"}}"#,                 // escaped value: decodes to abc
        #"{"id":3,"\u006b":"abc","ctx":{"u":"x"}}"#,                 // escaped key: k
        #"{"id":4,"k":"abc","k":"zzz","ctx":{"u":"x"}}"#,            // the last repeated key wins
        #"{"id":5,"k":"zzz","k":"abc","ctx":null}"#,
        #"{"id":6,"ctx":{"u":"x"}}"#,                                 // k missing
        #"{"id":7,"k":null,"ctx":{"u":"x"}}"#,
        #"{"id":8,"k":42,"ctx":{"v":1}}"#,                            // a number: its text "42"
        #"{"id":9,"k":"abd","ctx":{"u":"x","u":"w"}}"#,
    ]

    @Test func selectStarWithAFilterReadsTheFileOnceAndAgrees() throws {
        let file = try JSONLinesFile(Self.lines.joined(separator: "\n") + "\n")
        let size = Self.lines.joined(separator: "\n").utf8.count + 1
        func ids(_ sql: String) throws -> (ids: [String], bytes: Int) {
            let r = try QueryEngine.run(sql.replacingOccurrences(of: "{}", with: "'\(file.path)'"))
            return (r.rows.map { $0[0].canonicalJSON }, r.stats.bytesRead)
        }
        let eq = try ids("SELECT id, k FROM {} WHERE k = 'abc' ORDER BY id")
        #expect(eq.ids == ["1", "2", "3", "5"])
        #expect(eq.bytes == size)
        let star = try ids("SELECT * FROM {} WHERE k = 'abc' ORDER BY id")
        #expect(star.ids == ["1", "2", "3", "5"])
        #expect(star.bytes == size)
        let range = try ids("SELECT * FROM {} WHERE k >= '4' AND k < 'abd' ORDER BY id")
        #expect(range.ids == ["1", "2", "3", "5", "8"])
        let nested = try ids("SELECT * FROM {} WHERE ctx.u = 'x' ORDER BY id")
        #expect(nested.ids == ["1", "3", "4", "6", "7"])
        let last = try ids("SELECT * FROM {} WHERE ctx.u = 'w' ORDER BY id")
        #expect(last.ids == ["9"])
    }
}
