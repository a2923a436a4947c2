import FloeCore
import FloeEncodings
import FloeFormat


/// The values of one leaf column for a run of rows, kept columnar as Parquet stores them:
/// the non-null values densely packed, plus definition levels (where the nulls are) and
/// repetition levels (where lists start) when the column has them.
///
/// For a required top-level column both level arrays are empty and `values.count` is the row
/// count. For an optional top-level column `definitionLevels[i]` is 1 for a value and 0 for a
/// null. Nested columns follow the Dremel scheme.
public struct ColumnData: Sendable, Equatable {
    /// The non-null leaf values in order.
    public var values: PhysicalValues
    /// One definition level per entry (empty when the max definition level is 0).
    public var definitionLevels: [UInt8]
    /// One repetition level per entry (empty when the max repetition level is 0).
    public var repetitionLevels: [UInt8]

    /// Creates column data.
    public init(values: PhysicalValues, definitionLevels: [UInt8] = [], repetitionLevels: [UInt8] = []) {
        self.values = values; self.definitionLevels = definitionLevels; self.repetitionLevels = repetitionLevels
    }

    /// Creates empty data for a column of the given physical type.
    public init(emptyFor descriptor: ColumnDescriptor) {
        self.init(values: PhysicalValues.empty(descriptor.physicalType, width: descriptor.typeLength))
    }

    /// The number of level entries (values and nulls), or the value count for required columns.
    public var entryCount: Int {
        if !definitionLevels.isEmpty { return definitionLevels.count }
        if !repetitionLevels.isEmpty { return repetitionLevels.count }
        return values.count
    }

    /// The number of rows (entries starting a record).
    public func rowCount(maxRepetitionLevel: Int) -> Int {
        if maxRepetitionLevel == 0 { return entryCount }
        return ColumnData.countLevels(repetitionLevels, equalTo: 0).count
    }

    /// The number of nulls at the leaf's deepest optional level, for statistics:
    /// entries whose definition level is below the maximum.
    public func nullCount(maxDefinitionLevel: Int) -> Int {
        if maxDefinitionLevel == 0 { return 0 }
        let maxDef = UInt8(truncatingIfNeeded: maxDefinitionLevel)
        var n = 0
        definitionLevels.withUnsafeBufferPointer { levels in
            for l in levels where l != maxDef { n &+= 1 }
        }
        return n
    }
}

extension PhysicalValues {
    /// An empty value buffer of the given physical type (`width` for fixed-length types).
    public static func empty(_ type: PhysicalType, width: Int) -> PhysicalValues {
        switch type {
        case .boolean: return .boolean([])
        case .int32: return .int32([])
        case .int64: return .int64([])
        case .int96: return .int96(FixedWidthValues(width: 12))
        case .float: return .float([])
        case .double: return .double([])
        case .byteArray: return .byteArray(BinaryValues())
        default: return .fixedLenByteArray(FixedWidthValues(width: width))
        }
    }
}

extension ColumnData {
    /// Appends another run of the same column (same physical type).
    public mutating func append(contentsOf other: ColumnData) {
        values.append(contentsOf: other.values)
        definitionLevels.append(contentsOf: other.definitionLevels)
        repetitionLevels.append(contentsOf: other.repetitionLevels)
    }

    /// Reserves room for `factor` times the levels and values held now, before runs of a
    /// similar shape are appended (so that the buffers grow once rather than by doubling).
    public mutating func reserveCapacity(times factor: Int) {
        guard factor > 1 else { return }
        values.reserveCapacity(times: factor)
        if !definitionLevels.isEmpty { definitionLevels.reserveCapacity(definitionLevels.count * factor) }
        if !repetitionLevels.isEmpty { repetitionLevels.reserveCapacity(repetitionLevels.count * factor) }
    }

    /// A copy of entries `entries` (level positions) holding values `values`; both ranges
    /// must cover whole rows, as ``ColumnData`` holds.
    public func copy(entries: Range<Int>, values range: Range<Int>) -> ColumnData {
        ColumnData(values: values.slices([range]),
                   definitionLevels: definitionLevels.isEmpty ? [] : Array(definitionLevels[entries]),
                   repetitionLevels: repetitionLevels.isEmpty ? [] : Array(repetitionLevels[entries]))
    }

    /// The approximate PLAIN-encoded size of the values and levels, in bytes.
    public var estimatedPlainSize: Int {
        let levels = definitionLevels.count / 4 + repetitionLevels.count / 4
        switch values {
        case .boolean(let v): return levels + v.count / 8
        case .int32(let v): return levels + v.count * 4
        case .int64(let v): return levels + v.count * 8
        case .float(let v): return levels + v.count * 4
        case .double(let v): return levels + v.count * 8
        case .byteArray(let v): return levels + v.bytes.count + 4 * v.count
        case .int96(let v), .fixedLenByteArray(let v): return levels + v.bytes.count
        }
    }

