import FloeFormat

/// Hive/Athena DDL for a Parquet schema: the column list of a CREATE EXTERNAL TABLE statement.
public enum HiveDDL {
    /// `name type` for each top-level field, in order.
    public static func columns(of schema: Schema) -> [(name: String, type: String)] {
        schema.root.children.map { (quote($0.name), type(of: $0)) }
    }

    /// The Hive type of a schema node (lists, maps and structs nested as Hive writes them).
    public static func type(of node: SchemaNode) -> String {
        if node.repetition == .repeated {
            var single = node
            single.repetition = .required
            return "array<\(type(of: single))>"
        }
        switch node.kind {
        case .group(let children):
            let isList = node.logicalType == .list || node.convertedType == .list
            let isMap = node.logicalType == .map || node.convertedType == .map || node.convertedType == .mapKeyValue
            if isList, children.count == 1, children[0].repetition == .repeated {
                let repeated = children[0]
                if case .group(let inner) = repeated.kind, inner.count == 1, repeated.name != "array",
                   repeated.name != node.name + "_tuple" {
                    return "array<\(type(of: inner[0]))>"
                }
                var element = repeated
                element.repetition = .required
                return "array<\(type(of: element))>"
            }
            if isMap, children.count == 1, case .group(let kv) = children[0].kind, kv.count == 2 {
                return "map<\(type(of: kv[0])),\(type(of: kv[1]))>"
            }
            return "struct<" + children.map { "\(quote($0.name)):\(type(of: $0))" }.joined(separator: ",") + ">"
        case .leaf(let physical, let length):
            let kind = ValueKind(physicalType: physical, typeLength: length, logicalType: node.logicalType,
                                 convertedType: node.convertedType, scale: node.scale, precision: node.precision)
            switch kind {
            case .boolean: return "boolean"
            case .integer(let bits, let signed):
                if !signed { return bits < 32 ? "int" : "bigint" }
                switch bits {
                case 8: return "tinyint"
                case 16: return "smallint"
                case 32: return "int"
                default: return "bigint"
                }
            case .float: return "float"
            case .double: return "double"
            case .string: return "string"
            case .decimal(let s, let p): return "decimal(\(p),\(s))"
            case .date: return "date"
            case .timestamp, .int96Timestamp: return "timestamp"
            case .time: return "bigint"
            default: return "binary"
            }
        }
    }

    /// The field names Hive and Athena cannot declare, as messages: empty names, and sibling
    /// fields whose names differ only in case (Hive names are case-insensitive). Struct fields
    /// at any depth are checked, inside lists and maps too.
    public static func nameProblems(of schema: Schema) -> [String] {
        var problems: [String] = []
        func check(_ fields: [SchemaNode], at path: String) {
            var seen: [String: String] = [:]
            for field in fields {
                let where_ = path.isEmpty ? "at the top level" : "in \(path)"
                if field.name.isEmpty { problems.append("a field \(where_) has an empty name") }
                if let other = seen[field.name.lowercased()] {
                    problems.append("fields \(quote(other)) and \(quote(field.name)) \(where_) differ only in case")
                } else {
                    seen[field.name.lowercased()] = field.name
                }
                visit(field, path: path.isEmpty ? field.name : path + "." + field.name)
            }
        }
        func visit(_ node: SchemaNode, path: String) {
            guard case .group(let children) = node.kind else { return }
            let isList = node.logicalType == .list || node.convertedType == .list
            let isMap = node.logicalType == .map || node.convertedType == .map || node.convertedType == .mapKeyValue
            if isList || isMap || node.repetition == .repeated {
                // The wrapper groups of lists and maps are not fields: look into what they hold.
                for child in children { visit(child, path: path) }
            } else {
                check(children, at: path)
            }
        }
        check(schema.root.children, at: "")
        return problems
    }

    /// A name in backquotes (always: Athena has many reserved words, such as `timestamp`).
    public static func quote(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
