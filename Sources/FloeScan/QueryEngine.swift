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
    /// Bytes read from storage: Parquet footers and column chunks; JSON-lines input bytes
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
    /// Rows of the row groups and batches scanned.
    public var rowsScanned = 0
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
        case .parquet: scan = try ParquetScan(files: files)
        case .jsonLines: scan = JSONScan(files: files, query: query)
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
}
