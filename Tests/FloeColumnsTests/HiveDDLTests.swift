import Testing
import FloeFormat
@testable import FloeColumns

/// The Hive/Athena column list of a schema, and the names it cannot declare.
@Suite struct HiveDDLTests {
    static func list(_ name: String, _ element: SchemaNode) -> SchemaNode {
        .group(name, [.group("list", [element], .repeated)], .optional, logicalType: .list)
    }

    static func map(_ name: String, _ value: SchemaNode) -> SchemaNode {
        .group(name, [.group("key_value", [.leaf("key", .byteArray, .required, logicalType: .string), value], .repeated)],
               .optional, logicalType: .map)
    }

    @Test func columnTypesNestAsHiveWritesThem() throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("id", .int64, .optional),
            .leaf("timestamp", .int64, .optional, logicalType: .timestamp(isAdjustedToUTC: true, unit: .micros)),
            Self.list("items", .group("element", [.leaf("sku", .byteArray, .optional, logicalType: .string)], .optional)),
            Self.map("ctx", .leaf("value", .byteArray, .optional, logicalType: .string)),
            .group("odd`name", [.leaf("ok", .boolean, .optional)], .optional),
        ]))
        let columns = HiveDDL.columns(of: schema)
        #expect(columns.map(\.name) == ["`id`", "`timestamp`", "`items`", "`ctx`", "`odd``name`"])
        #expect(columns.map(\.type) == ["bigint", "timestamp", "array<struct<`sku`:string>>", "map<string,string>",
                                        "struct<`ok`:boolean>"])
        #expect(HiveDDL.nameProblems(of: schema).isEmpty)
    }

    @Test func namesDifferingOnlyInCaseOrEmptyAreReported() throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("a", .int64, .optional),
            .leaf("A", .int64, .optional),
            .group("s", [.leaf("x", .int64, .optional), .leaf("X", .int64, .optional)], .optional),
            Self.list("items", .group("element", [.leaf("", .int64, .optional)], .optional)),
            Self.map("m", .group("value", [.leaf("k", .int64, .optional), .leaf("K", .int64, .optional)], .optional)),
        ]))
        #expect(HiveDDL.nameProblems(of: schema) == [
            "fields `a` and `A` at the top level differ only in case",
            "fields `x` and `X` in s differ only in case",
            "a field in items has an empty name",
            "fields `k` and `K` in m differ only in case",
        ])
    }
}
