import FloeCore
import FloeEncodings
import FloeColumns
import FloeJSON
import FloeParquet

/// How a column path of the query maps onto one file's schema.
enum Binding: Sendable, Equatable {
    /// A non-repeated primitive leaf.
    case leaf(Int)
    /// A Hive partition directory value (a string).
    case partition(String)
    /// A whole top-level field rendered as canonical JSON (structs, lists, maps).
    case field(Int)
    /// `map['key']`: the value leaf of entries whose key leaf equals `mapKey`.
    case mapValue(keyLeaf: Int, valueLeaf: Int, mapKey: String)
    /// Not in this file: nulls.
    case missing

    /// The leaves this binding reads.
    func leaves(_ binder: SchemaBinder) -> [Int] {
        switch self {
        case .leaf(let l): return [l]
        case .mapValue(let k, let v, _): return [k, v]
        case .field(let f): return binder.fields[f].shape.levels.leaves
        case .partition, .missing: return []
        }
    }
}

/// The rows of one unit of work (a row group, or a batch of JSON lines) as leaf column data.
protocol LeafSource: AnyObject {
    var rowCount: Int { get }
    func data(leaf: Int) throws(FloeError) -> ColumnData
    /// The number of nulls of a leaf over this source's rows when known without reading it
    /// (from the footer's statistics); nil when unknown.
    func knownNullCount(leaf: Int) -> Int?
    /// A leaf's levels and dictionary codes when its values can be read without decoding
    /// them (every page dictionary-encoded); nil otherwise.
    func dictionaryCoded(leaf: Int) throws(FloeError) -> (data: ColumnData, codes: DictionaryCodes)?
    /// A source of only the rows at `positions` (ascending indices into this source's rows)
    /// that reads less than this one would (late materialization), or nil when it cannot.
    func narrowed(to positions: [Int]) throws(FloeError) -> LeafSource?
}

extension LeafSource {
    func narrowed(to positions: [Int]) throws(FloeError) -> LeafSource? { nil }
    func knownNullCount(leaf: Int) -> Int? { nil }
    func dictionaryCoded(leaf: Int) throws(FloeError) -> (data: ColumnData, codes: DictionaryCodes)? { nil }
}

/// Resolves column paths against a schema (and partition columns).
struct SchemaBinder {
    let schema: Schema
    let fields: [(name: String, shape: LogicalShape)]
    let partitions: [(key: String, value: String)]

    init(schema: Schema, partitions: [(key: String, value: String)]) throws(FloeError) {
        self.schema = schema
        self.fields = try schema.logicalFields()
        self.partitions = partitions
    }

    /// The binding of `path`, or nil when the path names nothing here.
    func bind(_ path: [String]) -> Binding? {
        if let b = bind(path, caseSensitive: true) { return b }
        return bind(path, caseSensitive: false)
    }

    private func bind(_ path: [String], caseSensitive: Bool) -> Binding? {
        func same(_ a: String, _ b: String) -> Bool { caseSensitive ? a == b : a.lowercased() == b.lowercased() }
        guard let first = path.first else { return nil }
        if path.count == 1, let p = partitions.first(where: { same($0.key, first) }) { return .partition(p.key) }
        guard let top = fields.firstIndex(where: { same($0.name, first) }) else { return nil }
        var shape = fields[top].shape
        var rest = path.dropFirst()
        while let name = rest.first {
            switch shape {
            case .structure(let children, _):
                guard let child = children.first(where: { same($0.name, name) }) else { return nil }
                shape = child.shape
                rest = rest.dropFirst()
            case .map(.primitive(let keyLeaf, _), .some(.primitive(let valueLeaf, _)), let levels) where rest.count == 1 && levels.repetition == 1:
                return .mapValue(keyLeaf: keyLeaf, valueLeaf: valueLeaf, mapKey: name)
            default:
                return nil
            }
        }
        if case .primitive(let leaf, _) = shape, schema.leaves[leaf].maxRepetitionLevel == 0 { return .leaf(leaf) }
        if path.count == 1 { return .field(top) }
        return nil
    }

    /// The vector of a binding over the rows of `source`.
    /// A vector that tells only which rows are non-null (for count(x)): when the leaf is
    /// required, or the footer says it holds no null over the source's rows, a constant
    /// stands for every row and nothing is read; otherwise the column's own vector.
    func validity(_ binding: Binding, _ source: LeafSource) throws(FloeError) -> Vector {
        if case .leaf(let leaf) = binding, leaf >= 0, leaf < schema.leaves.count {
            let d = schema.leaves[leaf]
            if d.maxRepetitionLevel == 0, Materialize.sqlType(of: d.kind) != .null,
               d.maxDefinitionLevel == 0 || source.knownNullCount(leaf: leaf) == 0 {
                return .constant(.boolean(true), count: source.rowCount)
            }
        }
        return try vector(binding, source)
    }

    /// The vector of a string column left dictionary-encoded when the source can (see
    /// ``Vector/dictionary``), else as ``vector(_:_:)``.
    func codedVector(_ binding: Binding, _ source: LeafSource) throws(FloeError) -> Vector {
        if case .leaf(let leaf) = binding, leaf >= 0, leaf < schema.leaves.count {
            let d = schema.leaves[leaf]
            let type = Materialize.sqlType(of: d.kind)
            if d.maxRepetitionLevel == 0, type == .string || type == .binary, let coded = try source.dictionaryCoded(leaf: leaf) {
                return try Materialize.codedVector(coded.data, coded.codes, leaf: d, rows: source.rowCount)
            }
        }
        return try vector(binding, source)
    }

