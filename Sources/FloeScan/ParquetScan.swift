import FloeCore
import FloeCodecs
import FloeColumns
import FloeParquet
import FloeJSON

/// Parquet inputs: only the referenced column chunks are read, row groups are pruned by
/// statistics and bloom filters, pages by the page index, and counts come from the footer when
/// it suffices. Row groups are decoded and evaluated by several workers at once; their results
/// are merged in file order, so answers do not depend on the number of workers.
final class ParquetScan: ScanSource {
    let files: [SourceFile]
    let options: QueryOptions
    private var opened: [String: ParquetFile] = [:]
    private var workerBytes = 0
    /// Footers read for their row counts only (count(*) without a filter).
    private var footerBytes = 0

    init(files: [SourceFile], options: QueryOptions = QueryOptions()) throws(FloeError) {
        self.files = files
        self.options = options
    }

    /// Footers and bloom filters (read on the scanning thread) plus what the workers read.
    var bytesRead: Int { opened.values.reduce(0) { $0 + $1.file.bytesRead } + workerBytes + footerBytes }

    private func open(_ file: SourceFile) throws(FloeError) -> ParquetFile {
        if let f = opened[file.path] { return f }
        let f = try ParquetFile(path: file.path)
        opened[file.path] = f
        return f
    }

    func schema(needsColumns: Bool) throws(FloeError) -> SchemaBinder? {
        guard needsColumns, let first = files.first else { return nil }
        return try SchemaBinder(schema: try open(first).schema, partitions: first.partitions)
    }

    /// Reads the footers of the files the query keeps (the scan reads them anyway) and
    /// compares each column's type across them: a column written as int64 by one converter run
    /// and as double by another is read as double from all (2 and 2.0 group together).
    func unifiedTypes(of columns: [Expr], allows: (SourceFile) throws(FloeError) -> Bool) throws(FloeError) -> [String: SQLType] {
        guard files.count > 1, !columns.isEmpty else { return [:] }
        var seen: [String: Set<SQLType>] = [:]
        for file in files where try allows(file) {
            let pf = try open(file)
            let binder = try SchemaBinder(schema: pf.schema, partitions: file.partitions)
            for c in columns {
                guard case .column(let path, _) = c, let binding = binder.bind(path) else { continue }
                let type: SQLType
                switch binding {
                case .leaf(let l), .mapValue(_, let l, _): type = Materialize.sqlType(of: pf.schema.leaves[l].kind)
                case .partition: type = .string
                case .field: type = .json
                case .missing: continue
                }
                seen[c.key, default: []].insert(type)
            }
        }
        return seen.compactMapValues { SQLType.unified($0) }
    }

    func run(_ plan: Plan, _ stats: inout ScanStats) throws(FloeError) {
        let workers = max(1, options.workers)
        // A LIMIT without ORDER BY stops early: do not decode far ahead of it.
        let window = plan.stopsEarly ? workers : workers * 4
        var pending: [RowGroupTask] = []
        var serial = 0, counted = -1
        func drain() throws(FloeError) {
            let tasks = pending
            pending.removeAll(keepingCapacity: true)
            let outcomes = Parallel.map(count: tasks.count, workers: workers) { (i: Int) throws(FloeError) -> RowGroupOutcome in
                try tasks[i].run(plan)
            }
            for outcome in outcomes { if case .success(let o) = outcome { workerBytes += o.bytesRead } }
            for outcome in outcomes {
                if plan.isDone { break }
                let o = try outcome.get()
                stats.pagesRead += o.pagesRead
                stats.pagesPruned += o.pagesPruned
                // A row group cut into parts counts once: read if any part was evaluated.
                if !o.prunedByPageIndex {
                    if counted != o.rowGroupSerial { stats.rowGroupsRead += 1; counted = o.rowGroupSerial }
                    stats.rowsScanned += o.rows
                    plan.merge(o.result)
                }
                if o.lastPart && counted != o.rowGroupSerial { stats.rowGroupsPruned += 1 }
            }
        }
        for file in files {
            if plan.isDone { break }
            guard try plan.partitionAllows(file) else { stats.filesPruned += 1; continue }
            if plan.footerOnlyCandidate, options.split == nil, plan.countArguments.allSatisfy({ $0 == nil }) {
                // count(*) alone: the row counts of the footer, nothing else decoded.
                let (counts, bytes) = try ParquetFile.rowCounts(path: file.path)
                footerBytes += bytes
                stats.files += 1
                plan.addFooterCounts(plan.countArguments.map { _ in counts.numRows })
                stats.rowGroupsFromFooter += counts.rowGroups.count
                continue
            }
            let pf = try open(file)
            stats.files += 1
            let groups = options.split.map { pf.rowGroups(in: $0) } ?? Array(0..<pf.rowGroupCount)
            let binder = try SchemaBinder(schema: pf.schema, partitions: file.partitions)
            if plan.footerOnlyCandidate, let counts = footerCounts(pf, groups, binder, plan) {
                plan.addFooterCounts(counts)
                stats.rowGroupsFromFooter += groups.count
                continue
            }
            let rangeLeaves: [(ColumnRange, Int)] = plan.ranges.compactMap { r in
                if case .leaf(let l)? = binder.bind(r.path) { return (r, l) }
                return nil
            }
            var leaves = Set<Int>()
            for c in plan.filterColumns + plan.otherColumns {
                if case .column(let path, _) = c, let b = binder.bind(path) { leaves.formUnion(b.leaves(binder)) }
            }
            for rg in groups {
                if plan.isDone { break }
                if try prunedByStatistics(pf, rg, rangeLeaves, &stats) { stats.rowGroupsPruned += 1; continue }
                serial += 1
                let task = RowGroupTask(file: pf, binder: binder, rowGroup: rg, rangeLeaves: rangeLeaves,
                                        pageIndexPruning: options.pageIndexPruning, rowGroupSerial: serial)
                let parts = ParquetScan.parts(pf, rg, leaves: leaves, minimumRows: options.minimumPartRows)
                for (k, part) in parts.enumerated() {
                    var t = task
                    t.part = parts.count > 1 ? part : nil
                    t.lastPart = k == parts.count - 1
                    pending.append(t)
                }
                if pending.count >= window { try drain() }
            }
        }
        if !plan.isDone { try drain() } else { pending.removeAll() }
    }

