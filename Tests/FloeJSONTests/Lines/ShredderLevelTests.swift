import Testing
import FloeCore
import FloeColumns
import FloeEncodings
import FloeFormat
@testable import FloeJSON

/// `optional group name (LIST) { repeated group list { <element> } }`.
func listNode(_ name: String, _ element: SchemaNode, _ repetition: FieldRepetitionType = .optional) -> SchemaNode {
    .group(name, [.group("list", [element], .repeated)], repetition, logicalType: .list)
}

/// `optional group name (MAP) { repeated group key_value { required binary key (STRING); <value> } }`.
func mapNode(_ name: String, _ value: SchemaNode) -> SchemaNode {
    .group(name, [.group("key_value", [.leaf("key", .byteArray, .required, logicalType: .string), value], .repeated)],
           .optional, logicalType: .map)
}

func stringLeaf(_ name: String, _ repetition: FieldRepetitionType = .optional) -> SchemaNode {
    .leaf(name, .byteArray, repetition, logicalType: .string)
}

/// Lists, structs and maps under optional fields.
let nestedSchema: Schema = {
    do {
        return try Schema(root: .group("schema", [
            stringLeaf("id"),                                                        // 0: def 1
            listNode("tags", stringLeaf("element")),                                 // 1: def 3, rep 1
            .group("ctx", [.group("page", [stringLeaf("url")], .optional),           // 2: def 3
                           .leaf("n", .int64, .optional)], .optional),               // 3: def 2
            listNode("items", .group("element", [stringLeaf("id"),                   // 4: def 4, rep 1
                                                 .leaf("price", .double, .optional)], .optional)),  // 5
            mapNode("attrs", .leaf("value", .int64, .optional)),                     // 6 key: def 2; 7 value: def 3
        ]))
    } catch { fatalError("\(error)") }
}()

let nestedRecords = [
    #"{"id":"a","tags":["x",null,"y"],"ctx":{"page":{"url":"u"},"n":5},"items":[{"id":"i1","price":1.5},{"id":null},null],"attrs":{"k1":1,"k2":null}}"#,
    #"{"id":null,"tags":[],"ctx":{"page":null},"items":[],"attrs":{}}"#,
    #"{}"#,
    #"{"tags":null,"ctx":{},"items":[{}],"attrs":null}"#,
    #"{"tags":[null],"ctx":{"page":{}},"attrs":{"a":7,"a":8}}"#,
]

@Suite struct ShredderLevelTests {
    @Test func descriptorsAreWhatTheLevelsAssume() {
        let levels = nestedSchema.leaves.map { [$0.maxDefinitionLevel, $0.maxRepetitionLevel] }
        #expect(levels == [[1, 0], [3, 1], [3, 0], [2, 0], [4, 1], [4, 1], [2, 1], [3, 1]])
    }

