import FloeCore
import FloeCodecs
import FloeEncodings
import FloeFormat
import FloeColumns

/// Writes a Parquet file from column batches.
///
/// ```swift
/// let schema = try Schema(root: .group("schema", [
///     .leaf("id", .int64, .required),
///     .leaf("name", .byteArray, .optional, logicalType: .string),
/// ]))
/// let writer = try ParquetWriter(path: "out.parquet", schema: schema)
/// try writer.write([
///     ColumnData(values: .int64([1, 2])),
///     ColumnData(values: .byteArray(BinaryValues(["a".utf8])), definitionLevels: [1, 0]),
/// ])
/// try writer.close()
/// ```
///
/// Batches may be of any size: small ones are gathered, large ones cut, so that row groups
/// reach ``WriterOptions/rowGroupSize`` bytes (or ``WriterOptions/rowGroupRowLimit`` rows).
/// The file appears under its name only when ``close()`` succeeds.
public final class ParquetWriter {
    /// The schema being written.
    public let schema: Schema
    /// The options in force.
    public let options: WriterOptions
    private let output: AtomicFile
    private var chunks: [ColumnChunkWriter]
    private var rowGroups: [RowGroup] = []
    /// Per row group, per column: the written pages, for the page index.
    private var pageLocations: [[[PageLocationInfo]]] = []
    private var rowsInGroup = 0
    private var totalRows = 0
    private var pending: [ColumnData]?
    private var pendingRows = 0
    private var pendingBytes = 0
    /// Whether the pending buffers were given room for the rows expected before they drain.
    private var pendingReserved = false
    private var closed = false
    /// Pending batches are encoded once they hold about this many bytes (a fraction of a row
    /// group, so that row groups and files are sized closely).
    private let sliceBytes: Int

    /// Creates `path` (under a temporary name until ``close()``) for a file of `schema`.
    public init(path: String, schema: Schema, options: WriterOptions = WriterOptions()) throws(FloeError) {
        guard options.pageVersion == 1 || options.pageVersion == 2 else {
            throw FloeError.invalidArgument("page version must be 1 or 2, not \(options.pageVersion)")
        }
        guard options.rowGroupSize > 0, options.dataPageSize > 0, options.dataPageRowLimit > 0 else {
            throw FloeError.invalidArgument("row group and page sizes must be positive")
        }
        if let limit = options.rowGroupRowLimit, limit <= 0 {
            throw FloeError.invalidArgument("the row group row limit must be positive")
        }
        for leaf in schema.leaves where leaf.maxDefinitionLevel > 255 || leaf.maxRepetitionLevel > 255 {
            throw FloeError.unsupported("column \(leaf.dottedPath) is nested more than 255 levels deep")
        }
        try options.checkColumnNames(in: schema)
        self.schema = schema
        self.options = options
        self.sliceBytes = min(4 << 20, max(64 << 10, options.rowGroupSize / 4))
        var chunks: [ColumnChunkWriter] = []
        for leaf in schema.leaves { chunks.append(try ColumnChunkWriter(descriptor: leaf, options: options)) }
        self.chunks = chunks
        self.output = try AtomicFile(path: path)
        try output.write(Array("PAR1".utf8))
    }

    /// The rows written so far (including those not yet flushed to a row group).
    public var rowCount: Int { totalRows + rowsInGroup + pendingRows }

    /// Bytes written to the file so far.
    public var bytesWritten: Int { output.offset }

    /// The file's size if it were closed now: bytes written plus the open row group's pages.
    public var estimatedFileSize: Int { output.offset + chunks.reduce(0) { $0 + $1.estimatedSize } + pendingBytes / 4 }

    /// The bytes held in memory for the file: the open row group's encoded pages and the rows
    /// not yet encoded (their PLAIN size).
    public var bufferedBytes: Int { chunks.reduce(0) { $0 + $1.estimatedSize } + pendingBytes }

