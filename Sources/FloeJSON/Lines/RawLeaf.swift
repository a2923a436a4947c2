#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FloeEncodings
import FloeFormat
import FloeColumns

/// The growing values and levels of one leaf column while records are shredded: raw,
/// trivially copyable buffers so that an append is a capacity check and a store (no
/// reference counting, no uniqueness check). The memory belongs to a ``LeafStore``.
struct RawLeaf {
    /// Which value representation is in use.
    enum Storage: UInt8, Sendable { case boolean, int32, int64, float, double, binary, fixed }

    let hasDefs: Bool
    let hasReps: Bool
    /// The maximum definition level (the level of a present value).
    let maxDef: UInt8
    let storage: Storage
    let elementSize: Int
    let width: Int
    var defs: UnsafeMutablePointer<UInt8>
    var defCount = 0
    var defCapacity: Int
    var reps: UnsafeMutablePointer<UInt8>
    var repCount = 0
    var repCapacity: Int
    /// Fixed-size values (Bool, Int32, Int64, Float, Double) of `elementSize` bytes.
    var values: UnsafeMutableRawPointer
    var valueCount = 0
    var valueCapacity: Int
    /// BYTE_ARRAY payloads, or FIXED_LEN_BYTE_ARRAY values of `width` bytes.
    var bytes: UnsafeMutablePointer<UInt8>
    var byteCount = 0
    var byteCapacity: Int
    /// BYTE_ARRAY: `valueCount + 1` end offsets (the first is 0).
    var offsets: UnsafeMutablePointer<Int>
    var offsetCapacity: Int

    init(storage: Storage, width: Int, maxDef: Int, hasReps: Bool) {
        self.storage = storage
        self.width = width
        self.maxDef = UInt8(truncatingIfNeeded: maxDef)
        self.hasDefs = maxDef > 0
        self.hasReps = hasReps
        switch storage {
        case .boolean: elementSize = MemoryLayout<Bool>.stride
        case .int32, .float: elementSize = 4
        case .int64, .double: elementSize = 8
        case .binary, .fixed: elementSize = 0
        }
        defCapacity = 64
        defs = .allocate(capacity: defCapacity)
        repCapacity = 64
        reps = .allocate(capacity: repCapacity)
        valueCapacity = 64
        values = .allocate(byteCount: 64 * 8, alignment: 8)
        byteCapacity = 256
        bytes = .allocate(capacity: byteCapacity)
        offsetCapacity = 64
        offsets = .allocate(capacity: offsetCapacity)
        offsets[0] = 0
    }

    func deallocate() {
        defs.deallocate(); reps.deallocate(); values.deallocate(); bytes.deallocate(); offsets.deallocate()
    }

    /// The counts to roll back to.
    struct Mark: Sendable {
        var defs = 0, reps = 0, values = 0, bytes = 0
    }

    @inline(__always) var mark: Mark { Mark(defs: defCount, reps: repCount, values: valueCount, bytes: byteCount) }

    @inline(__always) mutating func restore(_ m: Mark) {
        defCount = m.defs; repCount = m.reps; valueCount = m.values; byteCount = m.bytes
    }

    /// Rolls a non-repeated leaf back to its first `rows` entries: such a leaf holds exactly
    /// one entry per record, so no mark is needed.
    mutating func truncate(rows: Int) {
        if hasDefs {
            if defCount > rows {
                var extra = 0
                for i in rows..<defCount where defs[i] == maxDef { extra &+= 1 }
                valueCount = max(0, valueCount &- extra)
                defCount = rows
            }
        } else if valueCount > rows {
            valueCount = rows
        }
        switch storage {
        case .binary: byteCount = offsets[valueCount]
        case .fixed: byteCount = valueCount &* width
        default: break
        }
    }

    // MARK: - Appends

    @inline(__always) mutating func appendLevels(def: UInt8, rep: UInt8) {
        if hasDefs {
            if defCount == defCapacity { growDefs() }
            defs[defCount] = def
            defCount &+= 1
        }
        if hasReps {
            if repCount == repCapacity { growReps() }
            reps[repCount] = rep
            repCount &+= 1
        }
    }

    @inline(__always) mutating func append<T: BitwiseCopyable>(_ value: T) {
        if valueCount == valueCapacity { growValues() }
        values.storeBytes(of: value, toByteOffset: valueCount &* elementSize, as: T.self)
        valueCount &+= 1
    }

    /// Room for `n` more payload bytes; returns where they go.
    @inline(__always) mutating func reserveBytes(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if byteCapacity &- byteCount < n { growBytes(n) }
        return bytes + byteCount
    }

    /// Appends payload bytes (a whole fixed-width value, or part of a binary value).
    @inline(__always) mutating func appendBytes(_ p: UnsafePointer<UInt8>, _ n: Int) {
        let dst = reserveBytes(n)
        RawLeaf.copy(dst, p, n)
        byteCount &+= n
    }

