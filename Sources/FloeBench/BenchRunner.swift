#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeCore
import FloeCodecs
import FloeParquet
import FloeJSON
import FloeConvert
import FloeScan

/// What ``BenchRunner`` does: sizes, repetitions, where files go, which peers run.
public struct BenchConfig: Sendable {
    /// Events generated.
    public var rows = 1_000_000
    /// Generator seed.
    public var seed: UInt64 = 1
    /// Runs per measurement (the median is reported).
    public var runs = 5
    /// Working directory for the generated and converted files.
    public var workDir = "Benchmarks/.data/scan"
    /// Where the report goes (nil: no report files).
    public var reportDir: String? = "reports"
    /// A Python with duckdb and pyarrow for the peers (nil: no peers).
    public var python: String? = nil
    /// The peers script (Benchmarks/python/scan_bench.py).
    public var peerScript: String? = nil
    /// The `floe` binary, for process-against-process times (nil: not measured).
    public var floeBinary: String? = nil
    /// Rows per Parquet row group.
    public var rowGroupRows = 131_072
    /// `release` or `debug`, recorded in the report.
    public var build = "release"
    /// Report date and host.
    public var date = BenchClock.today()
    public var host = BenchClock.hostName()

    public init() {}
}

/// Generates the events, converts them to Parquet (zstd and snappy), runs Q1–Q4 on each file with
/// Floe (in process and as `floe query` processes) and, when configured, with the Python peers,
/// and writes the report.
public struct BenchRunner {
    public let config: BenchConfig

    public init(config: BenchConfig) { self.config = config }

    /// The four scenarios, with literals picked from the generated data.
    public static func scenarios(sourceId: String, day: String, messageId: String) -> [BenchScenario] {
        [
            BenchScenario(id: "Q1", sql: "SELECT count(*) FROM events"),
            BenchScenario(id: "Q2", sql: "SELECT type, count(messageId) FROM events GROUP BY type ORDER BY 2 DESC"),
            BenchScenario(id: "Q3", sql: "SELECT type, count(messageId) FROM events WHERE sourceId = '\(sourceId)' AND date_trunc('day', timestamp) = DATE '\(day)' GROUP BY 1 ORDER BY 2 DESC"),
            BenchScenario(id: "Q4", sql: "SELECT * FROM events WHERE messageId = '\(messageId)'"),
        ]
    }

    /// Runs everything; `log` receives progress lines.
    public func run(log: (String) -> Void = { _ in }) throws(FloeError) -> BenchReport {
        guard config.rows > 0, config.runs > 0 else { throw FloeError.invalidArgument("--rows and --runs must be positive") }
        try FileSystem.makeDirectories(config.workDir)
        var report = BenchReport(date: config.date, host: config.host, rows: config.rows, seed: config.seed, runs: config.runs)
        report.build = config.build
        let loadAtStart = BenchRunner.loadAverage()

        // 1. Events, in time order.
        let jsonPath = config.workDir + "/events.jsonl"
        log("generating \(config.rows) events")
        let generated = try generate(to: jsonPath)
        report.formats.append(BenchFormat(name: "json", bytes: BenchClock.fileSize(jsonPath), seconds: generated.seconds, rowGroups: 0))
        report.scenarios = BenchRunner.scenarios(sourceId: generated.sourceId, day: generated.day, messageId: generated.messageId)

        // 2. Parquet, zstd and snappy.
        var files = [("json", jsonPath)]
        for codec in [CompressionKind.zstd, .snappy] {
            let name = "parquet-\(codec == .zstd ? "zstd" : "snappy")"
            let path = config.workDir + "/events-\(codec == .zstd ? "zstd" : "snappy").parquet"
            log("converting to \(name)")
            var options = ConvertOptions()
            options.writer.codec = codec
            options.writer.rowGroupRowLimit = config.rowGroupRows
            options.writer.bloomFilterColumns = ["messageId"]
            options.writer.pageIndex = true
            let summary = try Converter(inputs: [jsonPath], output: path, options: options).run()
            let groups = try ParquetFile(path: path).rowGroupCount
            report.formats.append(BenchFormat(name: name, bytes: summary.bytesOut, seconds: summary.seconds, rowGroups: groups))
            files.append((name, path))
        }

        // 3. Floe in process, then as processes.
        var canonical: [String: [String: String]] = [:]
        for (format, path) in files {
            for scenario in report.scenarios {
                log("floe \(format) \(scenario.id)")
                let (m, answer) = try measureInProcess(scenario, format: format, path: path)
                report.measurements.append(m)
                canonical[scenario.id, default: [:]][format] = answer
                if format == "json" { report.answers[scenario.id] = answer }
            }
        }
        for scenario in report.scenarios {
            let answers = canonical[scenario.id] ?? [:]
            let reference = BenchRunner.normalized(answers["json"] ?? "")
            for (format, answer) in answers where BenchRunner.normalized(answer) != reference {
                report.answersAgree = false
                report.notes.append("Floe's \(scenario.id) answer on \(format) differs from its answer on the JSON lines.")
            }
        }
        if let floe = config.floeBinary {
            for (format, path) in files {
                for scenario in report.scenarios {
                    log("floe-cli \(format) \(scenario.id)")
                    report.measurements.append(try measureProcess(floe, scenario, format: format, path: path,
                                                                  expected: canonical[scenario.id]?[format] ?? ""))
                }
            }
        }

        // 4. Peers.
        if let python = config.python, let script = config.peerScript {
            log("peers: \(script)")
            try runPeers(python: python, script: script, files: files, report: &report, answers: canonical)
        }
        report.notes.append("Machine: \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) cores; load average (1 min) \(loadAtStart) at the start, \(BenchRunner.loadAverage()) at the end of the run.")
        report.notes.append("Data: \(config.rows) events, seed \(config.seed), timestamps ascending (as logs arrive); Parquet row groups of \(config.rowGroupRows) rows, bloom filter on messageId, page index on.")

        if let dir = config.reportDir { try BenchReportWriter(report: report).write(to: dir) }
        return report
    }

