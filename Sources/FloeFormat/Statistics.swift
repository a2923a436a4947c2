import FloeCore
import FloeThrift

/// Statistics of a column chunk or a page (thrift `Statistics`). All fields are optional.
///
/// `max`/`min` are the deprecated signed-order values; `maxValue`/`minValue` follow the
/// column's `ColumnOrder`.
public struct Statistics: ThriftCodable {
    /// Deprecated maximum (field 1).
    public var max: [UInt8]?
    /// Deprecated minimum (field 2).
    public var min: [UInt8]?
    /// The number of nulls (field 3).
    public var nullCount: Int64?
    /// The number of distinct values (field 4).
    public var distinctCount: Int64?
    /// The maximum value in the column's sort order (field 5).
    public var maxValue: [UInt8]?
    /// The minimum value in the column's sort order (field 6).
    public var minValue: [UInt8]?
    /// Whether `maxValue` is the exact maximum (not truncated) (field 7).
    public var isMaxValueExact: Bool?
    /// Whether `minValue` is the exact minimum (not truncated) (field 8).
    public var isMinValueExact: Bool?
    /// The number of NaN values of a floating-point column (field 9).
    public var nanCount: Int64?

    /// Creates statistics; every field is optional.
    public init(max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil, distinctCount: Int64? = nil,
                maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil, isMaxValueExact: Bool? = nil,
                isMinValueExact: Bool? = nil, nanCount: Int64? = nil) {
        self.max = max; self.min = min; self.nullCount = nullCount; self.distinctCount = distinctCount
        self.maxValue = maxValue; self.minValue = minValue; self.isMaxValueExact = isMaxValueExact
        self.isMinValueExact = isMinValueExact; self.nanCount = nanCount
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> Statistics {
        var s = Statistics()
        try s.readFields(&r)
        return s
    }

    // Fields are read in place (not into a local returned by value) so that no copy of the
    // arrays is retained and released on the way out.
    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        try r.enterStruct()
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .binary): max = try r.readBinary()
            case (2, .binary): min = try r.readBinary()
            case (3, .i64): nullCount = try r.readI64()
            case (4, .i64): distinctCount = try r.readI64()
            case (5, .binary): maxValue = try r.readBinary()
            case (6, .binary): minValue = try r.readBinary()
            case (7, .bool): isMaxValueExact = f.boolValue
            case (8, .bool): isMinValueExact = f.boolValue
            case (9, .i64): nanCount = try r.readI64()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        if let max { w.writeBinaryField(1, max) }
        if let min { w.writeBinaryField(2, min) }
        if let nullCount { w.writeI64Field(3, nullCount) }
        if let distinctCount { w.writeI64Field(4, distinctCount) }
        if let maxValue { w.writeBinaryField(5, maxValue) }
        if let minValue { w.writeBinaryField(6, minValue) }
        if let isMaxValueExact { w.writeBoolField(7, isMaxValueExact) }
        if let isMinValueExact { w.writeBoolField(8, isMinValueExact) }
        if let nanCount { w.writeI64Field(9, nanCount) }
        w.endStruct()
    }
}

/// Sizes and level histograms of a column chunk or page (thrift `SizeStatistics`).
public struct SizeStatistics: ThriftCodable {
    /// Bytes of BYTE_ARRAY data before encoding and compression, without length prefixes (field 1).
    public var unencodedByteArrayDataBytes: Int64?
    /// Count of values at each repetition level, 0…max (field 2).
    public var repetitionLevelHistogram: [Int64]?
    /// Count of values at each definition level, 0…max (field 3).
    public var definitionLevelHistogram: [Int64]?

    /// Creates size statistics; every field is optional.
    public init(unencodedByteArrayDataBytes: Int64? = nil, repetitionLevelHistogram: [Int64]? = nil,
                definitionLevelHistogram: [Int64]? = nil) {
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
        self.repetitionLevelHistogram = repetitionLevelHistogram
        self.definitionLevelHistogram = definitionLevelHistogram
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> SizeStatistics {
        var s = SizeStatistics()
        try s.readFields(&r)
        return s
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        try r.enterStruct()
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i64): unencodedByteArrayDataBytes = try r.readI64()
            case (2, .list): repetitionLevelHistogram = try r.readI64List("SizeStatistics.repetition_level_histogram")
            case (3, .list): definitionLevelHistogram = try r.readI64List("SizeStatistics.definition_level_histogram")
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        if let unencodedByteArrayDataBytes { w.writeI64Field(1, unencodedByteArrayDataBytes) }
        if let repetitionLevelHistogram { w.writeI64List(2, repetitionLevelHistogram) }
        if let definitionLevelHistogram { w.writeI64List(3, definitionLevelHistogram) }
        w.endStruct()
    }
}