    /// Copies `n` bytes; short copies inline with overlapping word moves (strings in events
    /// are mostly short), long ones through `memcpy`. Reads and writes stay inside the ranges.
    @inline(__always) static func copy(_ dst: UnsafeMutablePointer<UInt8>, _ src: UnsafePointer<UInt8>, _ n: Int) {
        let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
        if n >= 8 {
            if n > 16 { memcpy(d, s, n); return }
            let head = s.loadUnaligned(as: UInt64.self)
            let tail = s.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            d.storeBytes(of: head, as: UInt64.self)
            d.storeBytes(of: tail, toByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 {
            let head = s.loadUnaligned(as: UInt32.self)
            let tail = s.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            d.storeBytes(of: head, as: UInt32.self)
            d.storeBytes(of: tail, toByteOffset: n &- 4, as: UInt32.self)
        } else {
            var i = 0
            while i < n { dst[i] = src[i]; i &+= 1 }
        }
    }

    /// Ends a binary value whose bytes were appended (records its end offset).
    @inline(__always) mutating func endBinaryValue() {
        if valueCount &+ 1 == offsetCapacity { growOffsets() }
        valueCount &+= 1
        offsets[valueCount] = byteCount
    }

    /// Counts a fixed-width value whose bytes were appended.
    @inline(__always) mutating func endFixedValue() { valueCount &+= 1 }

    @inline(never) mutating func growDefs() {
        let c = defCapacity * 2
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        p.update(from: defs, count: defCount)
        defs.deallocate()
        defs = p
        defCapacity = c
    }

    @inline(never) mutating func growReps() {
        let c = repCapacity * 2
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        p.update(from: reps, count: repCount)
        reps.deallocate()
        reps = p
        repCapacity = c
    }

    @inline(never) mutating func growValues() {
        let c = valueCapacity * 2
        let p = UnsafeMutableRawPointer.allocate(byteCount: c * max(1, elementSize), alignment: 8)
        p.copyMemory(from: values, byteCount: valueCount * elementSize)
        values.deallocate()
        values = p
        valueCapacity = c
    }

    @inline(never) mutating func growBytes(_ n: Int) {
        var c = byteCapacity * 2
        while c - byteCount < n { c *= 2 }
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        p.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = p
        byteCapacity = c
    }

    @inline(never) mutating func growOffsets() {
        let c = offsetCapacity * 2
        let p = UnsafeMutablePointer<Int>.allocate(capacity: c)
        p.update(from: offsets, count: valueCount + 1)
        offsets.deallocate()
        offsets = p
        offsetCapacity = c
    }

    // MARK: - Handing out

    /// The approximate memory the buffered data takes, in bytes.
    var estimatedBytes: Int {
        defCount + repCount + valueCount * elementSize + byteCount + (storage == .binary ? 8 * valueCount : 0)
    }

    /// The buffered data as column data (copied out); the buffers are then emptied.
    mutating func take() -> ColumnData {
        let values: PhysicalValues
        switch storage {
        case .boolean: values = .boolean(copyValues(Bool.self))
        case .int32: values = .int32(copyValues(Int32.self))
        case .int64: values = .int64(copyValues(Int64.self))
        case .float: values = .float(copyValues(Float.self))
        case .double: values = .double(copyValues(Double.self))
        case .binary:
            values = .byteArray(BinaryValues(offsets: Array(UnsafeBufferPointer(start: offsets, count: valueCount + 1)),
                                             bytes: Array(UnsafeBufferPointer(start: bytes, count: byteCount))))
        case .fixed:
            values = .fixedLenByteArray(FixedWidthValues(width: width, bytes: Array(UnsafeBufferPointer(start: bytes, count: byteCount))))
        }
        let data = ColumnData(values: values,
                              definitionLevels: hasDefs ? Array(UnsafeBufferPointer(start: defs, count: defCount)) : [],
                              repetitionLevels: hasReps ? Array(UnsafeBufferPointer(start: reps, count: repCount)) : [])
        defCount = 0; repCount = 0; valueCount = 0; byteCount = 0
        return data
    }

    private func copyValues<T: BitwiseCopyable>(_: T.Type) -> [T] {
        let n = valueCount
        let src = UnsafeRawPointer(values)
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            if let base = buffer.baseAddress, n > 0 {
                UnsafeMutableRawPointer(base).copyMemory(from: src, byteCount: n * MemoryLayout<T>.stride)
            }
            initialized = n
        }
    }

    /// A deep copy (for copy-on-write of the owning shredder).
    func copy() -> RawLeaf {
        var c = RawLeaf(storage: storage, width: width, maxDef: Int(maxDef), hasReps: hasReps)
        c.defs.deallocate(); c.reps.deallocate(); c.values.deallocate(); c.bytes.deallocate(); c.offsets.deallocate()
        c.defs = .allocate(capacity: defCapacity); c.defs.update(from: defs, count: defCount)
        c.reps = .allocate(capacity: repCapacity); c.reps.update(from: reps, count: repCount)
        c.values = .allocate(byteCount: valueCapacity * max(1, elementSize), alignment: 8)
        c.values.copyMemory(from: values, byteCount: valueCount * elementSize)
        c.bytes = .allocate(capacity: byteCapacity); c.bytes.update(from: bytes, count: byteCount)
        c.offsets = .allocate(capacity: offsetCapacity); c.offsets.update(from: offsets, count: valueCount + 1)
        c.defCount = defCount; c.defCapacity = defCapacity
        c.repCount = repCount; c.repCapacity = repCapacity
        c.valueCount = valueCount; c.valueCapacity = valueCapacity
        c.byteCount = byteCount; c.byteCapacity = byteCapacity
        c.offsetCapacity = offsetCapacity
        return c
    }
}

/// Owns the raw leaf buffers of a shredder (and frees them).
final class LeafStore: @unchecked Sendable {
    let leaves: UnsafeMutablePointer<RawLeaf>
    let marks: UnsafeMutablePointer<RawLeaf.Mark>
    let count: Int
    /// The leaves with repetition levels: the only ones that need marks for a rollback.
    let repeated: [Int]
    /// Scratch of the walker: the token of each struct field of the record being shredded.
    let slots: UnsafeMutablePointer<Int32>
    let slotCount: Int
    /// Scratch of the walker: the last timestamp date parsed.
    let dateMemo: UnsafeMutablePointer<DateMemo>
    /// Scratch of the walker: what the record being shredded holds that the watched inference
    /// had not seen (``QuietKinds`` bits, and ``QuietKinds/otherNovelty``); 0 for nothing.
    let unseen: UnsafeMutablePointer<UInt16>
    /// Scratch of the one-pass walker: the open containers of a value it skips (a key the
    /// schema does not name), ``JSONShredder/directDepthLimit`` + 1 entries.
    let skipStack: UnsafeMutablePointer<UInt32>

