import FloeCore
import FloeCodecs
import FloeColumns
import FloeParquet
import FloeJSON

/// JSON-lines inputs (plain, gzip, zstd).
///
/// When the query names its columns (no `SELECT *`), one projected pass over the files
/// (``JSONProjection``, both cores) validates every line, keeps the values of the referenced
/// paths only, and gathers the statistics from which their types follow exactly as a full
/// schema inference would give them (``ProjectedSchema``); the batches are then evaluated like
/// Parquet row groups. `count(*)` alone validates and counts the lines (each must be a JSON
/// object). Otherwise — `SELECT *`, a path that ends at a struct, list or map, passes through a
/// map, or matches keys only without regard to case — the schema is inferred over all the
/// files and the lines are shredded in full.
final class JSONScan: ScanSource {
    let files: [SourceFile]
    private(set) var bytesRead = 0
    private var inferred: Schema?
    /// The column paths of the query, or nil when it selects `*` (or is not known).
    private let referenced: [[String]]?
    private var projection: (schema: ProjectedSchema, read: ProjectedRead)?
    /// The most bytes of lines kept by a prefilter before shredding them all instead.
    static let maxCandidateBytes = 256 << 20
    /// Why the projected scan was not used for the columns of the last query (nil when it was
    /// or when no column was needed).
    private(set) var fullScanReason: String?
    /// The first range of the filter on a path with text bounds: the inference pass also keeps
    /// the lines that may satisfy it (see ``JSONFullScan/infer``), by file path.
    private let probe: ColumnRange?
    private var probed: [String: CandidateLines?] = [:]

    init(files: [SourceFile], query: SelectQuery? = nil) {
        self.files = files
        probe = Pruning.ranges(query?.filter).first(where: \.hasTextBounds)
        if let query, !query.items.contains(where: { Plan.hasStar($0.expr) }) {
            let exprs = [query.filter, query.having].compactMap { $0 } + query.items.map(\.expr) + query.groupBy
                + query.orderBy.map(\.expr)
            referenced = exprs.flatMap(\.columnPaths)
        } else {
            referenced = nil
        }
    }

    func schema(needsColumns: Bool) throws(FloeError) -> SchemaBinder? {
        guard needsColumns else { return nil }
        if let referenced {
            let paths = ProjectionPaths(referenced)
            if paths.hasNonASCIIName {
                fullScanReason = "a column name is not ASCII"
            } else {
                let read = try JSONProjection.read(files, paths: paths, batchRows: QueryEngine.jsonBatchRows)
                bytesRead += read.bytesRead
                var reason = ""
                if let schema = ProjectedSchema.resolve(paths, read.statistics, reason: &reason) {
                    projection = (schema, read)
                    return try SchemaBinder(schema: schema.schema, partitions: files.first?.partitions ?? [])
                }
                fullScanReason = reason
            }
        } else {
            fullScanReason = "SELECT *"
        }
        var inference = SchemaInference()
        var scanner = JSONLineScanner()
        var tape = JSONTape()
        for file in files {
            // Plain files in parallel ranges; compressed ones line by line.
            var kept: CandidateLines?
            if try JSONFullScan.infer(file.path, into: &inference, bytesRead: &bytesRead, probe: probe,
                                      maxBytes: JSONScan.maxCandidateBytes, probed: &kept) {
                if probe != nil { probed[file.path] = .some(kept) }
                continue
            }
            try forEachLine(file) { (line: JSONLine) throws(FloeError) in
                if JSONLineScanner.isBlank(line.bytes, isFirstLine: line.isFirst) { return }
                try scanner.scan(line.bytes, lineNumber: line.number, isFirstLine: line.isFirst, into: &tape)
                try inference.add(tape, line: line.bytes)
            }
        }
        let schema = try inference.schema()
        inferred = schema
        return try SchemaBinder(schema: schema, partitions: files.first?.partitions ?? [])
    }

