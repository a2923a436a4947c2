import Testing
@testable import FloeCore

@Suite struct ByteCursorTests {
    @Test func varintRoundTrip() throws {
        for v: UInt64 in [0, 1, 127, 128, 300, 1 << 35, .max] {
            var w = ByteWriter()
            w.appendVarint(v)
            var c = ByteCursor(w.bytes)
            #expect(try c.readVarint() == v)
            #expect(c.remaining == 0)
        }
    }

    @Test func zigzagRoundTrip() throws {
        for v: Int64 in [0, -1, 1, -64, 63, .min, .max] {
            var w = ByteWriter()
            w.appendZigZag(v)
            var c = ByteCursor(w.bytes)
            #expect(try c.readZigZag() == v)
        }
    }

    @Test func truncatedVarintThrowsWithOffset() {
        var c = ByteCursor([0x80, 0x80], baseOffset: 100)
        #expect(throws: FloeError.self) { try c.readVarint() }
        var c2 = ByteCursor([0x80, 0x80])
        do { _ = try c2.readVarint(); Issue.record("no error") } catch { #expect(error.location.offset == 0) }
    }

    @Test func overlongVarintRejected() {
        var c = ByteCursor([UInt8](repeating: 0xff, count: 11) + [0])
        #expect(throws: FloeError.self) { try c.readVarint() }
    }

    @Test func readBytesRejectsAbsurdLength() throws {
        var c = ByteCursor([1, 2, 3])
        #expect(throws: FloeError.self) { try c.readBytes(1 << 40) }
        #expect(throws: FloeError.self) { try c.readBytes(-1) }
        #expect(try c.readBytes(3) == [1, 2, 3])
    }

    @Test func littleEndian() throws {
        var c = ByteCursor([0x01, 0x02, 0x03, 0x04])
        #expect(try c.readLittleEndian(UInt32.self) == 0x04030201)
    }
}
