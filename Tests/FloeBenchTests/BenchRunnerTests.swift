import Foundation
import Testing
import FloeJSON
import FloeScan
@testable import FloeBench

@Suite struct BenchRunnerTests {
    @Test func timeOrderedGeneratorKeepsFieldsAndSortsTimestamps() throws {
        var random = EventGenerator(seed: 9)
        var ordered = EventGenerator(seed: 9, order: .ascending(count: 500))
        var previous = ""
        for _ in 0..<500 {
            var a: [UInt8] = [], b: [UInt8] = []
            random.appendEvent(to: &a)
            ordered.appendEvent(to: &b)
            #expect(BenchRunner.field(a, "\"messageId\":\"") == BenchRunner.field(b, "\"messageId\":\""))
            #expect(BenchRunner.field(a, "\"sourceId\":\"") == BenchRunner.field(b, "\"sourceId\":\""))
            let ts = try #require(BenchRunner.field(b, ",\"timestamp\":\""))
            #expect(ts >= previous)
            #expect(ts >= "2019-05-20T00:00:00.000Z" && ts < "2019-06-17T00:00:00.000Z")
            previous = ts
        }
        #expect(previous >= "2019-06-16")  // the last event falls on the last day
    }

    @Test func endToEndAnswersAgreeAcrossFormats() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("floe-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = BenchConfig()
        config.rows = 5000
        config.runs = 1
        config.workDir = dir + "/work"
        config.reportDir = dir + "/reports"
        config.rowGroupRows = 1000
        config.date = "2026-01-02"
        config.host = "test"
        let report = try BenchRunner(config: config).run()

        #expect(report.answersAgree)
        #expect(report.formats.map(\.name) == ["json", "parquet-zstd", "parquet-snappy"])
        #expect(report.formats.dropFirst().allSatisfy { $0.rowGroups == 5 && $0.bytes > 0 && $0.bytes < report.formats[0].bytes })
        #expect(report.answers["Q1"] == "{\"count(*)\":5000}\n")
        for scenario in ["Q1", "Q2", "Q3", "Q4"] {
            let json = try #require(report.measurement("floe", "json", scenario))
            for format in ["parquet-zstd", "parquet-snappy"] {
                let parquet = try #require(report.measurement("floe", format, scenario))
                #expect(parquet.resultRows == json.resultRows, "\(scenario) \(format)")
                #expect((parquet.bytesRead ?? 0) < (json.bytesRead ?? 0), "\(scenario) \(format)")
            }
        }
        // The literals exist: Q3 and Q4 find rows; Q4 is one event.
        #expect((report.measurement("floe", "json", "Q3")?.resultRows ?? 0) > 0)
        #expect(report.measurement("floe", "json", "Q4")?.resultRows == 1)
        #expect(report.measurement("floe", "parquet-zstd", "Q1")?.rowGroupsRead == 0)

        // The same answers, recomputed directly on the files the runner wrote.
        for scenario in report.scenarios {
            let a = try QueryEngine.run(scenario.sql(on: config.workDir + "/events.jsonl"))
            let b = try QueryEngine.run(scenario.sql(on: config.workDir + "/events-zstd.parquet"))
            #expect(a.rows.map { $0.map(\.canonicalJSON) }.sorted { "\($0)" < "\($1)" }
                    == b.rows.map { $0.map(\.canonicalJSON) }.sorted { "\($0)" < "\($1)" }, "\(scenario.id)")
        }

        // The report files: JSON round-trips, Markdown embeds the charts, the charts are SVG.
        let stem = dir + "/reports/2026-01-02-test"
        let back = try BenchReport(json: try BenchJSON.parse(try String(contentsOfFile: stem + ".json", encoding: .utf8)))
        #expect(back == report)
        let md = try String(contentsOfFile: stem + ".md", encoding: .utf8)
        #expect(md.contains("![Median wall time](2026-01-02-test-time.svg)"))
        for chart in ["-time.svg", "-bytes.svg"] {
            let svg = try String(contentsOfFile: stem + chart, encoding: .utf8)
            let bars = try parseXML(svg).filter { $0.attributes["class"] == "bar" }
            #expect(bars.count == 12, "\(chart)")  // 4 scenarios × 3 formats, Floe only
        }
    }
}
