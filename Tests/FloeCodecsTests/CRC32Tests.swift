import Testing
@testable import FloeCodecs

@Suite struct CRC32Tests {
    /// A bit-at-a-time reference (reflected polynomial 0xEDB88320).
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func knownValues() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32().value == 0)
        #expect(CRC32.checksum([0]) == 0xD202_EF8D)
    }

    @Test func matchesReferenceOnRandomData() {
        for (i, length) in [1, 7, 64, 1000, 65_537].enumerated() {
            let data = TestData.random(length, seed: 60 + UInt64(i))
            #expect(CRC32.checksum(data) == Self.reference(data))
            #expect(data.withUnsafeBytes { CRC32.checksum($0) } == Self.reference(data))
        }
    }

    @Test func incrementalEqualsOneShot() {
        let data = TestData.columnLike(200_000, seed: 61)
        let whole = CRC32.checksum(data)
        var rng = SplitMix64(seed: 62)
        for _ in 0..<20 {
            var crc = CRC32()
            var position = 0
            while position < data.count {
                let n = min(data.count - position, Int(rng.next() % 5000))
                data[position..<(position + n)].withUnsafeBytes { crc.update($0) }
                position += n
            }
            crc.update([UInt8]())  // empty updates change nothing
            #expect(crc.value == whole)
        }
        var split = CRC32()
        split.update(Array("12345".utf8))
        split.update(Array("6789".utf8))
        #expect(split.value == 0xCBF4_3926)
    }
}
