import Testing
import FloeCore
import FloeEncodings
@testable import FloeScan

/// The fast grouping paths (typed hash tables, batch kernels, partial merges) against a
/// brute-force grouping of the same rows.
struct GroupingTests {
    /// A small deterministic generator (SplitMix64).
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let key = Expr.column(path: ["k"], position: 0)
    static let arg = Expr.column(path: ["x"], position: 0)
    static func call(_ name: String, _ args: [Expr], distinct: Bool = false) -> Expr {
        .call(name: name, args: args, distinct: distinct, position: 0)
    }
    static let aggregates: [Expr] = [
        call("count", [.star(position: 0)]), call("count", [arg]), call("sum", [arg]), call("min", [arg]),
        call("max", [arg]), call("avg", [arg]), call("count", [arg], distinct: true),
    ]

    /// A random key of the given kind: NULL, the empty string, or one of `distinct` values.
    static func randomKey(_ rng: inout Rng, kind: SQLType, distinct: Int) -> SQLValue {
        let r = rng.below(100)
        if r < 5 { return .null }
        let i = rng.below(distinct)
        switch kind {
        case .string: return r < 8 ? .string("") : .string("key-\(i)" + String(repeating: "x", count: i % 13))
        case .binary: return .binary(Array("b\(i)".utf8))
        case .timestamp: return .timestamp(Int64(i) * 1_000_000 - 7)
        default: return .integer(Int64(i) * 65_536 - 1000)
        }
    }

    /// Batches of rows: key `k`, argument `x` (integers or doubles with nulls).
    static func batches(seed: UInt64, kind: SQLType, rows: Int, batchSize: Int, distinct: Int, doubles: Bool) -> [[(SQLValue, SQLValue)]] {
        var rng = Rng(state: seed)
        var out: [[(SQLValue, SQLValue)]] = []
        var left = rows
        while left > 0 {
            let n = min(left, 1 + rng.below(batchSize))
            left -= n
            out.append((0..<n).map { _ in
                let k = randomKey(&rng, kind: kind, distinct: distinct)
                let x: SQLValue = rng.below(10) == 0 ? .null
                    : doubles ? .double(Double(rng.below(1000)) / 8) : .integer(Int64(rng.below(2000)) - 1000)
                return (k, x)
            })
        }
        return out
    }

    static func batch(_ rows: [(SQLValue, SQLValue)]) -> Batch {
        var b = Batch(count: rows.count)
        b.columns[key.key] = Vector.from(rows.map(\.0), type: rows.first { $0.0 != .null }?.0.type)
        b.columns[arg.key] = Vector.from(rows.map(\.1), type: rows.first { $0.1 != .null }?.1.type)
        return b
    }

    /// The expected result rows: key, then each aggregate, groups in order of first appearance.
    static func bruteForce(_ batches: [[(SQLValue, SQLValue)]]) -> [[SQLValue]] {
        var order: [SQLValue] = []
        var rows: [SQLValue: [SQLValue]] = [:]
        for b in batches { for (k, x) in b {
            if rows[k] == nil { order.append(k); rows[k] = [] }
            rows[k]?.append(x)
        } }
        return order.map { k in
            let xs = (rows[k] ?? []).filter { $0 != .null }
            var sum: SQLValue = .null
            var total = 0.0
            var intSum: Int64 = 0
            var sawDouble = false
            for x in xs {
                if case .integer(let i) = x { intSum += i; total += Double(i) }
                if case .double(let d) = x { sawDouble = true; total += d }
            }
            if !xs.isEmpty { sum = sawDouble ? .double(total) : .integer(intSum) }
            let sorted = xs.sorted { Aggregator.less($0, $1) }
            return [k, .integer(Int64(rows[k]?.count ?? 0)), .integer(Int64(xs.count)), sum,
                    sorted.first ?? .null, sorted.last ?? .null,
                    xs.isEmpty ? .null : .double(total / Double(xs.count)), .integer(Int64(Set(xs).count))]
        }
    }

    /// Aggregates the batches in `workers` partials (contiguous runs of batches, as row groups
    /// are handed out) merged in order, and returns the result rows.
    static func aggregate(_ batches: [[(SQLValue, SQLValue)]], workers: Int, keys: Bool = true) throws -> [[SQLValue]] {
        let main = try Aggregator(groupBy: [key], aggregates: aggregates)
        let per = max(1, (batches.count + workers - 1) / workers)
        var start = 0
        while start < batches.count {
            let partial = try main.emptyCopy()
            for b in batches[start..<min(batches.count, start + per)] { try partial.add(batch(b)) }
            main.merge(partial)
            start += per
        }
        let r = try main.result()
        let columns = (keys ? [key] : []) + aggregates
        let vectors = columns.map { r.columns[$0.key] ?? Vector.nulls(r.count) }
        return (0..<r.count).map { i in vectors.map { $0.value(i) } }
    }

    static func expectClose(_ got: [[SQLValue]], _ want: [[SQLValue]]) {
        #expect(got.count == want.count)
        for (g, w) in zip(got, want) {
            for (a, b) in zip(g, w) {
                if case .double(let x) = a, case .double(let y) = b {
                    #expect(abs(x - y) <= 1e-9 * max(1, abs(y)), "\(g) vs \(w)")
                } else {
                    #expect(a == b, "\(g) vs \(w)")
                }
            }
        }
    }

