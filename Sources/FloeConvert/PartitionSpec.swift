import FloeCore
import FloeColumns
import FloeJSON

/// Hive-style partitioning: a top-level column's value (`type` → `type=track/`) or a time
/// bucket of a timestamp column (`dt=day(timestamp)` → `dt=2019-05-27/`).
public struct PartitionSpec: Sendable, Equatable {
    /// How the partition value is computed.
    public enum Transform: String, Sendable { case identity, year, month, day, hour }
    /// The directory key (`dt`, or the column name).
    public var key: String
    /// The top-level JSON field the value comes from.
    public var column: String
    public var transform: Transform

    /// Parses `COL` or `KEY=FN(COL)` with FN one of year, month, day, hour.
    public init(parsing text: String) throws(FloeError) {
        let trimmed = text.filter { $0 != " " }
        guard let eq = trimmed.firstIndex(of: "=") else {
            guard !trimmed.isEmpty else { throw FloeError.invalidArgument("empty --partition-by") }
            key = trimmed; column = trimmed; transform = .identity
            return
        }
        key = String(trimmed[..<eq])
        let expr = trimmed[trimmed.index(after: eq)...]
        guard let open = expr.firstIndex(of: "("), expr.last == ")",
              let t = Transform(rawValue: expr[..<open].lowercased()), t != .identity, !key.isEmpty else {
            throw FloeError.invalidArgument("--partition-by takes COL or KEY=day(COL) (also year, month, hour), not '\(text)'")
        }
        transform = t
        column = String(expr[expr.index(after: open)..<expr.index(before: expr.endIndex)])
        guard !column.isEmpty else { throw FloeError.invalidArgument("--partition-by '\(text)' names no column") }
    }

    /// True when the partition column is dropped from the data files (plain column partitioning,
    /// as Hive expects); time buckets keep their timestamp column.
    public var dropsColumn: Bool { transform == .identity }

    /// Hive's directory value for a null or missing value.
    public static let defaultPartition = "__HIVE_DEFAULT_PARTITION__"

    /// The partition directory value of a scanned line.
    func value(in tape: JSONTape, line: UnsafeRawBufferPointer, columnKey: [UInt8]) throws(FloeError) -> String {
        guard let token = PartitionSpec.topLevelValue(in: tape, line: line, key: columnKey) else { return PartitionSpec.defaultPartition }
        let text = UnsafeRawBufferPointer(rebasing: line[token.range])
        switch transform {
        case .identity:
            switch token.kind {
            case .null: return PartitionSpec.defaultPartition
            case .string: return PartitionSpec.escape(JSONStringDecoding.decoded(token, in: line))
            case .int, .double, .true, .false: return PartitionSpec.escape(Array(text))
            default:
                throw FloeError(.corrupt, "partition column '\(column)' holds \(token.kind == .objectStart ? "an object" : "an array")",
                                at: Location(line: tape.lineNumber, byteColumn: token.column))
            }
        default:
            if token.kind == .null { return PartitionSpec.defaultPartition }
            guard token.kind == .string, let ts = TimestampParser.parse(text) else {
                throw FloeError(.corrupt, "partition column '\(column)' is not a timestamp", at: Location(line: tape.lineNumber, byteColumn: token.column))
            }
            return bucket(ts)
        }
    }

    /// The partition value of `line` found without a tape (``TopLevelField``), exactly as
    /// ``value(in:line:columnKey:)`` gives it; nil when the line needs the tape to tell (an
    /// escaped key or value, a value that is refused, anything unusual).
    ///
    /// The partition column is a field of the schema the records are shredded with (files of
    /// an identity partition leave it out only when written), and the one-pass shredding refuses
    /// a repeated field: the search stops at the column's first occurrence, and a line that
    /// repeats it takes the tape path, where the last occurrence counts. `memo` keeps the last
    /// time bucket's text.
    func directValue(line: UnsafeRawBufferPointer, columnKey: [UInt8], isFirstLine: Bool, memo: inout BucketMemo) -> String? {
        guard let found = TopLevelField.find(line, key: columnKey, isFirstLine: isFirstLine, firstOccurrence: true) else {
            return nil
        }
        guard case .value(let kind, let range) = found else { return PartitionSpec.defaultPartition }
        if kind == .null { return PartitionSpec.defaultPartition }
        let text = UnsafeRawBufferPointer(rebasing: line[range])
        switch transform {
        case .identity:
            switch kind {
            case .string, .int, .double, .true, .false: return PartitionSpec.escape(Array(text))
            default: return nil
            }
        default:
            guard kind == .string, let ts = TimestampParser.parse(text) else { return nil }
            // Instants of one hour (or day) share their bucket's text.
            let unit: Int64 = transform == .hour ? 3_600_000_000 : 86_400_000_000
            let key = ts.micros >= 0 ? ts.micros / unit : (ts.micros &+ 1) / unit &- 1
            if memo.key != key || memo.value.isEmpty { memo = BucketMemo(key: key, value: bucket(ts)) }
            return memo.value
        }
    }

    /// The last time bucket ``directValue(line:columnKey:isFirstLine:memo:)`` formatted: its hour
    /// or day number, and its text.
    struct BucketMemo {
        var key: Int64 = 0
        var value = ""
    }

    /// The time bucket of an instant: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DD-HH` (UTC).
    private func bucket(_ ts: ParsedTimestamp) -> String {
        var out: [UInt8] = []
        CanonicalJSON.appendTimestamp(ts.micros, unit: .micros, adjustedToUTC: true, to: &out)
        // "\"YYYY-MM-DDTHH:…" → the bucket's prefix.
        let s = String(decoding: out.dropFirst(), as: UTF8.self)
        switch transform {
        case .year: return String(s.prefix(4))
        case .month: return String(s.prefix(7))
        case .day: return String(s.prefix(10))
        default: return String(s.prefix(10)) + "-" + String(s.dropFirst(11).prefix(2))
        }
    }

    /// The value token of top-level key `key` (last one wins), if present.
    static func topLevelValue(in tape: JSONTape, line: UnsafeRawBufferPointer, key: [UInt8]) -> JSONToken? {
        let tokens = tape.tokens
        guard let first = tokens.first, first.kind == .objectStart else { return nil }
        var found: JSONToken?
        var i = tokens.startIndex + 1
        let end = tokens.startIndex + first.partner
        while i < end {
            let k = tokens[i]
            guard k.kind == .key, i + 1 < tokens.endIndex else { break }
            let v = tokens[i + 1]
            let name = k.hasEscapes ? JSONStringDecoding.decoded(k, in: line) : Array(line[k.range])
            if name == key { found = v }
            i = (v.kind == .objectStart || v.kind == .arrayStart) ? tokens.startIndex + v.partner + 1 : i + 2
        }
        return found
    }

    /// Hive's path escaping: control characters and `"#%'*/:=?\{[]^` become %XX.
    static func escape(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return defaultPartition }
        var out: [UInt8] = []
        let special = Set("\"#%'*/:=?\\\u{7F}{[]^".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in bytes {
            if b < 0x20 || special.contains(b) {
                out.append(UInt8(ascii: "%")); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
