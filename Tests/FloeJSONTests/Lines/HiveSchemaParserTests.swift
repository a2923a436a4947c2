import Testing
import FloeCore
import FloeColumns
import FloeFormat
@testable import FloeJSON

@Suite struct HiveSchemaParserTests {
    @Test func theIssueExample() throws {
        let schema = try HiveSchemaParser.parse(
            "anonymousid string, context map<string,string>, timestamp timestamp, traits struct<name:string,plan:string>, items array<struct<id:string,price:double>>")
        #expect(schema.messageText == """
            message schema {
              optional binary anonymousid (STRING);
              optional group context (MAP) {
                repeated group key_value {
                  required binary key (STRING);
                  optional binary value (STRING);
                }
              }
              optional int64 timestamp (TIMESTAMP(isAdjustedToUTC=true, unit=MICROS));
              optional group traits {
                optional binary name (STRING);
                optional binary plan (STRING);
              }
              optional group items (LIST) {
                repeated group list {
                  optional group element {
                    optional binary id (STRING);
                    optional double price;
                  }
                }
              }
            }

            """)
    }

    @Test func everyPrimitiveType() throws {
        let schema = try HiveSchemaParser.parse("""
            (a STRING, b VarChar(10), c char(1), d boolean, e tinyint, f smallint, g int, h integer, i bigint,
             j float, k double, l decimal(9,2), m decimal(18, 0), n decimal(38,10), o date, p timestamp, q binary,
             r decimal, s decimal(5), t double precision, u real)
            """)
        let leaves = schema.leaves
        #expect(leaves.map(\.physicalType) == [.byteArray, .byteArray, .byteArray, .boolean, .int32, .int32, .int32, .int32,
                                               .int64, .float, .double, .int32, .int64, .fixedLenByteArray, .int32, .int64,
                                               .byteArray, .int64, .int32, .double, .float])
        #expect(leaves.map(\.logicalType) == [
            .string, .string, .string, nil, .integer(bitWidth: 8, isSigned: true), .integer(bitWidth: 16, isSigned: true), nil, nil,
            nil, nil, nil, .decimal(scale: 2, precision: 9), .decimal(scale: 0, precision: 18), .decimal(scale: 10, precision: 38),
            .date, .timestamp(isAdjustedToUTC: true, unit: .micros), nil, .decimal(scale: 0, precision: 10),
            .decimal(scale: 0, precision: 5), nil, nil,
        ])
        #expect(leaves[13].typeLength == 16)
        #expect(leaves.allSatisfy { $0.repetition == .optional && $0.maxDefinitionLevel == 1 })
        #expect(leaves[4].convertedType == .int8)
        #expect(leaves[11].kind == .decimal(scale: 2, precision: 9))
    }

    @Test func namesKeepTheirSpellingAndBackquotes() throws {
        let schema = try HiveSchemaParser.parse("""
            `anonymousId` string COMMENT 'the user', `weird name` int, `tick``s` bigint, -- a comment
            Props struct<`Total Price`:double COMMENT "x", `map`:map<bigint,array<string>>>
            """)
        #expect(schema.root.children.map(\.name) == ["anonymousId", "weird name", "tick`s", "Props"])
        #expect(schema.leaves.map(\.dottedPath) == [
            "anonymousId", "weird name", "tick`s", "Props.Total Price",
            "Props.map.key_value.key", "Props.map.key_value.value.list.element",
        ])
        #expect(schema.leaves[4].physicalType == .int64)
        #expect(schema.leaves[4].repetition == .required)
        #expect(schema.leaves[5].maxDefinitionLevel == 6)
        #expect(schema.leaves[5].maxRepetitionLevel == 2)
    }

    @Test(arguments: [
        ("", "no columns at byte 1"),
        ("a", "expected a type, found the end of the schema at byte 2"),
        ("a strin", "unknown type 'strin' at byte 3"),
        ("a string,", "expected a column name, found the end of the schema at byte 10"),
        ("a string b int", "expected ',' or the end of the schema, found 'b' at byte 10"),
        ("a array<string", "expected '>' to close array<…>, found the end of the schema at byte 15"),
        ("a map<string>", "expected ',' between the map key and value types, found '>' at byte 13"),
        ("a map<array<int>,string>", "map keys must be of a primitive type at byte 7"),
        ("a struct<x int>", "expected ':' after the struct field name 'x', found 'int' at byte 12"),
        ("a struct<>", "expected a struct field name, found '>' at byte 10"),
        ("a decimal(39,2)", "decimal precision must be 1 to 38, not 39 at byte 3"),
        ("a decimal(5,6)", "decimal scale must be 0 to 5, not 6 at byte 3"),
        ("a varchar", "expected '(' after varchar, found the end of the schema at byte 10"),
        ("a string, A int", "column 'A' appears twice (Hive names are case-insensitive) at byte 11"),
        ("s struct<x:int,X:int>", "struct field 'X' appears twice"),
        ("`a string", "unterminated backquoted name at byte 1"),
        ("a string; b int", "unexpected character ';' at byte 9"),
        ("(a string", "expected ')' to close the column list, found the end of the schema at byte 10"),
        ("a uniontype<int,string>", "unknown type 'uniontype'"),
        ("a string COMMENT", "expected a quoted comment after COMMENT"),
    ])
    func errorsNameThePosition(_ text: String, _ message: String) {
        do {
            _ = try HiveSchemaParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(message), "\(text): \(error.message)")
        }
    }
}
