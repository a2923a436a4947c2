import FloeCore
import FloeJSON

/// Text forms of values: canonical JSON (jsonl output) and plain text (CAST to VARCHAR, CSV, tables).
enum ValueText {
    /// Appends the canonical JSON of row `i` of `v`.
    static func appendJSON(_ v: Vector, _ i: Int, to out: inout [UInt8]) {
        guard v.isValid(i) else { CanonicalJSON.appendNull(to: &out); return }
        let j = v.index(i)
        switch v.type {
        case .null: CanonicalJSON.appendNull(to: &out)
        case .boolean: CanonicalJSON.appendBool(v.bools[j], to: &out)
        case .integer: CanonicalJSON.appendInt(v.ints[j], to: &out)
        case .double: CanonicalJSON.appendDouble(v.doubles[j], to: &out)
        case .date: CanonicalJSON.appendDate(days: Int32(clamping: v.ints[j]), to: &out)
        case .timestamp: CanonicalJSON.appendTimestamp(v.ints[j], unit: .micros, adjustedToUTC: true, to: &out)
        case .string:
            v.strings.bytes.withUnsafeBytes { raw in
                CanonicalJSON.appendString(UnsafeRawBufferPointer(rebasing: raw[v.strings.offsets[j]..<v.strings.offsets[j + 1]]), to: &out)
            }
        case .binary:
            v.strings.bytes.withUnsafeBytes { raw in
                CanonicalJSON.appendBase64(UnsafeRawBufferPointer(rebasing: raw[v.strings.offsets[j]..<v.strings.offsets[j + 1]]), to: &out)
            }
        case .json: out.append(contentsOf: v.strings[j])
        }
    }

    /// Appends the plain text of row `i` of `v` (nothing for null).
    static func appendText(_ v: Vector, _ i: Int, to out: inout [UInt8]) {
        guard v.isValid(i) else { return }
        let j = v.index(i)
        switch v.type {
        case .string: out.append(contentsOf: v.strings[j])
        case .date, .timestamp, .binary:
            var tmp: [UInt8] = []
            appendJSON(v, i, to: &tmp)
            out.append(contentsOf: tmp.dropFirst().dropLast())
        default:
            appendJSON(v, i, to: &out)
        }
    }

    /// The plain text of row `i`, or nil for null.
    static func text(_ v: Vector, _ i: Int) -> String? {
        guard v.isValid(i) else { return nil }
        var out: [UInt8] = []
        appendText(v, i, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
