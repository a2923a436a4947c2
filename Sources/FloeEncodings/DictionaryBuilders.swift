import FloeCore

// Dictionary builders for the writer: each maps values to dense indices in insertion order with
// an open-addressing hash table (linear probing, load ≤ 1/2), and keeps the distinct values
// ready to be PLAIN-encoded as the dictionary page.

/// The hash table of the byte-keyed builders: each slot holds the top 32 bits of a value's
/// hash (its tag, which also places it) and its index + 1 (0 marks an empty slot): 8 bytes, so
/// that large dictionaries keep as much of their table in cache as they can.
struct DictionaryHashTable: Sendable {
    struct Slot: Sendable {
        var tag: UInt32
        var entry: UInt32

        init(hash: UInt64, entry: UInt32) {
            tag = DictionaryHashTable.tag(hash)
            self.entry = entry
        }
    }
    var slots: [Slot] = []
    /// 64 − log2(slot count).
    var shift: UInt64 = 64

    /// The stored part of a hash.
    @inline(__always) static func tag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash &>> 32) }

    /// The first slot to probe for a tag: its top bits (all of a hash's top bits while the table
    /// has at most 2^32 slots).
    @inline(__always) func home(_ tag: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(tag) &<< 32) &>> shift)
    }

    /// Makes room for `distinct` entries at a load of at most 1/2, rehashing if needed.
    mutating func reserve(distinct: Int) {
        guard distinct &* 2 > slots.count else { return }
        var capacity = Swift.max(16, slots.count)
        while capacity < distinct &* 2 { capacity &*= 2 }
        let old = slots
        slots = Array(repeating: Slot(hash: 0, entry: 0), count: capacity)
        shift = UInt64(64 &- capacity.trailingZeroBitCount)
        for s in old where s.entry != 0 {
            var slot = home(s.tag)
            while slots[slot].entry != 0 { slot = (slot &+ 1) & (capacity &- 1) }
            slots[slot] = s
        }
    }

    /// Finds the entry with `hash` for which `matches(index)` holds: returns its index, or -1
    /// and the empty slot where it belongs. `reserve` must have made room first.
    @inline(__always)
    func find(hash: UInt64, matches: (Int) -> Bool) -> (slot: Int, index: Int) {
        slots.withUnsafeBufferPointer { buf in
            guard let p = buf.baseAddress else { return (0, -1) }
            let mask = buf.count &- 1
            let tag = DictionaryHashTable.tag(hash)
            var slot = home(tag)
            while true {
                let s = p[slot]
                if s.entry == 0 { return (slot, -1) }
                if s.tag == tag {
                    let index = Int(s.entry) &- 1
                    if matches(index) { return (slot, index) }
                }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// Fills the empty `slot` found by ``find(hash:matches:)``.
    @inline(__always)
    mutating func insert(slot: Int, hash: UInt64, index: Int) {
        slots[slot] = Slot(hash: hash, entry: UInt32(truncatingIfNeeded: index &+ 1))
    }

    mutating func removeAll() {
        slots = []
        shift = 64
    }
}

/// The hash table of the scalar builders: each slot holds the key itself and its index + 1.
struct ScalarHashTable<Key: FixedWidthInteger & Sendable>: Sendable {
    struct Slot: Sendable {
        var key: Key
        var entry: UInt32
    }
    var slots: [Slot] = []
    var shift: UInt64 = 64

    mutating func reserve(distinct: Int) {
        guard distinct &* 2 > slots.count else { return }
        var capacity = Swift.max(16, slots.count)
        while capacity < distinct &* 2 { capacity &*= 2 }
        let old = slots
        slots = Array(repeating: Slot(key: 0, entry: 0), count: capacity)
        shift = UInt64(64 &- capacity.trailingZeroBitCount)
        for s in old where s.entry != 0 {
            var slot = Int(truncatingIfNeeded: mixHash(UInt64(truncatingIfNeeded: s.key)) &>> shift)
            while slots[slot].entry != 0 { slot = (slot &+ 1) & (capacity &- 1) }
            slots[slot] = s
        }
    }

    mutating func removeAll() {
        slots = []
        shift = 64
    }
}

/// Mixes an integer key into a well-spread 64-bit hash.
@inline(__always)
func mixHash(_ x: UInt64) -> UInt64 {
    var h = x &* 0x9E37_79B9_7F4A_7C15
    h ^= h &>> 32
    h = h &* 0xD6E8_FEB8_6659_FD93
    h ^= h &>> 32
    return h
}

/// Hashes `n` bytes at `p`.
@inline(__always)
func hashBytes(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
    var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: n)
    if n > 16 {
        // Two independent lanes over 16-byte blocks (the last block overlapping the one before).
        var g: UInt64 = 0x1319_8A2E_0370_7344
        var i = 0
        while true {
            let at = i &+ 16 <= n ? i : n &- 16
            h = (h ^ loadLE64(p, at)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h &>> 29
            g = (g ^ loadLE64(p, at &+ 8)) &* 0xC2B2_AE3D_27D4_EB4F
            g ^= g &>> 31
            i &+= 16
            if i >= n { break }
        }
        return mixHash(h ^ (g &* 0x1656_67B1_9E37_79F9))
    }
    var i = 0
    while i &+ 8 <= n {
        h = (h ^ loadLE64(p, i)) &* 0x9E37_79B9_7F4A_7C15
        h ^= h &>> 29
        i &+= 8
    }
    if i < n {
        let tail = n >= 8 ? loadLE64(p, n &- 8) : loadPartialLE(p + i, n &- i)
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        h ^= h &>> 29
    }
    return mixHash(h)
}

/// The core of the fixed-size scalar builders, keyed on the exact bits of `Key`.
struct ScalarDictionaryCore<Key: FixedWidthInteger & Sendable>: Sendable {
    var keys: [Key] = []
    var table = ScalarHashTable<Key>()

    mutating func append(_ values: UnsafeBufferPointer<Key>, indicesInto indices: inout [UInt32]) {
        let count = values.count
        guard count > 0, let v = values.baseAddress else { return }
        // The closure cannot throw; appendFilling's error path is never taken.
        try? indices.appendFilling(count, zero: 0) { (dst: UnsafeMutablePointer<UInt32>) throws(FloeError) in
            var i = 0
            while i < count {
                let end = Swift.min(count, i &+ 4096)
                table.reserve(distinct: keys.count &+ (end &- i))
                let shift = table.shift
                var next = keys.count
                table.slots.withUnsafeMutableBufferPointer { buf in
                    guard let slots = buf.baseAddress else { return }
                    let mask = buf.count &- 1
                    for j in i..<end {
                        let key = v[j]
                        var slot = Int(truncatingIfNeeded: mixHash(UInt64(truncatingIfNeeded: key)) &>> shift)
                        while true {
                            let s = slots[slot]
                            if s.entry == 0 {
                                slots[slot] = .init(key: key, entry: UInt32(truncatingIfNeeded: next &+ 1))
                                keys.append(key)
                                dst[j] = UInt32(truncatingIfNeeded: next)
                                next &+= 1
                                break
                            }
                            if s.key == key {
                                dst[j] = s.entry &- 1
                                break
                            }
                            slot = (slot &+ 1) & mask
                        }
                    }
                }
                i = end
            }
        }
    }

    mutating func reset() {
        keys.removeAll()
        table.removeAll()
    }
}

/// Builds the dictionary of an INT32 column.
public struct Int32DictionaryBuilder: Sendable {
    var core = ScalarDictionaryCore<Int32>()
    /// Creates an empty builder.
    public init() {}
    /// Maps `values` to dictionary indices (adding new values), appending the indices.
    public mutating func append(_ values: UnsafeBufferPointer<Int32>, indicesInto indices: inout [UInt32]) {
        core.append(values, indicesInto: &indices)
    }
    /// The number of distinct values.
    public var count: Int { core.keys.count }
    /// The size of the dictionary page in PLAIN encoding.
    public var plainEncodedSize: Int { core.keys.count &* 4 }
    /// The distinct values in insertion order (index i is value i).
    public var values: [Int32] { core.keys }
    /// Forgets all values.
    public mutating func reset() { core.reset() }
}

/// Builds the dictionary of an INT64 column.
public struct Int64DictionaryBuilder: Sendable {
    var core = ScalarDictionaryCore<Int64>()
    /// Creates an empty builder.
    public init() {}
    /// Maps `values` to dictionary indices (adding new values), appending the indices.
    public mutating func append(_ values: UnsafeBufferPointer<Int64>, indicesInto indices: inout [UInt32]) {
        core.append(values, indicesInto: &indices)
    }
    /// The number of distinct values.
    public var count: Int { core.keys.count }
    /// The size of the dictionary page in PLAIN encoding.
    public var plainEncodedSize: Int { core.keys.count &* 8 }
    /// The distinct values in insertion order.
    public var values: [Int64] { core.keys }
    /// Forgets all values.
    public mutating func reset() { core.reset() }
}

/// Builds the dictionary of a FLOAT column, keyed on the bit pattern: every NaN payload, 0.0 and
/// -0.0 are distinct entries and come back exactly.
public struct FloatDictionaryBuilder: Sendable {
    var core = ScalarDictionaryCore<UInt32>()
    /// Creates an empty builder.
    public init() {}
    /// Maps `values` to dictionary indices (adding new values), appending the indices.
    public mutating func append(_ values: UnsafeBufferPointer<Float>, indicesInto indices: inout [UInt32]) {
        guard let base = values.baseAddress else { return }
        base.withMemoryRebound(to: UInt32.self, capacity: values.count) { bits in
            core.append(UnsafeBufferPointer(start: bits, count: values.count), indicesInto: &indices)
        }
    }
    /// The number of distinct values.
    public var count: Int { core.keys.count }
    /// The size of the dictionary page in PLAIN encoding.
    public var plainEncodedSize: Int { core.keys.count &* 4 }
    /// The distinct values in insertion order.
    public var values: [Float] { core.keys.map { Float(bitPattern: $0) } }
    /// Forgets all values.
    public mutating func reset() { core.reset() }
}

/// Builds the dictionary of a DOUBLE column, keyed on the bit pattern (see
/// ``FloatDictionaryBuilder``).
public struct DoubleDictionaryBuilder: Sendable {
    var core = ScalarDictionaryCore<UInt64>()
    /// Creates an empty builder.
    public init() {}
    /// Maps `values` to dictionary indices (adding new values), appending the indices.
    public mutating func append(_ values: UnsafeBufferPointer<Double>, indicesInto indices: inout [UInt32]) {
        guard let base = values.baseAddress else { return }
        base.withMemoryRebound(to: UInt64.self, capacity: values.count) { bits in
            core.append(UnsafeBufferPointer(start: bits, count: values.count), indicesInto: &indices)
        }
    }
    /// The number of distinct values.
    public var count: Int { core.keys.count }
    /// The size of the dictionary page in PLAIN encoding.
    public var plainEncodedSize: Int { core.keys.count &* 8 }
    /// The distinct values in insertion order.
    public var values: [Double] { core.keys.map { Double(bitPattern: $0) } }
    /// Forgets all values.
    public mutating func reset() { core.reset() }
}

/// Builds the dictionary of a BYTE_ARRAY column. Distinct values are stored back to back in a
/// ``BinaryValues``; the hash table holds indices into it (no per-value allocation).
public struct BinaryDictionaryBuilder: Sendable {
    /// The distinct values in insertion order.
    public private(set) var values = BinaryValues()
    var table = DictionaryHashTable()

    /// Creates an empty builder.
    public init() {}

    /// The number of distinct values.
    public var count: Int { values.count }
    /// The size of the dictionary page in PLAIN encoding (4-byte length + bytes per value).
    public var plainEncodedSize: Int { values.bytes.count &+ 4 &* values.count }

    /// Maps the values `range` of `source` to dictionary indices, appending the indices.
    public mutating func append(_ source: BinaryValues, range: Range<Int>, indicesInto indices: inout [UInt32]) {
        precondition(range.lowerBound >= 0 && range.upperBound <= source.count, "range \(range) outside 0..<\(source.count)")
        let count = range.count
        guard count > 0 else { return }
        source.bytes.withUnsafeBytes { srcBytes in
            source.offsets.withUnsafeBufferPointer { srcOffsets in
                guard let so = srcOffsets.baseAddress else { return }
                // Any non-nil pointer will do for empty values when the source holds no bytes.
                let sb = srcBytes.baseAddress ?? UnsafeRawPointer(so)
                var fresh: [Int] = []
                try? indices.appendFilling(count, zero: 0) { (dst: UnsafeMutablePointer<UInt32>) throws(FloeError) in
                    var i = 0
                    while i < count {
                        let end = Swift.min(count, i &+ 4096)
                        table.reserve(distinct: values.count &+ (end &- i))
                        fresh.removeAll(keepingCapacity: true)
                        let blockOffsets = so + (range.lowerBound &+ i)
                        mapBlock(blockOffsets, sb, end &- i, dst + i, &fresh)
                        // The block's new values join the dictionary in order.
                        for k in fresh {
                            let o = blockOffsets[k]
                            values.append(UnsafeRawBufferPointer(start: sb + o, count: blockOffsets[k &+ 1] &- o))
                        }
                        i = end
                    }
                }
            }
        }
    }

    /// Maps `n` source values (`offsets[0...n]` into `bytes`) to indices in `dst` over raw
    /// pointers. Values new to the dictionary get the next indices and are listed (as positions
    /// relative to `offsets`) in `fresh`, for the caller to append. The table must have room
    /// for `n` more entries.
    private mutating func mapBlock(_ offsets: UnsafePointer<Int>, _ bytes: UnsafeRawPointer, _ n: Int,
                                   _ dst: UnsafeMutablePointer<UInt32>, _ fresh: inout [Int]) {
        let committed = values.count
        let shift = table.shift
        values.bytes.withUnsafeBytes { dictBytes in
            values.offsets.withUnsafeBufferPointer { dictOffsetBuffer in
                table.slots.withUnsafeMutableBufferPointer { slotBuffer in
                    guard let slots = slotBuffer.baseAddress, let dictOffsets = dictOffsetBuffer.baseAddress else { return }
                    let dictBase = dictBytes.baseAddress ?? bytes
                    let mask = slotBuffer.count &- 1
                    for j in 0..<n {
                        let start = offsets[j]
                        let length = offsets[j &+ 1] &- start
                        let p = bytes + start
                        let hash = hashBytes(p, length)
                        let tag = DictionaryHashTable.tag(hash)
                        var slot = Int(truncatingIfNeeded: (UInt64(tag) &<< 32) &>> shift)
                        while true {
                            let s = slots[slot]
                            if s.entry == 0 {
                                let index = committed &+ fresh.count
                                slots[slot] = DictionaryHashTable.Slot(hash: hash, entry: UInt32(truncatingIfNeeded: index &+ 1))
                                fresh.append(j)
                                dst[j] = UInt32(truncatingIfNeeded: index)
                                break
                            }
                            if s.tag == tag {
                                let index = Int(s.entry) &- 1
                                let same: Bool
                                if index < committed {
                                    let o = dictOffsets[index]
                                    same = dictOffsets[index &+ 1] &- o == length && bytesEqual(dictBase + o, p, length)
                                } else {
                                    let k = fresh[index &- committed]
                                    let o = offsets[k]
                                    same = offsets[k &+ 1] &- o == length && bytesEqual(bytes + o, p, length)
                                }
                                if same {
                                    dst[j] = UInt32(truncatingIfNeeded: index)
                                    break
                                }
                            }
                            slot = (slot &+ 1) & mask
                        }
                    }
                }
            }
        }
    }

    /// Forgets all values.
    public mutating func reset() {
        values.removeAll()
        table.removeAll()
    }
}

/// Builds the dictionary of a FIXED_LEN_BYTE_ARRAY (or INT96) column.
public struct FixedDictionaryBuilder: Sendable {
    /// The distinct values in insertion order.
    public private(set) var values: FixedWidthValues
    var table = DictionaryHashTable()

    /// Creates an empty builder for values `width` bytes wide.
    public init(width: Int) { values = FixedWidthValues(width: width) }

    /// The number of distinct values.
    public var count: Int { values.count }
    /// The size of the dictionary page in PLAIN encoding.
    public var plainEncodedSize: Int { values.bytes.count }

    /// Maps the values `range` of `source` (of the builder's width) to dictionary indices,
    /// appending the indices.
    public mutating func append(_ source: FixedWidthValues, range: Range<Int>, indicesInto indices: inout [UInt32]) {
        precondition(source.width == values.width, "width \(source.width) differs from the dictionary's \(values.width)")
        precondition(range.lowerBound >= 0 && range.upperBound <= source.count, "range \(range) outside 0..<\(source.count)")
        let count = range.count
        let width = values.width
        guard count > 0, width > 0 else { return }
        source.bytes.withUnsafeBytes { srcBytes in
            guard let sb = srcBytes.baseAddress else { return }
            try? indices.appendFilling(count, zero: 0) { (dst: UnsafeMutablePointer<UInt32>) throws(FloeError) in
                var i = 0
                while i < count {
                    let end = Swift.min(count, i &+ 4096)
                    table.reserve(distinct: values.count &+ (end &- i))
                    for j in i..<end {
                        let p = sb + (range.lowerBound &+ j) &* width
                        let hash = hashBytes(p, width)
                        var (slot, index) = table.find(hash: hash) { k in
                            values.bytes.withUnsafeBytes { b in
                                guard let base = b.baseAddress else { return false }
                                return bytesEqual(base + k &* width, p, width)
                            }
                        }
                        if index < 0 {
                            index = values.count
                            table.insert(slot: slot, hash: hash, index: index)
                            values.bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: width))
                        }
                        dst[j] = UInt32(truncatingIfNeeded: index)
                    }
                    i = end
                }
            }
        }
    }

    /// Forgets all values.
    public mutating func reset() {
        values.bytes.removeAll()
        table.removeAll()
    }
}

/// Compares `n` bytes.
@inline(__always)
func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    if n >= 8 {
        // Whole words, the last one overlapping the one before: every load stays inside.
        var i = 0
        while i &+ 8 < n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        return a.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
    }
    var i = 0
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i &+= 1
    }
    return true
}
