import FloeCore
import FloeEncodings
import FloeColumns
import FloeJSON
import FloeParquet

/// Turns a leaf's `ColumnData` (dense values + definition levels) into a row-aligned vector.
enum Materialize {
    /// The SQL type a leaf of this kind reads as.
    static func sqlType(of kind: ValueKind) -> SQLType {
        switch kind {
        case .boolean: return .boolean
        case .integer: return .integer
        case .float, .double, .float16, .decimal: return .double
        case .string: return .string
        case .binary: return .binary
        case .date: return .date
        case .timestamp, .int96Timestamp: return .timestamp
        case .null: return .null
        case .time, .uuid, .unsupported: return .json
        }
    }

    /// Builds the dictionary-encoded vector of a non-repeated string or binary leaf for `rows`
    /// rows from its levels (`data`, whose values are empty) and its dictionary codes.
    static func codedVector(_ data: ColumnData, _ coded: DictionaryCodes, leaf: ColumnDescriptor,
                            rows: Int) throws(FloeError) -> Vector {
        let at = Location(column: leaf.dottedPath)
        let type = sqlType(of: leaf.kind)
        guard leaf.maxRepetitionLevel == 0, type == .string || type == .binary || type == .json else {
            throw FloeError(.invalidArgument, "dictionary codes are read only for non-repeated string columns", at: at)
        }
        var v = Vector(type: type, count: rows)
        v.dictionary = coded.dictionary
        let codes = coded.codes
        if leaf.maxDefinitionLevel == 0 {
            guard codes.count == rows else { throw FloeError(.corrupt, "\(codes.count) values for \(rows) rows", at: at) }
            v.codes = codes
            return v
        }
        let levels = data.definitionLevels
        guard levels.count == rows else {
            throw FloeError(.corrupt, "\(levels.count) definition levels for \(rows) rows", at: at)
        }
        let top = UInt8(truncatingIfNeeded: leaf.maxDefinitionLevel)
        var present = 0
        for l in levels where l == top { present &+= 1 }
        guard present == codes.count else {
            throw FloeError(.corrupt, "\(present) present entries but \(codes.count) values", at: at)
        }
        if present == rows {
            v.codes = codes
            return v
        }
        var rowCodes = [UInt32](repeating: 0, count: rows)
        var valid = [Bool](repeating: false, count: rows)
        levels.withUnsafeBufferPointer { l in
            codes.withUnsafeBufferPointer { c in
                rowCodes.withUnsafeMutableBufferPointer { out in
                    valid.withUnsafeMutableBufferPointer { ok in
                        var k = 0
                        for i in 0..<rows where l[i] == top {
                            out[i] = c[k]
                            ok[i] = true
                            k &+= 1
                        }
                    }
                }
            }
        }
        v.codes = rowCodes
        v.valid = valid
        return v
    }

    /// Builds the vector of a non-repeated leaf for `rows` rows.
    static func vector(_ data: ColumnData, leaf: ColumnDescriptor, rows: Int) throws(FloeError) -> Vector {
        guard leaf.maxRepetitionLevel == 0 else {
            throw FloeError.unsupported("column \(leaf.dottedPath) is repeated (inside a list); select its top-level field instead")
        }
        let type = sqlType(of: leaf.kind)
        if type == .null { return .nulls(rows) }
        let dense = try denseVector(data.values, leaf: leaf, type: type)
        let maxDef = leaf.maxDefinitionLevel
        if maxDef == 0 {
            guard dense.count == rows else {
                throw FloeError(.corrupt, "\(dense.count) values for \(rows) rows", at: Location(column: leaf.dottedPath))
            }
            return dense
        }
        let levels = data.definitionLevels
        guard levels.count == rows else {
            throw FloeError(.corrupt, "\(levels.count) definition levels for \(rows) rows", at: Location(column: leaf.dottedPath))
        }
        let top = UInt8(truncatingIfNeeded: maxDef)
        var valid = [Bool](repeating: false, count: rows)
        var present = 0
        levels.withUnsafeBufferPointer { l in
            valid.withUnsafeMutableBufferPointer { v in
                for i in 0..<rows where l[i] == top { v[i] = true; present &+= 1 }
            }
        }
        guard present == dense.count else {
            throw FloeError(.corrupt, "\(present) present entries but \(dense.count) values", at: Location(column: leaf.dottedPath))
        }
        if present == rows { return dense }
        var out = Vector(type: dense.type, count: rows)
        out.valid = valid
        switch dense.type {
        case .boolean:
            out.bools = [Bool](repeating: false, count: rows)
            var k = 0
            for i in 0..<rows where valid[i] { out.bools[i] = dense.bools[k]; k += 1 }
        case .integer, .date, .timestamp:
            out.ints = [Int64](repeating: 0, count: rows)
            out.ints.withUnsafeMutableBufferPointer { o in
                dense.ints.withUnsafeBufferPointer { d in
                    var k = 0
                    for i in 0..<rows where valid[i] { o[i] = d[k]; k &+= 1 }
                }
            }
        case .double:
            out.doubles = [Double](repeating: 0, count: rows)
            var k = 0
            for i in 0..<rows where valid[i] { out.doubles[i] = dense.doubles[k]; k += 1 }
        case .string, .binary, .json:
            out.strings.bytes = dense.strings.bytes
            var offsets = [Int](repeating: 0, count: rows + 1)
            dense.strings.offsets.withUnsafeBufferPointer { d in
                offsets.withUnsafeMutableBufferPointer { o in
                    var k = 0
                    for i in 0..<rows {
                        if valid[i] { k &+= 1 }
                        o[i + 1] = d[k]
                    }
                }
            }
            out.strings.offsets = offsets
        case .null:
            break
        }
        return out
    }

