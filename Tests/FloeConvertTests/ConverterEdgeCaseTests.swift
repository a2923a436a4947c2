import Testing
import FloeCore
import FloeParquet
import FloeJSON
@testable import FloeConvert

/// Inputs and arguments at the edges: records without fields, a BOM before a blank line, files
/// named twice, partition keys that clash, records with no common shape.
@Suite struct ConverterEdgeCaseTests {
    @Test(arguments: [true, false])
    func recordsWithoutFieldsAreCounted(singlePass: Bool) throws {
        let dir = scratchDirectory("no-fields")
        writeFile(dir + "/in.jsonl", "{}\n{ }\n\n{}\n")
        var options = ConvertOptions()
        options.singlePassInference = singlePass
        let summary = try Converter(inputs: [dir + "/in.jsonl"], output: dir + "/out.parquet", options: options).run()
        #expect(summary.rowsWritten == 3 && summary.blankLines == 1)
        let file = try ParquetFile(path: dir + "/out.parquet")
        #expect(file.schema.leaves.isEmpty)
        #expect(file.numRows == 3)
        #expect(try canonicalRows(dir + "/out.parquet") == ["{}", "{}", "{}"])
    }

    @Test func partitionsOfTheOnlyFieldKeepTheirRows() throws {
        let dir = scratchDirectory("only-partition")
        writeFile(dir + "/in.jsonl", #"{"k":"a"}"# + "\n" + #"{"k":"a"}"# + "\n" + #"{"k":"b"}"# + "\n")
        var options = ConvertOptions()
        options.partitioning = try PartitionSpec(parsing: "k")
        _ = try Converter(inputs: [dir + "/in.jsonl"], output: dir + "/out", options: options).run()
        #expect(try ParquetFile(path: dir + "/out/k=a/part-00000.parquet").numRows == 2)
        #expect(try ParquetFile(path: dir + "/out/k=b/part-00000.parquet").numRows == 1)
    }

    @Test func aBOMBeforeABlankLineIsABlankLine() throws {
        let dir = scratchDirectory("bom-blank")
        writeFile(dir + "/in.jsonl", "\u{FEFF}\n{\"a\":1}\n")
        writeFile(dir + "/only.jsonl", "\u{FEFF}")
        let summary = try Converter(inputs: [dir + "/in.jsonl"], output: dir + "/out.parquet").run()
        #expect(summary.blankLines == 1 && summary.rowsWritten == 1)
        #expect(try canonicalRows(dir + "/out.parquet") == [#"{"a":1}"#])
        let only = try Converter(inputs: [dir + "/only.jsonl"], output: dir + "/only.parquet").run()
        #expect(only.blankLines == 1 && only.rowsWritten == 0)
        // Past the first line a BOM is not whitespace.
        let bom = Array("\u{FEFF}".utf8)
        bom.withUnsafeBytes { raw in
            #expect(JSONLineScanner.isBlank(raw, isFirstLine: true))
            #expect(!JSONLineScanner.isBlank(raw))
        }
    }

    @Test func theRejectsFileMayNotBeTheOutputOrAnInput() throws {
        let dir = scratchDirectory("rejects-clash")
        let input = dir + "/in.jsonl"
        writeFile(input, "{\"a\":1}\nnot json\n")
        var options = ConvertOptions()
        options.onError = .skip
        for rejects in [dir + "/out.parquet", dir + "/./out.parquet", input, dir + "/../" + lastComponent(dir) + "/in.jsonl"] {
            options.rejectsPath = rejects
            #expect(throws: FloeError.self) { try Converter(inputs: [input], output: dir + "/out.parquet", options: options) }
        }
        #expect(try readText(input) == "{\"a\":1}\nnot json\n")
        #expect(throws: FloeError.self) { try Converter(inputs: [dir + "/out.parquet"], output: dir + "/out.parquet") }
        options.rejectsPath = dir + "/rejects.jsonl"
        let summary = try Converter(inputs: [input], output: dir + "/out.parquet", options: options).run()
        #expect(summary.rowsWritten == 1 && summary.rejected == 1)
    }

    @Test func aTimeBucketKeyMayNotHideAField() throws {
        let dir = scratchDirectory("key-clash")
        writeFile(dir + "/in.jsonl", #"{"t":"2019-05-27T10:00:00Z","I":1}"# + "\n")
        var options = ConvertOptions()
        options.partitioning = try PartitionSpec(parsing: "i=day(t)")
        do {
            _ = try Converter(inputs: [dir + "/in.jsonl"], output: dir + "/out", options: options).run()
            Issue.record("a partition key named like a field was accepted")
        } catch {
            #expect(error.message.contains("'i'") && error.message.contains("'I'"))
        }
        #expect(!FileSystem.exists(dir + "/out/i=2019-05-27"))
        options.partitioning = try PartitionSpec(parsing: "dt=day(t)")
        _ = try Converter(inputs: [dir + "/in.jsonl"], output: dir + "/out", options: options).run()
        #expect(try canonicalRows(dir + "/out/dt=2019-05-27/part-00000.parquet") == [#"{"t":"2019-05-27T10:00:00.000000Z","I":1}"#])
    }

    @Test(arguments: [true, false])
    func recordsWithoutACommonShapeFailFast(singlePass: Bool) throws {
        let dir = scratchDirectory("no-shape")
        var text = ""
        for i in 0..<10_050 { text += "{\"id\":\(i),\"k\(i)\":\(i)}\n" }
        writeFile(dir + "/in.jsonl", text)
        var options = ConvertOptions()
        options.singlePassInference = singlePass
        do {
            _ = try Converter(inputs: [dir + "/in.jsonl"], output: dir + "/out.parquet", options: options).run()
            Issue.record("10,051 distinct top-level keys were accepted")
        } catch {
            #expect(error.code == .limitExceeded)
            #expect(error.message.contains("more than 10000 distinct top-level keys"))
        }
        #expect(!FileSystem.exists(dir + "/out.parquet"))
    }

    @Test func encodingsAndBloomFiltersMustNameAColumn() throws {
        let dir = scratchDirectory("column-names")
        var text = ""
        let pad = String(repeating: "p", count: 30_000)
        for i in 0..<50 { text += "{\"id\":\(i),\"ctx\":{\"ip\":\"10.0.0.\(i)\"},\"pad\":\"\(pad)\"}\n" }
        // A field past the sample (which is the lines of the first MiB read, at least `sampleLines`).
        text += "{\"id\":50,\"late\":\"x\"}\n"
        writeFile(dir + "/in.jsonl", text)
        var options = ConvertOptions()
        options.sampleLines = 10
        for misspelt in ["ctx.IP", "nope"] {
            options.writer.bloomFilterColumns = [misspelt]
            do {
                _ = try Converter(inputs: [dir + "/in.jsonl"], output: dir + "/out.parquet", options: options).run()
                Issue.record("--bloom-filter \(misspelt) was accepted")
            } catch {
                #expect(error.message.contains("no column named '\(misspelt)'"))
            }
        }
        options.writer.bloomFilterColumns = []
        options.writer.columnEncodings = ["id2": .deltaBinaryPacked]
        #expect(throws: FloeError.self) { try Converter(inputs: [dir + "/in.jsonl"], output: dir + "/out.parquet", options: options).run() }
        #expect(!FileSystem.exists(dir + "/out.parquet"))
        // Dotted paths, top-level names and a field first seen after the sample are all columns.
        options.writer.columnEncodings = ["id": .deltaBinaryPacked, "late": .deltaLengthByteArray]
        options.writer.bloomFilterColumns = ["ctx.ip"]
        let summary = try Converter(inputs: [dir + "/in.jsonl"], output: dir + "/out.parquet", options: options).run()
        #expect(summary.rowsWritten == 51 && !summary.singlePass)
        let file = try ParquetFile(path: dir + "/out.parquet")
        let chunks = file.metadata.rowGroups[0].columns
        #expect(chunks[0].metaData?.encodings.contains(.deltaBinaryPacked) == true)
        #expect(chunks[1].metaData?.bloomFilterOffset != nil)
        #expect(chunks[3].metaData?.encodings.contains(.deltaLengthByteArray) == true)
    }

    func lastComponent(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }
}
