import FloeCore
import FloeEncodings

/// Hash aggregation: group keys are encoded into bytes per row and looked up in a hash table;
/// each aggregate then updates its per-group state in one loop over the batch.
final class Aggregator {
    enum Kind { case countStar, count, countDistinct, sum, min, max, avg }

    struct State {
        var kind: Kind
        var arg: Expr?
        var counts: [Int64] = []
        var intSums: [Int64] = []
        /// An integer sum went past Int64 (the result is then an error, not a wrapped value).
        var intOverflow = false
        var doubleSums: [Double] = []
        var sawDouble = false
        var best: [SQLValue] = []
        var distinct: [Set<SQLValue>] = []
        var inputType: SQLType = .null
    }

    let groupExprs: [Expr]
    let aggregateExprs: [Expr]
    private var states: [State] = []
    /// How the groups of a single key column are found (see ``KeyMode``).
    var mode: KeyMode
    var table: [[UInt8]: Int] = [:]
    /// The key of each group (generic mode only).
    var keys: [[SQLValue]] = []
    /// The encoded key of each group, in group order (for merging partial aggregates).
    var encodedKeys: [[UInt8]] = []
    private var keyTypes: [SQLType]
    private var scratch: [UInt8] = []
    /// The group ids of the current batch's rows (kept to reuse its memory).
    private var gidBuffer: [Int] = []
    /// The first error met while merging (``merge(_:)`` cannot throw); ``result()`` throws it.
    private var failure: FloeError?

    init(groupBy: [Expr], aggregates: [Expr]) throws(FloeError) {
        groupExprs = groupBy
        mode = groupBy.count == 1 ? .undecided : .generic
        aggregateExprs = aggregates
        keyTypes = Array(repeating: .null, count: groupBy.count)
        for a in aggregates {
            guard case .call(let name, let args, let distinct, _) = a else { continue }
            let kind: Kind
            var arg: Expr? = args.first
            switch name {
            case "count":
                if args.count == 0 || (args.count == 1 && { if case .star = args[0] { return true }; return false }()) {
                    kind = .countStar; arg = nil
                } else { kind = distinct ? .countDistinct : .count }
            case "sum": kind = .sum
            case "min": kind = .min
            case "max": kind = .max
            default: kind = .avg
            }
            if distinct && (kind == .sum || kind == .avg) {
                throw Evaluator.fail("\(name)(DISTINCT …) is not supported (count(DISTINCT …) is)", a)
            }
            if kind != .countStar {
                guard args.count == 1 else { throw Evaluator.fail("\(name)() takes one argument", a) }
                if case .star = args[0] { throw Evaluator.fail("\(name)(*) is not allowed", a) }
                if args[0].containsAggregate { throw Evaluator.fail("aggregates cannot be nested", a) }
            }
            states.append(State(kind: kind, arg: arg))
        }
        if groupBy.isEmpty { _ = newGroup([]) }
    }

    var groupCount: Int {
        switch mode {
        case .undecided: 0
        case .generic: keys.count
        case .strings(let t, _): t.count
        case .ints(let t, _): t.count
        }
    }

    func newGroup(_ key: [SQLValue]) -> Int {
        let g = keys.count
        keys.append(key)
        appendGroupStates()
        return g
    }

    /// Appends the initial state of one new group to every aggregate.
    func appendGroupStates() {
        for s in states.indices {
            states[s].counts.append(0)
            switch states[s].kind {
            case .sum, .avg: states[s].intSums.append(0); states[s].doubleSums.append(0)
            case .min, .max: states[s].best.append(.null)
            case .countDistinct: states[s].distinct.append([])
            default: break
            }
        }
    }

    /// Adds counts known without reading rows (footer-only answers): `counts[i]` is added to
    /// aggregate `i`, which must be count(*) or count(x), with no GROUP BY.
    func addCounts(_ counts: [Int64]) {
        for (i, c) in counts.enumerated() where i < states.count { states[i].counts[0] &+= c }
    }

