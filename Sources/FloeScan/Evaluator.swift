#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeCore
import FloeEncodings
import FloeJSON

/// Vectorized expression evaluation over a batch: one type dispatch per expression and batch,
/// then a loop over the rows.
enum Evaluator {
    static func fail(_ message: String, _ e: Expr) -> FloeError {
        FloeError.invalidArgument("\(message) at position \(e.position + 1) of the query")
    }

    static func eval(_ e: Expr, _ b: Batch) throws(FloeError) -> Vector {
        if case .column = e {
            if let v = b.columns[e.key] { return v }
        } else if b.holdsExpressions, let v = b.columns[e.key] {
            return v
        }
        switch e {
        case .column(let path, _):
            throw fail("unknown column \(path.joined(separator: "."))", e)
        case .literal(let v, _):
            return .constant(v, count: b.count)
        case .star:
            throw fail("* is only allowed as a select item or in count(*)", e)
        case .not(let x, _):
            var v = try eval(x, b)
            guard v.type == .boolean || v.type == .null else { throw fail("NOT needs a boolean, got \(v.type.rawValue)", e) }
            if v.type == .null { return v }
            for i in v.bools.indices { v.bools[i].toggle() }
            return v
        case .negate(let x, _):
            return try arithmetic(.sub, .constant(.integer(0), count: b.count), try eval(x, b), e)
        case .binary(let op, let l, let r, _):
            let a = try eval(l, b), c = try eval(r, b)
            switch op {
            case .and, .or: return try logic(op, a, c, e)
            case .eq, .ne, .lt, .le, .gt, .ge: return try compare(op, a, c, e)
            case .concat: return try concat(a.materialized(), c.materialized(), e)
            default: return try arithmetic(op, a.materialized(), c.materialized(), e)
            }
        case .isNull(let x, let negated, _):
            let v = try eval(x, b)
            var out = Vector(type: .boolean, count: b.count)
            out.bools = (0..<b.count).map { v.isValid($0) == negated }
            return out
        case .inList(let x, let list, let negated, _):
            let v = try eval(x, b)
            var acc: Vector?
            for item in list {
                let eq = try compare(.eq, v, try eval(item, b), e)
                acc = try acc.map { (prev) throws(FloeError) in try logic(.or, prev, eq, e) } ?? eq
            }
            guard var result = acc else { return .constant(.boolean(negated), count: b.count) }
            if negated { result = notVector(result) }
            return result
        case .between(let x, let lo, let hi, let negated, _):
            let v = try eval(x, b)
            let r = try logic(.and, try compare(.ge, v, try eval(lo, b), e), try compare(.le, v, try eval(hi, b), e), e)
            return negated ? notVector(r) : r
        case .like(let x, let p, let negated, _):
            let r = try like(try eval(x, b).materialized(), try eval(p, b).materialized(), e)
            return negated ? notVector(r) : r
        case .cast(let x, let type, _):
            return try cast(try eval(x, b).materialized(), to: type, e)
        case .call(let name, let args, _, _):
            if e.isAggregate { throw fail("aggregate \(name)() is not allowed here", e) }
            return try Functions.call(name, args.map { (a) throws(FloeError) in try eval(a, b).materialized() }, e, count: b.count)
        }
    }

    static func notVector(_ v: Vector) -> Vector {
        var v = v
        for i in v.bools.indices { v.bools[i].toggle() }
        return v
    }

    /// The validity of a row-wise combination of `a` and `b`.
    static func combinedValidity(_ a: Vector, _ b: Vector, count: Int) -> [Bool] {
        if a.allValid && b.allValid { return [] }
        return (0..<count).map { a.isValid($0) && b.isValid($0) }
    }

    // MARK: - Logic (three-valued)

    static func logic(_ op: BinaryOp, _ a: Vector, _ b: Vector, _ e: Expr) throws(FloeError) -> Vector {
        for v in [a, b] where v.type != .boolean && v.type != .null {
            throw fail("\(op.rawValue) needs booleans, got \(v.type.rawValue)", e)
        }
        let n = max(a.count, b.count)
        var out = Vector(type: .boolean, count: n)
        out.bools = [Bool](repeating: false, count: n)
        var valid = [Bool](repeating: true, count: n)
        var anyNull = false
        let isAnd = op == .and
        for i in 0..<n {
            let av = a.isValid(i) && a.type == .boolean, bv = b.isValid(i) && b.type == .boolean
            let x = av ? a.bools[a.index(i)] : false, y = bv ? b.bools[b.index(i)] : false
            if isAnd {
                if (av && !x) || (bv && !y) { out.bools[i] = false }
                else if av && bv { out.bools[i] = true }
                else { valid[i] = false; anyNull = true }
            } else {
                if (av && x) || (bv && y) { out.bools[i] = true }
                else if av && bv { out.bools[i] = false }
                else { valid[i] = false; anyNull = true }
            }
        }
        if anyNull { out.valid = valid }
        return out
    }

