import FloeCore
import FloeThrift

/// One node of the flattened (depth-first) schema tree (thrift `SchemaElement`).
///
/// Groups have `numChildren`; leaves have a physical `type`. Values are kept as read (an
/// unknown physical type stays e.g. `PhysicalType(rawValue: -7)`); validation is done above.
public struct SchemaElement: ThriftCodable {
    /// The physical type; set for leaves only (field 1).
    public var type: PhysicalType?
    /// The byte length of FIXED_LEN_BYTE_ARRAY values (field 2).
    public var typeLength: Int32?
    /// Required/optional/repeated; absent only on the root (field 3).
    public var repetitionType: FieldRepetitionType?
    /// The field name (field 4).
    public var name: String
    /// The number of children of a group (field 5).
    public var numChildren: Int32?
    /// The legacy converted type (field 6).
    public var convertedType: ConvertedType?
    /// The DECIMAL scale (legacy; field 7).
    public var scale: Int32?
    /// The DECIMAL precision (legacy; field 8).
    public var precision: Int32?
    /// The field id of the original schema, e.g. from Iceberg (field 9).
    public var fieldId: Int32?
    /// The logical type (field 10).
    public var logicalType: LogicalType?

    /// Creates a schema element.
    public init(type: PhysicalType? = nil, typeLength: Int32? = nil, repetitionType: FieldRepetitionType? = nil,
                name: String, numChildren: Int32? = nil, convertedType: ConvertedType? = nil,
                scale: Int32? = nil, precision: Int32? = nil, fieldId: Int32? = nil, logicalType: LogicalType? = nil) {
        self.type = type; self.typeLength = typeLength; self.repetitionType = repetitionType; self.name = name
        self.numChildren = numChildren; self.convertedType = convertedType; self.scale = scale
        self.precision = precision; self.fieldId = fieldId; self.logicalType = logicalType
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> SchemaElement {
        var s = SchemaElement(name: "")
        try s.readFields(&r)
        return s
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): type = PhysicalType(rawValue: try r.readI32())
            case (2, .i32): typeLength = try r.readI32()
            case (3, .i32): repetitionType = FieldRepetitionType(rawValue: try r.readI32())
            case (4, .binary): name = try r.readString(); seen |= 1
            case (5, .i32): numChildren = try r.readI32()
            case (6, .i32): convertedType = ConvertedType(rawValue: try r.readI32())
            case (7, .i32): scale = try r.readI32()
            case (8, .i32): precision = try r.readI32()
            case (9, .i32): fieldId = try r.readI32()
            case (10, .struct): logicalType = try LogicalType.decode(from: &r)
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 1 else { throw missingField("SchemaElement", "name", at: start) }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        if let type { w.writeI32Field(1, type.rawValue) }
        if let typeLength { w.writeI32Field(2, typeLength) }
        if let repetitionType { w.writeI32Field(3, repetitionType.rawValue) }
        w.writeStringField(4, name)
        if let numChildren { w.writeI32Field(5, numChildren) }
        if let convertedType { w.writeI32Field(6, convertedType.rawValue) }
        if let scale { w.writeI32Field(7, scale) }
        if let precision { w.writeI32Field(8, precision) }
        if let fieldId { w.writeI32Field(9, fieldId) }
        if let logicalType { w.writeStructField(10, logicalType) }
        w.endStruct()
    }
}

/// A key/value metadata pair (thrift `KeyValue`).
public struct KeyValue: ThriftCodable {
    /// The key (field 1).
    public var key: String
    /// The value, if any (field 2).
    public var value: String?

    /// Creates a pair.
    public init(key: String, value: String? = nil) {
        self.key = key
        self.value = value
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> KeyValue {
        var kv = KeyValue(key: "")
        try kv.readFields(&r)
        return kv
    }

    @inline(never)
    mutating func readFields(_ r: inout CompactReader) throws(FloeError) {
        let start = r.fileOffset
        try r.enterStruct()
        var seen: UInt32 = 0
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .binary): key = try r.readString(); seen |= 1
            case (2, .binary): value = try r.readString()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 1 else { throw missingField("KeyValue", "key", at: start) }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeStringField(1, key)
        if let value { w.writeStringField(2, value) }
        w.endStruct()
    }
}

/// The sort order of one column within a row group (thrift `SortingColumn`).
public struct SortingColumn: ThriftCodable {
    /// The leaf column index (field 1).
    public var columnIdx: Int32
    /// Descending order (field 2).
    public var descending: Bool
    /// Nulls sort before values (field 3).
    public var nullsFirst: Bool

    /// Creates a sorting column.
    public init(columnIdx: Int32, descending: Bool, nullsFirst: Bool) {
        self.columnIdx = columnIdx
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> SortingColumn {
        let start = r.fileOffset
        try r.enterStruct()
        var columnIdx: Int32?, descending: Bool?, nullsFirst: Bool?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): columnIdx = try r.readI32()
            case (2, .bool): descending = f.boolValue
            case (3, .bool): nullsFirst = f.boolValue
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let columnIdx else { throw missingField("SortingColumn", "column_idx", at: start) }
        guard let descending else { throw missingField("SortingColumn", "descending", at: start) }
        guard let nullsFirst else { throw missingField("SortingColumn", "nulls_first", at: start) }
        return SortingColumn(columnIdx: columnIdx, descending: descending, nullsFirst: nullsFirst)
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI32Field(1, columnIdx)
        w.writeBoolField(2, descending)
        w.writeBoolField(3, nullsFirst)
        w.endStruct()
    }
}
