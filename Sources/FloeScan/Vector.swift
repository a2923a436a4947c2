import FloeCore
import FloeEncodings

/// The values of one expression for a batch of rows: one typed array (by `type`) plus validity.
///
/// Integers, dates (days) and timestamps (microseconds) live in `ints`; doubles in `doubles`;
/// booleans in `bools`; strings, binary and JSON text in `strings`. A constant vector holds one
/// value that stands for every row (`isConstant`).
struct Vector: Sendable {
    var type: SQLType
    var count: Int
    var isConstant = false
    var ints: [Int64] = []
    var doubles: [Double] = []
    var bools: [Bool] = []
    var strings = BinaryValues()
    /// Per-row validity; empty means every row is valid.
    var valid: [Bool] = []
    /// A string or binary vector left dictionary-encoded (a Parquet chunk's dictionary): row
    /// `i` holds `dictionary[codes[i]]` and `strings` is empty. Only a lone GROUP BY column is
    /// read this way (see ``Plan``); ``materialized()`` turns it into plain strings.
    var dictionary: BinaryValues?
    /// One dictionary index per row (0 for null rows) when ``dictionary`` is set.
    var codes: [UInt32] = []

    init(type: SQLType, count: Int) { self.type = type; self.count = count }

    /// A vector of `count` nulls.
    static func nulls(_ count: Int) -> Vector {
        var v = Vector(type: .null, count: count)
        v.isConstant = true
        v.valid = [false]
        return v
    }

    /// A constant vector repeating `value` for `count` rows.
    static func constant(_ value: SQLValue, count: Int) -> Vector {
        var v = Vector(type: value.type, count: count)
        v.isConstant = true
        switch value {
        case .null: v.valid = [false]
        case .boolean(let b): v.bools = [b]
        case .integer(let i), .date(let i), .timestamp(let i): v.ints = [i]
        case .double(let d): v.doubles = [d]
        case .string(let s): v.strings.append(Array(s.utf8))
        case .json(let s): v.strings.append(Array(s.utf8))
        case .binary(let b): v.strings.append(b)
        }
        return v
    }

    @inline(__always) func index(_ i: Int) -> Int { isConstant ? 0 : i }

    @inline(__always) func isValid(_ i: Int) -> Bool { valid.isEmpty || valid[isConstant ? 0 : i] }

    /// True when no row is null.
    var allValid: Bool { valid.isEmpty }

    /// The value of row `i`.
    func value(_ i: Int) -> SQLValue {
        guard isValid(i) else { return .null }
        let j = index(i)
        switch type {
        case .null: return .null
        case .boolean: return .boolean(bools[j])
        case .integer: return .integer(ints[j])
        case .date: return .date(ints[j])
        case .timestamp: return .timestamp(ints[j])
        case .double: return .double(doubles[j])
        case .string, .json, .binary:
            if let dictionary { return Vector.text(type, dictionary[Int(codes[j])]) }
            return Vector.text(type, strings[j])
        }
    }

