import FloeCore
import FloeFormat

/// A leaf column of a schema: its path, types and maximum levels.
public struct ColumnDescriptor: Sendable, Hashable {
    /// The names from the root's child down to the leaf.
    public var path: [String]
    /// The physical type.
    public var physicalType: PhysicalType
    /// The width of FIXED_LEN_BYTE_ARRAY values (0 otherwise; 12 for INT96).
    public var typeLength: Int
    /// The leaf's own repetition.
    public var repetition: FieldRepetitionType
    /// The logical type annotation.
    public var logicalType: LogicalType?
    /// The legacy converted type.
    public var convertedType: ConvertedType?
    /// The resolved meaning of the values.
    public var kind: ValueKind
    /// The maximum definition level (the number of optional or repeated nodes on the path).
    public var maxDefinitionLevel: Int
    /// The maximum repetition level (the number of repeated nodes on the path).
    public var maxRepetitionLevel: Int
    /// The index of this leaf among the schema's leaves (its column chunk ordinal).
    public var index: Int

    /// The path joined with dots, as tools print it.
    public var dottedPath: String { path.joined(separator: ".") }
}

/// A validated Parquet schema: the tree and its leaves in column-chunk order.
public struct Schema: Sendable, Hashable {
    /// The root group (its name is usually "schema").
    public let root: SchemaNode
    /// The leaves, depth first; `leaves[i]` describes column chunk `i` of every row group.
    public let leaves: [ColumnDescriptor]

    /// Nesting deeper than this is refused (levels are stored in bytes).
    public static let maxDepth = 200

    /// Builds a schema from a tree, validating it.
    public init(root: SchemaNode) throws(FloeError) {
        guard case .group = root.kind else { throw FloeError.invalidArgument("the schema root must be a group") }
        var leaves: [ColumnDescriptor] = []
        try Schema.collectLeaves(root.children, path: [], def: 0, rep: 0, depth: 1, into: &leaves)
        self.root = root
        self.leaves = leaves
    }

    /// Builds a schema from the footer's flattened schema elements, validating counts, types
    /// and annotations. Errors name the element.
    public init(elements: [SchemaElement]) throws(FloeError) {
        guard let first = elements.first else { throw FloeError.corrupt("the schema is empty") }
        var position = 1
        let children = try Schema.readChildren(of: first, elements: elements, position: &position, depth: 1)
        guard position == elements.count else {
            throw FloeError.corrupt("the schema has \(elements.count - position) element(s) not reachable from the root")
        }
        let root = SchemaNode(name: first.name, repetition: .required, kind: .group(children),
                              logicalType: first.logicalType, convertedType: first.convertedType)
        try self.init(root: root)
    }

    /// The flattened schema elements for the footer, depth first.
    public var elements: [SchemaElement] {
        var out: [SchemaElement] = []
        Schema.flatten(root, isRoot: true, into: &out)
        return out
    }

    /// The leaf with the given dotted path, if any.
    public func leaf(named dottedPath: String) -> ColumnDescriptor? {
        leaves.first { $0.dottedPath == dottedPath }
    }

    /// True when no leaf has a repetition or a definition above one optional level under the
    /// root: every column is a top-level required or optional primitive.
    public var isFlat: Bool {
        root.children.allSatisfy { $0.isLeaf && $0.repetition != .repeated }
    }

    // MARK: - Building

