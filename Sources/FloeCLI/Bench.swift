#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Floe
import FloeBench

/// `floe bench`: the JSON-lines-against-Parquet scan benchmark, with DuckDB and pyarrow as peers.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark Q1–Q4 on generated events as JSON lines and as Parquet (zstd, snappy), with peers.",
        discussion: """
        Generates time-ordered events, converts them (row groups of 128k rows, bloom filter on messageId, \
        page index), runs the four scenarios with Floe in process and as `floe query` processes, and, when a \
        Python with duckdb and pyarrow is given (default .venv/bin/python if present), with the DuckDB CLI, \
        DuckDB in process and pyarrow, checking their answers against Floe's. Writes \
        REPORTS/<date>-<host>.md, .json, -time.svg and -bytes.svg.
        """)

    @Option(help: "Number of events.") var rows: Int = 1_000_000
    @Option(help: "Generator seed.") var seed: UInt64 = 1
    @Option(help: "Runs per measurement (the median is reported).") var runs: Int = 5
    @Option(help: "Working directory for the data files.") var dir: String = "Benchmarks/.data/scan"
    @Option(help: "Report directory.") var reports: String = "reports"
    @Option(help: "Python with duckdb, duckdb-cli and pyarrow for the peers ('none' to skip).") var python: String?
    @Option(help: "The peers script.") var peerScript: String = "Benchmarks/python/scan_bench.py"
    @Option(help: "Rows per Parquet row group.") var rowGroupRows: Int = 131_072
    @Option(help: "Only re-render the Markdown and charts of this report JSON (into --reports).") var render: String?
    @Flag(help: "Print the report as JSON on standard output.") var json = false

    func validate() throws {
        guard rows > 0 else { throw ValidationError("--rows must be positive") }
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        guard rowGroupRows > 0 else { throw ValidationError("--row-group-rows must be positive") }
    }

    func run() throws {
        if let render {
            let report = try BenchReport(json: try BenchJSON.parse(try BenchClock.readText(render)))
            try BenchReportWriter(report: report).write(to: reports)
            Terminal.error("report: \(reports)/\(BenchReportWriter(report: report).stem).md")
            return
        }
        var config = BenchConfig()
        config.rows = rows
        config.seed = seed
        config.runs = runs
        config.workDir = dir
        config.reportDir = reports
        config.rowGroupRows = rowGroupRows
        config.floeBinary = Bench.selfPath()
        #if DEBUG
        config.build = "debug"
        #endif
        let chosen = python ?? (access(".venv/bin/python", X_OK) == 0 ? ".venv/bin/python" : nil)
        if let chosen, chosen != "none" {
            if access(peerScript, R_OK) == 0 {
                config.python = chosen
                config.peerScript = peerScript
            } else {
                Terminal.error("floe bench: \(peerScript) not found; peers skipped")
            }
        } else {
            Terminal.error("floe bench: no Python given and no .venv/bin/python; peers skipped")
        }
        let report = try BenchRunner(config: config).run { Terminal.error("bench: " + $0) }
        if json {
            Terminal.output(report.json().serialized(indent: 2) + "\n")
        } else {
            let stem = BenchReportWriter(report: report).stem
            Terminal.error("report: \(reports)/\(stem).md")
        }
    }

    /// The running executable (for `floe query` processes).
    static func selfPath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
