import Foundation
import Testing
import FloeCore
import FloeEncodings
import FloeColumns
import FloeParquet
@testable import FloeScan

/// A Parquet file sorted by `id` (and by `name`), with many small pages per row group:
/// id int64, name string (null every 9th row), grp int32 (id % 5), score double (null every
/// 4th), tags list<int64> (null when id % 6 == 0, else [id, id % 3]).
final class SortedFixture {
    let dir: String
    let path: String
    let rows: Int

    static func name(_ i: Int) -> String? { i % 9 == 0 ? nil : "n" + String(repeating: "0", count: 6 - String(i).count) + String(i) }
    static func tags(_ i: Int) -> String { i % 6 == 0 ? "null" : "[\(i),\(i % 3)]" }

    init(rows: Int = 12_000, rowGroupRows: Int = 5000, pageRows: Int = 256, dictionary: Bool = false) throws {
        self.rows = rows
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("floe-pages-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        path = dir + "/sorted.parquet"
        let schema = try Schema(root: .group("schema", [
            .leaf("id", .int64, .required),
            .leaf("name", .byteArray, .optional, logicalType: .string),
            .leaf("grp", .int32, .required),
            .leaf("score", .double, .optional),
            .group("tags", [.group("list", [.leaf("element", .int64, .optional)], .repeated)], .optional, logicalType: .list),
        ]))
        var options = WriterOptions()
        options.rowGroupRowLimit = rowGroupRows
        options.dataPageRowLimit = pageRows
        options.dictionary = dictionary
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var names = BinaryValues(), nameLevels: [UInt8] = []
        var scores: [Double] = [], scoreLevels: [UInt8] = []
        var tagValues: [Int64] = [], tagDef: [UInt8] = [], tagRep: [UInt8] = []
        for i in 0..<rows {
            if let n = SortedFixture.name(i) { names.append(Array(n.utf8)); nameLevels.append(1) } else { nameLevels.append(0) }
            if i % 4 == 0 { scoreLevels.append(0) } else { scores.append(Double(i) / 4); scoreLevels.append(1) }
            if i % 6 == 0 { tagDef.append(0); tagRep.append(0) } else {
                tagValues += [Int64(i), Int64(i % 3)]; tagDef += [3, 3]; tagRep += [0, 1]
            }
        }
        try writer.write([
            ColumnData(values: .int64((0..<rows).map { Int64($0) })),
            ColumnData(values: .byteArray(names), definitionLevels: nameLevels),
            ColumnData(values: .int32((0..<rows).map { Int32($0 % 5) })),
            ColumnData(values: .double(scores), definitionLevels: scoreLevels),
            ColumnData(values: .int64(tagValues), definitionLevels: tagDef, repetitionLevels: tagRep),
        ])
        try writer.close()
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }
}

/// Runs `sql` (with `{}` for the quoted path) under `options`: canonical JSON rows and stats.
func run(_ sql: String, _ path: String, _ options: QueryOptions = QueryOptions()) throws -> (rows: [[String]], stats: ScanStats) {
    let r = try QueryEngine.run(sql.replacingOccurrences(of: "{}", with: "'\(path)'"), options: options)
    return (r.rows.map { $0.map(\.canonicalJSON) }, r.stats)
}

func options(split: InputSplit? = nil, pruning: Bool = true, workers: Int = 2) -> QueryOptions {
    var o = QueryOptions()
    o.split = split
    o.pageIndexPruning = pruning
    o.workers = workers
    return o
}

@Suite struct PagePruningTests {
    @Test(arguments: [false, true])
    func rangeQueriesReadFewerPagesAndAgree(dictionary: Bool) throws {
        let f = try SortedFixture(dictionary: dictionary)
        let p = f.path
        // A range inside the second row group: same rows, fewer pages and bytes.
        let q1 = "SELECT id, name, score, tags FROM {} WHERE id BETWEEN 5100 AND 5400"
        let on = try run(q1, p), off = try run(q1, p, options(pruning: false))
        #expect(on.rows == off.rows)
        #expect(on.rows.map { $0[0] } == (5100...5400).map { String($0) })
        #expect(on.rows.map { $0[1] } == (5100...5400).map { SortedFixture.name($0).map { "\"\($0)\"" } ?? "null" })
        #expect(on.rows.map { $0[3] } == (5100...5400).map(SortedFixture.tags))
        #expect(on.stats.pagesPruned > 0 && off.stats.pagesPruned == 0)
        #expect(on.stats.pagesRead < off.stats.pagesRead)
        #expect(on.stats.bytesRead < off.stats.bytesRead)
        #expect(on.stats.rowGroupsRead == 1 && on.stats.rowsScanned < 5000 && on.stats.rowsScanned >= 301)

        // A string range: the page index of `name` (bytes order) narrows the rows.
        let q2 = "SELECT count(*), sum(id), min(name), max(name), count(score) FROM {} WHERE name >= 'n003000' AND name < 'n003500'"
        let ids = (3000..<3500).filter { SortedFixture.name($0) != nil }
        let expected = [String(ids.count), String(ids.reduce(0, +)), "\"n003000\"", "\"n003499\"",
                        String(ids.filter { $0 % 4 != 0 }.count)]
        let on2 = try run(q2, p), off2 = try run(q2, p, options(pruning: false))
        #expect(on2.rows == [expected] && off2.rows == [expected])
        #expect(on2.stats.pagesPruned > 0 && on2.stats.bytesRead < off2.stats.bytesRead)

        // Nested rows trimmed to records, across a row group boundary, in descending order.
        let q3 = "SELECT tags, id FROM {} WHERE id BETWEEN 4990 AND 5010 ORDER BY id DESC"
        let on3 = try run(q3, p)
        #expect(on3.rows == (4990...5010).reversed().map { [SortedFixture.tags($0), String($0)] })
        let off3 = try run(q3, p, options(pruning: false))
        #expect(on3.rows == off3.rows)
        #expect(on3.stats.rowGroupsRead == 2 && on3.stats.pagesPruned > 0)

        // Conjuncts on two columns whose candidate pages do not overlap: nothing is evaluated.
        let q4 = "SELECT count(*) FROM {} WHERE id >= 4000 AND name <= 'n001000'"
        let on4 = try run(q4, p)
        let off4 = try run(q4, p, options(pruning: false))
        #expect(on4.rows == [["0"]] && off4.rows == [["0"]])
        #expect(on4.stats.rowGroupsRead == 0 && on4.stats.rowGroupsPruned == 3)

        // Filters the page index cannot use give the same answers either way.
        for q in ["SELECT grp, count(*), sum(score), min(name) FROM {} WHERE id > 11990 OR id < 3 GROUP BY grp ORDER BY grp",
                  "SELECT id FROM {} WHERE score > 2999.5 AND id <= 12003 ORDER BY id",
                  "SELECT count(*), sum(id) FROM {} WHERE id < 0",
                  "SELECT count(*), max(id) FROM {} WHERE id >= 11999"] {
            #expect(try run(q, p).rows == (try run(q, p, options(pruning: false))).rows, "\(q)")
        }
        #expect(try run("SELECT count(*), max(id) FROM {} WHERE id >= 11999", p).rows == [["1", "11999"]])
    }