    /// Checks that this data fits `descriptor`: the value type, the level counts and ranges,
    /// and that the definition levels account for exactly the values present.
    public func validate(against descriptor: ColumnDescriptor) throws(FloeError) {
        let at = Location(column: descriptor.dottedPath)
        guard values.matches(descriptor) else {
            throw FloeError(.invalidArgument, "values of the wrong physical type for \(descriptor.physicalType)", at: at)
        }
        if case .byteArray(let b) = values {
            guard b.offsets.first == 0, b.offsets.last == b.bytes.count else {
                throw FloeError(.invalidArgument, "byte-array offsets do not span the byte buffer", at: at)
            }
            guard ColumnData.nonDecreasing(b.offsets) else {
                throw FloeError(.invalidArgument, "byte-array offsets decrease", at: at)
            }
        }
        if case .fixedLenByteArray(let f) = values, f.width > 0, f.bytes.count % f.width != 0 {
            throw FloeError(.invalidArgument, "fixed-length bytes are not a multiple of the width \(f.width)", at: at)
        }
        let maxDef = descriptor.maxDefinitionLevel, maxRep = descriptor.maxRepetitionLevel
        if maxDef == 0 {
            guard definitionLevels.isEmpty else {
                throw FloeError(.invalidArgument, "definition levels given for a required column", at: at)
            }
        } else {
            let top = UInt8(truncatingIfNeeded: maxDef)
            let (present, highest) = ColumnData.countLevels(definitionLevels, equalTo: top)
            guard highest <= top else {
                let l = definitionLevels.first(where: { $0 > top }) ?? highest
                throw FloeError(.invalidArgument, "definition level \(l) above the maximum \(maxDef)", at: at)
            }
            guard present == values.count else {
                throw FloeError(.invalidArgument, "\(present) definition levels mark values present but \(values.count) values were given", at: at)
            }
        }
        if maxRep == 0 {
            guard repetitionLevels.isEmpty else {
                throw FloeError(.invalidArgument, "repetition levels given for a non-repeated column", at: at)
            }
        } else {
            let entries = maxDef > 0 ? definitionLevels.count : values.count
            guard repetitionLevels.count == entries else {
                throw FloeError(.invalidArgument, "\(repetitionLevels.count) repetition levels for \(entries) entries", at: at)
            }
            if let first = repetitionLevels.first, first != 0 {
                throw FloeError(.invalidArgument, "the first repetition level must be 0", at: at)
            }
            let top = UInt8(truncatingIfNeeded: maxRep)
            let (_, highest) = ColumnData.countLevels(repetitionLevels, equalTo: top)
            if highest > top {
                let l = repetitionLevels.first(where: { $0 > top }) ?? highest
                throw FloeError(.invalidArgument, "repetition level \(l) above the maximum \(maxRep)", at: at)
            }
        }
    }

    /// True when every offset is at least the one before it (and the first at least 0).
    static func nonDecreasing(_ offsets: [Int]) -> Bool {
        offsets.withUnsafeBufferPointer { o in
            var previous = 0
            var bad = false
            for x in o {
                bad = bad || x < previous
                previous = x
            }
            return !bad
        }
    }

    /// The number of levels equal to `value`, and the highest level (0 when there are none).
    static func countLevels(_ levels: [UInt8], equalTo value: UInt8) -> (count: Int, highest: UInt8) {
        levels.withUnsafeBufferPointer { l in
            var highest: UInt8 = 0
            for x in l { highest = Swift.max(highest, x) }
            return (ColumnData.count(of: value, in: l), highest)
        }
    }

    /// The number of bytes of `levels` equal to `value`, counted eight at a time.
    package static func count(of value: UInt8, in levels: UnsafeBufferPointer<UInt8>) -> Int {
        guard let p = levels.baseAddress else { return 0 }
        let n = levels.count
        let raw = UnsafeRawPointer(p)
        let pattern = UInt64(value) &* 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var count = 0
        var i = 0
        while i &+ 8 <= n {
            // Bytes equal to `value` become zero; a zero byte is the one whose high bit stays
            // clear both in itself and after adding 0x7F to its low seven bits.
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
            let y = ~(((x & low7) &+ low7) | x | low7)
            count &+= y.nonzeroBitCount
            i &+= 8
        }
        while i < n {
            count &+= p[i] == value ? 1 : 0
            i &+= 1
        }
        return count
    }
}

extension PhysicalValues {
    /// True when the case and width fit the descriptor's physical type.
    public func matches(_ d: ColumnDescriptor) -> Bool {
        switch (self, d.physicalType) {
        case (.boolean, .boolean), (.int32, .int32), (.int64, .int64), (.float, .float), (.double, .double),
             (.byteArray, .byteArray), (.int96, .int96):
            return true
        case (.fixedLenByteArray(let f), .fixedLenByteArray):
            return f.width == d.typeLength
        default:
            return false
        }
    }

