import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeColumns
import FloeParquet
import FloeJSON
@testable import FloeConvert

private func bytesOf(_ path: String) throws -> [UInt8] {
    let file = try RandomAccessFile(path: path)
    return try file.read(offset: 0, count: file.size)
}

/// The entries of a directory, recursively, as sorted relative paths (temporary files included).
private func listing(_ dir: String, _ prefix: String = "") -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var out: [String] = []
    while let entry = readdir(d) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name == "." || name == ".." { continue }
        let path = dir + "/" + name
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            out += listing(path, prefix + name + "/")
        } else {
            out.append(prefix + name)
        }
    }
    return out.sorted()
}

/// Generated events with extra lines inserted at the given 1-based line numbers.
private func events(_ count: Int, inserting extra: [Int: String] = [:]) -> String {
    var generator = EventGenerator(seed: 5)
    let text = String(decoding: generator.events(count), as: UTF8.self)
    var lines = text.split(separator: "\n").map(String.init)
    for (number, line) in extra.sorted(by: { $0.key < $1.key }) { lines.insert(line, at: number - 1) }
    return lines.joined(separator: "\n") + "\n"
}

/// Converts `input` twice — in one pass under a sampled schema, and with an inference pass of its
/// own — into fresh directories, and returns both summaries and output directories.
private func convertBothWays(_ input: String, _ dir: String, sampleLines: Int, configure: (inout ConvertOptions) -> Void = { _ in })
    throws -> (single: ConvertSummary, singleDir: String, twoPass: ConvertSummary, twoPassDir: String) {
    var options = ConvertOptions()
    options.batchBytes = 64 << 10  // many chunks
    options.threads = 2
    options.sampleLines = sampleLines
    configure(&options)
    var reference = options
    reference.singlePassInference = false
    let singleDir = dir + "/single", twoPassDir = dir + "/two"
    var singleOptions = options
    if let rejects = options.rejectsPath { singleOptions.rejectsPath = rejects + ".single" }
    if let rejects = options.rejectsPath { reference.rejectsPath = rejects + ".two" }
    let single = try Converter(inputs: [input], output: singleDir, options: singleOptions).run()
    let twoPass = try Converter(inputs: [input], output: twoPassDir, options: reference).run()
    return (single, singleDir, twoPass, twoPassDir)
}

