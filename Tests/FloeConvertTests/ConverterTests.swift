import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeColumns
import FloeEncodings
import FloeParquet
import FloeJSON
@testable import FloeConvert

func scratchDirectory(_ name: String) -> String {
    let path = "/tmp/floe-convert-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    _ = mkdir(path, 0o755)
    return path
}

func writeFile(_ path: String, _ text: String) {
    let f = fopen(path, "wb")
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
}

func readText(_ path: String) throws -> String {
    let file = try RandomAccessFile(path: path)
    return String(decoding: try file.read(offset: 0, count: file.size), as: UTF8.self)
}

/// Every row of a Parquet file as canonical JSON lines.
func canonicalRows(_ path: String) throws -> [String] {
    let file = try ParquetFile(path: path)
    let fields = try file.schema.logicalFields()
    var lines: [String] = []
    for g in 0..<file.rowGroupCount {
        var columns: [ColumnData?] = []
        for c in file.schema.leaves.indices { columns.append(try file.readColumn(rowGroup: g, column: c)) }
        var writer = try NestedRowWriter(schema: file.schema, fields: fields, columns: columns)
        var out: [UInt8] = []
        for _ in 0..<file.rowCount(ofRowGroup: g) { try writer.appendRow(to: &out) }
        lines += out.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }
    return lines
}

@Suite struct ConverterTests {
    @Test func convertsWithInferenceAndKeepsEveryValue() throws {
        let dir = scratchDirectory("basic")
        let input = dir + "/in.jsonl"
        writeFile(input, """
        {"id":1,"name":"a","tags":["x","y"],"ctx":{"ip":"1.2.3.4"},"score":1}
        {"id":2,"name":null,"tags":[],"ctx":{"ip":null},"score":2.5,"extra":{}}

        {"name":"c","id":3,"tags":null,"score":-0.0}\r
        """)
        let summary = try Converter(inputs: [input], output: dir + "/new/dir/out.parquet").run()
        #expect(summary.linesRead == 4 && summary.blankLines == 1 && summary.rowsWritten == 3 && summary.rejected == 0)
        #expect(summary.files == [dir + "/new/dir/out.parquet"])
        let rows = try canonicalRows(dir + "/new/dir/out.parquet")
        #expect(rows == [
            #"{"id":1,"name":"a","tags":["x","y"],"ctx":{"ip":"1.2.3.4"},"score":1.0,"extra":null}"#,
            #"{"id":2,"name":null,"tags":[],"ctx":{"ip":null},"score":2.5,"extra":{}}"#,
            #"{"id":3,"name":"c","tags":null,"ctx":null,"score":-0.0,"extra":null}"#,
        ])
    }

    @Test func badLinesFailOrGoToTheRejectsReport() throws {
        let dir = scratchDirectory("rejects")
        let input = dir + "/in.jsonl"
        writeFile(input, "{\"a\":1}\n{\"a\":\n{\"a\":\"text\"}\n{\"a\":2}\n[1,2]\n")
        var options = ConvertOptions()
        options.schema = try HiveSchemaParser.parse("a bigint")
        do {
            _ = try Converter(inputs: [input], output: dir + "/fail.parquet", options: options).run()
            Issue.record("a bad line passed under --on-error fail")
        } catch {
            #expect(error.location.line == 2)
            #expect(error.location.file == input)
            #expect(error.isDataError)
        }
        #expect(!FileSystem.exists(dir + "/fail.parquet"))
        #expect(try FileSystem.files(under: dir) == [input])

        options.onError = .skip
        options.rejectsPath = dir + "/rejects.jsonl"
        let summary = try Converter(inputs: [input], output: dir + "/skip.parquet", options: options).run()
        #expect(summary.rowsWritten == 2 && summary.rejected == 3)
        #expect(summary.rowsWritten + summary.rejected + summary.blankLines == summary.linesRead)
        let rejects = try readText(dir + "/rejects.jsonl").split(separator: "\n")
        #expect(rejects.count == 3)
        #expect(rejects[0].contains("\"line\":2") && rejects[0].contains("\"offset\":8") && rejects[0].contains(#""raw":"{\"a\":""#))
        #expect(rejects[1].contains("\"line\":3") && rejects[2].contains("\"line\":5"))
        #expect(try canonicalRows(dir + "/skip.parquet") == [#"{"a":1}"#, #"{"a":2}"#])
    }

    @Test func partitionsByDayAndColumn() throws {
        let dir = scratchDirectory("partitions")
        let input = dir + "/in.jsonl"
        writeFile(input, """
        {"type":"track","timestamp":"2019-05-27T23:59:59Z","v":1}
        {"type":"page","timestamp":"2019-05-28T00:00:00+02:00","v":2}
        {"type":"track","timestamp":"2019-05-28T10:00:00Z","v":3}
        {"type":null,"timestamp":null,"v":4}
        """)
        var options = ConvertOptions()
        options.partitioning = try PartitionSpec(parsing: "dt=day(timestamp)")
        _ = try Converter(inputs: [input], output: dir + "/by-day", options: options).run()
        #expect(try FileSystem.files(under: dir + "/by-day") == [
            dir + "/by-day/dt=2019-05-27/part-00000.parquet",
            dir + "/by-day/dt=2019-05-28/part-00000.parquet",
            dir + "/by-day/dt=__HIVE_DEFAULT_PARTITION__/part-00000.parquet",
        ])
        // The 02:00 offset puts event 2 on the 27th in UTC.
        #expect(try canonicalRows(dir + "/by-day/dt=2019-05-27/part-00000.parquet").count == 2)

        options.partitioning = try PartitionSpec(parsing: "type")
        _ = try Converter(inputs: [input], output: dir + "/by-type", options: options).run()
        let trackRows = try canonicalRows(dir + "/by-type/type=track/part-00000.parquet")
        // The partition column lives in the path, not in the files.
        #expect(trackRows == [#"{"timestamp":"2019-05-27T23:59:59.000000Z","v":1}"#,
                              #"{"timestamp":"2019-05-28T10:00:00.000000Z","v":3}"#])
    }

    @Test func rotatesFilesPastTheTargetSize() throws {
        let dir = scratchDirectory("rotate")
        var generator = EventGenerator(seed: 3)
        let events = generator.events(3000)
        let input = dir + "/events.jsonl"
        writeFile(input, String(decoding: events, as: UTF8.self))
        var options = ConvertOptions()
        options.targetFileSize = 64 << 10
        options.writer.rowGroupSize = 32 << 10
        options.batchBytes = 256 << 10
        let summary = try Converter(inputs: [input], output: dir + "/out", options: options).run()
        #expect(summary.files.count > 2)
        #expect(summary.rowsWritten == 3000)
        var rows = 0
        for f in summary.files { rows += try ParquetFile(path: f).numRows }
        #expect(rows == 3000)
    }

    @Test func partitionSpecParsing() throws {
        #expect(try PartitionSpec(parsing: "dt=hour(ts)") == PartitionSpec(key: "dt", column: "ts", transform: .hour))
        #expect(throws: FloeError.self) { try PartitionSpec(parsing: "dt=week(ts)") }
        #expect(throws: FloeError.self) { try PartitionSpec(parsing: "dt=day()") }
        #expect(PartitionSpec.escape(Array("a/b=c".utf8)) == "a%2Fb%3Dc")
    }
}

extension PartitionSpec {
    init(key: String, column: String, transform: Transform) {
        self = try! PartitionSpec(parsing: key == column ? column : "\(key)=\(transform.rawValue)(\(column))")
    }
}
