import FloeCore
import FloeJSON
import FloeParquet

/// One input of the benchmark: the JSON lines or one of their Parquet conversions.
public struct BenchFormat: Sendable, Equatable {
    /// `json`, `parquet-zstd` or `parquet-snappy`.
    public var name: String
    /// File size in bytes.
    public var bytes: Int
    /// Seconds to produce it (generation for JSON, conversion for Parquet).
    public var seconds: Double
    /// Row groups (Parquet), 0 for JSON.
    public var rowGroups: Int

    public init(name: String, bytes: Int, seconds: Double, rowGroups: Int) {
        self.name = name; self.bytes = bytes; self.seconds = seconds; self.rowGroups = rowGroups
    }
}

/// One query of the benchmark; `sql` names the input `events`.
public struct BenchScenario: Sendable, Equatable {
    public var id: String
    public var sql: String

    public init(id: String, sql: String) { self.id = id; self.sql = sql }

    /// The SQL with `events` replaced by the quoted path.
    public func sql(on path: String) -> String {
        var s = sql
        if let r = s.firstRange(of: "FROM events") {
            s.replaceSubrange(r, with: "FROM '" + path.replacing("'", with: "''") + "'")
        }
        return s
    }
}

/// One engine × format × scenario measurement.
public struct BenchMeasurement: Sendable, Equatable {
    /// `floe` (in-process QueryEngine.run), `floe-cli` (a `floe query` process), `duckdb-cli`
    /// (process), `duckdb` (in-process), `pyarrow`.
    public var engine: String
    public var format: String
    public var scenario: String
    /// Median wall time of the runs, seconds (nil when the engine failed).
    public var seconds: Double?
    /// Bytes read from storage (Floe only).
    public var bytesRead: Int?
    /// Rows of the row groups and batches scanned (Floe only).
    public var rowsScanned: Int?
    /// Row groups read / pruned / pruned by a bloom filter / answered from the footer (Floe on Parquet).
    public var rowGroupsRead: Int?
    public var rowGroupsPruned: Int?
    public var rowGroupsPrunedByBloomFilter: Int?
    public var rowGroupsFromFooter: Int?
    /// Rows of the answer.
    public var resultRows: Int?
    /// The answer equals Floe's on the same file (nil when not checked).
    public var matchesFloe: Bool?
    /// Why the engine failed or what it did differently.
    public var note: String?

    public init(engine: String, format: String, scenario: String, seconds: Double? = nil) {
        self.engine = engine; self.format = format; self.scenario = scenario; self.seconds = seconds
    }
}

/// The whole benchmark run: setup, inputs, scenarios, measurements, Floe's answers, notes.
public struct BenchReport: Sendable, Equatable {
    public var date: String
    public var host: String
    public var rows: Int
    public var seed: UInt64
    public var runs: Int
    public var floeVersion: String
    /// `release` or `debug`: the build of Floe that ran.
    public var build = "release"
    /// Peer versions, e.g. `duckdb` → `1.5.6`.
    public var peerVersions: [String: String]
    public var formats: [BenchFormat]
    public var scenarios: [BenchScenario]
    public var measurements: [BenchMeasurement]
    /// Floe's in-process answer per scenario (JSON lines, canonical values), from the JSON input.
    public var answers: [String: String]
    /// Floe's answers agree between the JSON lines and every Parquet file.
    public var answersAgree: Bool
    public var notes: [String]

    public init(date: String, host: String, rows: Int, seed: UInt64, runs: Int, floeVersion: String = BenchInfo.version) {
        self.date = date; self.host = host; self.rows = rows; self.seed = seed; self.runs = runs
        self.floeVersion = floeVersion
        peerVersions = [:]; formats = []; scenarios = []; measurements = []; answers = [:]; answersAgree = true; notes = []
    }

    /// The measurement of `engine` on `format` for `scenario`, if taken.
    public func measurement(_ engine: String, _ format: String, _ scenario: String) -> BenchMeasurement? {
        measurements.first { $0.engine == engine && $0.format == format && $0.scenario == scenario }
    }

    /// Engines in the order they were first measured.
    public var engines: [String] {
        var seen: [String] = []
        for m in measurements where !seen.contains(m.engine) { seen.append(m.engine) }
        return seen
    }
}

/// Constants of the benchmark.
public enum BenchInfo {
    /// The Floe version recorded in reports.
    public static let version = floeVersion
}

// MARK: - JSON

