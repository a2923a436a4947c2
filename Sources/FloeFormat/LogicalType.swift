import FloeCore
import FloeThrift

/// The unit of a TIME or TIMESTAMP logical type (thrift union `TimeUnit`).
public enum TimeUnit: Sendable, Hashable, CustomStringConvertible {
    case millis
    case micros
    case nanos

    /// The Parquet spelling: `MILLIS`, `MICROS` or `NANOS`.
    public var description: String {
        switch self {
        case .millis: return "MILLIS"
        case .micros: return "MICROS"
        case .nanos: return "NANOS"
        }
    }

    static func decode(from r: inout CompactReader) throws(FloeError) -> TimeUnit {
        let start = r.fileOffset
        try r.enterStruct()
        var unit: TimeUnit?
        var unknownId: Int16?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .struct) where unit == nil: unit = .millis; try r.skipStruct()
            case (2, .struct) where unit == nil: unit = .micros; try r.skipStruct()
            case (3, .struct) where unit == nil: unit = .nanos; try r.skipStruct()
            default:
                if unknownId == nil { unknownId = f.id }
                try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let unit else {
            if let unknownId { throw FloeError.corrupt("TimeUnit: unknown member \(unknownId)", offset: start) }
            throw FloeError.corrupt("TimeUnit: union has no member", offset: start)
        }
        return unit
    }

    func encode(to w: inout CompactWriter) {
        switch self {
        case .millis: w.writeEmptyUnion(memberId: 1)
        case .micros: w.writeEmptyUnion(memberId: 2)
        case .nanos: w.writeEmptyUnion(memberId: 3)
        }
    }
}

/// The logical type annotation of a schema element (thrift union `LogicalType`).
///
/// A union member this code does not know decodes as ``unrecognized(fieldId:)`` (its body is
/// skipped) so files from newer writers still open; re-encoding writes that member as an empty
/// struct. An empty union decodes as `.unrecognized(fieldId: 0)` and re-encodes as empty.
public enum LogicalType: ThriftCodable, Hashable, CustomStringConvertible {
    /// `STRING` (1): UTF-8 BYTE_ARRAY.
    case string
    /// `MAP` (2).
    case map
    /// `LIST` (3).
    case list
    /// `ENUM` (4).
    case `enum`
    /// `DECIMAL` (5).
    case decimal(scale: Int32, precision: Int32)
    /// `DATE` (6).
    case date
    /// `TIME` (7).
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    /// `TIMESTAMP` (8).
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    /// `INTEGER` (10).
    case integer(bitWidth: Int8, isSigned: Bool)
    /// `UNKNOWN` (11), thrift `NullType`: only nulls.
    case unknown
    /// `JSON` (12).
    case json
    /// `BSON` (13).
    case bson
    /// `UUID` (14).
    case uuid
    /// `FLOAT16` (15).
    case float16
    /// `VARIANT` (16).
    case variant(specificationVersion: Int8?)
    /// `GEOMETRY` (17).
    case geometry(crs: String?)
    /// `GEOGRAPHY` (18); `algorithm` is an ``EdgeInterpolationAlgorithm`` raw value.
    case geography(crs: String?, algorithm: Int32?)
    /// `FILE` (19).
    case file
    /// A union member this code does not know (its field id), or 0 for an empty union.
    case unrecognized(fieldId: Int16)

    /// The Parquet spelling, e.g. `"TIMESTAMP(isAdjustedToUTC=true, unit=MICROS)"`.
    public var description: String {
        switch self {
        case .string: return "STRING"
        case .map: return "MAP"
        case .list: return "LIST"
        case .enum: return "ENUM"
        case let .decimal(scale, precision): return "DECIMAL(\(precision),\(scale))"
        case .date: return "DATE"
        case let .time(utc, unit): return "TIME(isAdjustedToUTC=\(utc), unit=\(unit))"
        case let .timestamp(utc, unit): return "TIMESTAMP(isAdjustedToUTC=\(utc), unit=\(unit))"
        case let .integer(bits, signed): return "INTEGER(\(bits),\(signed))"
        case .unknown: return "UNKNOWN"
        case .json: return "JSON"
        case .bson: return "BSON"
        case .uuid: return "UUID"
        case .float16: return "FLOAT16"
        case let .variant(v): return v.map { "VARIANT(\($0))" } ?? "VARIANT"
        case let .geometry(crs): return crs.map { "GEOMETRY(\($0))" } ?? "GEOMETRY"
        case let .geography(crs, algorithm):
            let alg = algorithm.map { EdgeInterpolationAlgorithm(rawValue: $0).description }
            return "GEOGRAPHY(" + [crs, alg].compactMap { $0 }.joined(separator: ", ") + ")"
        case .file: return "FILE"
        case let .unrecognized(id): return "UNRECOGNIZED(\(id))"
        }
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> LogicalType {
        try r.enterStruct()
        var result: LogicalType?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            guard result == nil else { try r.skipField(f); continue }
            // Every member is a struct; one of another type is skipped like an unknown field.
            guard f.type == .struct else { try r.skipField(f); continue }
            switch f.id {
            case 1: result = .string; try r.skipStruct()
            case 2: result = .map; try r.skipStruct()
            case 3: result = .list; try r.skipStruct()
            case 4: result = .enum; try r.skipStruct()
            case 5: result = try decodeDecimal(&r)
            case 6: result = .date; try r.skipStruct()
            case 7: result = try decodeTime(&r, timestamp: false)
            case 8: result = try decodeTime(&r, timestamp: true)
            case 10: result = try decodeInteger(&r)
            case 11: result = .unknown; try r.skipStruct()
            case 12: result = .json; try r.skipStruct()
            case 13: result = .bson; try r.skipStruct()
            case 14: result = .uuid; try r.skipStruct()
            case 15: result = .float16; try r.skipStruct()
            case 16: result = try decodeVariant(&r)
            case 17: result = try decodeGeo(&r, geography: false)
            case 18: result = try decodeGeo(&r, geography: true)
            case 19: result = .file; try r.skipStruct()
            default: result = .unrecognized(fieldId: f.id); try r.skipStruct()
            }
        }
        r.exitStruct()
        return result ?? .unrecognized(fieldId: 0)
    }

