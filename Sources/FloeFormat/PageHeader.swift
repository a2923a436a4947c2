import FloeCore
import FloeThrift

/// The header of a version 1 data page (thrift `DataPageHeader`).
public struct DataPageHeader: ThriftCodable {
    /// The number of values including nulls (field 1).
    public var numValues: Int32
    /// The encoding of the values (field 2).
    public var encoding: Encoding
    /// The encoding of the definition levels (field 3).
    public var definitionLevelEncoding: Encoding
    /// The encoding of the repetition levels (field 4).
    public var repetitionLevelEncoding: Encoding
    /// Page statistics (field 5).
    public var statistics: Statistics?

    /// Creates a data page header.
    public init(numValues: Int32, encoding: Encoding, definitionLevelEncoding: Encoding,
                repetitionLevelEncoding: Encoding, statistics: Statistics? = nil) {
        self.numValues = numValues; self.encoding = encoding
        self.definitionLevelEncoding = definitionLevelEncoding
        self.repetitionLevelEncoding = repetitionLevelEncoding; self.statistics = statistics
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> DataPageHeader {
        var h = DataPageHeader(numValues: 0, encoding: .plain, definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle)
        try h.readFields(&r)
        return h
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): numValues = try r.readI32(); seen |= 1
            case (2, .i32): encoding = Encoding(rawValue: try r.readI32()); seen |= 2
            case (3, .i32): definitionLevelEncoding = Encoding(rawValue: try r.readI32()); seen |= 4
            case (4, .i32): repetitionLevelEncoding = Encoding(rawValue: try r.readI32()); seen |= 8
            case (5, .struct): statistics = try Statistics.decode(from: &r)
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 0b1111 else {
            throw missingRequired("DataPageHeader", ["num_values", "encoding", "definition_level_encoding",
                                                     "repetition_level_encoding"], seen: seen, at: start)
        }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI32Field(1, numValues)
        w.writeI32Field(2, encoding.rawValue)
        w.writeI32Field(3, definitionLevelEncoding.rawValue)
        w.writeI32Field(4, repetitionLevelEncoding.rawValue)
        if let statistics { w.writeStructField(5, statistics) }
        w.endStruct()
    }
}

/// The header of an index page (thrift `IndexPageHeader`; no fields yet).
public struct IndexPageHeader: ThriftCodable {
    /// Creates an index page header.
    public init() {}

    public static func decode(from r: inout CompactReader) throws(FloeError) -> IndexPageHeader {
        try r.skipStruct()
        return IndexPageHeader()
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.endStruct()
    }
}

/// The header of a dictionary page (thrift `DictionaryPageHeader`).
public struct DictionaryPageHeader: ThriftCodable {
    /// The number of dictionary entries (field 1).
    public var numValues: Int32
    /// The encoding of the entries (field 2).
    public var encoding: Encoding
    /// Whether the entries are sorted (field 3).
    public var isSorted: Bool?

    /// Creates a dictionary page header.
    public init(numValues: Int32, encoding: Encoding, isSorted: Bool? = nil) {
        self.numValues = numValues
        self.encoding = encoding
        self.isSorted = isSorted
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> DictionaryPageHeader {
        let start = r.fileOffset
        try r.enterStruct()
        var numValues: Int32?, encoding: Int32?, isSorted: Bool?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): numValues = try r.readI32()
            case (2, .i32): encoding = try r.readI32()
            case (3, .bool): isSorted = f.boolValue
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let numValues else { throw missingField("DictionaryPageHeader", "num_values", at: start) }
        guard let encoding else { throw missingField("DictionaryPageHeader", "encoding", at: start) }
        return DictionaryPageHeader(numValues: numValues, encoding: Encoding(rawValue: encoding), isSorted: isSorted)
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI32Field(1, numValues)
        w.writeI32Field(2, encoding.rawValue)
        if let isSorted { w.writeBoolField(3, isSorted) }
        w.endStruct()
    }
}