    // MARK: - Comparison

    enum Family { case ints, doubles, bytes, bools }

    /// Brings two vectors to a common representation for comparison or arithmetic.
    static func unify(_ a: Vector, _ b: Vector, _ e: Expr) throws(FloeError) -> (Vector, Vector, Family)? {
        if a.type == .null || b.type == .null { return nil }
        let temporal: Set<SQLType> = [.date, .timestamp]
        let textual: Set<SQLType> = [.string, .binary, .json]
        let numeric: Set<SQLType> = [.integer, .double]
        var a = a, b = b
        if textual.contains(a.type) && (temporal.contains(b.type) || numeric.contains(b.type) || b.type == .boolean) {
            a = try cast(a, to: b.type == .integer ? .double : b.type, e)
        } else if textual.contains(b.type) && (temporal.contains(a.type) || numeric.contains(a.type) || a.type == .boolean) {
            b = try cast(b, to: a.type == .integer ? .double : a.type, e)
        }
        if a.type == .date && b.type == .timestamp { a = try cast(a, to: .timestamp, e) }
        if b.type == .date && a.type == .timestamp { b = try cast(b, to: .timestamp, e) }
        switch (a.type, b.type) {
        case (.integer, .integer), (.date, .date), (.timestamp, .timestamp): return (a, b, .ints)
        case (.integer, .double), (.double, .integer), (.double, .double):
            return (try cast(a, to: .double, e), try cast(b, to: .double, e), .doubles)
        case (.boolean, .boolean): return (a, b, .bools)
        case _ where textual.contains(a.type) && textual.contains(b.type): return (a, b, .bytes)
        default:
            throw fail("cannot compare \(a.type.rawValue) with \(b.type.rawValue)", e)
        }
    }

    static func compare(_ op: BinaryOp, _ a: Vector, _ b: Vector, _ e: Expr) throws(FloeError) -> Vector {
        if a.dictionary != nil || b.dictionary != nil { return try compareCoded(op, a, b, e) }
        let n = max(a.count, b.count)
        guard let (x, y, family) = try unify(a, b, e) else { return .nulls(n) }
        // Outcome table indexed by ordering + 1 (less, equal, greater).
        let table: (Bool, Bool, Bool)
        switch op {
        case .eq: table = (false, true, false)
        case .ne: table = (true, false, true)
        case .lt: table = (true, false, false)
        case .le: table = (true, true, false)
        case .gt: table = (false, false, true)
        default: table = (false, true, true)
        }
        var out = Vector(type: .boolean, count: n)
        out.valid = combinedValidity(x, y, count: n)
        var result = [Bool](repeating: false, count: n)
        let xs = x.isConstant ? 0 : 1, ys = y.isConstant ? 0 : 1
        result.withUnsafeMutableBufferPointer { r in
            @inline(__always) func put(_ i: Int, _ c: Int) { r[i] = c < 0 ? table.0 : (c == 0 ? table.1 : table.2) }
            switch family {
            case .ints:
                x.ints.withUnsafeBufferPointer { p in
                    y.ints.withUnsafeBufferPointer { q in
                        for i in 0..<n {
                            let u = p[i &* xs], v = q[i &* ys]
                            put(i, u < v ? -1 : (u == v ? 0 : 1))
                        }
                    }
                }
            case .doubles:
                x.doubles.withUnsafeBufferPointer { p in
                    y.doubles.withUnsafeBufferPointer { q in
                        for i in 0..<n { put(i, SQLOrder.compare(p[i &* xs], q[i &* ys])) }
                    }
                }
            case .bools:
                for i in 0..<n {
                    let u = x.bools[i &* xs] ? 1 : 0, v = y.bools[i &* ys] ? 1 : 0
                    put(i, u < v ? -1 : (u == v ? 0 : 1))
                }
            case .bytes:
                x.strings.bytes.withUnsafeBytes { pb in
                    y.strings.bytes.withUnsafeBytes { qb in
                        x.strings.offsets.withUnsafeBufferPointer { po in
                            y.strings.offsets.withUnsafeBufferPointer { qo in
                                let equalityOnly = op == .eq || op == .ne
                                for i in 0..<n {
                                    let s = i &* xs, t = i &* ys
                                    let ls = po[s + 1] &- po[s], lt = qo[t + 1] &- qo[t]
                                    if equalityOnly && ls != lt { put(i, 1); continue }
                                    let m = min(ls, lt)
                                    var c: Int32 = 0
                                    if m > 0, let pa = pb.baseAddress, let qa = qb.baseAddress {
                                        c = memcmp(pa + po[s], qa + qo[t], m)
                                    }
                                    put(i, c < 0 ? -1 : (c > 0 ? 1 : (ls < lt ? -1 : (ls == lt ? 0 : 1))))
                                }
                            }
                        }
                    }
                }
            }
        }
        out.bools = result
        if x.isConstant && y.isConstant { out.isConstant = true; out.bools = [result.first ?? false] }
        return out
    }

