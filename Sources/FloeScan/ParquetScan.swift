import FloeCore
import FloeCodecs
import FloeColumns
import FloeParquet
import FloeJSON

/// Parquet inputs: only the referenced column chunks are read, row groups are pruned by
/// statistics, and counts come from the footer when it suffices.
final class ParquetScan: ScanSource {
    let files: [SourceFile]
    private var opened: [String: ParquetFile] = [:]
    private var counted: Set<String> = []
    private(set) var bytesRead = 0

    init(files: [SourceFile]) throws(FloeError) { self.files = files }

    private func open(_ file: SourceFile) throws(FloeError) -> ParquetFile {
        if let f = opened[file.path] { return f }
        let f = try ParquetFile(path: file.path)
        opened[file.path] = f
        return f
    }

    func schema(needsColumns: Bool) throws(FloeError) -> SchemaBinder? {
        guard let first = files.first else { return nil }
        return try SchemaBinder(schema: try open(first).schema, partitions: first.partitions)
    }

    func run(_ plan: Plan, _ stats: inout ScanStats) throws(FloeError) {
        defer { bytesRead = opened.values.reduce(0) { $0 + $1.file.bytesRead } }
        for file in files {
            if plan.isDone { break }
            guard try plan.partitionAllows(file) else { stats.filesPruned += 1; continue }
            let pf = try open(file)
            stats.files += 1
            let binder = try SchemaBinder(schema: pf.schema, partitions: file.partitions)
            if plan.footerOnlyCandidate, let counts = footerCounts(pf, binder, plan) {
                plan.addFooterCounts(counts)
                stats.rowGroupsFromFooter += pf.rowGroupCount
                continue
            }
            let rangeLeaves: [(ColumnRange, Int)] = plan.ranges.compactMap { r in
                if case .leaf(let l)? = binder.bind(r.path) { return (r, l) }
                return nil
            }
            for rg in 0..<pf.rowGroupCount {
                if plan.isDone { break }
                let group = pf.metadata.rowGroups[rg]
                var pruned = false
                for (range, leaf) in rangeLeaves where leaf < group.columns.count {
                    guard let meta = group.columns[leaf].metaData, let st = meta.statistics else { continue }
                    if let nulls = st.nullCount, nulls >= group.numRows, group.numRows > 0 { pruned = true; break }
                    if let (lo, hi) = Pruning.bounds(st, leaf: pf.schema.leaves[leaf]),
                       Pruning.excludes(range, min: lo, max: hi, leaf: pf.schema.leaves[leaf]) {
                        pruned = true; break
                    }
                }
                if !pruned {
                    for (range, leaf) in rangeLeaves where try ParquetScan.bloomExcludes(range, pf, rg, leaf) {
                        pruned = true; stats.rowGroupsPrunedByBloomFilter += 1; break
                    }
                }
                if pruned { stats.rowGroupsPruned += 1; continue }
                stats.rowGroupsRead += 1
                let rows = pf.rowCount(ofRowGroup: rg)
                stats.rowsScanned += rows
                let source = RowGroupSource(rowCount: rows) { (leaf: Int) throws(FloeError) -> ColumnData in
                    try pf.readColumn(rowGroup: rg, column: leaf)
                }
                try plan.process(ScanUnit(binder: binder, source: source))
            }
        }
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
    private func footerCounts(_ pf: ParquetFile, _ binder: SchemaBinder, _ plan: Plan) -> [Int64]? {
        var counts: [Int64] = []
        for arg in plan.countArguments {
            guard let arg else { counts.append(pf.metadata.numRows); continue }
            guard case .column(let path, _) = arg else { return nil }
            switch binder.bind(path) {
            case .leaf(let leaf)?:
                guard pf.schema.leaves[leaf].maxRepetitionLevel == 0 else { return nil }
                var total: Int64 = 0
                for group in pf.metadata.rowGroups {
                    guard leaf < group.columns.count, let meta = group.columns[leaf].metaData,
                          let nulls = meta.statistics?.nullCount, nulls >= 0, nulls <= group.numRows else { return nil }
                    total += group.numRows - nulls
                }
                counts.append(total)
            case .partition?: counts.append(pf.metadata.numRows)
            case .missing?, nil: counts.append(0)
            default: return nil
            }
        }
        return counts
    }
}