    /// Appends values of the same case (mismatched cases are ignored).
    public mutating func append(contentsOf other: PhysicalValues) {
        // Switch over `self` alone: a tuple of `self` and `other` would hold a second reference
        // to this buffer and make every append copy everything gathered so far. `self` holds a
        // placeholder while its buffer grows, so that the buffer stays uniquely referenced.
        switch self {
        case .boolean(var a):
            guard case .boolean(let b) = other else { return }
            self = .boolean([]); a.append(contentsOf: b); self = .boolean(a)
        case .int32(var a):
            guard case .int32(let b) = other else { return }
            self = .boolean([]); a.append(contentsOf: b); self = .int32(a)
        case .int64(var a):
            guard case .int64(let b) = other else { return }
            self = .boolean([]); a.append(contentsOf: b); self = .int64(a)
        case .float(var a):
            guard case .float(let b) = other else { return }
            self = .boolean([]); a.append(contentsOf: b); self = .float(a)
        case .double(var a):
            guard case .double(let b) = other else { return }
            self = .boolean([]); a.append(contentsOf: b); self = .double(a)
        case .byteArray(var a):
            guard case .byteArray(let b) = other else { return }
            self = .boolean([])
            let base = a.bytes.count
            a.bytes.append(contentsOf: b.bytes)
            PhysicalValues.appendShifted(b.offsets.dropFirst(), by: base, to: &a.offsets)
            self = .byteArray(a)
        case .int96(var a):
            guard case .int96(let b) = other else { return }
            self = .boolean([]); a.bytes.append(contentsOf: b.bytes); self = .int96(a)
        case .fixedLenByteArray(var a):
            guard case .fixedLenByteArray(let b) = other else { return }
            self = .boolean([]); a.bytes.append(contentsOf: b.bytes); self = .fixedLenByteArray(a)
        }
    }

    /// Appends `offsets`, each plus `shift`, to `out`.
    /// Reserves room for `factor` times the values (and bytes) held now.
    public mutating func reserveCapacity(times factor: Int) {
        // As in append(contentsOf:), `self` holds a placeholder while its buffer grows.
        switch self {
        case .boolean(var a): self = .boolean([]); a.reserveCapacity(a.count * factor); self = .boolean(a)
        case .int32(var a): self = .boolean([]); a.reserveCapacity(a.count * factor); self = .int32(a)
        case .int64(var a): self = .boolean([]); a.reserveCapacity(a.count * factor); self = .int64(a)
        case .float(var a): self = .boolean([]); a.reserveCapacity(a.count * factor); self = .float(a)
        case .double(var a): self = .boolean([]); a.reserveCapacity(a.count * factor); self = .double(a)
        case .byteArray(var a):
            self = .boolean([])
            a.reserve(values: a.count * (factor - 1), bytes: a.bytes.count * (factor - 1))
            self = .byteArray(a)
        case .int96(var a): self = .boolean([]); a.bytes.reserveCapacity(a.bytes.count * factor); self = .int96(a)
        case .fixedLenByteArray(var a):
            self = .boolean([]); a.bytes.reserveCapacity(a.bytes.count * factor); self = .fixedLenByteArray(a)
        }
    }

    /// Grows `out` geometrically (an exact reservation per append would copy everything
    /// gathered so far every time) and shifts the copied offsets in place.
    static func appendShifted(_ offsets: ArraySlice<Int>, by shift: Int, to out: inout [Int]) {
        let start = out.count, needed = start + offsets.count
        if out.capacity < needed { out.reserveCapacity(Swift.max(needed, 2 * out.capacity)) }
        out.append(contentsOf: offsets)
        out.withUnsafeMutableBufferPointer { all in
            guard let base = all.baseAddress else { return }
            var i = start
            while i < needed { base[i] &+= shift; i &+= 1 }
        }
    }
}

extension PhysicalValues {
    /// The values at the given ascending in-bounds index ranges, concatenated.
    public func slices(_ ranges: [Range<Int>]) -> PhysicalValues {
        func pick<T>(_ a: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(ranges.reduce(0) { $0 + $1.count })
            for r in ranges { out.append(contentsOf: a[r]) }
            return out
        }
        func pickFixed(_ f: FixedWidthValues) -> FixedWidthValues {
            var out = FixedWidthValues(width: f.width)
            for r in ranges { out.bytes.append(contentsOf: f.bytes[(r.lowerBound * f.width)..<(r.upperBound * f.width)]) }
            return out
        }
        switch self {
        case .boolean(let a): return .boolean(pick(a))
        case .int32(let a): return .int32(pick(a))
        case .int64(let a): return .int64(pick(a))
        case .float(let a): return .float(pick(a))
        case .double(let a): return .double(pick(a))
        case .int96(let f): return .int96(pickFixed(f))
        case .fixedLenByteArray(let f): return .fixedLenByteArray(pickFixed(f))
        case .byteArray(let b):
            var out = BinaryValues()
            out.reserve(values: ranges.reduce(0) { $0 + $1.count },
                        bytes: ranges.reduce(0) { $0 + b.offsets[$1.upperBound] - b.offsets[$1.lowerBound] })
            for r in ranges where !r.isEmpty {
                let lo = b.offsets[r.lowerBound], hi = b.offsets[r.upperBound]
                let shift = out.bytes.count - lo
                out.bytes.append(contentsOf: b.bytes[lo..<hi])
                PhysicalValues.appendShifted(b.offsets[(r.lowerBound + 1)...r.upperBound], by: shift, to: &out.offsets)
            }
            return .byteArray(out)
        }
    }
}
