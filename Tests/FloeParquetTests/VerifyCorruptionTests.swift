import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeCodecs
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// Seeded corruption of valid files — flat, nested, dictionary, delta, every codec, both page
/// versions —: single-byte flips, random byte runs and truncations. The verifier (and the
/// reader, which decodes every mutant) must never trap or hang; with checksums on it must flag
/// every truncation, and every mutant of the page bytes whose decoded values differ from the
/// original's.
@Suite struct VerifyCorruptionTests {
    struct Sample: Sendable, CustomStringConvertible {
        var name: String
        var codec: CompressionKind
        var pageVersion: Int
        var dictionary: Bool
        var nested: Bool
        var encodings: [String: Encoding] = [:]
        var description: String { name }
    }

    static let samples: [Sample] = [
        Sample(name: "flat-dict-zstd-v1", codec: .zstd, pageVersion: 1, dictionary: true, nested: false),
        Sample(name: "flat-plain-snappy-v2", codec: .snappy, pageVersion: 2, dictionary: false, nested: false),
        Sample(name: "nested-gzip-v1", codec: .gzip, pageVersion: 1, dictionary: true, nested: true),
        Sample(name: "nested-lz4raw-v2", codec: .lz4Raw, pageVersion: 2, dictionary: false, nested: true),
        Sample(name: "delta-uncompressed-v1", codec: .uncompressed, pageVersion: 1, dictionary: false, nested: false,
               encodings: ["id": .deltaBinaryPacked, "name": .deltaByteArray, "score": .byteStreamSplit]),
        Sample(name: "delta-length-brotli-v2", codec: .brotli, pageVersion: 2, dictionary: false, nested: false,
               encodings: ["id": .deltaBinaryPacked, "name": .deltaLengthByteArray]),
        Sample(name: "flat-dict-lz4-v1", codec: .lz4, pageVersion: 1, dictionary: true, nested: false),
    ]

    static func schema(nested: Bool) -> Schema {
        var fields: [SchemaNode] = [
            .leaf("id", .int64, .required),
            .leaf("name", .byteArray, .optional, logicalType: .string),
            .leaf("score", .double, .optional),
        ]
        if nested {
            fields.append(.group("tags", [.group("list", [.leaf("element", .int32, .optional)], .repeated)],
                                 .optional, logicalType: .list))
        }
        return try! Schema(root: .group("schema", fields))
    }

    static func columns(rows: Int, nested: Bool) -> [ColumnData] {
        let present: [UInt8] = (0..<rows).map { $0 % 6 == 5 ? 0 : 1 }
        let count = present.filter { $0 == 1 }.count
        var out = [
            ColumnData(values: .int64((0..<rows).map { Int64($0 * 13 - 500) })),
            ColumnData(values: .byteArray(BinaryValues((0..<count).map { Array("user-\($0 % 37)-\($0 / 50)".utf8) })),
                       definitionLevels: present),
            ColumnData(values: .double((0..<count).map { Double($0) * 0.25 - 7 }), definitionLevels: present),
        ]
        if nested {
            var def: [UInt8] = [], rep: [UInt8] = [], values: [Int32] = []
            for r in 0..<rows {
                if r % 5 == 4 { def.append(0); rep.append(0); continue }
                let n = r % 4
                if n == 0 { def.append(1); rep.append(0); continue }
                for k in 0..<n {
                    rep.append(k == 0 ? 0 : 1)
                    if k == 2 { def.append(2) } else { def.append(3); values.append(Int32(r * 3 + k)) }
                }
            }
            out.append(ColumnData(values: .int32(values), definitionLevels: def, repetitionLevels: rep))
        }
        return out
    }

    static func write(_ sample: Sample) throws -> (path: String, bytes: [UInt8]) {
        var options = WriterOptions()
        options.codec = sample.codec
        options.pageVersion = sample.pageVersion
        options.dictionary = sample.dictionary
        options.columnEncodings = sample.encodings
        options.dataPageRowLimit = 300
        options.rowGroupRowLimit = 1000
        let path = temporaryPath(sample.name + ".parquet")
        let writer = try ParquetWriter(path: path, schema: schema(nested: sample.nested), options: options)
        try writer.write(columns(rows: 2000, nested: sample.nested))
        try writer.close()
        return (path, try VerifyMutationTests.readAll(path))
    }

