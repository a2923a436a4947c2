import FloeCore
import FloeFormat
import Testing

/// Page headers, page indexes and bloom filter headers read from real files.
@Suite struct CorpusPageTests {
    /// Files whose chunks are walked page by page.
    static let walkedFiles = [
        "data/alltypes_plain.parquet", "data/alltypes_tiny_pages.parquet", "data/datapage_v2.snappy.parquet",
        "data/delta_binary_packed.parquet", "data/byte_stream_split.zstd.parquet", "data/nested_lists.snappy.parquet",
        "data/page_v2_empty_compressed.parquet", "data/rle-dict-snappy-checksum.parquet",
        "data/datapage_v1-snappy-compressed-checksum.parquet", "data/lz4_raw_compressed_larger.parquet",
    ]

    @Test(arguments: walkedFiles)
    func pageHeadersTileEachChunk(_ path: String) throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let file = try Corpus.bytes(path)
        let meta = try footerMetadata(path)
        var pages = 0
        for group in meta.rowGroups {
            for chunk in group.columns {
                let m = try #require(chunk.metaData)
                var offset = Int(m.dataPageOffset)
                if let d = m.dictionaryPageOffset, d > 0, d < m.dataPageOffset { offset = Int(d) }
                let end = offset + Int(m.totalCompressedSize)
                var values: Int64 = 0
                var sawDictionary = false
                while offset < end {
                    let (header, length) = try file.withUnsafeBytes { raw throws(FloeError) in
                        try PageHeader.decode(raw, at: offset)
                    }
                    #expect(header.compressedPageSize >= 0)
                    switch header.type {
                    case .dictionaryPage:
                        #expect(header.dictionaryPageHeader != nil)
                        sawDictionary = true
                    case .dataPage:
                        values += Int64(try #require(header.dataPageHeader).numValues)
                    case .dataPageV2:
                        let v2 = try #require(header.dataPageHeaderV2)
                        values += Int64(v2.numValues)
                        #expect(v2.definitionLevelsByteLength + v2.repetitionLevelsByteLength <= header.compressedPageSize)
                    default:
                        Issue.record("unexpected page type \(header.type) in \(path)")
                    }
                    // The array and pointer entry points agree, and the header round-trips.
                    let (same, sameLength) = try PageHeader.decode(file, at: offset, baseOffset: 0)
                    #expect(same == header && sameLength == length)
                    try roundTrip(header)
                    offset += length + Int(header.compressedPageSize)
                    pages += 1
                }
                #expect(offset == end, "\(path) \(m.pathInSchema): pages overrun the chunk")
                #expect(values == m.numValues, "\(path) \(m.pathInSchema)")
                if let d = m.dictionaryPageOffset, d > 0 { #expect(sawDictionary) }
            }
        }
        #expect(pages >= meta.rowGroups.count)
    }

    @Test func dataPageV2Headers() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let path = "data/datapage_v2.snappy.parquet"
        let file = try Corpus.bytes(path)
        // parquet-mr 1.8 pointed data_page_offset at the dictionary page; the v2 page follows it.
        let first = try #require(try footerMetadata(path).rowGroups[0].columns[0].metaData)
        #expect(first.dataPageOffset == 4 && first.dictionaryPageOffset == nil)
        let (dictionary, dictionaryLength) = try PageHeader.decode(file, at: 4)
        #expect(dictionary.type == .dictionaryPage)
        let (header, _) = try PageHeader.decode(file, at: 4 + dictionaryLength + Int(dictionary.compressedPageSize))
        #expect(header.type == .dataPageV2)
        let v2 = try #require(header.dataPageHeaderV2)
        #expect(v2.numRows == 5)
        #expect(v2.numValues == 5)
        #expect(v2.valuesAreCompressed == (v2.isCompressed ?? true))
    }