    @Test func rowSelectionsAndTrimming() throws {
        var a = RowSelection()
        a.append(0..<10); a.append(10..<12); a.append(20..<30)
        #expect(a.ranges == [0..<12, 20..<30] && a.count == 22)
        var b = RowSelection()
        b.append(5..<25)
        #expect(a.intersection(b).ranges == [5..<12, 20..<25])
        #expect(PagePruning.pageRuns([0..<10, 10..<20, 20..<30, 30..<40], a) == [0..<3])
        #expect(PagePruning.pageRuns([0..<10, 10..<20, 20..<30, 30..<40], b) == [0..<3])
        var c = RowSelection()
        c.append(35..<36)
        #expect(PagePruning.pageRuns([0..<10, 10..<20, 20..<30, 30..<40], c) == [3..<4])

        // A repeated column holding rows 10..<14 (records [1,2], null, [], [3]) trimmed to rows 11..<13 and 13.
        let leaf = try Schema(root: .group("schema", [
            .group("l", [.group("list", [.leaf("element", .int64, .optional)], .repeated)], .optional, logicalType: .list),
        ])).leaves[0]
        let data = ColumnData(values: .int64([1, 2, 3]), definitionLevels: [3, 3, 0, 1, 3], repetitionLevels: [0, 1, 0, 0, 0])
        var s = RowSelection()
        s.append(11..<13)
        let t = try PagePruning.trim(data, leaf: leaf, coverage: [10..<14], selection: s)
        #expect(t == ColumnData(values: .int64([]), definitionLevels: [0, 1], repetitionLevels: [0, 0]))
        var s2 = RowSelection()
        s2.append(10..<11); s2.append(13..<14)
        let t2 = try PagePruning.trim(data, leaf: leaf, coverage: [10..<14], selection: s2)
        #expect(t2 == ColumnData(values: .int64([1, 2, 3]), definitionLevels: [3, 3, 3], repetitionLevels: [0, 1, 0]))
        // Rows outside the coverage are an error, not a silent gap.
        var s3 = RowSelection()
        s3.append(9..<11)
        #expect(throws: FloeError.self) { try PagePruning.trim(data, leaf: leaf, coverage: [10..<14], selection: s3) }
    }
}

@Suite struct ParallelScanTests {
    @Test func answersDoNotDependOnTheWorkers() throws {
        let f = try SortedFixture(rows: 9000, rowGroupRows: 700)
        let queries = [
            "SELECT * FROM {} WHERE grp = 3",
            "SELECT id FROM {} LIMIT 7",
            "SELECT id, name FROM {} WHERE id > 1000 LIMIT 1500",
            "SELECT name, count(*) FROM {} GROUP BY name",
            "SELECT grp, count(*), sum(id), sum(score), avg(score), min(name), max(name), count(DISTINCT tags) FROM {} GROUP BY grp",
            "SELECT id, score FROM {} WHERE score IS NOT NULL ORDER BY score DESC LIMIT 5",
            "SELECT count(*), count(name), min(id), max(id) FROM {}",
        ]
        for q in queries {
            let serial = try run(q, f.path, options(workers: 1))
            for workers in [2, 3, 8] {
                let parallel = try run(q, f.path, options(workers: workers))
                #expect(parallel.rows == serial.rows, "\(q) with \(workers) workers")
                #expect(parallel.stats.rowGroupsRead == serial.stats.rowGroupsRead, "\(q)")
            }
        }
        #expect(try run("SELECT id FROM {} LIMIT 7", f.path).rows == (0..<7).map { [String($0)] })
        let star = try run("SELECT id FROM {} WHERE grp = 3", f.path).rows
        #expect(star == (0..<9000).filter { $0 % 5 == 3 }.map { [String($0)] })
        let groups = try run("SELECT grp, count(*), sum(id) FROM {} GROUP BY grp", f.path).rows
        #expect(groups == (0..<5).map { g in
            let ids = (0..<9000).filter { $0 % 5 == g }
            return [String(g), String(ids.count), String(ids.reduce(0, +))]
        })
    }

    @Test func rowGroupsCutIntoPartsGiveTheSameAnswers() throws {
        let f = try SortedFixture(rows: 10_000, rowGroupRows: 6000, pageRows: 300, dictionary: true)
        let queries = [
            "SELECT * FROM {}",
            "SELECT id, tags FROM {} WHERE id BETWEEN 2990 AND 3010",
            "SELECT grp, count(*), sum(id), min(name), max(name) FROM {} GROUP BY grp",
            "SELECT name, count(*) FROM {} WHERE name > 'n005000' GROUP BY name",
            "SELECT id FROM {} LIMIT 4000",
            "SELECT tags FROM {} WHERE id >= 5990 ORDER BY id LIMIT 30",
        ]
        for q in queries {
            let serial = try run(q, f.path, options(workers: 1))
            for workers in [1, 2, 3, 5] {
                var o = options(workers: workers)
                o.minimumPartRows = 1000
                let cut = try run(q, f.path, o)
                #expect(cut.rows == serial.rows, "\(q) with \(workers) parts")
                #expect(cut.stats.rowGroupsRead == serial.stats.rowGroupsRead, "\(q)")
                o.pageIndexPruning = false
                #expect(try run(q, f.path, o).rows == serial.rows, "\(q) with \(workers) parts, no page pruning")
            }
        }
        #expect(try run("SELECT count(*), sum(id) FROM {}", f.path).rows == [["10000", String((0..<10_000).reduce(0, +))]])
        // Floating-point sums depend on the cut, never on the workers.
        var one = options(workers: 1), two = options(workers: 2)
        one.minimumPartRows = 700
        two.minimumPartRows = 700
        let q = "SELECT sum(score), avg(score) FROM {} WHERE id % 3 = 1"
        #expect(try run(q, f.path, one).rows == (try run(q, f.path, two)).rows)
    }

    @Test func parallelMapKeepsOrderAndErrors() {
        let out = Parallel.map(count: 100, workers: 4) { (i: Int) throws(FloeError) -> Int in
            if i == 37 { throw FloeError.corrupt("bad \(i)") }
            return i * i
        }
        #expect(out.count == 100)
        for (i, r) in out.enumerated() {
            switch r {
            case .success(let v): #expect(i != 37 && v == i * i)
            case .failure(let e): #expect(i == 37 && e.message == "bad 37")
            }
        }
    }
}

