import ArgumentParser
import Floe

/// `floe query`: run SQL over Parquet or JSON-lines files.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a SQL query over Parquet or JSON-lines files (FROM 'path', a glob or a directory).")

    enum Format: String, ExpressibleByArgument { case table, csv, jsonl }

    @Argument(help: "The query, e.g. \"SELECT type, count(*) FROM 'events.parquet' GROUP BY 1 ORDER BY 2 DESC\".")
    var sql: String
    @Option(help: "Output format: table, csv or jsonl.") var format: Format = .table
    @Flag(help: "Print bytes read, files, row groups, pages and time to stderr.") var stats = false
    @Option(help: "Read only the row groups of this byte-range split of each Parquet file, START:LENGTH (see `floe splits`).")
    var split: String?
    @Flag(help: "Do not skip pages by the page index (for comparisons).") var noPageIndex = false
    @Option(help: "Row groups decoded at once (default: the processors online).") var workers: Int?

    func run() throws {
        if let workers, workers < 1 { throw FloeError.invalidArgument("--workers must be at least 1, not \(workers)") }
        var options = QueryOptions()
        options.split = try SplitOption.parse(split)
        options.pageIndexPruning = !noPageIndex
        if let workers { options.workers = workers }
        let result = try QueryEngine.run(sql, options: options)
        switch format {
        case .jsonl: Terminal.output(result.jsonLines())
        case .csv: Terminal.output(result.csv())
        case .table:
            var table = TablePrinter(names: result.columns)
            table.add(jsonLines: result.jsonLines())
            Terminal.output(table.render())
        }
        if stats {
            let s = result.stats
            Terminal.flush()
            Terminal.error("bytes read: \(s.bytesRead)  files: \(s.files) (pruned \(s.filesPruned))  row groups: \(s.rowGroupsRead) read, \(s.rowGroupsPruned) pruned (\(s.rowGroupsPrunedByBloomFilter) by bloom filter), \(s.rowGroupsFromFooter) from footer  pages: \(s.pagesRead) read, \(s.pagesPruned) pruned  rows scanned: \(s.rowsScanned)  time: \(String(format3(s.seconds))) s")
        }
    }

    private func format3(_ x: Double) -> String {
        let ms = Int((x * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }
}