    private static func readChildren(of parent: SchemaElement, elements: [SchemaElement], position: inout Int,
                                     depth: Int) throws(FloeError) -> [SchemaNode] {
        guard depth <= maxDepth else { throw FloeError.unsupported("schema nesting deeper than \(maxDepth)") }
        let count = Int(parent.numChildren ?? 0)
        guard count >= 0, count <= elements.count - position else {
            throw FloeError.corrupt("schema element '\(parent.name)' claims \(count) children but only \(elements.count - position) elements follow")
        }
        var nodes: [SchemaNode] = []
        nodes.reserveCapacity(count)
        for _ in 0..<count {
            // A child's subtree may have consumed the elements the count promised.
            guard position < elements.count else {
                throw FloeError.corrupt("schema element '\(parent.name)' claims \(count) children but the schema ends first")
            }
            let e = elements[position]
            position += 1
            guard let repetition = e.repetitionType, FieldRepetitionType.allKnown.contains(repetition) else {
                throw FloeError.corrupt("schema element '\(e.name)' has an invalid repetition type \(e.repetitionType.map { "\($0.rawValue)" } ?? "(none)")")
            }
            let kind: SchemaNode.Kind
            if let n = e.numChildren, n > 0 || e.type == nil {
                kind = .group(try readChildren(of: e, elements: elements, position: &position, depth: depth + 1))
            } else {
                guard let type = e.type else { throw FloeError.corrupt("schema element '\(e.name)' has neither a type nor children") }
                guard PhysicalType.allKnown.contains(type) else {
                    throw FloeError.corrupt("schema element '\(e.name)' has an invalid physical type \(type.rawValue)")
                }
                if type == .fixedLenByteArray {
                    guard let len = e.typeLength, len >= 0 else {
                        throw FloeError.corrupt("FIXED_LEN_BYTE_ARRAY column '\(e.name)' has no valid type_length")
                    }
                    _ = len
                }
                kind = .leaf(type, typeLength: e.typeLength)
            }
            nodes.append(SchemaNode(name: e.name, repetition: repetition, kind: kind, logicalType: e.logicalType,
                                    convertedType: e.convertedType, scale: e.scale, precision: e.precision,
                                    fieldId: e.fieldId))
        }
        return nodes
    }

    private static func collectLeaves(_ nodes: [SchemaNode], path: [String], def: Int, rep: Int, depth: Int,
                                      into leaves: inout [ColumnDescriptor]) throws(FloeError) {
        guard depth <= maxDepth else { throw FloeError.unsupported("schema nesting deeper than \(maxDepth)") }
        for node in nodes {
            var d = def, r = rep
            if node.repetition == .optional { d += 1 }
            if node.repetition == .repeated { d += 1; r += 1 }
            let p = path + [node.name]
            switch node.kind {
            case .group(let children):
                try collectLeaves(children, path: p, def: d, rep: r, depth: depth + 1, into: &leaves)
            case .leaf(let type, let typeLength):
                var width = 0
                if type == .fixedLenByteArray {
                    guard let len = typeLength, len >= 0 else {
                        throw FloeError.invalidArgument("FIXED_LEN_BYTE_ARRAY column '\(p.joined(separator: "."))' needs a type length")
                    }
                    width = Int(len)
                } else if type == .int96 {
                    width = 12
                }
                let kind = ValueKind(physicalType: type, typeLength: typeLength, logicalType: node.logicalType,
                                     convertedType: node.convertedType, scale: node.scale, precision: node.precision)
                leaves.append(ColumnDescriptor(path: p, physicalType: type, typeLength: width, repetition: node.repetition,
                                               logicalType: node.logicalType, convertedType: node.convertedType,
                                               kind: kind, maxDefinitionLevel: d, maxRepetitionLevel: r,
                                               index: leaves.count))
            }
        }
    }

    private static func flatten(_ node: SchemaNode, isRoot: Bool, into out: inout [SchemaElement]) {
        var e = SchemaElement(name: node.name)
        if !isRoot { e.repetitionType = node.repetition }
        e.logicalType = node.logicalType
        e.convertedType = node.convertedType
        e.scale = node.scale
        e.precision = node.precision
        e.fieldId = node.fieldId
        switch node.kind {
        case .leaf(let type, let typeLength):
            e.type = type
            e.typeLength = type == .fixedLenByteArray ? typeLength : nil
            out.append(e)
        case .group(let children):
            e.numChildren = Int32(children.count)
            out.append(e)
            for c in children { flatten(c, isRoot: false, into: &out) }
        }
    }
}