    @Test(arguments: [
        (SQLType.string, 1, false), (.string, 2, true), (.string, 5, false), (.binary, 3, false),
        (.integer, 1, true), (.integer, 4, false), (.timestamp, 2, false),
    ])
    func fastPathsMatchBruteForce(kind: SQLType, workers: Int, doubles: Bool) throws {
        // 3000 distinct keys grow the tables well past their first sizes.
        for (seed, distinct) in [(UInt64(1), 7), (2, 3000)] {
            let data = Self.batches(seed: seed, kind: kind, rows: 20_000, batchSize: 3000, distinct: distinct, doubles: doubles)
            Self.expectClose(try Self.aggregate(data, workers: workers), Self.bruteForce(data))
        }
    }

    @Test func mixedKeyTypesFallBackToTheGenericPath() throws {
        var data = Self.batches(seed: 9, kind: .string, rows: 3000, batchSize: 500, distinct: 50, doubles: false)
        data += Self.batches(seed: 10, kind: .integer, rows: 3000, batchSize: 500, distinct: 50, doubles: false)
        data.append([(.null, .integer(5)), (.null, .null)])
        data += Self.batches(seed: 11, kind: .string, rows: 1000, batchSize: 500, distinct: 80, doubles: false)
        // The key column of a mixed-type result is typed by the first batch (as before the
        // fast paths), so compare the aggregates only; their group order must still match.
        for workers in [1, 3] {
            let got = try Self.aggregate(data, workers: workers, keys: false)
            Self.expectClose(got, Self.bruteForce(data).map { Array($0.dropFirst()) })
        }
    }

    @Test func allNullBatchesJoinTheNullGroup() throws {
        let nullsFirst: [[(SQLValue, SQLValue)]] = [[(.null, .integer(1)), (.null, .integer(2))]]
        var data = Self.batches(seed: 4, kind: .string, rows: 500, batchSize: 100, distinct: 10, doubles: false)
        data.insert(contentsOf: nullsFirst, at: 1)
        Self.expectClose(try Self.aggregate(data, workers: 2), Self.bruteForce(data))
        let leading = nullsFirst + data
        Self.expectClose(try Self.aggregate(leading, workers: 1), Self.bruteForce(leading))
    }

    @Test func stringTableSurvivesHashCollisions() throws {
        // Only 4 distinct hashes: every lookup walks a long probe chain.
        var table = StringGroupTable(hashMask: 3)
        var rng = Rng(state: 5)
        var expected: [String: Int] = [:]
        var nullGroup = -1
        for _ in 0..<20 {
            let n = 1 + rng.below(300)
            var values: [SQLValue] = []
            for _ in 0..<n {
                let r = rng.below(600)
                values.append(r == 0 ? .null : r == 1 ? .string("") : .string("s\(r % 500)"))
            }
            var gids = [Int](repeating: -1, count: n)
            try table.assign(Vector.from(values, type: .string), into: &gids)
            for (i, v) in values.enumerated() {
                let want: Int
                switch v {
                case .string(let s):
                    if let g = expected[s] { want = g } else { want = expected.count + (nullGroup >= 0 ? 1 : 0); expected[s] = want }
                default:
                    if nullGroup < 0 { nullGroup = expected.count }
                    want = nullGroup
                }
                #expect(gids[i] == want)
            }
        }
        #expect(table.count == expected.count + (nullGroup >= 0 ? 1 : 0))
        for (s, g) in expected { #expect(Array(table.keys[g]) == Array(s.utf8)) }
    }

    @Test func intTableSurvivesHashCollisions() throws {
        var table = IntGroupTable(hashMask: 0)
        var v = Vector(type: .integer, count: 2000)
        v.ints = (0..<2000).map { Int64($0 % 700) * 1024 }
        var gids = [Int](repeating: -1, count: 2000)
        try table.assign(v, into: &gids)
        #expect(gids == (0..<2000).map { $0 % 700 })
        #expect(table.keys == (0..<700).map { Int64($0) * 1024 })
    }

    @Test func badOffsetsAreRejected() {
        var table = StringGroupTable()
        var v = Vector(type: .string, count: 2)
        v.strings = BinaryValues(offsets: [0, 5, 3], bytes: [1, 2, 3, 4, 5])
        var gids = [0, 0]
        #expect(throws: FloeError.self) { try table.assign(v, into: &gids) }
    }
}

/// ORDER BY … LIMIT through a bounded heap against a full stable sort.
struct TopRowsTests {
    @Test(arguments: [0, 1, 3, 10, 99, 100, 250])
    func firstRowsEqualAStableSortPrefix(k: Int) {
        var rng = GroupingTests.Rng(state: UInt64(k) + 17)
        // Few distinct keys: many ties, whose input order must be kept.
        let items = (0..<200).map { i in (key: rng.below(7), position: i) }
        let less = { (a: (key: Int, position: Int), b: (key: Int, position: Int)) in a.key > b.key }
        var expected: [(key: Int, position: Int)] = []
        for key in (0..<7).reversed() { expected += items.filter { $0.key == key } }
        let got = TopRows.first(k, of: items, by: less)
        #expect(got.map(\.position) == Array(expected.prefix(k)).map(\.position))
    }
}