    /// Every column of every row group, or nil when the reader refuses the file.
    static func decodeAll(_ path: String) -> [[ColumnData]]? {
        var limits = ReaderLimits()
        limits.verifyChecksums = false
        guard let file = try? ParquetFile(path: path, limits: limits) else { return nil }
        var out: [[ColumnData]] = []
        for g in 0..<file.rowGroupCount {
            var group: [ColumnData] = []
            for c in file.schema.leaves.indices {
                guard let column = try? file.readColumn(rowGroup: g, column: c) else { return nil }
                group.append(column)
            }
            out.append(group)
        }
        return out
    }

    struct Figures: CustomStringConvertible {
        var mutants = 0, detected = 0, pageMutants = 0, pageMutantsChanged = 0, changedUndetected = 0
        var truncations = 0, truncationsDetected = 0, slowest: Duration = .zero
        var description: String {
            "\(mutants) mutants, \(detected) detected; \(pageMutants) touch page bytes, \(pageMutantsChanged) of them change the decoded values, \(changedUndetected) of those undetected; \(truncations) truncations, \(truncationsDetected) detected; slowest verify \(slowest)"
        }
    }

    @Test(arguments: samples)
    func seededCorruption(sample: Sample) throws {
        let (path, bytes) = try VerifyCorruptionTests.write(sample)
        defer { unlink(path) }
        let clean = FileVerifier(options: VerifyOptions(deep: true)).verify(path: path)
        #expect(clean.findings.isEmpty, "\(sample): \(clean.findings)")
        let original = try #require(VerifyCorruptionTests.decodeAll(path))
        let file = try ParquetFile(path: path)
        var pageBytes: [Range<Int>] = []
        for g in 0..<file.rowGroupCount {
            for c in file.schema.leaves.indices {
                for p in try file.pageHeaders(rowGroup: g, column: c) {
                    pageBytes.append(p.offset..<(p.offset + p.headerLength + Int(p.header.compressedPageSize)))
                }
            }
        }
        var rng = SeededRandom(state: UInt64(sample.name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        var figures = Figures()
        let mutantPath = temporaryPath("mutant-" + sample.name + ".parquet")
        defer { unlink(mutantPath) }
        let clock = ContinuousClock()
        for round in 0..<200 {
            var mutant = bytes
            var touched: Range<Int>
            let truncation = round % 10 == 9
            if truncation {
                let keep = Int(rng.next() % UInt64(bytes.count))
                mutant = Array(bytes[0..<keep])
                touched = keep..<bytes.count
            } else if round % 10 >= 7 {
                let start = Int(rng.next() % UInt64(bytes.count))
                let length = min(bytes.count - start, 2 + Int(rng.next() % 63))
                for i in start..<(start + length) { mutant[i] = UInt8(truncatingIfNeeded: rng.next()) }
                touched = start..<(start + length)
            } else {
                let at = Int(rng.next() % UInt64(bytes.count))
                mutant[at] ^= UInt8(truncatingIfNeeded: rng.next() % 255 + 1)
                touched = at..<(at + 1)
            }
            if mutant == bytes { continue }
            try VerifyMutationTests.writeAll(mutant, to: mutantPath)
            let started = clock.now
            let report = FileVerifier().verify(path: mutantPath)
            figures.slowest = max(figures.slowest, started.duration(to: clock.now))
            figures.mutants += 1
            if !report.isClean { figures.detected += 1 }
            if truncation {
                figures.truncations += 1
                if !report.isClean { figures.truncationsDetected += 1 }
                continue
            }
            guard pageBytes.contains(where: { $0.overlaps(touched) }) else { continue }
            figures.pageMutants += 1
            let decoded = VerifyCorruptionTests.decodeAll(mutantPath)
            if decoded.map({ $0 != original }) ?? true {
                figures.pageMutantsChanged += 1
                if report.isClean {
                    figures.changedUndetected += 1
                    Issue.record("\(sample): a mutant at \(touched) changes the values but verifies clean")
                }
            }
        }
        print("corruption \(sample): \(figures)")
        #expect(figures.truncationsDetected == figures.truncations)
        #expect(figures.changedUndetected == 0)
        #expect(figures.pageMutants > 50)
        #expect(figures.slowest < .seconds(5))
    }
}
