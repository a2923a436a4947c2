// Thrift enums of parquet.thrift as open structs over Int32: unknown values are kept and
// round-trip unchanged; validation belongs to the layers above.

/// The physical storage type of a column (thrift `Type`).
///
/// An open set: any Int32 is representable, so values from newer writers survive a round trip.
public struct PhysicalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value (known or not).
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `BOOLEAN` (0).
    public static let boolean = PhysicalType(rawValue: 0)
    /// `INT32` (1).
    public static let int32 = PhysicalType(rawValue: 1)
    /// `INT64` (2).
    public static let int64 = PhysicalType(rawValue: 2)
    /// `INT96` (3).
    public static let int96 = PhysicalType(rawValue: 3)
    /// `FLOAT` (4).
    public static let `float` = PhysicalType(rawValue: 4)
    /// `DOUBLE` (5).
    public static let `double` = PhysicalType(rawValue: 5)
    /// `BYTE_ARRAY` (6).
    public static let byteArray = PhysicalType(rawValue: 6)
    /// `FIXED_LEN_BYTE_ARRAY` (7).
    public static let fixedLenByteArray = PhysicalType(rawValue: 7)

    /// Every value this code knows, in wire order.
    public static let allKnown: [PhysicalType] = [boolean, int32, int64, int96, `float`, `double`, byteArray, fixedLenByteArray]

    /// The Parquet spelling (`"BOOLEAN"`), or nil for a value this code does not know.
    public var name: String? {
        switch rawValue {
        case 0: return "BOOLEAN"
        case 1: return "INT32"
        case 2: return "INT64"
        case 3: return "INT96"
        case 4: return "FLOAT"
        case 5: return "DOUBLE"
        case 6: return "BYTE_ARRAY"
        case 7: return "FIXED_LEN_BYTE_ARRAY"
        default: return nil
        }
    }

    /// The Parquet spelling, or `PhysicalType(<raw>)` for an unknown value.
    public var description: String { name ?? "PhysicalType(\(rawValue))" }
}

/// The legacy logical-type annotation of a schema element.
///
/// An open set: any Int32 is representable, so values from newer writers survive a round trip.
public struct ConvertedType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value (known or not).
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `UTF8` (0).
    public static let utf8 = ConvertedType(rawValue: 0)
    /// `MAP` (1).
    public static let `map` = ConvertedType(rawValue: 1)
    /// `MAP_KEY_VALUE` (2).
    public static let mapKeyValue = ConvertedType(rawValue: 2)
    /// `LIST` (3).
    public static let `list` = ConvertedType(rawValue: 3)
    /// `ENUM` (4).
    public static let `enum` = ConvertedType(rawValue: 4)
    /// `DECIMAL` (5).
    public static let decimal = ConvertedType(rawValue: 5)
    /// `DATE` (6).
    public static let date = ConvertedType(rawValue: 6)
    /// `TIME_MILLIS` (7).
    public static let timeMillis = ConvertedType(rawValue: 7)
    /// `TIME_MICROS` (8).
    public static let timeMicros = ConvertedType(rawValue: 8)
    /// `TIMESTAMP_MILLIS` (9).
    public static let timestampMillis = ConvertedType(rawValue: 9)
    /// `TIMESTAMP_MICROS` (10).
    public static let timestampMicros = ConvertedType(rawValue: 10)
    /// `UINT_8` (11).
    public static let uint8 = ConvertedType(rawValue: 11)
    /// `UINT_16` (12).
    public static let uint16 = ConvertedType(rawValue: 12)
    /// `UINT_32` (13).
    public static let uint32 = ConvertedType(rawValue: 13)
    /// `UINT_64` (14).
    public static let uint64 = ConvertedType(rawValue: 14)
    /// `INT_8` (15).
    public static let int8 = ConvertedType(rawValue: 15)
    /// `INT_16` (16).
    public static let int16 = ConvertedType(rawValue: 16)
    /// `INT_32` (17).
    public static let int32 = ConvertedType(rawValue: 17)
    /// `INT_64` (18).
    public static let int64 = ConvertedType(rawValue: 18)
    /// `JSON` (19).
    public static let `json` = ConvertedType(rawValue: 19)
    /// `BSON` (20).
    public static let bson = ConvertedType(rawValue: 20)
    /// `INTERVAL` (21).
    public static let interval = ConvertedType(rawValue: 21)

    /// Every value this code knows, in wire order.
    public static let allKnown: [ConvertedType] = [utf8, `map`, mapKeyValue, `list`, `enum`, decimal, date, timeMillis, timeMicros, timestampMillis, timestampMicros, uint8, uint16, uint32, uint64, int8, int16, int32, int64, `json`, bson, interval]

    /// The Parquet spelling (`"UTF8"`), or nil for a value this code does not know.
    public var name: String? {
        switch rawValue {
        case 0: return "UTF8"
        case 1: return "MAP"
        case 2: return "MAP_KEY_VALUE"
        case 3: return "LIST"
        case 4: return "ENUM"
        case 5: return "DECIMAL"
        case 6: return "DATE"
        case 7: return "TIME_MILLIS"
        case 8: return "TIME_MICROS"
        case 9: return "TIMESTAMP_MILLIS"
        case 10: return "TIMESTAMP_MICROS"
        case 11: return "UINT_8"
        case 12: return "UINT_16"
        case 13: return "UINT_32"
        case 14: return "UINT_64"
        case 15: return "INT_8"
        case 16: return "INT_16"
        case 17: return "INT_32"
        case 18: return "INT_64"
        case 19: return "JSON"
        case 20: return "BSON"
        case 21: return "INTERVAL"
        default: return nil
        }
    }

    /// The Parquet spelling, or `ConvertedType(<raw>)` for an unknown value.
    public var description: String { name ?? "ConvertedType(\(rawValue))" }
}

