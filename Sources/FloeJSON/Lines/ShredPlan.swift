import FloeCore
import FloeFormat
import FloeColumns

/// How a JSON value becomes a leaf value.
enum LeafConversion: Sendable, Equatable {
    case boolean
    /// An INT32 column: JSON integers within `min...max` (unsigned values stored as bit patterns).
    case int32(min: Int64, max: Int64)
    /// An INT64 column of signed values.
    case int64
    /// An INT64 column of UINT_64 values.
    case uint64
    case float
    case double
    /// STRING/ENUM/BYTE_ARRAY: a JSON string's decoded text, any other value's JSON text.
    case text
    /// The JSON logical type: every value's JSON text (strings with their quotes).
    case json
    /// TIMESTAMP on INT64 from RFC 3339 strings.
    case timestamp(TimeUnit)
    /// DATE on INT32 from `YYYY-MM-DD` strings.
    case date
    /// DECIMAL from number text (or a string holding a number).
    case decimal(scale: Int, precision: Int, storage: DecimalStorage)
    /// UUID in a 16-byte FIXED_LEN_BYTE_ARRAY from the canonical string.
    case uuid
}

/// Where the unscaled value of a decimal goes.
enum DecimalStorage: Sendable, Equatable {
    case int32, int64, byteArray
    case fixed(width: Int)
}

/// One node of the shredding plan (a compiled view of the schema tree).
struct ShredNode: Sendable {
    enum Kind: UInt8, Sendable { case leaf, structure, list, map }
    var kind: Kind
    /// The dotted path, for messages.
    var path: String
    /// The definition level when the value is present.
    var def: Int
    /// Lists and maps: the definition level when an entry exists; the repetition level of entries.
    var entryDef = 0
    var repLevel = 0
    /// False when a null or missing value is an error.
    var nullable: Bool
    /// The leaves under this node: `firstLeaf..<endLeaf`.
    var firstLeaf = 0
    var endLeaf = 0
    /// Structs: child nodes in schema order, with their names; lists: [element]; maps: [key, value?].
    var children: [Int] = []
    /// Structs: the key directory entry of the first child (the others follow in order).
    var firstEntry = 0
    /// Structs: the first slot of this node in the shredder's slot array.
    var slotBase = 0
    /// Leaves: the conversion.
    var conversion: LeafConversion = .text
}

/// Compiles a ``Schema`` into shredding nodes, validating LIST and MAP shapes.
struct ShredPlanBuilder {
    var nodes: [ShredNode] = []
    var leafCount = 0
    var slotCount = 0
    let caseInsensitive: Bool
    let leaves: [ColumnDescriptor]
    /// Struct field names: group = struct node index, value = child ordinal.
    var keys: KeyDirectory

    init(caseInsensitive: Bool, leaves: [ColumnDescriptor]) {
        self.caseInsensitive = caseInsensitive
        self.leaves = leaves
        self.keys = KeyDirectory(caseInsensitive: caseInsensitive)
    }

    static func build(_ schema: Schema, caseInsensitive: Bool) throws(FloeError) -> (nodes: [ShredNode], slots: Int, keys: KeyDirectory) {
        var b = ShredPlanBuilder(caseInsensitive: caseInsensitive, leaves: schema.leaves)
        var root = ShredNode(kind: .structure, path: "", def: 0, nullable: false)
        b.nodes.append(root)
        let (children, firstEntry) = try b.structChildren(0, schema.root.children, def: 0, rep: 0, path: [])
        root = b.nodes[0]
        root.children = children
        root.firstEntry = firstEntry
        root.firstLeaf = 0
        root.endLeaf = b.leafCount
        root.slotBase = b.slotCount
        b.slotCount += children.count
        b.nodes[0] = root
        guard b.leafCount == schema.leaves.count else {
            throw FloeError.invalidArgument("internal: the plan has \(b.leafCount) leaves, the schema \(schema.leaves.count)")
        }
        return (b.nodes, b.slotCount, b.keys)
    }

