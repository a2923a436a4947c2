import Floe

/// Nested columns for the assembly benchmarks: a schema, its leaves' column data (Dremel
/// levels and dense values, as the column reader hands them over) and the field's shape.
public struct NestedBenchColumn: Sendable {
    public var schema: Schema
    public var columns: [ColumnData?]
    public var shape: LogicalShape
    /// Level entries over all leaves (= `BenchData.valueCount`).
    public var entries: Int
    /// Top-level rows.
    public var rows: Int
}

extension BenchData {
    /// `items: list<struct<id: int64, name: string>>`, all optional (max definition 4, max
    /// repetition 1), 500,000 level entries per leaf (1,000,000 over both). Per row: 3% null
    /// lists, 5% empty lists, else 1 to 8 elements; 2% null structs; 5% null fields.
    public static func listOfStructsColumn() throws(FloeError) -> NestedBenchColumn {
        let schema = try Schema(root: .group("schema", [
            .group("items", [
                .group("list", [
                    .group("element", [
                        .leaf("id", .int64, .optional),
                        .leaf("name", .byteArray, .optional, logicalType: .string),
                    ], .optional),
                ], .repeated),
            ], .optional, logicalType: .list),
        ]))
        let target = valueCount / 2
        var rng = SplitMix64(seed: 21)
        var rep: [UInt8] = [], defID: [UInt8] = [], defName: [UInt8] = []
        rep.reserveCapacity(target + 8); defID.reserveCapacity(target + 8); defName.reserveCapacity(target + 8)
        var rows = 0
        while rep.count < target {
            rows += 1
            let r = rng.next() % 100
            if r < 8 {
                let d: UInt8 = r < 3 ? 0 : 1
                rep.append(0); defID.append(d); defName.append(d)
                continue
            }
            let length = 1 + Int(rng.next() % 8)
            for e in 0..<length {
                rep.append(e == 0 ? 0 : 1)
                if rng.next() % 100 < 2 {
                    defID.append(2); defName.append(2)
                } else {
                    defID.append(rng.next() % 100 < 5 ? 3 : 4)
                    defName.append(rng.next() % 100 < 5 ? 3 : 4)
                }
            }
        }
        // Any prefix of a level sequence that starts a row is whole rows (the last one shorter).
        rep.removeLast(rep.count - target); defID.removeLast(defID.count - target); defName.removeLast(defName.count - target)
        let ids = (0..<defID.count(where: { $0 == 4 })).map { _ in Int64(bitPattern: rng.next() >> 1) }
        let dict = stringDictionary(size: 1_000)
        var names = BinaryValues()
        for _ in 0..<defName.count(where: { $0 == 4 }) { names.append(dict[Int(rng.next() % 1_000)]) }
        let columns: [ColumnData?] = [
            ColumnData(values: .int64(ids), definitionLevels: defID, repetitionLevels: rep),
            ColumnData(values: .byteArray(names), definitionLevels: defName, repetitionLevels: rep),
        ]
        let shape = try schema.logicalFields()[0].shape
        return NestedBenchColumn(schema: schema, columns: columns, shape: shape, entries: 2 * target,
                                 rows: rep.count(where: { $0 == 0 }))
    }

    /// `matrix: list<list<int64>>`, all optional, standard 3-level lists (max definition 5, max
    /// repetition 2), 1,000,000 level entries. Per row: 3% null, 5% empty, else 1 to 6 inner
    /// lists; per inner list: 3% null, 5% empty, else 1 to 12 values; 5% null values.
    public static func listOfListsColumn() throws(FloeError) -> NestedBenchColumn {
        func list(_ name: String, _ element: SchemaNode) -> SchemaNode {
            .group(name, [.group("list", [element], .repeated)], .optional, logicalType: .list)
        }
        let schema = try Schema(root: .group("schema", [
            list("matrix", list("element", .leaf("element", .int64, .optional))),
        ]))
        let target = valueCount
        var rng = SplitMix64(seed: 22)
        var rep: [UInt8] = [], def: [UInt8] = []
        rep.reserveCapacity(target + 100); def.reserveCapacity(target + 100)
        while rep.count < target {
            let r = rng.next() % 100
            if r < 8 { rep.append(0); def.append(r < 3 ? 0 : 1); continue }
            let outer = 1 + Int(rng.next() % 6)
            for o in 0..<outer {
                let first: UInt8 = o == 0 ? 0 : 1
                let s = rng.next() % 100
                if s < 8 { rep.append(first); def.append(s < 3 ? 2 : 3); continue }
                let inner = 1 + Int(rng.next() % 12)
                for i in 0..<inner {
                    rep.append(i == 0 ? first : 2)
                    def.append(rng.next() % 100 < 5 ? 4 : 5)
                }
            }
        }
        rep.removeLast(rep.count - target); def.removeLast(def.count - target)
        let values = (0..<def.count(where: { $0 == 5 })).map { _ in Int64(bitPattern: rng.next() >> 1) }
        let shape = try schema.logicalFields()[0].shape
        return NestedBenchColumn(schema: schema, columns: [ColumnData(values: .int64(values), definitionLevels: def, repetitionLevels: rep)],
                                 shape: shape, entries: target, rows: rep.count(where: { $0 == 0 }))
    }
}
