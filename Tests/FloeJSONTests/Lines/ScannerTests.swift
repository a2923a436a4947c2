import Testing
import FloeCore
@testable import FloeJSON

/// A line that must be rejected: its bytes, the 1-based byte column of the error and a
/// fragment of the message.
struct RejectCase: CustomStringConvertible, Sendable {
    var name: String
    var bytes: [UInt8]
    var column: Int
    var fragment: String
    var code: FloeError.Code = .corrupt

    init(_ name: String, _ text: String, column: Int, _ fragment: String) {
        self.name = name; self.bytes = Array(text.utf8); self.column = column; self.fragment = fragment
    }

    init(_ name: String, bytes: [UInt8], column: Int, _ fragment: String) {
        self.name = name; self.bytes = bytes; self.column = column; self.fragment = fragment
    }

    var description: String { name }
}

/// Bytes of `{"a":"` + middle + `"}`.
func stringLine(_ middle: [UInt8]) -> [UInt8] { Array(#"{"a":""#.utf8) + middle + Array(#""}"#.utf8) }

let rejectCases: [RejectCase] = [
    // Structure.
    RejectCase("n_object_trailing_comma", #"{"a":1,}"#, column: 8, "trailing comma in object"),
    RejectCase("n_array_trailing_comma", "[1,2,]", column: 6, "trailing comma in array"),
    RejectCase("n_object_missing_colon", #"{"a" 1}"#, column: 6, "expected ':' after object key"),
    RejectCase("n_object_missing_value", #"{"a":}"#, column: 6, "expected a value, found '}'"),
    RejectCase("n_object_non_string_key", "{1:2}", column: 2, "expected a string key"),
    RejectCase("n_object_single_quotes", "{'a':1}", column: 2, "expected a string key"),
    RejectCase("n_object_missing_comma", #"{"a":1 "b":2}"#, column: 8, "expected ',' or '}' after an object member"),
    RejectCase("n_array_missing_comma", "[1 2]", column: 4, "expected ',' or ']' after an array element"),
    RejectCase("n_array_closed_by_brace", #"{"a":[1,2}"#, column: 10, "expected ',' or ']'"),
    RejectCase("n_object_unclosed", #"{"a":1"#, column: 7, "unexpected end of line in the object opened at byte 1"),
    RejectCase("n_array_unclosed_nested", #"{"a":[1"#, column: 8, "array opened at byte 6"),
    RejectCase("n_object_open_only", "{", column: 2, "unexpected end of line"),
    RejectCase("n_empty_line", "", column: 1, "empty line"),
    RejectCase("n_whitespace_only", "  \t", column: 4, "empty line"),
    RejectCase("n_two_values", #"{"a":1}{"b":2}"#, column: 8, "after the JSON value (one value per line)"),
    RejectCase("n_trailing_garbage", #"{"a":1} x"#, column: 9, "unexpected 'x' after the JSON value"),
    RejectCase("n_leading_comma", "[,1]", column: 2, "unexpected ','"),
    RejectCase("n_double_comma", "[1,,2]", column: 4, "unexpected ','"),
    RejectCase("n_single_quote_value", "['a']", column: 2, "unexpected '''"),
    RejectCase("n_close_without_open", "]", column: 1, "expected a value, found ']'"),
    // Literals.
    RejectCase("n_literal_truncated", #"{"a":tru}"#, column: 6, "invalid literal"),
    RejectCase("n_literal_capital", #"{"a":True}"#, column: 6, "unexpected 'T'"),
    RejectCase("n_literal_trailing_letters", "[truex]", column: 6, "expected ',' or ']'"),
    RejectCase("n_nan", #"{"a":NaN}"#, column: 6, "unexpected 'N'"),
    RejectCase("n_infinity", #"{"a":Infinity}"#, column: 6, "unexpected 'I'"),
    RejectCase("n_minus_infinity", #"{"a":-Infinity}"#, column: 7, "expected a digit after '-'"),
    // Numbers.
    RejectCase("n_number_leading_zero", #"{"a":01}"#, column: 6, "leading zeros"),
    RejectCase("n_number_negative_leading_zero", "[-012]", column: 2, "leading zeros"),
    RejectCase("n_number_minus_alone", #"{"a":-}"#, column: 7, "expected a digit after '-'"),
    RejectCase("n_number_plus", #"{"a":+1}"#, column: 6, "unexpected '+'"),
    RejectCase("n_number_dot_first", #"{"a":.5}"#, column: 6, "unexpected '.'"),
    RejectCase("n_number_dot_last", #"{"a":1.}"#, column: 8, "expected a digit after the decimal point"),
    RejectCase("n_number_dot_exponent", "[1.e5]", column: 4, "expected a digit after the decimal point"),
    RejectCase("n_number_exponent_empty", #"{"a":1e}"#, column: 8, "expected a digit in the exponent"),
    RejectCase("n_number_exponent_sign_only", "[1e+]", column: 5, "expected a digit in the exponent"),
    RejectCase("n_number_hex", "[0x1F]", column: 3, "expected ',' or ']'"),
    RejectCase("n_number_two_dots", "[1.5.3]", column: 5, "expected ',' or ']'"),
    // Strings and escapes.
    RejectCase("n_string_unterminated", #"{"a":"abc}"#, column: 6, "unterminated string"),
    RejectCase("n_string_unterminated_long", #"{"a":"abcdefghijklmnopqrstuvwxyz"#, column: 6, "unterminated string"),
    RejectCase("n_string_ends_in_backslash", #"{"a":"\"#, column: 7, "ends in a backslash"),
    RejectCase("n_escape_x", #"{"a":"\x41"}"#, column: 7, #"invalid escape \x"#),
    RejectCase("n_escape_single_quote", #"{"a":"\'"}"#, column: 7, #"invalid escape \'"#),
    RejectCase("n_escape_uppercase_U", #"{"a":"\U0041"}"#, column: 7, #"invalid escape \U"#),
    RejectCase("n_escape_u_short", #"{"a":"\u12"}"#, column: 7, "invalid \\u escape"),
    RejectCase("n_escape_u_bad_hex", #"{"a":"\u12G4"}"#, column: 7, "invalid \\u escape"),
    RejectCase("n_escape_u_truncated", #"{"a":"\u12"#, column: 7, "truncated \\u escape"),
    RejectCase("n_lone_high_surrogate", #"{"a":"\uD800"}"#, column: 7, "lone high surrogate \\uD800"),
    RejectCase("n_lone_high_surrogate_then_text", #"{"a":"\uD83Dabc"}"#, column: 7, "lone high surrogate"),
    RejectCase("n_lone_low_surrogate", #"{"a":"\uDC00"}"#, column: 7, "lone low surrogate \\uDC00"),
    RejectCase("n_high_then_non_low", #"{"a":"\uD800\u0041"}"#, column: 7, "followed by \\u0041, not a low surrogate"),
    RejectCase("n_high_then_high", #"{"a":"\uD800\uD800"}"#, column: 7, "not a low surrogate"),
    RejectCase("n_raw_tab_in_string", bytes: stringLine([0x61, 0x09, 0x62]), column: 8, "unescaped control character byte 0x09"),
    RejectCase("n_raw_newline_in_string", bytes: stringLine([0x0A]), column: 7, "unescaped control character"),
    RejectCase("n_raw_nul_in_string", bytes: stringLine([0x00]), column: 7, "unescaped control character byte 0x00"),
    RejectCase("n_escape_in_key", #"{"\q":1}"#, column: 3, #"invalid escape \q"#),
    // Invalid UTF-8.
    RejectCase("n_utf8_lone_continuation", bytes: stringLine([0x80]), column: 7, "invalid UTF-8 byte 0x80"),
    RejectCase("n_utf8_overlong_2", bytes: stringLine([0xC0, 0xAF]), column: 7, "invalid UTF-8 byte 0xC0"),
    RejectCase("n_utf8_overlong_3", bytes: stringLine([0xE0, 0x80, 0xAF]), column: 7, "invalid UTF-8 sequence"),
    RejectCase("n_utf8_overlong_4", bytes: stringLine([0xF0, 0x80, 0x80, 0xAF]), column: 7, "invalid UTF-8 sequence"),
    RejectCase("n_utf8_encoded_surrogate", bytes: stringLine([0xED, 0xA0, 0x80]), column: 7, "invalid UTF-8 sequence"),
    RejectCase("n_utf8_above_10FFFF", bytes: stringLine([0xF4, 0x90, 0x80, 0x80]), column: 7, "invalid UTF-8 sequence"),
    RejectCase("n_utf8_F5", bytes: stringLine([0xF5, 0x80, 0x80, 0x80]), column: 7, "invalid UTF-8 byte 0xF5"),
    RejectCase("n_utf8_FF", bytes: stringLine([0x61, 0x62, 0xFF]), column: 9, "invalid UTF-8 byte 0xFF"),
    RejectCase("n_utf8_truncated_before_quote", bytes: stringLine([0xC3]), column: 7, "invalid UTF-8 sequence"),
    RejectCase("n_utf8_truncated_at_end", bytes: Array(#"{"a":""#.utf8) + [0xE2, 0x82], column: 7, "truncated UTF-8 sequence"),
    RejectCase("n_utf8_bad_third_byte", bytes: stringLine([0xE2, 0x82, 0x41]), column: 7, "invalid UTF-8 sequence"),
    RejectCase("n_utf8_after_long_ascii", bytes: stringLine(Array("abcdefghijklmnop".utf8) + [0xC3, 0x28]), column: 23, "invalid UTF-8 sequence"),
    RejectCase("n_utf8_outside_string", bytes: [0x5B, 0xC3, 0xA9, 0x5D], column: 2, "unexpected byte 0xC3"),
    RejectCase("n_bom_not_first_line", bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8), column: 1, "unexpected byte 0xEF"),
]

@Suite struct ScannerRejectTests {
    @Test(arguments: rejectCases)
    func rejects(_ c: RejectCase) {
        let error = linesScanError(c.bytes, line: 42)
        #expect(error != nil, "\(c.name) was accepted")
        guard let error else { return }
        #expect(error.code == c.code)
        #expect(error.location.line == 42)
        #expect(error.location.byteColumn == c.column, "\(c.name): \(error)")
        #expect(error.message.contains(c.fragment), "\(c.name): \(error.message)")
    }

    @Test func depthLimit() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 129) + Array(repeating: UInt8(ascii: "]"), count: 129)
        let error = linesScanError(deep)
        #expect(error?.code == .limitExceeded)
        #expect(error?.location.byteColumn == 129)
        #expect(error?.message.contains("deeper than 128") == true)
        // Exactly at the limit is fine.
        let ok = Array(repeating: UInt8(ascii: "["), count: 128) + Array(repeating: UInt8(ascii: "]"), count: 128)
        #expect(linesScanError(ok) == nil)
        // A custom limit.
        let objects = Array("{\"a\":{\"b\":{\"c\":1}}}".utf8)
        #expect(linesScanError(objects, maxDepth: 3) == nil)
        #expect(linesScanError(objects, maxDepth: 2)?.location.byteColumn == 11)
    }

    @Test func errorDescriptionNamesLineAndColumn() {
        let error = linesScanError(Array(#"{"a":tru}"#.utf8), line: 7)
        #expect(error?.description == "corrupt: invalid literal (expected true, false or null) (line 7, byte 6)")
    }

    @Test func blankLines() {
        for text in ["", " ", "\t \r", "\r"] {
            #expect(Array(text.utf8).withUnsafeBytes { JSONLineScanner.isBlank($0) })
        }
        for text in ["{}", " x", "\u{FEFF}"] {
            #expect(!Array(text.utf8).withUnsafeBytes { JSONLineScanner.isBlank($0) })
        }
    }
}

@Suite struct ScannerAcceptTests {
    @Test func tapeOfNestedObject() throws {
        let line = #"{"a":[1,{"b":null}],"c":"x\n","d":{}}"#
        let tokens = try linesScan(line)
        let kinds = tokens.map(\.kind)
        #expect(kinds == [.objectStart, .key, .arrayStart, .int, .objectStart, .key, .null, .objectEnd, .arrayEnd,
                          .key, .string, .key, .objectStart, .objectEnd, .objectEnd])
        #expect(tokens[0].count == 3)
        #expect(tokens[0].partner == 14 && tokens[14].partner == 0)
        #expect(tokens[2].count == 2 && tokens[2].partner == 8)
        #expect(tokens[4].count == 1 && tokens[4].partner == 7)
        #expect(tokens[12].count == 0 && tokens[12].partner == 13)
        #expect(linesText(tokens[1], in: line) == "a")
        #expect(linesText(tokens[10], in: line) == #"x\n"#)
        #expect(tokens[10].hasEscapes && !tokens[9].hasEscapes)
        #expect(tokens[0].range == 0..<line.utf8.count)
        #expect(tokens[2].range == 5..<19)   // [1,{"b":null}]
        #expect(tokens[3].int64Value == 1)
        #expect(tokens[10].column == 25)     // the opening quote of "x\n"
        #expect(tokens[10].textRange == 24..<29)
    }

    @Test func whitespaceEverywhereAndTrailingCR() throws {
        let tokens = try linesScan(" \t{ \"a\" : [ 1 , 2 ] , \"b\" : true }  \r")
        #expect(tokens.map(\.kind) == [.objectStart, .key, .arrayStart, .int, .int, .arrayEnd, .key, .true, .objectEnd])
        #expect(tokens[0].start == 2)
    }

    @Test func byteOrderMarkOnFirstLine() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8)
        let tokens = try linesScan(bytes, first: true)
        #expect(tokens.count == 4)
        #expect(tokens[0].start == 3)  // offsets count the BOM
        #expect(tokens[1].column == 5)
    }

    @Test(arguments: ["1", "-0", "true", "false", "null", "\"s\"", "[]", "{}", "[[[]]]", "[{}]", " 7 "])
    func topLevelScalarsAndEmptyContainers(_ text: String) throws {
        let tokens = try linesScan(text)
        #expect(!tokens.isEmpty)
    }

    @Test func integersStayExact() throws {
        let cases: [(String, Int64)] = [
            ("0", 0), ("-0", 0), ("7", 7), ("-7", -7), ("1234567890123", 1_234_567_890_123),
            ("9223372036854775807", .max), ("-9223372036854775808", .min),
        ]
        for (text, value) in cases {
            let t = try linesScan("[\(text)]")[1]
            #expect(t.kind == .int, "\(text)")
            #expect(t.int64Value == value, "\(text)")
        }
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        for text in ["9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "18446744073709551616"] {
            let t = try linesScan("[\(text)]")[1]
            #expect(t.kind == .double, "\(text)")
            #expect(t.isIntegerText)
            #expect(t.doubleValue == Double(text), "\(text)")
        }
    }

    @Test func doublesAreCorrectlyRounded() throws {
        let texts = [
            "0.1", "-0.0", "0.0", "1.5", "1e5", "1E+5", "1e-5", "2.5E-3", "123.456", "-1.5e-300", "1e23", "8.98846567431158e307",
            "1.7976931348623157e308", "2.2250738585072014e-308", "4.9e-324", "5e-324", "0.30000000000000004",
            "3.141592653589793238462643383279", "1234567890123456789.25", "0.000000000000000000000000000001234",
            "9007199254740993", "9007199254740993.0", "1e400", "-1e400", "1e-400", "100000000000000000000000e-5",
            "0.1e1", "12345678901234567890123e-3",
        ]
        for text in texts {
            let t = try linesScan("[\(text)]")[1]
            guard let expected = Double(text) else { Issue.record("bad test \(text)"); continue }
            if t.kind == .int {
                #expect(Double(t.int64Value) == expected, "\(text)")
            } else {
                #expect(t.doubleValue.bitPattern == expected.bitPattern, "\(text): \(t.doubleValue) vs \(expected)")
            }
        }
        let negativeZero = try linesScan("[-0.0]")[1]
        #expect(negativeZero.doubleValue.sign == .minus)
    }

    @Test func randomNumbersMatchTheStandardLibrary() throws {
        var rng = SplitMix(seed: 0xF10E)
        for _ in 0..<5000 {
            var text = rng.next() % 2 == 0 ? "-" : ""
            let intDigits = Int(rng.next() % 22) + 1
            text += String(rng.next() % 9 + 1)
            for _ in 1..<intDigits { text += String(rng.next() % 10) }
            if rng.next() % 2 == 0 {
                text += "."
                for _ in 0..<(Int(rng.next() % 20) + 1) { text += String(rng.next() % 10) }
            }
            if rng.next() % 3 == 0 { text += "e\(Int(rng.next() % 700) - 350)" }
            let t = try linesScan("[\(text)]")[1]
            let expected = Double(text) ?? .nan
            if t.kind == .int {
                #expect(Int64(text) == t.int64Value, "\(text)")
            } else {
                #expect(t.doubleValue.bitPattern == expected.bitPattern, "\(text)")
            }
        }
    }

    @Test func escapesAndUnicodeDecode() throws {
        let line = #"["\"\\\/\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00", "é中😀", "\u0000", "plain"]"#
        let tokens = try linesScan(line)
        let bytes = Array(line.utf8)
        let decoded = bytes.withUnsafeBytes { raw in
            tokens.filter { $0.kind == .string }.map { JSONStringDecoding.decoded($0, in: raw) }
        }
        #expect(decoded[0] == Array("\"\\/\u{8}\u{C}\n\r\t".utf8))
        #expect(decoded[1] == Array("é中".utf8))
        #expect(decoded[2] == Array("😀".utf8))
        #expect(decoded[3] == Array("é中😀".utf8))
        #expect(decoded[4] == [0])
        #expect(decoded[5] == Array("plain".utf8))
        #expect(tokens.filter { $0.kind == .string }.map(\.hasEscapes) == [true, true, true, false, true, false])
    }

    @Test func everyValidUTF8LengthIsAccepted() throws {
        // 1- to 4-byte sequences at their boundaries, in and after SWAR-sized runs.
        let scalars: [UInt32] = [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF]
        for s in scalars {
            guard let scalar = Unicode.Scalar(s) else { continue }
            let text = "{\"k\":\"abcdefgh\(Character(scalar))ijklmnop\"}"
            let tokens = try linesScan(text)
            #expect(tokens[2].kind == .string)
        }
    }

    @Test func longStringsAcrossEightByteBlocks() throws {
        for n in 0..<40 {
            let s = String(repeating: "x", count: n)
            let tokens = try linesScan("[\"\(s)\",\"\(s)\\n\"]")
            #expect(tokens[1].range.count == n)
            #expect(tokens[2].range.count == n + 2)
        }
        let big = String(repeating: "abcdefghij", count: 100_000)
        let tokens = try linesScan("{\"big\":\"\(big)\"}")
        #expect(tokens[2].range.count == 1_000_000)
    }

    @Test func manyTokensGrowTheTape() throws {
        // More tokens than the first guess of a quarter of the line length.
        let n = 10_000
        let text = "[" + Array(repeating: "1", count: n).joined(separator: ",") + "]"
        let tokens = try linesScan(text)
        #expect(tokens.count == n + 2)
        #expect(tokens[0].count == UInt32(n))
        // Reusing the tape for a short line afterwards.
        var scanner = JSONLineScanner()
        var tape = JSONTape()
        for line in [text, "{}", text] {
            try Array(line.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                try scanner.scan(raw, lineNumber: 1, into: &tape)
            }
        }
        #expect(tape.count == n + 2)
    }
}

/// SplitMix64, for reproducible random inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
