#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeCore
import FloeColumns
import FloeParquet

/// What a query read and how long it took.
public struct ScanStats: Sendable, Equatable {
    /// Bytes read from storage: Parquet footers, bloom filters, page indexes and the column
    /// chunks or pages read (pages skipped by the page index are not read); JSON-lines input bytes
    /// (compressed size for .gz/.zst), including the schema-inference pass.
    public var bytesRead = 0
    /// Files opened.
    public var files = 0
    /// Files skipped by partition values.
    public var filesPruned = 0
    /// Row groups (or JSON batches) read.
    public var rowGroupsRead = 0
    /// Row groups skipped by statistics.
    public var rowGroupsPruned = 0
    /// Of the pruned row groups, those skipped because their bloom filter lacks the value.
    public var rowGroupsPrunedByBloomFilter = 0
    /// Row groups answered from the footer alone.
    public var rowGroupsFromFooter = 0
    /// Rows of the row groups and batches scanned (for row groups read through the page
    /// index, only the rows of the pages that can match).
    public var rowsScanned = 0
    /// Data pages read of the referenced Parquet columns (counted from the offset index, or
    /// the chunk's encoding statistics when a whole chunk is read; 0 when neither is present).
    public var pagesRead = 0
    /// Data pages of the referenced Parquet columns skipped through the page index (their
    /// rows cannot match the filter), in row groups that statistics did not skip whole.
    public var pagesPruned = 0
    /// Wall time in seconds.
    public var seconds = 0.0

    public init() {}
}

/// The answer of a query: column names and rows.
public struct QueryResult: Sendable {
    /// The output column names.
    public var columns: [String]
    /// The rows, one value per column.
    public var rows: [[SQLValue]]
    /// What the query read.
    public var stats: ScanStats
}

/// How ``QueryEngine`` runs a query.
public struct QueryOptions: Sendable {
    /// Read only this byte-range split of each input: for Parquet, the row groups whose
    /// midpoint lies in it (see ``ParquetSplits``). Not supported for JSON lines.
    public var split: InputSplit?
    /// Skip the pages a range filter excludes, by the page index (ColumnIndex/OffsetIndex).
    public var pageIndexPruning = true
    /// Row groups decoded and evaluated at once (by default the processors online).
    public var workers = Parallel.processorCount
    /// The fewest rows a part of a row group gets when a large row group is cut into row
    /// ranges for the workers: below this, cutting costs more (boundary pages and dictionaries
    /// decoded twice) than it gains.
    var minimumPartRows = 131_072

    /// The default options: all row groups, page pruning on, one worker per processor.
    public init() {}
}

/// Runs the SQL subset over Parquet and JSON-lines files:
///
/// ```swift
/// let result = try QueryEngine.run("SELECT type, count(*) FROM 'events/*.parquet' GROUP BY 1 ORDER BY 2 DESC")
/// print(result.columns, result.rows)
/// ```
public enum QueryEngine {
    /// Rows per JSON-lines batch.
    public static let jsonBatchRows = 32_768

    /// Parses and runs `sql`.
    public static func run(_ sql: String) throws(FloeError) -> QueryResult {
        try run(sql, options: QueryOptions())
    }

    /// Parses and runs `sql` with `options` (a split to read, page pruning, workers).
    public static func run(_ sql: String, options: QueryOptions) throws(FloeError) -> QueryResult {
        guard options.workers >= 1 else { throw FloeError.invalidArgument("workers must be at least 1, not \(options.workers)") }
        let start = Clock.now()
        let query = try Parser.parse(sql)
        let files: [SourceFile]
        do throws(FloeError) {
            files = try SourceResolver.resolve(query.source)
        } catch {
            throw FloeError(error.code, "\(error.message) (FROM at position \(query.sourcePosition + 1))", at: error.location)
        }
        let formats = Set(files.map(\.format))
        guard formats.count == 1, let format = formats.first else {
            throw FloeError.invalidArgument("the FROM path mixes Parquet and JSON-lines files")
        }
        var stats = ScanStats()
        let scan: ScanSource
        switch format {
        case .parquet: scan = try ParquetScan(files: files, options: options)
        case .jsonLines:
            if options.split != nil {
                throw FloeError.invalidArgument("a split (--split) applies to Parquet inputs only; the FROM path names JSON-lines files")
            }
            scan = JSONScan(files: files, query: query)
        }
        let plan = try Plan(query: query, scan: scan)
        var result = try plan.execute(&stats)
        stats.bytesRead = scan.bytesRead
        stats.seconds = Clock.now() - start
        result.stats = stats
        return result
    }
}

enum Clock {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// One unit of scanning handed to the plan: the rows of a row group or a batch of lines.
struct ScanUnit {
    var binder: SchemaBinder
    var source: LeafSource
}

/// A set of input files of one format.
protocol ScanSource: AnyObject {
    var files: [SourceFile] { get }
    /// The schema used to expand `*` and to check column names (the first file's, or the
    /// inferred union for JSON lines). `needsColumns` false lets JSON skip inference.
    func schema(needsColumns: Bool) throws(FloeError) -> SchemaBinder?
    var bytesRead: Int { get }
    /// The one type that each of `columns` takes in every file `allows` keeps, for the columns
    /// whose files disagree (keyed by ``Expr/key``); the others are absent.
    func unifiedTypes(of columns: [Expr], allows: (SourceFile) throws(FloeError) -> Bool) throws(FloeError) -> [String: SQLType]
}

extension ScanSource {
    /// Sources whose batches already share one type per column have nothing to unify.
    func unifiedTypes(of columns: [Expr], allows: (SourceFile) throws(FloeError) -> Bool) throws(FloeError) -> [String: SQLType] { [:] }
}

extension SQLType {
    /// The type values of all of `types` are read as, when a column's files disagree: integers
    /// widen to doubles and dates to timestamps (as DuckDB's `union_by_name`); any other mix is
    /// read as text. Nil when there is no disagreement (NULL columns agree with every type).
    static func unified(_ types: Set<SQLType>) -> SQLType? {
        let known = types.subtracting([.null])
        guard known.count > 1 else { return nil }
        if known.isSubset(of: [.integer, .double]) { return .double }
        if known.isSubset(of: [.date, .timestamp]) { return .timestamp }
        return .string
    }
}
