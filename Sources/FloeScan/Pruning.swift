import FloeCore
import FloeFormat
import FloeColumns

/// A range a column must fall in for a conjunct of the WHERE clause to hold.
struct ColumnRange {
    var path: [String]
    var low: SQLValue?
    var lowInclusive = true
    var high: SQLValue?
    var highInclusive = true

    /// True when at least one bound is set and every set bound is a string.
    var hasTextBounds: Bool {
        func isText(_ v: SQLValue?) -> Bool {
            if v == nil { return true }
            if case .string? = v { return true }
            return false
        }
        return isText(low) && isText(high) && (low != nil || high != nil)
    }
}

/// Row-group pruning by min/max statistics for simple conjuncts (`col op literal`, BETWEEN,
/// IN, `date_trunc(unit, col) = literal`, `date(col) = literal`).
enum Pruning {
    /// The conjuncts of an expression joined by AND.
    static func conjuncts(_ e: Expr?) -> [Expr] {
        guard let e else { return [] }
        if case .binary(.and, let a, let b, _) = e { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    /// The range each prunable conjunct implies.
    static func ranges(_ filter: Expr?) -> [ColumnRange] {
        conjuncts(filter).compactMap(range)
    }

    private static func literal(_ e: Expr) -> SQLValue? {
        if case .literal(let v, _) = e, v != .null { return v }
        return nil
    }

    private static func range(_ e: Expr) -> ColumnRange? {
        switch e {
        case .binary(let op, let l, let r, _) where op.isComparison && op != .ne:
            if case .column(let path, _) = l, let v = literal(r) { return make(path, op, v) }
            if case .column(let path, _) = r, let v = literal(l) { return make(path, flipped(op), v) }
            if op == .eq, let v = literal(r), let (path, step) = truncation(l), let start = micros(v) {
                return ColumnRange(path: path, low: .timestamp(start), high: .timestamp(start + step), highInclusive: false)
            }
            return nil
        case .between(.column(let path, _), let lo, let hi, false, _):
            guard let a = literal(lo), let b = literal(hi) else { return nil }
            return ColumnRange(path: path, low: a, high: b)
        case .inList(.column(let path, _), let list, false, _):
            let values = list.compactMap(literal)
            guard values.count == list.count, var lo = values.first, var hi = values.first else { return nil }
            for v in values.dropFirst() {
                guard let c1 = compare(v, lo), let c2 = compare(v, hi) else { return nil }
                if c1 < 0 { lo = v }
                if c2 > 0 { hi = v }
            }
            return ColumnRange(path: path, low: lo, high: hi)
        default:
            return nil
        }
    }

    private static func make(_ path: [String], _ op: BinaryOp, _ v: SQLValue) -> ColumnRange {
        switch op {
        case .eq: return ColumnRange(path: path, low: v, high: v)
        case .lt: return ColumnRange(path: path, high: v, highInclusive: false)
        case .le: return ColumnRange(path: path, high: v)
        case .gt: return ColumnRange(path: path, low: v, lowInclusive: false)
        default: return ColumnRange(path: path, low: v)
        }
    }

    private static func flipped(_ op: BinaryOp) -> BinaryOp {
        switch op {
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        default: return op
        }
    }

    /// `date_trunc('day'|'hour', col)` or `date(col)`: the column and the bucket width in micros.
    private static func truncation(_ e: Expr) -> ([String], Int64)? {
        guard case .call(let name, let args, _, _) = e else { return nil }
        if name == "date", args.count == 1, case .column(let path, _) = args[0] { return (path, 86_400_000_000) }
        if name == "date_trunc", args.count == 2, case .literal(.string(let unit), _) = args[0],
           case .column(let path, _) = args[1] {
            switch unit.lowercased() {
            case "day": return (path, 86_400_000_000)
            case "hour": return (path, 3_600_000_000)
            case "minute": return (path, 60_000_000)
            default: return nil
            }
        }
        return nil
    }

    private static func micros(_ v: SQLValue) -> Int64? {
        switch v {
        case .date(let d): return d &* 86_400_000_000
        case .timestamp(let t): return t
        case .string(let s): return Parser.typedLiteralMicros(s)
        default: return nil
        }
    }

    /// Compares two scalars (numbers, temporal values, strings as unsigned bytes); nil when
    /// they are not comparable.
    static func compare(_ a: SQLValue, _ b: SQLValue) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.integer(let x), .integer(let y)), (.date(let x), .date(let y)), (.timestamp(let x), .timestamp(let y)):
            return sign(x, y)
        case (.double(let x), .double(let y)): return x.isNaN || y.isNaN ? nil : sign(x, y)
        case (.integer(let x), .double(let y)): return y.isNaN ? nil : sign(Double(x), y)
        case (.double(let x), .integer(let y)): return x.isNaN ? nil : sign(x, Double(y))
        case (.date(let x), .timestamp(let y)): return sign(x &* 86_400_000_000, y)
        case (.timestamp(let x), .date(let y)): return sign(x, y &* 86_400_000_000)
        case (.string(let x), .string(let y)):
            return x.utf8.elementsEqual(y.utf8) ? 0 : (x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1)
        case (.binary(let x), .binary(let y)):
            return x.elementsEqual(y) ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
        case (.binary(let x), .string(let y)):
            return x.elementsEqual(y.utf8) ? 0 : (x.lexicographicallyPrecedes(y.utf8) ? -1 : 1)
        case (.string(let x), .binary(let y)):
            return x.utf8.elementsEqual(y) ? 0 : (x.utf8.lexicographicallyPrecedes(y) ? -1 : 1)
        case (.string(let s), .date), (.string(let s), .timestamp):
            guard let m = Parser.typedLiteralMicros(s) else { return nil }
            return compare(.timestamp(m), b)
        case (.date, .string(let s)), (.timestamp, .string(let s)):
            guard let m = Parser.typedLiteralMicros(s) else { return nil }
            return compare(a, .timestamp(m))
        default: return nil
        }
    }

    /// The min and max of a chunk's statistics as values of the leaf's SQL type.
    static func bounds(_ stats: Statistics, leaf: ColumnDescriptor) -> (SQLValue, SQLValue)? {
        let isBytes = leaf.physicalType == .byteArray || leaf.physicalType == .fixedLenByteArray
        // Deprecated min/max use signed byte order: only trust them for numbers.
        guard let lo = stats.minValue ?? (isBytes ? nil : stats.min),
              let hi = stats.maxValue ?? (isBytes ? nil : stats.max),
              let a = decode(lo, leaf), let b = decode(hi, leaf) else { return nil }
        return (a, b)
    }

    /// A min or max of the leaf's physical encoding as a value of its SQL type; nil for types
    /// without a usable order here.
    static func decode(_ bytes: [UInt8], _ leaf: ColumnDescriptor) -> SQLValue? {
        func int64() -> Int64? {
            if bytes.count == 8 { return bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } }
            if bytes.count == 4 { return Int64(bytes.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }) }
            return nil
        }
        switch leaf.kind {
        case .integer(let bits, let signed):
            guard let v = int64() else { return nil }
            if !signed { if bits == 64 { return v < 0 ? nil : .integer(v) }; return .integer(Int64(UInt32(truncatingIfNeeded: v))) }
            return .integer(v)
        case .date: return int64().map { .date($0) }
        case .timestamp(let unit, _):
            guard let v = int64() else { return nil }
            switch unit {
            case .millis: return .timestamp(v &* 1000)
            case .micros: return .timestamp(v)
            case .nanos: return .timestamp(floorDiv(v, 1000))
            }
        case .double:
            guard bytes.count == 8 else { return nil }
            return .double(bytes.withUnsafeBytes { $0.loadUnaligned(as: Double.self) })
        case .float:
            guard bytes.count == 4 else { return nil }
            return .double(Double(bytes.withUnsafeBytes { $0.loadUnaligned(as: Float.self) }))
        case .string: return .string(String(decoding: bytes, as: UTF8.self))
        case .binary: return .binary(bytes)
        default: return nil
        }
    }

    /// True when statistics prove that no row of the chunk satisfies `range`.
    static func excludes(_ range: ColumnRange, min lo: SQLValue, max hi: SQLValue, leaf: ColumnDescriptor) -> Bool {
        // Strings compare as bytes: a string bound against raw bytes of a string column is exact.
        func norm(_ v: SQLValue) -> SQLValue {
            if case .string(let s) = v, case .binary = lo { return .binary(Array(s.utf8)) }
            return v
        }
        // A float column's maximum leaves NaN out, and NaN is above every number: a lower
        // bound alone never excludes such a chunk (with an upper bound too, NaN fails that).
        var nanMaySatisfy = false
        switch leaf.kind {
        case .double, .float, .float16:
            if case .double(let h)? = range.high { nanMaySatisfy = h.isNaN } else { nanMaySatisfy = range.high == nil }
        default: break
        }
        if !nanMaySatisfy, let low = range.low, let c = compare(norm(low), hi) {
            if c > 0 || (c == 0 && !range.lowInclusive) { return true }
        }
        if let high = range.high, let c = compare(norm(high), lo) {
            if c < 0 || (c == 0 && !range.highInclusive) { return true }
        }
        return false
    }
}

extension Parser {
    /// Microseconds of a DATE or TIMESTAMP text, or nil.
    static func typedLiteralMicros(_ text: String) -> Int64? {
        if case .timestamp(let m)? = try? typedLiteral("TIMESTAMP", text, position: 0) { return m }
        return nil
    }
}