    /// The present values as a dense vector.
    static func denseVector(_ values: PhysicalValues, leaf: ColumnDescriptor, type: SQLType) throws(FloeError) -> Vector {
        var v = Vector(type: type, count: values.count)
        switch (leaf.kind, values) {
        case (.boolean, .boolean(let b)): v.bools = b
        case (.integer(_, let signed), .int32(let x)):
            v.ints = signed ? x.map { Int64($0) } : x.map { Int64(UInt32(bitPattern: $0)) }
        case (.integer(_, let signed), .int64(let x)):
            // The engine's integers are BIGINT: a UINT64 value above its range is refused
            // rather than read as a negative number.
            if !signed, let i = x.firstIndex(where: { $0 < 0 }) {
                throw FloeError(.unsupported, "UINT64 value \(UInt64(bitPattern: x[i])) is above the BIGINT range of queries",
                                at: Location(column: leaf.dottedPath))
            }
            v.ints = x
        case (.date, .int32(let x)): v.ints = x.map { Int64($0) }
        case (.date, .int64(let x)): v.ints = x
        case (.timestamp(let unit, _), .int64(let x)):
            switch unit {
            case .millis: v.ints = x.map { $0 &* 1000 }
            case .micros: v.ints = x
            case .nanos: v.ints = x.map { floorDiv($0, 1000) }
            }
        case (.int96Timestamp, .int96(let f)):
            v.ints.reserveCapacity(f.count)
            f.bytes.withUnsafeBytes { raw in
                for i in 0..<f.count {
                    let nanos = raw.loadUnaligned(fromByteOffset: i * 12, as: Int64.self)
                    let day = Int64(raw.loadUnaligned(fromByteOffset: i * 12 + 8, as: Int32.self))
                    v.ints.append((day &- CanonicalJSON.julianDayOfUnixEpoch) &* 86_400_000_000 &+ floorDiv(nanos, 1000))
                }
            }
        case (.float, .float(let x)): v.doubles = x.map { Double($0) }
        case (.double, .double(let x)): v.doubles = x
        case (.float16, .fixedLenByteArray(let f)) where f.width == 2:
            v.doubles = (0..<f.count).map { i in
                Double(HalfPrecision.float(fromBits: UInt16(f.bytes[2 * i]) | UInt16(f.bytes[2 * i + 1]) << 8))
            }
        case (.decimal(let scale, _), .int32(let x)):
            let d = pow10(scale); v.doubles = x.map { Double($0) / d }
        case (.decimal(let scale, _), .int64(let x)):
            let d = pow10(scale); v.doubles = x.map { Double($0) / d }
        case (.decimal, _):
            let texts = try CanonicalColumn.formatValues(values, descriptor: leaf)
            v.doubles.reserveCapacity(texts.count)
            for i in 0..<texts.count {
                let s = String(decoding: texts[i].filter { $0 != UInt8(ascii: "\"") }, as: UTF8.self)
                v.doubles.append(Double(s) ?? .nan)
            }
        case (.string, .byteArray(let s)), (.binary, .byteArray(let s)): v.strings = s
        case (.binary, .fixedLenByteArray(let f)):
            v.strings.reserve(values: f.count, bytes: f.bytes.count)
            for i in 0..<f.count { v.strings.append(f[i]) }
        default:
            v.type = .json
            v.strings = try CanonicalColumn.formatValues(values, descriptor: leaf)
        }
        return v
    }

    private static func pow10(_ n: Int) -> Double {
        var d = 1.0
        for _ in 0..<max(0, min(n, 400)) { d *= 10 }
        return d
    }
}
