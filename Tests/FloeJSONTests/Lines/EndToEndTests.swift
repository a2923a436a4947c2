import Testing
import Foundation
import FloeCore
import FloeColumns
import FloeFormat
import FloeParquet
@testable import FloeJSON

/// A fresh temporary directory for one test.
func linesTemporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("floe-jsonl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// Writes `columns` of `schema` to a Parquet file and reads every row group back.
func linesRoundTrip(_ schema: Schema, _ columns: [ColumnData], options: WriterOptions = WriterOptions()) throws -> (ParquetFile, [ColumnData]) {
    let dir = try linesTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/out.parquet"
    let writer = try ParquetWriter(path: path, schema: schema, options: options)
    try writer.write(columns)
    try writer.close()
    let file = try ParquetFile(path: path)
    var back: [ColumnData] = schema.leaves.map { ColumnData(emptyFor: $0) }
    for g in 0..<file.rowGroupCount {
        let group = try file.readRowGroup(g)
        for i in back.indices { back[i].append(contentsOf: group[i]) }
    }
    return (file, back)
}

@Suite struct EndToEndTests {
    @Test func segmentEventsRoundTripThroughParquet() throws {
        var generator = SegmentEvents(seed: 2019)
        let lines = (0..<600).map { generator.line($0) }
        let schema = try linesInfer(lines)
        let paths = Dictionary(uniqueKeysWithValues: schema.leaves.map { ($0.dottedPath, $0) })
        #expect(paths["timestamp"]?.logicalType == .timestamp(isAdjustedToUTC: true, unit: .micros))
        #expect(paths["userId"]?.logicalType == .string)
        #expect(paths["properties.position"]?.logicalType == .string)          // number vs string
        #expect(paths["properties.products.list.element.price"]?.physicalType == .double)
        #expect(paths["integrations.key_value.key"] != nil)                     // always empty → map
        #expect(paths["traits.logins"]?.physicalType == .int64)
        let columns = try linesShred(schema, lines)
        for (leaf, data) in zip(schema.leaves, columns) {
            try data.validate(against: leaf)
            #expect(data.rowCount(maxRepetitionLevel: leaf.maxRepetitionLevel) == 600)
        }
        var options = WriterOptions()
        options.rowGroupRowLimit = 250
        let (file, back) = try linesRoundTrip(schema, columns, options: options)
        #expect(file.numRows == 600)
        #expect(file.rowGroupCount == 3)
        #expect(file.schema.leaves.map(\.dottedPath) == schema.leaves.map(\.dottedPath))
        #expect(back == columns)
    }

    @Test func nestedRecordsAndHiveColumnsRoundTrip() throws {
        let (_, nested) = try linesRoundTrip(nestedSchema, try linesShred(nestedSchema, nestedRecords))
        #expect(nested == (try linesShred(nestedSchema, nestedRecords)))
        let hive = try HiveSchemaParser.parse(
            "id bigint, price decimal(10,2), big decimal(30,3), day date, ts timestamp, tags array<string>, ctx map<string,string>, s struct<n:int>")
        let lines = [
            #"{"id":1,"price":"9.99","big":-12345678901234567890.125,"day":"2019-05-27","ts":"2019-05-27T13:45:10Z","tags":["a",null],"ctx":{"k":{"x":1}},"s":{"n":1}}"#,
            #"{"id":null,"tags":[],"ctx":{},"s":{}}"#,
            #"{}"#,
        ]
        let columns = try linesShred(hive, lines)
        let (_, back) = try linesRoundTrip(hive, columns)
        #expect(back == columns)
    }
}
