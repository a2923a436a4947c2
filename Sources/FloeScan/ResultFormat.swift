import FloeJSON

extension SQLValue {
    /// A one-row vector holding this value.
    var vector: Vector { .constant(self, count: 1) }

    /// The canonical JSON text of the value (timestamps as `"YYYY-MM-DDTHH:MM:SS.ffffffZ"`).
    public var canonicalJSON: String {
        var out: [UInt8] = []
        ValueText.appendJSON(vector, 0, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The plain text of the value (empty for null): strings unquoted, dates `YYYY-MM-DD`.
    public var text: String { ValueText.text(vector, 0) ?? "" }
}

extension QueryResult {
    /// One JSON object per row, keys in column order, values in the canonical JSON view.
    public func jsonLines() -> [UInt8] {
        var keys: [[UInt8]] = []
        for name in columns {
            var k: [UInt8] = []
            CanonicalJSON.appendKey(name, to: &k)
            keys.append(k)
        }
        var out: [UInt8] = []
        for row in rows {
            out.append(UInt8(ascii: "{"))
            for (i, value) in row.enumerated() where i < keys.count {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: keys[i])
                ValueText.appendJSON(value.vector, 0, to: &out)
            }
            out.append(contentsOf: Array("}\n".utf8))
        }
        return out
    }

    /// RFC 4180 CSV with a header line; nulls are empty fields.
    public func csv() -> [UInt8] {
        var out: [UInt8] = []
        func field(_ s: String) {
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                out.append(UInt8(ascii: "\""))
                for b in s.utf8 {
                    if b == UInt8(ascii: "\"") { out.append(b) }
                    out.append(b)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: s.utf8)
            }
        }
        for (i, name) in columns.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            field(name)
        }
        out.append(UInt8(ascii: "\n"))
        for row in rows {
            for (i, v) in row.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                field(v.text)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