    /// Registers the field names of struct node `owner` (contiguous entries, in order) and
    /// compiles the fields; returns their nodes and the first entry.
    private mutating func structChildren(_ owner: Int, _ children: [SchemaNode], def: Int, rep: Int,
                                         path: [String]) throws(FloeError) -> ([Int], Int) {
        let group = Int32(truncatingIfNeeded: owner)
        let firstEntry = keys.entries.count
        var previous = -1
        for (ordinal, child) in children.enumerated() {
            let name = Array(child.name.utf8)
            guard keys.find(group: group, name) < 0 else {
                let how = caseInsensitive ? " (keys match case-insensitively)" : ""
                throw FloeError.invalidArgument("field '\((path + [child.name]).joined(separator: "."))' appears twice in its struct\(how)")
            }
            previous = keys.insert(group: group, name, value: Int32(truncatingIfNeeded: ordinal), after: previous)
        }
        var out: [Int] = []
        for child in children {
            out.append(try compile(child, parentDef: def, parentRep: rep, path: path + [child.name]))
        }
        return (out, firstEntry)
    }

    /// Compiles a node that is a struct member (or a list element / map value).
    private mutating func compile(_ node: SchemaNode, parentDef: Int, parentRep: Int,
                                  path: [String]) throws(FloeError) -> Int {
        let dotted = path.joined(separator: ".")
        if node.repetition == .repeated {
            // An unannotated repeated field: a list whose elements are the field itself; an
            // empty, null or missing list are all "no entries".
            let index = nodes.count
            nodes.append(ShredNode(kind: .list, path: dotted, def: parentDef, entryDef: parentDef + 1,
                                   repLevel: parentRep + 1, nullable: true, firstLeaf: leafCount))
            var element = node
            element.repetition = .required
            let e = try compile(element, parentDef: parentDef + 1, parentRep: parentRep + 1, path: path)
            nodes[index].children = [e]
            nodes[index].endLeaf = leafCount
            return index
        }
        let def = parentDef + (node.repetition == .optional ? 1 : 0)
        let nullable = node.repetition == .optional
        let index = nodes.count
        nodes.append(ShredNode(kind: .structure, path: dotted, def: def, nullable: nullable, firstLeaf: leafCount))
        switch node.kind {
        case .leaf(let type, let typeLength):
            let descriptor = leaves[leafCount]
            guard descriptor.maxDefinitionLevel == def, descriptor.maxRepetitionLevel == parentRep else {
                throw FloeError.invalidArgument("internal: levels of '\(dotted)' disagree with the schema")
            }
            nodes[index].kind = .leaf
            nodes[index].conversion = try ShredPlanBuilder.conversion(for: node, type: type, typeLength: typeLength,
                                                                       kind: descriptor.kind, path: dotted)
            leafCount += 1
        case .group(let children):
            let annotation = node.logicalType
            let isList = annotation == .list || (annotation == nil && node.convertedType == .list)
            let isMap = annotation == .map || (annotation == nil && (node.convertedType == .map || node.convertedType == .mapKeyValue))
            if isList {
                guard children.count == 1, let repeated = children.first, repeated.repetition == .repeated else {
                    throw FloeError.invalidArgument("LIST '\(dotted)' must have exactly one repeated child")
                }
                nodes[index].kind = .list
                nodes[index].entryDef = def + 1
                nodes[index].repLevel = parentRep + 1
                let element: Int
                if case .group(let inner) = repeated.kind, inner.count == 1, repeated.name != "array",
                   repeated.name != node.name + "_tuple" {
                    guard inner[0].repetition != .repeated else {
                        throw FloeError.invalidArgument("LIST '\(dotted)' has a repeated element")
                    }
                    element = try compile(inner[0], parentDef: def + 1, parentRep: parentRep + 1, path: path + [repeated.name, inner[0].name])
                } else {
                    var single = repeated
                    single.repetition = .required
                    element = try compile(single, parentDef: def + 1, parentRep: parentRep + 1, path: path + [repeated.name])
                }
                nodes[index].children = [element]
            } else if isMap {
                guard children.count == 1, let entries = children.first, entries.repetition == .repeated,
                      case .group(let kv) = entries.kind, kv.count == 1 || kv.count == 2,
                      kv[0].isLeaf, kv[0].repetition == .required else {
                    throw FloeError.invalidArgument("MAP '\(dotted)' must hold one repeated group of a required key and a value")
                }
                nodes[index].kind = .map
                nodes[index].entryDef = def + 1
                nodes[index].repLevel = parentRep + 1
                let entryPath = path + [entries.name]
                let key = try compile(kv[0], parentDef: def + 1, parentRep: parentRep + 1, path: entryPath + [kv[0].name])
                switch nodes[key].conversion {
                case .text, .int32, .int64, .uint64, .date, .timestamp, .uuid: break
                default: throw FloeError.unsupported("map keys of the type of '\(dotted)'")
                }
                var kids = [key]
                if kv.count == 2 {
                    guard kv[1].repetition != .repeated else {
                        throw FloeError.invalidArgument("MAP '\(dotted)' has a repeated value")
                    }
                    kids.append(try compile(kv[1], parentDef: def + 1, parentRep: parentRep + 1, path: entryPath + [kv[1].name]))
                }
                nodes[index].children = kids
            } else {
                nodes[index].kind = .structure
                let (kids, firstEntry) = try structChildren(index, children, def: def, rep: parentRep, path: path)
                nodes[index].children = kids
                nodes[index].firstEntry = firstEntry
                nodes[index].slotBase = slotCount
                slotCount += kids.count
            }
        }
        nodes[index].endLeaf = leafCount
        return index
    }

