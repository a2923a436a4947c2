import FloeCore
import FloeThrift

/// The metadata of one column chunk (thrift `ColumnMetaData`).
public struct ColumnMetaData: ThriftCodable {
    /// The physical type (field 1).
    public var type: PhysicalType
    /// Every encoding used by the chunk's pages, levels included (field 2).
    public var encodings: [Encoding]
    /// The column's path from the root, without the root (field 3).
    public var pathInSchema: [String]
    /// The compression codec (field 4).
    public var codec: CompressionCodec
    /// The number of values, nulls included (field 5).
    public var numValues: Int64
    /// Total bytes of all pages before compression, headers included (field 6).
    public var totalUncompressedSize: Int64
    /// Total bytes of all pages as stored, headers included (field 7).
    public var totalCompressedSize: Int64
    /// Column key/value metadata (field 8).
    public var keyValueMetadata: [KeyValue]?
    /// The file offset of the first data page (field 9).
    public var dataPageOffset: Int64
    /// The file offset of the first index page (field 10).
    public var indexPageOffset: Int64?
    /// The file offset of the dictionary page (field 11).
    public var dictionaryPageOffset: Int64?
    /// Chunk statistics (field 12).
    public var statistics: Statistics?
    /// Per page type and encoding counts (field 13).
    public var encodingStats: [PageEncodingStats]?
    /// The file offset of the bloom filter header (field 14).
    public var bloomFilterOffset: Int64?
    /// The bloom filter's length, header included (field 15).
    public var bloomFilterLength: Int32?
    /// Sizes and level histograms (field 16).
    public var sizeStatistics: SizeStatistics?
    /// Statistics of a geospatial column (field 17).
    public var geospatialStatistics: GeospatialStatistics?

    /// Creates column metadata.
    public init(type: PhysicalType, encodings: [Encoding], pathInSchema: [String], codec: CompressionCodec,
                numValues: Int64, totalUncompressedSize: Int64, totalCompressedSize: Int64,
                keyValueMetadata: [KeyValue]? = nil, dataPageOffset: Int64, indexPageOffset: Int64? = nil,
                dictionaryPageOffset: Int64? = nil, statistics: Statistics? = nil,
                encodingStats: [PageEncodingStats]? = nil, bloomFilterOffset: Int64? = nil,
                bloomFilterLength: Int32? = nil, sizeStatistics: SizeStatistics? = nil,
                geospatialStatistics: GeospatialStatistics? = nil) {
        self.type = type; self.encodings = encodings; self.pathInSchema = pathInSchema; self.codec = codec
        self.numValues = numValues; self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize; self.keyValueMetadata = keyValueMetadata
        self.dataPageOffset = dataPageOffset; self.indexPageOffset = indexPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset; self.statistics = statistics
        self.encodingStats = encodingStats; self.bloomFilterOffset = bloomFilterOffset
        self.bloomFilterLength = bloomFilterLength; self.sizeStatistics = sizeStatistics
        self.geospatialStatistics = geospatialStatistics
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> ColumnMetaData {
        var m = ColumnMetaData(type: .boolean, encodings: [], pathInSchema: [], codec: .uncompressed, numValues: 0,
                               totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: 0)
        try m.readFields(&r)
        return m
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): type = PhysicalType(rawValue: try r.readI32()); seen |= 1
            case (2, .list):
                let n = try r.readListHeader(of: .i32, "ColumnMetaData.encodings")
                var list: [Encoding] = []
                list.reserveCapacity(n)
                for _ in 0..<n { list.append(Encoding(rawValue: try r.readI32())) }
                encodings = list
                seen |= 2
            case (3, .list): pathInSchema = try r.readStringList("ColumnMetaData.path_in_schema"); seen |= 4
            case (4, .i32): codec = CompressionCodec(rawValue: try r.readI32()); seen |= 8
            case (5, .i64): numValues = try r.readI64(); seen |= 16
            case (6, .i64): totalUncompressedSize = try r.readI64(); seen |= 32
            case (7, .i64): totalCompressedSize = try r.readI64(); seen |= 64
            case (8, .list): keyValueMetadata = try r.readStructList(KeyValue.self, "ColumnMetaData.key_value_metadata")
            case (9, .i64): dataPageOffset = try r.readI64(); seen |= 128
            case (10, .i64): indexPageOffset = try r.readI64()
            case (11, .i64): dictionaryPageOffset = try r.readI64()
            case (12, .struct): statistics = try Statistics.decode(from: &r)
            case (13, .list):
                encodingStats = try r.readStructList(PageEncodingStats.self, "ColumnMetaData.encoding_stats")
            case (14, .i64): bloomFilterOffset = try r.readI64()
            case (15, .i32): bloomFilterLength = try r.readI32()
            case (16, .struct): sizeStatistics = try SizeStatistics.decode(from: &r)
            case (17, .struct): geospatialStatistics = try GeospatialStatistics.decode(from: &r)
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 0xFF else {
            throw missingRequired("ColumnMetaData", ["type", "encodings", "path_in_schema", "codec", "num_values",
                                                     "total_uncompressed_size", "total_compressed_size",
                                                     "data_page_offset"], seen: seen, at: start)
        }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI32Field(1, type.rawValue)
        w.writeListField(2, elementType: .i32, count: encodings.count)
        for e in encodings { w.writeI32(e.rawValue) }
        w.writeStringList(3, pathInSchema)
        w.writeI32Field(4, codec.rawValue)
        w.writeI64Field(5, numValues)
        w.writeI64Field(6, totalUncompressedSize)
        w.writeI64Field(7, totalCompressedSize)
        if let keyValueMetadata { w.writeStructList(8, keyValueMetadata) }
        w.writeI64Field(9, dataPageOffset)
        if let indexPageOffset { w.writeI64Field(10, indexPageOffset) }
        if let dictionaryPageOffset { w.writeI64Field(11, dictionaryPageOffset) }
        if let statistics { w.writeStructField(12, statistics) }
        if let encodingStats { w.writeStructList(13, encodingStats) }
        if let bloomFilterOffset { w.writeI64Field(14, bloomFilterOffset) }
        if let bloomFilterLength { w.writeI32Field(15, bloomFilterLength) }
        if let sizeStatistics { w.writeStructField(16, sizeStatistics) }
        if let geospatialStatistics { w.writeStructField(17, geospatialStatistics) }
        w.endStruct()
    }
}

