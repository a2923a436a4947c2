import CLZ4
import CZlib
import FloeCore
import Testing
@testable import FloeCodecs

/// Hand-built streams in the framings Parquet writers have produced over the years.
@Suite struct GzipFramingTests {
    /// A deflate "stored" block holding `data` (< 64 KiB), marked final.
    static func storedBlock(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x01]
        out.appendLittleEndian(UInt16(data.count))
        out.appendLittleEndian(~UInt16(data.count))
        return out + data
    }

    /// A gzip member (RFC 1952) with a stored block.
    static func gzipMember(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
        out += storedBlock(data)
        out.appendLittleEndian(CRC32.checksum(data))
        out.appendLittleEndian(UInt32(data.count))
        return out
    }

    /// Adler-32, computed independently for the zlib trailer.
    static func adler32Checksum(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    @Test func handBuiltMemberDecodes() throws {
        var d = Decompressor()
        let text = Array("hello parquet".utf8)
        #expect(try d.decompress(.gzip, Self.gzipMember(text), uncompressedSize: text.count) == text)
    }

    @Test func concatenatedHandBuiltMembersDecode() throws {
        var d = Decompressor()
        let stream = Self.gzipMember(Array("hello ".utf8)) + Self.gzipMember(Array("world".utf8))
        #expect(try d.decompress(.gzip, stream, uncompressedSize: 11) == Array("hello world".utf8))
        // The sum of the members is the only size that works.
        #expect(thrownError { _ = try d.decompress(.gzip, stream, uncompressedSize: 6) }?.code == .corrupt)
        #expect(thrownError { _ = try d.decompress(.gzip, stream, uncompressedSize: 12) }?.code == .corrupt)
    }

    @Test func concatenatedCompressedMembersDecode() throws {
        let parts = [TestData.columnLike(70_000, seed: 20), TestData.compressible(30_000), [42]]
        var compressor = try Compressor(kind: .gzip, level: 6)
        var stream: [UInt8] = []
        for part in parts { try part.withUnsafeBytes { try compressor.compress($0, appendingTo: &stream) } }
        var d = Decompressor()
        let all = parts.flatMap { $0 }
        #expect(try d.decompress(.gzip, stream, uncompressedSize: all.count) == all)
        // An empty member in the middle contributes nothing.
        let withEmpty = try compressed(.gzip, parts[0]) + compressed(.gzip, []) + compressed(.gzip, parts[2])
        #expect(try d.decompress(.gzip, withEmpty, uncompressedSize: parts[0].count + 1) == parts[0] + parts[2])
    }

    @Test func writerProducesAGzipHeader() throws {
        let body = try compressed(.gzip, Array("abc".utf8))
        #expect(Array(body.prefix(3)) == [0x1f, 0x8b, 8])
        // The trailer carries the CRC-32 and the size, little-endian.
        let trailer = Array(body.suffix(8))
        var expected: [UInt8] = []
        expected.appendLittleEndian(CRC32.checksum(Array("abc".utf8)))
        expected.appendLittleEndian(UInt32(3))
        #expect(trailer == expected)
    }

    @Test func reusedCompressorWritesCompleteMembers() throws {
        // Each call starts a fresh member; the worst-case bound must count the gzip wrapper
        // again after a member has been finished.
        var compressor = try Compressor(kind: .gzip, level: 9)
        var d = Decompressor()
        for size in [0, 1, 2, 3, 0, 17, 1, 5000, 1, 0, 2] {
            let input = TestData.random(size, seed: UInt64(size))
            let body = try compressor.compress(input)
            #expect(Array(body.prefix(2)) == [0x1f, 0x8b])
            #expect(try d.decompress(.gzip, body, uncompressedSize: size) == input)
        }
    }

    @Test func zlibAndRawDeflateStreamsDecode() throws {
        var d = Decompressor()
        let text = Array("older writers used zlib streams".utf8)
        var zlibStream: [UInt8] = [0x78, 0x01] + Self.storedBlock(text)
        zlibStream.appendBigEndian(Self.adler32Checksum(text))
        #expect(try d.decompress(.gzip, zlibStream, uncompressedSize: text.count) == text)
        #expect(try d.decompress(.gzip, Self.storedBlock(text), uncompressedSize: text.count) == text)

        // Real compressed zlib and raw-deflate streams from zlib itself.
        let input = TestData.columnLike(100_000, seed: 21)
        #expect(try d.decompress(.gzip, Self.zlibDeflate(input, windowBits: 15), uncompressedSize: input.count) == input)
        #expect(try d.decompress(.gzip, Self.zlibDeflate(input, windowBits: -15), uncompressedSize: input.count) == input)
        // And gzip still works on the same stream afterwards.
        #expect(try d.decompress(.gzip, try compressed(.gzip, input), uncompressedSize: input.count) == input)
    }

    @Test func trailingGarbageAndBadChecksumsAreRejected() throws {
        var d = Decompressor()
        let text = Array("checksummed".utf8)
        let member = Self.gzipMember(text)
        #expect(thrownError { _ = try d.decompress(.gzip, member + [0x00, 0x01, 0x02], uncompressedSize: text.count) }?.code == .corrupt)
        var badCRC = member
        badCRC[badCRC.count - 6] ^= 0x01
        #expect(thrownError { _ = try d.decompress(.gzip, badCRC, uncompressedSize: text.count) }?.code == .corrupt)
        var badSize = member
        badSize[badSize.count - 1] ^= 0x01
        #expect(thrownError { _ = try d.decompress(.gzip, badSize, uncompressedSize: text.count) }?.code == .corrupt)
    }

    /// Compresses with zlib directly (windowBits 15: zlib wrapper; -15: raw deflate).
    static func zlibDeflate(_ input: [UInt8], windowBits: Int32) -> [UInt8] {
        var strm = z_stream()
        guard floe_deflateInit2(&strm, 6, windowBits, 8, Z_DEFAULT_STRATEGY) == Z_OK else { return [] }
        defer { deflateEnd(&strm) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&strm, UInt(input.count))))
        let produced = input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                strm.next_in = src.baseAddress
                strm.avail_in = UInt32(src.count)
                strm.next_out = dst.baseAddress
                strm.avail_out = UInt32(dst.count)
                return deflate(&strm, Z_FINISH) == Z_STREAM_END ? dst.count - Int(strm.avail_out) : 0
            }
        }
        return Array(out.prefix(produced))
    }
}