    private static func decodeDecimal(_ r: inout CompactReader) throws(FloeError) -> LogicalType {
        let start = r.fileOffset
        try r.enterStruct()
        var scale: Int32?, precision: Int32?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): scale = try r.readI32()
            case (2, .i32): precision = try r.readI32()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let scale else { throw missingField("DecimalType", "scale", at: start) }
        guard let precision else { throw missingField("DecimalType", "precision", at: start) }
        return .decimal(scale: scale, precision: precision)
    }

    private static func decodeTime(_ r: inout CompactReader, timestamp: Bool) throws(FloeError) -> LogicalType {
        let start = r.fileOffset
        let name = timestamp ? "TimestampType" : "TimeType"
        try r.enterStruct()
        var utc: Bool?, unit: TimeUnit?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .bool): utc = f.boolValue
            case (2, .struct): unit = try TimeUnit.decode(from: &r)
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let utc else { throw missingField(name, "isAdjustedToUTC", at: start) }
        guard let unit else { throw missingField(name, "unit", at: start) }
        return timestamp ? .timestamp(isAdjustedToUTC: utc, unit: unit) : .time(isAdjustedToUTC: utc, unit: unit)
    }

    private static func decodeInteger(_ r: inout CompactReader) throws(FloeError) -> LogicalType {
        let start = r.fileOffset
        try r.enterStruct()
        var bitWidth: Int8?, isSigned: Bool?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i8): bitWidth = try r.readI8()
            case (2, .bool): isSigned = f.boolValue
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let bitWidth else { throw missingField("IntType", "bitWidth", at: start) }
        guard let isSigned else { throw missingField("IntType", "isSigned", at: start) }
        return .integer(bitWidth: bitWidth, isSigned: isSigned)
    }

    private static func decodeVariant(_ r: inout CompactReader) throws(FloeError) -> LogicalType {
        try r.enterStruct()
        var version: Int8?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i8): version = try r.readI8()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        return .variant(specificationVersion: version)
    }

    private static func decodeGeo(_ r: inout CompactReader, geography: Bool) throws(FloeError) -> LogicalType {
        try r.enterStruct()
        var crs: String?, algorithm: Int32?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .binary): crs = try r.readString()
            case (2, .i32) where geography: algorithm = try r.readI32()
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        return geography ? .geography(crs: crs, algorithm: algorithm) : .geometry(crs: crs)
    }

    public func encode(to w: inout CompactWriter) {
        switch self {
        case .string: w.writeEmptyUnion(memberId: 1)
        case .map: w.writeEmptyUnion(memberId: 2)
        case .list: w.writeEmptyUnion(memberId: 3)
        case .enum: w.writeEmptyUnion(memberId: 4)
        case let .decimal(scale, precision):
            w.beginStruct()
            w.beginStructField(5)
            w.writeI32Field(1, scale)
            w.writeI32Field(2, precision)
            w.endStruct()
            w.endStruct()
        case .date: w.writeEmptyUnion(memberId: 6)
        case let .time(utc, unit), let .timestamp(utc, unit):
            w.beginStruct()
            if case .time = self { w.beginStructField(7) } else { w.beginStructField(8) }
            w.writeBoolField(1, utc)
            w.writeFieldHeader(id: 2, type: .struct)
            unit.encode(to: &w)
            w.endStruct()
            w.endStruct()
        case let .integer(bitWidth, isSigned):
            w.beginStruct()
            w.beginStructField(10)
            w.writeI8Field(1, bitWidth)
            w.writeBoolField(2, isSigned)
            w.endStruct()
            w.endStruct()
        case .unknown: w.writeEmptyUnion(memberId: 11)
        case .json: w.writeEmptyUnion(memberId: 12)
        case .bson: w.writeEmptyUnion(memberId: 13)
        case .uuid: w.writeEmptyUnion(memberId: 14)
        case .float16: w.writeEmptyUnion(memberId: 15)
        case let .variant(version):
            w.beginStruct()
            w.beginStructField(16)
            if let version { w.writeI8Field(1, version) }
            w.endStruct()
            w.endStruct()
        case let .geometry(crs):
            w.beginStruct()
            w.beginStructField(17)
            if let crs { w.writeStringField(1, crs) }
            w.endStruct()
            w.endStruct()
        case let .geography(crs, algorithm):
            w.beginStruct()
            w.beginStructField(18)
            if let crs { w.writeStringField(1, crs) }
            if let algorithm { w.writeI32Field(2, algorithm) }
            w.endStruct()
            w.endStruct()
        case .file: w.writeEmptyUnion(memberId: 19)
        case let .unrecognized(id): w.writeEmptyUnion(memberId: id)
        }
    }
}