/// A column encrypted with its own key (thrift `EncryptionWithColumnKey`).
public struct EncryptionWithColumnKey: ThriftCodable {
    /// The column's path (field 1).
    public var pathInSchema: [String]
    /// The key metadata, for retrieving the column key (field 2).
    public var keyMetadata: [UInt8]?

    /// Creates column-key encryption metadata.
    public init(pathInSchema: [String], keyMetadata: [UInt8]? = nil) {
        self.pathInSchema = pathInSchema
        self.keyMetadata = keyMetadata
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> EncryptionWithColumnKey {
        var k = EncryptionWithColumnKey(pathInSchema: [])
        try k.readFields(&r)
        return k
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .list): pathInSchema = try r.readStringList("EncryptionWithColumnKey.path_in_schema"); seen |= 1
            case (2, .binary): keyMetadata = try r.readBinary()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 1 else { throw missingField("EncryptionWithColumnKey", "path_in_schema", at: start) }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeStringList(1, pathInSchema)
        if let keyMetadata { w.writeBinaryField(2, keyMetadata) }
        w.endStruct()
    }
}

/// How a column chunk is encrypted (thrift union `ColumnCryptoMetaData`).
public enum ColumnCryptoMetaData: ThriftCodable {
    /// `ENCRYPTION_WITH_FOOTER_KEY` (1).
    case encryptionWithFooterKey
    /// `ENCRYPTION_WITH_COLUMN_KEY` (2).
    case encryptionWithColumnKey(EncryptionWithColumnKey)
    /// A member this code does not know (0 for an empty union).
    case unrecognized(fieldId: Int16)

    public static func decode(from r: inout CompactReader) throws(FloeError) -> ColumnCryptoMetaData {
        try r.enterStruct()
        var result: ColumnCryptoMetaData?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            guard result == nil, f.type == .struct else { try r.skipField(f); continue }
            switch f.id {
            case 1: result = .encryptionWithFooterKey; try r.skipStruct()
            case 2: result = .encryptionWithColumnKey(try EncryptionWithColumnKey.decode(from: &r))
            default: result = .unrecognized(fieldId: f.id); try r.skipStruct()
            }
        }
        r.exitStruct()
        return result ?? .unrecognized(fieldId: 0)
    }

    public func encode(to w: inout CompactWriter) {
        switch self {
        case .encryptionWithFooterKey: w.writeEmptyUnion(memberId: 1)
        case let .encryptionWithColumnKey(key):
            w.beginStruct()
            w.writeStructField(2, key)
            w.endStruct()
        case let .unrecognized(id): w.writeEmptyUnion(memberId: id)
        }
    }
}

/// One column of one row group (thrift `ColumnChunk`).
public struct ColumnChunk: ThriftCodable {
    /// The file holding the chunk when not this one (field 1).
    public var filePath: String?
    /// Deprecated: the offset of the chunk's metadata; writers put 0 or the data offset (field 2).
    public var fileOffset: Int64
    /// The chunk's metadata; absent when encrypted with a column key (field 3).
    public var metaData: ColumnMetaData?
    /// The file offset of the chunk's offset index (field 4).
    public var offsetIndexOffset: Int64?
    /// The byte length of the offset index (field 5).
    public var offsetIndexLength: Int32?
    /// The file offset of the chunk's column index (field 6).
    public var columnIndexOffset: Int64?
    /// The byte length of the column index (field 7).
    public var columnIndexLength: Int32?
    /// How the chunk is encrypted (field 8).
    public var cryptoMetadata: ColumnCryptoMetaData?
    /// The encrypted `ColumnMetaData` (field 9).
    public var encryptedColumnMetadata: [UInt8]?

