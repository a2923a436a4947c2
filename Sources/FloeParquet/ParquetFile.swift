import FloeCore
import FloeFormat
import FloeColumns

/// Limits that bound what an untrusted file can make the reader allocate.
public struct ReaderLimits: Sendable {
    /// The largest footer accepted, in bytes.
    public var maxFooterSize: Int = 256 << 20
    /// The largest uncompressed page accepted, in bytes.
    public var maxPageSize: Int = 1 << 30
    /// Check the CRC-32 of every page that carries one (turn off for speed).
    public var verifyChecksums: Bool = true
    /// Creates the default limits.
    public init() {}
}

/// An open Parquet file: its footer, schema and row groups, and the means to read column chunks.
///
/// ```swift
/// let file = try ParquetFile(path: "events.parquet")
/// print(file.schema.leaves.map(\.dottedPath), file.numRows)
/// let ids = try file.readColumn(rowGroup: 0, column: 0)
/// ```
public final class ParquetFile: @unchecked Sendable {
    /// The file being read.
    public let file: RandomAccessFile
    /// The decoded footer.
    public let metadata: FileMetaData
    /// The validated schema.
    public let schema: Schema
    /// The limits in force.
    public let limits: ReaderLimits
    /// The byte offset where the footer starts.
    public let footerOffset: Int

    /// The path as given.
    public var path: String { file.path }
    /// The total number of rows.
    public var numRows: Int { Int(metadata.numRows) }
    /// The number of row groups.
    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// Opens and validates a Parquet file: magic bytes, footer, schema and column chunk ranges.
    public init(path: String, limits: ReaderLimits = ReaderLimits()) throws(FloeError) {
        let file = try RandomAccessFile(path: path)
        self.file = file
        self.limits = limits
        let location = Location(file: path)
        do throws(FloeError) {
            let (footer, footerOffset) = try ParquetFile.footerBytes(file, limits: limits)
            self.footerOffset = footerOffset
            let metadata = try FileMetaData(decoding: footer, baseOffset: footerOffset)
            if metadata.encryptionAlgorithm != nil {
                throw FloeError.unsupported("encrypted files are not supported (plaintext footer with encrypted columns)")
            }
            self.metadata = metadata
            self.schema = try Schema(elements: metadata.schema)
            try ParquetFile.validate(metadata, schema: schema, dataEnd: footerOffset)
        } catch {
            throw error.at(location)
        }
    }

    /// The row counts of a file's row groups from its footer alone, without decoding the schema
    /// or the column chunks (the footer is still walked in full, and its magic bytes, length
    /// and counts checked): what `count(*)` needs. Also returns the bytes read.
    public static func rowCounts(path: String, limits: ReaderLimits = ReaderLimits()) throws(FloeError) -> (counts: FileRowCounts, bytesRead: Int) {
        let file = try RandomAccessFile(path: path)
        do throws(FloeError) {
            let (footer, footerOffset) = try footerBytes(file, limits: limits)
            let counts = try FileRowCounts.decode(footer, baseOffset: footerOffset)
            if counts.isEncrypted {
                throw FloeError.unsupported("encrypted files are not supported (plaintext footer with encrypted columns)")
            }
            guard counts.numRows >= 0 else { throw FloeError.corrupt("negative row count \(counts.numRows)") }
            var total: Int64 = 0
            for (g, rows) in counts.rowGroups.enumerated() {
                guard rows >= 0 else { throw FloeError(.corrupt, "negative row count \(rows)", at: Location(rowGroup: g)) }
                total &+= rows
            }
            guard total == counts.numRows else {
                throw FloeError.corrupt("row groups hold \(total) rows but the footer says \(counts.numRows)")
            }
            return (counts, file.bytesRead)
        } catch {
            throw error.at(Location(file: path))
        }
    }

