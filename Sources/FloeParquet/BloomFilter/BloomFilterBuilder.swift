#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FloeCore
import FloeEncodings

/// Collects the values of one column chunk and builds its bloom filter, sized for the number of
/// distinct values seen.
///
/// Distinct hashes are kept in a compact hash set until there are more than ``distinctLimit``
/// of them; then the builder switches to a filter of `maxBytes` and inserts into it directly,
/// so memory stays bounded by about `maxBytes` whatever the chunk holds. At the end a saturated
/// filter is folded down to the size its estimated distinct count needs (folding a power-of-two
/// filter gives exactly the smaller filter the same values would have built).
///
/// ```swift
/// var builder = BloomFilterBuilder(maxBytes: 1 << 20)
/// try builder.insert(column.values, range: 0..<column.values.count)
/// let bytes = builder.serialized(falsePositiveProbability: 0.01) // header + bitset
/// // write `bytes` at some offset; set bloom_filter_offset and bloom_filter_length = bytes.count
/// ```
public struct BloomFilterBuilder: Sendable {
    /// The largest bitset this builder produces (a power of two, 32 bytes to 128 MiB).
    public let maxBytes: Int
    /// The number of distinct hashes tracked exactly before the builder saturates.
    public let distinctLimit: Int

    private var distinct: HashSet64
    private var saturatedFilter: SplitBlockBloomFilter?
    private var scratch: [UInt64] = []

    /// Creates a builder.
    ///
    /// - Parameters:
    ///   - maxBytes: the largest bitset to produce; rounded down to a power of two and clamped to
    ///     32 bytes...128 MiB.
    ///   - distinctLimit: how many distinct hashes to track exactly (default: `maxBytes / 16`,
    ///     which keeps the set no larger than the filter it stands in for).
    public init(maxBytes: Int = 1 << 20, distinctLimit: Int? = nil) {
        let maxBytes = SplitBlockBloomFilter.powerOfTwoSize(atMost: maxBytes)
        self.maxBytes = maxBytes
        self.distinctLimit = max(1, distinctLimit ?? maxBytes / 16)
        distinct = HashSet64()
    }

    /// True once more than ``distinctLimit`` distinct hashes were inserted.
    public var isSaturated: Bool { saturatedFilter != nil }

    /// The number of distinct hashes inserted: exact until saturation, an estimate from the
    /// filter's fill after it.
    public var distinctCount: Int {
        guard let filter = saturatedFilter else { return distinct.count }
        return max(distinctLimit + 1, Self.estimateDistinct(filter))
    }

    /// Inserts one hash (see `SplitBlockBloomFilter.hash(int64:)` and friends).
    public mutating func insert(hash: UInt64) {
        if saturatedFilter != nil {
            saturatedFilter?.insert(hash: hash)
            return
        }
        distinct.insert(hash)
        if distinct.count > distinctLimit { saturate() }
    }

    /// Inserts many hashes.
    public mutating func insert(hashes: UnsafeBufferPointer<UInt64>) {
        if saturatedFilter != nil {
            saturatedFilter?.insert(hashes: hashes)
            return
        }
        for (i, hash) in hashes.enumerated() {
            distinct.insert(hash)
            if distinct.count > distinctLimit {
                saturate()
                saturatedFilter?.insert(hashes: UnsafeBufferPointer(rebasing: hashes[(i + 1)...]))
                return
            }
        }
    }

    /// Inserts the values `values[range]` (non-null values only: the dense values of a column).
    ///
    /// Throws `.invalidArgument` for BOOLEAN values or a range outside the values.
    public mutating func insert(_ values: PhysicalValues, range: Range<Int>) throws(FloeError) {
        guard range.lowerBound >= 0, range.upperBound <= values.count else {
            throw FloeError.invalidArgument("value range \(range) lies outside the \(values.count) values")
        }
        let batch = 4096
        var start = range.lowerBound
        repeat {
            let end = min(start + batch, range.upperBound)
            scratch.removeAll(keepingCapacity: true)
            try SplitBlockBloomFilter.hash(values, range: start..<end, into: &scratch)
            let hashes = scratch
            scratch = []
            hashes.withUnsafeBufferPointer { insert(hashes: $0) }
            scratch = hashes
            start = end
        } while start < range.upperBound
    }

