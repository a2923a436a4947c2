import FloeCore
import FloeFormat
import FloeColumns

/// Checks a Parquet file from its magic bytes down to every value, and reports everything it
/// finds instead of stopping at the first problem.
///
/// ```swift
/// let report = FileVerifier(options: VerifyOptions(deep: true)).verify(path: "events.parquet")
/// for finding in report.findings { print(finding) }
/// print(report.verdict)   // OK, CORRUPT, UNSUPPORTED or UNREADABLE
/// ```
///
/// The checks, in order: the file opens; `PAR1` at both ends; the footer length fits the file;
/// the footer decodes as Thrift `FileMetaData`; the schema is consistent (counts, types,
/// annotations, levels); every column chunk has metadata matching its leaf, a byte range
/// inside the data area that overlaps no other chunk; row group row counts add up to the
/// footer's; every page header decodes and the pages tile the chunk exactly; page value counts
/// add up to the chunk's; page CRC-32s match; every page decompresses and every level, index
/// and value decodes (the decoder checks levels against the schema and dictionary indices
/// against the dictionary); data page v2 row and null counts match the levels. With
/// ``VerifyOptions/deep`` also: chunk and page statistics bound the decoded values and count
/// their nulls; the offset index locates every page and its first row; the column index
/// bounds and counts every page, and its boundary order holds; the bloom filter holds every
/// value.
///
/// Problems in one column chunk do not stop the others from being checked; a chunk stops
/// being decoded at its first fatal problem.
public struct FileVerifier: Sendable {
    /// The options in force.
    public let options: VerifyOptions

    /// Creates a verifier.
    public init(options: VerifyOptions = VerifyOptions()) {
        self.options = options
    }

    /// Verifies one file. Never throws: every failure, including an unreadable file, becomes a
    /// finding of the report.
    public func verify(path: String) -> VerificationReport {
        let clock = ContinuousClock()
        let start = clock.now
        var run = VerificationRun(path: path, options: options)
        if run.prepare() {
            for i in run.plans.indices { run.checkChunk(i) }
        }
        var report = run.report()
        report.duration = start.duration(to: clock.now)
        return report
    }

    /// Verifies one file, checking up to `concurrency` column chunks at once (each task reads
    /// the file through its own handle). The findings are the same, in the same order, as
    /// ``verify(path:)`` gives.
    public func verify(path: String, concurrency: Int) async -> VerificationReport {
        guard concurrency > 1 else { return verify(path: path) }
        let clock = ContinuousClock()
        let start = clock.now
        var run = VerificationRun(path: path, options: options)
        if run.prepare() {
            let prepared = run
            var results = [(sink: FindingSink, bytes: Int)?](repeating: nil, count: prepared.plans.count)
            await withTaskGroup(of: (Int, FindingSink, Int).self) { group in
                var next = 0
                func start(_ i: Int) {
                    group.addTask {
                        var sink = FindingSink(path: prepared.path, limit: prepared.options.maxFindings)
                        let bytes = prepared.checkChunk(i, into: &sink)
                        return (i, sink, bytes)
                    }
                }
                while next < min(concurrency, prepared.plans.count) { start(next); next += 1 }
                for await (i, sink, bytes) in group {
                    results[i] = (sink, bytes)
                    if next < prepared.plans.count { start(next); next += 1 }
                }
            }
            for case let (sink, bytes)? in results {
                run.sink.append(sink)
                run.extraBytes += bytes
            }
        }
        var report = run.report()
        report.duration = start.duration(to: clock.now)
        return report
    }
}

/// A column chunk whose metadata passed the structural checks, ready to be read.
struct ChunkPlan: Sendable {
    let rowGroup: Int
    let column: Int
    let leaf: ColumnDescriptor
    let chunk: ColumnChunk
    let meta: ColumnMetaData
    let rowCount: Int
    /// The chunk's first byte in the file and its length (as the metadata says).
    let start: Int
    let length: Int

    var location: Location { Location(rowGroup: rowGroup, column: leaf.dottedPath) }
}

/// The state of one verification: what has been learnt about the file so far.
struct VerificationRun: Sendable {
    let path: String
    let options: VerifyOptions
    var sink: FindingSink
    var file: RandomAccessFile?
    var metadata: FileMetaData?
    var schema: Schema?
    var footerOffset = 0
    var plans: [ChunkPlan] = []
    /// True when parquet-mr before 1.2.9 wrote the file (chunk sizes miss the dictionary header).
    var undercountsChunkSizes = false
    /// Bytes read through other file handles (by concurrent chunk checks).
    var extraBytes = 0

    init(path: String, options: VerifyOptions) {
        self.path = path
        self.options = options
        self.sink = FindingSink(path: path, limit: options.maxFindings)
    }

    var limits: ReaderLimits {
        var l = options.limits
        l.verifyChecksums = options.verifyChecksums
        return l
    }

    func report() -> VerificationReport {
        VerificationReport(path: path, size: file?.size ?? 0, rows: Int(metadata?.numRows ?? 0),
                           rowGroups: metadata?.rowGroups.count ?? 0, columns: schema?.leaves.count ?? 0,
                           bytesChecked: (file?.bytesRead ?? 0) + extraBytes, findings: sink.findings,
                           omittedFindings: sink.omitted)
    }

    /// Runs the file-level checks (envelope, footer, schema, structure) and lists the column
    /// chunks to check; false when there is nothing more to check.
    mutating func prepare() -> Bool {
        do {
            file = try RandomAccessFile(path: path)
        } catch {
            sink.error(error)
            return false
        }
        guard let file else { return false }
        guard let footerLength = checkEnvelope(file) else { return false }
        guard decodeFooter(file, length: footerLength) else { return false }
        guard let metadata, let schema else { return false }
        checkSchema(schema)
        checkStructure(metadata, schema: schema)
        crossCheckWithReader()
        return !plans.isEmpty
    }