/// A bounding box of geospatial values (thrift `BoundingBox`).
///
/// Equality compares the bit patterns of the doubles, so a box holding NaN equals itself.
public struct BoundingBox: ThriftCodable {
    /// Field 1.
    public var xmin: Double
    /// Field 2.
    public var xmax: Double
    /// Field 3.
    public var ymin: Double
    /// Field 4.
    public var ymax: Double
    /// Field 5.
    public var zmin: Double?
    /// Field 6.
    public var zmax: Double?
    /// Field 7.
    public var mmin: Double?
    /// Field 8.
    public var mmax: Double?

    /// Creates a bounding box.
    public init(xmin: Double, xmax: Double, ymin: Double, ymax: Double, zmin: Double? = nil, zmax: Double? = nil,
                mmin: Double? = nil, mmax: Double? = nil) {
        self.xmin = xmin; self.xmax = xmax; self.ymin = ymin; self.ymax = ymax
        self.zmin = zmin; self.zmax = zmax; self.mmin = mmin; self.mmax = mmax
    }

    public static func == (a: BoundingBox, b: BoundingBox) -> Bool {
        func same(_ x: Double?, _ y: Double?) -> Bool { x?.bitPattern == y?.bitPattern }
        return same(a.xmin, b.xmin) && same(a.xmax, b.xmax) && same(a.ymin, b.ymin) && same(a.ymax, b.ymax)
            && same(a.zmin, b.zmin) && same(a.zmax, b.zmax) && same(a.mmin, b.mmin) && same(a.mmax, b.mmax)
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> BoundingBox {
        let start = r.fileOffset
        try r.enterStruct()
        var xmin: Double?, xmax: Double?, ymin: Double?, ymax: Double?
        var zmin: Double?, zmax: Double?, mmin: Double?, mmax: Double?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .double): xmin = try r.readDouble()
            case (2, .double): xmax = try r.readDouble()
            case (3, .double): ymin = try r.readDouble()
            case (4, .double): ymax = try r.readDouble()
            case (5, .double): zmin = try r.readDouble()
            case (6, .double): zmax = try r.readDouble()
            case (7, .double): mmin = try r.readDouble()
            case (8, .double): mmax = try r.readDouble()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let xmin else { throw missingField("BoundingBox", "xmin", at: start) }
        guard let xmax else { throw missingField("BoundingBox", "xmax", at: start) }
        guard let ymin else { throw missingField("BoundingBox", "ymin", at: start) }
        guard let ymax else { throw missingField("BoundingBox", "ymax", at: start) }
        return BoundingBox(xmin: xmin, xmax: xmax, ymin: ymin, ymax: ymax, zmin: zmin, zmax: zmax, mmin: mmin, mmax: mmax)
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeDoubleField(1, xmin)
        w.writeDoubleField(2, xmax)
        w.writeDoubleField(3, ymin)
        w.writeDoubleField(4, ymax)
        if let zmin { w.writeDoubleField(5, zmin) }
        if let zmax { w.writeDoubleField(6, zmax) }
        if let mmin { w.writeDoubleField(7, mmin) }
        if let mmax { w.writeDoubleField(8, mmax) }
        w.endStruct()
    }
}

/// Statistics of a GEOMETRY or GEOGRAPHY column (thrift `GeospatialStatistics`).
public struct GeospatialStatistics: ThriftCodable {
    /// The bounding box of all values (field 1).
    public var bbox: BoundingBox?
    /// The WKB geometry type codes present, or empty when unknown (field 2).
    public var geospatialTypes: [Int32]?

    /// Creates geospatial statistics.
    public init(bbox: BoundingBox? = nil, geospatialTypes: [Int32]? = nil) {
        self.bbox = bbox
        self.geospatialTypes = geospatialTypes
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> GeospatialStatistics {
        var s = GeospatialStatistics()
        try s.readFields(&r)
        return s
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        try r.enterStruct()
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .struct): bbox = try BoundingBox.decode(from: &r)
            case (2, .list): geospatialTypes = try r.readI32List("GeospatialStatistics.geospatial_types")
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        if let bbox { w.writeStructField(1, bbox) }
        if let geospatialTypes { w.writeI32List(2, geospatialTypes) }
        w.endStruct()
    }
}
