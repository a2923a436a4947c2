import FloeCore
import FloeColumns
import FloeParquet

/// A query bound to its inputs: output expressions, grouping, ordering, the columns the filter
/// needs and the columns the rest needs, and the pushdowns.
///
/// Units of rows can be evaluated concurrently with ``evaluate(_:aggregateInto:)``, which reads
/// only what `init` set up; ``merge(_:)`` then folds the results in, on one thread, in input
/// order. That split is why the class is `@unchecked Sendable`.
final class Plan: @unchecked Sendable {
    let query: SelectQuery
    let scan: ScanSource
    private(set) var names: [String] = []
    private(set) var outputs: [Expr] = []
    private(set) var visibleCount = 0
    private(set) var orderKeys: [(index: Int, descending: Bool)] = []
    private(set) var groupBy: [Expr] = []
    private(set) var isAggregate = false
    private var aggregator: Aggregator?
    private(set) var filterColumns: [Expr] = []
    private(set) var otherColumns: [Expr] = []
    /// Columns read only for their nulls, or as dictionary codes.
    private(set) var readModes = ColumnReadModes()
    private var partitionFilter: Expr?
    private var rowFilter: Expr?
    private(set) var ranges: [ColumnRange] = []
    private var rows: [[SQLValue]] = []
    private var done = false
    /// Columns whose files disagree on their type, with the type all are read as.
    private(set) var unifiedTypes: [String: SQLType] = [:]

