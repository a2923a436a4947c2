import FloeCore
import FloeThrift

/// The sort order used for a column's min/max statistics (thrift union `ColumnOrder`).
public enum ColumnOrder: ThriftCodable, Hashable {
    /// `TYPE_ORDER` (1): the order defined by the logical or physical type.
    case typeDefinedOrder
    /// `IEEE_754_TOTAL_ORDER` (2): IEEE 754 totalOrder for floating-point columns.
    case ieee754TotalOrder
    /// `INT96_TIMESTAMP_ORDER` (3): chronological order of legacy INT96 timestamps.
    case int96TimestampOrder
    /// A member this code does not know (0 for an empty union).
    case unrecognized(fieldId: Int16)

    public static func decode(from r: inout CompactReader) throws(FloeError) -> ColumnOrder {
        try r.enterStruct()
        var result: ColumnOrder?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            guard result == nil, f.type == .struct else { try r.skipField(f); continue }
            switch f.id {
            case 1: result = .typeDefinedOrder
            case 2: result = .ieee754TotalOrder
            case 3: result = .int96TimestampOrder
            default: result = .unrecognized(fieldId: f.id)
            }
            try r.skipStruct()
        }
        r.exitStruct()
        return result ?? .unrecognized(fieldId: 0)
    }

    public func encode(to w: inout CompactWriter) {
        switch self {
        case .typeDefinedOrder: w.writeEmptyUnion(memberId: 1)
        case .ieee754TotalOrder: w.writeEmptyUnion(memberId: 2)
        case .int96TimestampOrder: w.writeEmptyUnion(memberId: 3)
        case let .unrecognized(id): w.writeEmptyUnion(memberId: id)
        }
    }
}

/// Parameters of the AES-GCM algorithm (thrift `AesGcmV1`).
public struct AesGcmV1: ThriftCodable {
    /// The AAD prefix (field 1).
    public var aadPrefix: [UInt8]?
    /// The unique part of the file AAD (field 2).
    public var aadFileUnique: [UInt8]?
    /// Whether the reader must supply the AAD prefix (field 3).
    public var supplyAadPrefix: Bool?

    /// Creates AES-GCM parameters.
    public init(aadPrefix: [UInt8]? = nil, aadFileUnique: [UInt8]? = nil, supplyAadPrefix: Bool? = nil) {
        self.aadPrefix = aadPrefix
        self.aadFileUnique = aadFileUnique
        self.supplyAadPrefix = supplyAadPrefix
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> AesGcmV1 {
        let (prefix, unique, supply) = try decodeAesFields(&r)
        return AesGcmV1(aadPrefix: prefix, aadFileUnique: unique, supplyAadPrefix: supply)
    }

    public func encode(to w: inout CompactWriter) {
        encodeAesFields(&w, aadPrefix, aadFileUnique, supplyAadPrefix)
    }
}

/// Parameters of the AES-GCM-CTR algorithm (thrift `AesGcmCtrV1`).
public struct AesGcmCtrV1: ThriftCodable {
    /// The AAD prefix (field 1).
    public var aadPrefix: [UInt8]?
    /// The unique part of the file AAD (field 2).
    public var aadFileUnique: [UInt8]?
    /// Whether the reader must supply the AAD prefix (field 3).
    public var supplyAadPrefix: Bool?

    /// Creates AES-GCM-CTR parameters.
    public init(aadPrefix: [UInt8]? = nil, aadFileUnique: [UInt8]? = nil, supplyAadPrefix: Bool? = nil) {
        self.aadPrefix = aadPrefix
        self.aadFileUnique = aadFileUnique
        self.supplyAadPrefix = supplyAadPrefix
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> AesGcmCtrV1 {
        let (prefix, unique, supply) = try decodeAesFields(&r)
        return AesGcmCtrV1(aadPrefix: prefix, aadFileUnique: unique, supplyAadPrefix: supply)
    }

    public func encode(to w: inout CompactWriter) {
        encodeAesFields(&w, aadPrefix, aadFileUnique, supplyAadPrefix)
    }
}

private func decodeAesFields(_ r: inout CompactReader) throws(FloeError) -> ([UInt8]?, [UInt8]?, Bool?) {
    try r.enterStruct()
    var prefix: [UInt8]?, unique: [UInt8]?, supply: Bool?
    var last: Int16 = 0
    while let f = try r.readFieldHeader(lastId: &last) {
        switch (f.id, f.type) {
        case (1, .binary): prefix = try r.readBinary()
        case (2, .binary): unique = try r.readBinary()
        case (3, .bool): supply = f.boolValue
        default: try r.skipField(f)
        }
    }
    r.exitStruct()
    return (prefix, unique, supply)
}

private func encodeAesFields(_ w: inout CompactWriter, _ prefix: [UInt8]?, _ unique: [UInt8]?, _ supply: Bool?) {
    w.beginStruct()
    if let prefix { w.writeBinaryField(1, prefix) }
    if let unique { w.writeBinaryField(2, unique) }
    if let supply { w.writeBoolField(3, supply) }
    w.endStruct()
}

/// The encryption algorithm of a file (thrift union `EncryptionAlgorithm`).
public enum EncryptionAlgorithm: ThriftCodable {
    /// `AES_GCM_V1` (1).
    case aesGcmV1(AesGcmV1)
    /// `AES_GCM_CTR_V1` (2).
    case aesGcmCtrV1(AesGcmCtrV1)
    /// A member this code does not know (0 for an empty union).
    case unrecognized(fieldId: Int16)