    /// Moves the tracked hashes into a `maxBytes` filter and drops the set.
    private mutating func saturate() {
        var filter = SplitBlockBloomFilter(numBytes: maxBytes)
        filter.insert(hashes: distinct.keys())
        distinct = HashSet64()
        saturatedFilter = filter
    }

    /// Estimates how many distinct hashes a filter holds from its fill: each insert sets one bit
    /// in each of the eight word lanes, whose `numBlocks * 32` bits it picks uniformly, so the
    /// fraction of zero bits is about `exp(-n / (numBlocks * 32))`.
    static func estimateDistinct(_ filter: SplitBlockBloomFilter) -> Int {
        let totalBits = filter.numBytes * 8
        let zeroBits = totalBits - filter.setBitCount
        let laneBits = Double(filter.numBlocks * 32)
        guard zeroBits > 0 else { return Int(laneBits * 64) }
        let estimate = -laneBits * log(Double(zeroBits) / Double(totalBits))
        return Int(estimate.rounded(.up))
    }

    /// The bloom filter of the values inserted, sized by
    /// `SplitBlockBloomFilter.optimalNumBytes(distinctValues:falsePositiveProbability:)` for the
    /// distinct count and capped at ``maxBytes``.
    public func filter(falsePositiveProbability: Double = 0.01) -> SplitBlockBloomFilter {
        let size = min(maxBytes, SplitBlockBloomFilter.optimalNumBytes(
            distinctValues: distinctCount, falsePositiveProbability: falsePositiveProbability))
        if let saturated = saturatedFilter {
            return saturated.folded(toNumBytes: size) ?? saturated
        }
        var filter = SplitBlockBloomFilter(numBytes: size)
        filter.insert(hashes: distinct.keys())
        return filter
    }

    /// The bytes to store at the column chunk's `bloom_filter_offset`: the compact-protocol
    /// `BloomFilterHeader` followed by the bitset. `bloom_filter_length` is their count.
    public func serialized(falsePositiveProbability: Double = 0.01) -> [UInt8] {
        filter(falsePositiveProbability: falsePositiveProbability).serialized()
    }
}

/// An open-addressing set of 64-bit hashes (linear probing, at most half full). The slot of a
/// key comes from a multiply-shift with a random odd multiplier, so crafted values cannot make
/// the probes long.
struct HashSet64: Sendable {
    private var slots: [UInt64]
    private var hasZero = false
    private var shift: UInt64
    private let multiplier: UInt64
    /// The number of keys.
    private(set) var count = 0

    init() {
        slots = [UInt64](repeating: 0, count: 64)
        shift = 64 - 6
        multiplier = UInt64.random(in: 1...UInt64.max) | 1
    }

    /// Inserts `key` (0 is stored apart: it marks free slots).
    @inline(__always)
    mutating func insert(_ key: UInt64) {
        if key == 0 {
            if !hasZero { hasZero = true; count += 1 }
            return
        }
        if (count &+ 1) &* 2 > slots.count { grow() }
        let mask = slots.count &- 1
        let shift = self.shift
        let multiplier = self.multiplier
        let added: Bool = slots.withUnsafeMutableBufferPointer { table in
            var i = Int(truncatingIfNeeded: (key &* multiplier) >> shift)
            while true {
                let slot = table[i]
                if slot == key { return false }
                if slot == 0 { table[i] = key; return true }
                i = (i &+ 1) & mask
            }
        }
        if added { count += 1 }
    }

    /// The keys, in no particular order.
    func keys() -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(count)
        if hasZero { out.append(0) }
        for key in slots where key != 0 { out.append(key) }
        return out
    }

    /// Doubles the table and reinserts the keys.
    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        shift -= 1
        let mask = slots.count &- 1
        let shift = self.shift
        let multiplier = self.multiplier
        slots.withUnsafeMutableBufferPointer { table in
            for key in old where key != 0 {
                var i = Int(truncatingIfNeeded: (key &* multiplier) >> shift)
                while table[i] != 0 { i = (i &+ 1) & mask }
                table[i] = key
            }
        }
    }
}
