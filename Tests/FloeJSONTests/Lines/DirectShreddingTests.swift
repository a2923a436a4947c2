import Testing
import FloeCore
import FloeColumns
import FloeEncodings
@testable import FloeJSON

/// The one-pass path (``JSONShredder/appendDirect(line:isFirstLine:)``) against the tape path:
/// for every line the same outcome (appended and whether novel, or the same error), and at the
/// end the same columns — on generated events, edge cases and mutants of both.
@Suite struct DirectShreddingTests {
    /// How both paths took `lines`, and how many lines the one-pass path took by itself.
    struct Comparison {
        var mismatches: [String] = []
        var direct = 0
        var columnsEqual = false
    }

    static func compare(_ schema: Schema, _ lines: [[UInt8]], watching: SchemaInference? = nil,
                        options: JSONShredder.Options = JSONShredder.Options()) throws -> Comparison {
        var on = options, off = options
        on.directParsing = true
        off.directParsing = false
        var direct = try JSONShredder(schema: schema, options: on, watching: watching)
        var tape = try JSONShredder(schema: schema, options: off, watching: watching)
        var probe = try JSONShredder(schema: schema, options: on, watching: watching)
        var result = Comparison()
        for (i, line) in lines.enumerated() {
            let a = outcome(&direct, line, i), b = outcome(&tape, line, i)
            if a != b { result.mismatches.append("line \(i + 1) \(String(decoding: line, as: UTF8.self)): \(a) vs \(b)") }
            if line.withBytes({ probe.appendDirect(line: $0, isFirstLine: i == 0) }) { result.direct += 1 }
        }
        result.columnsEqual = direct.take() == tape.take()
        return result
    }