    public static func decode(from r: inout CompactReader) throws(FloeError) -> EncryptionAlgorithm {
        try r.enterStruct()
        var result: EncryptionAlgorithm?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            guard result == nil, f.type == .struct else { try r.skipField(f); continue }
            switch f.id {
            case 1: result = .aesGcmV1(try AesGcmV1.decode(from: &r))
            case 2: result = .aesGcmCtrV1(try AesGcmCtrV1.decode(from: &r))
            default: result = .unrecognized(fieldId: f.id); try r.skipStruct()
            }
        }
        r.exitStruct()
        return result ?? .unrecognized(fieldId: 0)
    }

    public func encode(to w: inout CompactWriter) {
        switch self {
        case let .aesGcmV1(v):
            w.beginStruct()
            w.writeStructField(1, v)
            w.endStruct()
        case let .aesGcmCtrV1(v):
            w.beginStruct()
            w.writeStructField(2, v)
            w.endStruct()
        case let .unrecognized(id): w.writeEmptyUnion(memberId: id)
        }
    }
}

/// The file footer (thrift `FileMetaData`).
///
/// Decode the footer with `FileMetaData(decoding: footerBytes, baseOffset: footerStart)`. In a
/// file with an encrypted footer (magic `PARE`) the footer holds a ``FileCryptoMetaData``
/// followed by the encrypted `FileMetaData` instead.
public struct FileMetaData: ThriftCodable {
    /// The format version (field 1).
    public var version: Int32
    /// The schema tree, flattened depth first; element 0 is the root (field 2).
    public var schema: [SchemaElement]
    /// The number of rows in the file (field 3).
    public var numRows: Int64
    /// The row groups (field 4).
    public var rowGroups: [RowGroup]
    /// File key/value metadata (field 5).
    public var keyValueMetadata: [KeyValue]?
    /// The writer, e.g. `"parquet-cpp-arrow version 14.0.0"` (field 6).
    public var createdBy: String?
    /// The sort order of each leaf column's statistics (field 7).
    public var columnOrders: [ColumnOrder]?
    /// The encryption algorithm of a plaintext-footer encrypted file (field 8).
    public var encryptionAlgorithm: EncryptionAlgorithm?
    /// The key metadata of the footer signing key (field 9).
    public var footerSigningKeyMetadata: [UInt8]?

    /// Creates file metadata.
    public init(version: Int32, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup],
                keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil,
                encryptionAlgorithm: EncryptionAlgorithm? = nil, footerSigningKeyMetadata: [UInt8]? = nil) {
        self.version = version; self.schema = schema; self.numRows = numRows; self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata; self.createdBy = createdBy; self.columnOrders = columnOrders
        self.encryptionAlgorithm = encryptionAlgorithm; self.footerSigningKeyMetadata = footerSigningKeyMetadata
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> FileMetaData {
        var m = FileMetaData(version: 0, schema: [], numRows: 0, rowGroups: [])
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
            case (1, .i32): version = try r.readI32(); seen |= 1
            case (2, .list): schema = try r.readStructList(SchemaElement.self, "FileMetaData.schema"); seen |= 2
            case (3, .i64): numRows = try r.readI64(); seen |= 4
            case (4, .list): rowGroups = try r.readStructList(RowGroup.self, "FileMetaData.row_groups"); seen |= 8
            case (5, .list): keyValueMetadata = try r.readStructList(KeyValue.self, "FileMetaData.key_value_metadata")
            case (6, .binary): createdBy = try r.readString()
            case (7, .list): columnOrders = try r.readStructList(ColumnOrder.self, "FileMetaData.column_orders")
            case (8, .struct): encryptionAlgorithm = try EncryptionAlgorithm.decode(from: &r)
            case (9, .binary): footerSigningKeyMetadata = try r.readBinary()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 0b1111 else {
            throw missingRequired("FileMetaData", ["version", "schema", "num_rows", "row_groups"], seen: seen, at: start)
        }
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI32Field(1, version)
        w.writeStructList(2, schema)
        w.writeI64Field(3, numRows)
        w.writeStructList(4, rowGroups)
        if let keyValueMetadata { w.writeStructList(5, keyValueMetadata) }
        if let createdBy { w.writeStringField(6, createdBy) }
        if let columnOrders { w.writeStructList(7, columnOrders) }
        if let encryptionAlgorithm { w.writeStructField(8, encryptionAlgorithm) }
        if let footerSigningKeyMetadata { w.writeBinaryField(9, footerSigningKeyMetadata) }
        w.endStruct()
    }
}

/// The plaintext head of an encrypted footer (thrift `FileCryptoMetaData`), found where the
/// `FileMetaData` would be in a file whose trailing magic is `PARE`.
public struct FileCryptoMetaData: ThriftCodable {
    /// The algorithm protecting the file (field 1).
    public var encryptionAlgorithm: EncryptionAlgorithm
    /// Metadata for retrieving the footer key (field 2).
    public var keyMetadata: [UInt8]?

    /// Creates file crypto metadata.
    public init(encryptionAlgorithm: EncryptionAlgorithm, keyMetadata: [UInt8]? = nil) {
        self.encryptionAlgorithm = encryptionAlgorithm
        self.keyMetadata = keyMetadata
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> FileCryptoMetaData {
        let start = r.fileOffset
        try r.enterStruct()
        var algorithm: EncryptionAlgorithm?, keyMetadata: [UInt8]?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .struct): algorithm = try EncryptionAlgorithm.decode(from: &r)
            case (2, .binary): keyMetadata = try r.readBinary()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let algorithm else { throw missingField("FileCryptoMetaData", "encryption_algorithm", at: start) }
        return FileCryptoMetaData(encryptionAlgorithm: algorithm, keyMetadata: keyMetadata)
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeStructField(1, encryptionAlgorithm)
        if let keyMetadata { w.writeBinaryField(2, keyMetadata) }
        w.endStruct()
    }
}
