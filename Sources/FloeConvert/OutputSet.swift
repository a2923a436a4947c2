import FloeCore
import FloeColumns
import FloeParquet
import FloeJSON

/// The Parquet files a conversion writes: one open writer per partition, rotated past the
/// target file size, named `part-00000.parquet`, `part-00001.parquet`, … inside the output
/// directory (and its `key=value/` subdirectories), or the given file name in single-file mode.
///
/// Threads: shredders are filled by the converting thread; writers, file names and counters
/// belong to the background writer when there is one (every write runs on it).
final class OutputSet: @unchecked Sendable {
    /// One partition's shredder and writer.
    final class Partition: @unchecked Sendable {
        let directory: String
        var shredder: JSONShredder
        var writer: ParquetWriter?
        var nextPart = 0
        init(directory: String, shredder: JSONShredder) { self.directory = directory; self.shredder = shredder }
    }

    let output: String
    let singleFile: Bool
    let shredSchema: Schema
    let fileSchema: Schema
    /// Leaves of the shredded schema that go into the files (the partition column is dropped).
    let keptLeaves: [Int]
    let options: ConvertOptions
    private(set) var partitions: [String: Partition] = [:]
    private(set) var files: [String] = []
    private(set) var bytesOut = 0
    private(set) var rowsWritten = 0
    private var createdDirectories: Set<String> = []
    private let background: BackgroundQueue?

    init(output: String, singleFile: Bool, schema: Schema, options: ConvertOptions) throws(FloeError) {
        background = options.threads > 1 ? BackgroundQueue(backlog: 2) : nil
        self.output = output
        self.singleFile = singleFile
        self.shredSchema = schema
        self.options = options
        if let spec = options.partitioning, spec.dropsColumn {
            let kept = schema.root.children.filter { $0.name != spec.column }
            fileSchema = try Schema(root: .group(schema.root.name, kept))
            keptLeaves = schema.leaves.indices.filter { schema.leaves[$0].path.first != spec.column }
        } else {
            fileSchema = schema
            keptLeaves = Array(schema.leaves.indices)
        }
        if !singleFile {
            try makeDirectory(output)
        } else if let slash = output.lastIndex(of: "/"), slash != output.startIndex {
            try makeDirectory(String(output[..<slash]))
        }
    }

    /// The partition for a directory value (`""` when not partitioning).
    func partition(_ value: String) throws(FloeError) -> Partition {
        if let p = partitions[value] { return p }
        var shredOptions = JSONShredder.Options()
        shredOptions.caseInsensitiveKeys = options.schema != nil && options.caseInsensitiveKeys
        let dir: String
        if let spec = options.partitioning { dir = output + "/" + spec.key + "=" + value } else { dir = output }
        let p = Partition(directory: dir, shredder: try JSONShredder(schema: shredSchema, options: shredOptions))
        partitions[value] = p
        return p
    }

    /// Total bytes buffered in shredders.
    var bufferedBytes: Int { partitions.values.reduce(0) { $0 + $1.shredder.estimatedBytes } }

    /// Hands a partition's buffered rows to the writer (in the background when threads > 1).
    func flush(_ p: Partition) throws(FloeError) {
        let rows = p.shredder.rowCount
        if rows == 0 { return }
        let columns = p.shredder.take()
        let kept = keptLeaves.count == columns.count ? columns : keptLeaves.map { columns[$0] }
        if let background {
            try background.submit { [self] () throws(FloeError) in try write(kept, rows: rows, to: p) }
        } else {
            try write(kept, rows: rows, to: p)
        }
    }

    /// Writes rows to a partition's file, rotating it past the target size.
    private func write(_ columns: [ColumnData], rows: Int, to p: Partition) throws(FloeError) {
        if p.writer == nil { p.writer = try openWriter(p) }
        guard let writer = p.writer else { return }
        try writer.write(columns)
        rowsWritten += rows
        if writer.estimatedFileSize >= options.targetFileSize {
            try close(p)
        }
    }

    func flushAll() throws(FloeError) {
        for key in partitions.keys.sorted() {
            if let p = partitions[key] { try flush(p) }
        }
    }

    /// Flushes and closes every writer; files appear under their names only now.
    func finish() throws(FloeError) {
        try flushAll()
        try background?.drain()
        for key in partitions.keys.sorted() {
            if let p = partitions[key] { try close(p) }
        }
        if files.isEmpty && options.partitioning == nil {
            // No rows at all: still write an empty file with the schema.
            let p = try partition("")
            p.writer = try openWriter(p)
            try close(p)
        }
    }

    /// Stops after a failure: waits for the writer, then drops every open file (their temporary
    /// files are removed; nothing appears under a final name).
    func abandon() {
        try? background?.drain()
        for p in partitions.values { p.writer = nil }
    }

    private func close(_ p: Partition) throws(FloeError) {
        guard let writer = p.writer else { return }
        p.writer = nil
        try writer.close()
        bytesOut += writer.bytesWritten
    }

    private func openWriter(_ p: Partition) throws(FloeError) -> ParquetWriter {
        let path: String
        if singleFile {
            path = p.nextPart == 0 ? output : OutputSet.numbered(output, p.nextPart)
        } else {
            try makeDirectory(p.directory)
            path = p.directory + "/part-" + OutputSet.fiveDigits(p.nextPart) + ".parquet"
        }
        p.nextPart += 1
        files.append(path)
        return try ParquetWriter(path: path, schema: fileSchema, options: options.writer)
    }

    static func fiveDigits(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }

    /// `out.parquet` → `out-00001.parquet`.
    static func numbered(_ path: String, _ n: Int) -> String {
        let suffix = ".parquet"
        let stem = path.hasSuffix(suffix) ? String(path.dropLast(suffix.count)) : path
        return stem + "-" + fiveDigits(n) + suffix
    }

    private func makeDirectory(_ path: String) throws(FloeError) {
        if createdDirectories.contains(path) { return }
        try FileSystem.makeDirectories(path)
        createdDirectories.insert(path)
    }
}
