import FloeCore
import FloeJSON

/// Writes a ``BenchReport`` as `<date>-<host>.md`, `.json`, `-time.svg` and `-bytes.svg`.
public struct BenchReportWriter {
    public let report: BenchReport

    public init(report: BenchReport) { self.report = report }

    /// The common file name stem, `<date>-<host>`.
    public var stem: String {
        let host = String(report.host.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        return "\(report.date)-\(host)"
    }

    /// Writes the four files into `directory` (created if needed); returns their paths.
    @discardableResult
    public func write(to directory: String) throws(FloeError) -> [String] {
        try FileSystem.makeDirectories(directory)
        let files = [
            (stem + ".json", report.json().serialized(indent: 2) + "\n"),
            (stem + "-time.svg", timeChart().render()),
            (stem + "-bytes.svg", bytesChart().render()),
            (stem + ".md", markdown()),
        ]
        var paths: [String] = []
        for (name, text) in files {
            let path = directory + "/" + name
            try BenchClock.writeText(text, to: path)
            paths.append(path)
        }
        return paths
    }

    var formatNames: [String] { report.formats.map(\.name) }
    var scenarioIds: [String] { report.scenarios.map(\.id) }

    /// Median time per scenario, one series per engine × format.
    public func timeChart() -> SVGBarChart {
        var series: [SVGBarChart.Series] = []
        for (e, engine) in report.engines.enumerated() {
            for (f, format) in formatNames.enumerated() {
                let values = scenarioIds.map { report.measurement(engine, format, $0)?.seconds }
                if values.contains(where: { $0 != nil }) {
                    series.append(.init(name: "\(engine) · \(format)", values: values, color: BenchReportWriter.shade(engine: e, format: f)))
                }
            }
        }
        return SVGBarChart(title: "Median wall time per scenario (\(report.rows) events, \(report.host))",
                           yLabel: "seconds", groups: scenarioIds, series: series, unit: .seconds)
    }

    /// One hue per engine, darker to lighter per format (JSON, zstd, snappy).
    static func shade(engine: Int, format: Int) -> String {
        let hues = [["#08306b", "#2171b5", "#6baed6"], ["#00441b", "#238b45", "#74c476"], ["#7f2704", "#d94801", "#fd8d3c"],
                    ["#67000d", "#cb181d", "#fb6a4a"], ["#3f007d", "#6a51a3", "#9e9ac8"], ["#252525", "#636363", "#969696"]]
        let row = hues[engine % hues.count]
        return row[format % row.count]
    }

    /// Bytes Floe read per scenario, one series per format.
    public func bytesChart() -> SVGBarChart {
        let series = formatNames.map { format in
            SVGBarChart.Series(name: "floe · \(format)", values: scenarioIds.map { id in
                report.measurement("floe", format, id)?.bytesRead.map(Double.init)
            }, color: BenchReportWriter.shade(engine: 0, format: formatNames.firstIndex(of: format) ?? 0))
        }
        return SVGBarChart(title: "Bytes read from storage by Floe (\(report.rows) events)", yLabel: "bytes read",
                           groups: scenarioIds, series: series, unit: .bytes)
    }

    /// The Markdown report.
    public func markdown() -> String {
        var s = "# Scan benchmark: JSON lines against Parquet — \(report.date), \(report.host)\n\n"
        s += "`floe bench --rows \(report.rows) --seed \(report.seed) --runs \(report.runs)`: \(report.rows) generated Segment-style events, "
        s += "converted to Parquet (zstd and snappy) by Floe; the four scenarios of issue 6 run on the JSON lines and on each Parquet file. "
        s += "Times are medians of \(report.runs) runs, wall clock, on a shared 2-core machine where other builds may run at the same time. "
        s += "`floe` is `QueryEngine.run` in the benchmark process; `floe-cli` is a `floe query` process (process against process, like `duckdb-cli`). "
        s += "\(report.build == "release" ? "Release" : "**Debug**") build, Floe \(report.floeVersion)"
        if !report.peerVersions.isEmpty {
            s += "; peers: " + report.peerVersions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        s += ".\n\n"
        s += "![Median wall time](\(stem)-time.svg)\n\n![Bytes read](\(stem)-bytes.svg)\n\n"

        s += summary()
        s += "## Files\n\n| format | size | produced in | row groups |\n|---|---:|---:|---:|\n"
        for f in report.formats {
            s += "| \(f.name) | \(bytes(f.bytes)) | \(seconds(f.seconds))\(f.name == "json" ? " (generated)" : " (converted)") | \(f.name == "json" ? "–" : String(f.rowGroups)) |\n"
        }

        s += "\n## JSON / Parquet ratios (Floe in process)\n\n| scenario |"
        let parquet = formatNames.filter { $0 != "json" }
        for p in parquet { s += " time json / \(p) | bytes json / \(p) |" }
        s += "\n|---|" + String(repeating: "---:|---:|", count: parquet.count) + "\n"
        for id in scenarioIds {
            s += "| \(id) |"
            let j = report.measurement("floe", "json", id)
            for p in parquet {
                let m = report.measurement("floe", p, id)
                s += " \(ratio(j?.seconds, m?.seconds)) | \(ratio(j?.bytesRead.map(Double.init), m?.bytesRead.map(Double.init))) |"
            }
            s += "\n"
        }

        for scenario in report.scenarios {
            s += "\n## \(scenario.id)\n\n```sql\n\(scenario.sql)\n```\n\n"
            s += "| engine | format | median time | bytes read | rows scanned | row groups read / pruned (bloom) / from footer | result rows | answer = Floe's |\n"
            s += "|---|---|---:|---:|---:|---|---:|---|\n"
            for engine in report.engines {
                for format in formatNames {
                    guard let m = report.measurement(engine, format, scenario.id) else { continue }
                    let groups = m.rowGroupsRead.map { "\($0) / \(m.rowGroupsPruned ?? 0) (\(m.rowGroupsPrunedByBloomFilter ?? 0)) / \(m.rowGroupsFromFooter ?? 0)" } ?? ""
                    let same = m.matchesFloe.map { $0 ? "yes" : "**no**" } ?? (engine == "floe" ? "(reference)" : "")
                    s += "| \(engine) | \(format) | \(m.seconds.map(seconds) ?? "failed") | \(m.bytesRead.map(bytes) ?? "") | "
                    s += "\(m.rowsScanned.map(String.init) ?? "") | \(groups) | \(m.resultRows.map(String.init) ?? "") | \(same)"
                    if let note = m.note { s += " — " + note.replacing("|", with: "\\|").replacing("\n", with: " ") }
                    s += " |\n"
                }
            }
            if let answer = report.answers[scenario.id] {
                let lines = answer.split(separator: "\n")
                s += "\nFloe's answer (JSON lines\(lines.count > 10 ? ", first 10 of \(lines.count)" : "")):\n\n```json\n"
                s += lines.prefix(10).joined(separator: "\n") + "\n```\n"
            }
        }
        s += "\n## Notes\n\n"
        s += report.answersAgree ? "- Floe's answers are equal on the JSON lines and on every Parquet file.\n"
                                 : "- **Floe's answers differ between formats** (see below).\n"
        for note in report.notes { s += "- \(note)\n" }
        return s
    }

    /// What Floe read on each Parquet file, and Floe's times against the peers'.
    func summary() -> String {
        var s = "## Summary\n\n"
        for format in formatNames where format != "json" {
            guard let q1 = report.measurement("floe", format, "Q1"), let q2 = report.measurement("floe", format, "Q2"),
                  let q3 = report.measurement("floe", format, "Q3"), let q4 = report.measurement("floe", format, "Q4") else { continue }
            let groups = report.formats.first { $0.name == format }?.rowGroups ?? 0
            s += "- **\(format)** (\(groups) row groups): "
            s += "Q1 read \(q1.bytesRead.map(bytes) ?? "?") (\(q1.rowGroupsRead == 0 ? "the footer only" : "\(q1.rowGroupsRead ?? 0) row groups")); "
            s += "Q2 \(q2.bytesRead.map(bytes) ?? "?") (\(q2.rowGroupsRead ?? 0) row groups read); "
            s += "Q3 \(q3.bytesRead.map(bytes) ?? "?")\((q3.bytesRead ?? 0) < (q2.bytesRead ?? 0) ? ", less than Q2" : ", **not less than Q2**") "
            s += "(\(q3.rowGroupsPruned ?? 0) of \(groups) row groups pruned by statistics); "
            s += "Q4 \(q4.bytesRead.map(bytes) ?? "?") (\(q4.rowGroupsPrunedByBloomFilter ?? 0) row groups skipped by the bloom filter, \(q4.rowGroupsRead ?? 0) read).\n"
        }
        let pairs = [("floe-cli", "duckdb-cli"), ("floe", "duckdb"), ("floe", "pyarrow")].filter { pair in
            report.measurements.contains { $0.engine == pair.1 && $0.seconds != nil }
        }
        guard !pairs.isEmpty else { return s + "\n" }
        s += "\nFloe's median time divided by the peer's (below 1: Floe is faster):\n\n| scenario | format |"
        for (a, b) in pairs { s += " \(a) / \(b) |" }
        s += "\n|---|---|" + String(repeating: "---:|", count: pairs.count) + "\n"
        for id in scenarioIds {
            for format in formatNames {
                s += "| \(id) | \(format) |"
                for (a, b) in pairs {
                    let r = ratio(report.measurement(a, format, id)?.seconds, report.measurement(b, format, id)?.seconds)
                    s += " \(r) |"
                }
                s += "\n"
            }
        }
        return s + "\n"
    }

    func seconds(_ x: Double) -> String {
        if x >= 1 { return "\(round2(x)) s" }
        return "\(round2(x * 1000)) ms"
    }

    func bytes(_ n: Int) -> String {
        if n >= 1_000_000 { return "\(round2(Double(n) / 1e6)) MB" }
        if n >= 1_000 { return "\(round2(Double(n) / 1e3)) kB" }
        return "\(n) B"
    }

    func ratio(_ a: Double?, _ b: Double?) -> String {
        guard let a, let b, b > 0 else { return "–" }
        return "\(round2(a / b))×"
    }

    func round2(_ x: Double) -> String {
        let digits = x >= 100 ? 0 : x >= 10 ? 1 : 2
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        var text = "\((x * scale).rounded() / scale)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
