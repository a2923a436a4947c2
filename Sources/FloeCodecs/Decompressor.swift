import CLZ4
import CZlib
import CZstd
import FloeCore

/// Reusable decompression state: holds the zstd, zlib and LZ4-frame contexts so a reader
/// decompressing page after page allocates them once.
///
/// A value type: a copy starts with fresh contexts the first time it is used, so copies never
/// share C state. Not for concurrent use; give each task its own.
public struct Decompressor {
    private var contexts: DecompressionContexts

    /// Creates a decompressor; the C contexts are created on first use.
    public init() { contexts = DecompressionContexts() }

    /// Decompresses `input`, a page body compressed with `kind`, into exactly `output.count`
    /// bytes.
    ///
    /// If `output` is empty it returns without looking at `input`. No codec writes beyond
    /// `output` or allocates in proportion to what the data claims.
    /// - Throws: ``FloeError`` `.corrupt` if the data is malformed, empty while output is
    ///   expected, or does not decompress to exactly `output.count` bytes; `.unsupported` for
    ///   LZO.
    public mutating func decompress(_ kind: CompressionKind, _ input: UnsafeRawBufferPointer,
                                    into output: UnsafeMutableRawBufferPointer) throws(FloeError) {
        guard output.count > 0, let dst = output.baseAddress else { return }
        guard kind != .lzo else { throw FloeError.unsupported("LZO compression") }
        guard input.count > 0, let src = input.baseAddress else {
            throw FloeError.corrupt("\(kind.name) page body is empty but should decompress to \(output.count) bytes")
        }
        if !isKnownUniquelyReferenced(&contexts) { contexts = DecompressionContexts() }
        switch kind {
        case .uncompressed:
            guard input.count == output.count else {
                throw FloeError.corrupt("uncompressed page body has \(input.count) bytes, expected \(output.count)")
            }
            dst.copyMemory(from: src, byteCount: input.count)
        case .snappy:
            try Snappy.decompress(src, input.count, dst, output.count)
        case .gzip:
            try Gzip.decompress(try contexts.inflateStream(), src, input.count, dst, output.count)
        case .brotli:
            try Brotli.decompress(src, input.count, dst, output.count)
        case .lz4:
            try LZ4.decompressLegacy(&contexts.lz4Frame, src, input.count, dst, output.count)
        case .zstd:
            try Zstd.decompress(try contexts.zstdContext(), src, input.count, dst, output.count)
        case .lz4Raw:
            try LZ4.decompressRaw(src, input.count, dst, output.count)
        case .lzo:
            throw FloeError.unsupported("LZO compression")
        }
    }

    /// Decompresses `input` into a new array of exactly `uncompressedSize` bytes.
    ///
    /// Sizes that the codec cannot reach from `input.count` bytes (see
    /// ``CompressionKind/maximumDecompressedSize(compressedSize:)``) are rejected before the
    /// array is allocated.
    /// - Throws: ``FloeError`` `.corrupt` as ``decompress(_:_:into:)`` does, and for a negative
    ///   or unreachable `uncompressedSize`.
    public mutating func decompress(_ kind: CompressionKind, _ input: [UInt8],
                                    uncompressedSize: Int) throws(FloeError) -> [UInt8] {
        guard uncompressedSize >= 0 else {
            throw FloeError.corrupt("negative uncompressed size \(uncompressedSize)")
        }
        if uncompressedSize == 0 { return [] }
        guard kind != .lzo else { throw FloeError.unsupported("LZO compression") }
        if let limit = kind.maximumDecompressedSize(compressedSize: input.count), uncompressedSize > limit {
            throw FloeError.corrupt(
                "\(kind.name) data of \(input.count) bytes cannot decompress to the expected \(uncompressedSize) bytes")
        }
        var failure: FloeError?
        let result = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, count in
            do throws(FloeError) {
                try input.withUnsafeBufferPointer { (src) throws(FloeError) in
                    try decompress(kind, UnsafeRawBufferPointer(src), into: UnsafeMutableRawBufferPointer(buffer))
                }
                count = uncompressedSize
            } catch {
                failure = error
                count = 0
            }
        }
        if let failure { throw failure }
        return result
    }
}

/// The C contexts behind a ``Decompressor``, created lazily and freed on deinit.
private final class DecompressionContexts {
    var zstd: OpaquePointer?
    var inflate: UnsafeMutablePointer<z_stream>?
    var lz4Frame: OpaquePointer?

    init() {}

    func zstdContext() throws(FloeError) -> OpaquePointer {
        if let zstd { return zstd }
        guard let created = ZSTD_createDCtx() else { throw FloeError(.limitExceeded, "cannot allocate a ZSTD context") }
        zstd = created
        return created
    }

    func inflateStream() throws(FloeError) -> UnsafeMutablePointer<z_stream> {
        if let inflate { return inflate }
        let created = try Gzip.makeInflateStream()
        inflate = created
        return created
    }

    deinit {
        if let zstd { ZSTD_freeDCtx(zstd) }
        if let inflate { Gzip.freeInflateStream(inflate) }
        if let lz4Frame { LZ4F_freeDecompressionContext(lz4Frame) }
    }
}
