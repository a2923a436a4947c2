import CZlib
import FloeCore

/// GZIP through zlib, with one reused `z_stream` per direction.
///
/// Reading accepts gzip members (also several concatenated), zlib streams and, as a fallback,
/// raw deflate. Writing produces one gzip member per call.
enum Gzip {
    /// windowBits for inflate: 15-bit window, automatic gzip/zlib header detection.
    static let autoHeaderWindowBits: Int32 = 15 + 32
    /// windowBits for raw deflate (no header, no trailer).
    static let rawWindowBits: Int32 = -15
    /// windowBits for deflate writing the gzip wrapper.
    static let gzipWindowBits: Int32 = 15 + 16
    /// zlib takes `uInt` lengths; longer buffers are fed in pieces of at most this size.
    private static let maxChunk = Int(UInt32.max)

    /// Allocates and initialises an inflate stream (auto header detection).
    static func makeInflateStream() throws(FloeError) -> UnsafeMutablePointer<z_stream> {
        let strm = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        strm.initialize(to: z_stream())
        guard floe_inflateInit2(strm, autoHeaderWindowBits) == Z_OK else {
            strm.deinitialize(count: 1)
            strm.deallocate()
            throw FloeError(.limitExceeded, "cannot initialise a zlib inflate stream")
        }
        return strm
    }

    /// Allocates and initialises a deflate stream writing gzip at `level` (0...9).
    static func makeDeflateStream(level: Int) throws(FloeError) -> UnsafeMutablePointer<z_stream> {
        let strm = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        strm.initialize(to: z_stream())
        let r = floe_deflateInit2(strm, Int32(truncatingIfNeeded: level), gzipWindowBits, 8, Z_DEFAULT_STRATEGY)
        guard r == Z_OK else {
            strm.deinitialize(count: 1)
            strm.deallocate()
            throw FloeError.invalidArgument("cannot initialise a gzip deflate stream at level \(level) (zlib code \(r))")
        }
        return strm
    }

    /// Releases a stream made by ``makeInflateStream()``.
    static func freeInflateStream(_ strm: UnsafeMutablePointer<z_stream>) {
        inflateEnd(strm)
        strm.deinitialize(count: 1)
        strm.deallocate()
    }

    /// Releases a stream made by ``makeDeflateStream(level:)``.
    static func freeDeflateStream(_ strm: UnsafeMutablePointer<z_stream>) {
        deflateEnd(strm)
        strm.deinitialize(count: 1)
        strm.deallocate()
    }

    /// Decompresses into exactly `dstCount` bytes. Tries gzip/zlib (several members allowed),
    /// then, if the data starts with neither header, raw deflate.
    static func decompress(_ strm: UnsafeMutablePointer<z_stream>, _ src: UnsafeRawPointer, _ srcCount: Int,
                           _ dst: UnsafeMutableRawPointer, _ dstCount: Int) throws(FloeError) {
        let first = inflateAll(strm, windowBits: autoHeaderWindowBits, src, srcCount, dst, dstCount)
        guard case .failure(let error) = first else { return }
        let looksLikeGzip = srcCount >= 2 && src.load(as: UInt8.self) == 0x1f
            && src.load(fromByteOffset: 1, as: UInt8.self) == 0x8b
        if case .malformed = error.kind, !looksLikeGzip {
            if case .success = inflateAll(strm, windowBits: rawWindowBits, src, srcCount, dst, dstCount) { return }
        }
        throw FloeError.corrupt(error.message(srcCount: srcCount, dstCount: dstCount))
    }

    /// Why inflating failed.
    struct InflateFailure: Error {
        enum Kind { case malformed(String), tooLong, truncated, short(Int) }
        var kind: Kind

        func message(srcCount: Int, dstCount: Int) -> String {
            switch kind {
            case .malformed(let why): "GZIP data of \(srcCount) bytes is corrupt: \(why)"
            case .tooLong: "GZIP data decompresses to more than the expected \(dstCount) bytes"
            case .truncated: "GZIP data of \(srcCount) bytes is truncated (decompressed less than the expected \(dstCount) bytes)"
            case .short(let n): "GZIP data decompresses to \(n) bytes, expected \(dstCount)"
            }
        }
    }

