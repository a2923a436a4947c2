import Testing
@testable import FloeJSON

@Suite struct LiteralAndIntegerTests {
    @Test func literals() {
        #expect(render { CanonicalJSON.appendNull(to: &$0) } == "null")
        #expect(render { CanonicalJSON.appendBool(true, to: &$0) } == "true")
        #expect(render { CanonicalJSON.appendBool(false, to: &$0) } == "false")
    }

    @Test(arguments: [
        (Int64(0), "0"), (7, "7"), (9, "9"), (10, "10"), (-1, "-1"), (-9, "-9"), (-10, "-10"),
        (99, "99"), (100, "100"), (12345, "12345"), (-1_000_000_007, "-1000000007"),
        (Int64(Int32.max), "2147483647"), (Int64(Int32.min), "-2147483648"),
        (Int64.max, "9223372036854775807"), (Int64.min, "-9223372036854775808"),
        (Int64.max - 1, "9223372036854775806"), (Int64.min + 1, "-9223372036854775807"),
    ])
    func signedIntegers(value: Int64, expected: String) {
        #expect(render { CanonicalJSON.appendInt(value, to: &$0) } == expected)
    }

    @Test(arguments: [
        (UInt64(0), "0"), (1, "1"), (10, "10"), (255, "255"), (65535, "65535"),
        (UInt64(UInt32.max), "4294967295"), (10_000_000_000_000_000_000, "10000000000000000000"),
        (UInt64.max, "18446744073709551615"), (UInt64.max - 1, "18446744073709551614"),
    ])
    func unsignedIntegers(value: UInt64, expected: String) {
        #expect(render { CanonicalJSON.appendUInt(value, to: &$0) } == expected)
    }

    /// Every power of ten and its neighbours, against the standard library's rendering.
    @Test func digitBoundaries() {
        var p: UInt64 = 1
        for _ in 0..<20 {
            for v in [p &- 1, p, p &+ 1] {
                #expect(render { CanonicalJSON.appendUInt(v, to: &$0) } == String(v))
                let s = Int64(truncatingIfNeeded: v)
                #expect(render { CanonicalJSON.appendInt(s, to: &$0) } == String(s))
                #expect(render { CanonicalJSON.appendInt(0 &- s, to: &$0) } == String(0 &- s))
            }
            p = p &* 10
        }
    }

    @Test func seededRandomIntegers() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<20_000 {
            let bits = rng.next()
            let shift = rng.next() % 64
            let s = Int64(bitPattern: bits) >> shift
            #expect(render { CanonicalJSON.appendInt(s, to: &$0) } == String(s))
            #expect(render { CanonicalJSON.appendUInt(bits >> shift, to: &$0) } == String(bits >> shift))
        }
    }

    @Test func appendsToExistingBytes() {
        var out: [UInt8] = Array("[".utf8)
        CanonicalJSON.appendInt(-5, to: &out)
        out.append(0x2C)
        CanonicalJSON.appendNull(to: &out)
        out.append(0x5D)
        #expect(String(decoding: out, as: UTF8.self) == "[-5,null]")
    }
}