@Suite struct LZ4FramingTests {
    /// One Hadoop block: [uncompressed size BE][compressed size BE][raw block].
    static func hadoopBlock(_ data: [UInt8]) throws -> [UInt8] {
        let raw = try compressed(.lz4Raw, data)
        var out: [UInt8] = []
        out.appendBigEndian(UInt32(data.count))
        out.appendBigEndian(UInt32(raw.count))
        return out + raw
    }

    @Test func multipleHadoopBlocksDecode() throws {
        let parts = [TestData.columnLike(30_000, seed: 30), TestData.random(5000, seed: 31), TestData.compressible(60_000)]
        let stream = try parts.flatMap { try Self.hadoopBlock($0) }
        var d = Decompressor()
        let all = parts.flatMap { $0 }
        #expect(try d.decompress(.lz4, stream, uncompressedSize: all.count) == all)
        #expect(thrownError { _ = try d.decompress(.lz4, stream, uncompressedSize: all.count - 1) }?.code == .corrupt)
        #expect(thrownError { _ = try d.decompress(.lz4, stream, uncompressedSize: all.count + 1) }?.code == .corrupt)
    }

    @Test func hadoopBlockWithSeveralChunksDecodes() throws {
        // Hadoop's block stream may split one block's input across several compressed chunks.
        let a = TestData.columnLike(20_000, seed: 32), b = TestData.compressible(9_000)
        let ca = try compressed(.lz4Raw, a), cb = try compressed(.lz4Raw, b)
        var stream: [UInt8] = []
        stream.appendBigEndian(UInt32(a.count + b.count))
        stream.appendBigEndian(UInt32(ca.count)); stream += ca
        stream.appendBigEndian(UInt32(cb.count)); stream += cb
        var d = Decompressor()
        #expect(try d.decompress(.lz4, stream, uncompressedSize: a.count + b.count) == a + b)
    }

