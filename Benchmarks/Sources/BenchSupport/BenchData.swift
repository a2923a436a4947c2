import Floe

/// A small deterministic pseudo-random generator (SplitMix64), so every run benchmarks the
/// same bytes.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Encoded pages for the micro-benchmarks. Each benchmark decodes `BenchData.valueCount` values
/// (the harness's `.mega` scaling factor), split into pages of `BenchData.pageValues` values as
/// a column reader sees them.
public enum BenchData {
    /// Values decoded per measured iteration: equals `BenchmarkScalingFactor.mega`, so the
    /// harness's scaled throughput reads as values per second.
    public static let valueCount = 1_000_000
    /// Values per page (Floe's and Arrow's default page row limit).
    public static let pageValues = 20_000
    /// Pages per iteration.
    public static var pageCount: Int { valueCount / pageValues }

    /// The encoded bytes of one page and the number of values (or level entries) it holds.
    public struct Page: Sendable {
        public var bytes: [UInt8]
        public var count: Int
    }

    // MARK: PLAIN int64

    /// PLAIN INT64 pages of random ids.
    public static func plainInt64Pages() -> [Page] {
        var rng = SplitMix64(seed: 1)
        return (0..<pageCount).map { _ in
            var values = [Int64](repeating: 0, count: pageValues)
            for i in values.indices { values[i] = Int64(bitPattern: rng.next() >> 1) }
            var w = ByteWriter(capacity: pageValues * 8)
            values.withUnsafeBufferPointer { Plain.encodeInt64($0, into: &w) }
            return Page(bytes: w.bytes, count: pageValues)
        }
    }

    // MARK: Dictionary strings

    /// A dictionary of `size` distinct strings of 8 to 23 ASCII bytes.
    public static func stringDictionary(size: Int) -> BinaryValues {
        var rng = SplitMix64(seed: 2)
        var dict = BinaryValues()
        for i in 0..<size {
            let length = 8 + Int(rng.next() % 16)
            var s = Array("v\(i)-".utf8)
            while s.count < length { s.append(UInt8(97 + rng.next() % 26)) }
            dict.append(s)
        }
        return dict
    }

    /// RLE_DICTIONARY index pages (width byte + RLE/bit-packed hybrid) of uniformly random
    /// indices into a dictionary of `dictionarySize` entries.
    public static func dictionaryIndexPages(dictionarySize: Int) -> [Page] {
        var rng = SplitMix64(seed: 3)
        return (0..<pageCount).map { _ in
            var indices = [UInt32](repeating: 0, count: pageValues)
            for i in indices.indices { indices[i] = UInt32(rng.next() % UInt64(dictionarySize)) }
            var w = ByteWriter()
            indices.withUnsafeBufferPointer { DictionaryIndices.encode($0, dictionarySize: dictionarySize, into: &w) }
            return Page(bytes: w.bytes, count: pageValues)
        }
    }

