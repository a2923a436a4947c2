/// How the scan reads the columns a query names, beyond decoding their values:
///
/// - *validity only*: the arguments of count(x) that nothing else reads — only whether each
///   row is null matters, which the footer's null count often answers without reading;
/// - *dictionary codes*: a lone GROUP BY column and the string columns the filter only compares
///   with literals, when no aggregate reads their values — grouped and compared once per
///   dictionary entry instead of once per row.
struct ColumnReadModes {
    /// Keys (``Expr/key``) of the columns read for their nulls only.
    private(set) var validityOnly: Set<String> = []
    /// Keys of the columns read as dictionary codes when their chunks allow.
    private(set) var coded: Set<String> = []

    init() {}

    init(filter: Expr?, groupBy: [Expr], aggregator: Aggregator?) {
        let filterUses = ColumnReadModes.columnKeys(filter.map { [$0] } ?? [])
        var aggregateUses = Set<String>()
        if let aggregator {
            let valueUses = ColumnReadModes.columnKeys(aggregator.nonCountArguments)
            let elsewhere = filterUses.union(ColumnReadModes.columnKeys(groupBy)).union(valueUses)
            for a in aggregator.countArguments where !elsewhere.contains(a.key) {
                if case .column = a { validityOnly.insert(a.key) }
            }
            aggregateUses = valueUses.union(ColumnReadModes.columnKeys(aggregator.countArguments))
        }
        if groupBy.count == 1, case .column = groupBy[0], !aggregateUses.contains(groupBy[0].key),
           filter.map({ ColumnReadModes.comparedToLiteralsOnly(groupBy[0].key, in: $0) }) ?? true {
            coded.insert(groupBy[0].key)
        }
        if let filter {
            for key in filterUses where !aggregateUses.contains(key) && ColumnReadModes.comparedToLiteralsOnly(key, in: filter) {
                coded.insert(key)
            }
        }
    }

    /// Reads the columns `keys` as decoded values, never as dictionary codes (their values are
    /// cast to a type shared across files).
    mutating func readDecoded(_ keys: Set<String>) {
        coded.subtract(keys)
    }

    /// The keys of the columns the expressions reference.
    static func columnKeys(_ exprs: [Expr]) -> Set<String> {
        var keys = Set<String>()
        func visit(_ e: Expr) {
            if case .column = e { keys.insert(e.key); return }
            for c in e.children { visit(c) }
        }
        for e in exprs { visit(e) }
        return keys
    }

    /// True when every occurrence of the column `key` in `e` is compared with literals only
    /// (`=`, `<>`, `<`, `<=`, `>`, `>=`, IN, BETWEEN): what a dictionary-encoded vector answers
    /// per dictionary entry.
    static func comparedToLiteralsOnly(_ key: String, in e: Expr) -> Bool {
        func isColumn(_ x: Expr) -> Bool { if case .column = x { return x.key == key }; return false }
        func isLiteral(_ x: Expr) -> Bool { if case .literal = x { return true }; return false }
        switch e {
        case .column: return e.key != key
        case .binary(let op, let l, let r, _):
            switch op {
            case .eq, .ne, .lt, .le, .gt, .ge:
                if isColumn(l) && isLiteral(r) || isLiteral(l) && isColumn(r) { return true }
            default: break
            }
        case .inList(let x, let list, _, _):
            if isColumn(x) && list.allSatisfy(isLiteral) { return true }
        case .between(let x, let lo, let hi, _, _):
            if isColumn(x) && isLiteral(lo) && isLiteral(hi) { return true }
        default: break
        }
        return e.children.allSatisfy { comparedToLiteralsOnly(key, in: $0) }
    }
}