    // MARK: - Steps

    struct Generated { var seconds: Double; var sourceId: String; var day: String; var messageId: String }

    func generate(to path: String) throws(FloeError) -> Generated {
        let start = BenchClock.now()
        var generator = EventGenerator(seed: config.seed, order: .ascending(count: config.rows))
        let sink = try AtomicFile(path: path)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(2 << 20)
        // Q3 takes its source and day from an event 60% in, Q4 its messageId from one near the end.
        let q3Row = config.rows * 3 / 5
        let q4Row = max(0, config.rows - 1 - config.rows / 50)
        var sourceId = "", day = "", messageId = ""
        for i in 0..<config.rows {
            let before = buffer.count
            generator.appendEvent(to: &buffer)
            if i == q3Row || i == q4Row {
                let line = Array(buffer[before...])
                if i == q3Row {
                    sourceId = BenchRunner.field(line, "\"sourceId\":\"") ?? ""
                    day = String((BenchRunner.field(line, ",\"timestamp\":\"") ?? "").prefix(10))
                }
                if i == q4Row { messageId = BenchRunner.field(line, "\"messageId\":\"") ?? "" }
            }
            if buffer.count >= 1 << 20 {
                try sink.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try sink.write(buffer)
        try sink.commit()
        return Generated(seconds: BenchClock.now() - start, sourceId: sourceId, day: day, messageId: messageId)
    }

    /// The string value following `key` in a generated line.
    static func field(_ line: [UInt8], _ key: String) -> String? {
        let k = Array(key.utf8)
        guard !k.isEmpty, line.count >= k.count else { return nil }
        for i in 0...(line.count - k.count) where line[i] == k[0] && Array(line[i..<(i + k.count)]) == k {
            var j = i + k.count
            while j < line.count && line[j] != UInt8(ascii: "\"") { j += 1 }
            return String(decoding: line[(i + k.count)..<j], as: UTF8.self)
        }
        return nil
    }

    func measureInProcess(_ scenario: BenchScenario, format: String, path: String) throws(FloeError) -> (BenchMeasurement, String) {
        let sql = scenario.sql(on: path)
        var times: [Double] = []
        var last: QueryResult?
        for _ in 0..<config.runs {
            let start = BenchClock.now()
            let result = try QueryEngine.run(sql)
            times.append(BenchClock.now() - start)
            last = result
        }
        guard let result = last else { throw FloeError.invalidArgument("no run") }
        var m = BenchMeasurement(engine: "floe", format: format, scenario: scenario.id, seconds: BenchRunner.median(times))
        let s = result.stats
        m.bytesRead = s.bytesRead
        m.rowsScanned = s.rowsScanned
        if format != "json" {
            m.rowGroupsRead = s.rowGroupsRead
            m.rowGroupsPruned = s.rowGroupsPruned
            m.rowGroupsPrunedByBloomFilter = s.rowGroupsPrunedByBloomFilter
            m.rowGroupsFromFooter = s.rowGroupsFromFooter
        }
        m.resultRows = result.rows.count
        return (m, String(decoding: result.jsonLines(), as: UTF8.self))
    }

    func measureProcess(_ floe: String, _ scenario: BenchScenario, format: String, path: String,
                        expected: String) throws(FloeError) -> BenchMeasurement {
        let out = config.workDir + "/cli-out.jsonl", err = config.workDir + "/cli-err.txt"
        var times: [Double] = []
        var m = BenchMeasurement(engine: "floe-cli", format: format, scenario: scenario.id)
        for _ in 0..<config.runs {
            let outcome = try Subprocess.run([floe, "query", "--format", "jsonl", scenario.sql(on: path)], stdoutPath: out, stderrPath: err)
            guard outcome.status == 0 else {
                m.note = "exit \(outcome.status): " + String((try? BenchClock.readText(err)) ?? "").prefix(300)
                return m
            }
            times.append(outcome.seconds)
        }
        m.seconds = BenchRunner.median(times)
        let text = try BenchClock.readText(out)
        m.resultRows = text.split(separator: "\n").count
        m.matchesFloe = BenchRunner.normalized(text) == BenchRunner.normalized(expected)
        return m
    }

    func runPeers(python: String, script: String, files: [(String, String)], report: inout BenchReport,
                  answers: [String: [String: String]]) throws(FloeError) {
        let spec = JSONValue.object([
            ("runs", .int(Int64(config.runs))),
            ("files", .object(files.map { ($0.0, .string($0.1)) })),
            ("scenarios", .array(report.scenarios.map { .object([("id", .string($0.id)), ("sql", .string($0.sql))]) })),
            ("floe_answers", .object(answers.sorted { $0.key < $1.key }.map { id, perFormat in
                (id, .object(perFormat.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
            })),
        ])
        let specPath = config.workDir + "/peers-spec.json", outPath = config.workDir + "/peers-out.json"
        let logPath = config.workDir + "/peers-log.txt"
        try BenchClock.writeText(spec.serialized(indent: 1), to: specPath)
        let outcome = try Subprocess.run([python, script, specPath, outPath], stdoutPath: logPath, stderrPath: logPath + ".err")
        guard outcome.status == 0 else {
            let tail = String(((try? BenchClock.readText(logPath + ".err")) ?? "").suffix(400))
            report.notes.append("The Python peers did not run (exit \(outcome.status)): \(tail)")
            return
        }
        let result = try BenchJSON.parse(try BenchClock.readText(outPath))
        if case .object(let fields)? = result["versions"] {
            for (k, v) in fields { report.peerVersions[k] = v.stringValue ?? "" }
        }
        for r in result["results"]?.arrayValue ?? [] {
            var m = BenchMeasurement(engine: r["engine"]?.stringValue ?? "?", format: r["format"]?.stringValue ?? "?",
                                     scenario: r["scenario"]?.stringValue ?? "?", seconds: r["seconds"]?.doubleValue)
            m.resultRows = r["result_rows"]?.intValue
            m.matchesFloe = r["matches_floe"]?.boolValue
            m.note = r["note"]?.stringValue
            report.measurements.append(m)
        }
        for note in result["notes"]?.arrayValue ?? [] { if let s = note.stringValue { report.notes.append(s) } }
    }

    // MARK: - Helpers

    /// The 1-minute load average, two decimals.
    static func loadAverage() -> String {
        var load = [0.0, 0.0, 0.0]
        guard getloadavg(&load, 3) >= 1 else { return "?" }
        return "\((load[0] * 100).rounded() / 100)"
    }

    /// The median of `values` (mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Answer lines in a fixed order (ties of ORDER BY may come in any order).
    static func normalized(_ text: String) -> [Substring] {
        text.split(separator: "\n").sorted()
    }
}