@Suite struct QuerySplitTests {
    @Test func splitsGiveEveryRowOnce() throws {
        let f = try SortedFixture(rows: 6000, rowGroupRows: 900, pageRows: 1000)
        let file = try ParquetFile(path: f.path)
        let size = file.file.size
        let all = try run("SELECT * FROM {}", f.path).rows
        #expect(all.count == 6000)
        let smallest = file.metadata.rowGroups.compactMap { ParquetSplits.byteRange(of: $0)?.count }.min() ?? 1
        for splitSize in [smallest / 3, 10_000, size / 2, size * 4] {
            var concatenated: [[String]] = []
            var counted = 0, filtered = 0
            var sums: [Int: Int] = [:]
            for split in try file.splits(splitSize: splitSize) {
                let o = options(split: split.range)
                concatenated += try run("SELECT * FROM {}", f.path, o).rows
                counted += Int(try run("SELECT count(*) FROM {}", f.path, o).rows[0][0]) ?? -1
                filtered += Int(try run("SELECT count(*) FROM {} WHERE id >= 100", f.path, o).rows[0][0]) ?? -1
                for row in try run("SELECT grp, sum(id) FROM {} GROUP BY grp", f.path, o).rows {
                    sums[Int(row[0]) ?? -1, default: 0] += Int(row[1]) ?? 0
                }
            }
            #expect(concatenated == all, "split size \(splitSize)")
            #expect(counted == 6000 && filtered == 5900)
            #expect(sums == Dictionary(uniqueKeysWithValues: (0..<5).map { g in (g, (0..<6000).filter { $0 % 5 == g }.reduce(0, +)) }))
        }
    }

    @Test func splitsOfJSONLinesAreRefused() throws {
        let fx = try Fixture()
        do {
            _ = try QueryEngine.run("SELECT * FROM '\(fx.jsonl)'", options: options(split: try InputSplit(start: 0, length: 10)))
            Issue.record("a split over JSON lines was accepted")
        } catch {
            #expect(error.code == .invalidArgument && error.message.contains("Parquet"))
        }
    }
}
