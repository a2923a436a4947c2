import CLZ4
import FloeCore

/// LZ4 in its three Parquet guises: a raw block (LZ4_RAW), the Hadoop block framing (LZ4 as
/// parquet-mr writes it) and, on read only, the LZ4 frame format.
enum LZ4 {
    /// The largest input one raw block can hold (`LZ4_MAX_INPUT_SIZE`).
    static let maxBlockInput = 0x7E00_0000
    /// The LZ4 frame magic number (little-endian on the wire).
    static let frameMagic: UInt32 = 0x184D_2204

    // MARK: Raw blocks

    /// Decompresses one raw block; returns the decompressed size, or nil if the block is
    /// malformed or would not fit in `dstCapacity` bytes.
    static func decompressBlock(_ src: UnsafeRawPointer, _ srcCount: Int,
                                _ dst: UnsafeMutableRawPointer, _ dstCapacity: Int) -> Int? {
        guard srcCount > 0, srcCount <= Int(Int32.max) else { return nil }
        let r = LZ4_decompress_safe(src.assumingMemoryBound(to: CChar.self), dst.assumingMemoryBound(to: CChar.self),
                                    Int32(srcCount), Int32(min(dstCapacity, Int(Int32.max))))
        return r < 0 ? nil : Int(r)
    }

    /// LZ4_RAW: one raw block that must decompress to exactly `dstCount` bytes.
    static func decompressRaw(_ src: UnsafeRawPointer, _ srcCount: Int,
                              _ dst: UnsafeMutableRawPointer, _ dstCount: Int) throws(FloeError) {
        guard dstCount <= Int(Int32.max) else {
            throw FloeError.corrupt("LZ4_RAW page of \(dstCount) bytes exceeds the 2 GiB block limit")
        }
        guard let n = decompressBlock(src, srcCount, dst, dstCount) else {
            throw FloeError.corrupt("LZ4_RAW block of \(srcCount) bytes is corrupt or decompresses to more than \(dstCount) bytes")
        }
        guard n == dstCount else { throw FloeError.corrupt("LZ4_RAW block decompresses to \(n) bytes, expected \(dstCount)") }
    }

    /// The worst-case size of one raw block holding `count` bytes.
    static func blockBound(_ count: Int) -> Int? {
        guard count <= maxBlockInput else { return nil }
        return Int(LZ4_compressBound(Int32(count)))
    }

    /// Compresses one raw block (`srcCount` ≤ ``maxBlockInput``); returns its size.
    static func compressBlock(_ src: UnsafeRawPointer, _ srcCount: Int,
                              _ dst: UnsafeMutableRawPointer, _ dstCapacity: Int) throws(FloeError) -> Int {
        let r = LZ4_compress_default(src.assumingMemoryBound(to: CChar.self), dst.assumingMemoryBound(to: CChar.self),
                                     Int32(srcCount), Int32(min(dstCapacity, Int(Int32.max))))
        guard r > 0 else { throw FloeError.invalidArgument("LZ4 compression of \(srcCount) bytes failed") }
        return Int(r)
    }

    // MARK: LZ4 (codec 5): Hadoop framing, raw block, frame

    /// Decompresses the LZ4 codec: the Hadoop framing first, then a bare raw block, then an
    /// LZ4 frame — whichever yields exactly `dstCount` bytes and consumes all the input.
    static func decompressLegacy(_ frameContext: inout OpaquePointer?, _ src: UnsafeRawPointer, _ srcCount: Int,
                                 _ dst: UnsafeMutableRawPointer, _ dstCount: Int) throws(FloeError) {
        if decompressHadoop(src, srcCount, dst, dstCount) { return }
        if dstCount <= Int(Int32.max), decompressBlock(src, srcCount, dst, dstCount) == dstCount { return }
        if srcCount >= 4, isFrameMagic(src.loadUnaligned(as: UInt32.self).littleEndian) {
            try decompressFrames(&frameContext, src, srcCount, dst, dstCount)
            return
        }
        throw FloeError.corrupt(
            "LZ4 data of \(srcCount) bytes is neither Hadoop-framed LZ4, a raw LZ4 block nor an LZ4 frame that decompresses to \(dstCount) bytes")
    }

