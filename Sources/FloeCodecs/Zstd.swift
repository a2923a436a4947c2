import CZstd
import FloeCore

/// Zstandard through a reused `ZSTD_DCtx` / `ZSTD_CCtx`.
enum Zstd {
    /// Decompresses one or more concatenated frames (content size known or not; skippable
    /// frames allowed) into exactly `dstCount` bytes. Single-pass: zstd writes straight into
    /// `dst` and allocates nothing proportional to the claimed size.
    static func decompress(_ dctx: OpaquePointer, _ src: UnsafeRawPointer, _ srcCount: Int,
                           _ dst: UnsafeMutableRawPointer, _ dstCount: Int) throws(FloeError) {
        let r = ZSTD_decompressDCtx(dctx, dst, dstCount, src, srcCount)
        if ZSTD_isError(r) != 0 {
            if ZSTD_getErrorCode(r) == ZSTD_error_dstSize_tooSmall {
                throw FloeError.corrupt("ZSTD data decompresses to more than the expected \(dstCount) bytes")
            }
            throw FloeError.corrupt("ZSTD data of \(srcCount) bytes is corrupt: \(errorName(r))")
        }
        guard r == dstCount else {
            throw FloeError.corrupt("ZSTD data decompresses to \(r) bytes, expected \(dstCount)")
        }
    }

    /// The worst-case compressed size of `count` bytes, or nil if it overflows.
    static func bound(_ count: Int) -> Int? {
        let b = ZSTD_compressBound(count)
        return ZSTD_isError(b) != 0 || b == 0 ? nil : b
    }

    /// Compresses into `dst` (at least `bound(srcCount)` bytes) as one frame that records its
    /// content size; returns the frame's size.
    static func compress(_ cctx: OpaquePointer, _ src: UnsafeRawPointer, _ srcCount: Int,
                         _ dst: UnsafeMutableRawPointer, _ dstCapacity: Int) throws(FloeError) -> Int {
        let r = ZSTD_compress2(cctx, dst, dstCapacity, src, srcCount)
        guard ZSTD_isError(r) == 0 else {
            throw FloeError(.invalidArgument, "ZSTD compression of \(srcCount) bytes failed: \(errorName(r))")
        }
        return r
    }

    /// Creates a compression context at `level`; the level was validated by the caller.
    static func makeCompressionContext(level: Int) throws(FloeError) -> OpaquePointer {
        guard let cctx = ZSTD_createCCtx() else { throw FloeError(.limitExceeded, "cannot allocate a ZSTD context") }
        let r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Int32(truncatingIfNeeded: level))
        guard ZSTD_isError(r) == 0 else {
            ZSTD_freeCCtx(cctx)
            throw FloeError.invalidArgument("invalid ZSTD compression level \(level): \(errorName(r))")
        }
        return cctx
    }

    /// The accepted level range (zstd's negative "fast" levels up to 22).
    static var levels: ClosedRange<Int> { Int(ZSTD_minCLevel())...Int(ZSTD_maxCLevel()) }

    private static func errorName(_ code: Int) -> String {
        guard let name = ZSTD_getErrorName(code) else { return "error \(code)" }
        return String(cString: name)
    }
}
