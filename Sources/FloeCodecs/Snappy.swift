import CSnappy
import FloeCore

/// Snappy's raw format through the C API of libsnappy.
enum Snappy {
    /// Decompresses into exactly `dstCount` bytes; the length prefix is checked first, so a
    /// wrong size is rejected before any decoding.
    static func decompress(_ src: UnsafeRawPointer, _ srcCount: Int,
                           _ dst: UnsafeMutableRawPointer, _ dstCount: Int) throws(FloeError) {
        let input = src.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard snappy_uncompressed_length(input, srcCount, &length) == SNAPPY_OK else {
            throw FloeError.corrupt("SNAPPY data of \(srcCount) bytes has a malformed length prefix")
        }
        guard length == dstCount else {
            throw FloeError.corrupt("SNAPPY data declares \(length) uncompressed bytes, expected \(dstCount)")
        }
        var produced = dstCount
        guard snappy_uncompress(input, srcCount, dst.assumingMemoryBound(to: CChar.self), &produced) == SNAPPY_OK else {
            throw FloeError.corrupt("SNAPPY data of \(srcCount) bytes is corrupt")
        }
        guard produced == dstCount else {
            throw FloeError.corrupt("SNAPPY data decompresses to \(produced) bytes, expected \(dstCount)")
        }
    }

    /// The worst-case compressed size of `count` bytes, or nil if snappy cannot hold it.
    static func bound(_ count: Int) -> Int? {
        guard count <= Int(UInt32.max) else { return nil }  // snappy's length prefix is 32-bit
        return snappy_max_compressed_length(count)
    }

    /// Compresses into `dst` (at least ``bound(_:)`` bytes); returns the compressed size.
    static func compress(_ src: UnsafeRawPointer, _ srcCount: Int,
                         _ dst: UnsafeMutableRawPointer, _ dstCapacity: Int) throws(FloeError) -> Int {
        var produced = dstCapacity
        guard snappy_compress(src.assumingMemoryBound(to: CChar.self), srcCount,
                              dst.assumingMemoryBound(to: CChar.self), &produced) == SNAPPY_OK else {
            throw FloeError.invalidArgument("SNAPPY compression of \(srcCount) bytes failed")
        }
        return produced
    }
}