/// Whether a schema field is required, optional or repeated.
///
/// An open set: any Int32 is representable, so values from newer writers survive a round trip.
public struct FieldRepetitionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value (known or not).
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `REQUIRED` (0).
    public static let required = FieldRepetitionType(rawValue: 0)
    /// `OPTIONAL` (1).
    public static let optional = FieldRepetitionType(rawValue: 1)
    /// `REPEATED` (2).
    public static let repeated = FieldRepetitionType(rawValue: 2)

    /// Every value this code knows, in wire order.
    public static let allKnown: [FieldRepetitionType] = [required, optional, repeated]

    /// The Parquet spelling (`"REQUIRED"`), or nil for a value this code does not know.
    public var name: String? {
        switch rawValue {
        case 0: return "REQUIRED"
        case 1: return "OPTIONAL"
        case 2: return "REPEATED"
        default: return nil
        }
    }

    /// The Parquet spelling, or `FieldRepetitionType(<raw>)` for an unknown value.
    public var description: String { name ?? "FieldRepetitionType(\(rawValue))" }
}

/// A page or level encoding.
///
/// An open set: any Int32 is representable, so values from newer writers survive a round trip.
public struct Encoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value (known or not).
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `PLAIN` (0).
    public static let plain = Encoding(rawValue: 0)
    /// `PLAIN_DICTIONARY` (2).
    public static let plainDictionary = Encoding(rawValue: 2)
    /// `RLE` (3).
    public static let rle = Encoding(rawValue: 3)
    /// `BIT_PACKED` (4).
    public static let bitPacked = Encoding(rawValue: 4)
    /// `DELTA_BINARY_PACKED` (5).
    public static let deltaBinaryPacked = Encoding(rawValue: 5)
    /// `DELTA_LENGTH_BYTE_ARRAY` (6).
    public static let deltaLengthByteArray = Encoding(rawValue: 6)
    /// `DELTA_BYTE_ARRAY` (7).
    public static let deltaByteArray = Encoding(rawValue: 7)
    /// `RLE_DICTIONARY` (8).
    public static let rleDictionary = Encoding(rawValue: 8)
    /// `BYTE_STREAM_SPLIT` (9).
    public static let byteStreamSplit = Encoding(rawValue: 9)
    /// `ALP` (10).
    public static let alp = Encoding(rawValue: 10)

    /// Every value this code knows, in wire order.
    public static let allKnown: [Encoding] = [plain, plainDictionary, rle, bitPacked, deltaBinaryPacked, deltaLengthByteArray, deltaByteArray, rleDictionary, byteStreamSplit, alp]

    /// The Parquet spelling (`"PLAIN"`), or nil for a value this code does not know.
    public var name: String? {
        switch rawValue {
        case 0: return "PLAIN"
        case 2: return "PLAIN_DICTIONARY"
        case 3: return "RLE"
        case 4: return "BIT_PACKED"
        case 5: return "DELTA_BINARY_PACKED"
        case 6: return "DELTA_LENGTH_BYTE_ARRAY"
        case 7: return "DELTA_BYTE_ARRAY"
        case 8: return "RLE_DICTIONARY"
        case 9: return "BYTE_STREAM_SPLIT"
        case 10: return "ALP"
        default: return nil
        }
    }

    /// The Parquet spelling, or `Encoding(<raw>)` for an unknown value.
    public var description: String { name ?? "Encoding(\(rawValue))" }
}

