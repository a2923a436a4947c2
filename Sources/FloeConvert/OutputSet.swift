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
        /// When the partition was last written (a tick of ``OutputSet``'s clock).
        var lastUse = 0
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
    /// The bytes the open writers hold in memory (see ``ParquetWriter/bufferedBytes``).
    private(set) var bufferedBytes = 0
    /// The most ``bufferedBytes`` may reach before the largest write their row groups out.
    let bufferBudget: Int
    /// The writers open now (at most ``ConvertOptions/maxOpenFiles``).
    private(set) var openCount = 0
    /// The most writers open at once.
    let maxOpenFiles: Int
    private var clock = 0

    init(output: String, singleFile: Bool, schema: Schema, options: ConvertOptions,
         defersCommits: Bool = false) throws(FloeError) {
        self.output = output
        self.defersCommits = defersCommits
        self.singleFile = singleFile
        self.shredSchema = schema
        self.options = options
        self.writerOptions = options.effectiveWriterOptions
        self.pendingBudget = max(1 << 20, 2 * options.batchBytes)
        self.bufferBudget = max(options.bufferBudget, 2 * options.writer.rowGroupSize)
        self.maxOpenFiles = max(1, options.maxOpenFiles ?? (FileSystem.raiseOpenFileLimit() - 64))
        if let spec = options.partitioning, spec.dropsColumn {
            let kept = schema.root.children.filter { $0.name != spec.column }
            fileSchema = try Schema(root: .group(schema.root.name, kept))
            keptLeaves = schema.leaves.indices.filter { schema.leaves[$0].path.first != spec.column }
        } else {
            fileSchema = schema
            keptLeaves = Array(schema.leaves.indices)
        }
        try writerOptions.checkColumnNames(in: fileSchema)
        if !singleFile {
            try makeDirectory(output)
        } else if let slash = output.lastIndex(of: "/"), slash != output.startIndex {
            try makeDirectory(String(output[..<slash]))
        }
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
        clock += 1
        p.lastUse = clock
        if p.writer == nil {
            if openCount >= maxOpenFiles { try closeLeastRecentlyUsed() }
            p.writer = try openWriter(p)
        }
        guard let writer = p.writer else { return }
        try account(writer) { () throws(FloeError) in try writer.write(kept, rows: rows) }
        rowsWritten += rows
        if writer.estimatedFileSize >= options.targetFileSize {
            try close(p)
        }
        if pendingBytes > pendingBudget { try encodeLargestPending() }
        if bufferedBytes > bufferBudget { try endLargestRowGroups() }
    }

    /// Runs `body` on `writer`, keeping ``pendingBytes`` and ``bufferedBytes`` up to date.
    private func account(_ writer: ParquetWriter, _ body: () throws(FloeError) -> Void) throws(FloeError) {
        pendingBytes -= writer.pendingByteCount
        bufferedBytes -= writer.bufferedBytes
        defer {
            pendingBytes += writer.pendingByteCount
            bufferedBytes += writer.bufferedBytes
        }
        try body()
    }

    /// Completes the file of the partition written least recently (to stay within the open
    /// file limit).
    private func closeLeastRecentlyUsed() throws(FloeError) {
        var oldest: Partition?
        for p in partitions.values where p.writer != nil {
            if oldest.map({ p.lastUse < $0.lastUse }) ?? true { oldest = p }
        }
        if let oldest { try close(oldest) }
    }

    /// Has the writers holding the most in memory write out their row groups, until the sum is
    /// half the budget.
    private func endLargestRowGroups() throws(FloeError) {
        var holders = partitions.values.compactMap { $0.writer }
        holders.sort { $0.bufferedBytes > $1.bufferedBytes }
        for writer in holders {
            if bufferedBytes <= bufferBudget / 2 { break }
            try account(writer) { () throws(FloeError) in try writer.endRowGroup() }
        }
    }

    /// Has the writers holding the most rows back encode them, until the sum is half the budget.
    private func encodeLargestPending() throws(FloeError) {
        var holders = partitions.values.compactMap { $0.writer }.filter { $0.pendingByteCount > 0 }
        holders.sort { $0.pendingByteCount > $1.pendingByteCount }
        for writer in holders {
            if pendingBytes <= pendingBudget / 2 { break }
            try account(writer) { () throws(FloeError) in try writer.encodePending() }
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
        bufferedBytes = 0
        openCount = 0
    }

    private func close(_ p: Partition) throws(FloeError) {
        guard let writer = p.writer else { return }
        p.writer = nil
        openCount -= 1
        pendingBytes -= writer.pendingByteCount
        bufferedBytes -= writer.bufferedBytes
        let file = try writer.finish()
        if defersCommits {
            try file.seal()  // its descriptor is not kept open while it waits
            uncommitted.append(file)
        } else {
            try file.commit()
        }
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
        openCount += 1
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
