/// The SQL types of the scan engine's values.
public enum SQLType: String, Sendable, Hashable {
    case null, boolean, integer, double, string, binary, date, timestamp
    /// Pre-rendered canonical JSON text (structs, lists, maps selected whole).
    case json
}

/// A scalar value: literals, group keys and result cells.
///
/// Doubles follow SQL's total order (DuckDB's): NaN equals NaN and sorts above every other
/// number (see ``SQLOrder``).
public enum SQLValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case binary([UInt8])
    /// Days since 1970-01-01.
    case date(Int64)
    /// Microseconds since the Unix epoch (UTC).
    case timestamp(Int64)
    /// Canonical JSON text.
    case json(String)

    /// Equality as SQL groups and deduplicates values: NaN equals NaN (as in DuckDB), and
    /// -0.0 equals 0.0.
    public static func == (a: SQLValue, b: SQLValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.integer(let x), .integer(let y)), (.date(let x), .date(let y)), (.timestamp(let x), .timestamp(let y)):
            return x == y
        case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.string(let x), .string(let y)), (.json(let x), .json(let y)): return x == y
        case (.binary(let x), .binary(let y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        switch self {
        case .null: break
        case .boolean(let b): hasher.combine(b)
        case .integer(let i), .date(let i), .timestamp(let i): hasher.combine(i)
        case .double(let d):
            // Every NaN alike; Double already hashes -0.0 as 0.0.
            if d.isNaN { hasher.combine(UInt64.max) } else { hasher.combine(d) }
        case .string(let s), .json(let s): hasher.combine(s)
        case .binary(let b): hasher.combine(b)
        }
    }

    /// The type of the value.
    public var type: SQLType {
        switch self {
        case .null: .null
        case .boolean: .boolean
        case .integer: .integer
        case .double: .double
        case .string: .string
        case .binary: .binary
        case .date: .date
        case .timestamp: .timestamp
        case .json: .json
        }
    }
}

/// Binary operators.
enum BinaryOp: String, Sendable {
    case and = "AND", or = "OR"
    case eq = "=", ne = "<>", lt = "<", le = "<=", gt = ">", ge = ">="
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%"
    case concat = "||"

    var isComparison: Bool {
        switch self { case .eq, .ne, .lt, .le, .gt, .ge: true; default: false }
    }
}

