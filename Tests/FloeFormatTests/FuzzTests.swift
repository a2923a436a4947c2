import FloeCore
import FloeFormat
import Testing

/// A small deterministic generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

/// Applies one random mutation: bit flips, byte overwrites, truncation, insertion or a slice copy.
func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var b = input
    guard !b.isEmpty else { return [UInt8(truncatingIfNeeded: rng.next())] }
    switch rng.below(6) {
    case 0:
        for _ in 0...rng.below(4) {
            let i = rng.below(b.count)
            b[i] ^= 1 << UInt8(rng.below(8))
        }
    case 1:
        for _ in 0...rng.below(3) { b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
    case 2:
        b.removeLast(1 + rng.below(b.count))
    case 3:
        let extra = (0...rng.below(8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        b.insert(contentsOf: extra, at: rng.below(b.count + 1))
    case 4:
        // Large varints: a run of continuation bytes.
        let i = rng.below(b.count)
        for j in i..<min(b.count, i + 1 + rng.below(6)) { b[j] = 0xFF }
    default:
        let from = rng.below(b.count)
        let length = 1 + rng.below(min(64, b.count - from))
        let slice = Array(b[from..<(from + length)])
        b.insert(contentsOf: slice, at: rng.below(b.count + 1))
    }
    return b
}

@Suite struct FuzzTests {
    static let seedFiles = [
        "data/alltypes_plain.parquet", "data/alltypes_tiny_pages.parquet", "data/nested_lists.snappy.parquet",
        "data/unknown-logical-type.parquet", "data/geospatial/geospatial.parquet",
        "data/encrypt_columns_plaintext_footer.parquet.encrypted", "data/data_index_bloom_encoding_with_length.parquet",
        "data/floating_orders_nan_count.parquet", "bad_data/PARQUET-1481.parquet", "data/sort_columns.parquet",
    ]

    /// Thousands of mutated real footers: each decodes or throws; what decodes is bounded by
    /// its input size and survives an encode/decode round trip.
    @Test(arguments: seedFiles)
    func mutatedFootersNeverCrash(_ path: String) throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let footer = try Footer(file: try Corpus.bytes(path))
        var rng = SplitMix64(state: 0xF10E_0000 ^ UInt64(footer.bytes.count))
        var decoded = 0, rejected = 0
        for _ in 0..<1500 {
            let input = mutate(footer.bytes, &rng)
            do throws(FloeError) {
                let (meta, length) = try FileMetaData.decode(input, baseOffset: footer.start)
                decoded += 1
                #expect(length <= input.count)
                // Nothing decoded can outnumber the bytes that encoded it.
                let chunks = meta.rowGroups.reduce(0) { $0 + $1.columns.count }
                #expect(meta.schema.count + meta.rowGroups.count + chunks <= input.count)
                let again = try FileMetaData(decoding: meta.encoded())
                #expect(again == meta)
            } catch {
                rejected += 1
                #expect(error.code == .corrupt)
                if let offset = error.location.offset {
                    #expect(offset >= footer.start && offset <= footer.start + input.count)
                }
            }
        }
        #expect(decoded + rejected == 1500)
        #expect(rejected > 0)
        #expect(decoded > 0)
    }

    @Test func mutatedPageHeadersAndIndexesNeverCrash() throws {
        var rng = SplitMix64(state: 42)
        let seeds: [[UInt8]] = [
            PageHeader(type: .dataPageV2, uncompressedPageSize: 100, compressedPageSize: 80, crc: 7,
                       dataPageHeaderV2: DataPageHeaderV2(numValues: 10, numNulls: 1, numRows: 10, encoding: .plain,
                                                          definitionLevelsByteLength: 2, repetitionLevelsByteLength: 0,
                                                          statistics: Samples.fullStatistics)).encoded(),
            ColumnIndex(nullPages: [false, true], minValues: [[1, 2], []], maxValues: [[3], []], boundaryOrder: .ascending,
                        nullCounts: [0, 4]).encoded(),
            OffsetIndex(pageLocations: [PageLocation(offset: 4, compressedPageSize: 10, firstRowIndex: 0)]).encoded(),
            BloomFilterHeader(numBytes: 256).encoded(),
        ]
        var outcomes = 0
        for i in 0..<4000 {
            let input = mutate(seeds[i % seeds.count], &rng)
            switch i % seeds.count {
            case 0:
                if let h = try? PageHeader.decode(input).value { #expect(try PageHeader(decoding: h.encoded()) == h) }
            case 1:
                if let c = try? ColumnIndex(decoding: input) { #expect(try ColumnIndex(decoding: c.encoded()) == c) }
            case 2:
                if let o = try? OffsetIndex(decoding: input) { #expect(try OffsetIndex(decoding: o.encoded()) == o) }
            default:
                if let b = try? BloomFilterHeader(decoding: input) { #expect(try BloomFilterHeader(decoding: b.encoded()) == b) }
            }
            outcomes += 1
        }
        #expect(outcomes == 4000)
        // Pure noise, too.
        for _ in 0..<2000 {
            let noise = (0..<rng.below(64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? FileMetaData(decoding: noise)
            _ = try? PageHeader(decoding: noise)
            _ = try? LogicalType(decoding: noise)
        }
    }
}