    /// True when every aggregate is a count(*) or count(x) and nothing is grouped.
    var isCountOnly: Bool {
        groupExprs.isEmpty && states.allSatisfy { $0.kind == .countStar || $0.kind == .count }
    }

    /// The arguments of count(x) (not DISTINCT): only their nulls matter.
    var countArguments: [Expr] { states.compactMap { $0.kind == .count ? $0.arg : nil } }

    /// The arguments of every other aggregate, whose values matter.
    var nonCountArguments: [Expr] { states.compactMap { $0.kind == .count ? nil : $0.arg } }

    /// Each aggregate's kind and argument (nil for count(*)).
    var aggregateArguments: [(kind: Kind, arg: Expr?)] { states.map { ($0.kind, $0.arg) } }

    /// Adds `rows` to the count of group `g` of every aggregate `s` with `counts[s]`.
    func addToCount(group g: Int, rows: Int64, where counts: [Bool]) {
        for s in states.indices where s < counts.count && counts[s] && g < states[s].counts.count { states[s].counts[g] &+= rows }
    }

    /// The argument of each aggregate (nil for count(*)).
    var arguments: [Expr?] { states.map(\.arg) }

    /// Folds a batch into the groups.
    func add(_ batch: Batch) throws(FloeError) {
        let n = batch.count
        if n == 0 { return }
        if groupExprs.count == 1, try addCodedCounts(batch) { return }
        var gids: [Int] = []
        swap(&gids, &gidBuffer)
        defer { swap(&gids, &gidBuffer) }
        gids.removeAll(keepingCapacity: true)
        gids.append(contentsOf: repeatElement(0, count: n))
        if !groupExprs.isEmpty {
            var vectors: [Vector] = []
            for (k, g) in groupExprs.enumerated() {
                let v = try Evaluator.eval(g, batch)
                if keyTypes[k] == .null { keyTypes[k] = v.type }
                vectors.append(v)
            }
            if case .generic = mode {} else if try assignFast(vectors[0], &gids) {
                try updateAll(batch, gids)
                return
            }
            vectors = vectors.map { $0.materialized() }
            for i in 0..<n {
                scratch.removeAll(keepingCapacity: true)
                for v in vectors { Aggregator.encode(v, i, into: &scratch) }
                if let g = table[scratch] { gids[i] = g } else {
                    let g = newGroup(vectors.map { $0.value(i) })
                    table[scratch] = g
                    encodedKeys.append(scratch)
                    gids[i] = g
                }
            }
        }
        try updateAll(batch, gids)
    }

    /// Updates every aggregate with the batch, whose rows belong to the groups `gids`.
    private func updateAll(_ batch: Batch, _ gids: [Int]) throws(FloeError) {
        for s in states.indices {
            guard let argExpr = states[s].arg else {
                states[s].counts.withUnsafeMutableBufferPointer { c in for g in gids { c[g] &+= 1 } }
                continue
            }
            let v = try Evaluator.eval(argExpr, batch)
            if states[s].inputType == .null { states[s].inputType = v.type }
            if try !AggregateKernels.update(&states[s], v, gids) { try update(&states[s], v, gids, argExpr) }
        }
    }