/// The compression codec of a column chunk's pages.
///
/// An open set: any Int32 is representable, so values from newer writers survive a round trip.
public struct CompressionCodec: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value (known or not).
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `UNCOMPRESSED` (0).
    public static let uncompressed = CompressionCodec(rawValue: 0)
    /// `SNAPPY` (1).
    public static let snappy = CompressionCodec(rawValue: 1)
    /// `GZIP` (2).
    public static let gzip = CompressionCodec(rawValue: 2)
    /// `LZO` (3).
    public static let lzo = CompressionCodec(rawValue: 3)
    /// `BROTLI` (4).
    public static let brotli = CompressionCodec(rawValue: 4)
    /// `LZ4` (5).
    public static let lz4 = CompressionCodec(rawValue: 5)
    /// `ZSTD` (6).
    public static let zstd = CompressionCodec(rawValue: 6)
    /// `LZ4_RAW` (7).
    public static let lz4Raw = CompressionCodec(rawValue: 7)

    /// Every value this code knows, in wire order.
    public static let allKnown: [CompressionCodec] = [uncompressed, snappy, gzip, lzo, brotli, lz4, zstd, lz4Raw]

    /// The Parquet spelling (`"UNCOMPRESSED"`), or nil for a value this code does not know.
    public var name: String? {
        switch rawValue {
        case 0: return "UNCOMPRESSED"
        case 1: return "SNAPPY"
        case 2: return "GZIP"
        case 3: return "LZO"
        case 4: return "BROTLI"
        case 5: return "LZ4"
        case 6: return "ZSTD"
        case 7: return "LZ4_RAW"
        default: return nil
        }
    }

    /// The Parquet spelling, or `CompressionCodec(<raw>)` for an unknown value.
    public var description: String { name ?? "CompressionCodec(\(rawValue))" }
}

/// The kind of a page.
///
/// An open set: any Int32 is representable, so values from newer writers survive a round trip.
public struct PageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value (known or not).
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `DATA_PAGE` (0).
    public static let dataPage = PageType(rawValue: 0)
    /// `INDEX_PAGE` (1).
    public static let indexPage = PageType(rawValue: 1)
    /// `DICTIONARY_PAGE` (2).
    public static let dictionaryPage = PageType(rawValue: 2)
    /// `DATA_PAGE_V2` (3).
    public static let dataPageV2 = PageType(rawValue: 3)

    /// Every value this code knows, in wire order.
    public static let allKnown: [PageType] = [dataPage, indexPage, dictionaryPage, dataPageV2]

    /// The Parquet spelling (`"DATA_PAGE"`), or nil for a value this code does not know.
    public var name: String? {
        switch rawValue {
        case 0: return "DATA_PAGE"
        case 1: return "INDEX_PAGE"
        case 2: return "DICTIONARY_PAGE"
        case 3: return "DATA_PAGE_V2"
        default: return nil
        }
    }

    /// The Parquet spelling, or `PageType(<raw>)` for an unknown value.
    public var description: String { name ?? "PageType(\(rawValue))" }
}

/// How the min/max values of a column index are ordered across pages.
///
/// An open set: any Int32 is representable, so values from newer writers survive a round trip.
public struct BoundaryOrder: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value (known or not).
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `UNORDERED` (0).
    public static let unordered = BoundaryOrder(rawValue: 0)
    /// `ASCENDING` (1).
    public static let ascending = BoundaryOrder(rawValue: 1)
    /// `DESCENDING` (2).
    public static let descending = BoundaryOrder(rawValue: 2)

    /// Every value this code knows, in wire order.
    public static let allKnown: [BoundaryOrder] = [unordered, ascending, descending]

    /// The Parquet spelling (`"UNORDERED"`), or nil for a value this code does not know.
    public var name: String? {
        switch rawValue {
        case 0: return "UNORDERED"
        case 1: return "ASCENDING"
        case 2: return "DESCENDING"
        default: return nil
        }
    }

    /// The Parquet spelling, or `BoundaryOrder(<raw>)` for an unknown value.
    public var description: String { name ?? "BoundaryOrder(\(rawValue))" }
}

/// The edge interpolation of a GEOGRAPHY column.
///
/// An open set: any Int32 is representable, so values from newer writers survive a round trip.
public struct EdgeInterpolationAlgorithm: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value (known or not).
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `SPHERICAL` (0).
    public static let spherical = EdgeInterpolationAlgorithm(rawValue: 0)
    /// `VINCENTY` (1).
    public static let vincenty = EdgeInterpolationAlgorithm(rawValue: 1)
    /// `THOMAS` (2).
    public static let thomas = EdgeInterpolationAlgorithm(rawValue: 2)
    /// `ANDOYER` (3).
    public static let andoyer = EdgeInterpolationAlgorithm(rawValue: 3)
    /// `KARNEY` (4).
    public static let karney = EdgeInterpolationAlgorithm(rawValue: 4)

    /// Every value this code knows, in wire order.
    public static let allKnown: [EdgeInterpolationAlgorithm] = [spherical, vincenty, thomas, andoyer, karney]

    /// The Parquet spelling (`"SPHERICAL"`), or nil for a value this code does not know.
    public var name: String? {
        switch rawValue {
        case 0: return "SPHERICAL"
        case 1: return "VINCENTY"
        case 2: return "THOMAS"
        case 3: return "ANDOYER"
        case 4: return "KARNEY"
        default: return nil
        }
    }

    /// The Parquet spelling, or `EdgeInterpolationAlgorithm(<raw>)` for an unknown value.
    public var description: String { name ?? "EdgeInterpolationAlgorithm(\(rawValue))" }
}
