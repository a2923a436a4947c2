import Testing
@testable import FloeJSON

let doubleCases: [(Double, String)] = [
        (0.0, "0.0"), (-0.0, "-0.0"), (1.0, "1.0"), (-1.0, "-1.0"), (0.1, "0.1"), (-2.5, "-2.5"),
        (1.0 / 3.0, "0.3333333333333333"), (0.1 + 0.2, "0.30000000000000004"), (123.456, "123.456"),
        (4.35, "4.35"), (3.141592653589793, "3.141592653589793"), (100.0, "100.0"),
        (0.0001, "0.0001"), (0.00015, "0.00015"), (1e-05, "1e-05"), (9.99e-05, "9.99e-05"), (-1.5e-07, "-1.5e-07"),
        (9007199254740991.0, "9007199254740991.0"), (9007199254740992.0, "9007199254740992.0"),
        (9007199254740994.0, "9.007199254740994e+15"), (1e15, "1000000000000000.0"), (1e16, "1e+16"),
        (1e21, "1e+21"), (1e22, "1e+22"), (1e23, "1e+23"), (1e300, "1e+300"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (-Double.greatestFiniteMagnitude, "-1.7976931348623157e+308"),
        (Double.leastNormalMagnitude, "2.2250738585072014e-308"),
        (Double.leastNormalMagnitude.nextDown, "2.225073858507201e-308"),  // largest subnormal
        (Double.leastNormalMagnitude / 2, "1.1125369292536007e-308"),
        (Double.leastNonzeroMagnitude, "5e-324"), (-Double.leastNonzeroMagnitude, "-5e-324"),
        (Double.leastNonzeroMagnitude * 3, "1.5e-323"),
        (1.0.nextUp, "1.0000000000000002"), (1.0.nextDown, "0.9999999999999999"),
]

let floatCases: [(Float, String)] = [
        (0, "0.0"), (-0.0, "-0.0"), (1, "1.0"), (0.1, "0.1"), (1.0 / 3.0, "0.33333334"),
        (16777216, "16777216.0"), (16777215, "16777215.0"), (16777218, "1.6777218e+07"),
        (1e7, "10000000.0"), (1e8, "1e+08"), (8388607.5, "8388607.5"),
        (1e-4, "0.0001"), (1e-5, "1e-05"),
        (Float.greatestFiniteMagnitude, "3.4028235e+38"), (-Float.greatestFiniteMagnitude, "-3.4028235e+38"),
        (Float.leastNormalMagnitude, "1.1754944e-38"), (Float.leastNormalMagnitude.nextDown, "1.1754942e-38"),
        (Float.leastNonzeroMagnitude, "1e-45"), (Float.leastNonzeroMagnitude * 10, "1.4e-44"),
        (123456792, "1.2345679e+08"),
]

@Suite struct FloatingTests {
    @Test(arguments: doubleCases)
    func doubles(value: Double, expected: String) {
        #expect(render { CanonicalJSON.appendDouble(value, to: &$0) } == expected)
    }

    @Test func nonFiniteDoublesAreStrings() {
        #expect(render { CanonicalJSON.appendDouble(.nan, to: &$0) } == "\"NaN\"")
        #expect(render { CanonicalJSON.appendDouble(-.nan, to: &$0) } == "\"NaN\"")
        #expect(render { CanonicalJSON.appendDouble(.signalingNaN, to: &$0) } == "\"NaN\"")
        #expect(render { CanonicalJSON.appendDouble(Double(bitPattern: 0x7FF0_0000_0000_0001), to: &$0) } == "\"NaN\"")
        #expect(render { CanonicalJSON.appendDouble(.infinity, to: &$0) } == "\"Infinity\"")
        #expect(render { CanonicalJSON.appendDouble(-.infinity, to: &$0) } == "\"-Infinity\"")
        #expect(render { CanonicalJSON.appendFloat(.nan, to: &$0) } == "\"NaN\"")
        #expect(render { CanonicalJSON.appendFloat(.infinity, to: &$0) } == "\"Infinity\"")
        #expect(render { CanonicalJSON.appendFloat(-.infinity, to: &$0) } == "\"-Infinity\"")
    }

    @Test(arguments: floatCases)
    func floats(value: Float, expected: String) {
        #expect(render { CanonicalJSON.appendFloat(value, to: &$0) } == expected)
    }

    @Test(arguments: [
        (UInt16(0x0000), "0.0"), (0x8000, "-0.0"), (0x3C00, "1.0"), (0xBC00, "-1.0"), (0x3C01, "1.001"),
        (0x2E66, "0.1"), (0x4248, "3.14"), (0x7BFF, "65504.0"), (0xFBFF, "-65504.0"),
        (0x6800, "2048.0"), (0x7000, "8192.0"), (0x7002, "8208.0"),
        (0x0400, "6.104e-05"),  // smallest normal
        (0x03FF, "6.1e-05"),    // largest subnormal
        (0x0001, "6e-08"),      // smallest subnormal
        (0x8001, "-6e-08"),
        (0x7C00, "\"Infinity\""), (0xFC00, "\"-Infinity\""), (0x7E00, "\"NaN\""), (0x7C01, "\"NaN\""), (0xFE00, "\"NaN\""),
    ])
    func halves(bits: UInt16, expected: String) {
        #expect(render { CanonicalJSON.appendFloat16(bits: bits, to: &$0) } == expected)
    }

    @Test(arguments: [
        (UInt16(0x0000), Float(0)), (0x3C00, 1), (0xC000, -2), (0x7BFF, 65504), (0x0400, 0x1p-14),
        (0x0001, 0x1p-24), (0x03FF, 1023 * 0x1p-24), (0x3555, 0x1.554p-2), (0x7C00, .infinity), (0xFC00, -.infinity),
    ])
    func halfToFloat(bits: UInt16, expected: Float) {
        #expect(HalfPrecision.float(fromBits: bits) == expected)
    }

    @Test func halfToFloatSignsAndNaN() {
        #expect(HalfPrecision.float(fromBits: 0x8000).bitPattern == (-Float(0)).bitPattern)
        #expect(HalfPrecision.float(fromBits: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromBits: 0xFC01).isNaN)
        #expect(HalfPrecision.float(fromBits: 0x8001) == -0x1p-24)
    }

    /// Every output must be a JSON number (or one of the three strings) that reads back exactly.
    @Test func seededRandomDoublesMatchStandardLibrary() {
        var rng = SeededGenerator(seed: 0xD0B1E)
        for i in 0..<50_000 {
            let bits = rng.next()
            var value: Double
            switch i % 4 {
            case 0: value = Double(bitPattern: bits)
            case 1: value = Double(bitPattern: bits & 0x800F_FFFF_FFFF_FFFF)  // subnormals
            case 2: value = Double(Int64(bitPattern: bits) >> (bits & 63))  // integers
            default: value = Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))  // short decimals
            }
            guard value.isFinite else { continue }
            let text = render { CanonicalJSON.appendDouble(value, to: &$0) }
            #expect(text == value.description)
            #expect(Double(text)?.bitPattern == value.bitPattern)
        }
    }

    @Test func seededRandomFloatsMatchStandardLibrary() {
        var rng = SeededGenerator(seed: 0xF10A7)
        for _ in 0..<50_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            guard value.isFinite else { continue }
            let text = render { CanonicalJSON.appendFloat(value, to: &$0) }
            #expect(text == value.description)
            #expect(Float(text)?.bitPattern == value.bitPattern)
        }
    }

    /// Powers of two and ten and their neighbours: the asymmetric intervals and exact decimals.
    @Test func powersAndNeighbours() {
        var values: [Double] = []
        for e in -1074...1023 { values.append(0x1p0 * Double(sign: .plus, exponent: e, significand: 1)) }
        var p = 1.0
        for _ in 0...308 { values.append(p); p *= 10 }
        p = 1.0
        for _ in 0...323 { values.append(p); p /= 10 }
        for v in values where v.isFinite && v > 0 {
            for w in [v, v.nextUp, v.nextDown] where w.isFinite {
                #expect(render { CanonicalJSON.appendDouble(w, to: &$0) } == w.description)
                let f = Float(w)
                if f.isFinite {
                    #expect(render { CanonicalJSON.appendFloat(f, to: &$0) } == f.description)
                }
            }
        }
    }

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    /// All 65536 half-precision values: digits and conversion against the standard library's Float16.
    @Test func everyHalfMatchesStandardLibrary() {
        for bits in 0...UInt16.max {
            let half = Float16(bitPattern: bits)
            let expected: String
            if half.isNaN { expected = "\"NaN\"" }
            else if half.isInfinite { expected = half < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
            else { expected = half.description }
            #expect(render { CanonicalJSON.appendFloat16(bits: bits, to: &$0) } == expected)
            let converted = HalfPrecision.float(fromBits: bits)
            #expect(converted.bitPattern == Float(half).bitPattern || (converted.isNaN && half.isNaN))
            if half.isFinite {
                // Reads back to the same half.
                let text = render { CanonicalJSON.appendFloat16(bits: bits, to: &$0) }
                #expect(Float16(text)?.bitPattern == bits)
            }
        }
    }
    #endif

    @Test func powerOfTenTableMatchesExactValues() {
        // g(e) = ⌊10^e·2^−r⌋ + 1 split at bit 63, checked against exact values computed offline.
        let expected: [(Int, UInt64, UInt64)] = [
            (-292, 0x7fbb_d8fe_5f5e_6e27, 0x497a_3a27_04ee_c3df),
            (-100, 0x6ffc_bb92_3814_bf5e, 0x565e_1f8a_e4ef_15be),
            (-1, 0x6666_6666_6666_6666, 0x3333_3333_3333_3334),
            (0, 0x4000_0000_0000_0000, 0x1),
            (1, 0x5000_0000_0000_0000, 0x1),
            (37, 0x785e_e10d_5da4_6d90, 0x07a1_b500_0000_0001),
            (38, 0x4b3b_4ca8_5a86_c47a, 0x04c5_1120_0000_0001),
            (100, 0x4926_b496_530d_f3ac, 0x164f_0989_9c17_e716),
            (324, 0x4f0c_edc9_5a71_8dd4, 0x5b01_e8b0_9aa0_d1b5),
            (326, 0x7b84_338a_9d51_6d9c, 0x2e32_fb93_f19b_47aa),
        ]
        for (e, high, low) in expected {
            let g = PowersOfTen.g(e)
            #expect(g.high == high && g.low == low, "g(\(e))")
        }
    }

    @Test func logarithmApproximationsAreExact() {
        // Double arithmetic is exact enough here: q·log10(2) stays ≥ 4e-4 away from integers.
        for q in -1100...1100 {
            #expect(ShortestDecimal.floorLog10Pow2(q) == Int((Double(q) * 0.30102999566398120).rounded(.down)))
            #expect(ShortestDecimal.floorLog10ThreeQuartersPow2(q) == Int((Double(q) * 0.30102999566398120 - 0.12493873660829995).rounded(.down)))
        }
        for e in -330...330 {
            #expect(ShortestDecimal.floorLog2Pow10(e) == Int((Double(e) * 3.3219280948873623).rounded(.down)))
        }
    }
}
