import Testing
import FloeJSON
@testable import FloeBench

@Suite struct BenchReportTests {
    static func sample() -> BenchReport {
        var r = BenchReport(date: "2026-11-28", host: "box", rows: 1000, seed: 42, runs: 3)
        r.peerVersions = ["duckdb": "2.0.1", "pyarrow": "26.0.1"]
        r.formats = [BenchFormat(name: "json", bytes: 900_000, seconds: 0.5, rowGroups: 0),
                     BenchFormat(name: "parquet-zstd", bytes: 80_000, seconds: 1.25, rowGroups: 8)]
        r.scenarios = BenchRunner.scenarios(sourceId: "src_1", day: "2019-06-01", messageId: "m-1")
        for (i, s) in r.scenarios.enumerated() {
            for f in r.formats {
                var m = BenchMeasurement(engine: "floe", format: f.name, scenario: s.id, seconds: 0.125 * Double(i + 1))
                m.bytesRead = 1000 * (i + 1)
                m.rowsScanned = 1000
                m.resultRows = i == 0 ? 1 : 6
                if f.name != "json" { m.rowGroupsRead = 2; m.rowGroupsPruned = 6; m.rowGroupsPrunedByBloomFilter = 5; m.rowGroupsFromFooter = 0 }
                r.measurements.append(m)
            }
            var peer = BenchMeasurement(engine: "duckdb", format: "json", scenario: s.id, seconds: nil)
            peer.note = "failed: \"quoted\" \\ back\nslash é"
            peer.matchesFloe = false
            r.measurements.append(peer)
        }
        r.answers = ["Q1": "{\"count(*)\":1000}\n"]
        r.notes = ["a note"]
        return r
    }

    @Test func jsonRoundTrips() throws {
        let report = Self.sample()
        let text = report.json().serialized(indent: 2)
        let back = try BenchReport(json: try BenchJSON.parse(text))
        #expect(back == report)
        #expect(back.json().serialized() == report.json().serialized())
    }

    @Test func containsEveryScenarioAndFormat() throws {
        let json = try BenchJSON.parse(Self.sample().json().serialized())
        let ms = try #require(json["measurements"]?.arrayValue)
        for q in ["Q1", "Q2", "Q3", "Q4"] {
            for f in ["json", "parquet-zstd"] {
                #expect(ms.contains { $0["engine"]?.stringValue == "floe" && $0["scenario"]?.stringValue == q && $0["format"]?.stringValue == f },
                        "\(q) \(f)")
            }
        }
        #expect(try #require(json["scenarios"]?.arrayValue).compactMap { $0["id"]?.stringValue } == ["Q1", "Q2", "Q3", "Q4"])
    }

    @Test func scenarioSQLNamesThePath() {
        let q3 = BenchRunner.scenarios(sourceId: "s", day: "2019-05-21", messageId: "m")[2]
        #expect(q3.sql(on: "dir/it's.parquet") == "SELECT type, count(messageId) FROM 'dir/it''s.parquet' WHERE sourceId = 's' AND date_trunc('day', timestamp) = DATE '2019-05-21' GROUP BY 1 ORDER BY 2 DESC")
    }

    @Test func markdownEmbedsChartsAndTables() {
        let writer = BenchReportWriter(report: Self.sample())
        let md = writer.markdown()
        #expect(writer.stem == "2026-11-28-box")
        #expect(md.contains("![Median wall time](2026-11-28-box-time.svg)"))
        #expect(md.contains("![Bytes read](2026-11-28-box-bytes.svg)"))
        #expect(md.contains("| floe | parquet-zstd | 125 ms | 1 kB | 1000 | 2 / 6 (5) / 0 | 1 | (reference) |"))
        #expect(md.contains("| Q2 | 1× | 1× |"))
        #expect(md.contains("| failed |  |  |  |  | **no** — failed: \"quoted\" \\ back slash é |"))
        let chart = writer.timeChart()
        #expect(chart.series.map(\.name) == ["floe · json", "floe · parquet-zstd"])  // duckdb never succeeded: no series
        #expect(writer.bytesChart().series.first?.values == [1000, 2000, 3000, 4000])
        // One hue per engine, a shade per format; the SVG uses them.
        #expect(chart.series.map(\.color) == ["#08306b", "#2171b5"])
        #expect(chart.render().contains("fill=\"#2171b5\""))
    }

    @Test func jsonReaderRejectsBadInput() throws {
        #expect(throws: (any Error).self) { try BenchJSON.parse("{\"a\":") }
        #expect(throws: (any Error).self) { try BenchJSON.parse("[1,]") }
        #expect(throws: (any Error).self) { try BenchJSON.parse("\"\\u12\"") }
        #expect(throws: (any Error).self) { try BenchJSON.parse("{} x") }
        #expect(throws: (any Error).self) { try BenchJSON.parse(String(repeating: "[", count: 300)) }
        #expect(try BenchJSON.parse("{\"k\":[1,2.5,-3e2,true,null,\"\\u00e9\\ud83d\\ude00\"]}").serialized()
                == "{\"k\":[1,2.5,-300.0,true,null,\"é😀\"]}")
    }

    @Test func median() {
        #expect(BenchRunner.median([3, 1, 2]) == 2)
        #expect(BenchRunner.median([4, 1, 3, 2]) == 2.5)
        #expect(BenchRunner.median([]) == 0)
    }
}
