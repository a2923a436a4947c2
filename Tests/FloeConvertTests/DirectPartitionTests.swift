import Testing
import FloeCore
import FloeColumns
@testable import FloeJSON
@testable import FloeConvert

/// The partition value found without a tape (``PartitionSpec/directValue(line:columnKey:isFirstLine:memo:)``)
/// against the tape's (``PartitionSpec/value(in:line:columnKey:)``): wherever the one-pass
/// shredding takes a line, both give the same value.
@Suite struct DirectPartitionTests {
    static let specs = ["dt=day(timestamp)", "h=hour(timestamp)", "m=month(timestamp)", "y=year(timestamp)", "type", "n"]

    static let extra = [
        #"{"timestamp":"2019-05-27T23:30:00-02:00","type":"a b/c","n":1.5}"#,
        #"{"timestamp":"2019-05-27T23:30:00+05:30","type":"%x=y","n":-0}"#,
        #"{"timestamp":"1969-12-31T23:59:59.999Z","type":"","n":true}"#,
        #"{"timestamp":null,"type":null,"n":null}"#,
        #"{"type":"x"}"#, "{}",
        #"{"timestamp":"2019-05-27T10:00:00Z","timestamp":"2020-01-01T10:00:00Z","type":"a","type":"b"}"#,
        #"{"timestamp":"2019-05-27T10:00:00\u005A","type":"\u0061"}"#,
        #"{"timestamp":"not a time","type":{"o":1},"n":[1]}"#,
        #"{"timestamp" : "2019-05-27T10:00:00Z" , "type" : "t" , "n" : 7 }"#,
        #"{"timestamp":"2019-05-27T10:00:00Z","type":"t","n":7} x"#,
        #"{"timestamp":"2019-05-27T10:00:00Z","type":"t","n":7"#,
    ]

    @Test(arguments: specs) func directValueMatchesTheTapes(_ text: String) throws {
        let spec = try PartitionSpec(parsing: text)
        var generator = EventGenerator(seed: 3)
        var lines = generator.events(400).split(separator: UInt8(ascii: "\n")).map { Array($0) }
        lines += Self.extra.map { Array($0.utf8) }
        // The schema records are shredded with: the inferred one (an identity partition's
        // column included; only the files leave it out).
        var inference = SchemaInference()
        var scanner = JSONLineScanner()
        var tape = JSONTape()
        for line in lines {
            line.withBytes { (raw: UnsafeRawBufferPointer) in
                do throws(FloeError) {
                    try scanner.scan(raw, lineNumber: 1, into: &tape)
                    try inference.add(tape, line: raw)
                } catch {}
            }
        }
        var shredder = try JSONShredder(schema: try inference.schema())
        let key = Array(spec.column.utf8)
        var memo = PartitionSpec.BucketMemo()
        var compared = 0
        for (i, line) in lines.enumerated() {
            try line.withBytes { (raw: UnsafeRawBufferPointer) throws in
                let direct = spec.directValue(line: raw, columnKey: key, isFirstLine: i == 0, memo: &memo)
                guard let direct, shredder.appendDirect(line: raw, isFirstLine: i == 0) else { return }
                try scanner.scan(raw, lineNumber: i + 1, isFirstLine: i == 0, into: &tape)
                #expect(try spec.value(in: tape, line: raw, columnKey: key) == direct, "line \(i + 1)")
                compared += 1
            }
        }
        #expect(compared > 390)
    }
}
