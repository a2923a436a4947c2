import FloeCore

/// The value types of the Thrift compact protocol, as they appear in field headers and in
/// list, set and map headers.
///
/// Booleans have one case here; on the wire a boolean *field* carries its value in the
/// field header (type nibble 1 = true, 2 = false) while a boolean *element* is one byte.
public enum ThriftType: UInt8, Sendable, Equatable, CustomStringConvertible {
    case bool = 1
    case i8 = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
    case uuid = 13

    /// Maps a 4-bit compact type id to a type; both 1 and 2 mean `bool`. Nil for 0, 14, 15.
    @inlinable
    public init?(compactNibble nibble: UInt8) {
        switch nibble {
        case 1, 2: self = .bool
        case 3: self = .i8
        case 4: self = .i16
        case 5: self = .i32
        case 6: self = .i64
        case 7: self = .double
        case 8: self = .binary
        case 9: self = .list
        case 10: self = .set
        case 11: self = .map
        case 12: self = .struct
        case 13: self = .uuid
        default: return nil
        }
    }

    /// The fewest bytes one element of this type occupies inside a list, set or map; used to
    /// reject container sizes that the remaining input cannot hold.
    @inlinable
    public var minimumElementSize: Int {
        switch self {
        case .double: return 8
        case .uuid: return 16
        default: return 1
        }
    }

    public var description: String {
        switch self {
        case .bool: return "bool"
        case .i8: return "i8"
        case .i16: return "i16"
        case .i32: return "i32"
        case .i64: return "i64"
        case .double: return "double"
        case .binary: return "binary"
        case .list: return "list"
        case .set: return "set"
        case .map: return "map"
        case .struct: return "struct"
        case .uuid: return "uuid"
        }
    }
}

/// A decoded field header: the field id, its type and, for boolean fields, the value that the
/// compact protocol stores in the header itself.
public struct FieldHeader: Sendable, Equatable {
    /// The Thrift field id.
    public var id: Int16
    /// The field's value type.
    public var type: ThriftType
    /// For `.bool` fields, the value carried in the header; false otherwise.
    public var boolValue: Bool

    /// Creates a field header.
    @inlinable
    public init(id: Int16, type: ThriftType, boolValue: Bool = false) {
        self.id = id
        self.type = type
        self.boolValue = boolValue
    }
}

/// The header of a list or set: its element type and element count.
public struct ListHeader: Sendable, Equatable {
    /// The type of every element.
    public var elementType: ThriftType
    /// The number of elements (already checked against the bytes left).
    public var count: Int

    /// Creates a list header.
    @inlinable
    public init(elementType: ThriftType, count: Int) {
        self.elementType = elementType
        self.count = count
    }
}

/// The header of a map: key and value types and the entry count.
public struct MapHeader: Sendable, Equatable {
    /// The type of every key (`nil` only for an empty map, which carries no types).
    public var keyType: ThriftType?
    /// The type of every value (`nil` only for an empty map).
    public var valueType: ThriftType?
    /// The number of entries (already checked against the bytes left).
    public var count: Int

    /// Creates a map header.
    @inlinable
    public init(keyType: ThriftType?, valueType: ThriftType?, count: Int) {
        self.keyType = keyType
        self.valueType = valueType
        self.count = count
    }
}