    /// ``compare(_:_:_:_:)`` with a dictionary-encoded side: against a constant, each
    /// dictionary entry is compared once and the rows take their entry's outcome; otherwise
    /// both sides are materialized.
    static func compareCoded(_ op: BinaryOp, _ a: Vector, _ b: Vector, _ e: Expr) throws(FloeError) -> Vector {
        let coded: Vector, other: Vector, codedLeft: Bool
        if let _ = a.dictionary, b.isConstant { coded = a; other = b; codedLeft = true }
        else if let _ = b.dictionary, a.isConstant { coded = b; other = a; codedLeft = false }
        else { return try compare(op, a.materialized(), b.materialized(), e) }
        // Only text against text: a cast (to compare with a number or a date) could fail on an
        // entry no row uses, where the row-by-row comparison would not.
        guard let dictionary = coded.dictionary, other.type == .string || other.type == .json || other.type == .binary
                || other.type == .null else {
            return try compare(op, a.materialized(), b.materialized(), e)
        }
        var entries = Vector(type: coded.type, count: dictionary.count)
        entries.strings = dictionary
        var constant = other
        constant.count = dictionary.count
        let outcome = codedLeft ? try compare(op, entries, constant, e) : try compare(op, constant, entries, e)
        let n = coded.count
        if outcome.isConstant {
            var all = outcome
            all.count = n
            return all
        }
        guard outcome.type == .boolean, outcome.bools.count == dictionary.count, coded.codes.count >= n else {
            return try compare(op, a.materialized(), b.materialized(), e)
        }
        var out = Vector(type: .boolean, count: n)
        var bools = [Bool](repeating: false, count: n)
        var valid = [Bool](repeating: true, count: n)
        var anyNull = false
        let size = dictionary.count
        for i in 0..<n {
            guard coded.isValid(i) else { valid[i] = false; anyNull = true; continue }
            let c = Int(coded.codes[i])
            guard c < size else { throw fail("dictionary code \(c) beyond the \(size) entries", e) }
            if !outcome.isValid(c) { valid[i] = false; anyNull = true; continue }
            bools[i] = outcome.bools[c]
        }
        out.bools = bools
        if anyNull { out.valid = valid }
        return out
    }

    // MARK: - Arithmetic

