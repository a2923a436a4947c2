import Testing
@testable import FloeJSON

func renderDecimal(bytes: [UInt8], scale: Int) -> String {
    render { out in bytes.withUnsafeBytes { CanonicalJSON.appendDecimal(bigEndianTwosComplement: $0, scale: scale, to: &out) } }
}

/// The big-endian two's complement bytes of an Int64, trimmed to `width` bytes.
func twosComplement(_ value: Int64, width: Int) -> [UInt8] {
    (0..<width).reversed().map { i in i >= 8 ? (value < 0 ? 0xFF : 0) : UInt8(truncatingIfNeeded: value >> (8 * i)) }
}

@Suite struct DecimalTests {
    @Test(arguments: [
        (Int64(-1250), 2, "\"-12.50\""), (12, 0, "\"12\""), (5, 3, "\"0.005\""), (12, -2, "\"1200\""),
        (0, 0, "\"0\""), (0, 3, "\"0.000\""), (0, -3, "\"0\""), (-1, 1, "\"-0.1\""), (1, 1, "\"0.1\""),
        (10, 1, "\"1.0\""), (-10, 1, "\"-1.0\""), (123, 3, "\"0.123\""), (1234, 3, "\"1.234\""),
        (99, 2, "\"0.99\""), (100, 2, "\"1.00\""), (-5, 0, "\"-5\""), (-7, -3, "\"-7000\""),
        (Int64.min, 0, "\"-9223372036854775808\""), (Int64.min, 5, "\"-92233720368547.75808\""),
        (Int64.max, 18, "\"9.223372036854775807\""), (Int64.max, 19, "\"0.9223372036854775807\""),
        (Int64.max, 25, "\"0.0000009223372036854775807\""), (Int64.min, 19, "\"-0.9223372036854775808\""),
    ])
    func int64Decimals(unscaled: Int64, scale: Int, expected: String) {
        #expect(render { CanonicalJSON.appendDecimal(unscaled: unscaled, scale: scale, to: &$0) } == expected)
        // The same value as 8-byte and 16-byte two's complement.
        #expect(renderDecimal(bytes: twosComplement(unscaled, width: 8), scale: scale) == expected)
        #expect(renderDecimal(bytes: twosComplement(unscaled, width: 16), scale: scale) == expected)
    }

    /// Short FIXED_LEN_BYTE_ARRAY / INT32-sized encodings.
    @Test(arguments: [
        ([], 2, "\"0.00\""), ([], 0, "\"0\""), ([0x00], 0, "\"0\""), ([0xFF], 0, "\"-1\""), ([0x80], 0, "\"-128\""),
        ([0x7F], 1, "\"12.7\""), ([0x00, 0x80], 0, "\"128\""), ([0xFF, 0x7F], 0, "\"-129\""),
        ([0xFB, 0x1E], 2, "\"-12.50\""), ([0x00, 0x00, 0x00, 0x05], 3, "\"0.005\""),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 0, "\"-1\""),
        ([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01], 0, "\"1\""),
        ([0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], 0, "\"9223372036854775808\""),
        ([0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 0, "\"-9223372036854775809\""),
    ] as [([UInt8], Int, String)])
    func shortByteDecimals(bytes: [UInt8], scale: Int, expected: String) {
        #expect(renderDecimal(bytes: bytes, scale: scale) == expected)
    }

    /// 16-byte values (DECIMAL(38) and the Int128 extremes), expectations computed offline.
    @Test(arguments: [
        ("4b3b4ca85a86c47a098a223fffffffff", 0, "\"99999999999999999999999999999999999999\""),
        ("b4c4b357a5793b85f675ddc000000001", 0, "\"-99999999999999999999999999999999999999\""),
        ("4b3b4ca85a86c47a098a223fffffffff", 38, "\"0.99999999999999999999999999999999999999\""),
        ("b4c4b357a5793b85f675ddc000000001", 38, "\"-0.99999999999999999999999999999999999999\""),
        ("4b3b4ca85a86c47a098a223fffffffff", 2, "\"999999999999999999999999999999999999.99\""),
        ("7fffffffffffffffffffffffffffffff", 10, "\"17014118346046923173168730371.5884105727\""),
        ("80000000000000000000000000000000", 10, "\"-17014118346046923173168730371.5884105728\""),
        ("80000000000000000000000000000000", 0, "\"-170141183460469231731687303715884105728\""),
        ("000000000000029d42b64e76714244cb", 30, "\"0.000000012345678901234567890123\""),
        ("ffffffffffffffffffffffffffffffff", 40, "\"-0.0000000000000000000000000000000000000001\""),
        ("00000000000000010000000000000000", 0, "\"18446744073709551616\""),
        ("ffffffffffffffff0000000000000000", 0, "\"-18446744073709551616\""),
        ("00000000800000000000000000000000", 5, "\"396140812571321687967719.75168\""),
        ("00000000000000000000000000000000", 4, "\"0.0000\""),
        ("00000000000000000000000000000001", -3, "\"1000\""),
    ])
    func wideDecimals(hex: String, scale: Int, expected: String) {
        #expect(renderDecimal(bytes: hexBytes(hex), scale: scale) == expected)
        // Redundant sign-extension bytes in front change nothing.
        let bytes = hexBytes(hex)
        let fill: UInt8 = bytes[0] >= 0x80 ? 0xFF : 0x00
        #expect(renderDecimal(bytes: [fill, fill, fill] + bytes, scale: scale) == expected)
    }

