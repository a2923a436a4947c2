/// A small JSON document model for machine-readable command output (`--json`): objects keep
/// their key order.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// Pre-rendered JSON text inserted as is (for canonical values).
    case raw(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// The JSON text; `indent` > 0 pretty-prints.
    public func serialized(indent: Int = 0) -> String {
        var out: [UInt8] = []
        write(to: &out, indent: indent, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func newline(_ out: inout [UInt8], _ indent: Int, _ depth: Int) {
        guard indent > 0 else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
    }

    private func write(to out: inout [UInt8], indent: Int, depth: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): CanonicalJSON.appendInt(i, to: &out)
        case .double(let d): CanonicalJSON.appendDouble(d, to: &out)
        case .string(let s):
            var s = s
            s.withUTF8 { CanonicalJSON.appendString(UnsafeRawBufferPointer($0), to: &out) }
        case .raw(let text): out.append(contentsOf: text.utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent, depth + 1)
                item.write(to: &out, indent: indent, depth: depth + 1)
            }
            if !items.isEmpty { newline(&out, indent, depth) }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent, depth + 1)
                CanonicalJSON.appendKey(key, to: &out)
                if indent > 0 { out.append(UInt8(ascii: " ")) }
                value.write(to: &out, indent: indent, depth: depth + 1)
            }
            if !fields.isEmpty { newline(&out, indent, depth) }
            out.append(UInt8(ascii: "}"))
        }
    }
}
