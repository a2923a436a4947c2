import Floe

/// Column values for the encoder benchmarks, and pages of the encodings whose decoders are
/// benchmarked against them (DELTA_*, BYTE_STREAM_SPLIT). Every array holds
/// `BenchData.valueCount` values; the benchmarks encode them in `BenchData.pageValues`-value
/// pages, as the column writer does.
extension BenchData {
    /// Random non-negative INT64 ids (as in ``plainInt64Pages()``).
    public static func randomInt64s() -> [Int64] {
        var rng = SplitMix64(seed: 11)
        return (0..<valueCount).map { _ in Int64(bitPattern: rng.next() >> 1) }
    }

    /// Random doubles with two decimals in 0..<10,000 (prices, scores).
    public static func randomDoubles() -> [Double] {
        var rng = SplitMix64(seed: 12)
        return (0..<valueCount).map { _ in Double(rng.next() % 1_000_000) / 100 }
    }

    /// Random floats in 0..<10,000 with two decimals.
    public static func randomFloats() -> [Float] {
        var rng = SplitMix64(seed: 13)
        return (0..<valueCount).map { _ in Float(rng.next() % 1_000_000) / 100 }
    }

    /// Timestamps in microseconds, ascending by 0 to ~2 s steps (a time column, the case
    /// DELTA_BINARY_PACKED is made for).
    public static func ascendingTimestamps() -> [Int64] {
        var rng = SplitMix64(seed: 14)
        var t: Int64 = 1_558_310_400_000_000
        return (0..<valueCount).map { _ in
            t &+= Int64(rng.next() % 2_000_000)
            return t
        }
    }

    /// INT32 values of a random walk with steps in -1000...1000 (quantities, counters).
    public static func randomWalkInt32s() -> [Int32] {
        var rng = SplitMix64(seed: 15)
        var v: Int32 = 0
        return (0..<valueCount).map { _ in
            v &+= Int32(truncatingIfNeeded: Int64(rng.next() % 2001) - 1000)
            return v
        }
    }

    /// `valueCount` strings drawn uniformly from a dictionary of `distinct` strings of 8 to
    /// 23 bytes (``stringDictionary(size:)``).
    public static func dictionaryStrings(distinct: Int) -> BinaryValues {
        var rng = SplitMix64(seed: 16)
        let dict = stringDictionary(size: distinct)
        var out = BinaryValues()
        out.reserve(values: valueCount, bytes: valueCount * 16)
        for _ in 0..<valueCount { out.append(dict[Int(rng.next() % UInt64(distinct))]) }
        return out
    }

    /// Sorted keys sharing long prefixes, `tenant-0042/user-000123456/e-7` style (18 to 36
    /// bytes): what DELTA_BYTE_ARRAY's front coding is made for.
    public static func prefixedStrings() -> BinaryValues {
        var rng = SplitMix64(seed: 17)
        var out = BinaryValues()
        out.reserve(values: valueCount, bytes: valueCount * 32)
        var user = 0
        func digits(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        while out.count < valueCount {
            user += 1 + Int(rng.next() % 5)
            let prefix = "tenant-\(digits(user / 10_000, 4))/user-\(digits(user, 9))/e-"
            let events = 1 + Int(rng.next() % 8)
            for e in 0..<events where out.count < valueCount { out.append(Array((prefix + String(e)).utf8)) }
        }
        return out
    }

    /// Definition levels (0 or 1) of an optional column with about `nullFraction` nulls.
    public static func optionalLevels(nullFraction: Double = 0.1) -> [UInt8] {
        var rng = SplitMix64(seed: 18)
        let threshold = UInt64(nullFraction * 1_000_000)
        return (0..<valueCount).map { _ in rng.next() % 1_000_000 >= threshold ? 1 : 0 }
    }

    /// Random dictionary indices below `dictionarySize`.
    public static func randomIndices(dictionarySize: Int) -> [UInt32] {
        var rng = SplitMix64(seed: 19)
        return (0..<valueCount).map { _ in UInt32(rng.next() % UInt64(dictionarySize)) }
    }

    /// `values` cut into `pageValues`-value pages, each encoded by `encode(buffer, range, writer)`.
    public static func pages<T>(_ values: [T], _ encode: (UnsafeBufferPointer<T>, inout ByteWriter) -> Void) -> [Page] {
        values.withUnsafeBufferPointer { all in
            stride(from: 0, to: values.count, by: pageValues).map { start in
                let n = min(pageValues, values.count - start)
                var w = ByteWriter()
                encode(UnsafeBufferPointer(rebasing: all[start..<(start + n)]), &w)
                return Page(bytes: w.bytes, count: n)
            }
        }
    }

    /// `values` cut into `pageValues`-value pages, each encoded by `encode(values, range, writer)`.
    public static func pages(_ values: BinaryValues, _ encode: (BinaryValues, Range<Int>, inout ByteWriter) -> Void) -> [Page] {
        stride(from: 0, to: values.count, by: pageValues).map { start in
            let range = start..<min(values.count, start + pageValues)
            var w = ByteWriter()
            encode(values, range, &w)
            return Page(bytes: w.bytes, count: range.count)
        }
    }
}
