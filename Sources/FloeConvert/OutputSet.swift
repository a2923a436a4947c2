import FloeCore
import FloeColumns
import FloeParquet
import FloeJSON

/// The Parquet files a conversion writes: one open writer per partition, rotated past the
/// target file size, named `part-00000.parquet`, `part-00001.parquet`, … inside the output
/// directory (and its `key=value/` subdirectories), or the given file name in single-file mode.
///
/// Used from one thread (the one consuming shredded chunks in order).
final class OutputSet {
    /// One partition's writer.
    final class Partition {
        let directory: String
        var writer: ParquetWriter?
        var nextPart = 0
        init(directory: String) { self.directory = directory }
    }

    let output: String
    let singleFile: Bool
    let shredSchema: Schema
    let fileSchema: Schema
    /// Leaves of the shredded schema that go into the files (the partition column is dropped).
    let keptLeaves: [Int]
    let options: ConvertOptions
    private let writerOptions: WriterOptions
    private(set) var partitions: [String: Partition] = [:]
    private(set) var files: [String] = []
    private(set) var bytesOut = 0
    private(set) var rowsWritten = 0
    private var createdDirectories: Set<String> = []
    /// When true, completed files stay under their temporary names until ``finish()``.
    let defersCommits: Bool
    /// Completed files waiting for ``finish()`` (dropped, hence removed, by ``abandon()``).
    private var uncommitted: [AtomicFile] = []
    /// The rows the open writers hold back until they fill whole pages, in bytes (see
    /// ``ParquetWriter/pendingByteCount``). Each writer may hold up to a page's rows, so with
    /// many partitions open the sum is kept under ``pendingBudget``.
    private(set) var pendingBytes = 0
    /// The most ``pendingBytes`` may reach before the largest holders encode what they hold.
    let pendingBudget: Int

    init(output: String, singleFile: Bool, schema: Schema, options: ConvertOptions,
         defersCommits: Bool = false) throws(FloeError) {
        self.output = output
        self.defersCommits = defersCommits
        self.singleFile = singleFile
        self.shredSchema = schema
        self.options = options
        self.writerOptions = options.effectiveWriterOptions
        self.pendingBudget = max(1 << 20, 2 * options.batchBytes)
        if let spec = options.partitioning, spec.dropsColumn {
            let kept = schema.root.children.filter { $0.name != spec.column }
            fileSchema = try Schema(root: .group(schema.root.name, kept))
            keptLeaves = schema.leaves.indices.filter { schema.leaves[$0].path.first != spec.column }
        } else {
            fileSchema = schema
            keptLeaves = Array(schema.leaves.indices)
        }
        let unknown = writerOptions.unknownColumnNames(in: fileSchema)
        guard unknown.isEmpty else { throw OutputSet.unknownColumns(unknown) }
        if !singleFile {
            try makeDirectory(output)
        } else if let slash = output.lastIndex(of: "/"), slash != output.startIndex {
            try makeDirectory(String(output[..<slash]))
        }
    }

    /// The error for encodings or bloom filters naming columns the files do not have.
    static func unknownColumns(_ names: [String]) -> FloeError {
        FloeError.invalidArgument("no column named \(names.map { "'\($0)'" }.joined(separator: ", ")) in the files' schema "
                                      + "(--encoding and --bloom-filter name a column by dotted path or top-level field)")
    }

    /// The shredder options for this conversion's schema.
    var shredOptions: JSONShredder.Options {
        var o = JSONShredder.Options()
        o.caseInsensitiveKeys = options.schema != nil && options.caseInsensitiveKeys
        return o
    }

    /// The partition for a directory value (`""` when not partitioning).
    func partition(_ value: String) -> Partition {
        if let p = partitions[value] { return p }
        let dir: String
        if let spec = options.partitioning { dir = output + "/" + spec.key + "=" + value } else { dir = output }
        let p = Partition(directory: dir)
        partitions[value] = p
        return p
    }

    /// Writes shredded rows (one column per leaf of the shredded schema) to a partition's
    /// file, rotating it past the target size.
    func write(_ columns: [ColumnData], rows: Int, to value: String) throws(FloeError) {
        if rows == 0 { return }
        let p = partition(value)
        let kept = keptLeaves.count == columns.count ? columns : keptLeaves.map { columns[$0] }
        if p.writer == nil { p.writer = try openWriter(p) }
        guard let writer = p.writer else { return }
        pendingBytes -= writer.pendingByteCount
        try writer.write(kept, rows: rows)
        pendingBytes += writer.pendingByteCount
        rowsWritten += rows
        if writer.estimatedFileSize >= options.targetFileSize {
            try close(p)
        }
        if pendingBytes > pendingBudget { try encodeLargestPending() }
    }

    /// Has the writers holding the most rows back encode them, until the sum is half the budget.
    private func encodeLargestPending() throws(FloeError) {
        var holders = partitions.values.compactMap { $0.writer }.filter { $0.pendingByteCount > 0 }
        holders.sort { $0.pendingByteCount > $1.pendingByteCount }
        for writer in holders {
            if pendingBytes <= pendingBudget / 2 { break }
            pendingBytes -= writer.pendingByteCount
            try writer.encodePending()
            pendingBytes += writer.pendingByteCount
        }
    }

    /// Closes every writer; files appear under their names only now.
    func finish() throws(FloeError) {
        for key in partitions.keys.sorted() {
            if let p = partitions[key] { try close(p) }
        }
        if files.isEmpty && options.partitioning == nil {
            // No rows at all: still write an empty file with the schema.
            let p = partition("")
            p.writer = try openWriter(p)
            try close(p)
        }
        let ready = uncommitted
        uncommitted = []
        for file in ready { try file.commit() }
    }

    /// Stops after a failure: drops every open file (their temporary files are removed;
    /// nothing appears under a final name).
    func abandon() {
        for p in partitions.values { p.writer = nil }
        uncommitted = []
        pendingBytes = 0
    }

    private func close(_ p: Partition) throws(FloeError) {
        guard let writer = p.writer else { return }
        p.writer = nil
        pendingBytes -= writer.pendingByteCount
        let file = try writer.finish()
        if defersCommits { uncommitted.append(file) } else { try file.commit() }
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
        return try ParquetWriter(path: path, schema: fileSchema, options: writerOptions)
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
