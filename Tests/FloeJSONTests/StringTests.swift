import Testing
@testable import FloeJSON

func renderString(_ bytes: [UInt8]) -> [UInt8] {
    renderBytes { out in bytes.withUnsafeBytes { CanonicalJSON.appendString($0, to: &out) } }
}

/// An independent reference: repair with the standard library's UTF-8 decoder, then escape
/// scalar by scalar.
func referenceString(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x22]
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
        switch scalar.value {
        case 0x22: out += Array("\\\"".utf8)
        case 0x5C: out += Array("\\\\".utf8)
        case 0x08: out += Array("\\b".utf8)
        case 0x09: out += Array("\\t".utf8)
        case 0x0A: out += Array("\\n".utf8)
        case 0x0C: out += Array("\\f".utf8)
        case 0x0D: out += Array("\\r".utf8)
        case 0..<0x20:
            let hex = String(scalar.value, radix: 16)
            out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        default: out += Array(String(scalar).utf8)
        }
    }
    out.append(0x22)
    return out
}

@Suite struct StringTests {
    @Test(arguments: [
        ("", "\"\""),
        ("hello", "\"hello\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("back\\slash", "\"back\\\\slash\""),
        ("a/b", "\"a/b\""),
        ("tab\there", "\"tab\\there\""),
        ("line\nbreak\r\n", "\"line\\nbreak\\r\\n\""),
        ("\u{08}\u{0C}", "\"\\b\\f\""),
        ("\u{00}\u{01}\u{1F}\u{7F}", "\"\\u0000\\u0001\\u001f\u{7F}\""),
        ("café", "\"café\""),
        ("日本語", "\"日本語\""),
        ("emoji 😀 𝄞", "\"emoji 😀 𝄞\""),
        ("\u{2028}\u{2029}\u{FEFF}", "\"\u{2028}\u{2029}\u{FEFF}\""),
        ("0123456789abcdef0123456789abcdef\"x", "\"0123456789abcdef0123456789abcdef\\\"x\""),
        ("long plain ascii run that spans several eight byte words!", "\"long plain ascii run that spans several eight byte words!\""),
    ])
    func escaping(input: String, expected: String) {
        #expect(String(decoding: renderString(Array(input.utf8)), as: UTF8.self) == expected)
        #expect(render { CanonicalJSON.appendString(input, to: &$0) } == expected)
    }