    /// Checks the magic bytes and the footer length, and reads the footer.
    private static func footerBytes(_ file: RandomAccessFile, limits: ReaderLimits) throws(FloeError) -> (bytes: [UInt8], offset: Int) {
        guard file.size >= 12 else {
            throw FloeError(.corrupt, "file of \(file.size) bytes is too small to be Parquet (needs at least 12)")
        }
        let head = try file.read(offset: 0, count: 4)
        let tail = try file.read(offset: file.size - 8, count: 8)
        let magic = Array(tail[4..<8])
        if magic == Array("PARE".utf8) {
            throw FloeError.unsupported("encrypted files are not supported (encrypted footer, magic PARE)")
        }
        guard magic == Array("PAR1".utf8) else {
            throw FloeError(.corrupt, "missing PAR1 magic at the end of the file", at: Location(offset: file.size - 4))
        }
        guard head == Array("PAR1".utf8) else {
            throw FloeError(.corrupt, "missing PAR1 magic at the start of the file", at: Location(offset: 0))
        }
        let footerLength = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLength > 0, footerLength <= file.size - 12 else {
            throw FloeError(.corrupt, "footer length \(footerLength) does not fit in a file of \(file.size) bytes",
                            at: Location(offset: file.size - 8))
        }
        guard footerLength <= limits.maxFooterSize else {
            throw FloeError(.limitExceeded, "footer of \(footerLength) bytes exceeds the limit of \(limits.maxFooterSize)")
        }
        let footerOffset = file.size - 8 - footerLength
        return (try file.read(offset: footerOffset, count: footerLength), footerOffset)
    }

    /// Checks the row groups against the schema and the file: one chunk per leaf, types that
    /// match, byte ranges inside the data area, non-negative counts.
    static func validate(_ metadata: FileMetaData, schema: Schema, dataEnd: Int) throws(FloeError) {
        guard metadata.numRows >= 0 else { throw FloeError.corrupt("negative row count \(metadata.numRows)") }
        var total: Int64 = 0
        for (g, rowGroup) in metadata.rowGroups.enumerated() {
            let where_ = Location(rowGroup: g)
            guard rowGroup.numRows >= 0 else {
                throw FloeError(.corrupt, "negative row count \(rowGroup.numRows)", at: where_)
            }
            total &+= rowGroup.numRows
            guard rowGroup.columns.count == schema.leaves.count else {
                throw FloeError(.corrupt, "row group has \(rowGroup.columns.count) column chunks but the schema has \(schema.leaves.count) leaves", at: where_)
            }
            for (c, chunk) in rowGroup.columns.enumerated() {
                let leaf = schema.leaves[c]
                // Named only when something is wrong (building the name for every chunk costs).
                var at: Location { Location(rowGroup: g, column: leaf.dottedPath) }
                if chunk.isEncrypted {
                    throw FloeError.unsupported("encrypted files are not supported (encrypted column chunk)").at(at)
                }
                if chunk.filePath != nil {
                    throw FloeError.unsupported("column chunks in external files").at(at)
                }
                guard let meta = chunk.metaData else {
                    throw FloeError(.corrupt, "column chunk has no metadata", at: at)
                }
                guard meta.type == leaf.physicalType else {
                    throw FloeError(.corrupt, "column chunk type \(meta.type) differs from the schema's \(leaf.physicalType)", at: at)
                }
                guard meta.numValues >= 0, meta.totalCompressedSize >= 0, meta.totalUncompressedSize >= 0 else {
                    throw FloeError(.corrupt, "column chunk has negative sizes or counts", at: at)
                }
                if meta.numValues == 0 { continue }
                let range = chunkRange(meta)
                guard range.start >= 4, range.start <= dataEnd, range.length <= dataEnd - range.start else {
                    throw FloeError(.corrupt, "column chunk bytes \(range.start)+\(range.length) lie outside the data area 4..<\(dataEnd)", at: at)
                }
            }
        }
        guard total == metadata.numRows else {
            throw FloeError.corrupt("row groups hold \(total) rows but the footer says \(metadata.numRows)")
        }
    }

    /// Where a column chunk's pages start and how many bytes they take. A dictionary page offset
    /// of 0 (written by buggy writers) is ignored: the dictionary then sits at the data page offset.
    static func chunkRange(_ meta: ColumnMetaData) -> (start: Int, length: Int) {
        var start = Int(meta.dataPageOffset)
        if let dict = meta.dictionaryPageOffset, dict > 0, dict < meta.dataPageOffset { start = Int(dict) }
        return (start, Int(clamping: meta.totalCompressedSize))
    }

    /// parquet-mr before 1.2.9 left the dictionary page header out of a chunk's
    /// `total_compressed_size`; chunks of such files are read with up to 100 extra bytes, as
    /// other readers do.
    var writerUndercountsChunkSizes: Bool {
        guard let createdBy = metadata.createdBy, createdBy.hasPrefix("parquet-mr") else { return false }
        let parts = createdBy.split(separator: " ")
        guard parts.count >= 3, parts[1] == "version" else { return true }
        let numbers = parts[2].split(whereSeparator: { !$0.isNumber }).prefix(3).compactMap { Int($0) }
        return numbers.lexicographicallyPrecedes([1, 2, 9])
    }