    private func forEachLine(_ file: SourceFile, _ body: (JSONLine) throws(FloeError) -> Void) throws(FloeError) {
        let reader = try DecodingReader(path: file.path)
        var splitter = JSONLineSplitter()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        do throws(FloeError) {
            while true {
                let n = try buffer.withMutableBuffer { (b: UnsafeMutableBufferPointer<UInt8>) throws(FloeError) -> Int in
                    try reader.read(into: UnsafeMutableRawBufferPointer(b))
                }
                if n == 0 { break }
                try buffer.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                    try splitter.feed(UnsafeRawBufferPointer(rebasing: raw[0..<n]), body)
                }
            }
            try splitter.finish(body)
        } catch {
            bytesRead += reader.input.bytesRead
            throw error.at(Location(file: file.path))
        }
        bytesRead += reader.input.bytesRead
    }

    func run(_ plan: Plan, _ stats: inout ScanStats) throws(FloeError) {
        let batchRows = QueryEngine.jsonBatchRows
        if let projection {
            self.projection = nil
            try runProjected(plan, &stats, projection.schema, projection.read.batches)
            return
        }
        for file in files {
            if plan.isDone { break }
            guard try plan.partitionAllows(file) else { stats.filesPruned += 1; continue }
            stats.files += 1
            guard let schema = inferred else {
                // No column is referenced (count(*)): count the lines, each a valid JSON object.
                var read = ProjectedRead(statistics: ProjectedLineScanner(paths: ProjectionPaths([])).statistics)
                try JSONProjection.readFile(file.path, index: 0, paths: ProjectionPaths([]), batchRows: batchRows, into: &read)
                bytesRead += read.bytesRead
                let binder = try SchemaBinder(schema: try Schema(root: .group("schema", [])), partitions: file.partitions)
                for batch in read.batches where batch.rows > 0 {
                    try plan.process(ScanUnit(binder: binder, source: ShreddedSource(columns: [], rowCount: batch.rows)))
                    stats.rowGroupsRead += 1; stats.rowsScanned += batch.rows
                }
                continue
            }
            let binder = try SchemaBinder(schema: schema, partitions: file.partitions)
            var shredder = try JSONShredder(schema: schema)
            func flush() throws(FloeError) {
                let rows = shredder.rowCount
                guard rows > 0 else { return }
                let columns = shredder.take()
                stats.rowGroupsRead += 1
                stats.rowsScanned += rows
                try plan.process(ScanUnit(binder: binder, source: ShreddedSource(columns: columns, rowCount: rows)))
            }
            // A selective string conjunct: shred only the lines whose value can satisfy it.
            if let filter = JSONFullScan.prefilter(plan, binder),
               let lines = try candidateLines(file, filter) {
                try lines.bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                    for i in 0..<lines.count {
                        if plan.isDone { break }
                        let end = i + 1 < lines.count ? lines.starts[i + 1] : raw.count
                        let line = UnsafeRawBufferPointer(rebasing: raw[lines.starts[i]..<end])
                        do throws(FloeError) {
                            try shredder.append(line: line, lineNumber: lines.numbers[i], isFirstLine: lines.numbers[i] == 1)
                        } catch {
                            throw error.at(Location(file: file.path, offset: lines.offsets[i], line: lines.numbers[i]))
                        }
                        if shredder.rowCount >= batchRows { try flush() }
                    }
                }
                try flush()
                continue
            }
            try forEachLine(file) { (line: JSONLine) throws(FloeError) in
                if plan.isDone || JSONLineScanner.isBlank(line.bytes, isFirstLine: line.isFirst) { return }
                do throws(FloeError) {
                    try shredder.append(line: line.bytes, lineNumber: line.number, isFirstLine: line.isFirst)
                } catch {
                    throw error.at(Location(offset: line.offset, line: line.number))
                }
                if shredder.rowCount >= batchRows { try flush() }
            }
            try flush()
        }
    }

    /// The lines of `file` that may pass `filter`: those the inference pass kept when its probe
    /// was this filter, else a projected pass of their own (nil: too many, or compressed).
    private func candidateLines(_ file: SourceFile, _ filter: JSONFullScan.Prefilter) throws(FloeError) -> CandidateLines? {
        if let probe, probe.path == filter.leafPath, probe.low == filter.range.low, probe.high == filter.range.high,
           probe.lowInclusive == filter.range.lowInclusive, probe.highInclusive == filter.range.highInclusive,
           let kept = probed[file.path] {
            return kept
        }
        return try JSONFullScan.candidates(file.path, filter, maxBytes: JSONScan.maxCandidateBytes, bytesRead: &bytesRead)
    }

    /// Evaluates the batches of the projected pass, file by file.
    private func runProjected(_ plan: Plan, _ stats: inout ScanStats, _ schema: ProjectedSchema,
                              _ batches: [ProjectedBatch]) throws(FloeError) {
        var next = 0
        for (index, file) in files.enumerated() {
            let first = next
            while next < batches.count, batches[next].file == index { next += 1 }
            if plan.isDone { break }
            guard try plan.partitionAllows(file) else { stats.filesPruned += 1; continue }
            stats.files += 1
            let binder = try SchemaBinder(schema: schema.schema, partitions: file.partitions)
            for b in first..<next {
                if plan.isDone { break }
                let batch = batches[b]
                guard batch.rows > 0 else { continue }
                let columns = try schema.columnData(batch.columns)
                stats.rowGroupsRead += 1
                stats.rowsScanned += batch.rows
                try plan.process(ScanUnit(binder: binder, source: ShreddedSource(columns: columns, rowCount: batch.rows)))
            }
        }
    }
}