/// The header of a version 2 data page (thrift `DataPageHeaderV2`): levels are stored
/// uncompressed before the (possibly compressed) values.
public struct DataPageHeaderV2: ThriftCodable {
    /// The number of values including nulls (field 1).
    public var numValues: Int32
    /// The number of nulls (field 2).
    public var numNulls: Int32
    /// The number of rows (field 3).
    public var numRows: Int32
    /// The encoding of the values (field 4).
    public var encoding: Encoding
    /// The byte length of the definition levels (field 5).
    public var definitionLevelsByteLength: Int32
    /// The byte length of the repetition levels (field 6).
    public var repetitionLevelsByteLength: Int32
    /// Whether the values section is compressed; absent means true (field 7).
    public var isCompressed: Bool?
    /// Page statistics (field 8).
    public var statistics: Statistics?

    /// Creates a v2 data page header.
    public init(numValues: Int32, numNulls: Int32, numRows: Int32, encoding: Encoding,
                definitionLevelsByteLength: Int32, repetitionLevelsByteLength: Int32,
                isCompressed: Bool? = nil, statistics: Statistics? = nil) {
        self.numValues = numValues; self.numNulls = numNulls; self.numRows = numRows; self.encoding = encoding
        self.definitionLevelsByteLength = definitionLevelsByteLength
        self.repetitionLevelsByteLength = repetitionLevelsByteLength
        self.isCompressed = isCompressed; self.statistics = statistics
    }

    /// `isCompressed` with its thrift default (true) applied.
    @inlinable public var valuesAreCompressed: Bool { isCompressed ?? true }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> DataPageHeaderV2 {
        var h = DataPageHeaderV2(numValues: 0, numNulls: 0, numRows: 0, encoding: .plain,
                                 definitionLevelsByteLength: 0, repetitionLevelsByteLength: 0)
        try h.readFields(&r)
        return h
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): numValues = try r.readI32(); seen |= 1
            case (2, .i32): numNulls = try r.readI32(); seen |= 2
            case (3, .i32): numRows = try r.readI32(); seen |= 4
            case (4, .i32): encoding = Encoding(rawValue: try r.readI32()); seen |= 8
            case (5, .i32): definitionLevelsByteLength = try r.readI32(); seen |= 16
            case (6, .i32): repetitionLevelsByteLength = try r.readI32(); seen |= 32
            case (7, .bool): isCompressed = f.boolValue
            case (8, .struct): statistics = try Statistics.decode(from: &r)
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 0b11_1111 else {
            throw missingRequired("DataPageHeaderV2", ["num_values", "num_nulls", "num_rows", "encoding",
                                                       "definition_levels_byte_length", "repetition_levels_byte_length"],
                                  seen: seen, at: start)
        }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI32Field(1, numValues)
        w.writeI32Field(2, numNulls)
        w.writeI32Field(3, numRows)
        w.writeI32Field(4, encoding.rawValue)
        w.writeI32Field(5, definitionLevelsByteLength)
        w.writeI32Field(6, repetitionLevelsByteLength)
        if let isCompressed { w.writeBoolField(7, isCompressed) }
        if let statistics { w.writeStructField(8, statistics) }
        w.endStruct()
    }
}

/// The header in front of every page (thrift `PageHeader`).
///
/// Decode one with `PageHeader.decode(bytes, at: offset, baseOffset:)`, which returns the
/// header and its length in bytes (the page body follows).
public struct PageHeader: ThriftCodable {
    /// The kind of page (field 1).
    public var type: PageType
    /// The page body size before compression (field 2).
    public var uncompressedPageSize: Int32
    /// The page body size as stored (field 3).
    public var compressedPageSize: Int32
    /// CRC32 of the stored page body (field 4).
    public var crc: Int32?
    /// Set for DATA_PAGE (field 5).
    public var dataPageHeader: DataPageHeader?
    /// Set for INDEX_PAGE (field 6).
    public var indexPageHeader: IndexPageHeader?
    /// Set for DICTIONARY_PAGE (field 7).
    public var dictionaryPageHeader: DictionaryPageHeader?
    /// Set for DATA_PAGE_V2 (field 8).
    public var dataPageHeaderV2: DataPageHeaderV2?