    static func arithmetic(_ op: BinaryOp, _ a: Vector, _ b: Vector, _ e: Expr) throws(FloeError) -> Vector {
        let n = max(a.count, b.count)
        // Date ± integer days.
        if a.type == .date && b.type == .integer && (op == .add || op == .sub) {
            var r = try arithmetic(op, retyped(a, .integer), b, e); r.type = .date; return r
        }
        guard let (x, y, family) = try unify(a, b, e) else { return .nulls(n) }
        if family == .ints && (x.type != .integer || y.type != .integer) {
            if op == .sub && x.type == y.type {
                // date - date → days; timestamp - timestamp → microseconds.
                return try arithmetic(.sub, retyped(x, .integer), retyped(y, .integer), e)
            }
            throw fail("cannot apply \(op.rawValue) to \(x.type.rawValue) and \(y.type.rawValue)", e)
        }
        guard family == .ints || family == .doubles else {
            throw fail("cannot apply \(op.rawValue) to \(a.type.rawValue) and \(b.type.rawValue)", e)
        }
        var out: Vector
        var valid = combinedValidity(x, y, count: n)
        let xs = x.isConstant ? 0 : 1, ys = y.isConstant ? 0 : 1
        if family == .ints && op != .div {
            out = Vector(type: .integer, count: n)
            out.ints = [Int64](repeating: 0, count: n)
            var overflowAt: Int?
            for i in 0..<n {
                let u = x.ints[i &* xs], v = y.ints[i &* ys]
                let r: (partialValue: Int64, overflow: Bool)
                switch op {
                case .add: r = u.addingReportingOverflow(v)
                case .sub: r = u.subtractingReportingOverflow(v)
                case .mul: r = u.multipliedReportingOverflow(by: v)
                default:
                    if v == 0 || (u == .min && v == -1) {
                        if valid.isEmpty { valid = [Bool](repeating: true, count: n) }
                        valid[i] = false
                    } else { out.ints[i] = u % v }
                    continue
                }
                out.ints[i] = r.partialValue
                // A null row's value is whatever its slot holds: only valid rows can overflow.
                if r.overflow, overflowAt == nil, (valid.isEmpty || valid[i]) { overflowAt = i }
            }
            if let i = overflowAt {
                throw fail("\(x.ints[i &* xs]) \(op.rawValue) \(y.ints[i &* ys]) overflows BIGINT (64 bits); cast to DOUBLE", e)
            }
        } else {
            let dx = try cast(x, to: .double, e), dy = try cast(y, to: .double, e)
            out = Vector(type: .double, count: n)
            out.doubles = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let u = dx.doubles[i &* xs], v = dy.doubles[i &* ys]
                switch op {
                case .add: out.doubles[i] = u + v
                case .sub: out.doubles[i] = u - v
                case .mul: out.doubles[i] = u * v
                case .div:
                    if v == 0 {
                        if valid.isEmpty { valid = [Bool](repeating: true, count: n) }
                        valid[i] = false
                    } else { out.doubles[i] = u / v }
                default:
                    if v == 0 {
                        if valid.isEmpty { valid = [Bool](repeating: true, count: n) }
                        valid[i] = false
                    } else { out.doubles[i] = u.truncatingRemainder(dividingBy: v) }
                }
            }
        }
        out.valid = valid
        return out
    }

    static func retyped(_ v: Vector, _ t: SQLType) -> Vector { var v = v; v.type = t; return v }

    static func concat(_ a: Vector, _ b: Vector, _ e: Expr) throws(FloeError) -> Vector {
        let n = max(a.count, b.count)
        let x = try cast(a, to: .string, e), y = try cast(b, to: .string, e)
        var out = Vector(type: .string, count: n)
        out.valid = combinedValidity(x, y, count: n)
        for i in 0..<n {
            if x.isValid(i) && y.isValid(i) {
                out.strings.bytes.append(contentsOf: x.strings[x.index(i)])
                out.strings.bytes.append(contentsOf: y.strings[y.index(i)])
            }
            out.strings.offsets.append(out.strings.bytes.count)
        }
        return out
    }

    // MARK: - LIKE

    static func like(_ a: Vector, _ p: Vector, _ e: Expr) throws(FloeError) -> Vector {
        let n = max(a.count, p.count)
        if a.type == .null || p.type == .null { return .nulls(n) }
        let x = try cast(a, to: .string, e), y = try cast(p, to: .string, e)
        var out = Vector(type: .boolean, count: n)
        out.valid = combinedValidity(x, y, count: n)
        out.bools = [Bool](repeating: false, count: n)
        x.strings.bytes.withUnsafeBytes { xb in
            y.strings.bytes.withUnsafeBytes { yb in
                for i in 0..<n where x.isValid(i) && y.isValid(i) {
                    let s = x.index(i), t = y.index(i)
                    out.bools[i] = LikeMatcher.matches(
                        UnsafeRawBufferPointer(rebasing: xb[x.strings.offsets[s]..<x.strings.offsets[s + 1]]),
                        UnsafeRawBufferPointer(rebasing: yb[y.strings.offsets[t]..<y.strings.offsets[t + 1]]))
                }
            }
        }
        return out
    }
}

/// SQL LIKE over UTF-8 bytes: `%` any run, `_` one character.
enum LikeMatcher {
    static func matches(_ s: UnsafeRawBufferPointer, _ p: UnsafeRawBufferPointer) -> Bool {
        var si = 0, pi = 0
        var starP = -1, starS = 0
        func charLength(_ at: Int) -> Int {
            var k = at + 1
            while k < s.count, s[k] & 0xC0 == 0x80 { k += 1 }
            return k - at
        }
        while si < s.count {
            if pi < p.count, p[pi] == UInt8(ascii: "%") {
                starP = pi; starS = si; pi += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "_") {
                si += charLength(si); pi += 1
            } else if pi < p.count, p[pi] == s[si] {
                si += 1; pi += 1
            } else if starP >= 0 {
                starS += charLength(starS); si = starS; pi = starP + 1
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "%") { pi += 1 }
        return pi == p.count
    }
}