    /// A 100-byte value: −3^500 with scale 7 (computed offline).
    @Test func hundredByteDecimal() {
        let hex = "fe9aa2d31fa9c089fb1bc7ac915742e78e8572be45bb4c9ff8038e401120722559e97433ad09ef937df93ed6c08a9fd78a5d7428ef9821389707a848778960182f8a7f1a1d6503026e604658fca8267cf1ef9573a5fc35adc68b839830f08e24c82622ef"
        let expected = "\"-3636029179586993684238526707954331911802338502600162304034603583258060019158389548419850826297938878330817970253440385575285593151701306614299243091656202578002177124784764345012534283656581320997259037159015257872800838599013979537.7610001\""
        #expect(renderDecimal(bytes: hexBytes(hex), scale: 7) == expected)
    }

    /// Scales far beyond any precision switch to exponent form instead of expanding into zeros.
    @Test func absurdScalesStayBounded() {
        let limit = CanonicalJSON.decimalScaleLimit
        #expect(render { CanonicalJSON.appendDecimal(unscaled: 5, scale: limit + 1, to: &$0) } == "\"5E-\(limit + 1)\"")
        #expect(render { CanonicalJSON.appendDecimal(unscaled: -125, scale: -limit - 1, to: &$0) } == "\"-125E\(limit + 1)\"")
        #expect(render { CanonicalJSON.appendDecimal(unscaled: 1, scale: Int.min, to: &$0) } == "\"1E9223372036854775808\"")
        #expect(render { CanonicalJSON.appendDecimal(unscaled: 1, scale: Int.max, to: &$0) } == "\"1E-9223372036854775807\"")
        #expect(renderDecimal(bytes: hexBytes("80000000000000000000000000000000"), scale: Int.min) == "\"-170141183460469231731687303715884105728E9223372036854775808\"")
        let atLimit = render { CanonicalJSON.appendDecimal(unscaled: 5, scale: limit, to: &$0) }
        #expect(atLimit == "\"0." + String(repeating: "0", count: limit - 1) + "5\"")
    }

    /// Random widths and bytes against an independent decimal-string reference.
    @Test func seededRandomWideDecimalsMatchReference() {
        var rng = SeededGenerator(seed: 0xDEC)
        for _ in 0..<3_000 {
            let width = Int(rng.next() % 40)
            let bytes = (0..<width).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let scale = Int(rng.next() % 60) - 10
            #expect(renderDecimal(bytes: bytes, scale: scale) == referenceDecimal(bytes, scale: scale))
        }
    }
}

/// Schoolbook reference: magnitude digits by repeated ×256 on a decimal digit array.
func referenceDecimal(_ bytes: [UInt8], scale: Int) -> String {
    let negative = (bytes.first ?? 0) >= 0x80
    var magnitudeBytes = bytes
    if negative {
        // Two's complement negation.
        magnitudeBytes = bytes.map { ~$0 }
        var i = magnitudeBytes.count - 1
        while i >= 0 {
            let (sum, overflow) = magnitudeBytes[i].addingReportingOverflow(1)
            magnitudeBytes[i] = sum
            if !overflow { break }
            i -= 1
        }
    }
    var digits: [Int] = [0]  // least significant first
    for byte in magnitudeBytes {
        var carry = Int(byte)
        for k in digits.indices {
            let v = digits[k] * 256 + carry
            digits[k] = v % 10
            carry = v / 10
        }
        while carry > 0 { digits.append(carry % 10); carry /= 10 }
    }
    while digits.count > 1 && digits.last == 0 { digits.removeLast() }
    let text = String(digits.reversed().map { Character(String($0)) })
    let isZero = text == "0"
    var body: String
    if scale <= 0 {
        body = isZero ? "0" : text + String(repeating: "0", count: -scale)
    } else if text.count > scale {
        body = String(text.dropLast(scale)) + "." + String(text.suffix(scale))
    } else {
        body = "0." + String(repeating: "0", count: scale - text.count) + text
    }
    return "\"" + (negative && !isZero ? "-" : "") + body + "\""
}
