import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeColumns
import FloeFormat
import FloeParquet
import FloeJSON
@testable import FloeConvert

/// Generated events with bad lines at known line numbers (1-based) and a blank line.
private func eventsWithBadLines(_ count: Int, bad: [Int: String]) -> String {
    var generator = EventGenerator(seed: 11)
    let text = String(decoding: generator.events(count), as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    for (number, line) in bad.sorted(by: { $0.key < $1.key }) { lines.insert(line, at: number - 1) }
    return lines.joined(separator: "\n") + "\n"
}

private func fileBytes(_ path: String) throws -> [UInt8] {
    let file = try RandomAccessFile(path: path)
    return try file.read(offset: 0, count: file.size)
}

@Suite struct ParallelConvertTests {
    static let bad: [Int: String] = [2: "{\"a\":", 1500: "not json", 2999: "", 3100: "[1,2]", 4001: "42"]

    @Test func theThreadCountDoesNotChangeTheOutput() throws {
        let dir = scratchDirectory("threads")
        let input = dir + "/in.jsonl"
        writeFile(input, eventsWithBadLines(4000, bad: Self.bad))
        var outputs: [[UInt8]] = []
        var rejectTexts: [String] = []
        var summaries: [ConvertSummary] = []
        for threads in [1, 2, 3] {
            var options = ConvertOptions()
            options.threads = threads
            options.batchBytes = 64 << 10  // many chunks
            options.onError = .skip
            options.rejectsPath = dir + "/rejects-\(threads).jsonl"
            let out = dir + "/out-\(threads).parquet"
            summaries.append(try Converter(inputs: [input], output: out, options: options).run())
            outputs.append(try fileBytes(out))
            rejectTexts.append(try readText(dir + "/rejects-\(threads).jsonl"))
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
        #expect(rejectTexts[0] == rejectTexts[1] && rejectTexts[1] == rejectTexts[2])
        for s in summaries {
            #expect(s.linesRead == 4005 && s.blankLines == 1 && s.rejected == 4 && s.rowsWritten == 4000)
        }
        // The rejected lines keep their exact numbers, whatever chunk they fell in.
        let numbers = rejectTexts[0].split(separator: "\n").map { line -> Int in
            let tail = line.split(separator: ",").first { $0.hasPrefix("\"line\":") } ?? ""
            return Int(tail.dropFirst(7)) ?? -1
        }
        #expect(numbers == [2, 1500, 3100, 4001])
        #expect(try canonicalRows(dir + "/out-2.parquet").count == 4000)
    }

    @Test func aBadLineInALaterChunkFailsWithItsLineNumber() throws {
        let dir = scratchDirectory("late-failure")
        let input = dir + "/in.jsonl"
        writeFile(input, eventsWithBadLines(3000, bad: [2345: "{\"broken\":tru}"]))
        var options = ConvertOptions()
        options.threads = 2
        options.batchBytes = 64 << 10
        do {
            _ = try Converter(inputs: [input], output: dir + "/out.parquet", options: options).run()
            Issue.record("a bad line passed under --on-error fail")
        } catch {
            #expect(error.location.line == 2345)
            #expect(error.location.file == input)
        }
        #expect(!FileSystem.exists(dir + "/out.parquet"))
    }

    @Test func inferenceInChunksEqualsOnePass() throws {
        let dir = scratchDirectory("infer-chunks")
        let input = dir + "/in.jsonl"
        writeFile(input, eventsWithBadLines(3000, bad: [700: "{\"late\":1", 2500: "{\"late\":[1,2.5],\"position\":\"x\"}"]))
        var chunked = ConvertOptions()
        chunked.threads = 2
        chunked.batchBytes = 64 << 10
        chunked.onError = .skip
        var onePass = chunked
        onePass.inferRows = Int.max  // the sequential sampling pass, over every line
        let a = try Converter(inputs: [input], output: dir + "/a.parquet", options: chunked).run()
        let b = try Converter(inputs: [input], output: dir + "/b.parquet", options: onePass).run()
        let schemaA = try #require(a.schema)
        #expect(schemaA == b.schema)
        #expect(schemaA.messageText.contains("late (LIST)"))
        #expect(try fileBytes(dir + "/a.parquet") == fileBytes(dir + "/b.parquet"))
    }

    @Test func compactEncodingsForIdsTimestampsAndRepeatedValues() throws {
        let dir = scratchDirectory("compact")
        let input = dir + "/in.jsonl"
        var generator = EventGenerator(seed: 5)
        writeFile(input, String(decoding: generator.events(3000), as: UTF8.self))
        let out = dir + "/out.parquet"
        _ = try Converter(inputs: [input], output: out).run()
        let file = try ParquetFile(path: out)
        func encodings(_ name: String) throws -> [Encoding] {
            let index = try #require(file.schema.leaves.firstIndex { $0.dottedPath == name })
            return try #require(file.metadata.rowGroups[0].columns[index].metaData).encodings
        }
        // Unique ids: no dictionary, lengths apart from bytes.
        #expect(try encodings("messageId").contains(.deltaLengthByteArray))
        #expect(try !encodings("messageId").contains(.rleDictionary))
        // Timestamps (micros, nearly all distinct): no dictionary, delta-encoded.
        #expect(try encodings("timestamp") == [.rle, .deltaBinaryPacked])
        // Few distinct values: dictionary.
        #expect(try encodings("type").contains(.rleDictionary))
        // Every value survives: the rows equal those of a file written without compact encodings.
        var plain = ConvertOptions()
        plain.compactEncodings = false
        _ = try Converter(inputs: [input], output: dir + "/plain.parquet", options: plain).run()
        let compactRows = try canonicalRows(out)
        #expect(compactRows.count == 3000)
        #expect(compactRows == (try canonicalRows(dir + "/plain.parquet")))
    }
}