    private func update(_ st: inout State, _ v: Vector, _ gids: [Int], _ e: Expr) throws(FloeError) {
        let n = gids.count
        switch st.kind {
        case .countStar: break
        case .count:
            if v.allValid && v.type != .null { for g in gids { st.counts[g] &+= 1 } }
            else { for i in 0..<n where v.isValid(i) { st.counts[gids[i]] &+= 1 } }
        case .countDistinct:
            for i in 0..<n where v.isValid(i) { st.distinct[gids[i]].insert(v.value(i)) }
        case .sum, .avg:
            switch v.type {
            case .integer:
                for i in 0..<n where v.isValid(i) {
                    let g = gids[i]; st.counts[g] &+= 1
                    let (s, o) = st.intSums[g].addingReportingOverflow(v.ints[v.index(i)])
                    st.intSums[g] = s
                    if o { st.intOverflow = true }
                }
            case .double:
                st.sawDouble = true
                for i in 0..<n where v.isValid(i) {
                    let g = gids[i]; st.counts[g] &+= 1; st.doubleSums[g] += v.doubles[v.index(i)]
                }
            case .boolean:
                for i in 0..<n where v.isValid(i) {
                    let g = gids[i]; st.counts[g] &+= 1; st.intSums[g] &+= v.bools[v.index(i)] ? 1 : 0
                }
            case .null: break
            default:
                throw Evaluator.fail("\(st.kind == .sum ? "sum" : "avg")() needs numbers, got \(v.type.rawValue)", e)
            }
        case .min, .max:
            let wantLess = st.kind == .min
            switch v.type {
            case .integer, .date, .timestamp, .double, .boolean:
                for i in 0..<n where v.isValid(i) {
                    let g = gids[i]
                    let x = v.value(i)
                    if st.best[g] == .null || Aggregator.less(x, st.best[g]) == wantLess && x != st.best[g] { st.best[g] = x }
                }
            case .null: break
            default:
                // Strings: compare bytes in place, materialize only on improvement.
                for i in 0..<n where v.isValid(i) {
                    let g = gids[i]
                    let bytes = v.strings[v.index(i)]
                    let better: Bool
                    switch st.best[g] {
                    case .string(let s), .json(let s):
                        better = wantLess ? bytes.lexicographicallyPrecedes(s.utf8) : s.utf8.lexicographicallyPrecedes(bytes)
                    case .binary(let b):
                        better = wantLess ? bytes.lexicographicallyPrecedes(b) : b.lexicographicallyPrecedes(bytes)
                    default: better = true
                    }
                    if better { st.best[g] = v.value(i) }
                }
            }
        }
    }

    /// A new aggregator with the same groups and aggregates and no rows: the partial state of
    /// one unit of work, later folded in with ``merge(_:)``.
    func emptyCopy() throws(FloeError) -> Aggregator {
        try Aggregator(groupBy: groupExprs, aggregates: aggregateExprs)
    }

    /// Folds in the groups of a partial aggregate of later rows. Groups new to this aggregator
    /// are appended in the partial's order, so merging partials in input order gives the groups
    /// in the order a single pass finds them.
    func merge(_ other: Aggregator) {
        for k in keyTypes.indices where keyTypes[k] == .null && k < other.keyTypes.count { keyTypes[k] = other.keyTypes[k] }
        var target = [Int](repeating: 0, count: other.groupCount)
        if !groupExprs.isEmpty {
            do throws(FloeError) { try mergeKeys(other, into: &target) } catch {
                failure = failure ?? error
                return
            }
        }
        for s in states.indices where s < other.states.count {
            let o = other.states[s]
            if states[s].inputType == .null { states[s].inputType = o.inputType }
            states[s].sawDouble = states[s].sawDouble || o.sawDouble
            for (g, t) in target.enumerated() {
                states[s].counts[t] &+= o.counts[g]
                switch o.kind {
                case .sum, .avg:
                    let (sum, over) = states[s].intSums[t].addingReportingOverflow(o.intSums[g])
                    states[s].intSums[t] = sum
                    if over || o.intOverflow { states[s].intOverflow = true }
                    states[s].doubleSums[t] += o.doubleSums[g]
                case .min, .max:
                    let x = o.best[g]
                    if x == .null { continue }
                    let best = states[s].best[t]
                    if best == .null || Aggregator.less(x, best) == (o.kind == .min) && x != best { states[s].best[t] = x }
                case .countDistinct:
                    states[s].distinct[t].formUnion(o.distinct[g])
                case .countStar, .count:
                    break
                }
            }
        }
    }

