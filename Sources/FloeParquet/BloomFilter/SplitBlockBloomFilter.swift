#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FloeCore
import FloeFormat

/// A Parquet split block bloom filter (SBBF): `numBlocks` blocks of eight 32-bit words.
///
/// A 64-bit hash (``XXHash64`` of the value's plain encoding, see ``hash(int64:)`` and friends)
/// selects a block with its upper 32 bits, `((hash >> 32) * numBlocks) >> 32`; its lower 32 bits,
/// multiplied by eight odd salt constants, select one bit in each word of that block.
///
/// The bitset is kept exactly as it is stored in a file: words in little-endian byte order.
///
/// ```swift
/// var filter = SplitBlockBloomFilter(numBytes: SplitBlockBloomFilter.optimalNumBytes(
///     distinctValues: 1000, falsePositiveProbability: 0.01))
/// filter.insert(hash: SplitBlockBloomFilter.hash(string: "parquet"))
/// filter.mightContain(hash: SplitBlockBloomFilter.hash(string: "parquet")) // true
/// ```
public struct SplitBlockBloomFilter: Sendable, Equatable, CustomStringConvertible {
    /// The size of one block in bytes.
    public static let bytesPerBlock = 32
    /// The smallest bitset ``init(numBytes:)`` creates: one block.
    public static let minimumBytes = 32
    /// The largest bitset ``init(numBytes:)`` creates: 128 MiB.
    public static let maximumBytes = 128 << 20

    /// The bitset: `numBlocks` blocks of eight little-endian 32-bit words.
    public private(set) var bitset: [UInt8]

    /// The size of the bitset in bytes (a positive multiple of 32).
    @inlinable public var numBytes: Int { bitset.count }
    /// The number of 32-byte blocks.
    @inlinable public var numBlocks: Int { bitset.count >> 5 }

    /// An empty filter of `numBytes` bytes, rounded up to a power of two and clamped to
    /// ``minimumBytes``...``maximumBytes``.
    public init(numBytes: Int) {
        bitset = [UInt8](repeating: 0, count: Self.powerOfTwoSize(atLeast: numBytes))
    }

    /// A filter over an existing bitset (for example one read from a file).
    ///
    /// Any positive multiple of 32 bytes is accepted (the format allows any block count below
    /// 2³¹), not only powers of two. Throws `.corrupt` otherwise.
    public init(bitset: [UInt8]) throws(FloeError) {
        guard !bitset.isEmpty, bitset.count % Self.bytesPerBlock == 0 else {
            throw FloeError.corrupt("bloom filter bitset of \(bitset.count) bytes is not a positive multiple of 32")
        }
        guard bitset.count >> 5 < (1 << 31) else {
            throw FloeError.corrupt("bloom filter bitset of \(bitset.count) bytes has 2^31 blocks or more")
        }
        self.bitset = bitset
    }

    /// A short summary (the bitset itself can be megabytes).
    public var description: String {
        "SplitBlockBloomFilter(numBytes: \(numBytes), setBits: \(setBitCount))"
    }

    // MARK: - Sizing

    /// The bitset size the Parquet specification recommends for `distinctValues` distinct values
    /// at a false positive probability `p`: `-8 · n / ln(1 - p^(1/8))` bits, rounded up to a
    /// power of two of bytes within ``minimumBytes``...``maximumBytes``.
    ///
    /// A probability of 1 or more (or a count of 0 or less) gives the minimum; a probability of
    /// 0 or less, or NaN, gives the maximum.
    public static func optimalNumBytes(distinctValues: Int, falsePositiveProbability p: Double) -> Int {
        guard distinctValues > 0, !(p >= 1) else { return minimumBytes }
        guard p > 0 else { return maximumBytes }
        let denominator = log(1 - pow(p, 1.0 / 8))
        guard denominator < 0 else { return maximumBytes }
        let bits = -8 * Double(distinctValues) / denominator
        let bytes = (bits / 8).rounded(.up)
        guard bytes.isFinite, bytes < Double(maximumBytes) else { return maximumBytes }
        return powerOfTwoSize(atLeast: Int(bytes))
    }

    /// `n` rounded up to a power of two within ``minimumBytes``...``maximumBytes``.
    static func powerOfTwoSize(atLeast n: Int) -> Int {
        if n <= minimumBytes { return minimumBytes }
        if n >= maximumBytes { return maximumBytes }
        return 1 << (Int.bitWidth - (n - 1).leadingZeroBitCount)
    }