    init(query: SelectQuery, scan: ScanSource) throws(FloeError) {
        self.query = query
        self.scan = scan
        let refs = ([query.filter, query.having].compactMap { $0 } + query.items.map(\.expr) + query.groupBy
            + query.orderBy.map(\.expr))
        let needsColumns = refs.contains { !$0.columnPaths.isEmpty || Plan.hasStar($0) }
        let binder = try scan.schema(needsColumns: needsColumns)

        // SELECT * expands to the top-level fields, then the partition columns.
        var items: [SelectItem] = []
        for item in query.items {
            if case .star = item.expr {
                guard let binder else { throw FloeError.invalidArgument("SELECT * needs a schema") }
                for f in binder.fields { items.append(SelectItem(expr: .column(path: [f.name], position: item.expr.position), alias: nil)) }
                for p in scan.files.first?.partitions ?? [] {
                    items.append(SelectItem(expr: .column(path: [p.key], position: item.expr.position), alias: nil))
                }
            } else {
                items.append(item)
            }
        }
        names = items.map { $0.alias ?? $0.expr.displayName }

        func selectIndex(for e: Expr, preferColumns: Bool) -> Int? {
            if case .literal(.integer(let k), _) = e {
                return k >= 1 && Int(k) <= items.count ? Int(k) - 1 : -1
            }
            if case .column(let path, _) = e, path.count == 1,
               let i = items.firstIndex(where: { $0.alias == path[0] }),
               !(preferColumns && binder?.bind(path) != nil) {
                return i
            }
            return items.firstIndex { $0.expr.key == e.key }
        }

        for g in query.groupBy {
            if let i = selectIndex(for: g, preferColumns: true) {
                guard i >= 0 else { throw Evaluator.fail("GROUP BY position is not in the select list", g) }
                if case .literal(.integer, _) = g { groupBy.append(items[i].expr); continue }
                if case .column(let path, _) = g, path.count == 1, items[i].alias == path[0] { groupBy.append(items[i].expr); continue }
            }
            groupBy.append(g)
        }
        for g in groupBy where g.containsAggregate { throw Evaluator.fail("aggregates are not allowed in GROUP BY", g) }
        isAggregate = !groupBy.isEmpty || query.having != nil || items.contains { $0.expr.containsAggregate }
        if query.distinct && !isAggregate {
            groupBy = items.map(\.expr)
            isAggregate = true
        }

        outputs = items.map(\.expr)
        visibleCount = outputs.count
        for o in query.orderBy {
            if let i = selectIndex(for: o.expr, preferColumns: false) {
                guard i >= 0 else { throw Evaluator.fail("ORDER BY position is not in the select list", o.expr) }
                orderKeys.append((i, o.descending))
            } else {
                outputs.append(o.expr)
                orderKeys.append((outputs.count - 1, o.descending))
            }
        }
        if let f = query.filter, f.containsAggregate { throw Evaluator.fail("aggregates are not allowed in WHERE", f) }

        if isAggregate {
            let keys = Set(groupBy.map(\.key))
            func check(_ e: Expr) throws(FloeError) {
                if keys.contains(e.key) || e.isAggregate { return }
                if case .column(let path, _) = e {
                    throw Evaluator.fail("column \(path.joined(separator: ".")) must appear in GROUP BY or inside an aggregate", e)
                }
                for c in e.children { try check(c) }
            }
            for e in outputs { try check(e) }
            if let h = query.having { try check(h) }
            var seen = Set<String>()
            var aggs: [Expr] = []
            for e in outputs + [query.having].compactMap({ $0 }) {
                for a in e.aggregates where seen.insert(a.key).inserted { aggs.append(a) }
            }
            aggregator = try Aggregator(groupBy: groupBy, aggregates: aggs)
        }

        // Columns: the filter's first (late materialization), then the rest.
        let partitionKeys = Set(scan.files.first?.partitions.map(\.key) ?? [])
        var partitionConjuncts: [Expr] = []
        var rowConjuncts: [Expr] = []
        for c in Pruning.conjuncts(query.filter) {
            let paths = c.columnPaths
            if !paths.isEmpty, paths.allSatisfy({ $0.count == 1 && partitionKeys.contains($0[0]) }) {
                partitionConjuncts.append(c)
            } else { rowConjuncts.append(c) }
        }
        partitionFilter = Plan.conjunction(partitionConjuncts)
        rowFilter = Plan.conjunction(rowConjuncts)
        ranges = Pruning.ranges(rowFilter)
        var seenColumns = Set<String>()
        func collect(_ e: Expr, into list: inout [Expr]) {
            if case .column = e {
                if seenColumns.insert(e.key).inserted { list.append(e) }
                return
            }
            for c in e.children { collect(c, into: &list) }
        }
        if let rowFilter { collect(rowFilter, into: &filterColumns) }
        var rest: [Expr] = []
        if isAggregate {
            for g in groupBy { collect(g, into: &rest) }
            for a in aggregator?.arguments ?? [] { if let a { collect(a, into: &rest) } }
        } else {
            for o in outputs { collect(o, into: &rest) }
        }
        otherColumns = rest
        readModes = ColumnReadModes(filter: rowFilter, groupBy: groupBy, aggregator: aggregator)
        unifiedTypes = try scan.unifiedTypes(of: filterColumns + otherColumns, allows: partitionAllows)
        readModes.readDecoded(Set(unifiedTypes.keys))
        if let binder {
            for c in filterColumns + otherColumns {
                guard case .column(let path, _) = c else { continue }
                if binder.bind(path) == nil { throw Evaluator.fail("unknown column \(path.joined(separator: "."))", c) }
            }
        }
    }

    static func hasStar(_ e: Expr) -> Bool {
        if case .star = e { return true }
        return false
    }

    static func conjunction(_ list: [Expr]) -> Expr? {
        guard var acc = list.first else { return nil }
        for e in list.dropFirst() { acc = .binary(.and, acc, e, position: e.position) }
        return acc
    }

    /// True when the footer can answer: counts only, no row filter.
    var footerOnlyCandidate: Bool { rowFilter == nil && (aggregator?.isCountOnly ?? false) }

    /// The count(*) / count(x) arguments, for footer answers.
    var countArguments: [Expr?] { aggregator?.arguments ?? [] }