    /// The conversion of a leaf; unsupported types are refused here, once.
    static func conversion(for node: SchemaNode, type: PhysicalType, typeLength: Int32?, kind: ValueKind,
                           path: String) throws(FloeError) -> LeafConversion {
        if node.logicalType == .json || (node.logicalType == nil && node.convertedType == .json) {
            guard type == .byteArray else { throw FloeError.unsupported("JSON on \(type) ('\(path)')") }
            return .json
        }
        switch kind {
        case .boolean: return .boolean
        case .integer(let bits, let signed):
            if type == .int64 { return signed ? .int64 : .uint64 }
            guard type == .int32, bits <= 32 else { break }
            if signed {
                let bound = Int64(1) << (bits - 1)
                return .int32(min: -bound, max: bound - 1)
            }
            return .int32(min: 0, max: (Int64(1) << bits) - 1)
        case .float: return .float
        case .double: return .double
        case .string, .binary:
            if type == .byteArray { return .text }
        case .timestamp(let unit, _):
            if type == .int64 { return .timestamp(unit) }
        case .date:
            if type == .int32 { return .date }
        case .decimal(let scale, let precision):
            guard precision >= 1, precision <= 38, scale >= 0, scale <= precision else {
                throw FloeError.unsupported("DECIMAL(\(precision), \(scale)) ('\(path)')")
            }
            switch type {
            case .int32 where precision <= 9: return .decimal(scale: scale, precision: precision, storage: .int32)
            case .int64 where precision <= 18: return .decimal(scale: scale, precision: precision, storage: .int64)
            case .byteArray: return .decimal(scale: scale, precision: precision, storage: .byteArray)
            case .fixedLenByteArray:
                let width = Int(typeLength ?? 0)
                guard width >= DecimalText.byteWidth(precision: precision), width <= 64 else { break }
                return .decimal(scale: scale, precision: precision, storage: .fixed(width: width))
            default: break
            }
        case .uuid: return .uuid
        default: break
        }
        throw FloeError.unsupported("converting JSON into column '\(path)' of type \(type)\(node.logicalType.map { " (\($0))" } ?? "")")
    }
}