    @Test func listsStructsAndMapsFollowDremel() throws {
        let c = try linesShred(nestedSchema, nestedRecords)
        #expect(c.count == 8)
        // id
        #expect(c[0] == ColumnData(values: linesBinary(["a"]), definitionLevels: [1, 0, 0, 0, 0]))
        // tags: ["x",null,"y"] | [] | absent | null | [null]
        #expect(c[1] == ColumnData(values: linesBinary(["x", "y"]), definitionLevels: [3, 2, 3, 1, 0, 0, 2],
                                   repetitionLevels: [0, 1, 1, 0, 0, 0, 0]))
        // ctx.page.url: "u" | page null | ctx absent | page absent | url absent
        #expect(c[2] == ColumnData(values: linesBinary(["u"]), definitionLevels: [3, 1, 0, 1, 2]))
        // ctx.n
        #expect(c[3] == ColumnData(values: .int64([5]), definitionLevels: [2, 1, 0, 1, 1]))
        // items.element.id: [{id},{id:null},null] | [] | absent | [{}] | absent
        #expect(c[4] == ColumnData(values: linesBinary(["i1"]), definitionLevels: [4, 3, 2, 1, 0, 3, 0],
                                   repetitionLevels: [0, 1, 1, 0, 0, 0, 0]))
        #expect(c[5] == ColumnData(values: .double([1.5]), definitionLevels: [4, 3, 2, 1, 0, 3, 0],
                                   repetitionLevels: [0, 1, 1, 0, 0, 0, 0]))
        // attrs keys: {k1,k2} | {} | absent | null | {"a":7,"a":8} → one entry (the last wins)
        #expect(c[6] == ColumnData(values: linesBinary(["k1", "k2", "a"]), definitionLevels: [2, 2, 1, 0, 0, 2],
                                   repetitionLevels: [0, 1, 0, 0, 0, 0]))
        #expect(c[7] == ColumnData(values: .int64([1, 8]), definitionLevels: [3, 2, 1, 0, 0, 3],
                                   repetitionLevels: [0, 1, 0, 0, 0, 0]))
        for (leaf, data) in zip(nestedSchema.leaves, c) {
            try data.validate(against: leaf)
            #expect(data.rowCount(maxRepetitionLevel: leaf.maxRepetitionLevel) == 5)
        }
    }

    @Test func nestedListsRequiredFieldsAndLegacyRepeated() throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("rid", .int64, .required),
            listNode("m", listNode("element", .leaf("element", .int64, .optional))),
            .leaf("legacy", .int32, .repeated),
        ]))
        #expect(schema.leaves.map(\.maxDefinitionLevel) == [0, 5, 1])
        #expect(schema.leaves.map(\.maxRepetitionLevel) == [0, 2, 1])
        var shredder = try JSONShredder(schema: schema)
        let lines = [
            #"{"rid":1,"m":[[1,2],[],null,[null]],"legacy":[7,8]}"#,
            #"{"rid":2,"m":[],"legacy":[]}"#,
            #"{"rid":3}"#,
        ]
        for (i, line) in lines.enumerated() {
            try Array(line.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                try shredder.append(line: raw, lineNumber: i + 1)
            }
        }
        // A missing required field fails, and so does a null element of a 2-level (required) list.
        for (n, bad) in [#"{"m":[[3]]}"#, #"{"rid":4,"legacy":[1,null]}"#, #"{"rid":null}"#].enumerated() {
            do {
                try Array(bad.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                    try shredder.append(line: raw, lineNumber: 10 + n)
                }
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.location.line == 10 + n)
                #expect(error.message.contains("required"))
            }
        }
        #expect(shredder.rowCount == 3)
        let c = shredder.take()
        #expect(c[0] == ColumnData(values: .int64([1, 2, 3])))
        #expect(c[1] == ColumnData(values: .int64([1, 2]), definitionLevels: [5, 5, 3, 2, 4, 1, 0],
                                   repetitionLevels: [0, 2, 1, 1, 1, 0, 0]))
        #expect(c[2] == ColumnData(values: .int32([7, 8]), definitionLevels: [1, 1, 0, 0], repetitionLevels: [0, 1, 0, 0]))
        #expect(shredder.rowCount == 0)
    }

    @Test func twoLevelListAndRequiredStructMembers() throws {
        // A legacy 2-level list of structs (repeated group "array") with a required member.
        let schema = try Schema(root: .group("schema", [
            .group("pts", [.group("array", [.leaf("x", .int64, .required), .leaf("y", .int64, .optional)], .repeated)],
                   .optional, logicalType: .list),
        ]))
        #expect(schema.leaves.map(\.maxDefinitionLevel) == [2, 3])
        let c = try linesShred(schema, [#"{"pts":[{"x":1,"y":2},{"x":3}]}"#, #"{"pts":[]}"#, #"{"pts":null}"#])
        #expect(c[0] == ColumnData(values: .int64([1, 3]), definitionLevels: [2, 2, 1, 0], repetitionLevels: [0, 1, 0, 0]))
        #expect(c[1] == ColumnData(values: .int64([2]), definitionLevels: [3, 2, 1, 0], repetitionLevels: [0, 1, 0, 0]))
        #expect(throws: FloeError.self) { try linesShred(schema, [#"{"pts":[{"y":2}]}"#]) }
    }

    @Test func mapOfListsAndListOfMaps() throws {
        let schema = try Schema(root: .group("schema", [
            mapNode("ml", listNode("value", .leaf("element", .int64, .optional))),
            listNode("lm", mapNode("element", stringLeaf("value"))),
        ]))
        // ml: key def 2 rep 1; element def 5 rep 2. lm: key def 4 rep 2; value def 5 rep 2.
        #expect(schema.leaves.map(\.maxDefinitionLevel) == [2, 5, 4, 5])
        #expect(schema.leaves.map(\.maxRepetitionLevel) == [1, 2, 2, 2])
        let c = try linesShred(schema, [
            #"{"ml":{"a":[1,2],"b":[],"c":null},"lm":[{"k":"v","j":null},{},null]}"#,
            #"{"ml":{},"lm":[]}"#,
        ])
        #expect(c[0] == ColumnData(values: linesBinary(["a", "b", "c"]), definitionLevels: [2, 2, 2, 1],
                                   repetitionLevels: [0, 1, 1, 0]))
        #expect(c[1] == ColumnData(values: .int64([1, 2]), definitionLevels: [5, 5, 3, 2, 1],
                                   repetitionLevels: [0, 2, 1, 1, 0]))
        #expect(c[2] == ColumnData(values: linesBinary(["k", "j"]), definitionLevels: [4, 4, 3, 2, 1],
                                   repetitionLevels: [0, 2, 1, 1, 0]))
        #expect(c[3] == ColumnData(values: linesBinary(["v"]), definitionLevels: [5, 4, 3, 2, 1],
                                   repetitionLevels: [0, 2, 1, 1, 0]))
    }

    @Test func failedLinesLeaveTheBuffersUnchanged() throws {
        var shredder = try JSONShredder(schema: nestedSchema)
        var reference = try JSONShredder(schema: nestedSchema)
        let bad = [
            #"{"id":"ok","tags":["t"],"ctx":{"n":"not a number"}}"#,               // fails after id, tags, ctx.page
            #"{"id":"ok","items":[{"id":"x","price":1},{"price":"p"}]}"#,          // fails inside the second element
            #"{"id":"ok","attrs":{"k":1,"j":"x"}}"#,                               // fails in a map value
            #"{"id":"ok","ctx":[1]}"#,                                             // array for a struct
            #"{"id":"ok","tags":{"a":1}}"#,                                        // object for a list
            #"[1]"#,                                                               // not an object
        ]
        for (i, record) in nestedRecords.enumerated() {
            try Array(record.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                try shredder.append(line: raw, lineNumber: i + 1)
                try reference.append(line: raw, lineNumber: i + 1)
            }
            for (j, line) in bad.enumerated() {
                do {
                    try Array(line.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                        try shredder.append(line: raw, lineNumber: 100 + j)
                    }
                    Issue.record("accepted \(line)")
                } catch {
                    #expect(error.location.line == 100 + j)
                }
            }
        }
        #expect(shredder.rowCount == reference.rowCount)
        #expect(shredder.estimatedBytes == reference.estimatedBytes)
        #expect(shredder.take() == reference.take())
    }

    @Test func errorsNameTheColumnAndByte() throws {
        do {
            _ = try linesShred(nestedSchema, [#"{"id":"a","ctx":{"n":"five"}}"#])
            Issue.record("accepted")
        } catch {
            #expect(error.code == .corrupt)
            #expect(error.location.line == 1)
            #expect(error.location.column == "ctx.n")
            #expect(error.location.byteColumn == 22)
            #expect(error.message == "expected an integer, found a string")
        }
    }

    @Test func caseInsensitiveKeysAndUnknownKeys() throws {
        let schema = try Schema(root: .group("schema", [
            stringLeaf("anonymousid"), .group("traits", [stringLeaf("name")], .optional),
        ]))
        let lines = [#"{"anonymousId":"a1","Traits":{"NAME":"bob"},"extra":1}"#, #"{"ANONYMOUSID":"a2","anonymousid":"a3"}"#]
        var options = JSONShredder.Options()
        options.caseInsensitiveKeys = true
        let c = try linesShred(schema, lines, options: options)
        #expect(c[0] == ColumnData(values: linesBinary(["a1", "a3"]), definitionLevels: [1, 1]))
        #expect(c[1] == ColumnData(values: linesBinary(["bob"]), definitionLevels: [2, 0]))
        // Exact matching by default: nothing matches the differently cased keys.
        let exact = try linesShred(schema, lines)
        #expect(exact[0] == ColumnData(values: linesBinary(["a3"]), definitionLevels: [0, 1]))
        #expect(exact[1] == ColumnData(values: linesBinary([]), definitionLevels: [0, 0]))
        // Unknown keys refused on request.
        options.rejectUnknownKeys = true
        do {
            _ = try linesShred(schema, lines, options: options)
            Issue.record("accepted an unknown key")
        } catch {
            #expect(error.message == #"key "extra" is not in the schema"#)
            #expect(error.location.byteColumn == linesColumn(of: "\"extra\"", in: lines[0]))
        }
        // Fields that differ only in case cannot be told apart case-insensitively.
        let clash = try Schema(root: .group("schema", [stringLeaf("a"), stringLeaf("A")]))
        #expect(throws: FloeError.self) { try JSONShredder(schema: clash, options: options) }
        #expect(try JSONShredder(schema: clash).schema == clash)
    }

    @Test func escapedKeysMatchTheirDecodedNames() throws {
        let schema = try Schema(root: .group("schema", [stringLeaf("name"), mapNode("m", stringLeaf("value"))]))
        let c = try linesShred(schema, [#"{"n\u0061me":"x","m":{"k\u00e9":"v","ké":"w","z":"last"}}"#])
        #expect(c[0] == ColumnData(values: linesBinary(["x"]), definitionLevels: [1]))
        // "k\u00e9" and "ké" are the same key: the last occurrence wins.
        #expect(c[1] == ColumnData(values: linesBinary(["ké", "z"]), definitionLevels: [2, 2], repetitionLevels: [0, 1]))
        #expect(c[2] == ColumnData(values: linesBinary(["w", "last"]), definitionLevels: [3, 3], repetitionLevels: [0, 1]))
    }

    @Test func bigMapsDropRepeatedKeys() throws {
        let schema = try Schema(root: .group("schema", [mapNode("m", .leaf("value", .int64, .optional))]))
        var members = (0..<100).map { "\"k\($0)\":\($0)" }
        members.append("\"k5\":500")
        let c = try linesShred(schema, ["{\"m\":{\(members.joined(separator: ","))}}"])
        let keys = linesStrings(c[0])
        #expect(keys.count == 100)
        #expect(keys.first == "k0" && keys.last == "k5")
        #expect(linesInt64s(c[1]).last == 500)
        #expect(!keys.dropLast().contains("k5"))
    }

    @Test func takeResetsAndKeepsWorking() throws {
        var shredder = try JSONShredder(schema: nestedSchema)
        for round in 0..<3 {
            for (i, record) in nestedRecords.enumerated() {
                try Array(record.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                    try shredder.append(line: raw, lineNumber: i + 1)
                }
            }
            #expect(shredder.rowCount == 5)
            #expect(shredder.estimatedBytes > 0)
            let c = shredder.take()
            #expect(c == (try linesShred(nestedSchema, nestedRecords)), "round \(round)")
            #expect(shredder.estimatedBytes == 0)
        }
    }
}