    init(descriptors: [ColumnDescriptor], slotCount: Int) {
        count = descriptors.count
        leaves = .allocate(capacity: max(1, count))
        marks = .allocate(capacity: max(1, count))
        self.slotCount = slotCount
        slots = .allocate(capacity: max(1, slotCount))
        slots.initialize(repeating: -1, count: max(1, slotCount))
        dateMemo = .allocate(capacity: 1)
        dateMemo.initialize(to: DateMemo())
        unseen = .allocate(capacity: 1)
        unseen.initialize(to: 0)
        skipStack = .allocate(capacity: JSONShredder.directDepthLimit + 1)
        for (i, d) in descriptors.enumerated() {
            let storage: RawLeaf.Storage
            switch d.physicalType {
            case .boolean: storage = .boolean
            case .int32: storage = .int32
            case .int64: storage = .int64
            case .float: storage = .float
            case .double: storage = .double
            case .byteArray: storage = .binary
            default: storage = .fixed
            }
            (leaves + i).initialize(to: RawLeaf(storage: storage, width: d.typeLength,
                                                maxDef: d.maxDefinitionLevel, hasReps: d.maxRepetitionLevel > 0))
            (marks + i).initialize(to: RawLeaf.Mark())
        }
        repeated = descriptors.indices.filter { descriptors[$0].maxRepetitionLevel > 0 }
    }

    private init(copying other: LeafStore) {
        count = other.count
        leaves = .allocate(capacity: max(1, count))
        marks = .allocate(capacity: max(1, count))
        slotCount = other.slotCount
        slots = .allocate(capacity: max(1, slotCount))
        slots.initialize(repeating: -1, count: max(1, slotCount))
        dateMemo = .allocate(capacity: 1)
        dateMemo.initialize(to: DateMemo())
        unseen = .allocate(capacity: 1)
        unseen.initialize(to: 0)
        skipStack = .allocate(capacity: JSONShredder.directDepthLimit + 1)
        repeated = other.repeated
        for i in 0..<count {
            (leaves + i).initialize(to: other.leaves[i].copy())
            (marks + i).initialize(to: other.marks[i])
        }
    }

    /// A deep copy.
    func copy() -> LeafStore { LeafStore(copying: self) }

    /// Remembers the counts of the repeated leaves (before a record).
    @inline(__always) func markRepeated() {
        for i in repeated { marks[i] = leaves[i].mark }
    }

    /// Rolls every leaf back to where it was after record `rows`: repeated leaves to their
    /// marks, the others to one entry per record.
    func rollBack(rows: Int) {
        for i in 0..<count {
            if leaves[i].hasReps { leaves[i].restore(marks[i]) } else { leaves[i].truncate(rows: rows) }
        }
    }

    deinit {
        for i in 0..<count { leaves[i].deallocate() }
        leaves.deinitialize(count: count)
        leaves.deallocate()
        marks.deallocate()
        slots.deallocate()
        dateMemo.deallocate()
        unseen.deallocate()
        skipStack.deallocate()
    }
}
