import FloeFormat

/// The meaning of a leaf's values, resolved from its physical type, logical type and legacy
/// converted type (the logical type wins; the converted type is the fallback for old files).
///
/// Readers and writers of other formats (JSON, tables) switch on this once per column.
public enum ValueKind: Sendable, Hashable {
    case boolean
    /// An integer stored in INT32 or INT64, of the given width and signedness.
    case integer(bitWidth: Int, signed: Bool)
    case float
    case double
    /// A half-precision float in a 2-byte FIXED_LEN_BYTE_ARRAY.
    case float16
    /// UTF-8 text: STRING, ENUM and JSON annotations.
    case string
    /// Uninterpreted bytes (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY), also BSON.
    case binary
    /// A decimal with `scale` fraction digits, on INT32, INT64, BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY.
    case decimal(scale: Int, precision: Int)
    /// Days since 1970-01-01.
    case date
    /// Time of day in `unit` since midnight.
    case time(unit: TimeUnit, adjustedToUTC: Bool)
    /// An instant in `unit` since the Unix epoch.
    case timestamp(unit: TimeUnit, adjustedToUTC: Bool)
    /// A legacy INT96 timestamp (nanoseconds of the day, Julian day).
    case int96Timestamp
    /// A 16-byte UUID.
    case uuid
    /// The UNKNOWN (null) logical type: only nulls.
    case null
    /// A physical type this code does not know.
    case unsupported(String)

    /// Resolves the kind of a leaf.
    public init(physicalType: PhysicalType, typeLength: Int32?, logicalType: LogicalType?,
                convertedType: ConvertedType?, scale: Int32?, precision: Int32?) {
        if let lt = logicalType, let kind = ValueKind(logical: lt, physicalType: physicalType, typeLength: typeLength) {
            self = kind
            return
        }
        if let ct = convertedType, let kind = ValueKind(converted: ct, physicalType: physicalType,
                                                       scale: scale, precision: precision) {
            self = kind
            return
        }
        switch physicalType {
        case .boolean: self = .boolean
        case .int32: self = .integer(bitWidth: 32, signed: true)
        case .int64: self = .integer(bitWidth: 64, signed: true)
        case .int96: self = .int96Timestamp
        case .float: self = .float
        case .double: self = .double
        case .byteArray, .fixedLenByteArray: self = .binary
        default: self = .unsupported("physical type \(physicalType)")
        }
    }

    private init?(logical lt: LogicalType, physicalType: PhysicalType, typeLength: Int32?) {
        switch lt {
        case .string, .enum, .json:
            guard physicalType == .byteArray else { return nil }
            self = .string
        case .bson: self = .binary
        case .decimal(let s, let p): self = .decimal(scale: Int(s), precision: Int(p))
        case .date: self = .date
        case .time(let utc, let unit): self = .time(unit: unit, adjustedToUTC: utc)
        case .timestamp(let utc, let unit): self = .timestamp(unit: unit, adjustedToUTC: utc)
        case .integer(let bits, let signed):
            guard physicalType == .int32 || physicalType == .int64 else { return nil }
            self = .integer(bitWidth: Int(bits), signed: signed)
        case .uuid:
            guard physicalType == .fixedLenByteArray, typeLength == 16 else { return nil }
            self = .uuid
        case .float16:
            guard physicalType == .fixedLenByteArray, typeLength == 2 else { return nil }
            self = .float16
        case .unknown: self = .null
        default: return nil
        }
    }

    private init?(converted ct: ConvertedType, physicalType: PhysicalType, scale: Int32?, precision: Int32?) {
        switch ct {
        case .utf8, .enum, .json:
            guard physicalType == .byteArray else { return nil }
            self = .string
        case .bson: self = .binary
        case .decimal: self = .decimal(scale: Int(scale ?? 0), precision: Int(precision ?? 0))
        case .date: self = .date
        case .timeMillis: self = .time(unit: .millis, adjustedToUTC: true)
        case .timeMicros: self = .time(unit: .micros, adjustedToUTC: true)
        case .timestampMillis: self = .timestamp(unit: .millis, adjustedToUTC: true)
        case .timestampMicros: self = .timestamp(unit: .micros, adjustedToUTC: true)
        case .int8: self = .integer(bitWidth: 8, signed: true)
        case .int16: self = .integer(bitWidth: 16, signed: true)
        case .int32: self = .integer(bitWidth: 32, signed: true)
        case .int64: self = .integer(bitWidth: 64, signed: true)
        case .uint8: self = .integer(bitWidth: 8, signed: false)
        case .uint16: self = .integer(bitWidth: 16, signed: false)
        case .uint32: self = .integer(bitWidth: 32, signed: false)
        case .uint64: self = .integer(bitWidth: 64, signed: false)
        default: return nil
        }
    }

    /// True when min/max statistics of this kind compare as unsigned (unsigned integers; byte
    /// arrays and fixed-length values other than decimals and FLOAT16 compare as unsigned bytes).
    public var hasUnsignedOrder: Bool {
        switch self {
        case .integer(_, let signed): return !signed
        case .string, .binary, .uuid: return true
        default: return false
        }
    }
}
