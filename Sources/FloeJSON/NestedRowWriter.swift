import FloeCore
import FloeEncodings
import FloeColumns

/// Record assembly into canonical JSON lines: walks the definition and repetition levels of the
/// leaves under each top-level field (after Dremel) and writes one JSON object per row —
/// structs as objects, lists as arrays, maps with string keys as objects (other maps as arrays
/// of `{"key":…,"value":…}`).
///
/// Every level access is bounds-checked; leaves whose levels disagree (a corrupt file) give a
/// `.corrupt` error, never a trap.
public struct NestedRowWriter {
    private let fields: [(key: [UInt8], shape: LogicalShape)]
    private let maxDefinition: [Int]
    private let stringLeaves: [Bool]
    private var definition: [[UInt8]]
    private var repetition: [[UInt8]]
    private var texts: [BinaryValues]
    private var entryCount: [Int]
    private var cursor: [Int]
    private var valueCursor: [Int]

    /// Prepares to write the rows of one row group: `fields` are the top-level fields to print
    /// (from ``Schema/logicalFields()``), `columns[i]` the data of leaf `i` (nil for leaves no
    /// selected field uses).
    public init(schema: Schema, fields: [(name: String, shape: LogicalShape)], columns: [ColumnData?]) throws(FloeError) {
        var keys: [(key: [UInt8], shape: LogicalShape)] = []
        for f in fields {
            var k: [UInt8] = []
            CanonicalJSON.appendKey(f.name, to: &k)
            keys.append((k, f.shape))
        }
        self.fields = keys
        let n = schema.leaves.count
        maxDefinition = schema.leaves.map(\.maxDefinitionLevel)
        stringLeaves = schema.leaves.map { if case .string = $0.kind { true } else { false } }
        definition = Array(repeating: [], count: n)
        repetition = Array(repeating: [], count: n)
        texts = Array(repeating: BinaryValues(), count: n)
        entryCount = Array(repeating: 0, count: n)
        cursor = Array(repeating: 0, count: n)
        valueCursor = Array(repeating: 0, count: n)
        for (i, column) in columns.enumerated() where i < n {
            guard let column else { continue }
            let leaf = schema.leaves[i]
            definition[i] = column.definitionLevels
            repetition[i] = column.repetitionLevels
            entryCount[i] = column.entryCount
            texts[i] = try CanonicalColumn.formatValues(column.values, descriptor: leaf)
        }
    }

    /// Appends the next row as a JSON line.
    public mutating func appendRow(to out: inout [UInt8]) throws(FloeError) {
        out.append(UInt8(ascii: "{"))
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: field.key)
            try emit(field.shape, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
        for field in fields {
            for leaf in field.shape.levels.leaves {
                let c = cursor[leaf]
                if c < entryCount[leaf], !repetition[leaf].isEmpty, repetition[leaf][c] != 0 {
                    throw FloeError.corrupt("levels of leaf \(leaf) do not end a record where the others do")
                }
            }
        }
    }

    // MARK: - Levels

    @inline(__always)
    private func definitionLevel(_ leaf: Int) throws(FloeError) -> Int {
        let c = cursor[leaf]
        guard c < entryCount[leaf] else { throw FloeError.corrupt("leaf \(leaf) ran out of level entries") }
        return definition[leaf].isEmpty ? maxDefinition[leaf] : Int(definition[leaf][c])
    }

    private mutating func skip(_ leaves: [Int]) throws(FloeError) {
        for leaf in leaves {
            guard cursor[leaf] < entryCount[leaf] else { throw FloeError.corrupt("leaf \(leaf) ran out of level entries") }
            cursor[leaf] += 1
        }
    }

    /// True when the first leaf's next entry continues the current list at `level`.
    private func continues(_ leaf: Int, level: Int) throws(FloeError) -> Bool {
        let c = cursor[leaf]
        guard c < entryCount[leaf], !repetition[leaf].isEmpty else { return false }
        let r = Int(repetition[leaf][c])
        if r > level { throw FloeError.corrupt("repetition level \(r) where at most \(level) may follow an element") }
        return r == level
    }

    // MARK: - Emission

    private mutating func emit(_ shape: LogicalShape, to out: inout [UInt8]) throws(FloeError) {
        switch shape {
        case .primitive(let leaf, _):
            let d = try definitionLevel(leaf)
            if d >= maxDefinition[leaf] {
                let v = valueCursor[leaf]
                guard v < texts[leaf].count else { throw FloeError.corrupt("leaf \(leaf) has fewer values than its levels say") }
                out.append(contentsOf: texts[leaf][v])
                valueCursor[leaf] = v + 1
            } else {
                out.append(contentsOf: NestedRowWriter.null)
            }
            cursor[leaf] += 1

        case .structure(let fields, let levels):
            if levels.nullable, try definitionLevel(levels.leaves[0]) < levels.definition {
                out.append(contentsOf: NestedRowWriter.null)
                try skip(levels.leaves)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, field) in fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                CanonicalJSON.appendKey(field.name, to: &out)
                try emit(field.shape, to: &out)
            }
            out.append(UInt8(ascii: "}"))

        case .list(let element, let levels):
            let first = levels.leaves[0]
            let d = try definitionLevel(first)
            if d < levels.definition {
                out.append(contentsOf: NestedRowWriter.null)
                try skip(levels.leaves)
                return
            }
            if d < levels.elementDefinition {
                out.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "]")])
                try skip(levels.leaves)
                return
            }
            out.append(UInt8(ascii: "["))
            var index = 0
            repeat {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try emit(element, to: &out)
                index += 1
            } while try continues(first, level: levels.repetition)
            out.append(UInt8(ascii: "]"))

        case .map(let key, let value, let levels):
            let first = levels.leaves[0]
            let d = try definitionLevel(first)
            if d < levels.definition {
                out.append(contentsOf: NestedRowWriter.null)
                try skip(levels.leaves)
                return
            }
            var asObject = false
            if case .primitive(let keyLeaf, _) = key { asObject = stringLeaves[keyLeaf] }
            if d < levels.elementDefinition {
                out.append(contentsOf: asObject ? [UInt8(ascii: "{"), UInt8(ascii: "}")] : [UInt8(ascii: "["), UInt8(ascii: "]")])
                try skip(levels.leaves)
                return
            }
            out.append(asObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
            var index = 0
            repeat {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if asObject {
                    if case .primitive(let keyLeaf, _) = key, try definitionLevel(keyLeaf) < maxDefinition[keyLeaf] {
                        out.append(contentsOf: NestedRowWriter.quotedNull)
                        cursor[keyLeaf] += 1
                    } else {
                        try emit(key, to: &out)
                    }
                    out.append(UInt8(ascii: ":"))
                    if let value { try emit(value, to: &out) } else { out.append(contentsOf: NestedRowWriter.null) }
                } else {
                    out.append(contentsOf: NestedRowWriter.keyPrefix)
                    try emit(key, to: &out)
                    out.append(contentsOf: NestedRowWriter.valuePrefix)
                    if let value { try emit(value, to: &out) } else { out.append(contentsOf: NestedRowWriter.null) }
                    out.append(UInt8(ascii: "}"))
                }
                index += 1
            } while try continues(first, level: levels.repetition)
            out.append(asObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    private static let null = Array("null".utf8)
    private static let quotedNull = Array("\"null\"".utf8)
    private static let keyPrefix = Array("{\"key\":".utf8)
    private static let valuePrefix = Array(",\"value\":".utf8)
}
