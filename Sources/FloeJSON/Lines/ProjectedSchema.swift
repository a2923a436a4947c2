import FloeCore
import FloeFormat
import FloeColumns
import FloeEncodings

/// The schema of a projected scan: the projected paths typed exactly as ``SchemaInference``
/// types them over the same lines, restricted to those paths.
///
/// The schema holds the paths whose nodes a full inference makes primitive leaves under
/// structs, in the shape the full schema has (`context` a group holding `page`, a group holding
/// the leaf `url`). A path that the full schema does not have as such a leaf (its value or a
/// parent is a clash, a list, never seen) is left out, so that binding it fails as it would
/// against the full schema. When the statistics cannot decide what the full schema holds — a
/// path ends at a struct, list or map (selected whole), passes through a map, or a key differs
/// from a path component only in case — ``resolve(_:_:)`` returns nil: use a full inference.
public struct ProjectedSchema: Sendable {
    /// The projected schema (root group "schema").
    public let schema: Schema
    /// For each target (column of the scan), the leaf of ``schema`` it fills, if any.
    public let leafOfTarget: [Int?]
    private let targetOfLeaf: [Int]
    private let conversions: [LeafConversion]

    /// The schema for `paths` after the lines whose `statistics` are given, or nil when only a
    /// full inference can say (see the type's documentation); `reason` says why.
    public static func resolve(_ paths: ProjectionPaths, _ statistics: ProjectionStatistics,
                               reason: inout String) -> ProjectedSchema? {
        if statistics.sawCaseVariant { reason = "a key differs from a path only in case"; return nil }
        var why = ""
        var pending: [(Int, LeafConversion)] = []
        var leafOfTarget = [Int?](repeating: nil, count: paths.columnCount)
        var targetOfLeaf: [Int] = []
        var conversions: [LeafConversion] = []

        func build(_ n: Int) -> [SchemaNode]? {
            var out: [SchemaNode] = []
            for c in paths.nodes[n].children {
                let node = paths.nodes[c]
                let k = statistics.counts[c]
                let seen = k.nulls + k.bools + k.ints + k.doubles + k.strings + k.objects + k.arrays
                if seen == 0 { continue }
                let name = String(decoding: node.name, as: UTF8.self)
                let kinds = (k.bools > 0 ? 1 : 0) + (k.ints + k.doubles > 0 ? 1 : 0) + (k.strings > 0 ? 1 : 0)
                    + (k.objects > 0 ? 1 : 0) + (k.arrays > 0 ? 1 : 0)
                if kinds == 1 && k.objects > 0 {
                    // A struct or a map.
                    guard !node.children.isEmpty else { why = "\(name) is an object"; return nil }
                    if k.nonEmptyObjects == 0 || statistics.keys[c].overflow { why = "\(name) is a map"; return nil }
                    let keys = statistics.keys[c].keys
                    var unstable = 0
                    for key in keys where SchemaInference.looksUnstable(key) { unstable += 1 }
                    if unstable * 2 > keys.count { why = "\(name) is a map"; return nil }
                    if node.target >= 0 { why = "\(name) is an object"; return nil }
                    guard let fields = build(c) else { return nil }
                    if !fields.isEmpty { out.append(.group(name, fields, .optional)) }
                    continue
                }
                guard node.target >= 0 else { continue }  // paths through it bind to nothing
                if kinds == 1 && k.arrays > 0 { why = "\(name) is an array"; return nil }
                let leaf: SchemaNode
                let conversion: LeafConversion
                if kinds != 1 {
                    leaf = SchemaInference.stringLeaf(name); conversion = .text
                } else if k.bools > 0 {
                    leaf = .leaf(name, .boolean, .optional); conversion = .boolean
                } else if k.ints + k.doubles > 0 {
                    leaf = .leaf(name, k.doubles > 0 ? .double : .int64, .optional)
                    conversion = k.doubles > 0 ? .double : .int64
                } else if k.timestamps == k.strings {
                    leaf = .leaf(name, .int64, .optional, logicalType: .timestamp(isAdjustedToUTC: true, unit: .micros))
                    conversion = .timestamp(.micros)
                } else {
                    leaf = SchemaInference.stringLeaf(name); conversion = .text
                }
                out.append(leaf)
                pending.append((node.target, conversion))
            }
            return out
        }
        guard let fields = build(0) else { reason = why; return nil }
        // Leaves are numbered depth first, the order `build` appended them in.
        for (i, (target, conversion)) in pending.enumerated() {
            leafOfTarget[target] = i
            targetOfLeaf.append(target)
            conversions.append(conversion)
        }
        guard let schema = try? Schema(root: .group("schema", fields)), schema.leaves.count == pending.count else {
            reason = "the projected schema is not valid"
            return nil
        }
        return ProjectedSchema(schema: schema, leafOfTarget: leafOfTarget, targetOfLeaf: targetOfLeaf, conversions: conversions)
    }

