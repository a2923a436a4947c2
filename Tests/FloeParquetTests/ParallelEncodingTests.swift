import Testing
import FloeCore
import FloeCodecs
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// Column chunks encoded on several threads give the same file, byte for byte, as one thread:
/// flat and nested columns, dictionaries, delta encodings, every codec, both page versions,
/// bloom filters and the page index, over several row groups.
@Suite struct ParallelEncodingTests {
    @Test(arguments: VerifyCorruptionTests.samples)
    func threadsDoNotChangeTheBytes(sample: VerifyCorruptionTests.Sample) throws {
        var files: [[UInt8]] = []
        var last = ""
        for threads in [1, 2, 5] {
            var options = WriterOptions()
            options.codec = sample.codec
            options.pageVersion = sample.pageVersion
            options.dictionary = sample.dictionary
            options.columnEncodings = sample.encodings
            options.dataPageRowLimit = 300
            options.rowGroupRowLimit = 1000
            options.bloomFilterColumns = ["name"]
            options.encodingThreads = threads
            let path = temporaryPath("\(sample.name)-threads-\(threads).parquet")
            let writer = try ParquetWriter(path: path, schema: VerifyCorruptionTests.schema(nested: sample.nested), options: options)
            // Two batches, so that pending rows, slices and row groups interleave.
            try writer.write(VerifyCorruptionTests.columns(rows: 1500, nested: sample.nested))
            try writer.write(VerifyCorruptionTests.columns(rows: 1200, nested: sample.nested))
            try writer.close()
            files.append(try VerifyMutationTests.readAll(path))
            last = path
        }
        #expect(files[0].count > 1000)
        #expect(files[1] == files[0])
        #expect(files[2] == files[0])
        // And the file reads back: three row groups, every value.
        let file = try ParquetFile(path: last)
        #expect(file.rowGroupCount == 3)
        var rows = 0
        for g in 0..<file.rowGroupCount { rows += file.rowCount(ofRowGroup: g); _ = try file.readRowGroup(g) }
        #expect(rows == 2700)
    }
}
