import FloeCore
import FloeFormat

/// A node of a Parquet schema tree: a primitive leaf or a group of children.
///
/// The tree is the nested view of the flattened `SchemaElement` list of the footer. Build one by
/// hand to describe what to write:
///
/// ```swift
/// let schema = try Schema(root: .group("schema", [
///     .leaf("id", .int64, .required),
///     .leaf("name", .byteArray, .optional, logicalType: .string),
/// ]))
/// ```
public struct SchemaNode: Sendable, Hashable {
    /// What a node is: a leaf with a physical type, or a group.
    public enum Kind: Sendable, Hashable {
        /// A primitive column; `typeLength` is the width of FIXED_LEN_BYTE_ARRAY values.
        case leaf(PhysicalType, typeLength: Int32?)
        /// A group of child nodes.
        case group([SchemaNode])
    }

    /// The field name.
    public var name: String
    /// Required, optional or repeated (the root is required).
    public var repetition: FieldRepetitionType
    /// Leaf or group.
    public var kind: Kind
    /// The logical type annotation, if any.
    public var logicalType: LogicalType?
    /// The legacy converted type, if any.
    public var convertedType: ConvertedType?
    /// The legacy DECIMAL scale and precision.
    public var scale: Int32?
    public var precision: Int32?
    /// The field id of the original schema (Iceberg), if any.
    public var fieldId: Int32?

    /// Creates a node.
    public init(name: String, repetition: FieldRepetitionType, kind: Kind, logicalType: LogicalType? = nil,
                convertedType: ConvertedType? = nil, scale: Int32? = nil, precision: Int32? = nil, fieldId: Int32? = nil) {
        self.name = name; self.repetition = repetition; self.kind = kind; self.logicalType = logicalType
        self.convertedType = convertedType; self.scale = scale; self.precision = precision; self.fieldId = fieldId
    }

    /// A leaf node. The converted type (for old readers) is derived from the logical type.
    public static func leaf(_ name: String, _ type: PhysicalType, _ repetition: FieldRepetitionType,
                            logicalType: LogicalType? = nil, typeLength: Int32? = nil) -> SchemaNode {
        var node = SchemaNode(name: name, repetition: repetition, kind: .leaf(type, typeLength: typeLength),
                              logicalType: logicalType)
        node.deriveLegacyAnnotations()
        return node
    }

    /// A group node.
    public static func group(_ name: String, _ children: [SchemaNode], _ repetition: FieldRepetitionType = .required,
                             logicalType: LogicalType? = nil) -> SchemaNode {
        var node = SchemaNode(name: name, repetition: repetition, kind: .group(children), logicalType: logicalType)
        node.deriveLegacyAnnotations()
        return node
    }

    /// The children of a group (empty for a leaf).
    public var children: [SchemaNode] {
        if case .group(let c) = kind { return c }
        return []
    }

    /// True for a leaf.
    public var isLeaf: Bool {
        if case .leaf = kind { return true }
        return false
    }

    /// Sets `convertedType`, `scale` and `precision` from `logicalType` as the spec's
    /// backward-compatibility table says, so that older readers see the same meaning.
    public mutating func deriveLegacyAnnotations() {
        guard let lt = logicalType else { return }
        switch lt {
        case .string: convertedType = .utf8
        case .map: convertedType = .map
        case .list: convertedType = .list
        case .enum: convertedType = .enum
        case .decimal(let s, let p): convertedType = .decimal; scale = s; precision = p
        case .date: convertedType = .date
        case .time(let utc, let unit):
            if utc, unit == .millis { convertedType = .timeMillis }
            if utc, unit == .micros { convertedType = .timeMicros }
        case .timestamp(let utc, let unit):
            if utc, unit == .millis { convertedType = .timestampMillis }
            if utc, unit == .micros { convertedType = .timestampMicros }
        case .integer(let bits, let signed):
            switch (bits, signed) {
            case (8, true): convertedType = .int8
            case (16, true): convertedType = .int16
            case (32, true): convertedType = .int32
            case (64, true): convertedType = .int64
            case (8, false): convertedType = .uint8
            case (16, false): convertedType = .uint16
            case (32, false): convertedType = .uint32
            case (64, false): convertedType = .uint64
            default: break
            }
        case .json: convertedType = .json
        case .bson: convertedType = .bson
        default: break
        }
    }
}
