// Fuzz target `file`: a whole file — opened with ParquetFile, every column of every row group
// read and assembled into canonical JSON rows (what `floe cat` does), then verified with
// FileVerifier (deep). Whatever the bytes, nothing may trap; and verify must flag any file
// the reader refuses.
import Floe

enum FuzzTarget {
    static func run(_ data: [UInt8]) {
        let path = FuzzIO.scratchPath
        FuzzIO.write(data, to: path)
        var limits = ReaderLimits()
        limits.maxPageSize = 64 << 20
        var readerFailed = false
        if let file = try? ParquetFile(path: path, limits: limits) {
            let fields = try? file.schema.logicalFields()
            for g in 0..<file.rowGroupCount {
                var columns: [ColumnData?] = []
                for c in file.schema.leaves.indices {
                    if let col = try? file.readColumn(rowGroup: g, column: c) { columns.append(col) } else {
                        readerFailed = true
                        columns.append(nil)
                    }
                }
                guard let fields, !readerFailed,
                      var writer = try? NestedRowWriter(schema: file.schema, fields: fields, columns: columns) else { continue }
                var out: [UInt8] = []
                for _ in 0..<min(file.rowCount(ofRowGroup: g), 100_000) {
                    if (try? writer.appendRow(to: &out)) == nil { break }
                }
            }
        } else {
            readerFailed = true
        }
        let report = FileVerifier(options: VerifyOptions(deep: true, limits: limits)).verify(path: path)
        if readerFailed && report.isClean {
            fatalError("the reader refuses the file but verify finds it clean")
        }
    }

    /// The corpus files (up to 256 kB each).
    static func seeds(from files: [String]) -> [[UInt8]] {
        (files + WriterSeeds.files()).compactMap { FuzzIO.read($0) }.filter { $0.count <= 256 << 10 }
    }
}
