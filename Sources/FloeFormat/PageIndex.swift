import FloeCore
import FloeThrift

/// Where one data page of a column chunk is (thrift `PageLocation`).
public struct PageLocation: ThriftCodable {
    /// The file offset of the page header (field 1).
    public var offset: Int64
    /// The page's size as stored, header included (field 2).
    public var compressedPageSize: Int32
    /// The index of the page's first row within the row group (field 3).
    public var firstRowIndex: Int64

    /// Creates a page location.
    public init(offset: Int64, compressedPageSize: Int32, firstRowIndex: Int64) {
        self.offset = offset
        self.compressedPageSize = compressedPageSize
        self.firstRowIndex = firstRowIndex
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> PageLocation {
        let start = r.fileOffset
        try r.enterStruct()
        var offset: Int64?, size: Int32?, firstRow: Int64?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i64): offset = try r.readI64()
            case (2, .i32): size = try r.readI32()
            case (3, .i64): firstRow = try r.readI64()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let offset else { throw missingField("PageLocation", "offset", at: start) }
        guard let size else { throw missingField("PageLocation", "compressed_page_size", at: start) }
        guard let firstRow else { throw missingField("PageLocation", "first_row_index", at: start) }
        return PageLocation(offset: offset, compressedPageSize: size, firstRowIndex: firstRow)
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI64Field(1, offset)
        w.writeI32Field(2, compressedPageSize)
        w.writeI64Field(3, firstRowIndex)
        w.endStruct()
    }
}

/// The page locations of a column chunk (thrift `OffsetIndex`).
///
/// Decode with `OffsetIndex(decoding: bytes, baseOffset: offsetIndexOffset)`.
public struct OffsetIndex: ThriftCodable {
    /// One entry per data page, in order (field 1).
    public var pageLocations: [PageLocation]
    /// Unencoded BYTE_ARRAY bytes per page (field 2).
    public var unencodedByteArrayDataBytes: [Int64]?

    /// Creates an offset index.
    public init(pageLocations: [PageLocation], unencodedByteArrayDataBytes: [Int64]? = nil) {
        self.pageLocations = pageLocations
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> OffsetIndex {
        var o = OffsetIndex(pageLocations: [])
        try o.readFields(&r)
        return o
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .list): pageLocations = try r.readStructList(PageLocation.self, "OffsetIndex.page_locations"); seen |= 1
            case (2, .list): unencodedByteArrayDataBytes = try r.readI64List("OffsetIndex.unencoded_byte_array_data_bytes")
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 1 else { throw missingField("OffsetIndex", "page_locations", at: start) }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeStructList(1, pageLocations)
        if let unencodedByteArrayDataBytes { w.writeI64List(2, unencodedByteArrayDataBytes) }
        w.endStruct()
    }
}

/// Per-page min/max statistics of a column chunk (thrift `ColumnIndex`).
///
/// Decode with `ColumnIndex(decoding: bytes, baseOffset: columnIndexOffset)`.
public struct ColumnIndex: ThriftCodable {
    /// Whether each page holds only nulls (field 1).
    public var nullPages: [Bool]
    /// Each page's minimum (empty for null pages) (field 2).
    public var minValues: [[UInt8]]
    /// Each page's maximum (empty for null pages) (field 3).
    public var maxValues: [[UInt8]]
    /// How the min/max values are ordered across pages (field 4).
    public var boundaryOrder: BoundaryOrder
    /// Each page's null count (field 5).
    public var nullCounts: [Int64]?
    /// Repetition level histograms of all pages, concatenated (field 6).
    public var repetitionLevelHistograms: [Int64]?
    /// Definition level histograms of all pages, concatenated (field 7).
    public var definitionLevelHistograms: [Int64]?
    /// Each page's NaN count (field 8).
    public var nanCounts: [Int64]?

    /// Creates a column index.
    public init(nullPages: [Bool], minValues: [[UInt8]], maxValues: [[UInt8]], boundaryOrder: BoundaryOrder,
                nullCounts: [Int64]? = nil, repetitionLevelHistograms: [Int64]? = nil,
                definitionLevelHistograms: [Int64]? = nil, nanCounts: [Int64]? = nil) {
        self.nullPages = nullPages; self.minValues = minValues; self.maxValues = maxValues
        self.boundaryOrder = boundaryOrder; self.nullCounts = nullCounts
        self.repetitionLevelHistograms = repetitionLevelHistograms
        self.definitionLevelHistograms = definitionLevelHistograms; self.nanCounts = nanCounts
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> ColumnIndex {
        var c = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: .unordered)
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
            case (1, .list): nullPages = try r.readBoolList("ColumnIndex.null_pages"); seen |= 1
            case (2, .list): minValues = try r.readBinaryList("ColumnIndex.min_values"); seen |= 2
            case (3, .list): maxValues = try r.readBinaryList("ColumnIndex.max_values"); seen |= 4
            case (4, .i32): boundaryOrder = BoundaryOrder(rawValue: try r.readI32()); seen |= 8
            case (5, .list): nullCounts = try r.readI64List("ColumnIndex.null_counts")
            case (6, .list): repetitionLevelHistograms = try r.readI64List("ColumnIndex.repetition_level_histograms")
            case (7, .list): definitionLevelHistograms = try r.readI64List("ColumnIndex.definition_level_histograms")
            case (8, .list): nanCounts = try r.readI64List("ColumnIndex.nan_counts")
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 0b1111 else {
            throw missingRequired("ColumnIndex", ["null_pages", "min_values", "max_values", "boundary_order"],
                                  seen: seen, at: start)
        }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeBoolList(1, nullPages)
        w.writeBinaryList(2, minValues)
        w.writeBinaryList(3, maxValues)
        w.writeI32Field(4, boundaryOrder.rawValue)
        if let nullCounts { w.writeI64List(5, nullCounts) }
        if let repetitionLevelHistograms { w.writeI64List(6, repetitionLevelHistograms) }
        if let definitionLevelHistograms { w.writeI64List(7, definitionLevelHistograms) }
        if let nanCounts { w.writeI64List(8, nanCounts) }
        w.endStruct()
    }
}