    /// `n` rounded down to a power of two within ``minimumBytes``...``maximumBytes``.
    static func powerOfTwoSize(atMost n: Int) -> Int {
        if n <= minimumBytes { return minimumBytes }
        if n >= maximumBytes { return maximumBytes }
        return 1 << (Int.bitWidth - 1 - n.leadingZeroBitCount)
    }

    // MARK: - Insert and check

    /// The eight salt constants of the specification, one per word of a block.
    @usableFromInline static let salt = SIMD8<UInt32>(
        0x47B6_137B, 0x4497_4D91, 0x8824_AD5B, 0xA2B7_289D,
        0x7054_95C7, 0x2DF1_424B, 0x9EFC_4947, 0x5C6B_FB31)

    /// The block pattern of `key`: one bit set in each of the eight words.
    @inline(__always)
    static func mask(_ key: UInt32) -> SIMD8<UInt32> {
        let products = SIMD8<UInt32>(repeating: key) &* salt
        return SIMD8<UInt32>(repeating: 1) &<< (products &>> 27)
    }

    /// The byte offset of the block that `hash` selects among `numBlocks` (< 2³²) blocks.
    @inline(__always)
    static func blockOffset(_ hash: UInt64, numBlocks: Int) -> Int {
        Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(truncatingIfNeeded: numBlocks)) >> 32) &<< 5
    }

    @inline(__always)
    static func loadBlock(_ raw: UnsafeRawPointer, _ offset: Int) -> SIMD8<UInt32> {
        let block = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt32>.self)
        #if _endian(big)
        var swapped = block
        for i in 0..<8 { swapped[i] = block[i].byteSwapped }
        return swapped
        #else
        return block
        #endif
    }

    @inline(__always)
    static func storeBlock(_ block: SIMD8<UInt32>, _ raw: UnsafeMutableRawPointer, _ offset: Int) {
        #if _endian(big)
        var swapped = block
        for i in 0..<8 { swapped[i] = block[i].byteSwapped }
        raw.storeBytes(of: swapped, toByteOffset: offset, as: SIMD8<UInt32>.self)
        #else
        raw.storeBytes(of: block, toByteOffset: offset, as: SIMD8<UInt32>.self)
        #endif
    }

    /// Inserts a hash: the `filter_insert` operation of the specification.
    public mutating func insert(hash: UInt64) {
        let blocks = numBlocks
        bitset.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            let offset = Self.blockOffset(hash, numBlocks: blocks)
            let block = Self.loadBlock(base, offset) | Self.mask(UInt32(truncatingIfNeeded: hash))
            Self.storeBlock(block, base, offset)
        }
    }

    /// Inserts many hashes.
    public mutating func insert(hashes: UnsafeBufferPointer<UInt64>) {
        let blocks = numBlocks
        bitset.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            for hash in hashes {
                let offset = Self.blockOffset(hash, numBlocks: blocks)
                let block = Self.loadBlock(base, offset) | Self.mask(UInt32(truncatingIfNeeded: hash))
                Self.storeBlock(block, base, offset)
            }
        }
    }

    /// Inserts many hashes.
    public mutating func insert(hashes: [UInt64]) {
        hashes.withUnsafeBufferPointer { insert(hashes: $0) }
    }

    /// False when the value of this hash was certainly never inserted; true when it probably was.
    /// The `filter_check` operation of the specification.
    public func mightContain(hash: UInt64) -> Bool {
        bitset.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            let mask = Self.mask(UInt32(truncatingIfNeeded: hash))
            let block = Self.loadBlock(base, Self.blockOffset(hash, numBlocks: numBlocks))
            return (block & mask) == mask
        }
    }

    /// The number of set bits (a measure of how full the filter is).
    public var setBitCount: Int {
        bitset.withUnsafeBytes { raw in
            var total = 0
            var p = 0
            while p &+ 8 <= raw.count {
                total &+= raw.loadUnaligned(fromByteOffset: p, as: UInt64.self).nonzeroBitCount
                p &+= 8
            }
            return total
        }
    }

    /// This filter folded to `numBytes` bytes: block `i` of the result is the union of the blocks
    /// that map to it. For power-of-two sizes the result is exactly the filter the same hashes
    /// would have built at the smaller size (the smaller filter's block index is the larger's
    /// shifted right). Nil unless both sizes are powers of two and `numBytes` is not larger.
    func folded(toNumBytes target: Int) -> SplitBlockBloomFilter? {
        let size = numBytes
        guard target >= Self.minimumBytes, target <= size, target.nonzeroBitCount == 1,
              size.nonzeroBitCount == 1 else { return nil }
        if target == size { return self }
        let factor = size / target
        var out = SplitBlockBloomFilter(numBytes: target)
        out.bitset.withUnsafeMutableBytes { dst in
            bitset.withUnsafeBytes { src in
                guard let d = dst.baseAddress, let s = src.baseAddress else { return }
                for i in 0..<(target >> 5) {
                    var block = SIMD8<UInt32>(repeating: 0)
                    for j in 0..<factor { block |= Self.loadBlock(s, (i &* factor &+ j) &<< 5) }
                    Self.storeBlock(block, d, i &<< 5)
                }
            }
        }
        return out
    }

    // MARK: - Serialization

    /// The header describing this filter: split block, xxHash, uncompressed.
    public var header: BloomFilterHeader {
        BloomFilterHeader(numBytes: Int32(truncatingIfNeeded: numBytes), algorithm: .splitBlock, hash: .xxHash,
                          compression: .uncompressed)
    }

    /// The bytes stored in a file at a column chunk's `bloom_filter_offset`: the compact-protocol
    /// ``BloomFilterHeader`` followed by the bitset. Its count is the `bloom_filter_length`.
    public func serialized() -> [UInt8] {
        var out = header.encoded()
        out.append(contentsOf: bitset)
        return out
    }

    /// Decodes and validates a bloom filter header at the start of `bytes`.
    ///
    /// The algorithm must be split block, the hash xxHash and the compression none (otherwise
    /// `.unsupported`); `numBytes` must be a positive multiple of 32 (otherwise `.corrupt`).
    /// The bitset itself need not be in `bytes`.
    ///
    /// - Parameter baseOffset: the file offset of `bytes[0]`, for error locations.
    /// - Returns: the bitset size and the header's length in bytes.
    public static func readHeader(from bytes: [UInt8], baseOffset: Int = 0) throws(FloeError)
        -> (numBytes: Int, headerLength: Int) {
        let (header, length) = try BloomFilterHeader.decode(bytes, at: 0, baseOffset: baseOffset, maxDepth: 8)
        guard header.algorithm == .splitBlock else {
            throw FloeError.unsupported("bloom filter algorithm \(header.algorithm) (only split block)")
                .at(Location(offset: baseOffset))
        }
        guard header.hash == .xxHash else {
            throw FloeError.unsupported("bloom filter hash \(header.hash) (only xxHash)").at(Location(offset: baseOffset))
        }
        guard header.compression == .uncompressed else {
            throw FloeError.unsupported("bloom filter compression \(header.compression) (only uncompressed)")
                .at(Location(offset: baseOffset))
        }
        let numBytes = Int(header.numBytes)
        guard numBytes > 0, numBytes % bytesPerBlock == 0 else {
            throw FloeError.corrupt("bloom filter size \(numBytes) is not a positive multiple of 32", offset: baseOffset)
        }
        return (numBytes, length)
    }

    /// Reads a filter stored as header + bitset at the start of `bytes` (see ``serialized()``).
    ///
    /// `bytes` may run past the filter (when a file does not record `bloom_filter_length`, read
    /// a window and the header tells the size); a bitset that does not fit is `.corrupt`.
    ///
    /// - Parameter baseOffset: the file offset of `bytes[0]`, for error locations.
    public static func read(from bytes: [UInt8], baseOffset: Int = 0) throws(FloeError) -> SplitBlockBloomFilter {
        let (numBytes, headerLength) = try readHeader(from: bytes, baseOffset: baseOffset)
        let available = bytes.count - headerLength
        guard numBytes <= available else {
            throw FloeError.corrupt("bloom filter bitset of \(numBytes) bytes exceeds the \(available) bytes available",
                                    offset: baseOffset + headerLength)
        }
        return try SplitBlockBloomFilter(bitset: Array(bytes[headerLength..<(headerLength + numBytes)]))
    }
}