    /// Inflates every member/stream in `src` into `dst`, requiring that input and output are
    /// both consumed exactly.
    private static func inflateAll(_ strm: UnsafeMutablePointer<z_stream>, windowBits: Int32,
                                   _ src: UnsafeRawPointer, _ srcCount: Int,
                                   _ dst: UnsafeMutableRawPointer, _ dstCount: Int) -> Result<Void, InflateFailure> {
        guard inflateReset2(strm, windowBits) == Z_OK else {
            return .failure(InflateFailure(kind: .malformed("cannot reset the inflate stream")))
        }
        let input = src.assumingMemoryBound(to: UInt8.self)
        let output = dst.assumingMemoryBound(to: UInt8.self)
        var inPos = 0
        var outPos = 0
        while true {
            let inChunk = min(srcCount - inPos, maxChunk)
            let outChunk = min(dstCount - outPos, maxChunk)
            strm.pointee.next_in = UnsafePointer(input + inPos)
            strm.pointee.avail_in = UInt32(truncatingIfNeeded: inChunk)
            strm.pointee.next_out = output + outPos
            strm.pointee.avail_out = UInt32(truncatingIfNeeded: outChunk)
            let ret = inflate(strm, Z_NO_FLUSH)
            let consumed = inChunk - Int(strm.pointee.avail_in)
            let produced = outChunk - Int(strm.pointee.avail_out)
            inPos += consumed
            outPos += produced
            switch ret {
            case Z_STREAM_END:
                if inPos == srcCount {
                    return outPos == dstCount ? .success(()) : .failure(InflateFailure(kind: .short(outPos)))
                }
                // Another member (or stream) follows: a page may hold several concatenated.
                guard inflateReset(strm) == Z_OK else {
                    return .failure(InflateFailure(kind: .malformed("cannot reset the inflate stream")))
                }
            case Z_OK:
                if consumed == 0 && produced == 0 {
                    return .failure(InflateFailure(kind: outPos == dstCount ? .tooLong : .truncated))
                }
            case Z_BUF_ERROR:
                // No progress possible: either the output is full or the input ended early.
                if outPos == dstCount && inPos < srcCount { return .failure(InflateFailure(kind: .tooLong)) }
                return .failure(InflateFailure(kind: .truncated))
            case Z_NEED_DICT:
                return .failure(InflateFailure(kind: .malformed("the stream needs a preset dictionary")))
            default:
                let why = strm.pointee.msg.map { String(cString: $0) } ?? "zlib code \(ret)"
                return .failure(InflateFailure(kind: .malformed(why)))
            }
        }
    }

    /// Resets the deflate stream for a new member and returns the worst-case gzip size of
    /// `count` bytes (the bound depends on the stream being fresh: a finished stream no
    /// longer counts the gzip header), or nil if it overflows.
    static func beginMember(_ strm: UnsafeMutablePointer<z_stream>, _ count: Int) throws(FloeError) -> Int? {
        guard deflateReset(strm) == Z_OK else { throw FloeError.invalidArgument("cannot reset the gzip deflate stream") }
        let b = deflateBound(strm, UInt(count))
        return b > UInt(Int.max) ? nil : Int(b)
    }

    /// Compresses `src` as one gzip member into `dst` (at least the bound
    /// ``beginMember(_:_:)`` returned, which must be called first); returns the member's size.
    static func compress(_ strm: UnsafeMutablePointer<z_stream>, _ src: UnsafeRawPointer, _ srcCount: Int,
                         _ dst: UnsafeMutableRawPointer, _ dstCapacity: Int) throws(FloeError) -> Int {
        let input = src.assumingMemoryBound(to: UInt8.self)
        let output = dst.assumingMemoryBound(to: UInt8.self)
        var inPos = 0
        var outPos = 0
        while true {
            let inChunk = min(srcCount - inPos, maxChunk)
            let outChunk = min(dstCapacity - outPos, maxChunk)
            let flush = inPos + inChunk == srcCount ? Z_FINISH : Z_NO_FLUSH
            strm.pointee.next_in = UnsafePointer(input + inPos)
            strm.pointee.avail_in = UInt32(truncatingIfNeeded: inChunk)
            strm.pointee.next_out = output + outPos
            strm.pointee.avail_out = UInt32(truncatingIfNeeded: outChunk)
            let ret = deflate(strm, flush)
            let consumed = inChunk - Int(strm.pointee.avail_in)
            let produced = outChunk - Int(strm.pointee.avail_out)
            inPos += consumed
            outPos += produced
            if ret == Z_STREAM_END { return outPos }
            guard ret == Z_OK, consumed > 0 || produced > 0 else {
                throw FloeError.invalidArgument("gzip compression of \(srcCount) bytes failed (zlib code \(ret))")
            }
        }
    }
}