    @Test func writerProducesHadoopFraming() throws {
        let input = TestData.columnLike(40_000, seed: 33)
        let body = try compressed(.lz4, input)
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(input.count))
        header.appendBigEndian(UInt32(body.count - 8))
        #expect(Array(body.prefix(8)) == header)
        // The block itself is what LZ4_RAW holds.
        var d = Decompressor()
        #expect(try d.decompress(.lz4Raw, Array(body.dropFirst(8)), uncompressedSize: input.count) == input)
    }

    @Test func emptyInputIsOneEmptyHadoopBlock() throws {
        #expect(try compressed(.lz4, []) == [0, 0, 0, 0, 0, 0, 0, 1, 0])
        #expect(try compressed(.lz4Raw, []) == [0])
    }

    @Test func rawBlockFallbackDecodes() throws {
        // Early parquet-cpp wrote codec LZ4 as a bare block.
        var d = Decompressor()
        for input in [TestData.columnLike(50_000, seed: 34), Array("x".utf8), TestData.random(777, seed: 35)] {
            let raw = try compressed(.lz4Raw, input)
            #expect(try d.decompress(.lz4, raw, uncompressedSize: input.count) == input)
        }
    }

    @Test func frameFallbackDecodes() throws {
        let input = TestData.columnLike(300_000, seed: 36)
        let frame = Self.lz4Frame(input)
        #expect(Array(frame.prefix(4)) == [0x04, 0x22, 0x4D, 0x18])
        var d = Decompressor()
        #expect(try d.decompress(.lz4, frame, uncompressedSize: input.count) == input)
        // Two frames back to back, then the context is reused for another call.
        let small = Array("tail".utf8)
        #expect(try d.decompress(.lz4, frame + Self.lz4Frame(small), uncompressedSize: input.count + 4) == input + small)
        #expect(thrownError { _ = try d.decompress(.lz4, Array(frame.dropLast(3)), uncompressedSize: input.count) }?.code == .corrupt)
        #expect(thrownError { _ = try d.decompress(.lz4, frame, uncompressedSize: input.count - 1) }?.code == .corrupt)
        #expect(try d.decompress(.lz4, frame, uncompressedSize: input.count) == input)
    }

    @Test func inconsistentHadoopSizesAreRejected() throws {
        let input = TestData.compressible(10_000)
        var block = try Self.hadoopBlock(input)
        var d = Decompressor()
        block[3] &+= 1  // the uncompressed size no longer matches the block
        #expect(thrownError { _ = try d.decompress(.lz4, block, uncompressedSize: input.count) }?.code == .corrupt)
        var chunk = try Self.hadoopBlock(input)
        chunk[7] &+= 1  // the compressed size overruns the input
        #expect(thrownError { _ = try d.decompress(.lz4, chunk, uncompressedSize: input.count) }?.code == .corrupt)
    }

    /// An LZ4 frame made by liblz4 itself.
    static func lz4Frame(_ input: [UInt8]) -> [UInt8] {
        let capacity = LZ4F_compressFrameBound(input.count, nil)
        var out = [UInt8](repeating: 0, count: capacity)
        let n = input.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                LZ4F_compressFrame(dst.baseAddress, dst.count, src.baseAddress, src.count, nil)
            }
        }
        return LZ4F_isError(n) != 0 ? [] : Array(out.prefix(n))
    }
}

