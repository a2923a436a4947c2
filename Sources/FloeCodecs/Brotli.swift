import CBrotli
import FloeCore

/// Brotli through libbrotlidec/libbrotlienc.
///
/// libbrotli 1.0 has no way to reset a decoder or encoder, so each call creates its own state;
/// the decoder's ring buffer is bounded by the format's window (at most 16 MiB).
enum Brotli {
    /// The accepted quality range.
    static let levels = 0...11
    /// The default quality: a fast setting, in the spirit of Parquet writers' defaults.
    static let defaultLevel = 1

    /// Decompresses exactly one brotli stream into exactly `dstCount` bytes.
    static func decompress(_ src: UnsafeRawPointer, _ srcCount: Int,
                           _ dst: UnsafeMutableRawPointer, _ dstCount: Int) throws(FloeError) {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else {
            throw FloeError(.limitExceeded, "cannot allocate a brotli decoder")
        }
        defer { BrotliDecoderDestroyInstance(state) }
        var availIn = srcCount
        var nextIn: UnsafePointer<UInt8>? = src.assumingMemoryBound(to: UInt8.self)
        var availOut = dstCount
        var nextOut: UnsafeMutablePointer<UInt8>? = dst.assumingMemoryBound(to: UInt8.self)
        let r = BrotliDecoderDecompressStream(state, &availIn, &nextIn, &availOut, &nextOut, nil)
        switch r {
        case BROTLI_DECODER_RESULT_SUCCESS:
            guard availIn == 0 else {
                throw FloeError.corrupt("BROTLI data has \(availIn) bytes after the end of the stream")
            }
            guard availOut == 0 else {
                throw FloeError.corrupt("BROTLI data decompresses to \(dstCount - availOut) bytes, expected \(dstCount)")
            }
        case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
            throw FloeError.corrupt("BROTLI data decompresses to more than the expected \(dstCount) bytes")
        case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
            throw FloeError.corrupt("BROTLI data of \(srcCount) bytes is truncated")
        default:
            let code = BrotliDecoderGetErrorCode(state)
            let why = BrotliDecoderErrorString(code).map { String(cString: $0) } ?? "error"
            throw FloeError.corrupt("BROTLI data of \(srcCount) bytes is corrupt: \(why)")
        }
    }

    /// The worst-case compressed size of `count` bytes, or nil if it overflows.
    static func bound(_ count: Int) -> Int? {
        let b = BrotliEncoderMaxCompressedSize(count)
        return b == 0 ? nil : b
    }

    /// Compresses at `quality` into `dst` (at least ``bound(_:)`` bytes); returns the size.
    static func compress(quality: Int, _ src: UnsafeRawPointer, _ srcCount: Int,
                         _ dst: UnsafeMutableRawPointer, _ dstCapacity: Int) throws(FloeError) -> Int {
        var produced = dstCapacity
        let ok = BrotliEncoderCompress(Int32(quality), BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, srcCount,
                                       src.assumingMemoryBound(to: UInt8.self), &produced,
                                       dst.assumingMemoryBound(to: UInt8.self))
        guard ok == BROTLI_TRUE else {
            throw FloeError.invalidArgument("BROTLI compression of \(srcCount) bytes failed")
        }
        return produced
    }
}
