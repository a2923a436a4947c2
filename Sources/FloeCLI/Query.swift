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
    @Option(help: "Run the query this many times in this process (for timing); --stats then gives the median, fastest and slowest times.")
    var runs: Int = 1

    func run() throws {
        if let workers, workers < 1 { throw FloeError.invalidArgument("--workers must be at least 1, not \(workers)") }
        var options = QueryOptions()
        options.split = try SplitOption.parse(split)
        options.pageIndexPruning = !noPageIndex
        if let workers { options.workers = workers }
        guard runs >= 1 else { throw FloeError.invalidArgument("--runs must be at least 1, not \(runs)") }
        var result = try QueryEngine.run(sql, options: options)
        var times = [result.stats.seconds]
        for _ in 1..<runs {
            result = try QueryEngine.run(sql, options: options)
            times.append(result.stats.seconds)
        }
        times.sort()
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
            if times.count > 1 {
                Terminal.error("\(times.count) runs: median \(formatMicros(times[times.count / 2])), fastest \(formatMicros(times[0])), slowest \(formatMicros(times[times.count - 1]))")
            }
        }
    }

    /// Seconds as milliseconds with three decimals.
    private func formatMicros(_ x: Double) -> String {
        let us = Int((x * 1_000_000).rounded())
        let frac = String(us % 1000)
        return "\(us / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac) ms"
    }

    private func format3(_ x: Double) -> String {
        let ms = Int((x * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }
}
