import FloeCore
import FloeCodecs
import FloeColumns
import FloeParquet
import FloeJSON

/// JSON-lines inputs (plain, gzip, zstd): the schema is inferred over all the files, then the
/// lines are shredded into column buffers batch by batch and evaluated like Parquet row groups.
final class JSONScan: ScanSource {
    let files: [SourceFile]
    private(set) var bytesRead = 0
    private var inferred: Schema?

    init(files: [SourceFile]) { self.files = files }

    func schema(needsColumns: Bool) throws(FloeError) -> SchemaBinder? {
        guard needsColumns else { return nil }
        var inference = SchemaInference()
        var scanner = JSONLineScanner()
        var tape = JSONTape()
        for file in files {
            try forEachLine(file) { (line: JSONLine) throws(FloeError) in
                if JSONLineScanner.isBlank(line.bytes) { return }
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
        for file in files {
            if plan.isDone { break }
            guard try plan.partitionAllows(file) else { stats.filesPruned += 1; continue }
            stats.files += 1
            guard let schema = inferred else {
                // No column is referenced (count(*)): count the well-formed object lines.
                var scanner = JSONLineScanner()
                var tape = JSONTape()
                var rows = 0
                try forEachLine(file) { (line: JSONLine) throws(FloeError) in
                    if JSONLineScanner.isBlank(line.bytes) { return }
                    try scanner.scan(line.bytes, lineNumber: line.number, isFirstLine: line.isFirst, into: &tape)
                    rows += 1
                    if rows == batchRows {
                        try plan.process(ScanUnit(binder: try SchemaBinder(schema: try Schema(root: .group("schema", [])), partitions: file.partitions),
                                                  source: ShreddedSource(columns: [], rowCount: rows)))
                        stats.rowGroupsRead += 1; stats.rowsScanned += rows; rows = 0
                    }
                }
                if rows > 0 {
                    try plan.process(ScanUnit(binder: try SchemaBinder(schema: try Schema(root: .group("schema", [])), partitions: file.partitions),
                                              source: ShreddedSource(columns: [], rowCount: rows)))
                    stats.rowGroupsRead += 1; stats.rowsScanned += rows
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
            try forEachLine(file) { (line: JSONLine) throws(FloeError) in
                if plan.isDone || JSONLineScanner.isBlank(line.bytes) { return }
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
}