    /// Orders two non-null scalar values of compatible types.
    static func less(_ a: SQLValue, _ b: SQLValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)), (.date(let x), .date(let y)), (.timestamp(let x), .timestamp(let y)): return x < y
        case (.double(let x), .double(let y)): return SQLOrder.compare(x, y) < 0
        case (.integer(let x), .double(let y)): return SQLOrder.compare(Double(x), y) < 0
        case (.double(let x), .integer(let y)): return SQLOrder.compare(x, Double(y)) < 0
        case (.string(let x), .string(let y)), (.json(let x), .json(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.binary(let x), .binary(let y)): return x.lexicographicallyPrecedes(y)
        case (.boolean(let x), .boolean(let y)): return !x && y
        case (.date(let x), .timestamp(let y)): return x &* 86_400_000_000 < y
        case (.timestamp(let x), .date(let y)): return x < y &* 86_400_000_000
        default: return a.type.rawValue < b.type.rawValue
        }
    }

    /// Appends a self-delimiting encoding of row `i` of `v`.
    @inline(__always)
    static func encode(_ v: Vector, _ i: Int, into out: inout [UInt8]) {
        guard v.isValid(i) else { out.append(0); return }
        out.append(1)
        let j = v.index(i)
        switch v.type {
        case .boolean: out.append(v.bools[j] ? 1 : 0)
        case .integer, .date, .timestamp: withUnsafeBytes(of: v.ints[j]) { out.append(contentsOf: $0) }
        case .double:
            // One key for 0.0 and -0.0, and one for every NaN.
            let d = v.doubles[j]
            withUnsafeBytes(of: d == 0 ? 0.0 : (d.isNaN ? Double.nan : d)) { out.append(contentsOf: $0) }
        case .string, .binary, .json:
            let s = v.strings.offsets[j], e = v.strings.offsets[j + 1]
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: e - s)) { out.append(contentsOf: $0) }
            out.append(contentsOf: v.strings.bytes[s..<e])
        case .null: break
        }
    }

    /// The groups as a batch: one column per group expression and per aggregate, keyed by
    /// their canonical text.
    func result() throws(FloeError) -> Batch {
        if let failure { throw failure }
        var b = Batch(count: groupCount)
        b.holdsExpressions = true
        for (k, g) in groupExprs.enumerated() {
            let values: [SQLValue]
            switch mode {
            case .undecided: values = []
            case .generic: values = keys.map { $0[k] }
            default: values = (0..<groupCount).map { fastKey($0) }
            }
            b.columns[g.key] = Vector.from(values, type: keyTypes[k] == .null ? nil : keyTypes[k])
        }
        for (s, st) in states.enumerated() {
            if st.intOverflow, st.kind == .sum || st.kind == .avg {
                throw Evaluator.fail("\(st.kind == .sum ? "sum" : "avg")() of these integers overflows BIGINT (64 bits); cast them to DOUBLE",
                                     s < aggregateExprs.count ? aggregateExprs[s] : .star(position: 0))
            }
            let values: [SQLValue]
            switch st.kind {
            case .countStar, .count: values = st.counts.map { .integer($0) }
            case .countDistinct: values = st.distinct.map { .integer(Int64($0.count)) }
            case .sum:
                values = (0..<groupCount).map { g in
                    if st.counts[g] == 0 { return .null }
                    return st.sawDouble ? .double(st.doubleSums[g] + Double(st.intSums[g])) : .integer(st.intSums[g])
                }
            case .avg:
                values = (0..<groupCount).map { g in
                    st.counts[g] == 0 ? .null : .double((st.doubleSums[g] + Double(st.intSums[g])) / Double(st.counts[g]))
                }
            case .min, .max: values = st.best
            }
            let hint: SQLType?
            switch st.kind {
            case .countStar, .count, .countDistinct: hint = .integer
            case .avg: hint = .double
            case .sum: hint = st.sawDouble ? .double : (st.inputType == .null ? nil : .integer)
            case .min, .max: hint = st.inputType == .null ? nil : st.inputType
            }
            b.columns[aggregateExprs[s].key] = Vector.from(values, type: hint)
        }
        return b
    }
}