    /// Checks column chunk `i` of ``plans`` through the shared file handle.
    mutating func checkChunk(_ i: Int) {
        guard let file else { return }
        var chunk = chunkVerifier(i, file: file)
        chunk.run(into: &sink)
    }

    /// Checks column chunk `i` through a file handle of its own; returns the bytes it read.
    func checkChunk(_ i: Int, into sink: inout FindingSink) -> Int {
        let own: RandomAccessFile
        do {
            own = try RandomAccessFile(path: path)
        } catch {
            sink.error(error, context: plans[i].location)
            return 0
        }
        var chunk = chunkVerifier(i, file: own)
        chunk.run(into: &sink)
        return own.bytesRead
    }

    private func chunkVerifier(_ i: Int, file: RandomAccessFile) -> ChunkVerifier {
        let plan = plans[i]
        return ChunkVerifier(plan: plan, options: options, limits: limits, file: file, footerOffset: footerOffset,
                             undercounts: undercountsChunkSizes, columnOrder: columnOrder(plan.column))
    }

    // MARK: - Envelope and footer

    /// Checks the magic bytes and the footer length; returns the footer length when the footer
    /// can be located.
    mutating func checkEnvelope(_ file: RandomAccessFile) -> Int? {
        guard file.size >= 12 else {
            sink.error(.corrupt, "file of \(file.size) bytes is too small to be Parquet (needs at least 12: two magic numbers and the footer length)",
                       at: Location(offset: 0))
            return nil
        }
        let head: [UInt8], tail: [UInt8]
        do {
            head = try file.read(offset: 0, count: 4)
            tail = try file.read(offset: file.size - 8, count: 8)
        } catch {
            sink.error(error)
            return nil
        }
        let magic = Array(tail[4..<8])
        if magic == Array("PARE".utf8) {
            sink.error(.unsupported, "not supported: encrypted files (encrypted footer, magic PARE)", at: Location(offset: file.size - 4))
            return nil
        }
        if head != Array("PAR1".utf8) {
            sink.error(.corrupt, "missing PAR1 magic at the start of the file (found \(describeMagic(head)))", at: Location(offset: 0))
        }
        guard magic == Array("PAR1".utf8) else {
            sink.error(.corrupt, "missing PAR1 magic at the end of the file (found \(describeMagic(magic)))",
                       at: Location(offset: file.size - 4))
            return nil
        }
        let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard length > 0, length <= file.size - 12 else {
            sink.error(.corrupt, "footer length \(length) does not fit in a file of \(file.size) bytes (at most \(file.size - 12))",
                       at: Location(offset: file.size - 8))
            return nil
        }
        guard length <= options.limits.maxFooterSize else {
            sink.error(.limitExceeded, "footer of \(length) bytes exceeds the limit of \(options.limits.maxFooterSize)",
                       at: Location(offset: file.size - 8))
            return nil
        }
        return length
    }

    /// Decodes the footer and the schema; false when either fails (nothing more can be checked).
    mutating func decodeFooter(_ file: RandomAccessFile, length: Int) -> Bool {
        footerOffset = file.size - 8 - length
        let bytes: [UInt8]
        do {
            bytes = try file.read(offset: footerOffset, count: length)
        } catch {
            sink.error(error)
            return false
        }
        let decoded: (value: FileMetaData, length: Int)
        do {
            decoded = try FileMetaData.decode(bytes, baseOffset: footerOffset)
        } catch {
            sink.error(.corrupt, "the footer does not decode as FileMetaData: \(error.message)",
                       at: error.location.merged(into: Location(offset: footerOffset)))
            return false
        }
        metadata = decoded.value
        if decoded.value.encryptionAlgorithm != nil {
            sink.error(.unsupported, "not supported: encrypted files (plaintext footer with encrypted columns)",
                       at: Location(offset: footerOffset))
            return false
        }
        // (A signed plaintext footer is followed by its 28-byte signature: handled above.)
        if decoded.length < length {
            sink.warning(.corrupt, "\(length - decoded.length) bytes follow the FileMetaData inside the footer",
                         at: Location(offset: footerOffset + decoded.length))
        }
        if let problem = SchemaRules.treeProblem(decoded.value.schema) {
            sink.error(.corrupt, "the schema is invalid: \(problem)", at: Location(offset: footerOffset))
            return false
        }
        do {
            schema = try Schema(elements: decoded.value.schema)
        } catch {
            sink.error(.corrupt, "the schema is invalid: \(error.message)",
                       at: error.location.merged(into: Location(offset: footerOffset)))
            return false
        }
        return true
    }

    private func describeMagic(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return "\"" + String(decoding: bytes, as: UTF8.self) + "\"" }
        return bytes.map { b in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined(separator: " ")
    }

    /// The column order the footer declares for leaf `column`, if any.
    func columnOrder(_ column: Int) -> ColumnOrder? {
        guard let orders = metadata?.columnOrders, column < orders.count else { return nil }
        return orders[column]
    }

    /// Opens the file with ``ParquetFile`` too: anything its validation refuses that the checks
    /// above did not report becomes a finding, so `verify` never passes a file the reader refuses.
    mutating func crossCheckWithReader() {
        guard sink.errorCount == 0 else { return }
        do {
            let parquet = try ParquetFile(path: path, limits: limits)
            undercountsChunkSizes = parquet.writerUndercountsChunkSizes
        } catch {
            sink.error(error)
            plans = []
        }
    }
}
