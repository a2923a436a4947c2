import FloeCore
import FloeFormat

/// The logical shape of a schema subtree — primitive, struct, list or map — with the levels
/// that record assembly needs. Built from the physical schema by the LIST/MAP rules of the
/// spec, including its backward-compatibility rules for 2-level lists and unannotated
/// repeated fields.
public indirect enum LogicalShape: Sendable {
    /// A primitive value of leaf `leaf`.
    case primitive(leaf: Int, levels: ShapeLevels)
    /// A struct of named fields.
    case structure(fields: [(name: String, shape: LogicalShape)], levels: ShapeLevels)
    /// A list; `element` is one element.
    case list(element: LogicalShape, levels: ShapeLevels)
    /// A map of `key` to `value` (nil when the schema has no value field).
    case map(key: LogicalShape, value: LogicalShape?, levels: ShapeLevels)

    /// The levels of this node.
    public var levels: ShapeLevels {
        switch self {
        case .primitive(_, let l), .structure(_, let l), .list(_, let l), .map(_, _, let l): l
        }
    }
}

/// Where a node sits in the Dremel encoding.
public struct ShapeLevels: Sendable, Equatable {
    /// The definition level from which this node is non-null.
    public var definition: Int
    /// For lists and maps: the definition level from which an element exists; the repetition
    /// level that continues the list.
    public var elementDefinition: Int
    public var repetition: Int
    /// True when the node can be null.
    public var nullable: Bool
    /// The leaves under this node (the first one drives list and null decisions).
    public var leaves: [Int]

    /// Creates levels.
    public init(definition: Int, elementDefinition: Int, repetition: Int, nullable: Bool, leaves: [Int]) {
        self.definition = definition; self.elementDefinition = elementDefinition
        self.repetition = repetition; self.nullable = nullable; self.leaves = leaves
    }
}

extension Schema {
    /// The logical shape of each top-level field, in order.
    public func logicalFields() throws(FloeError) -> [(name: String, shape: LogicalShape)] {
        var leafCounter = 0
        var out: [(String, LogicalShape)] = []
        for child in root.children {
            out.append((child.name, try LogicalShapeBuilder.shape(of: child, def: 0, rep: 0, leafCounter: &leafCounter)))
        }
        return out
    }
}

enum LogicalShapeBuilder {
    static func shape(of node: SchemaNode, def: Int, rep: Int, leafCounter: inout Int) throws(FloeError) -> LogicalShape {
        if node.repetition == .repeated {
            // An unannotated repeated field: a list of required elements.
            let d = def + 1, r = rep + 1
            let element = try required(node, def: d, rep: r, leafCounter: &leafCounter)
            return .list(element: element, levels: ShapeLevels(definition: def, elementDefinition: d, repetition: r,
                                                                nullable: false, leaves: leavesOf(element)))
        }
        let d = node.repetition == .optional ? def + 1 : def
        let nullable = node.repetition == .optional
        let isList = node.logicalType == .list || node.convertedType == .list
        let isMap = node.logicalType == .map || node.convertedType == .map || node.convertedType == .mapKeyValue
        if case .group(let children) = node.kind, isList, children.count == 1, children[0].repetition == .repeated {
            let repeated = children[0]
            let ed = d + 1, r = rep + 1
            let element: LogicalShape
            if repeated.isLeaf || repeated.children.count > 1 || repeated.name == "array" || repeated.name == node.name + "_tuple" {
                element = try required(repeated, def: ed, rep: r, leafCounter: &leafCounter)
            } else {
                element = try shape(of: repeated.children[0], def: ed, rep: r, leafCounter: &leafCounter)
            }
            return .list(element: element, levels: ShapeLevels(definition: d, elementDefinition: ed, repetition: r,
                                                                nullable: nullable, leaves: leavesOf(element)))
        }
        if case .group(let children) = node.kind, isMap, children.count == 1, children[0].repetition == .repeated,
           case .group(let kv) = children[0].kind, kv.count == 1 || kv.count == 2 {
            let ed = d + 1, r = rep + 1
            let key = try shape(of: kv[0], def: ed, rep: r, leafCounter: &leafCounter)
            let levels = ShapeLevels(definition: d, elementDefinition: ed, repetition: r, nullable: nullable, leaves: [])
            guard kv.count == 2 else {
                // A map without values reads as the list of its keys, as other readers do.
                var l = levels
                l.leaves = leavesOf(key)
                return .list(element: key, levels: l)
            }
            let value = try shape(of: kv[1], def: ed, rep: r, leafCounter: &leafCounter)
            var l = levels
            l.leaves = leavesOf(key) + leavesOf(value)
            return .map(key: key, value: value, levels: l)
        }
        return try plain(node, def: d, rep: rep, nullable: nullable, leafCounter: &leafCounter)
    }

    /// The node itself (its repetition already accounted for) as a non-null value; a LIST or
    /// MAP annotation on it still applies.
    private static func required(_ node: SchemaNode, def: Int, rep: Int, leafCounter: inout Int) throws(FloeError) -> LogicalShape {
        var asRequired = node
        asRequired.repetition = .required
        return try shape(of: asRequired, def: def, rep: rep, leafCounter: &leafCounter)
    }

    private static func plain(_ node: SchemaNode, def: Int, rep: Int, nullable: Bool,
                              leafCounter: inout Int) throws(FloeError) -> LogicalShape {
        switch node.kind {
        case .leaf:
            let leaf = leafCounter
            leafCounter += 1
            return .primitive(leaf: leaf, levels: ShapeLevels(definition: def, elementDefinition: def, repetition: rep,
                                                              nullable: nullable, leaves: [leaf]))
        case .group(let children):
            var fields: [(String, LogicalShape)] = []
            for c in children { fields.append((c.name, try shape(of: c, def: def, rep: rep, leafCounter: &leafCounter))) }
            let leaves = fields.flatMap { leavesOf($0.1) }
            guard !leaves.isEmpty else { throw FloeError.unsupported("group '\(node.name)' without any leaf column") }
            return .structure(fields: fields, levels: ShapeLevels(definition: def, elementDefinition: def, repetition: rep,
                                                                  nullable: nullable, leaves: leaves))
        }
    }

    static func leavesOf(_ s: LogicalShape) -> [Int] { s.levels.leaves }
}
