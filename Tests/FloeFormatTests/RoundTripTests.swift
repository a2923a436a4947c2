import FloeCore
import FloeFormat
import Testing

/// Values of every format struct with all fields set, and with only the required ones.
enum Samples {
    static let fullStatistics = Statistics(
        max: [9, 9], min: [0], nullCount: 3, distinctCount: 17, maxValue: [0xFF, 0x00], minValue: [],
        isMaxValueExact: true, isMinValueExact: false, nanCount: 2)
    static let fullSizeStatistics = SizeStatistics(
        unencodedByteArrayDataBytes: 1 << 40, repetitionLevelHistogram: [5, 0, 7],
        definitionLevelHistogram: Array(0..<40).map { Int64($0) * -3 })
    static let fullGeo = GeospatialStatistics(
        bbox: BoundingBox(xmin: -180, xmax: 180, ymin: -.infinity, ymax: .nan, zmin: 0, zmax: -0.0, mmin: 1e-300, mmax: 1e300),
        geospatialTypes: [1, 1003, 3007])
    static let fullColumnMetaData = ColumnMetaData(
        type: .fixedLenByteArray, encodings: [.plain, .rle, .rleDictionary, Encoding(rawValue: 99)],
        pathInSchema: ["a", "b", "élément"], codec: .zstd, numValues: 1_000_000, totalUncompressedSize: 1 << 33,
        totalCompressedSize: 1 << 32, keyValueMetadata: [KeyValue(key: "k", value: "v"), KeyValue(key: "only")],
        dataPageOffset: 4, indexPageOffset: 8, dictionaryPageOffset: 2, statistics: fullStatistics,
        encodingStats: [PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1),
                        PageEncodingStats(pageType: .dataPageV2, encoding: .rleDictionary, count: 20)],
        bloomFilterOffset: 123_456_789_012, bloomFilterLength: 4096, sizeStatistics: fullSizeStatistics,
        geospatialStatistics: fullGeo)
    static let minimalColumnMetaData = ColumnMetaData(
        type: .int64, encodings: [], pathInSchema: ["x"], codec: .uncompressed, numValues: 0,
        totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: 4)
    static let fullColumnChunk = ColumnChunk(
        filePath: "part-0.parquet", fileOffset: 77, metaData: fullColumnMetaData, offsetIndexOffset: 1000,
        offsetIndexLength: 20, columnIndexOffset: 900, columnIndexLength: 100,
        cryptoMetadata: .encryptionWithColumnKey(EncryptionWithColumnKey(pathInSchema: ["a", "b"], keyMetadata: [1, 2])),
        encryptedColumnMetadata: [0xDE, 0xAD])
    static let fullRowGroup = RowGroup(
        columns: [fullColumnChunk, ColumnChunk(fileOffset: 5, metaData: minimalColumnMetaData)],
        totalByteSize: 999, numRows: 42,
        sortingColumns: [SortingColumn(columnIdx: 1, descending: true, nullsFirst: false)], fileOffset: 4,
        totalCompressedSize: 500, ordinal: -2)
    static let fullSchema: [SchemaElement] = [
        SchemaElement(name: "root", numChildren: 20),
        SchemaElement(type: .fixedLenByteArray, typeLength: 16, repetitionType: .required, name: "dec",
                      convertedType: .decimal, scale: 2, precision: 30, fieldId: 7,
                      logicalType: .decimal(scale: 2, precision: 30)),
    ] + allLogicalTypes.enumerated().map { i, t in
        SchemaElement(type: .byteArray, repetitionType: .optional, name: "c\(i)", logicalType: t)
    }
    static let allLogicalTypes: [LogicalType] = [
        .string, .map, .list, .enum, .decimal(scale: -1, precision: 4), .date,
        .time(isAdjustedToUTC: true, unit: .millis), .time(isAdjustedToUTC: false, unit: .nanos),
        .timestamp(isAdjustedToUTC: true, unit: .micros), .timestamp(isAdjustedToUTC: false, unit: .nanos),
        .integer(bitWidth: 8, isSigned: false), .integer(bitWidth: 64, isSigned: true), .unknown, .json, .bson,
        .uuid, .float16, .variant(specificationVersion: 1), .variant(specificationVersion: nil),
        .geometry(crs: "OGC:CRS84"), .geometry(crs: nil), .geography(crs: "srid:4326", algorithm: 4),
        .geography(crs: nil, algorithm: nil), .file, .unrecognized(fieldId: 2555), .unrecognized(fieldId: 0),
    ]
    static let fullFileMetaData = FileMetaData(
        version: 2, schema: fullSchema, numRows: 84, rowGroups: [fullRowGroup, fullRowGroup],
        keyValueMetadata: [KeyValue(key: "ARROW:schema", value: "abc")], createdBy: "floe test",
        columnOrders: [.typeDefinedOrder, .ieee754TotalOrder, .int96TimestampOrder, .unrecognized(fieldId: 9)],
        encryptionAlgorithm: .aesGcmV1(AesGcmV1(aadPrefix: [1], aadFileUnique: [2, 3], supplyAadPrefix: true)),
        footerSigningKeyMetadata: [4, 5, 6])
    static let minimalFileMetaData = FileMetaData(
        version: 1, schema: [SchemaElement(name: "schema")], numRows: 0, rowGroups: [])
}

