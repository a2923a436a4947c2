import Testing
import FloeCore
import FloeColumns
import FloeEncodings
import FloeFormat
@testable import FloeJSON

/// The `width`-byte big-endian two's complement of a decimal integer given as text, computed by
/// long division (independent of the code under test).
func twosComplement(_ text: String, width: Int) -> [UInt8] {
    let negative = text.hasPrefix("-")
    var digits = Array(text.utf8).filter { $0 >= 0x30 && $0 <= 0x39 }.map { Int($0 - 0x30) }
    var bytes: [UInt8] = []
    for _ in 0..<width {
        var remainder = 0
        var next: [Int] = []
        for d in digits {
            let v = remainder * 10 + d
            next.append(v / 256)
            remainder = v % 256
        }
        bytes.append(UInt8(remainder))
        digits = next
    }
    bytes.reverse()
    if negative {
        // Negate: invert and add one.
        var carry = 1
        for i in stride(from: width - 1, through: 0, by: -1) {
            let v = Int(~bytes[i]) + carry
            bytes[i] = UInt8(v & 0xFF)
            carry = v >> 8
        }
    }
    return bytes
}

@Suite struct ShredderConversionTests {
    let hive = """
        id bigint, small tinyint, mid smallint, n int, price decimal(10,2), cents decimal(5,2),
        big decimal(38,4), day date, ts timestamp, tags array<string>, ctx map<string,string>,
        s struct<Name:string,Age:int>, flag boolean, f float, d double, raw binary
        """