    /// The Hadoop framing: blocks of [uncompressed size: u32 BE] followed by one or more
    /// [compressed size: u32 BE][raw LZ4 block] until the block's uncompressed size is reached.
    /// Returns false (without throwing) if the data does not parse exactly this way.
    static func decompressHadoop(_ src: UnsafeRawPointer, _ srcCount: Int,
                                 _ dst: UnsafeMutableRawPointer, _ dstCount: Int) -> Bool {
        var inPos = 0
        var outPos = 0
        while inPos < srcCount {
            guard srcCount - inPos >= 8 else { return false }
            let blockSize = Int(UInt32(bigEndian: src.loadUnaligned(fromByteOffset: inPos, as: UInt32.self)))
            inPos += 4
            guard blockSize <= dstCount - outPos else { return false }
            let blockEnd = outPos + blockSize
            repeat {
                guard srcCount - inPos >= 4 else { return false }
                let chunk = Int(UInt32(bigEndian: src.loadUnaligned(fromByteOffset: inPos, as: UInt32.self)))
                inPos += 4
                guard chunk > 0, chunk <= srcCount - inPos,
                      let n = decompressBlock(src + inPos, chunk, dst + outPos, blockEnd - outPos) else { return false }
                inPos += chunk
                outPos += n
                // A chunk that adds nothing to a non-empty block cannot be Hadoop framing.
                guard n > 0 || blockSize == 0 else { return false }
            } while outPos < blockEnd
        }
        return outPos == dstCount && inPos == srcCount
    }

    /// The worst-case Hadoop-framed size of `count` bytes.
    static func hadoopBound(_ count: Int) -> Int? {
        let blocks = max(1, (count + maxBlockInput - 1) / maxBlockInput)
        guard let perBlock = blockBound(min(count, maxBlockInput)) else { return nil }
        let (total, overflow) = (perBlock + 8).multipliedReportingOverflow(by: blocks)
        return overflow ? nil : total
    }

    /// Compresses in the Hadoop framing: one block (one chunk) per `maxBlockInput` bytes of
    /// input, so in practice one block per page. Returns the size written.
    static func compressHadoop(_ src: UnsafeRawPointer, _ srcCount: Int,
                               _ dst: UnsafeMutableRawPointer, _ dstCapacity: Int) throws(FloeError) -> Int {
        var inPos = 0
        var outPos = 0
        repeat {
            let take = min(srcCount - inPos, maxBlockInput)
            guard dstCapacity - outPos >= 8 else { throw FloeError.invalidArgument("LZ4 output buffer too small") }
            let n = try compressBlock(src + inPos, take, dst + outPos + 8, dstCapacity - outPos - 8)
            dst.storeBytes(of: UInt32(take).bigEndian, toByteOffset: outPos, as: UInt32.self)
            dst.storeBytes(of: UInt32(n).bigEndian, toByteOffset: outPos + 4, as: UInt32.self)
            inPos += take
            outPos += 8 + n
        } while inPos < srcCount
        return outPos
    }

    // MARK: Frames

    private static func isFrameMagic(_ magic: UInt32) -> Bool {
        magic == frameMagic || magic & 0xFFFF_FFF0 == 0x184D_2A50  // standard or skippable frame
    }

    /// Decompresses one or more LZ4 frames into exactly `dstCount` bytes with a reused context.
    static func decompressFrames(_ context: inout OpaquePointer?, _ src: UnsafeRawPointer, _ srcCount: Int,
                                 _ dst: UnsafeMutableRawPointer, _ dstCount: Int) throws(FloeError) {
        let dctx: OpaquePointer
        if let existing = context {
            LZ4F_resetDecompressionContext(existing)
            dctx = existing
        } else {
            var created: OpaquePointer?
            let r = LZ4F_createDecompressionContext(&created, UInt32(LZ4F_VERSION))
            guard LZ4F_isError(r) == 0, let created else {
                throw FloeError(.limitExceeded, "cannot allocate an LZ4 frame context")
            }
            context = created
            dctx = created
        }
        var inPos = 0
        var outPos = 0
        var frameComplete = false
        while inPos < srcCount {
            var srcSize = srcCount - inPos
            var dstSize = dstCount - outPos
            let hint = LZ4F_decompress(dctx, dst + outPos, &dstSize, src + inPos, &srcSize, nil)
            if LZ4F_isError(hint) != 0 {
                LZ4F_resetDecompressionContext(dctx)
                let why = LZ4F_getErrorName(hint).map { String(cString: $0) } ?? "error"
                throw FloeError.corrupt("LZ4 frame data of \(srcCount) bytes is corrupt: \(why)")
            }
            inPos += srcSize
            outPos += dstSize
            frameComplete = hint == 0
            if srcSize == 0 && dstSize == 0 {
                LZ4F_resetDecompressionContext(dctx)
                throw FloeError.corrupt(outPos == dstCount
                    ? "LZ4 frame data decompresses to more than the expected \(dstCount) bytes"
                    : "LZ4 frame data of \(srcCount) bytes is truncated")
            }
        }
        guard frameComplete else {
            LZ4F_resetDecompressionContext(dctx)
            throw FloeError.corrupt(outPos == dstCount
                ? "LZ4 frame data decompresses to more than the expected \(dstCount) bytes"
                : "LZ4 frame data of \(srcCount) bytes is truncated")
        }
        guard outPos == dstCount else {
            throw FloeError.corrupt("LZ4 frame data decompresses to \(outPos) bytes, expected \(dstCount)")
        }
    }
}