@Suite struct RoundTripTests {
    @Test func statistics() throws {
        try roundTrip(Samples.fullStatistics)
        try roundTrip(Statistics())
        #expect(Statistics().encoded() == [0x00])
    }

    @Test func sizeAndGeospatialStatistics() throws {
        try roundTrip(Samples.fullSizeStatistics)
        try roundTrip(SizeStatistics())
        try roundTrip(Samples.fullGeo)
        try roundTrip(GeospatialStatistics())
        try roundTrip(BoundingBox(xmin: 1, xmax: 2, ymin: 3, ymax: 4))
    }

    @Test func pageHeaders() throws {
        let v1 = DataPageHeader(numValues: 100, encoding: .deltaBinaryPacked, definitionLevelEncoding: .rle,
                                repetitionLevelEncoding: .bitPacked, statistics: Samples.fullStatistics)
        let v2 = DataPageHeaderV2(numValues: 10, numNulls: 2, numRows: 5, encoding: .byteStreamSplit,
                                  definitionLevelsByteLength: 3, repetitionLevelsByteLength: 4, isCompressed: false,
                                  statistics: Statistics(nullCount: 2))
        let dictionary = DictionaryPageHeader(numValues: 7, encoding: .plain, isSorted: true)
        try roundTrip(v1)
        try roundTrip(DataPageHeader(numValues: 0, encoding: .plain, definitionLevelEncoding: .rle,
                                     repetitionLevelEncoding: .rle))
        try roundTrip(v2)
        try roundTrip(DataPageHeaderV2(numValues: 1, numNulls: 0, numRows: 1, encoding: .plain,
                                       definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0))
        try roundTrip(dictionary)
        try roundTrip(DictionaryPageHeader(numValues: 0, encoding: .plainDictionary))
        try roundTrip(IndexPageHeader())
        try roundTrip(PageHeader(type: .dataPage, uncompressedPageSize: 1 << 30, compressedPageSize: 12, crc: -123456,
                                 dataPageHeader: v1, indexPageHeader: IndexPageHeader(),
                                 dictionaryPageHeader: dictionary, dataPageHeaderV2: v2))
        try roundTrip(PageHeader(type: .indexPage, uncompressedPageSize: 0, compressedPageSize: 0))
        try roundTrip(PageEncodingStats(pageType: .dataPage, encoding: .deltaByteArray, count: 3))
        #expect(DataPageHeaderV2(numValues: 1, numNulls: 0, numRows: 1, encoding: .plain,
                                 definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0).valuesAreCompressed)
    }

    @Test func schemaAndLogicalTypes() throws {
        for element in Samples.fullSchema { try roundTrip(element) }
        try roundTrip(SchemaElement(name: ""))
        for t in Samples.allLogicalTypes { try roundTrip(t) }
        try roundTrip(KeyValue(key: "k", value: "v"))
        try roundTrip(KeyValue(key: ""))
        try roundTrip(SortingColumn(columnIdx: 3, descending: false, nullsFirst: true))
    }

    @Test func columnChunksAndRowGroups() throws {
        try roundTrip(Samples.fullColumnMetaData)
        try roundTrip(Samples.minimalColumnMetaData)
        try roundTrip(Samples.fullColumnChunk)
        try roundTrip(ColumnChunk())
        try roundTrip(ColumnChunk(cryptoMetadata: .encryptionWithFooterKey))
        try roundTrip(EncryptionWithColumnKey(pathInSchema: []))
        for c in [ColumnCryptoMetaData.encryptionWithFooterKey, .unrecognized(fieldId: 5), .unrecognized(fieldId: 0),
                  .encryptionWithColumnKey(EncryptionWithColumnKey(pathInSchema: ["p"]))] {
            try roundTrip(c)
        }
        try roundTrip(Samples.fullRowGroup)
        try roundTrip(RowGroup(columns: [], totalByteSize: 0, numRows: 0))
    }

    @Test func fileMetaDataAndCrypto() throws {
        try roundTrip(Samples.fullFileMetaData)
        try roundTrip(Samples.minimalFileMetaData)
        for order in [ColumnOrder.typeDefinedOrder, .ieee754TotalOrder, .int96TimestampOrder, .unrecognized(fieldId: 40)] {
            try roundTrip(order)
        }
        try roundTrip(AesGcmV1(aadPrefix: [1], aadFileUnique: [2], supplyAadPrefix: false))
        try roundTrip(AesGcmV1())
        try roundTrip(AesGcmCtrV1(aadPrefix: [], aadFileUnique: [9, 9], supplyAadPrefix: true))
        try roundTrip(AesGcmCtrV1())
        try roundTrip(EncryptionAlgorithm.aesGcmCtrV1(AesGcmCtrV1(aadFileUnique: [1])))
        try roundTrip(EncryptionAlgorithm.unrecognized(fieldId: 3))
        try roundTrip(FileCryptoMetaData(encryptionAlgorithm: .aesGcmV1(AesGcmV1()), keyMetadata: [7]))
        try roundTrip(FileCryptoMetaData(encryptionAlgorithm: .aesGcmV1(AesGcmV1())))
    }

    @Test func pageIndexesAndBloomFilters() throws {
        let locations = (0..<50).map { PageLocation(offset: 4 + Int64($0) * 100, compressedPageSize: 100, firstRowIndex: Int64($0) * 10) }
        try roundTrip(OffsetIndex(pageLocations: locations, unencodedByteArrayDataBytes: Array(repeating: 7, count: 50)))
        try roundTrip(OffsetIndex(pageLocations: []))
        try roundTrip(PageLocation(offset: 0, compressedPageSize: 0, firstRowIndex: 0))
        try roundTrip(ColumnIndex(nullPages: [false, true, false], minValues: [[1], [], [2]], maxValues: [[3], [], [4]],
                                  boundaryOrder: .ascending, nullCounts: [0, 10, 1], repetitionLevelHistograms: [1, 2],
                                  definitionLevelHistograms: [3, 4, 5], nanCounts: [0, 0, 0]))
        try roundTrip(ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: BoundaryOrder(rawValue: 7)))
        try roundTrip(BloomFilterHeader(numBytes: 1024))
        try roundTrip(BloomFilterHeader(numBytes: 32, algorithm: .unrecognized(fieldId: 2), hash: .unrecognized(fieldId: 3),
                                        compression: .unrecognized(fieldId: 4)))
    }

    @Test func thousandsOfColumns() throws {
        // A wide footer: 5 000 columns in 2 row groups decodes back exactly.
        let schema = [SchemaElement(name: "schema", numChildren: 5000)] + (0..<5000).map {
            SchemaElement(type: .int64, repetitionType: .optional, name: "column_\($0)")
        }
        let group = RowGroup(columns: (0..<5000).map { i in
            ColumnChunk(fileOffset: Int64(i) * 100, metaData: ColumnMetaData(
                type: .int64, encodings: [.plain, .rle], pathInSchema: ["column_\(i)"], codec: .snappy, numValues: 1000,
                totalUncompressedSize: 8000, totalCompressedSize: 100, dataPageOffset: Int64(i) * 100,
                statistics: Statistics(nullCount: 0, maxValue: [1, 0, 0, 0, 0, 0, 0, 0], minValue: [0, 0, 0, 0, 0, 0, 0, 0])))
        }, totalByteSize: 40_000_000, numRows: 1000)
        let meta = FileMetaData(version: 2, schema: schema, numRows: 2000, rowGroups: [group, group])
        let decoded = try roundTrip(meta)
        #expect(decoded.rowGroups[1].columns[4999].metaData?.pathInSchema == ["column_4999"])
    }

    @Test func enumNames() {
        #expect(Encoding.rleDictionary.description == "RLE_DICTIONARY")
        #expect(Encoding.byteStreamSplit.name == "BYTE_STREAM_SPLIT")
        #expect(Encoding(rawValue: 1).name == nil)
        #expect(Encoding(rawValue: 1).description == "Encoding(1)")
        #expect(CompressionCodec.zstd.description == "ZSTD")
        #expect(CompressionCodec.lz4Raw.description == "LZ4_RAW")
        #expect(PhysicalType.int64.description == "INT64")
        #expect(PhysicalType.fixedLenByteArray.description == "FIXED_LEN_BYTE_ARRAY")
        #expect(ConvertedType.uint8.description == "UINT_8")
        #expect(ConvertedType.timestampMicros.description == "TIMESTAMP_MICROS")
        #expect(ConvertedType.interval.rawValue == 21)
        #expect(FieldRepetitionType.repeated.description == "REPEATED")
        #expect(PageType.dataPageV2.description == "DATA_PAGE_V2")
        #expect(BoundaryOrder.descending.description == "DESCENDING")
        #expect(EdgeInterpolationAlgorithm.karney.description == "KARNEY")
        #expect(Encoding.allKnown.map(\.rawValue) == [0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(ConvertedType.allKnown.count == 22)
        #expect(PhysicalType.allKnown.allSatisfy { $0.name != nil })
        #expect(LogicalType.timestamp(isAdjustedToUTC: true, unit: .micros).description
            == "TIMESTAMP(isAdjustedToUTC=true, unit=MICROS)")
        #expect(LogicalType.decimal(scale: 2, precision: 10).description == "DECIMAL(10,2)")
    }
}