    func addFooterCounts(_ counts: [Int64]) { aggregator?.addCounts(counts) }

    /// Fails unless a WHERE or HAVING condition is boolean (or NULL): another type would match
    /// nothing without a word.
    static func requireCondition(_ mask: Vector, _ e: Expr, clause: String) throws(FloeError) {
        guard mask.type != .boolean && mask.type != .null else { return }
        throw Evaluator.fail("\(clause) needs a true/false condition, not a value of type \(mask.type.rawValue)", e)
    }

    /// False when the partition values of `file` exclude it.
    func partitionAllows(_ file: SourceFile) throws(FloeError) -> Bool {
        guard let partitionFilter else { return true }
        var b = Batch(count: 1)
        for p in file.partitions { b.columns[Expr.column(path: [p.key], position: 0).key] = .constant(.string(p.value), count: 1) }
        let v = try Evaluator.eval(partitionFilter, b)
        return v.type == .boolean && v.isValid(0) && v.bools[v.index(0)]
    }

    /// True once a LIMIT without ORDER BY is satisfied.
    var isDone: Bool { done }

    /// What one unit of rows contributes: output rows, or nothing when aggregated into the
    /// aggregator given to ``evaluate(_:aggregateInto:)``.
    struct UnitResult: @unchecked Sendable {
        var rows: [[SQLValue]] = []
        /// The partial aggregate the unit was folded into, to merge.
        var partial: Aggregator?
    }

    /// True when a LIMIT without ORDER BY may end the scan early.
    var stopsEarly: Bool { aggregator == nil && orderKeys.isEmpty && query.limit != nil }

    /// A new empty partial aggregate for one unit (nil when the query does not aggregate).
    func partialAggregator() throws(FloeError) -> Aggregator? { try aggregator?.emptyCopy() }

    /// Processes one unit of rows on the calling thread.
    func process(_ unit: ScanUnit) throws(FloeError) {
        if done { return }
        merge(try evaluate(unit, aggregateInto: aggregator))
    }

    /// Folds in the result of a unit: appends its rows (up to a LIMIT without ORDER BY) or
    /// merges its partial aggregate. Call in input order, on one thread.
    func merge(_ result: UnitResult) {
        if done { return }
        if let partial = result.partial {
            if let aggregator, partial !== aggregator { aggregator.merge(partial) }
            return
        }
        for row in result.rows {
            rows.append(row)
            if orderKeys.isEmpty, let limit = query.limit, rows.count >= limit { done = true; return }
        }
    }