    /// The bytes to read for a column chunk: its declared range, padded for writers known to
    /// under-count it.
    func readRange(_ meta: ColumnMetaData) -> (start: Int, length: Int) {
        var range = ParquetFile.chunkRange(meta)
        if writerUndercountsChunkSizes { range.length = min(range.length + 100, footerOffset - range.start) }
        return range
    }

    /// The key-value metadata of the file as pairs (a key without a value maps to nil).
    public var keyValueMetadata: [(key: String, value: String?)] {
        (metadata.keyValueMetadata ?? []).map { ($0.key, $0.value) }
    }

    /// The number of rows of row group `index`.
    public func rowCount(ofRowGroup index: Int) -> Int {
        guard index >= 0, index < metadata.rowGroups.count else { return 0 }
        return Int(metadata.rowGroups[index].numRows)
    }

    /// Reads one column chunk and decodes all its pages.
    public func readColumn(rowGroup: Int, column: Int) throws(FloeError) -> ColumnData {
        try readColumn(rowGroup: rowGroup, column: column, from: file)
    }

    /// Reads one column chunk through `source`, another handle on this file's path, and decodes
    /// all its pages. Concurrent readers each use their own handle, so each counts its own bytes.
    public func readColumn(rowGroup: Int, column: Int, from source: RandomAccessFile) throws(FloeError) -> ColumnData {
        try readColumn(rowGroup: rowGroup, column: column, from: source, keepingCodes: false).data
    }

    /// Reads one BYTE_ARRAY column chunk leaving its values dictionary-encoded when every data
    /// page is: the levels (the data's values are then empty) and the dictionary codes. When a
    /// page is in another encoding, the codes are nil and the data holds the values.
    public func readColumnKeepingCodes(rowGroup: Int, column: Int,
                                       from source: RandomAccessFile) throws(FloeError) -> (data: ColumnData, codes: DictionaryCodes?) {
        try readColumn(rowGroup: rowGroup, column: column, from: source, keepingCodes: true)
    }

    private func readColumn(rowGroup: Int, column: Int, from source: RandomAccessFile,
                            keepingCodes: Bool) throws(FloeError) -> (data: ColumnData, codes: DictionaryCodes?) {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count else {
            throw FloeError.invalidArgument("row group \(rowGroup) does not exist (the file has \(metadata.rowGroups.count))")
        }
        guard column >= 0, column < schema.leaves.count else {
            throw FloeError.invalidArgument("column \(column) does not exist (the schema has \(schema.leaves.count) leaves)")
        }
        let leaf = schema.leaves[column]
        let location = Location(file: path, rowGroup: rowGroup, column: leaf.dottedPath)
        do throws(FloeError) {
            let chunk = metadata.rowGroups[rowGroup].columns[column]
            guard let meta = chunk.metaData else { throw FloeError.corrupt("column chunk has no metadata") }
            if meta.numValues == 0 {
                let rows = rowCount(ofRowGroup: rowGroup)
                guard rows == 0 else { throw FloeError.corrupt("column chunk holds no values but the row group has \(rows) rows") }
                return (ColumnData(emptyFor: leaf), nil)
            }
            let range = readRange(meta)
            let bytes = try source.read(offset: range.start, count: range.length)
            var decoder = ColumnChunkDecoder(descriptor: leaf, metadata: meta, rowCount: rowCount(ofRowGroup: rowGroup),
                                             limits: limits)
            decoder.keepsCodes = keepingCodes && leaf.physicalType == .byteArray
            let data = try decoder.decode(chunk: bytes, baseOffset: range.start)
            return (data, decoder.takeCodes())
        } catch {
            throw error.at(location)
        }
    }

    /// Reads the given columns (all when nil) of one row group.
    public func readRowGroup(_ rowGroup: Int, columns: [Int]? = nil) throws(FloeError) -> [ColumnData] {
        let indices = columns ?? Array(schema.leaves.indices)
        var out: [ColumnData] = []
        out.reserveCapacity(indices.count)
        for c in indices { out.append(try readColumn(rowGroup: rowGroup, column: c)) }
        return out
    }
}