    /// Creates a column chunk.
    public init(filePath: String? = nil, fileOffset: Int64 = 0, metaData: ColumnMetaData? = nil,
                offsetIndexOffset: Int64? = nil, offsetIndexLength: Int32? = nil, columnIndexOffset: Int64? = nil,
                columnIndexLength: Int32? = nil, cryptoMetadata: ColumnCryptoMetaData? = nil,
                encryptedColumnMetadata: [UInt8]? = nil) {
        self.filePath = filePath; self.fileOffset = fileOffset; self.metaData = metaData
        self.offsetIndexOffset = offsetIndexOffset; self.offsetIndexLength = offsetIndexLength
        self.columnIndexOffset = columnIndexOffset; self.columnIndexLength = columnIndexLength
        self.cryptoMetadata = cryptoMetadata; self.encryptedColumnMetadata = encryptedColumnMetadata
    }

    /// True when the chunk carries encryption metadata.
    public var isEncrypted: Bool { cryptoMetadata != nil || encryptedColumnMetadata != nil }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> ColumnChunk {
        var c = ColumnChunk()
        try c.readFields(&r)
        return c
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .binary): filePath = try r.readString()
            case (2, .i64): fileOffset = try r.readI64(); seen |= 1
            case (3, .struct): metaData = try ColumnMetaData.decode(from: &r)
            case (4, .i64): offsetIndexOffset = try r.readI64()
            case (5, .i32): offsetIndexLength = try r.readI32()
            case (6, .i64): columnIndexOffset = try r.readI64()
            case (7, .i32): columnIndexLength = try r.readI32()
            case (8, .struct): cryptoMetadata = try ColumnCryptoMetaData.decode(from: &r)
            case (9, .binary): encryptedColumnMetadata = try r.readBinary()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 1 else { throw missingField("ColumnChunk", "file_offset", at: start) }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        if let filePath { w.writeStringField(1, filePath) }
        w.writeI64Field(2, fileOffset)
        if let metaData { w.writeStructField(3, metaData) }
        if let offsetIndexOffset { w.writeI64Field(4, offsetIndexOffset) }
        if let offsetIndexLength { w.writeI32Field(5, offsetIndexLength) }
        if let columnIndexOffset { w.writeI64Field(6, columnIndexOffset) }
        if let columnIndexLength { w.writeI32Field(7, columnIndexLength) }
        if let cryptoMetadata { w.writeStructField(8, cryptoMetadata) }
        if let encryptedColumnMetadata { w.writeBinaryField(9, encryptedColumnMetadata) }
        w.endStruct()
    }
}

/// A horizontal slice of the table (thrift `RowGroup`).
public struct RowGroup: ThriftCodable {
    /// One chunk per leaf column, in schema order (field 1).
    public var columns: [ColumnChunk]
    /// Total uncompressed bytes of all column data (field 2).
    public var totalByteSize: Int64
    /// The number of rows (field 3).
    public var numRows: Int64
    /// The sort order of the rows (field 4).
    public var sortingColumns: [SortingColumn]?
    /// The file offset of the first page of the first column (field 5).
    public var fileOffset: Int64?
    /// Total compressed bytes of all column chunks (field 6).
    public var totalCompressedSize: Int64?
    /// The row group's ordinal in the file (field 7).
    public var ordinal: Int16?

    /// Creates a row group.
    public init(columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64, sortingColumns: [SortingColumn]? = nil,
                fileOffset: Int64? = nil, totalCompressedSize: Int64? = nil, ordinal: Int16? = nil) {
        self.columns = columns; self.totalByteSize = totalByteSize; self.numRows = numRows
        self.sortingColumns = sortingColumns; self.fileOffset = fileOffset
        self.totalCompressedSize = totalCompressedSize; self.ordinal = ordinal
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> RowGroup {
        var g = RowGroup(columns: [], totalByteSize: 0, numRows: 0)
        try g.readFields(&r)
        return g
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .list): columns = try r.readStructList(ColumnChunk.self, "RowGroup.columns"); seen |= 1
            case (2, .i64): totalByteSize = try r.readI64(); seen |= 2
            case (3, .i64): numRows = try r.readI64(); seen |= 4
            case (4, .list): sortingColumns = try r.readStructList(SortingColumn.self, "RowGroup.sorting_columns")
            case (5, .i64): fileOffset = try r.readI64()
            case (6, .i64): totalCompressedSize = try r.readI64()
            case (7, .i16): ordinal = try r.readI16()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 0b111 else {
            throw missingRequired("RowGroup", ["columns", "total_byte_size", "num_rows"], seen: seen, at: start)
        }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeStructList(1, columns)
        w.writeI64Field(2, totalByteSize)
        w.writeI64Field(3, numRows)
        if let sortingColumns { w.writeStructList(4, sortingColumns) }
        if let fileOffset { w.writeI64Field(5, fileOffset) }
        if let totalCompressedSize { w.writeI64Field(6, totalCompressedSize) }
        if let ordinal { w.writeI16Field(7, ordinal) }
        w.endStruct()
    }
}