    /// Creates a page header.
    public init(type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32, crc: Int32? = nil,
                dataPageHeader: DataPageHeader? = nil, indexPageHeader: IndexPageHeader? = nil,
                dictionaryPageHeader: DictionaryPageHeader? = nil, dataPageHeaderV2: DataPageHeaderV2? = nil) {
        self.type = type; self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize; self.crc = crc; self.dataPageHeader = dataPageHeader
        self.indexPageHeader = indexPageHeader; self.dictionaryPageHeader = dictionaryPageHeader
        self.dataPageHeaderV2 = dataPageHeaderV2
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> PageHeader {
        var h = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0)
        try h.readFields(&r)
        return h
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): type = PageType(rawValue: try r.readI32()); seen |= 1
            case (2, .i32): uncompressedPageSize = try r.readI32(); seen |= 2
            case (3, .i32): compressedPageSize = try r.readI32(); seen |= 4
            case (4, .i32): crc = try r.readI32()
            case (5, .struct): dataPageHeader = try DataPageHeader.decode(from: &r)
            case (6, .struct): indexPageHeader = try IndexPageHeader.decode(from: &r)
            case (7, .struct): dictionaryPageHeader = try DictionaryPageHeader.decode(from: &r)
            case (8, .struct): dataPageHeaderV2 = try DataPageHeaderV2.decode(from: &r)
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 0b111 else {
            throw missingRequired("PageHeader", ["type", "uncompressed_page_size", "compressed_page_size"],
                                  seen: seen, at: start)
        }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI32Field(1, type.rawValue)
        w.writeI32Field(2, uncompressedPageSize)
        w.writeI32Field(3, compressedPageSize)
        if let crc { w.writeI32Field(4, crc) }
        if let dataPageHeader { w.writeStructField(5, dataPageHeader) }
        if let indexPageHeader { w.writeStructField(6, indexPageHeader) }
        if let dictionaryPageHeader { w.writeStructField(7, dictionaryPageHeader) }
        if let dataPageHeaderV2 { w.writeStructField(8, dataPageHeaderV2) }
        w.endStruct()
    }
}

/// How many pages of a column chunk use one page type and encoding (thrift `PageEncodingStats`).
public struct PageEncodingStats: ThriftCodable {
    /// The page type (field 1).
    public var pageType: PageType
    /// The encoding of those pages (field 2).
    public var encoding: Encoding
    /// The number of such pages (field 3).
    public var count: Int32

    /// Creates page encoding stats.
    public init(pageType: PageType, encoding: Encoding, count: Int32) {
        self.pageType = pageType
        self.encoding = encoding
        self.count = count
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> PageEncodingStats {
        let start = r.fileOffset
        try r.enterStruct()
        var pageType: Int32?, encoding: Int32?, count: Int32?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): pageType = try r.readI32()
            case (2, .i32): encoding = try r.readI32()
            case (3, .i32): count = try r.readI32()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let pageType else { throw missingField("PageEncodingStats", "page_type", at: start) }
        guard let encoding else { throw missingField("PageEncodingStats", "encoding", at: start) }
        guard let count else { throw missingField("PageEncodingStats", "count", at: start) }
        return PageEncodingStats(pageType: PageType(rawValue: pageType), encoding: Encoding(rawValue: encoding),
                                 count: count)
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI32Field(1, pageType.rawValue)
        w.writeI32Field(2, encoding.rawValue)
        w.writeI32Field(3, count)
        w.endStruct()
    }
}