extension BenchReport {
    /// The report as a JSON document (keys in a fixed order).
    public func json() -> JSONValue {
        func opt(_ v: Int?) -> JSONValue { v.map { .int(Int64($0)) } ?? .null }
        func opt(_ v: Double?) -> JSONValue { v.map { .double($0) } ?? .null }
        func opt(_ v: Bool?) -> JSONValue { v.map { .bool($0) } ?? .null }
        func opt(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }
        return .object([
            ("date", .string(date)), ("host", .string(host)), ("rows", .int(Int64(rows))),
            ("seed", .string(String(seed))), ("runs", .int(Int64(runs))), ("floe_version", .string(floeVersion)), ("build", .string(build)),
            ("peer_versions", .object(peerVersions.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("formats", .array(formats.map {
                .object([("name", .string($0.name)), ("bytes", .int(Int64($0.bytes))), ("seconds", .double($0.seconds)),
                         ("row_groups", .int(Int64($0.rowGroups)))])
            })),
            ("scenarios", .array(scenarios.map { .object([("id", .string($0.id)), ("sql", .string($0.sql))]) })),
            ("measurements", .array(measurements.map { m in
                .object([
                    ("engine", .string(m.engine)), ("format", .string(m.format)), ("scenario", .string(m.scenario)),
                    ("seconds", opt(m.seconds)), ("bytes_read", opt(m.bytesRead)), ("rows_scanned", opt(m.rowsScanned)),
                    ("row_groups_read", opt(m.rowGroupsRead)), ("row_groups_pruned", opt(m.rowGroupsPruned)),
                    ("row_groups_pruned_by_bloom_filter", opt(m.rowGroupsPrunedByBloomFilter)),
                    ("row_groups_from_footer", opt(m.rowGroupsFromFooter)),
                    ("result_rows", opt(m.resultRows)), ("matches_floe", opt(m.matchesFloe)), ("note", opt(m.note)),
                ])
            })),
            ("answers", .object(answers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("answers_agree", .bool(answersAgree)),
            ("notes", .array(notes.map { .string($0) })),
        ])
    }

    /// Reads a report written by ``json()``.
    public init(json: JSONValue) throws(FloeError) {
        func need<T>(_ v: T?, _ what: String) throws(FloeError) -> T {
            guard let v else { throw FloeError.corrupt("report: missing or mistyped '\(what)'") }
            return v
        }
        let seedText = try need(json["seed"]?.stringValue, "seed")
        self.init(date: try need(json["date"]?.stringValue, "date"), host: try need(json["host"]?.stringValue, "host"),
                  rows: try need(json["rows"]?.intValue, "rows"), seed: try need(UInt64(seedText), "seed"),
                  runs: try need(json["runs"]?.intValue, "runs"),
                  floeVersion: try need(json["floe_version"]?.stringValue, "floe_version"))
        build = json["build"]?.stringValue ?? "release"
        if case .object(let fields)? = json["peer_versions"] {
            for (k, v) in fields { peerVersions[k] = v.stringValue ?? "" }
        }
        for f in json["formats"]?.arrayValue ?? [] {
            formats.append(BenchFormat(name: try need(f["name"]?.stringValue, "formats.name"),
                                       bytes: try need(f["bytes"]?.intValue, "formats.bytes"),
                                       seconds: try need(f["seconds"]?.doubleValue, "formats.seconds"),
                                       rowGroups: try need(f["row_groups"]?.intValue, "formats.row_groups")))
        }
        for s in json["scenarios"]?.arrayValue ?? [] {
            scenarios.append(BenchScenario(id: try need(s["id"]?.stringValue, "scenarios.id"),
                                           sql: try need(s["sql"]?.stringValue, "scenarios.sql")))
        }
        for j in json["measurements"]?.arrayValue ?? [] {
            var m = BenchMeasurement(engine: try need(j["engine"]?.stringValue, "engine"),
                                     format: try need(j["format"]?.stringValue, "format"),
                                     scenario: try need(j["scenario"]?.stringValue, "scenario"),
                                     seconds: j["seconds"]?.doubleValue)
            m.bytesRead = j["bytes_read"]?.intValue
            m.rowsScanned = j["rows_scanned"]?.intValue
            m.rowGroupsRead = j["row_groups_read"]?.intValue
            m.rowGroupsPruned = j["row_groups_pruned"]?.intValue
            m.rowGroupsPrunedByBloomFilter = j["row_groups_pruned_by_bloom_filter"]?.intValue
            m.rowGroupsFromFooter = j["row_groups_from_footer"]?.intValue
            m.resultRows = j["result_rows"]?.intValue
            m.matchesFloe = j["matches_floe"]?.boolValue
            m.note = j["note"]?.stringValue
            measurements.append(m)
        }
        if case .object(let fields)? = json["answers"] {
            for (k, v) in fields { answers[k] = v.stringValue ?? "" }
        }
        answersAgree = json["answers_agree"]?.boolValue ?? false
        notes = (json["notes"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}