@Suite struct ZstdFramingTests {
    @Test func concatenatedFramesDecode() throws {
        let a = TestData.columnLike(100_000, seed: 40), b = TestData.random(3000, seed: 41)
        var d = Decompressor()
        let stream = try compressed(.zstd, a) + compressed(.zstd, level: 12, b)
        #expect(try d.decompress(.zstd, stream, uncompressedSize: a.count + b.count) == a + b)
    }

    /// A frame without a content size: a raw block then an RLE block, built by hand.
    static func unknownSizeFrame(raw: [UInt8], rleByte: UInt8, rleCount: Int) -> [UInt8] {
        var out: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]  // magic
        out.append(0x00)  // descriptor: no content size, not single-segment, no checksum
        out.append(6 << 3)  // window 2^(10+6) = 64 KiB
        let rawHeader = UInt32(raw.count) << 3  // raw block, not last
        out += [UInt8(truncatingIfNeeded: rawHeader), UInt8(truncatingIfNeeded: rawHeader >> 8), UInt8(truncatingIfNeeded: rawHeader >> 16)]
        out += raw
        let rleHeader = UInt32(rleCount) << 3 | 1 << 1 | 1  // RLE block, last
        out += [UInt8(truncatingIfNeeded: rleHeader), UInt8(truncatingIfNeeded: rleHeader >> 8), UInt8(truncatingIfNeeded: rleHeader >> 16)]
        out.append(rleByte)
        return out
    }

    @Test func frameWithoutContentSizeDecodes() throws {
        let raw = Array("no content size".utf8)
        let frame = Self.unknownSizeFrame(raw: raw, rleByte: 0x41, rleCount: 1000)
        var d = Decompressor()
        let expected = raw + [UInt8](repeating: 0x41, count: 1000)
        #expect(try d.decompress(.zstd, frame, uncompressedSize: expected.count) == expected)
        // The output bound is what the caller said, even though the frame does not say.
        let tooSmall = thrownError { _ = try d.decompress(.zstd, frame, uncompressedSize: expected.count - 1) }
        #expect(tooSmall?.code == .corrupt)
        #expect(thrownError { _ = try d.decompress(.zstd, frame, uncompressedSize: expected.count + 1) }?.code == .corrupt)
    }

    @Test func skippableFramesAreIgnored() throws {
        var skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18]
        skippable.appendLittleEndian(UInt32(5))
        skippable += [9, 9, 9, 9, 9]
        let input = TestData.compressible(5000)
        var d = Decompressor()
        #expect(try d.decompress(.zstd, skippable + compressed(.zstd, input), uncompressedSize: input.count) == input)
    }

    @Test func writerRecordsTheContentSize() throws {
        let body = try compressed(.zstd, TestData.compressible(1000))
        #expect(Array(body.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        #expect(body[4] & 0xC0 != 0 || body[4] & 0x20 != 0)  // a content-size field is present
    }
}

@Suite struct SnappyAndBrotliTests {
    @Test func snappyLengthPrefixIsCheckedFirst() throws {
        let body = try compressed(.snappy, TestData.compressible(300))
        #expect(Array(body.prefix(2)) == [0xAC, 0x02])  // varint 300
        var d = Decompressor()
        let error = thrownError { _ = try d.decompress(.snappy, body, uncompressedSize: 299) }
        #expect(error?.message.contains("declares 300") == true)
    }

    @Test func brotliRejectsTrailingBytes() throws {
        let input = TestData.compressible(2000)
        let body = try compressed(.brotli, input)
        var d = Decompressor()
        #expect(try d.decompress(.brotli, body, uncompressedSize: input.count) == input)
        #expect(thrownError { _ = try d.decompress(.brotli, body + [0], uncompressedSize: input.count) }?.code == .corrupt)
        #expect(thrownError { _ = try d.decompress(.brotli, Array(body.dropLast()), uncompressedSize: input.count) }?.code == .corrupt)
    }
}