    /// Appends rows: one ``ColumnData`` per schema leaf, in leaf order, all with the same
    /// number of rows. Levels and values are checked against the schema.
    ///
    /// `rows`, when given, must be the batch's row count; it is what counts the rows of a
    /// schema without columns (every record an empty object, say), which has no column to
    /// count them.
    public func write(_ columns: [ColumnData], rows declared: Int? = nil) throws(FloeError) {
        guard !closed else { throw FloeError.invalidArgument("the writer is closed") }
        let counted = try validate(columns)
        if let declared {
            guard declared >= 0, columns.isEmpty || declared == counted else {
                throw FloeError.invalidArgument("the batch holds \(counted) rows, not the \(declared) declared")
            }
        }
        let rows = columns.isEmpty ? declared ?? 0 : counted
        if rows == 0 { return }
        if var p = pending {
            pending = nil
            if !pendingReserved {
                // Room for the rows expected before the next drain (a page's worth or a
                // slice's, and a batch more), so that the buffers grow once. Not for batches
                // far smaller than that (a writer among many partitions): they grow by
                // doubling, and memory is not reserved for rows that may be long in coming.
                let bytesPerRow = max(1, pendingBytes / max(1, pendingRows))
                let expected = min(max(options.dataPageRowLimit, sliceBytes / bytesPerRow), 4 * sliceBytes / bytesPerRow) + rows
                let factor = (expected + pendingRows - 1) / max(1, pendingRows)
                if factor > 1 && factor <= 16 { for i in p.indices { p[i].reserveCapacity(times: factor) } }
                pendingReserved = true
            }
            for i in p.indices { p[i].append(contentsOf: columns[i]) }
            pending = p
        } else {
            pending = columns
            pendingReserved = false
        }
        pendingRows += rows
        pendingBytes += columns.reduce(0) { $0 + $1.estimatedPlainSize }
        // A slice of at least a page's rows (see drainPending), unless the rows are so large
        // that four slices' worth of bytes hold fewer.
        if pendingBytes >= sliceBytes, pendingRows >= options.dataPageRowLimit || pendingBytes >= 4 * sliceBytes {
            try drainPending(all: false)
        }
    }

    /// The rows written but not yet encoded (held until they fill a slice of whole pages), as
    /// an estimate of their PLAIN size in bytes.
    public var pendingByteCount: Int { pendingBytes }

    /// Encodes the rows held back now, even if that ends a page short, to free their memory
    /// (a caller with many writers open keeps their sum bounded this way).
    public func encodePending() throws(FloeError) {
        guard !closed else { throw FloeError.invalidArgument("the writer is closed") }
        try drainPending(all: true)
    }

    /// Encodes the rows held back and writes the open row group now, however small, to free
    /// its memory (a caller with many writers open keeps their sum bounded this way).
    public func endRowGroup() throws(FloeError) {
        guard !closed else { throw FloeError.invalidArgument("the writer is closed") }
        try drainPending(all: true)
        if rowsInGroup > 0 { try flushRowGroup() }
    }

    /// Flushes everything, writes the footer and moves the file into place.
    public func close() throws(FloeError) {
        guard !closed else { return }
        try finish().commit()
    }

    /// Flushes everything and writes the footer, but leaves the complete file under its
    /// temporary name: the caller commits it (``AtomicFile/commit()``) or drops it (which
    /// removes it). Used when whether to keep a file is decided later.
    public func finish() throws(FloeError) -> AtomicFile {
        guard !closed else { throw FloeError.invalidArgument("the writer is closed") }
        try drainPending(all: true)
        if rowsInGroup > 0 || rowGroups.isEmpty { try flushRowGroup() }
        closed = true
        if options.pageIndex { try writePageIndex() }
        var meta = FileMetaData(version: 2, schema: schema.elements, numRows: Int64(totalRows), rowGroups: rowGroups)
        meta.createdBy = options.createdBy
        if !options.keyValueMetadata.isEmpty {
            meta.keyValueMetadata = options.keyValueMetadata.map { KeyValue(key: $0.key, value: $0.value) }
        }
        meta.columnOrders = schema.leaves.map { _ in ColumnOrder.typeDefinedOrder }
        let footer = meta.encoded()
        try output.write(footer)
        var tail = ByteWriter(capacity: 8)
        tail.appendLittleEndian(UInt32(footer.count))
        tail.append(contentsOf: Array("PAR1".utf8))
        try output.write(tail.bytes)
        return output
    }

    // MARK: - Internals

    /// Writes every column index, then every offset index, and points the chunks at them.
    private func writePageIndex() throws(FloeError) {
        for g in rowGroups.indices {
            for c in rowGroups[g].columns.indices {
                guard let index = PageIndexBuilder.columnIndex(pageLocations[g][c], descriptor: schema.leaves[c]) else { continue }
                let bytes = index.encoded()
                rowGroups[g].columns[c].columnIndexOffset = Int64(output.offset)
                rowGroups[g].columns[c].columnIndexLength = Int32(clamping: bytes.count)
                try output.write(bytes)
            }
        }
        for g in rowGroups.indices {
            for c in rowGroups[g].columns.indices {
                let bytes = PageIndexBuilder.offsetIndex(pageLocations[g][c]).encoded()
                rowGroups[g].columns[c].offsetIndexOffset = Int64(output.offset)
                rowGroups[g].columns[c].offsetIndexLength = Int32(clamping: bytes.count)
                try output.write(bytes)
            }
        }
    }

