import Testing
import FloeCore
import FloeEncodings
import FloeFormat
@testable import FloeColumns

/// Hand-built Dremel levels (the levels pyarrow and parquet-mr write for these records) and the
/// Arrow buffers they must assemble to.
@Suite struct NestedAssemblyTests {
    // MARK: - Schemas

    /// items: list<struct<id: string, price: double, qty: int64>>, all optional (maxDef 4, maxRep 1).
    let listOfStructs = try! Schema(root: .group("schema", [
        .group("items", [
            .group("list", [
                .group("element", [
                    .leaf("id", .byteArray, .optional, logicalType: .string),
                    .leaf("price", .double, .optional),
                    .leaf("qty", .int64, .optional),
                ], .optional),
            ], .repeated),
        ], .optional, logicalType: .list),
    ]))

    /// Rows: [{a,1.5,1}, null, {null,2.5,2}] · null · [] · [{b,null,3}]
    var listOfStructsColumns: [ColumnData?] {
        [
            ColumnData(values: .byteArray(BinaryValues(["a".utf8, "b".utf8].map(Array.init))),
                       definitionLevels: [4, 2, 3, 0, 1, 4], repetitionLevels: [0, 1, 1, 0, 0, 0]),
            ColumnData(values: .double([1.5, 2.5]), definitionLevels: [4, 2, 4, 0, 1, 3], repetitionLevels: [0, 1, 1, 0, 0, 0]),
            ColumnData(values: .int64([1, 2, 3]), definitionLevels: [4, 2, 4, 0, 1, 4], repetitionLevels: [0, 1, 1, 0, 0, 0]),
        ]
    }

    /// nested: list<list<list<int64>>>, standard 3-level lists, all optional (maxDef 7, maxRep 3).
    let threeLevels: Schema = {
        func list(_ name: String, _ element: SchemaNode) -> SchemaNode {
            .group(name, [.group("list", [element], .repeated)], .optional, logicalType: .list)
        }
        return try! Schema(root: .group("schema", [
            list("nested", list("element", list("element", .leaf("element", .int64, .optional)))),
        ]))
    }()

    /// Rows: [[[1, null], []], null, [[2]]] · null · [] · [[null]] · [[[3], [4, 5]]]
    var threeLevelColumns: [ColumnData?] {
        [ColumnData(values: .int64([1, 2, 3, 4, 5]),
                    definitionLevels: [7, 6, 5, 2, 7, 0, 1, 4, 7, 7, 7],
                    repetitionLevels: [0, 3, 2, 1, 1, 0, 0, 0, 0, 2, 3])]
    }

    func assemble(_ schema: Schema, _ columns: [ColumnData?]) throws -> [NestedField] {
        try NestedAssembly.assemble(schema: schema, columns: columns)
    }

    // MARK: - Accessors for the expectations

    func list(_ a: NestedArray) -> (offsets: [Int32], element: NestedArray)? {
        if case .list(let o, let e) = a.node { return (o, e) }
        return nil
    }

    func fields(_ a: NestedArray) -> [NestedField] {
        if case .structure(let f) = a.node { return f }
        return []
    }

    func values(_ a: NestedArray) -> PhysicalValues? {
        if case .primitive(_, let v) = a.node { return v }
        return nil
    }

    // MARK: - Shapes