    /// All 32 control characters, alone and inside 8-byte words.
    @Test func everyControlCharacter() {
        let named: [UInt8: String] = [0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"]
        let hex = Array("0123456789abcdef")
        for c in UInt8(0)..<0x20 {
            let escape = named[c] ?? "\\u00\(hex[Int(c >> 4)])\(hex[Int(c & 15)])"
            #expect(String(decoding: renderString([c]), as: UTF8.self) == "\"\(escape)\"")
            let padded: [UInt8] = Array("abcdefg".utf8) + [c] + Array("hijklmnop".utf8)
            #expect(String(decoding: renderString(padded), as: UTF8.self) == "\"abcdefg\(escape)hijklmnop\"")
        }
    }

    @Test(arguments: [
        // (input bytes, expected output bytes inside the quotes)
        ([0x80], [0xEF, 0xBF, 0xBD]),                                   // lone continuation
        ([0xC0, 0x80], [0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD]),           // overlong NUL
        ([0xC1, 0xBF], [0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD]),           // overlong
        ([0xE0, 0x80, 0xAF], [0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD]),  // overlong 3-byte
        ([0xF0, 0x80, 0x80, 0xAF], Array(repeating: [0xEF, 0xBF, 0xBD], count: 4).flatMap { $0 }),
        ([0xED, 0xA0, 0x80], Array(repeating: [0xEF, 0xBF, 0xBD], count: 3).flatMap { $0 }),  // surrogate
        ([0xF4, 0x90, 0x80, 0x80], Array(repeating: [0xEF, 0xBF, 0xBD], count: 4).flatMap { $0 }),  // > U+10FFFF
        ([0xF5], [0xEF, 0xBF, 0xBD]), ([0xFF], [0xEF, 0xBF, 0xBD]), ([0xFE, 0x41], [0xEF, 0xBF, 0xBD, 0x41]),
        ([0xC3], [0xEF, 0xBF, 0xBD]),                                   // truncated 2-byte
        ([0xE2, 0x82], [0xEF, 0xBF, 0xBD]),                             // truncated 3-byte: one U+FFFD
        ([0xF0, 0x9F, 0x98], [0xEF, 0xBF, 0xBD]),                       // truncated 4-byte: one U+FFFD
        ([0xF0, 0x9F, 0x98, 0x41], [0xEF, 0xBF, 0xBD, 0x41]),
        ([0xE2, 0x41, 0x82], [0xEF, 0xBF, 0xBD, 0x41, 0xEF, 0xBF, 0xBD]),
        ([0x41, 0xC3, 0xA9, 0x80, 0x42], [0x41, 0xC3, 0xA9, 0xEF, 0xBF, 0xBD, 0x42]),
        ([0xF0, 0x9F, 0x98, 0x80], [0xF0, 0x9F, 0x98, 0x80]),           // valid 4-byte 😀
        ([0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF]),           // U+10FFFF
        ([0xEE, 0x80, 0x80], [0xEE, 0x80, 0x80]),                       // U+E000, after the surrogates
        ([0xED, 0x9F, 0xBF], [0xED, 0x9F, 0xBF]),                       // U+D7FF, before them
    ] as [([UInt8], [UInt8])])
    func invalidUTF8IsReplaced(input: [UInt8], expectedInside: [UInt8]) {
        let out = renderString(input)
        #expect(out == [0x22] + expectedInside + [0x22])
        #expect(out == referenceString(input))
        #expect(isValidUTF8(out))
    }

    @Test func keys() {
        #expect(render { CanonicalJSON.appendKey("id", to: &$0) } == "\"id\":")
        #expect(render { CanonicalJSON.appendKey("we\"ird\nname", to: &$0) } == "\"we\\\"ird\\nname\":")
        #expect(render { CanonicalJSON.appendKey("", to: &$0) } == "\"\":")
        #expect(render { CanonicalJSON.appendKey("ключ", to: &$0) } == "\"ключ\":")
    }

    @Test func emptyBufferWithoutAddress() {
        #expect(renderBytes { CanonicalJSON.appendString(UnsafeRawBufferPointer(start: nil, count: 0), to: &$0) } == [0x22, 0x22])
        #expect(renderBytes { CanonicalJSON.appendBase64(UnsafeRawBufferPointer(start: nil, count: 0), to: &$0) } == [0x22, 0x22])
    }

    @Test(arguments: [
        ("", "\"\""), ("66", "\"Zg==\""), ("666f", "\"Zm8=\""), ("666f6f", "\"Zm9v\""),
        ("666f6f62", "\"Zm9vYg==\""), ("666f6f6261", "\"Zm9vYmE=\""), ("666f6f626172", "\"Zm9vYmFy\""),
        ("00", "\"AA==\""), ("ffffff", "\"////\""), ("fbff", "\"+/8=\""),
    ])
    func base64(hex: String, expected: String) {
        let bytes = hexBytes(hex)
        #expect(render { out in bytes.withUnsafeBytes { CanonicalJSON.appendBase64($0, to: &out) } } == expected)
    }

    @Test func base64AllByteValues() {
        let bytes = (0...255).map { UInt8($0) }
        let expected = "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==\""
        var out: [UInt8] = Array("x".utf8)
        bytes.withUnsafeBytes { CanonicalJSON.appendBase64($0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "x" + expected)
    }

    @Test(arguments: [
        ("00000000000000000000000000000000", "\"00000000-0000-0000-0000-000000000000\""),
        ("123e4567e89b12d3a456426614174000", "\"123e4567-e89b-12d3-a456-426614174000\""),
        ("ffffffffffffffffffffffffffffffff", "\"ffffffff-ffff-ffff-ffff-ffffffffffff\""),
        ("F1E2D3C4B5A6978877665544332211AB", "\"f1e2d3c4-b5a6-9788-7766-5544332211ab\""),
    ])
    func uuid(hex: String, expected: String) {
        let bytes = hexBytes(hex)
        #expect(render { out in bytes.withUnsafeBytes { CanonicalJSON.appendUUID($0, to: &out) } } == expected)
    }

    /// A FIXED_LEN_BYTE_ARRAY of the wrong length is shown as base64, not trapped on.
    @Test func uuidOfWrongLengthFallsBackToBase64() {
        #expect(render { out in [UInt8]([1, 2, 3]).withUnsafeBytes { CanonicalJSON.appendUUID($0, to: &out) } } == "\"AQID\"")
        #expect(render { out in [UInt8](repeating: 0, count: 17).withUnsafeBytes { CanonicalJSON.appendUUID($0, to: &out) } } == "\"AAAAAAAAAAAAAAAAAAAAAAA=\"")
    }
}