    /// A string, JSON or binary value of `type` from its bytes.
    private static func text(_ type: SQLType, _ bytes: ArraySlice<UInt8>) -> SQLValue {
        switch type {
        case .json: return .json(String(decoding: bytes, as: UTF8.self))
        case .binary: return .binary(Array(bytes))
        default: return .string(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// A vector of the given row values (all of one type, or nulls).
    static func from(_ values: [SQLValue], type hint: SQLType? = nil) -> Vector {
        let type = hint ?? values.first(where: { $0 != .null })?.type ?? .null
        // Values of several types (a column typed differently across files): as text, never
        // a vector whose storage disagrees with its type.
        if !values.allSatisfy({ Vector.fits($0, type) }) {
            return from(values.map { (x: SQLValue) -> SQLValue in
                switch x {
                case .null: return .null
                case .string(let s): return .string(s)
                default: return .string(x.canonicalJSON)
                }
            }, type: .string)
        }
        var v = Vector(type: type, count: values.count)
        var valid = [Bool](repeating: true, count: values.count)
        var anyNull = false
        for (i, x) in values.enumerated() {
            switch x {
            case .null:
                valid[i] = false; anyNull = true
                switch type {
                case .boolean: v.bools.append(false)
                case .integer, .date, .timestamp: v.ints.append(0)
                case .double: v.doubles.append(0)
                case .string, .json, .binary: v.strings.offsets.append(v.strings.bytes.count)
                case .null: break
                }
            case .boolean(let b): v.bools.append(b)
            case .integer(let n), .date(let n), .timestamp(let n):
                if type == .double { v.doubles.append(Double(n)) } else { v.ints.append(n) }
            case .double(let d): v.doubles.append(d)
            case .string(let s), .json(let s): v.strings.append(Array(s.utf8))
            case .binary(let b): v.strings.append(b)
            }
        }
        if anyNull || type == .null { v.valid = valid }
        return v
    }

    /// True when `value` can be stored in a vector of `type`.
    static func fits(_ value: SQLValue, _ type: SQLType) -> Bool {
        switch value {
        case .null: return true
        case .boolean: return type == .boolean
        case .integer, .date, .timestamp: return type == .integer || type == .date || type == .timestamp || type == .double
        case .double: return type == .double
        case .string, .json, .binary: return type == .string || type == .json || type == .binary
        }
    }

    /// Materialises a constant vector as one value per row.
    func expanded() -> Vector {
        guard isConstant else { return self }
        var v = Vector(type: type, count: count)
        if !valid.isEmpty { v.valid = [Bool](repeating: valid[0], count: count) }
        switch type {
        case .boolean: v.bools = [Bool](repeating: bools.first ?? false, count: count)
        case .integer, .date, .timestamp: v.ints = [Int64](repeating: ints.first ?? 0, count: count)
        case .double: v.doubles = [Double](repeating: doubles.first ?? 0, count: count)
        case .string, .json, .binary:
            let one = strings.count > 0 ? Array(strings[0]) : []
            v.strings.reserve(values: count, bytes: one.count * count)
            for _ in 0..<count { v.strings.append(one) }
        case .null: v.valid = [Bool](repeating: false, count: count)
        }
        return v
    }

    /// A dictionary-encoded vector as plain strings (any other vector as it is).
    func materialized() -> Vector {
        guard let dictionary else { return self }
        var v = Vector(type: type, count: count)
        v.valid = valid
        v.strings.reserve(values: count, bytes: 0)
        for i in 0..<count {
            if isValid(i) { v.strings.append(dictionary[Int(codes[i])]) } else { v.strings.append([]) }
        }
        return v
    }

    /// The rows at `indices`, in that order.
    func gather(_ indices: [Int]) -> Vector {
        if isConstant { var v = self; v.count = indices.count; return v }
        if dictionary != nil {
            var v = self
            v.count = indices.count
            v.codes = indices.map { codes[$0] }
            if !valid.isEmpty { v.valid = indices.map { valid[$0] } }
            return v
        }
        var v = Vector(type: type, count: indices.count)
        if !valid.isEmpty { v.valid = indices.map { valid[$0] } }
        switch type {
        case .boolean: v.bools = indices.map { bools[$0] }
        case .integer, .date, .timestamp: v.ints = indices.map { ints[$0] }
        case .double: v.doubles = indices.map { doubles[$0] }
        case .string, .json, .binary:
            var total = 0
            for i in indices { total += strings.offsets[i + 1] - strings.offsets[i] }
            v.strings.reserve(values: indices.count, bytes: total)
            strings.bytes.withUnsafeBufferPointer { src in
                for i in indices {
                    v.strings.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[strings.offsets[i]..<strings.offsets[i + 1]]))
                    v.strings.offsets.append(v.strings.bytes.count)
                }
            }
        case .null: break
        }
        return v
    }
}

/// A batch of rows: vectors keyed by the canonical text of the expression they hold.
struct Batch: Sendable {
    var count: Int
    var columns: [String: Vector] = [:]
    /// True when columns hold values of expressions other than columns (aggregates, grouping
    /// expressions): evaluation then looks up every subexpression by its key, not only columns
    /// (a key is as long as its expression, so looking up every node of a deep tree is costly).
    var holdsExpressions = false

    /// The rows at `indices`.
    func gather(_ indices: [Int]) -> Batch {
        var b = Batch(count: indices.count)
        b.holdsExpressions = holdsExpressions
        for (k, v) in columns { b.columns[k] = v.gather(indices) }
        return b
    }
}
