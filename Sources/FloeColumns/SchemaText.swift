import FloeFormat

extension Schema {
    /// The schema in Parquet's message syntax:
    ///
    /// ```
    /// message schema {
    ///   required int64 id;
    ///   optional binary name (STRING);
    /// }
    /// ```
    public var messageText: String {
        var out = "message \(root.name) {\n"
        for child in root.children { Schema.describe(child, indent: 1, into: &out) }
        return out + "}\n"
    }

    private static func describe(_ node: SchemaNode, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        let repetition = (node.repetition.name ?? "\(node.repetition.rawValue)").lowercased()
        var annotation = ""
        if let lt = node.logicalType { annotation = " (\(lt))" } else if let ct = node.convertedType { annotation = " (\(ct))" }
        let id = node.fieldId.map { " = \($0)" } ?? ""
        switch node.kind {
        case .leaf(let type, let length):
            var typeName = (type.name ?? "\(type.rawValue)").lowercased()
            if type == .byteArray { typeName = "binary" }
            if type == .fixedLenByteArray { typeName = "fixed_len_byte_array(\(length ?? 0))" }
            out += "\(pad)\(repetition) \(typeName) \(node.name)\(id)\(annotation);\n"
        case .group(let children):
            out += "\(pad)\(repetition) group \(node.name)\(id)\(annotation) {\n"
            for c in children { describe(c, indent: indent + 1, into: &out) }
            out += "\(pad)}\n"
        }
    }
}