    private func validate(_ columns: [ColumnData]) throws(FloeError) -> Int {
        guard columns.count == schema.leaves.count else {
            throw FloeError.invalidArgument("got \(columns.count) columns for a schema of \(schema.leaves.count) leaves")
        }
        var rows: Int?
        for (leaf, data) in zip(schema.leaves, columns) {
            try data.validate(against: leaf)
            let n = data.rowCount(maxRepetitionLevel: leaf.maxRepetitionLevel)
            if let r = rows, r != n {
                throw FloeError.invalidArgument("column \(leaf.dottedPath) has \(n) rows, the first column \(r)")
            }
            rows = n
        }
        return rows ?? 0
    }

    /// Encodes the pending rows in slices, closing row groups as they fill.
    ///
    /// A slice ends the pages it fills, so slices end on page boundaries of the row group
    /// (multiples of the page row limit) where they can: unless `all`, the rows past the last
    /// boundary stay pending (copied) to start the next slice's page, rather than ending in a
    /// short page of their own: short pages compress worse (4 MiB slices of the flights data
    /// ended pages of 7,413 and 13,152 rows besides the 20,000-row ones).
    private func drainPending(all: Bool) throws(FloeError) {
        guard let batch = pending else { return }
        pending = nil
        let rowLimit = max(1, options.dataPageRowLimit)
        let total = pendingRows
        let bytesPerRow = max(1, pendingBytes / max(total, 1))
        pendingRows = 0
        pendingBytes = 0
        var cursors = [ColumnCursor](repeating: ColumnCursor(), count: batch.count)
        var done = 0
        while done < total {
            // Slices never exceed the room left in the row group, so groups stay near their size.
            let room = max(1, options.rowGroupSize - chunks.reduce(0) { $0 + $1.estimatedSize })
            let remaining = total - done
            var take = min(remaining, max(1, min(sliceBytes, room) / bytesPerRow))
            if let limit = options.rowGroupRowLimit { take = min(take, limit - rowsInGroup) }
            let endsGroup = options.rowGroupRowLimit.map { rowsInGroup + take >= $0 } ?? false
            if !endsGroup, take < remaining || !all, room / bytesPerRow >= rowLimit {
                // End on a page boundary of the row group (at least the next one): the rows
                // short of it wait for the next slice, unless these are the last rows.
                var end = (rowsInGroup + take) / rowLimit * rowLimit
                if end <= rowsInGroup { end = (rowsInGroup / rowLimit + 1) * rowLimit }
                if end - rowsInGroup <= remaining {
                    take = end - rowsInGroup
                    if let limit = options.rowGroupRowLimit { take = min(take, limit - rowsInGroup) }
                } else if !all && done > 0 {
                    break
                }
            }
            var slices: [(entries: Range<Int>, values: Range<Int>)] = []
            slices.reserveCapacity(batch.count)
            for i in batch.indices { slices.append(cursors[i].advance(rows: take, in: batch[i], leaf: schema.leaves[i])) }
            try forEachChunk { (i: Int, chunk: inout ColumnChunkWriter) throws(FloeError) in
                try chunk.append(batch[i], entries: slices[i].entries, values: slices[i].values)
            }
            done += take
            rowsInGroup += take
            let size = chunks.reduce(0) { $0 + $1.estimatedSize }
            if size >= options.rowGroupSize || rowsInGroup == options.rowGroupRowLimit { try flushRowGroup() }
        }
        let kept = total - done
        if kept > 0 {
            var rest: [ColumnData] = []
            rest.reserveCapacity(batch.count)
            for i in batch.indices {
                let (entries, values) = cursors[i].advance(rows: kept, in: batch[i], leaf: schema.leaves[i])
                rest.append(batch[i].copy(entries: entries, values: values))
            }
            pending = rest
            pendingReserved = false
            pendingRows = kept
            pendingBytes = rest.reduce(0) { $0 + $1.estimatedPlainSize }
        }
    }