    func vector(_ binding: Binding, _ source: LeafSource) throws(FloeError) -> Vector {
        let rows = source.rowCount
        switch binding {
        case .missing:
            return .nulls(rows)
        case .partition(let key):
            let value = partitions.first(where: { $0.key == key })?.value ?? ""
            return .constant(.string(value), count: rows)
        case .leaf(let leaf):
            return try Materialize.vector(try source.data(leaf: leaf), leaf: schema.leaves[leaf], rows: rows)
        case .field(let f):
            let field = fields[f]
            var columns = [ColumnData?](repeating: nil, count: schema.leaves.count)
            for leaf in field.shape.levels.leaves { columns[leaf] = try source.data(leaf: leaf) }
            var writer = try NestedRowWriter(schema: schema, fields: [field], columns: columns)
            var prefix: [UInt8] = [UInt8(ascii: "{")]
            CanonicalJSON.appendKey(field.name, to: &prefix)
            var out = Vector(type: .json, count: rows)
            var line: [UInt8] = []
            var valid: [Bool] = []
            for r in 0..<rows {
                line.removeAll(keepingCapacity: true)
                try writer.appendRow(to: &line)
                var end = line.count
                while end > 0, line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
                let start = min(prefix.count, end)
                end = max(start, end - 1)
                // A null struct, list or map: its text is `null`, and the row is NULL to SQL.
                if line[start..<end].elementsEqual("null".utf8) {
                    if valid.isEmpty { valid = [Bool](repeating: true, count: rows) }
                    valid[r] = false
                }
                out.strings.append(line[start..<end])
            }
            out.valid = valid
            return out
        case .mapValue(let keyLeaf, let valueLeaf, let mapKey):
            return try mapLookup(try source.data(leaf: keyLeaf), try source.data(leaf: valueLeaf),
                                 keyLeaf: schema.leaves[keyLeaf], valueLeaf: schema.leaves[valueLeaf],
                                 key: Array(mapKey.utf8), rows: rows)
        }
    }

    /// For each row, the value of the first entry whose key is `key` (null when none).
    private func mapLookup(_ keys: ColumnData, _ values: ColumnData, keyLeaf: ColumnDescriptor, valueLeaf: ColumnDescriptor,
                           key: [UInt8], rows: Int) throws(FloeError) -> Vector {
        let at = Location(column: keyLeaf.dottedPath)
        guard case .byteArray(let keyTexts) = keys.values else {
            throw FloeError.unsupported("map access with a string key needs string map keys (column \(keyLeaf.dottedPath))")
        }
        let type = Materialize.sqlType(of: valueLeaf.kind)
        let dense = try Materialize.denseVector(values.values, leaf: valueLeaf, type: type)
        let entries = keys.repetitionLevels.count
        guard keys.definitionLevels.count == entries || keyLeaf.maxDefinitionLevel == 0,
              values.repetitionLevels.count == entries,
              values.definitionLevels.count == entries || valueLeaf.maxDefinitionLevel == 0 else {
            throw FloeError(.corrupt, "map key and value columns disagree on their entries", at: at)
        }
        var pick = [Int](repeating: -1, count: rows)
        var row = -1, keyCursor = 0, valueCursor = 0
        let keyTop = UInt8(truncatingIfNeeded: keyLeaf.maxDefinitionLevel)
        let valueTop = UInt8(truncatingIfNeeded: valueLeaf.maxDefinitionLevel)
        for e in 0..<entries {
            if keys.repetitionLevels[e] == 0 { row += 1 }
            guard row >= 0, row < rows else { throw FloeError(.corrupt, "map entries beyond \(rows) rows", at: at) }
            let hasKey = keyLeaf.maxDefinitionLevel == 0 || keys.definitionLevels[e] == keyTop
            let hasValue = valueLeaf.maxDefinitionLevel == 0 || values.definitionLevels[e] == valueTop
            if hasKey {
                guard keyCursor < keyTexts.count else { throw FloeError(.corrupt, "too few map keys", at: at) }
                if pick[row] == -1, keyTexts[keyCursor].elementsEqual(key) { pick[row] = hasValue ? valueCursor : -2 }
                keyCursor += 1
            }
            if hasValue { valueCursor += 1 }
        }
        guard valueCursor <= dense.count else { throw FloeError(.corrupt, "too few map values", at: at) }
        let valid = pick.map { $0 >= 0 }
        var out = dense.gather(pick.map { max(0, min($0, max(0, dense.count - 1))) })
        if dense.count == 0 { out = .nulls(rows) } else { out.valid = valid }
        return out
    }
}

/// A Parquet row group as a leaf source: reads each chunk once, on demand.
final class RowGroupSource: LeafSource {
    let read: (Int) throws(FloeError) -> ColumnData
    let rowCount: Int
    private var cache: [Int: ColumnData] = [:]

    init(rowCount: Int, read: @escaping (Int) throws(FloeError) -> ColumnData) {
        self.rowCount = rowCount
        self.read = read
    }

    func data(leaf: Int) throws(FloeError) -> ColumnData {
        if let d = cache[leaf] { return d }
        let d = try read(leaf)
        cache[leaf] = d
        return d
    }
}

/// Shredded JSON lines as a leaf source.
final class ShreddedSource: LeafSource {
    let columns: [ColumnData]
    let rowCount: Int

    init(columns: [ColumnData], rowCount: Int) { self.columns = columns; self.rowCount = rowCount }

    func data(leaf: Int) throws(FloeError) -> ColumnData {
        guard leaf >= 0, leaf < columns.count else { throw FloeError.invalidArgument("leaf \(leaf) out of range") }
        return columns[leaf]
    }
}