    /// The row ranges a row group is read in: parts of at least `minimumRows` rows (at most 64)
    /// when every referenced chunk has an offset index, so that a part reads only its pages;
    /// else the whole row group. The cut depends on the file alone, not on the number of
    /// workers, so answers (floating-point sums included) do not change with the workers.
    static func parts(_ pf: ParquetFile, _ rg: Int, leaves: Set<Int>, minimumRows: Int) -> [Range<Int>] {
        let rows = pf.rowCount(ofRowGroup: rg)
        let count = min(64, rows / max(1, minimumRows))
        guard count > 1, !leaves.isEmpty else { return [0..<rows] }
        let chunks = pf.metadata.rowGroups[rg].columns
        for leaf in leaves where leaf >= chunks.count || chunks[leaf].offsetIndexOffset == nil { return [0..<rows] }
        let step = rows / count
        return (0..<count).map { k in (step * k)..<(k == count - 1 ? rows : step * (k + 1)) }
    }

    /// True when chunk statistics or a bloom filter prove that no row of the row group matches.
    private func prunedByStatistics(_ pf: ParquetFile, _ rg: Int, _ rangeLeaves: [(ColumnRange, Int)],
                                    _ stats: inout ScanStats) throws(FloeError) -> Bool {
        let group = pf.metadata.rowGroups[rg]
        for (range, leaf) in rangeLeaves where leaf < group.columns.count {
            guard let meta = group.columns[leaf].metaData, let st = meta.statistics else { continue }
            if let nulls = st.nullCount, nulls >= group.numRows, group.numRows > 0 { return true }
            if let (lo, hi) = Pruning.bounds(st, leaf: pf.schema.leaves[leaf]),
               Pruning.excludes(range, min: lo, max: hi, leaf: pf.schema.leaves[leaf]) {
                return true
            }
        }
        for (range, leaf) in rangeLeaves where try ParquetScan.bloomExcludes(range, pf, rg, leaf) {
            stats.rowGroupsPrunedByBloomFilter += 1
            return true
        }
        return false
    }

    /// True when `range` is an equality whose value the chunk's bloom filter proves absent.
    static func bloomExcludes(_ range: ColumnRange, _ pf: ParquetFile, _ rg: Int, _ leaf: Int) throws(FloeError) -> Bool {
        guard let low = range.low, let high = range.high, low == high, range.lowInclusive, range.highInclusive else { return false }
        let descriptor = pf.schema.leaves[leaf]
        let hash: UInt64
        switch (low, descriptor.physicalType) {
        case (.string(let s), .byteArray): hash = SplitBlockBloomFilter.hash(bytes: Array(s.utf8))
        case (.integer(let v), .int64): hash = SplitBlockBloomFilter.hash(int64: v)
        case (.integer(let v), .int32):
            guard let narrow = Int32(exactly: v) else { return false }
            hash = SplitBlockBloomFilter.hash(int32: narrow)
        default: return false
        }
        if case .integer(_, false) = descriptor.kind { return false }
        guard let filter = try pf.bloomFilter(rowGroup: rg, column: leaf) else { return false }
        return !filter.mightContain(hash: hash)
    }

    /// count(*) and count(col) from the footer: row counts, and value counts minus null
    /// counts for non-repeated leaves whose statistics carry a null count.
    private func footerCounts(_ pf: ParquetFile, _ groups: [Int], _ binder: SchemaBinder, _ plan: Plan) -> [Int64]? {
        var counts: [Int64] = []
        let rows = groups.reduce(Int64(0)) { $0 &+ pf.metadata.rowGroups[$1].numRows }
        for arg in plan.countArguments {
            guard let arg else { counts.append(rows); continue }
            guard case .column(let path, _) = arg else { return nil }
            switch binder.bind(path) {
            case .leaf(let leaf)?:
                guard pf.schema.leaves[leaf].maxRepetitionLevel == 0 else { return nil }
                var total: Int64 = 0
                for group in groups.map({ pf.metadata.rowGroups[$0] }) {
                    guard leaf < group.columns.count, let meta = group.columns[leaf].metaData,
                          let nulls = meta.statistics?.nullCount, nulls >= 0, nulls <= group.numRows else { return nil }
                    total += group.numRows - nulls
                }
                counts.append(total)
            case .partition?: counts.append(rows)
            case .missing?, nil: counts.append(0)
            default: return nil
            }
        }
        return counts
    }
}