/// An expression of the SQL subset. `position` is the character position in the query.
indirect enum Expr: Sendable {
    case column(path: [String], position: Int)
    case literal(SQLValue, position: Int)
    case star(position: Int)
    case not(Expr, position: Int)
    case negate(Expr, position: Int)
    case binary(BinaryOp, Expr, Expr, position: Int)
    case isNull(Expr, negated: Bool, position: Int)
    case inList(Expr, [Expr], negated: Bool, position: Int)
    case between(Expr, Expr, Expr, negated: Bool, position: Int)
    case like(Expr, Expr, negated: Bool, position: Int)
    case cast(Expr, SQLType, position: Int)
    case call(name: String, args: [Expr], distinct: Bool, position: Int)

    var position: Int {
        switch self {
        case .column(_, let p), .literal(_, let p), .star(let p), .not(_, let p), .negate(_, let p),
             .binary(_, _, _, let p), .isNull(_, _, let p), .inList(_, _, _, let p), .between(_, _, _, _, let p),
             .like(_, _, _, let p), .cast(_, _, let p), .call(_, _, _, let p):
            return p
        }
    }

    static let aggregateNames: Set<String> = ["count", "sum", "min", "max", "avg"]

    /// True for an aggregate call.
    var isAggregate: Bool {
        if case .call(let name, _, _, _) = self { return Expr.aggregateNames.contains(name) }
        return false
    }

    /// The direct sub-expressions.
    var children: [Expr] {
        switch self {
        case .column, .literal, .star: return []
        case .not(let e, _), .negate(let e, _), .isNull(let e, _, _), .cast(let e, _, _): return [e]
        case .binary(_, let a, let b, _), .like(let a, let b, _, _): return [a, b]
        case .inList(let e, let list, _, _): return [e] + list
        case .between(let e, let lo, let hi, _, _): return [e, lo, hi]
        case .call(_, let args, _, _): return args
        }
    }

    /// The depth of the expression tree (1 for a leaf), counted no further than `limit + 1`.
    func depth(upTo limit: Int) -> Int {
        guard limit > 0 else { return 1 }
        var deepest = 0
        for child in children { deepest = Swift.max(deepest, child.depth(upTo: limit - 1)) }
        return deepest + 1
    }

    /// True when an aggregate occurs anywhere in the expression.
    var containsAggregate: Bool { isAggregate || children.contains { $0.containsAggregate } }

    /// Every column path referenced.
    var columnPaths: [[String]] {
        if case .column(let path, _) = self { return [path] }
        return children.flatMap(\.columnPaths)
    }

    /// The aggregate calls in the expression (outermost ones).
    var aggregates: [Expr] {
        if isAggregate { return [self] }
        return children.flatMap(\.aggregates)
    }

    /// A canonical text for structural comparison (positions ignored).
    var key: String {
        switch self {
        case .column(let path, _): return path.map { "\"\($0)\"" }.joined(separator: ".")
        case .literal(let v, _): return "lit(\(v))"
        case .star: return "*"
        case .not(let e, _): return "NOT(\(e.key))"
        case .negate(let e, _): return "NEG(\(e.key))"
        case .binary(let op, let a, let b, _): return "(\(a.key) \(op.rawValue) \(b.key))"
        case .isNull(let e, let n, _): return "(\(e.key) IS \(n ? "NOT " : "")NULL)"
        case .inList(let e, let l, let n, _): return "(\(e.key) \(n ? "NOT " : "")IN (\(l.map(\.key).joined(separator: ","))))"
        case .between(let e, let lo, let hi, let n, _): return "(\(e.key) \(n ? "NOT " : "")BETWEEN \(lo.key) AND \(hi.key))"
        case .like(let a, let b, let n, _): return "(\(a.key) \(n ? "NOT " : "")LIKE \(b.key))"
        case .cast(let e, let t, _): return "CAST(\(e.key) AS \(t.rawValue))"
        case .call(let name, let args, let d, _): return "\(name)(\(d ? "DISTINCT " : "")\(args.map(\.key).joined(separator: ",")))"
        }
    }

    /// A display name for an output column (DuckDB-like).
    var displayName: String {
        switch self {
        case .column(let path, _): return path.last ?? ""
        case .literal(let v, _):
            switch v {
            case .string(let s): return "'\(s)'"
            case .integer(let i): return String(i)
            case .double(let d): return String(d)
            case .boolean(let b): return b ? "true" : "false"
            default: return "\(v)"
            }
        case .star: return "*"
        case .call(let name, let args, let d, _):
            return "\(name)(\(d ? "DISTINCT " : "")\(args.map(\.displayName).joined(separator: ", ")))"
        case .cast(let e, let t, _): return "CAST(\(e.displayName) AS \(t.rawValue.uppercased()))"
        case .binary(let op, let a, let b, _): return "(\(a.displayName) \(op.rawValue) \(b.displayName))"
        default: return key
        }
    }
}

/// One item of the SELECT list.
struct SelectItem: Sendable {
    var expr: Expr
    var alias: String?
}

/// One ORDER BY key.
struct OrderItem: Sendable {
    var expr: Expr
    var descending: Bool
}

/// A parsed query.
struct SelectQuery: Sendable {
    var distinct = false
    var items: [SelectItem] = []
    var source: String = ""
    var sourcePosition = 0
    var filter: Expr?
    var groupBy: [Expr] = []
    var having: Expr?
    var orderBy: [OrderItem] = []
    var limit: Int?
}

/// The order of SQL doubles (DuckDB's): IEEE order, except that NaN equals NaN and is greater
/// than every other value, +infinity included. Comparisons, sorting, min/max, grouping and
/// statistics pruning all follow it.
enum SQLOrder {
    /// −1, 0 or 1 as `u` sorts before, with or after `v`.
    @inline(__always) static func compare(_ u: Double, _ v: Double) -> Int {
        if u < v { return -1 }
        if u > v { return 1 }
        if u == v { return 0 }
        let a = u.isNaN, b = v.isNaN
        return a == b ? 0 : (a ? 1 : -1)
    }
}
