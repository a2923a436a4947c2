import FloeEncodings
import FloeFormat
import FloeColumns

/// The growing values and levels of one leaf column while records are shredded.
struct LeafBuffer: Sendable {
    /// Which value array is in use.
    enum Storage: UInt8, Sendable { case boolean, int32, int64, float, double, binary, fixed }

    var defs: [UInt8] = []
    var reps: [UInt8] = []
    var bools: [Bool] = []
    var ints32: [Int32] = []
    var ints64: [Int64] = []
    var floats: [Float] = []
    var doubles: [Double] = []
    /// BYTE_ARRAY values (with `offsets`) or FIXED_LEN_BYTE_ARRAY values (`width` bytes each).
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    let storage: Storage
    let width: Int
    let hasDefs: Bool
    let hasReps: Bool

    /// Counts to roll back to.
    struct Mark: Sendable {
        var defs = 0, reps = 0, values = 0, bytes = 0
    }

    init(descriptor: ColumnDescriptor) {
        switch descriptor.physicalType {
        case .boolean: storage = .boolean
        case .int32: storage = .int32
        case .int64: storage = .int64
        case .float: storage = .float
        case .double: storage = .double
        case .byteArray: storage = .binary
        default: storage = .fixed
        }
        width = descriptor.typeLength
        hasDefs = descriptor.maxDefinitionLevel > 0
        hasReps = descriptor.maxRepetitionLevel > 0
    }

    /// The number of values held.
    var valueCount: Int {
        switch storage {
        case .boolean: return bools.count
        case .int32: return ints32.count
        case .int64: return ints64.count
        case .float: return floats.count
        case .double: return doubles.count
        case .binary: return offsets.count - 1
        case .fixed: return width == 0 ? 0 : bytes.count / width
        }
    }

    @inline(__always) func mark() -> Mark {
        Mark(defs: defs.count, reps: reps.count, values: valueCount, bytes: bytes.count)
    }

    /// Drops everything appended since `mark`.
    mutating func restore(_ mark: Mark) {
        if defs.count > mark.defs { defs.removeLast(defs.count - mark.defs) }
        if reps.count > mark.reps { reps.removeLast(reps.count - mark.reps) }
        if bytes.count > mark.bytes { bytes.removeLast(bytes.count - mark.bytes) }
        switch storage {
        case .boolean: if bools.count > mark.values { bools.removeLast(bools.count - mark.values) }
        case .int32: if ints32.count > mark.values { ints32.removeLast(ints32.count - mark.values) }
        case .int64: if ints64.count > mark.values { ints64.removeLast(ints64.count - mark.values) }
        case .float: if floats.count > mark.values { floats.removeLast(floats.count - mark.values) }
        case .double: if doubles.count > mark.values { doubles.removeLast(doubles.count - mark.values) }
        case .binary: if offsets.count > mark.values + 1 { offsets.removeLast(offsets.count - mark.values - 1) }
        case .fixed: break
        }
    }

    /// The approximate memory held, in bytes.
    var estimatedBytes: Int {
        defs.count + reps.count + bools.count + 4 * ints32.count + 8 * ints64.count + 4 * floats.count
            + 8 * doubles.count + bytes.count + 8 * (offsets.count - 1)
    }

    /// Hands out the column data and starts over, keeping room for as much again.
    mutating func take() -> ColumnData {
        let values: PhysicalValues
        switch storage {
        case .boolean: values = .boolean(bools); bools = LeafBuffer.fresh(like: bools)
        case .int32: values = .int32(ints32); ints32 = LeafBuffer.fresh(like: ints32)
        case .int64: values = .int64(ints64); ints64 = LeafBuffer.fresh(like: ints64)
        case .float: values = .float(floats); floats = LeafBuffer.fresh(like: floats)
        case .double: values = .double(doubles); doubles = LeafBuffer.fresh(like: doubles)
        case .binary:
            values = .byteArray(BinaryValues(offsets: offsets, bytes: bytes))
            offsets = LeafBuffer.fresh(like: offsets)
            offsets.append(0)
            bytes = LeafBuffer.fresh(like: bytes)
        case .fixed:
            values = .fixedLenByteArray(FixedWidthValues(width: width, bytes: bytes))
            bytes = LeafBuffer.fresh(like: bytes)
        }
        let data = ColumnData(values: values, definitionLevels: hasDefs ? defs : [], repetitionLevels: hasReps ? reps : [])
        defs = LeafBuffer.fresh(like: defs)
        reps = LeafBuffer.fresh(like: reps)
        return data
    }

    private static func fresh<T>(like old: [T]) -> [T] {
        var a: [T] = []
        if !old.isEmpty { a.reserveCapacity(old.count) }
        return a
    }
}