    @Test func listOfStructsWithNullListsEmptyListsAndNullStructs() throws {
        let out = try assemble(listOfStructs, listOfStructsColumns)
        #expect(out.map(\.name) == ["items"])
        let items = out[0].array
        #expect(items.length == 4)
        #expect(items.nullCount == 1)
        #expect(items.validity == [0b1101])
        let (offsets, structs) = try #require(list(items))
        #expect(offsets == [0, 3, 3, 3, 4])
        #expect(structs.length == 4)
        #expect(structs.nullCount == 1)
        #expect(structs.validity == [0b1101])
        let f = fields(structs)
        #expect(f.map(\.name) == ["id", "price", "qty"])
        // id: "a", (null struct), null, "b"
        #expect(f[0].array.nullCount == 2)
        #expect(f[0].array.validity == [0b1001])
        #expect(values(f[0].array) == .byteArray(BinaryValues(offsets: [0, 1, 1, 1, 2], bytes: Array("ab".utf8))))
        // price: 1.5, (null struct), 2.5, null
        #expect(f[1].array.validity == [0b0101])
        #expect(values(f[1].array) == .double([1.5, 0, 2.5, 0]))
        // qty: 1, (null struct), 2, 3
        #expect(f[2].array.nullCount == 1)
        #expect(f[2].array.validity == [0b1101])
        #expect(values(f[2].array) == .int64([1, 0, 2, 3]))
        #expect(items.isNull(1) && !items.isNull(0) && structs.isNull(1) && f[0].array.isNull(2))
        if case .primitive(let leaf, _) = f[2].array.node { #expect(leaf == 2) } else { Issue.record("qty is not a leaf") }
    }

    @Test func threeLevelListsWithNullsAndEmptiesAtEveryLevel() throws {
        let outer = try assemble(threeLevels, threeLevelColumns)[0].array
        #expect(outer.length == 5)
        #expect(outer.validity == [0b11101])
        let (o1, middle) = try #require(list(outer))
        #expect(o1 == [0, 3, 3, 3, 4, 5])
        #expect(middle.length == 5)
        #expect(middle.nullCount == 1)
        #expect(middle.validity == [0b11101])
        let (o2, inner) = try #require(list(middle))
        #expect(o2 == [0, 2, 2, 3, 4, 6])
        #expect(inner.length == 6)
        #expect(inner.validity == [0b110111])
        let (o3, leaves) = try #require(list(inner))
        #expect(o3 == [0, 2, 2, 3, 3, 4, 6])
        #expect(leaves.length == 6)
        #expect(leaves.nullCount == 1)
        #expect(leaves.validity == [0b111101])
        #expect(values(leaves) == .int64([1, 0, 2, 3, 4, 5]))
    }

    @Test func mapWithNullMapEmptyMapAndNullValue() throws {
        let schema = try Schema(root: .group("schema", [
            .group("m", [
                .group("key_value", [
                    .leaf("key", .byteArray, .required, logicalType: .string),
                    .leaf("value", .int32, .optional),
                ], .repeated),
            ], .optional, logicalType: .map),
        ]))
        // {a: 1, b: null} · null · {} · {c: 3}
        let columns: [ColumnData?] = [
            ColumnData(values: .byteArray(BinaryValues(["a", "b", "c"].map { Array($0.utf8) })),
                       definitionLevels: [2, 2, 0, 1, 2], repetitionLevels: [0, 1, 0, 0, 0]),
            ColumnData(values: .int32([1, 3]), definitionLevels: [3, 2, 0, 1, 3], repetitionLevels: [0, 1, 0, 0, 0]),
        ]
        let m = try assemble(schema, columns)[0].array
        #expect(m.length == 4)
        #expect(m.validity == [0b1101])
        guard case .map(let offsets, let keys, let vals) = m.node, let vals else {
            Issue.record("not a map with values"); return
        }
        #expect(offsets == [0, 2, 2, 2, 3])
        #expect(keys.length == 3 && keys.nullCount == 0 && keys.validity == nil)
        #expect(values(keys) == .byteArray(BinaryValues(offsets: [0, 1, 2, 3], bytes: Array("abc".utf8))))
        #expect(vals.validity == [0b101])
        #expect(values(vals) == .int32([1, 0, 3]))
    }

    @Test func nestedOptionalStructs() throws {
        let schema = try Schema(root: .group("schema", [
            .group("s", [
                .leaf("x", .int32, .optional),
                .group("t", [.leaf("y", .int64, .required)], .optional),
            ], .optional),
        ]))
        // {x:1, t:{y:10}} · null · {x:null, t:null} · {x:2, t:{y:20}}
        let columns: [ColumnData?] = [
            ColumnData(values: .int32([1, 2]), definitionLevels: [2, 0, 1, 2]),
            ColumnData(values: .int64([10, 20]), definitionLevels: [2, 0, 1, 2]),
        ]
        let s = try assemble(schema, columns)[0].array
        #expect(s.length == 4 && s.validity == [0b1101])
        let f = fields(s)
        #expect(f[0].array.validity == [0b1001])
        #expect(values(f[0].array) == .int32([1, 0, 0, 2]))
        let t = f[1].array
        #expect(t.validity == [0b1001] && t.nullCount == 2)
        let y = fields(t)[0].array
        #expect(y.validity == [0b1001])
        #expect(values(y) == .int64([10, 0, 0, 20]))
    }

    @Test func flatRequiredAndOptionalColumns() throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("a", .int64, .required),
            .leaf("b", .byteArray, .optional, logicalType: .string),
            .leaf("c", .boolean, .optional),
        ]))
        let columns: [ColumnData?] = [
            ColumnData(values: .int64([7, 8, 9])),
            ColumnData(values: .byteArray(BinaryValues(["xy", "z"].map { Array($0.utf8) })), definitionLevels: [1, 0, 1]),
            ColumnData(values: .boolean([true]), definitionLevels: [0, 0, 1]),
        ]
        let out = try assemble(schema, columns)
        #expect(out[0].array == NestedArray(length: 3, nullCount: 0, validity: nil, node: .primitive(leaf: 0, values: .int64([7, 8, 9]))))
        #expect(out[1].array.validity == [0b101])
        #expect(values(out[1].array) == .byteArray(BinaryValues(offsets: [0, 2, 2, 3], bytes: Array("xyz".utf8))))
        #expect(out[2].array.validity == [0b100] && out[2].array.nullCount == 2)
        #expect(values(out[2].array) == .boolean([false, false, true]))
    }

    @Test func fixedWidthValuesAreScatteredToSlots() throws {
        let schema = try Schema(root: .group("schema", [
            .group("l", [.group("list", [.leaf("element", .fixedLenByteArray, .optional, typeLength: 2)], .repeated)],
                   .optional, logicalType: .list),
        ]))
        // [0x0102, null, 0x0304]
        let columns: [ColumnData?] = [
            ColumnData(values: .fixedLenByteArray(FixedWidthValues(width: 2, bytes: [1, 2, 3, 4])),
                       definitionLevels: [3, 2, 3], repetitionLevels: [0, 1, 1]),
        ]
        let l = try assemble(schema, columns)[0].array
        let (offsets, element) = try #require(list(l))
        #expect(offsets == [0, 3])
        #expect(element.validity == [0b101])
        #expect(values(element) == .fixedLenByteArray(FixedWidthValues(width: 2, bytes: [1, 2, 0, 0, 3, 4])))
    }

    @Test func legacyUnannotatedRepeatedLeaf() throws {
        let schema = try Schema(root: .group("schema", [.leaf("nums", .int32, .repeated)]))
        // [1, 2] · [] · [3]
        let columns: [ColumnData?] = [
            ColumnData(values: .int32([1, 2, 3]), definitionLevels: [1, 1, 0, 1], repetitionLevels: [0, 1, 0, 0]),
        ]
        let l = try assemble(schema, columns)[0].array
        #expect(l.length == 3 && l.validity == nil && l.nullCount == 0)
        let (offsets, element) = try #require(list(l))
        #expect(offsets == [0, 2, 2, 3])
        #expect(element.validity == nil)
        #expect(values(element) == .int32([1, 2, 3]))
    }

    @Test func rowGroupsAppendedOneAfterTheOther() throws {
        var columns = listOfStructsColumns
        for i in columns.indices {
            if var c = columns[i], let again = listOfStructsColumns[i] { c.append(contentsOf: again); columns[i] = c }
        }
        let items = try assemble(listOfStructs, columns)[0].array
        #expect(items.length == 8)
        #expect(items.validity == [0b1101_1101])
        let (offsets, structs) = try #require(list(items))
        #expect(offsets == [0, 3, 3, 3, 4, 7, 7, 7, 8])
        #expect(structs.validity == [0b1101_1101])
        #expect(values(fields(structs)[2].array) == .int64([1, 0, 2, 3, 1, 0, 2, 3]))
    }

    @Test func manySlotsCrossBitmapBytes() throws {
        let schema = try Schema(root: .group("schema", [
            .group("l", [.group("list", [.leaf("element", .int32, .optional)], .repeated)], .optional, logicalType: .list),
        ]))
        // 100 rows; row i has i % 4 elements, element k null when (i + k) % 3 == 0; every 7th row null.
        var defs: [UInt8] = [], reps: [UInt8] = [], vals: [Int32] = []
        var wantOffsets: [Int32] = [0], wantValid: [Bool] = [], wantRowValid: [Bool] = [], wantValues: [Int32] = []
        for i in 0..<100 {
            if i % 7 == 0 {
                defs.append(0); reps.append(0); wantRowValid.append(false); wantOffsets.append(wantOffsets.last!)
                continue
            }
            wantRowValid.append(true)
            let n = i % 4
            if n == 0 { defs.append(1); reps.append(0) }
            for k in 0..<n {
                reps.append(k == 0 ? 0 : 1)
                if (i + k) % 3 == 0 {
                    defs.append(2); wantValid.append(false); wantValues.append(0)
                } else {
                    defs.append(3); vals.append(Int32(i * 10 + k)); wantValid.append(true); wantValues.append(Int32(i * 10 + k))
                }
            }
            wantOffsets.append(wantOffsets.last! + Int32(n))
        }
        let l = try assemble(schema, [ColumnData(values: .int32(vals), definitionLevels: defs, repetitionLevels: reps)])[0].array
        let (offsets, element) = try #require(list(l))
        #expect(offsets == wantOffsets)
        #expect((0..<100).map { !l.isNull($0) } == wantRowValid)
        #expect((0..<element.length).map { !element.isNull($0) } == wantValid)
        #expect(element.nullCount == wantValid.filter { !$0 }.count)
        #expect(values(element) == .int32(wantValues))
    }

    // MARK: - Bad levels throw, never trap

    @Test(arguments: [
        // A definition level above the maximum.
        ([4, 9], [0, 0], 1),
        // A repetition level above the maximum.
        ([4, 4], [0, 2], 2),
        // The first entry continues a list.
        ([4, 4], [1, 1], 2),
        // An entry continues an empty list.
        ([1, 4], [0, 1], 1),
        // An entry continues a list with a definition level that has no element.
        ([4, 1], [0, 1], 1),
        // The levels mark two values present but the column has one.
        ([4, 4], [0, 0], 1),
    ] as [([UInt8], [UInt8], Int)])
    func corruptLevelsThrow(defs: [UInt8], reps: [UInt8], valueCount: Int) {
        let schema = try! Schema(root: .group("schema", [
            .group("l", [.group("list", [.group("element", [.leaf("x", .int64, .optional)], .optional)], .repeated)],
                   .optional, logicalType: .list),
        ]))
        let column = ColumnData(values: .int64(Array(repeating: 5, count: valueCount)), definitionLevels: defs, repetitionLevels: reps)
        #expect(throws: FloeError.self) { try NestedAssembly.assemble(schema: schema, columns: [column]) }
    }

    @Test func siblingLeavesThatDisagreeThrow() {
        var columns = listOfStructsColumns
        // price gets one more element in the last row than id has.
        columns[1] = ColumnData(values: .double([1.5, 2.5, 9]), definitionLevels: [4, 2, 4, 0, 1, 3, 4],
                                repetitionLevels: [0, 1, 1, 0, 0, 0, 1])
        #expect(throws: FloeError.self) { try assemble(listOfStructs, columns) }
    }

    @Test func levelCountsThatDisagreeThrow() {
        var columns = listOfStructsColumns
        columns[2] = ColumnData(values: .int64([1, 2, 3]), definitionLevels: [4, 2, 4, 0, 1, 4], repetitionLevels: [0, 1, 1, 0, 0])
        #expect(throws: FloeError.self) { try assemble(listOfStructs, columns) }
    }

    @Test func missingLeafDataThrows() {
        var columns = listOfStructsColumns
        columns[1] = nil
        #expect(throws: FloeError.self) { try assemble(listOfStructs, columns) }
        #expect(throws: FloeError.self) { try assemble(listOfStructs, Array(columns.prefix(1))) }
    }

    @Test func fieldsWithDifferentRowCountsThrow() throws {
        let schema = try Schema(root: .group("schema", [.leaf("a", .int64, .required), .leaf("b", .int64, .required)]))
        #expect(throws: FloeError.self) {
            try NestedAssembly.assemble(schema: schema, columns: [ColumnData(values: .int64([1, 2])), ColumnData(values: .int64([1]))])
        }
    }
}