    /// The decoded indices of `pages`, for the gather-only benchmark.
    public static func decodedIndices(_ pages: [Page]) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: pages.reduce(0) { $0 + $1.count })
        var at = 0
        out.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            for page in pages {
                page.bytes.withUnsafeBytes { src in
                    _ = try? DictionaryIndices.decode(src, count: page.count, into: base + at)
                }
                at += page.count
            }
        }
        return out
    }

    // MARK: Optional doubles

    /// v1 data-page bodies of an optional DOUBLE column with about 10% nulls: a 4-byte length,
    /// the RLE/bit-packed definition levels (width 1), then the PLAIN doubles present.
    public static func optionalDoublePages(nullFraction: Double = 0.1) -> [Page] {
        var rng = SplitMix64(seed: 4)
        let threshold = UInt64(nullFraction * 1_000_000)
        return (0..<pageCount).map { _ in
            var levels = [UInt8](repeating: 0, count: pageValues)
            var values: [Double] = []
            values.reserveCapacity(pageValues)
            for i in levels.indices {
                if rng.next() % 1_000_000 >= threshold {
                    levels[i] = 1
                    values.append(Double(rng.next() % 1_000_000) / 100)
                }
            }
            var levelBytes = ByteWriter()
            levels.withUnsafeBufferPointer { RLEHybrid.encodeLevels($0, bitWidth: 1, into: &levelBytes) }
            var w = ByteWriter()
            w.appendLittleEndian(UInt32(levelBytes.count))
            w.append(contentsOf: levelBytes.bytes)
            values.withUnsafeBufferPointer { Plain.encodeDouble($0, into: &w) }
            return Page(bytes: w.bytes, count: pageValues)
        }
    }

    // MARK: RLE / bit-packed hybrid

    /// RLE/bit-packed hybrid pages (no length prefix, no width byte) of `bitWidth` bits.
    /// With `meanRun` 1 the values are uniformly random (almost all bit-packed runs); with a
    /// larger `meanRun` each value repeats a random number of times averaging `meanRun`.
    public static func rleHybridPages(bitWidth: Int, meanRun: Int = 1) -> [Page] {
        var rng = SplitMix64(seed: 5 &+ UInt64(bitWidth))
        let mask: UInt64 = bitWidth >= 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        return (0..<pageCount).map { _ in
            var values = [UInt32](repeating: 0, count: pageValues)
            var i = 0
            while i < pageValues {
                let v = UInt32(truncatingIfNeeded: rng.next() & mask)
                let run = meanRun <= 1 ? 1 : 1 + Int(rng.next() % UInt64(2 * meanRun - 1))
                for _ in 0..<run where i < pageValues { values[i] = v; i += 1 }
            }
            var w = ByteWriter()
            values.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: bitWidth, into: &w) }
            return Page(bytes: w.bytes, count: pageValues)
        }
    }

    // MARK: Compressed pages

    /// Bytes per uncompressed page in the decompression benchmarks.
    public static let compressedPageBytes = 125_000
    /// Bytes decompressed per measured iteration (`.mega`: throughput reads as bytes/s).
    public static let decompressedBytes = 1_000_000

    /// What the uncompressed pages hold.
    public enum PageContent: String, Sendable, CaseIterable {
        /// PLAIN INT64 values uniformly drawn from 0..<100,000 (compresses about 2.5×).
        case int64
        /// PLAIN BYTE_ARRAY strings drawn from a 5,000-word dictionary (compresses well).
        case strings
    }

    /// The uncompressed bytes of the decompression benchmarks' pages, back to back.
    public static func uncompressedPages(_ content: PageContent) -> [[UInt8]] {
        var rng = SplitMix64(seed: 6)
        let pages = decompressedBytes / compressedPageBytes
        switch content {
        case .int64:
            return (0..<pages).map { _ in
                var w = ByteWriter(capacity: compressedPageBytes)
                for _ in 0..<(compressedPageBytes / 8) { w.appendLittleEndian(Int64(rng.next() % 100_000)) }
                return w.bytes
            }
        case .strings:
            let words = stringDictionary(size: 5_000)
            return (0..<pages).map { _ in
                var w = ByteWriter(capacity: compressedPageBytes)
                while w.count < compressedPageBytes {
                    let word = words[Int(rng.next() % 5_000)]
                    w.appendLittleEndian(UInt32(word.count))
                    w.append(contentsOf: word)
                }
                return Array(w.bytes.prefix(compressedPageBytes))
            }
        }
    }

    /// The pages of `content` compressed with `kind` (each `compressedPageBytes` uncompressed).
    public static func compressedPages(_ content: PageContent, _ kind: CompressionKind) throws(FloeError) -> [[UInt8]] {
        var compressor = try Compressor(kind: kind)
        var out: [[UInt8]] = []
        for page in uncompressedPages(content) { out.append(try compressor.compress(page)) }
        return out
    }
}