    /// The leaf columns (one per leaf of ``schema``) of lines read by a projected scan, with the
    /// values converted as ``JSONShredder`` converts them for these types.
    public func columnData(_ columns: [ProjectedColumn]) throws(FloeError) -> [ColumnData] {
        var out: [ColumnData] = []
        out.reserveCapacity(targetOfLeaf.count)
        for (leaf, target) in targetOfLeaf.enumerated() {
            guard target < columns.count else { throw FloeError.invalidArgument("projected column \(target) missing") }
            let descriptor = schema.leaves[leaf]
            out.append(try ProjectedSchema.convert(columns[target], conversions[leaf], maxDefinition: descriptor.maxDefinitionLevel,
                                                   path: descriptor.dottedPath))
        }
        return out
    }

    private static func convert(_ column: ProjectedColumn, _ conversion: LeafConversion, maxDefinition: Int,
                                path: String) throws(FloeError) -> ColumnData {
        let rows = column.count
        let top = UInt8(truncatingIfNeeded: maxDefinition)
        var levels = [UInt8](repeating: 0, count: rows)
        var present = 0
        column.kinds.withUnsafeBufferPointer { k in
            levels.withUnsafeMutableBufferPointer { l in
                for i in 0..<rows where k[i] != 0 { l[i] = top; present &+= 1 }
            }
        }
        func mismatch(_ i: Int) -> FloeError {
            FloeError(.corrupt, "projected value of kind \(column.kinds[i]) does not fit the column's type", at: Location(column: path))
        }
        let values: PhysicalValues
        switch conversion {
        case .text:
            if present == rows {
                values = .byteArray(BinaryValues(offsets: column.offsets, bytes: column.bytes))
            } else {
                var b = BinaryValues()
                b.reserve(values: present, bytes: column.bytes.count)
                for i in 0..<rows where column.kinds[i] != 0 {
                    b.append(column.bytes[column.offsets[i]..<column.offsets[i + 1]])
                }
                values = .byteArray(b)
            }
        case .int64:
            var v: [Int64] = []
            v.reserveCapacity(present)
            for i in 0..<rows where column.kinds[i] != 0 {
                guard column.kinds[i] == ProjectedColumn.Kind.int.rawValue else { throw mismatch(i) }
                v.append(Int64(bitPattern: column.numbers[i]))
            }
            values = .int64(v)
        case .double:
            var v: [Double] = []
            v.reserveCapacity(present)
            for i in 0..<rows where column.kinds[i] != 0 {
                switch column.kinds[i] {
                case ProjectedColumn.Kind.int.rawValue: v.append(Double(Int64(bitPattern: column.numbers[i])))
                case ProjectedColumn.Kind.double.rawValue: v.append(Double(bitPattern: column.numbers[i]))
                default: throw mismatch(i)
                }
            }
            values = .double(v)
        case .boolean:
            var v: [Bool] = []
            v.reserveCapacity(present)
            for i in 0..<rows where column.kinds[i] != 0 {
                switch column.kinds[i] {
                case ProjectedColumn.Kind.true.rawValue: v.append(true)
                case ProjectedColumn.Kind.false.rawValue: v.append(false)
                default: throw mismatch(i)
                }
            }
            values = .boolean(v)
        case .timestamp:
            var v: [Int64] = []
            v.reserveCapacity(present)
            try column.bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                for i in 0..<rows where column.kinds[i] != 0 {
                    let lo = column.offsets[i], hi = column.offsets[i + 1]
                    guard column.kinds[i] == ProjectedColumn.Kind.string.rawValue, lo >= 0, lo <= hi, hi <= raw.count,
                          let ts = TimestampParser.parse(UnsafeRawBufferPointer(rebasing: raw[lo..<hi])) else { throw mismatch(i) }
                    v.append(ts.micros)
                }
            }
            values = .int64(v)
        default:
            throw FloeError.invalidArgument("no projected conversion for column \(path)")
        }
        return ColumnData(values: values, definitionLevels: maxDefinition == 0 ? [] : levels)
    }
}