    @Test func hiveColumnsConvertEveryValue() throws {
        let schema = try HiveSchemaParser.parse(hive)
        var options = JSONShredder.Options()
        options.caseInsensitiveKeys = true
        let line = #"{"ID":5,"small":-128,"mid":32767,"n":-2147483648,"price":12.5,"cents":"-0.05","big":"-123456789012345678901234.5678","day":"2019-05-27","ts":"2019-05-27T13:45:10.123456789+02:00","tags":["a",1,{"x":[1, 2]},null,true],"ctx":{"k":{"a":1},"n":null,"s":"v","t":true,"e":[]},"s":{"name":"bob","AGE":30},"flag":false,"f":1.5,"d":1,"raw":"\u00ff"}"#
        let c = try linesShred(schema, [line, "{}"], options: options)
        #expect(c.count == 18)
        #expect(c[0] == ColumnData(values: .int64([5]), definitionLevels: [1, 0]))
        #expect(c[1] == ColumnData(values: .int32([-128]), definitionLevels: [1, 0]))
        #expect(c[2] == ColumnData(values: .int32([32767]), definitionLevels: [1, 0]))
        #expect(c[3] == ColumnData(values: .int32([.min]), definitionLevels: [1, 0]))
        #expect(c[4] == ColumnData(values: .int64([1250]), definitionLevels: [1, 0]))
        #expect(c[5] == ColumnData(values: .int32([-5]), definitionLevels: [1, 0]))
        #expect(schema.leaves[6].physicalType == .fixedLenByteArray && schema.leaves[6].typeLength == 16)
        #expect(c[6] == ColumnData(values: .fixedLenByteArray(FixedWidthValues(width: 16, bytes: twosComplement("-1234567890123456789012345678", width: 16))),
                                   definitionLevels: [1, 0]))
        #expect(c[7] == ColumnData(values: .int32([18_043]), definitionLevels: [1, 0]))
        #expect(c[8] == ColumnData(values: .int64([1_558_957_510_123_456]), definitionLevels: [1, 0]))
        // A string column keeps strings and stores other values as their JSON text, as written.
        #expect(c[9] == ColumnData(values: linesBinary(["a", "1", #"{"x":[1, 2]}"#, "true"]),
                                   definitionLevels: [3, 3, 3, 2, 3, 0], repetitionLevels: [0, 1, 1, 1, 1, 0]))
        #expect(c[10] == ColumnData(values: linesBinary(["k", "n", "s", "t", "e"]), definitionLevels: [2, 2, 2, 2, 2, 0],
                                    repetitionLevels: [0, 1, 1, 1, 1, 0]))
        #expect(c[11] == ColumnData(values: linesBinary([#"{"a":1}"#, "v", "true", "[]"]), definitionLevels: [3, 2, 3, 3, 3, 0],
                                    repetitionLevels: [0, 1, 1, 1, 1, 0]))
        #expect(c[12] == ColumnData(values: linesBinary(["bob"]), definitionLevels: [2, 0]))
        #expect(c[13] == ColumnData(values: .int32([30]), definitionLevels: [2, 0]))
        #expect(c[14] == ColumnData(values: .boolean([false]), definitionLevels: [1, 0]))
        #expect(c[15] == ColumnData(values: .float([1.5]), definitionLevels: [1, 0]))
        #expect(c[16] == ColumnData(values: .double([1]), definitionLevels: [1, 0]))
        #expect(c[17] == ColumnData(values: .byteArray(BinaryValues([[0xC3, 0xBF]])), definitionLevels: [1, 0]))
    }

    @Test func badValuesAreRefusedWithTheirColumn() throws {
        let schema = try HiveSchemaParser.parse(hive)
        let cases: [(String, String, String)] = [
            (#"{"id":"5"}"#, "id", "expected an integer, found a string"),
            (#"{"id":1.5}"#, "id", "1.5 is not an integer"),
            (#"{"id":9223372036854775808}"#, "id", "integer 9223372036854775808 is out of range"),
            (#"{"id":1e19}"#, "id", "integer 1e19 is out of range"),
            (#"{"small":128}"#, "small", "integer 128 is out of range -128...127"),
            (#"{"mid":-32769}"#, "mid", "out of range -32768...32767"),
            (#"{"n":2147483648}"#, "n", "out of range"),
            (#"{"price":1.234}"#, "price", "1.234 has more than 2 fraction digits (DECIMAL(10, 2))"),
            (#"{"price":123456789.5}"#, "price", "has more than 10 digits"),
            (#"{"cents":"12,5"}"#, "cents", #""12,5" is not a decimal number"#),
            (#"{"cents":true}"#, "cents", "expected a decimal number, found a boolean"),
            (#"{"day":"2019-02-29"}"#, "day", #""2019-02-29" is not a YYYY-MM-DD date"#),
            (#"{"day":18043}"#, "day", "found a number"),
            (#"{"ts":"yesterday"}"#, "ts", #""yesterday" is not an RFC 3339 timestamp"#),
            (#"{"ts":1558957510}"#, "ts", "expected an RFC 3339 timestamp string, found a number"),
            (#"{"tags":"a"}"#, "tags", "expected an array, found a string"),
            (#"{"ctx":[]}"#, "ctx", "expected an object, found an array"),
            (#"{"s":"bob"}"#, "s", "expected an object, found a string"),
            (#"{"flag":"true"}"#, "flag", "expected a boolean, found a string"),
            (#"{"f":"1.5"}"#, "f", "expected a number, found a string"),
            (#"{"d":null,"s":{"Age":"x"}}"#, "s.Age", "expected an integer, found a string"),
        ]
        for (line, column, message) in cases {
            do {
                _ = try linesShred(schema, [line])
                Issue.record("accepted \(line)")
            } catch {
                #expect(error.location.column == column, "\(line)")
                #expect(error.message.contains(message), "\(line): \(error.message)")
                #expect(error.location.line == 1)
            }
        }
    }

    @Test func decimalsConvertExactlyFromTheirDigits() throws {
        let schema = try HiveSchemaParser.parse("a decimal(9,3), b decimal(18,0), c decimal(20,2), d decimal(4,4)")
        #expect(schema.leaves.map(\.physicalType) == [.int32, .int64, .fixedLenByteArray, .int32])
        #expect(schema.leaves[2].typeLength == 9)
        let lines = [
            #"{"a":0.1,"b":1e17,"c":"-0.01","d":0.1234}"#,
            #"{"a":-123456.789,"b":-999999999999999999,"c":123456789012345678.9,"d":-0.9999}"#,
            #"{"a":1.50000,"b":12.000,"c":0,"d":0}"#,
            #"{"a":2e-3,"b":"42","c":1E+2,"d":-0}"#,
        ]
        let c = try linesShred(schema, lines)
        #expect(c[0].values == .int32([100, -123_456_789, 1500, 2]))
        #expect(c[1].values == .int64([100_000_000_000_000_000, -999_999_999_999_999_999, 12, 42]))
        let expected = ["-1", "12345678901234567890", "0", "10000"].flatMap { twosComplement($0, width: 9) }
        #expect(c[2].values == .fixedLenByteArray(FixedWidthValues(width: 9, bytes: expected)))
        #expect(c[3].values == .int32([1234, -9999, 0, 0]))
    }

    @Test func timestampsOfEveryUnitAndForm() throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("ms", .int64, .optional, logicalType: .timestamp(isAdjustedToUTC: true, unit: .millis)),
            .leaf("us", .int64, .optional, logicalType: .timestamp(isAdjustedToUTC: false, unit: .micros)),
            .leaf("ns", .int64, .optional, logicalType: .timestamp(isAdjustedToUTC: true, unit: .nanos)),
        ]))
        let c = try linesShred(schema, [
            #"{"ms":"2019-05-27T13:45:10.123456Z","us":"2019-05-27T13:45:10.5","ns":"2019-05-27T13:45:10.123456789-01:00"}"#,
            #"{"ms":"1969-12-31T23:59:59.9991Z","us":"2019-05-27","ns":"1970-01-01 00:00:00Z"}"#,
        ])
        #expect(c[0].values == .int64([1_558_964_710_123, -1]))
        #expect(c[1].values == .int64([1_558_964_710_500_000, 1_558_915_200_000_000]))
        #expect(c[2].values == .int64([1_558_968_310_123_456_789, 0]))
        #expect(throws: FloeError.self) { try linesShred(schema, [#"{"ns":"2300-01-01T00:00:00Z"}"#]) }
    }

    @Test func jsonUuidUnsignedAndEnumColumns() throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("j", .byteArray, .optional, logicalType: .json),
            .leaf("u", .fixedLenByteArray, .optional, logicalType: .uuid, typeLength: 16),
            .leaf("u64", .int64, .optional, logicalType: .integer(bitWidth: 64, isSigned: false)),
            .leaf("u8", .int32, .optional, logicalType: .integer(bitWidth: 8, isSigned: false)),
            .leaf("e", .byteArray, .optional, logicalType: .enum),
        ]))
        let c = try linesShred(schema, [
            #"{"j":"s\"q","u":"3F1C2A4E-0B1D-4C5E-9F00-1234567890ab","u64":18446744073709551615,"u8":255,"e":"RED"}"#,
            #"{"j":{"a": [1]},"u64":0,"u8":0}"#,
        ])
        #expect(linesStrings(c[0]) == [#""s\"q""#, #"{"a": [1]}"#])
        #expect(c[1].values == .fixedLenByteArray(FixedWidthValues(width: 16, bytes: [
            0x3F, 0x1C, 0x2A, 0x4E, 0x0B, 0x1D, 0x4C, 0x5E, 0x9F, 0x00, 0x12, 0x34, 0x56, 0x78, 0x90, 0xAB])))
        #expect(c[2].values == .int64([-1, 0]))
        #expect(c[3].values == .int32([255, 0]))
        #expect(linesStrings(c[4]) == ["RED"])
        #expect(throws: FloeError.self) { try linesShred(schema, [#"{"u8":256}"#]) }
        #expect(throws: FloeError.self) { try linesShred(schema, [#"{"u64":-1}"#]) }
        #expect(throws: FloeError.self) { try linesShred(schema, [#"{"u64":18446744073709551616}"#]) }
        #expect(throws: FloeError.self) { try linesShred(schema, [#"{"u":"not-a-uuid"}"#]) }
    }

    @Test func integerMapKeysAndUnsupportedColumns() throws {
        let schema = try HiveSchemaParser.parse("m map<int,string>")
        let c = try linesShred(schema, [#"{"m":{"1":"a","-7":"b"}}"#])
        #expect(c[0].values == .int32([1, -7]))
        #expect(throws: FloeError.self) { try linesShred(schema, [#"{"m":{"x":"a"}}"#]) }
        let int96 = try Schema(root: .group("schema", [.leaf("t", .int96, .optional)]))
        do {
            _ = try JSONShredder(schema: int96)
            Issue.record("accepted INT96")
        } catch {
            #expect(error.code == .unsupported)
        }
    }

    @Test func inferredConflictColumnsKeepEveryValue() throws {
        let lines = [
            #"{"position":1,"props":{"a":1},"tags":["x"],"when":"2019-05-27T13:45:10Z","amount":3}"#,
            #"{"position":"top","props":"none","tags":[2.50,"y",null],"when":"2019-05-28T00:00:00.5+01:00","amount":2.25}"#,
            #"{"position":null,"props":{"b":[true,{"c":null}]},"tags":[],"amount":-1e-3}"#,
        ]
        let schema = try linesInfer(lines)
        let c = try linesShred(schema, lines)
        #expect(linesStrings(c[0]) == ["1", "top"])
        #expect(c[0].definitionLevels == [1, 1, 0])
        #expect(linesStrings(c[1]) == [#"{"a":1}"#, "none", #"{"b":[true,{"c":null}]}"#])
        #expect(linesStrings(c[2]) == ["x", "2.50", "y"])
        #expect(c[2].definitionLevels == [3, 3, 3, 2, 1])
        #expect(c[3].values == .int64([1_558_964_710_000_000, 1_558_998_000_500_000]))
        #expect(c[4].values == .double([3, 2.25, -0.001]))
    }

    @Test func shreddingScannedTapesDirectly() throws {
        let schema = try linesInfer([#"{"a":1,"b":"x"}"#])
        var shredder = try JSONShredder(schema: schema)
        var scanner = JSONLineScanner()
        var tape = JSONTape()
        let line = Array(" {\"b\":\"y\",\"a\":2}\r".utf8)
        try line.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
            try scanner.scan(raw, lineNumber: 9, into: &tape)
            try shredder.append(tape, line: raw)
        }
        // A tape that does not belong to the line is refused.
        do {
            try Array("{}".utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                try shredder.append(tape, line: raw)
            }
            Issue.record("accepted a foreign tape")
        } catch {
            #expect(error.code == .invalidArgument)
        }
        let c = shredder.take()
        #expect(c[0].values == .int64([2]))
        #expect(linesStrings(c[1]) == ["y"])
    }
}
