import FloeCore
import FloeFormat
import Testing

/// The footer of every file of the parquet-testing corpus decodes, and re-encodes to bytes that
/// decode to an equal value; selected files have their known contents checked.
@Suite struct CorpusFooterTests {
    @Test func corpusIsPresentOrSkipped() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        // The corpus holds plain, encrypted and bad files; all are listed.
        #expect(Corpus.parquetFiles.count >= 70)
        #expect(Corpus.parquetFiles.contains("bad_data/PARQUET-1481.parquet"))
        #expect(Corpus.parquetFiles.contains("data/aes256/uniform_encryption.parquet.encrypted"))
    }

    @Test(arguments: Corpus.parquetFiles)
    func footerDecodesAndRoundTrips(_ path: String) throws {
        let file = try Corpus.bytes(path)
        let footer = try Footer(file: file)
        if footer.isEncrypted {
            // An encrypted footer: FileCryptoMetaData in plaintext, then the encrypted FileMetaData.
            let (crypto, length) = try FileCryptoMetaData.decode(footer.bytes, baseOffset: footer.start)
            #expect(length > 0 && length < footer.bytes.count)
            switch crypto.encryptionAlgorithm {
            case .aesGcmV1(let p): #expect(p.aadFileUnique?.isEmpty == false)
            case .aesGcmCtrV1(let p): #expect(p.aadFileUnique?.isEmpty == false)
            case .unrecognized(let id): Issue.record("unexpected algorithm member \(id)")
            }
            try roundTrip(crypto)
            return
        }
        #expect(footer.magic == "PAR1")
        let (meta, length) = try FileMetaData.decode(footer.bytes, baseOffset: footer.start)
        if meta.encryptionAlgorithm != nil {
            // A signed plaintext footer: nonce (12) and tag (16) follow the metadata.
            #expect(footer.bytes.count - length == 28)
        } else {
            #expect(length == footer.bytes.count)
        }
        // Structure: one chunk per leaf in every row group; row counts add up.
        let leaves = meta.schema.filter { ($0.numChildren ?? 0) == 0 }.count
        #expect(meta.schema.count >= 2)
        for group in meta.rowGroups { #expect(group.columns.count == leaves) }
        #expect(meta.rowGroups.reduce(0) { $0 + $1.numRows } == meta.numRows)

        let again = try roundTrip(meta)
        #expect(again.schema.map(\.name) == meta.schema.map(\.name))
    }

    @Test func encryptedFootersAreRecognised() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let encrypted = Corpus.parquetFiles.filter { $0.hasSuffix(".encrypted") }
        #expect(encrypted.count >= 10)
        var pare = 0
        for path in encrypted {
            let footer = try Footer(file: try Corpus.bytes(path))
            if footer.isEncrypted {
                pare += 1
                _ = try FileCryptoMetaData(decoding: footer.bytes, baseOffset: footer.start)
            } else {
                // Plaintext footer mode: the footer names its algorithm and some columns are encrypted.
                let meta = try FileMetaData(decoding: footer.bytes, baseOffset: footer.start)
                #expect(meta.encryptionAlgorithm != nil)
                #expect(meta.rowGroups[0].columns.contains { $0.isEncrypted })
            }
        }
        #expect(pare >= 9)
        let aad = try Footer(file: try Corpus.bytes("data/encrypt_columns_and_footer_aad.parquet.encrypted"))
        let crypto = try FileCryptoMetaData(decoding: aad.bytes)
        guard case .aesGcmV1(let params) = crypto.encryptionAlgorithm else {
            Issue.record("expected AES_GCM_V1"); return
        }
        #expect(params.aadPrefix == Array("tester".utf8))
        let ctr = try Footer(file: try Corpus.bytes("data/encrypt_columns_and_footer_ctr.parquet.encrypted"))
        guard case .aesGcmCtrV1 = try FileCryptoMetaData(decoding: ctr.bytes).encryptionAlgorithm else {
            Issue.record("expected AES_GCM_CTR_V1"); return
        }
    }

    @Test func plaintextFooterColumnKeys() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let meta = try footerMetadata("data/encrypt_columns_plaintext_footer.parquet.encrypted")
        let columns = meta.rowGroups[0].columns
        #expect(columns.count == 8)
        guard case .encryptionWithColumnKey(let key)? = columns[4].cryptoMetadata else {
            Issue.record("float_field should be encrypted with a column key"); return
        }
        #expect(key.pathInSchema == ["float_field"])
        #expect(key.keyMetadata == Array("kc2".utf8))
        #expect(columns[0].cryptoMetadata == nil)
    }

    @Test func alltypesPlain() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let meta = try footerMetadata("data/alltypes_plain.parquet")
        #expect(meta.numRows == 8)
        #expect(meta.version == 1)
        #expect(meta.schema.count == 12)
        #expect(meta.createdBy?.hasPrefix("impala") == true)
        #expect(meta.schema[0].name == "schema" && meta.schema[0].numChildren == 11)
        #expect(meta.schema.dropFirst().map(\.name) == [
            "id", "bool_col", "tinyint_col", "smallint_col", "int_col", "bigint_col", "float_col", "double_col",
            "date_string_col", "string_col", "timestamp_col",
        ])
        #expect(meta.schema.dropFirst().compactMap { $0.type?.name } == [
            "INT32", "BOOLEAN", "INT32", "INT32", "INT32", "INT64", "FLOAT", "DOUBLE", "BYTE_ARRAY", "BYTE_ARRAY", "INT96",
        ])
        #expect(meta.schema.dropFirst().allSatisfy { $0.repetitionType == .optional })
        #expect(meta.rowGroups.count == 1)
        let id = try #require(meta.rowGroups[0].columns[0].metaData)
        #expect(id.pathInSchema == ["id"])
        #expect(id.codec == .uncompressed)
        #expect(id.encodings == [.rle, .plainDictionary, .plain])
        #expect(id.numValues == 8)
        #expect(id.dictionaryPageOffset == 4)
        #expect(id.dataPageOffset == 49)
        #expect(id.totalCompressedSize == 73)
    }

    @Test func unknownLogicalTypeIsKept() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let meta = try footerMetadata("data/unknown-logical-type.parquet")
        #expect(meta.schema.count == 3)
        #expect(meta.schema[1].name == "column with known type")
        #expect(meta.schema[1].logicalType == .string)
        #expect(meta.schema[1].convertedType == .utf8)
        #expect(meta.schema[2].name == "column with unknown type")
        #expect(meta.schema[2].logicalType == .unrecognized(fieldId: 2555))
    }

    @Test func corruptPhysicalTypeIsKeptForHigherLayers() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        let meta = try footerMetadata("bad_data/PARQUET-1481.parquet")
        #expect(meta.schema.count == 2)
        #expect(meta.schema[1].type == PhysicalType(rawValue: -7))
        #expect(meta.schema[1].type?.name == nil)
        #expect(meta.schema[1].type?.description == "PhysicalType(-7)")
    }

    @Test func newerFieldsDecode() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        // Sorting columns.
        let sorted = try footerMetadata("data/sort_columns.parquet")
        #expect(sorted.rowGroups.count == 2)
        #expect(sorted.rowGroups[0].sortingColumns == [
            SortingColumn(columnIdx: 0, descending: true, nullsFirst: true),
            SortingColumn(columnIdx: 1, descending: false, nullsFirst: false),
        ])
        // Column chunk key/value metadata, with and without a value.
        let kv = try footerMetadata("data/column_chunk_key_value_metadata.parquet")
        #expect(kv.rowGroups[0].columns[0].metaData?.keyValueMetadata == [
            KeyValue(key: "foo", value: "bar"), KeyValue(key: "thisiskeywithoutvalue"),
        ])
        #expect(kv.rowGroups[0].columns[1].metaData?.keyValueMetadata == nil)
        // IEEE 754 total order and NaN counts.
        let floats = try footerMetadata("data/floating_orders_nan_count.parquet")
        #expect(floats.columnOrders?.first == .ieee754TotalOrder)
        #expect(floats.columnOrders?[1] == .typeDefinedOrder)
        #expect(floats.rowGroups[0].columns[0].metaData?.statistics?.nanCount == 0)
        #expect(floats.schema.contains { $0.logicalType == .float16 })
        // Geospatial statistics and logical types.
        let geo = try footerMetadata("data/geospatial/geospatial.parquet")
        let stats = try #require(geo.rowGroups[0].columns[2].metaData?.geospatialStatistics)
        #expect(stats.bbox == BoundingBox(xmin: 10, xmax: 40, ymin: 10, ymax: 40, zmin: 30, zmax: 80, mmin: 200, mmax: 1600))
        #expect(stats.geospatialTypes?.prefix(3) == [1, 2, 3])
        let geography = try footerMetadata("data/geospatial/geography-points.parquet")
        #expect(geography.schema[2].logicalType == .geography(crs: nil, algorithm: EdgeInterpolationAlgorithm.spherical.rawValue))
        let srid = try footerMetadata("data/geospatial/crs-srid.parquet")
        #expect(srid.schema.contains { $0.logicalType == .geometry(crs: "srid:5070") })
        // Bloom filter offset/length, encoding stats, exactness flags, page index locations.
        let bloom = try footerMetadata("data/data_index_bloom_encoding_with_length.parquet")
        let chunk = bloom.rowGroups[0].columns[0]
        #expect(chunk.metaData?.bloomFilterOffset == 253)
        #expect(chunk.metaData?.bloomFilterLength == 2064)
        #expect(chunk.metaData?.statistics?.isMaxValueExact == true)
        #expect(chunk.metaData?.statistics?.maxValue == Array("today".utf8))
        #expect(chunk.offsetIndexOffset == 2342 && chunk.offsetIndexLength == 11)
        #expect(chunk.columnIndexOffset == 2317 && chunk.columnIndexLength == 25)
        let encodingStats = try footerMetadata("data/data_index_bloom_encoding_stats.parquet")
        #expect(encodingStats.rowGroups[0].columns[0].metaData?.encodingStats == [
            PageEncodingStats(pageType: .dataPage, encoding: .plain, count: 1),
        ])
        #expect(encodingStats.rowGroups[0].columns[0].metaData?.codec == .gzip)
    }

    @Test func corruptListElementTypeIsReadLikeThrift() throws {
        guard Corpus.rootOrSkip() != nil else { return }
        // This file's first encodings list is declared list<i16>; its values are still varints.
        let meta = try footerMetadata("bad_data/ARROW-GH-41317.parquet")
        #expect(meta.rowGroups.allSatisfy { $0.columns.count == 105 })
    }
}

/// Decodes the footer of a corpus file.
func footerMetadata(_ path: String) throws -> FileMetaData {
    let footer = try Footer(file: try Corpus.bytes(path))
    return try FileMetaData(decoding: footer.bytes, baseOffset: footer.start)
}