    @Test func alltypesPlainFirstPages() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let file = try Corpus.bytes("data/alltypes_plain.parquet")
        let (dictionary, dictionaryLength) = try PageHeader.decode(file, at: 4, baseOffset: 0)
        #expect(dictionary.type == .dictionaryPage)
        #expect(dictionary.dictionaryPageHeader?.numValues == 8)
        #expect(dictionary.dictionaryPageHeader?.encoding == .plainDictionary)
        #expect(4 + dictionaryLength + Int(dictionary.compressedPageSize) == 49)
        let (data, _) = try PageHeader.decode(file, at: 49)
        #expect(data.type == .dataPage)
        #expect(data.dataPageHeader?.numValues == 8)
        #expect(data.dataPageHeader?.encoding == .plainDictionary)
        #expect(data.dataPageHeader?.definitionLevelEncoding == .rle)
    }

    @Test func pageIndexesOfTinyPages() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let path = "data/alltypes_tiny_pages.parquet"
        let file = try Corpus.bytes(path)
        let meta = try footerMetadata(path)
        var checked = 0
        for chunk in meta.rowGroups[0].columns {
            let m = try #require(chunk.metaData)
            let oiOffset = Int(try #require(chunk.offsetIndexOffset))
            let oiLength = Int(try #require(chunk.offsetIndexLength))
            let oiBytes = Array(file[oiOffset..<(oiOffset + oiLength)])
            let (offsetIndex, consumed) = try OffsetIndex.decode(oiBytes, baseOffset: oiOffset)
            #expect(consumed == oiLength)
            try roundTrip(offsetIndex)
            let locations = offsetIndex.pageLocations
            #expect(locations.count > 1)
            #expect(locations.first?.firstRowIndex == 0)
            #expect(locations.first.map { $0.offset >= m.dataPageOffset } == true)
            #expect(zip(locations, locations.dropFirst()).allSatisfy {
                $0.offset + Int64($0.compressedPageSize) == $1.offset && $0.firstRowIndex < $1.firstRowIndex
            })
            // Each location names a data page header.
            let (first, _) = try PageHeader.decode(file, at: Int(locations[0].offset))
            #expect(first.type == .dataPage)
            guard let ciOffset = chunk.columnIndexOffset.map(Int.init),
                  let ciLength = chunk.columnIndexLength.map(Int.init) else { continue }
            let ciBytes = Array(file[ciOffset..<(ciOffset + ciLength)])
            let columnIndex = try ColumnIndex(decoding: ciBytes, baseOffset: ciOffset)
            try roundTrip(columnIndex)
            #expect(columnIndex.nullPages.count == locations.count)
            #expect(columnIndex.minValues.count == locations.count)
            #expect(columnIndex.maxValues.count == locations.count)
            #expect(columnIndex.nullCounts?.count == locations.count)
            checked += 1
        }
        #expect(checked == 12)  // every column but timestamp_col has a column index
        // The id column (INT32): each page's min <= max, and no page is all null.
        let idChunk = meta.rowGroups[0].columns[0]
        let ciOffset = Int(try #require(idChunk.columnIndexOffset))
        let ci = try ColumnIndex(decoding: Array(file[ciOffset...]), baseOffset: ciOffset)
        #expect(BoundaryOrder.allKnown.contains(ci.boundaryOrder))
        #expect(!ci.nullPages.contains(true))
        func int32(_ b: [UInt8]) -> Int32 {
            Int32(bitPattern: UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24)
        }
        #expect(ci.minValues.allSatisfy { $0.count == 4 } && ci.maxValues.allSatisfy { $0.count == 4 })
        #expect(zip(ci.minValues, ci.maxValues).allSatisfy { int32($0) <= int32($1) })
        #expect(ci.minValues.map(int32).min() == 0)
        #expect(ci.maxValues.map(int32).max() == 7299)
    }

    @Test func bloomFilterHeaders() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        // The deprecated murmur3 filter has a non-Thrift header: rejected, not misread.
        #expect(throws: FloeError.self) { _ = try BloomFilterHeader(decoding: try Corpus.bytes("data/bloom_filter.bin")) }
        do {
            let bytes = try Corpus.bytes("data/bloom_filter.xxhash.bin")
            let (header, length) = try BloomFilterHeader.decode(bytes)
            #expect(header.algorithm == .splitBlock)
            #expect(header.hash == .xxHash)
            #expect(header.compression == .uncompressed)
            #expect(length + Int(header.numBytes) == bytes.count)
            try roundTrip(header)
        }
        // From a file's column metadata: the length covers header and bitset.
        let file = try Corpus.bytes("data/data_index_bloom_encoding_with_length.parquet")
        let (header, length) = try BloomFilterHeader.decode(file, at: 253)
        #expect(length + Int(header.numBytes) == 2064)
        let other = try Corpus.bytes("data/data_index_bloom_encoding_stats.parquet")
        let (h2, _) = try BloomFilterHeader.decode(other, at: 192)
        #expect(h2.numBytes > 0 && h2.numBytes % 32 == 0)
        #expect(try BloomFilterHeader(decoding: Array(file[253...])) == header)
    }
}