    /// Runs `body` on every column chunk writer, on ``WriterOptions/encodingThreads`` threads
    /// (each chunk on one thread at a time); rethrows the failure of the lowest column.
    private func forEachChunk(_ body: (Int, inout ColumnChunkWriter) throws(FloeError) -> Void) throws(FloeError) {
        let threads = min(options.encodingThreads, chunks.count)
        if threads <= 1 {
            for i in chunks.indices { try body(i, &chunks[i]) }
            return
        }
        var failure: FloeError?
        chunks.withUnsafeMutableBufferPointer { writers in
            let shared = SharedWriters(writers)
            let outcomes = Parallel.map(count: shared.buffer.count, workers: threads) { (i: Int) throws(FloeError) in
                try body(i, &shared.buffer[i])
            }
            for case .failure(let error) in outcomes { failure = error; break }
        }
        if let failure { throw failure }
    }

    /// Writes the current row group's chunks and records its metadata.
    private func flushRowGroup() throws(FloeError) {
        let start = output.offset
        var columns: [ColumnChunk] = []
        var locations: [[PageLocationInfo]] = []
        var totalUncompressed: Int64 = 0
        // Encode the chunks' last pages (in parallel), then write them in column order.
        var finished = [FinishedChunk?](repeating: nil, count: chunks.count)
        try finished.withMutableBuffer { (out: UnsafeMutableBufferPointer<FinishedChunk?>) throws(FloeError) in
            let results = UnsafeSendableBox(out)
            try forEachChunk { (i: Int, chunk: inout ColumnChunkWriter) throws(FloeError) in
                results.value[i] = try chunk.finish()
            }
        }
        for i in chunks.indices {
            let offset = output.offset
            guard let chunk = finished[i] else { throw FloeError.invalidArgument("column chunk \(i) was not finished") }
            finished[i] = nil
            var meta = chunk.meta, pages = chunk.pages
            ColumnChunkWriter.place(&meta, &pages, at: offset)
            locations.append(pages)
            for piece in chunk.pieces { try output.write(piece) }
            if let filter = chunks[i].bloomFilterBytes() {
                meta.bloomFilterOffset = Int64(output.offset)
                meta.bloomFilterLength = Int32(clamping: filter.count)
                try output.write(filter)
            }
            totalUncompressed += meta.totalUncompressedSize
            columns.append(ColumnChunk(fileOffset: Int64(offset), metaData: meta))
            chunks[i] = try ColumnChunkWriter(descriptor: schema.leaves[i], options: options)
        }
        var group = RowGroup(columns: columns, totalByteSize: totalUncompressed, numRows: Int64(rowsInGroup))
        group.fileOffset = Int64(start)
        group.totalCompressedSize = Int64(output.offset - start)
        group.ordinal = Int16(truncatingIfNeeded: rowGroups.count)
        rowGroups.append(group)
        pageLocations.append(locations)
        totalRows += rowsInGroup
        rowsInGroup = 0
    }
}

/// The position reached in one column of a batch: level entries and values consumed.
struct ColumnCursor {
    var entry = 0
    var value = 0

    /// Moves past the next `rows` rows; returns the entry and value ranges they cover.
    mutating func advance(rows: Int, in data: ColumnData, leaf: ColumnDescriptor) -> (Range<Int>, Range<Int>) {
        let e0 = entry, v0 = value
        let entries = data.entryCount
        if leaf.maxRepetitionLevel == 0 {
            entry = min(entries, entry + rows)
        } else {
            var seen = 0
            while entry < entries {
                if data.repetitionLevels[entry] == 0 {
                    if seen == rows { break }
                    seen += 1
                }
                entry += 1
            }
        }
        if leaf.maxDefinitionLevel == 0 {
            value = entry
        } else {
            let top = UInt8(truncatingIfNeeded: leaf.maxDefinitionLevel)
            let n = data.definitionLevels.withUnsafeBufferPointer { levels in
                ColumnData.count(of: top, in: UnsafeBufferPointer(rebasing: levels[e0..<entry]))
            }
            value += n
        }
        return (e0..<entry, v0..<value)
    }
}

/// The column chunk writers, shared with the threads of ``ParquetWriter``'s parallel encoding:
/// each thread works on distinct elements, and the buffer outlives them.
private struct SharedWriters: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<ColumnChunkWriter>
    init(_ buffer: UnsafeMutableBufferPointer<ColumnChunkWriter>) { self.buffer = buffer }
}

/// A buffer written at distinct indices by several threads.
private struct UnsafeSendableBox<T>: @unchecked Sendable {
    let value: UnsafeMutableBufferPointer<T>
    init(_ value: UnsafeMutableBufferPointer<T>) { self.value = value }
}