private func expectSameFiles(_ a: String, _ b: String) throws {
    let names = listing(a)
    #expect(names == listing(b))
    #expect(!names.isEmpty)
    #expect(!names.contains { $0.contains("floe-tmp") })
    for name in names { #expect(try bytesOf(a + "/" + name) == bytesOf(b + "/" + name), "\(name)") }
}

@Suite struct SinglePassInferenceTests {
    @Test func aConflictTheSchemaAlreadyHoldsStaysInOnePass() throws {
        // `type` is a string: a number there is stored as its JSON text under the same schema.
        let dir = scratchDirectory("single-pass-conflict")
        let input = dir + "/in.jsonl"
        writeFile(input, events(3000, inserting: [2900: "{\"type\":42}"]))
        let r = try convertBothWays(input, dir, sampleLines: 100)
        #expect(r.single.singlePass)
        try expectSameFiles(r.singleDir, r.twoPassDir)
    }

    @Test func aRepresentativeSampleConvertsInOnePassWithTheSameOutput() throws {
        let dir = scratchDirectory("single-pass")
        let input = dir + "/in.jsonl"
        writeFile(input, events(3000))
        let r = try convertBothWays(input, dir, sampleLines: 2000)
        #expect(r.single.singlePass)
        #expect(!r.twoPass.singlePass)
        #expect(r.single.schema == r.twoPass.schema)
        #expect(r.single.rowsWritten == 3000 && r.twoPass.rowsWritten == 3000)
        try expectSameFiles(r.singleDir, r.twoPassDir)
    }

    @Test(arguments: [
        // A field the sample never saw.
        "{\"type\":\"track\",\"lateField\":{\"depth\":[1,2,3]}}",
        // A type conflict: a string where the sample saw integers.
        "{\"version\":\"two\",\"messageId\":\"x\"}",
        // An integer field that turns out to hold a double.
        "{\"version\":2.5}",
    ])
    func aLateSurpriseFallsBackToTwoPassesWithTheSameOutput(_ surprise: String) throws {
        let dir = scratchDirectory("fallback")
        let input = dir + "/in.jsonl"
        writeFile(input, events(3000, inserting: [2800: surprise]))
        let r = try convertBothWays(input, dir, sampleLines: 100)
        #expect(!r.single.singlePass)
        #expect(r.single.schema == r.twoPass.schema)
        #expect(r.single.rowsWritten == 3001 && r.single.linesRead == 3001)
        try expectSameFiles(r.singleDir, r.twoPassDir)
    }

    @Test func filesRotatedBeforeAFallbackNeverAppearUnderTheirNames() throws {
        let dir = scratchDirectory("fallback-rotation")
        let input = dir + "/in.jsonl"
        writeFile(input, events(6000, inserting: [5900: "{\"surprise\":true}"]))
        let r = try convertBothWays(input, dir, sampleLines: 50) { options in
            options.targetFileSize = 64 << 10
            options.writer.rowGroupSize = 32 << 10
        }
        #expect(!r.single.singlePass)
        #expect(r.single.files.count > 3)
        #expect(r.single.files.count == r.twoPass.files.count)
        try expectSameFiles(r.singleDir, r.twoPassDir)
    }

    @Test func rejectsAndCountsMatchTheTwoPassConversion() throws {
        let dir = scratchDirectory("single-pass-rejects")
        let input = dir + "/in.jsonl"
        writeFile(input, events(3000, inserting: [10: "{\"a\":", 1500: "not json", 2900: "{\"late\":1}"]))
        for sample in [5, 100_000] {
            let sub = dir + "/s\(sample)"
            _ = mkdir(sub, 0o755)
            let r = try convertBothWays(input, sub, sampleLines: sample) { options in
                options.onError = .skip
                options.rejectsPath = sub + "/rejects.jsonl"
            }
            #expect(r.single.singlePass == (sample == 100_000))
            #expect(r.single.rejected == 2 && r.twoPass.rejected == 2)
            #expect(r.single.rowsWritten + r.single.rejected == r.single.linesRead)
            #expect(try readText(sub + "/rejects.jsonl.single") == readText(sub + "/rejects.jsonl.two"))
            try expectSameFiles(r.singleDir, r.twoPassDir)
        }
    }

    @Test func aBadLineFailsWithItsNumberInEitherMode() throws {
        let dir = scratchDirectory("single-pass-fail")
        let input = dir + "/in.jsonl"
        writeFile(input, events(3000, inserting: [2500: "{\"a\":1,}"]))
        var options = ConvertOptions()
        options.batchBytes = 64 << 10
        options.sampleLines = 100
        do {
            _ = try Converter(inputs: [input], output: dir + "/out", options: options).run()
            Issue.record("expected a failure")
        } catch {
            #expect(error.location.line == 2500)
        }
        #expect(listing(dir + "/out").isEmpty)
    }

    @Test func partitionedOutputMatches() throws {
        let dir = scratchDirectory("single-pass-partitions")
        let input = dir + "/in.jsonl"
        writeFile(input, events(2000, inserting: [1990: "{\"type\":\"track\",\"newKey\":\"v\"}"]))
        for sample in [10, 100_000] {
            let sub = dir + "/s\(sample)"
            _ = mkdir(sub, 0o755)
            let r = try convertBothWays(input, sub, sampleLines: sample) { options in
                options.partitioning = try? PartitionSpec(parsing: "type")
            }
            #expect(r.single.singlePass == (sample == 100_000))
            #expect(listing(r.singleDir).contains("type=track/part-00000.parquet"))
            try expectSameFiles(r.singleDir, r.twoPassDir)
        }
    }
}