    static func outcome(_ shredder: inout JSONShredder, _ line: [UInt8], _ i: Int) -> String {
        do {
            try line.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                try shredder.append(line: raw, lineNumber: i + 1, isFirstLine: i == 0)
            }
            return "appended, novel \(shredder.lastRecordIsNovel)"
        } catch {
            return "\(error)"
        }
    }

    static func inference(_ lines: [[UInt8]]) throws -> SchemaInference {
        var inference = SchemaInference()
        var scanner = JSONLineScanner()
        var tape = JSONTape()
        for (i, line) in lines.enumerated() {
            try line.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                do throws(FloeError) {
                    try scanner.scan(raw, lineNumber: i + 1, isFirstLine: i == 0, into: &tape)
                } catch { return }
                try inference.add(tape, line: raw)
            }
        }
        return inference
    }

    static func events(_ count: Int, seed: UInt64) -> [[UInt8]] {
        var generator = EventGenerator(seed: seed)
        return generator.events(count).split(separator: UInt8(ascii: "\n")).map { Array($0) }
    }

    @Test func generatedEventsUnderTheirSampleSchema() throws {
        let lines = Self.events(3000, seed: 11)
        let sample = try Self.inference(Array(lines.prefix(300)))
        let result = try Self.compare(try sample.schema(), lines, watching: sample)
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(5))")
        #expect(result.columnsEqual)
        #expect(result.direct > 2700)  // escaped strings, novel fields and misfits aside
    }

    static let base = [
        #"{"a":1,"b":"x","c":{"d":true,"e":2.5},"l":[1,2],"m":{},"t":"2019-05-27T10:00:00Z","p":[{"q":1,"r":"s"}],"u":"x"}"#,
        #"{"a":2,"b":"y","c":{"d":false,"e":3},"l":[],"m":{},"t":"2019-05-28T10:00:00.123+02:00","p":[],"u":1}"#,
        #"{"a":3,"b":null,"c":null,"l":null,"m":null,"t":null,"p":null,"u":true,"n":{"o":{"k":[1]}}}"#,
        // Keys that are prefixes of others, not plain ASCII, with a space, empty.
        #"{"ab":1,"é":2,"k y":3,"":4,"a"q":5}"#,
    ]

    static let probes: [String] = [
        #"{"a":4,"b":"z","c":{"d":true,"e":-0.0},"l":[5,6,7],"m":{},"t":"2020-01-01T00:00:00Z","p":[{"q":2},{"r":"t"}],"u":"w"}"#,
        "  { \"a\" : 5 ,\t\"b\" : \"s p\" , \"c\" : { \"e\" : 1e3 } , \"l\" : [ 1 , 2 ] , \"m\" : { } , \"p\" : [ { } ] }  ",
        "{\"a\":6}\r",
        "{}", "[]", "1", "\"s\"", "null", "",
        #"{"\u0061":7}"#, #"{"zz":1}"#, #"{"a":1,"a":2}"#, #"{"c":{"d":true,"d":false}}"#,
        #"{"a":1} x"#, #"{"a":1}}"#, #"{"a":1,}"#, #"{"l":[1,]}"#, #"{"a" 1}"#, #"{"a":1 "b":"x"}"#, #"{"a":1"#, #"{"l":[1"#,
        #"{"a":"str"}"#, #"{"a":1.5}"#, #"{"a":3.0}"#, #"{"a":1e2}"#, #"{"a":true}"#, #"{"a":[]}"#, #"{"a":{}}"#,
        #"{"b":5}"#, #"{"b":-1.25e-3}"#, #"{"b":true}"#, #"{"b":false}"#, #"{"b":{"x":1}}"#, #"{"b":[1,"2"]}"#,
        #"{"b":"tab\tquote\"slash\/uni\u00e9pair\ud83d\ude00"}"#, #"{"b":"\ud800"}"#, #"{"b":"\q"}"#, "{\"b\":\"a\u{01}b\"}",
        #"{"b":"héllo wörld ✓ 𝄞"}"#,
        #"{"c":5}"#, #"{"c":[]}"#, #"{"c":{}}"#, #"{"c":{"d":null,"e":null}}"#, #"{"c":{"d":1}}"#, #"{"c":{"e":"1"}}"#,
        #"{"l":{}}"#, #"{"l":[null,1]}"#, #"{"l":[1.5]}"#, #"{"l":["1"]}"#, #"{"l":[[1]]}"#,
        #"{"m":{"k":"v"}}"#, #"{"m":[]}"#, #"{"m":{ }}"#, #"{"m":"x"}"#,
        #"{"p":[{"q":1},null,{"q":null,"r":null}]}"#, #"{"p":[{"q":"x"}]}"#, #"{"p":[1]}"#, #"{"p":{}}"#,
        #"{"t":"2019-05-27T10:00:00"}"#, #"{"t":"2019-05-27T10:00:00.123456789Z"}"#, #"{"t":"2019-02-30T10:00:00Z"}"#,
        #"{"t":"2019-05-27"}"#, #"{"t":"2019-05-27T10:00:00\u005A"}"#, #"{"t":1}"#, #"{"t":"x"}"#,
        #"{"u":"x"}"#, #"{"u":2}"#, #"{"u":false}"#, #"{"u":null}"#, #"{"u":{"z":[]}}"#,
        #"{"n":{"o":{"k":[1,2]}}}"#, #"{"n":{"o":null}}"#, #"{"n":{"o":{"k":null}}}"#, #"{"n":{}}"#,
        #"{"a":-0}"#, #"{"a":9223372036854775807}"#, #"{"a":9223372036854775808}"#, #"{"a":-9223372036854775808}"#,
        #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":+1}"#, #"{"a":.5}"#, #"{"e":1e400}"#,
        #"{"c":{"d":tru}}"#, #"{"c":{"d":truee}}"#, #"{"b":nul}"#, #"{"b":nulll}"#, #"{"b":NaN}"#,
        #"{"A":1,"B":"x"}"#,
        #"{"ab":5,"a":1}"#, #"{"a":1,"ab":2}"#, #"{"é":1,"k y":2,"":3}"#, #"{"a"q":6}"#, #"{"a"q":7}"#,
        #"{"zz":{"a":[1,{"b":null}],"c":"\u00e9"},"a":1}"#, #"{"zz":[1,2,],"a":1}"#, #"{"zz":{"a" 1},"a":1}"#,
        #"{"zz":"\q","a":1}"#, #"{"zz":tru,"a":1}"#, #"{"zz":01,"a":1}"#, #"{"zz":-1.5e3,"zz":"x","a":1}"#,
        #"{"c":{"zz":[[]],"d":true}}"#, #"{"p":[{"zz":1,"q":2}]}"#,
        #"{"ab":1,"abc":2}"#, #"{"a":1,"b":"x","ab":3}"#, #"{"k y" :1}"#, #"{"k y":1,"k y":2}"#, #"{"AB":1}"#,
    ]

    static func probeLines() -> [[UInt8]] {
        var lines = Self.probes.map { Array($0.utf8) }
        lines.insert([0xEF, 0xBB, 0xBF] + Array(Self.base[0].utf8), at: 0)  // a BOM on the first line
        lines.append(Array(#"{"b":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))  // invalid UTF-8
        lines.append(Array(#"{"b":""#.utf8) + [0xE2, 0x82] + Array(#""}"#.utf8))  // truncated UTF-8
        // Nesting past the limit, through a text column and through the schema.
        lines.append(Array(("{\"b\":" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}").utf8))
        lines.append(Array(("{\"n\":{\"o\":{\"k\":" + String(repeating: "[", count: 130) + String(repeating: "]", count: 130) + "}}}").utf8))
        // Nesting at and past the limit under a key the schema does not name.
        for depth in [125, 126, 127, 128, 129] {
            lines.append(Array(("{\"zz\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}").utf8))
        }
        return lines
    }

    @Test(arguments: [false, true]) func edgeCasesAgree(_ caseInsensitive: Bool) throws {
        let base = Self.base.map { Array($0.utf8) }
        let inference = try Self.inference(base)
        var options = JSONShredder.Options()
        options.caseInsensitiveKeys = caseInsensitive
        let lines = base + Self.probeLines()
        let result = try Self.compare(try inference.schema(), lines, watching: inference, options: options)
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(8))")
        #expect(result.columnsEqual)
        #expect(result.direct >= 20)
    }

    @Test func unknownKeysRefusedAlike() throws {
        let base = Self.base.map { Array($0.utf8) }
        var options = JSONShredder.Options()
        options.rejectUnknownKeys = true
        let result = try Self.compare(try Self.inference(base).schema(), base + Self.probeLines(), options: options)
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(8))")
        #expect(result.columnsEqual)
    }

    /// Random byte edits of events and edge cases (flips, deletions, insertions of structural
    /// characters): whatever each path makes of a mutant, the other makes the same.
    @Test func mutantsAgree() throws {
        let seeds = Self.events(200, seed: 5) + Self.base.map { Array($0.utf8) } + Self.probes.map { Array($0.utf8) }
        let schema = try Self.inference(Self.events(500, seed: 5) + Self.base.map { Array($0.utf8) }).schema()
        var rng = SplitMix(seed: 99)
        let specials = Array(#"{}[]",:\ 0123456789.-+eEtfnul"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        var mutants: [[UInt8]] = []
        for i in 0..<4000 {
            var line = seeds[i % seeds.count]
            for _ in 0..<(1 + Int(rng.next() % 3)) where !line.isEmpty {
                let at = Int(rng.next() % UInt64(line.count))
                switch rng.next() % 3 {
                case 0: line[at] = specials[Int(rng.next() % UInt64(specials.count))]
                case 1: line.remove(at: at)
                default: line.insert(specials[Int(rng.next() % UInt64(specials.count))], at: at)
                }
            }
            mutants.append(line)
        }
        let result = try Self.compare(schema, mutants)
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(8))")
        #expect(result.columnsEqual)
        #expect(result.direct > 500)
    }
}