    /// Filters a unit and computes its output rows, or folds it into `target` when the query
    /// aggregates. Reads only the plan's immutable set-up, so units may be evaluated on
    /// several threads at once (each with its own `target`).
    func evaluate(_ unit: ScanUnit, aggregateInto target: Aggregator?) throws(FloeError) -> UnitResult {
        let n = unit.source.rowCount
        if n == 0 { return UnitResult(partial: target) }
        var batch = Batch(count: n)
        func load(_ columns: [Expr], into b: inout Batch, from source: LeafSource? = nil) throws(FloeError) {
            for c in columns {
                guard case .column(let path, _) = c else { continue }
                let binding = unit.binder.bind(path) ?? .missing
                if readModes.coded.contains(c.key) {
                    b.columns[c.key] = try unit.binder.codedVector(binding, source ?? unit.source)
                } else if readModes.validityOnly.contains(c.key) {
                    b.columns[c.key] = try unit.binder.validity(binding, source ?? unit.source)
                } else {
                    var v = try unit.binder.vector(binding, source ?? unit.source)
                    if let type = unifiedTypes[c.key], v.type != type { v = try Evaluator.cast(v, to: type, c) }
                    b.columns[c.key] = v
                }
            }
        }
        try load(filterColumns, into: &batch)
        if let rowFilter {
            let mask = try Evaluator.eval(rowFilter, batch)
            try Plan.requireCondition(mask, rowFilter, clause: "WHERE")
            var selected: [Int] = []
            if mask.type == .boolean {
                selected.reserveCapacity(n)
                for i in 0..<n where mask.isValid(i) && mask.bools[mask.index(i)] { selected.append(i) }
            }
            if selected.isEmpty { return UnitResult(partial: target) }
            if selected.count < n {
                let missing = otherColumns.filter { batch.columns[$0.key] == nil }
                if !missing.isEmpty, let narrow = try unit.source.narrowed(to: selected) {
                    // Few rows passed: read the other columns for those rows only.
                    batch = batch.gather(selected)
                    var rest = Batch(count: selected.count)
                    try load(missing, into: &rest, from: narrow)
                    for (k, v) in rest.columns { batch.columns[k] = v }
                } else {
                    var rest = Batch(count: n)
                    try load(missing, into: &rest)
                    for (k, v) in rest.columns { batch.columns[k] = v }
                    batch = batch.gather(selected)
                }
            } else {
                try load(otherColumns.filter { batch.columns[$0.key] == nil }, into: &batch)
            }
        } else {
            try load(otherColumns, into: &batch)
        }
        if aggregator != nil {
            guard let target else { throw FloeError.invalidArgument("an aggregating query needs an aggregator per unit") }
            try target.add(batch)
            return UnitResult(partial: target)
        }
        let vectors = try outputs.map { (e) throws(FloeError) in try Evaluator.eval(e, batch) }
        let cap = orderKeys.isEmpty ? min(query.limit ?? batch.count, batch.count) : batch.count
        var out: [[SQLValue]] = []
        out.reserveCapacity(cap)
        for i in 0..<cap { out.append(vectors.map { $0.value(i) }) }
        return UnitResult(rows: out)
    }

    /// Runs the scan and finishes the result: aggregation output, HAVING, ORDER BY, LIMIT.
    func execute(_ stats: inout ScanStats) throws(FloeError) -> QueryResult {
        if query.limit != 0 {
            if let p = scan as? ParquetScan { try p.run(self, &stats) }
            if let j = scan as? JSONScan { try j.run(self, &stats) }
        }
        if let aggregator {
            var b = try aggregator.result()
            if let having = query.having {
                let mask = try Evaluator.eval(having, b)
                try Plan.requireCondition(mask, having, clause: "HAVING")
                var keep: [Int] = []
                for i in 0..<b.count where mask.type == .boolean && mask.isValid(i) && mask.bools[mask.index(i)] { keep.append(i) }
                b = b.gather(keep)
            }
            let vectors = try outputs.map { (e) throws(FloeError) in try Evaluator.eval(e, b) }
            rows = (0..<b.count).map { i in vectors.map { $0.value(i) } }
            if query.distinct {
                var seen = Set<[SQLValue]>()
                rows = rows.filter { seen.insert(Array($0.prefix(visibleCount))).inserted }
            }
        }
        if !orderKeys.isEmpty {
            let keys = orderKeys
            let ordered = { (a: [SQLValue], b: [SQLValue]) -> Bool in
                for k in keys {
                    let x = a[k.index], y = b[k.index]
                    if x == y { continue }
                    if x == .null { return false }   // NULLS LAST
                    if y == .null { return true }
                    let less = Aggregator.less(x, y)
                    return k.descending ? !less : less
                }
                return false
            }
            // ORDER BY … LIMIT k over many rows: keep the first k of the stable order only.
            if let limit = query.limit, limit < rows.count / 8 {
                rows = TopRows.first(limit, of: rows, by: ordered)
            } else {
                rows.sort(by: ordered)
            }
        }
        if let limit = query.limit, rows.count > limit { rows.removeLast(rows.count - limit) }
        if outputs.count > visibleCount { rows = rows.map { Array($0.prefix(visibleCount)) } }
        return QueryResult(columns: names, rows: rows, stats: ScanStats())
    }
}
