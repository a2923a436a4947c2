#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A set of byte-string keys numbered in insertion order, looked up by raw bytes without
/// building any `String` or `Array` (open addressing over FNV-1a hashes).
///
/// With `caseInsensitive`, ASCII letters compare without case (Hive's JSON SerDe matches
/// keys this way); other bytes compare exactly.
struct KeyTable: Sendable {
    /// All keys' bytes back to back (folded to lower case when case-insensitive).
    private(set) var bytes: [UInt8] = []
    /// `count + 1` offsets into `bytes`.
    private(set) var offsets: [Int] = [0]
    private var slots: [Int32] = []
    let caseInsensitive: Bool

    init(caseInsensitive: Bool = false) { self.caseInsensitive = caseInsensitive }

    /// The number of keys.
    var count: Int { offsets.count - 1 }

    /// The bytes of key `i` (as stored).
    func key(_ i: Int) -> ArraySlice<UInt8> { bytes[offsets[i]..<offsets[i + 1]] }

    @inline(__always) static func fold(_ c: UInt8) -> UInt8 {
        c &- 0x41 < 26 ? c | 0x20 : c
    }

    @inline(__always) func hash(_ p: UnsafePointer<UInt8>?, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        guard let p, n > 0 else { return h }
        if caseInsensitive {
            for i in 0..<n { h = (h ^ UInt64(KeyTable.fold(p[i]))) &* 0x100_0000_01b3 }
        } else {
            for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3 }
        }
        return h ^ (h >> 29)
    }

    /// True when key `index` equals `p[0..<n]`.
    @inline(__always)
    func matches(_ index: Int, _ p: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
        let start = offsets[index]
        guard offsets[index + 1] - start == n else { return false }
        guard n > 0 else { return true }
        return bytes.withUnsafeBufferPointer { buf -> Bool in
            guard let b = buf.baseAddress, let p else { return false }
            if !caseInsensitive { return n == 0 || memcmp(b + start, p, n) == 0 }
            for i in 0..<n where b[start + i] != KeyTable.fold(p[i]) { return false }
            return true
        }
    }

    /// The index of the key `p[0..<n]`, or -1.
    func find(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int {
        guard !slots.isEmpty else { return -1 }
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: hash(p, n)) & mask
        while true {
            let v = Int(slots[s])
            if v < 0 { return -1 }
            if matches(v, p, n) { return v }
            s = (s + 1) & mask
        }
    }

    /// The index of `key`, or -1.
    func find(_ key: [UInt8]) -> Int {
        key.withUnsafeBufferPointer { b in find(b.baseAddress, b.count) }
    }

    /// Adds `key` if absent; returns its index and whether it was added.
    @discardableResult
    mutating func insert(_ key: [UInt8]) -> (index: Int, inserted: Bool) {
        let existing = find(key)
        if existing >= 0 { return (existing, false) }
        for c in key { bytes.append(caseInsensitive ? KeyTable.fold(c) : c) }
        offsets.append(bytes.count)
        let index = count - 1
        if slots.count < 2 * count + 2 {
            rebuild(capacity: max(16, 4 * count))
        } else {
            place(index)
        }
        return (index, true)
    }

    private mutating func place(_ index: Int) {
        let mask = slots.count - 1
        let start = offsets[index], n = offsets[index + 1] - start
        let h = bytes.withUnsafeBufferPointer { b -> UInt64 in hash(b.baseAddress.map { $0 + start }, n) }
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        slots[s] = Int32(index)
    }

    private mutating func rebuild(capacity: Int) {
        var size = 16
        while size < capacity { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        for i in 0..<count { place(i) }
    }
}
