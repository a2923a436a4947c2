import Testing
import FloeCore
import FloeColumns
import FloeEncodings
@testable import FloeJSON

@Suite struct FuzzLinesTests {
    /// Mutated event lines never trap: they scan or fail with a located error, and what scans
    /// shreds or fails atomically. Every accepted string decodes to valid UTF-8.
    @Test func mutatedEventsNeverTrap() throws {
        var generator = SegmentEvents(seed: 77)
        let lines = (0..<200).map { generator.line($0) }
        let schema = try linesInfer(lines)
        var shredder = try JSONShredder(schema: schema)
        var scanner = JSONLineScanner()
        var tape = JSONTape()
        var rng = SplitMix(seed: 4242)
        var accepted = 0, rejected = 0, shredFailures = 0
        let interesting: [UInt8] = Array("{}[]\",:\\/u0e-+.19 tfn".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]
        for round in 0..<4000 {
            var bytes = Array(lines[round % lines.count].utf8)
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                let byte = interesting[Int(rng.next() % UInt64(interesting.count))]
                switch rng.next() % 3 {
                case 0: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                default: if bytes.count > 1 { bytes.remove(at: at) }
                }
            }
            let before = shredder.rowCount
            do throws(FloeError) {
                try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                    try scanner.scan(raw, lineNumber: round + 1, into: &tape)
                    accepted += 1
                    for token in tape.tokens where token.kind == .string || token.kind == .key {
                        let decoded = JSONStringDecoding.decoded(token, in: raw)
                        #expect(Array(String(decoding: decoded, as: UTF8.self).utf8) == decoded)
                    }
                    do throws(FloeError) { try shredder.append(tape, line: raw) } catch {
                        shredFailures += 1
                        #expect(shredder.rowCount == before)
                        throw error
                    }
                }
            } catch {
                rejected += 1
                #expect(error.location.line == round + 1)
                if error.code == .corrupt, error.location.column == nil { #expect(error.location.byteColumn != nil) }
            }
        }
        #expect(accepted > 100 && rejected > 100)
        let columns = shredder.take()
        for (leaf, data) in zip(schema.leaves, columns) {
            try data.validate(against: leaf)
            #expect(data.rowCount(maxRepetitionLevel: leaf.maxRepetitionLevel) == accepted - shredFailures)
        }
    }

    @Test func deepSchemasAndDocumentsAreRefusedNotOverflowed() {
        let deep = String(repeating: "array<", count: 100) + "int" + String(repeating: ">", count: 100)
        do {
            _ = try HiveSchemaParser.parse("a " + deep)
            Issue.record("accepted a 100-deep type")
        } catch {
            #expect(error.message.contains("nested deeper than 64"))
        }
        var scanner = JSONLineScanner(maxDepth: 1_000_000)
        #expect(scanner.maxDepth == JSONLineScanner.depthCeiling)
        scanner.maxDepth = 0
        #expect(scanner.maxDepth == 1)
        // Inference over the deepest accepted document works; its schema is refused cleanly.
        let depth = 999
        let line = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        var options = SchemaInference.Options()
        options.maxStructFields = 10
        do {
            var inference = SchemaInference(options: options)
            var wide = JSONLineScanner(maxDepth: 1000)
            var tape = JSONTape()
            try Array(line.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                try wide.scan(raw, lineNumber: 1, into: &tape)
                try inference.add(tape, line: raw)
            }
            _ = try inference.schema()
            Issue.record("a 999-deep schema was accepted")
        } catch {
            #expect(error.code == .unsupported)
        }
    }
}
