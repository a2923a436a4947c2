import FloeCore
import FloeJSON

/// A recursive-descent parser for the SQL subset; errors name the character position.
struct Parser {
    private var tokens: [Token]
    private var index = 0

    static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT", "AND", "OR", "NOT", "AS", "ASC", "DESC",
        "IN", "BETWEEN", "IS", "NULL", "LIKE", "DISTINCT", "HAVING", "TRUE", "FALSE", "CAST", "ON", "JOIN",
    ]

    /// Parses one SELECT statement.
    static func parse(_ sql: String) throws(FloeError) -> SelectQuery {
        var p = Parser(tokens: try Lexer.tokenize(sql))
        let q = try p.parseSelect()
        if case .symbol(";") = p.current.kind { p.index += 1 }
        guard case .end = p.current.kind else { throw p.error("unexpected \(p.describe(p.current))") }
        // Expressions are evaluated recursively: refuse trees deeper than the stack allows
        // (a chain of operators nests as deep as it is long).
        let expressions = q.items.map(\.expr) + [q.filter, q.having].compactMap { $0 } + q.groupBy + q.orderBy.map(\.expr)
        for e in expressions where e.depth(upTo: Parser.maxDepth) > Parser.maxDepth {
            throw p.error("expression nested more than \(Parser.maxDepth) levels deep (a chain of operators counts one level per operator)",
                          at: e.position)
        }
        return q
    }

    /// The deepest expression tree accepted.
    static let maxDepth = 256
    /// How deep the parser's own recursion is (parentheses, NOT, unary signs, calls).
    private var nesting = 0

    /// Counts one level of the parser's recursion; fails past ``maxDepth``.
    private mutating func enter() throws(FloeError) {
        nesting += 1
        guard nesting <= Parser.maxDepth else { throw error("expression nested more than \(Parser.maxDepth) levels deep") }
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    private var current: Token { tokens[min(index, tokens.count - 1)] }
    private var nextToken: Token { tokens[min(index + 1, tokens.count - 1)] }

    private func error(_ message: String, at position: Int? = nil) -> FloeError {
        FloeError.invalidArgument("\(message) at position \((position ?? current.position) + 1) of the query")
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .identifier(let s): return "'\(s)'"
        case .quotedIdentifier(let s): return "\"\(s)\""
        case .string(let s): return "string '\(s)'"
        case .integer(let v): return "number \(v)"
        case .decimal(let v): return "number \(v)"
        case .symbol(let s): return "'\(s)'"
        case .end: return "end of query"
        }
    }

    private mutating func accept(_ keyword: String) -> Bool {
        if current.keyword == keyword { index += 1; return true }
        return false
    }

    private mutating func acceptSymbol(_ s: String) -> Bool {
        if case .symbol(let x) = current.kind, x == s { index += 1; return true }
        return false
    }

    private mutating func expect(_ keyword: String) throws(FloeError) {
        guard accept(keyword) else { throw error("expected \(keyword) but found \(describe(current))") }
    }

    private mutating func expectSymbol(_ s: String) throws(FloeError) {
        guard acceptSymbol(s) else { throw error("expected '\(s)' but found \(describe(current))") }
    }

    private mutating func parseSelect() throws(FloeError) -> SelectQuery {
        var q = SelectQuery()
        try expect("SELECT")
        q.distinct = accept("DISTINCT")
        repeat {
            let expr = try parseExpr()
            var alias: String?
            if accept("AS") {
                alias = try parseName()
            } else if case .identifier(let s) = current.kind, !Parser.reserved.contains(s.uppercased()) {
                alias = s; index += 1
            } else if case .quotedIdentifier(let s) = current.kind {
                alias = s; index += 1
            }
            q.items.append(SelectItem(expr: expr, alias: alias))
        } while acceptSymbol(",")
        try expect("FROM")
        q.sourcePosition = current.position
        switch current.kind {
        case .string(let s), .quotedIdentifier(let s): q.source = s; index += 1
        case .identifier(let s) where !Parser.reserved.contains(s.uppercased()): q.source = s; index += 1
        default: throw error("expected a quoted path after FROM but found \(describe(current))")
        }
        if accept("WHERE") { q.filter = try parseExpr() }
        if accept("GROUP") {
            try expect("BY")
            repeat { q.groupBy.append(try parseExpr()) } while acceptSymbol(",")
        }
        if accept("HAVING") { q.having = try parseExpr() }
        if accept("ORDER") {
            try expect("BY")
            repeat {
                let e = try parseExpr()
                var desc = false
                if accept("DESC") { desc = true } else { _ = accept("ASC") }
                q.orderBy.append(OrderItem(expr: e, descending: desc))
            } while acceptSymbol(",")
        }
        if accept("LIMIT") {
            guard case .integer(let n) = current.kind, n >= 0 else {
                throw error("LIMIT needs a non-negative integer, found \(describe(current))")
            }
            q.limit = Int(n); index += 1
        }
        return q
    }

    private mutating func parseName() throws(FloeError) -> String {
        switch current.kind {
        case .identifier(let s), .quotedIdentifier(let s): index += 1; return s
        default: throw error("expected a name but found \(describe(current))")
        }
    }

    mutating func parseExpr() throws(FloeError) -> Expr {
        try enter()
        defer { nesting -= 1 }
        return try parseOr()
    }

    private mutating func parseOr() throws(FloeError) -> Expr {
        var left = try parseAnd()
        while current.keyword == "OR" {
            let p = current.position; index += 1
            left = .binary(.or, left, try parseAnd(), position: p)
        }
        return left
    }

    private mutating func parseAnd() throws(FloeError) -> Expr {
        var left = try parseNot()
        while current.keyword == "AND" {
            let p = current.position; index += 1
            left = .binary(.and, left, try parseNot(), position: p)
        }
        return left
    }

    private mutating func parseNot() throws(FloeError) -> Expr {
        if current.keyword == "NOT" {
            let p = current.position; index += 1
            try enter()
            defer { nesting -= 1 }
            return .not(try parseNot(), position: p)
        }
        return try parsePredicate()
    }

    private mutating func parsePredicate() throws(FloeError) -> Expr {
        let left = try parseConcat()
        let p = current.position
        if case .symbol(let s) = current.kind, let op = BinaryOp(rawValue: s == "!=" ? "<>" : s), op.isComparison {
            index += 1
            return .binary(op, left, try parseConcat(), position: p)
        }
        if accept("IS") {
            let negated = accept("NOT")
            try expect("NULL")
            return .isNull(left, negated: negated, position: p)
        }
        let negated = accept("NOT")
        if accept("IN") {
            try expectSymbol("(")
            var list: [Expr] = []
            repeat { list.append(try parseConcat()) } while acceptSymbol(",")
            try expectSymbol(")")
            return .inList(left, list, negated: negated, position: p)
        }
        if accept("BETWEEN") {
            let lo = try parseConcat()
            try expect("AND")
            let hi = try parseConcat()
            return .between(left, lo, hi, negated: negated, position: p)
        }
        if accept("LIKE") {
            return .like(left, try parseConcat(), negated: negated, position: p)
        }
        if negated { throw error("expected IN, BETWEEN or LIKE after NOT but found \(describe(current))") }
        return left
    }

    /// `||` binds more loosely than `+` and `-` (as in PostgreSQL and DuckDB): `'a' || 1 + 2` is `'a3'`.
    private mutating func parseConcat() throws(FloeError) -> Expr {
        var left = try parseAdditive()
        while case .symbol("||") = current.kind, let op = BinaryOp(rawValue: "||") {
            let p = current.position; index += 1
            left = .binary(op, left, try parseAdditive(), position: p)
        }
        return left
    }

    private mutating func parseAdditive() throws(FloeError) -> Expr {
        var left = try parseMultiplicative()
        while case .symbol(let s) = current.kind, s == "+" || s == "-", let op = BinaryOp(rawValue: s) {
            let p = current.position; index += 1
            left = .binary(op, left, try parseMultiplicative(), position: p)
        }
        return left
    }

    private mutating func parseMultiplicative() throws(FloeError) -> Expr {
        var left = try parseUnary()
        while case .symbol(let s) = current.kind, s == "*" || s == "/" || s == "%", let op = BinaryOp(rawValue: s) {
            let p = current.position; index += 1
            left = .binary(op, left, try parseUnary(), position: p)
        }
        return left
    }

    private mutating func parseUnary() throws(FloeError) -> Expr {
        let p = current.position
        try enter()
        defer { nesting -= 1 }
        if acceptSymbol("-") {
            let e = try parseUnary()
            if case .literal(.integer(let v), _) = e { return .literal(.integer(0 &- v), position: p) }
            if case .literal(.double(let v), _) = e { return .literal(.double(-v), position: p) }
            return .negate(e, position: p)
        }
        if acceptSymbol("+") { return try parseUnary() }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(FloeError) -> Expr {
        let t = current
        let p = t.position
        switch t.kind {
        case .integer(let v): index += 1; return .literal(.integer(v), position: p)
        case .decimal(let v): index += 1; return .literal(.double(v), position: p)
        case .string(let s): index += 1; return .literal(.string(s), position: p)
        case .symbol("("):
            index += 1
            let e = try parseExpr()
            try expectSymbol(")")
            return e
        case .symbol("*"):
            index += 1
            return .star(position: p)
        case .quotedIdentifier(let name):
            index += 1
            return try parsePath([name], position: p)
        case .identifier(let name):
            let upper = name.uppercased()
            switch upper {
            case "NULL": index += 1; return .literal(.null, position: p)
            case "TRUE": index += 1; return .literal(.boolean(true), position: p)
            case "FALSE": index += 1; return .literal(.boolean(false), position: p)
            case "DATE", "TIMESTAMP":
                if case .string(let text) = nextToken.kind {
                    index += 2
                    return .literal(try Parser.typedLiteral(upper, text, position: p), position: p)
                }
            case "CAST":
                if case .symbol("(") = nextToken.kind {
                    index += 2
                    let e = try parseExpr()
                    try expect("AS")
                    let type = try parseTypeName()
                    try expectSymbol(")")
                    return .cast(e, type, position: p)
                }
            default:
                break
            }
            if Parser.reserved.contains(upper) { throw error("unexpected \(describe(t))") }
            index += 1
            if acceptSymbol("(") {
                let lower = name.lowercased()
                if acceptSymbol(")") { return .call(name: lower, args: [], distinct: false, position: p) }
                let distinct = accept("DISTINCT")
                var args: [Expr] = []
                repeat { args.append(try parseExpr()) } while acceptSymbol(",")
                try expectSymbol(")")
                return .call(name: lower, args: args, distinct: distinct, position: p)
            }
            return try parsePath([name], position: p)
        default:
            throw error("unexpected \(describe(t))")
        }
    }

    /// Continues a column reference with `.field` and `['key']` steps.
    private mutating func parsePath(_ start: [String], position: Int) throws(FloeError) -> Expr {
        var path = start
        while true {
            if acceptSymbol(".") {
                path.append(try parseName())
            } else if acceptSymbol("[") {
                guard case .string(let key) = current.kind else {
                    throw error("expected a quoted key inside [ ] but found \(describe(current))")
                }
                index += 1
                try expectSymbol("]")
                path.append(key)
            } else {
                return .column(path: path, position: position)
            }
        }
    }

    private mutating func parseTypeName() throws(FloeError) -> SQLType {
        let p = current.position
        let name = try parseName().uppercased()
        // Skip a parenthesised size/precision, as in VARCHAR(10) or DECIMAL(10,2).
        if acceptSymbol("(") {
            while !acceptSymbol(")") {
                if case .end = current.kind { throw error("unterminated type parameters") }
                index += 1
            }
        }
        switch name {
        case "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "INT64", "INT32", "LONG", "HUGEINT", "UBIGINT", "UINTEGER": return .integer
        case "DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC", "FLOAT8", "FLOAT4": return .double
        case "VARCHAR", "STRING", "TEXT", "CHAR": return .string
        case "BOOLEAN", "BOOL": return .boolean
        case "DATE": return .date
        case "TIMESTAMP", "TIMESTAMPTZ", "DATETIME": return .timestamp
        case "BLOB", "BYTEA", "BINARY", "VARBINARY": return .binary
        default: throw error("unknown type \(name)", at: p)
        }
    }

    static func typedLiteral(_ type: String, _ text: String, position: Int) throws(FloeError) -> SQLValue {
        guard let parsed = TimestampParser.parse(text) else {
            throw FloeError.invalidArgument("invalid \(type) literal '\(text)' at position \(position + 1) of the query")
        }
        if type == "DATE" {
            return .date(floorDiv(parsed.seconds, 86_400))
        }
        return .timestamp(parsed.micros)
    }
}

/// Floor division for Int64 (rounds toward negative infinity).
@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
