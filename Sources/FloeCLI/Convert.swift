#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Floe

/// `floe convert`: JSON lines to Parquet.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert JSON lines (files, '-' for stdin, .gz/.zst read transparently) to Parquet.",
        discussion: """
        OUTPUT ending in .parquet is a file; anything else is a directory of part-NNNNN.parquet files \
        (with Hive-style key=value subdirectories under --partition-by). Files appear only when complete.
        """)

    @Argument(help: "JSON-lines inputs ('-' reads standard input).") var inputs: [String]
    @Option(name: .shortAndLong, help: "Output .parquet file or directory.") var output: String
    @OptionGroup var encoding: EncodingOptions
    @Option(help: "Partition by a top-level column (COL) or a time bucket (dt=day(timestamp); year, month, day, hour).")
    var partitionBy: String?
    @Option(help: "Start a new output file past this size (suffixes k, m, g).") var targetFileSize: String = "512m"
    @Option(help: "Most output files open at once (default: the open-file limit less 64); past it the least recently written is completed and its partition goes on in a new part file.")
    var maxOpenFiles: Int?
    @Option(help: "Threads (parsing and writing).") var threads: Int = 2
    @Option(help: "On a bad line: fail (exit 1) or skip (report it with --rejects).") var onError: String = "fail"
    @Option(help: "Write skipped lines here as JSON lines (line, offset, reason, raw).") var rejects: String?
    @Option(help: "Explicit schema as a Hive/Athena column list ('id string, ts timestamp, ...'), or @FILE.") var schema: String?
    @Option(help: "Infer the schema from the first N lines only (default: every line of file inputs).") var inferRows: Int?
    @Flag(help: "Print the summary as JSON.") var json = false
    @Flag(help: "Never show the progress bar.") var quiet = false

    func run() throws {
        var options = ConvertOptions()
        options.writer = try encoding.writerOptions()
        options.targetFileSize = try ByteSize.parse(targetFileSize, option: "--target-file-size")
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        options.threads = threads
        if let n = maxOpenFiles {
            guard n >= 1 else { throw ValidationError("--max-open-files must be at least 1") }
            options.maxOpenFiles = n
        }
        guard let policy = ErrorPolicy(rawValue: onError) else { throw ValidationError("--on-error must be fail or skip") }
        options.onError = policy
        if rejects != nil && policy != .skip { throw ValidationError("--rejects needs --on-error skip") }
        options.rejectsPath = rejects
        if let p = partitionBy { options.partitioning = try PartitionSpec(parsing: p) }
        if let s = schema {
            let text = s.hasPrefix("@") ? try readText(String(s.dropFirst())) : s
            options.schema = try HiveSchemaParser.parse(text)
        }
        if let n = inferRows {
            guard n > 0 else { throw ValidationError("--infer-rows must be positive") }
            options.inferRows = n
        }
        let converter = try Converter(inputs: inputs, output: output, options: options)
        var bar = ProgressBar(enabled: !quiet && isatty(2) != 0)
        let summary = try converter.run { bar.update($0) }
        bar.finish()
        if json {
            Terminal.output(summaryJSON(summary).serialized(indent: 2) + "\n")
        } else {
            let ratio = summary.bytesOut > 0 ? Double(summary.bytesDecoded) / Double(summary.bytesOut) : 0
            Terminal.error("""
            lines read \(summary.linesRead) (blank \(summary.blankLines)), rows written \(summary.rowsWritten), rejected \(summary.rejected)
            bytes in \(summary.bytesIn) (\(summary.bytesDecoded) decoded), bytes out \(summary.bytesOut), ratio \(format(ratio))x
            files \(summary.files.count), time \(format(summary.seconds)) s, \(format(Double(summary.bytesDecoded) / 1e6 / max(summary.seconds, 1e-9))) MB/s
            """)
        }
    }

    private func summaryJSON(_ s: ConvertSummary) -> JSONValue {
        .object([
            ("lines_read", .int(Int64(s.linesRead))),
            ("blank_lines", .int(Int64(s.blankLines))),
            ("rows_written", .int(Int64(s.rowsWritten))),
            ("rejected", .int(Int64(s.rejected))),
            ("bytes_in", .int(Int64(s.bytesIn))),
            ("bytes_decoded", .int(Int64(s.bytesDecoded))),
            ("bytes_out", .int(Int64(s.bytesOut))),
            ("ratio", .double(s.bytesOut > 0 ? Double(s.bytesDecoded) / Double(s.bytesOut) : 0)),
            ("seconds", .double(s.seconds)),
            ("single_pass", .bool(s.singlePass)),
            ("files", .array(s.files.map { .string($0) })),
        ])
    }

    private func readText(_ path: String) throws -> String {
        let file = try RandomAccessFile(path: path)
        return String(decoding: try file.read(offset: 0, count: file.size), as: UTF8.self)
    }
}

func format(_ x: Double) -> String {
    let scaled = (x * 100).rounded() / 100
    return "\(scaled)"
}

/// A one-line progress bar on stderr: percentage, rows/s, MB/s, ETA.
struct ProgressBar {
    let enabled: Bool
    private var lastDraw = -1.0

    init(enabled: Bool) { self.enabled = enabled }

    mutating func update(_ p: ConvertProgress) {
        guard enabled, p.seconds - lastDraw >= 0.2 else { return }
        lastDraw = p.seconds
        let mbps = Double(p.bytesRead) / 1e6 / max(p.seconds, 1e-9)
        let rps = Double(p.rows) / max(p.seconds, 1e-9)
        var line = "\r"
        if let total = p.totalBytes, total > 0 {
            let fraction = min(1, Double(p.bytesRead) / Double(total))
            let width = 30
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            line += "\(Int(fraction * 100))% "
            let eta = fraction > 0 ? p.seconds * (1 - fraction) / fraction : 0
            line += "\(Int(rps)) rows/s \(format(mbps)) MB/s ETA \(Int(eta.rounded())) s   "
        } else {
            line += "\(p.rows) rows, \(Int(rps)) rows/s, \(format(mbps)) MB/s   "
        }
        Terminal.errorRaw(line)
    }

    func finish() {
        if enabled && lastDraw >= 0 { Terminal.errorRaw("\n") }
    }
}
