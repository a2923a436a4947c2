#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-string keys grouped by an owner (a struct of the schema, an object node of the
/// inference), looked up by raw bytes without building any `String` or `Array`: one open
/// addressing table over FNV-1a hashes for all groups, trivially copyable entries, and a byte
/// arena — no reference counting on lookups.
///
/// The entries of a group are chained in insertion order (``Entry/next``). With
/// `caseInsensitive`, ASCII letters compare without case (Hive's JSON SerDe matches keys this
/// way); other bytes compare exactly.
struct KeyDirectory: Sendable {
    /// One key of one group.
    struct Entry: Sendable {
        var group: Int32
        /// The caller's value (a child ordinal, a node index).
        var value: Int32
        /// The next entry of the same group, in insertion order (−1 at the end).
        var next: Int32
        var length: Int32
        var start: Int
        var hash: UInt64
    }

    /// All keys' bytes back to back (folded to lower case when case-insensitive).
    private(set) var bytes: [UInt8] = []
    private(set) var entries: [Entry] = []
    private var slots: [Int32] = []
    /// The hash slots (for freezing into raw buffers).
    var slotArray: [Int32] { slots }
    let caseInsensitive: Bool

    init(caseInsensitive: Bool = false) { self.caseInsensitive = caseInsensitive }

    @inline(__always) static func fold(_ c: UInt8) -> UInt8 {
        c &- 0x41 < 26 ? c | 0x20 : c
    }

    @inline(__always)
    static func hash(group: Int32, _ p: UnsafePointer<UInt8>?, _ n: Int, caseInsensitive: Bool) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (UInt64(UInt32(bitPattern: group)) &* 0x9E37_79B9_7F4A_7C15)
        if let p, n > 0 {
            if caseInsensitive {
                for i in 0..<n { h = (h ^ UInt64(fold(p[i]))) &* 0x100_0000_01b3 }
            } else {
                for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3 }
            }
        }
        return h ^ (h >> 29)
    }

    /// The bytes of entry `e`.
    func key(_ e: Int) -> ArraySlice<UInt8> {
        let entry = entries[e]
        return bytes[entry.start..<(entry.start + Int(entry.length))]
    }

    /// True when entry `e` has the key `p[0..<n]`.
    @inline(__always)
    func matches(_ e: Int, _ p: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
        let entry = entries[e]
        guard Int(entry.length) == n else { return false }
        guard n > 0, let p else { return n == 0 }
        return bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return false }
            if !caseInsensitive { return KeyDirectory.equal(base + entry.start, p, n) }
            for i in 0..<n where base[entry.start + i] != KeyDirectory.fold(p[i]) { return false }
            return true
        }
    }

    /// The index of the entry of `group` with key `p[0..<n]`, or −1.
    func find(group: Int32, _ p: UnsafePointer<UInt8>?, _ n: Int) -> Int {
        bytes.withUnsafeBufferPointer { b in
            entries.withUnsafeBufferPointer { e in
                slots.withUnsafeBufferPointer { s in
                    View(bytes: b, entries: e, slots: s, caseInsensitive: caseInsensitive).find(group: group, p, n)
                }
            }
        }
    }

    /// The index of the entry of `group` with key `key`, or −1.
    func find(group: Int32, _ key: [UInt8]) -> Int {
        key.withUnsafeBufferPointer { b in find(group: group, b.baseAddress, b.count) }
    }

    /// Runs `body` with a pointer view of the directory (valid only inside `body`).
    @inline(__always)
    func withView<R, E: Error>(_ body: (View) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = bytes.withUnsafeBufferPointer { b in
            entries.withUnsafeBufferPointer { e in
                slots.withUnsafeBufferPointer { s in
                    do throws(E) {
                        return .success(try body(View(bytes: b, entries: e, slots: s, caseInsensitive: caseInsensitive)))
                    } catch {
                        return .failure(error)
                    }
                }
            }
        }
        return try result.get()
    }

    /// Adds a key to `group` (the caller checked it is absent); returns the entry index.
    @discardableResult
    mutating func insert(group: Int32, _ key: UnsafeBufferPointer<UInt8>, value: Int32, after previous: Int) -> Int {
        let start = bytes.count
        for c in key { bytes.append(caseInsensitive ? KeyDirectory.fold(c) : c) }
        let h = KeyDirectory.hash(group: group, key.baseAddress, key.count, caseInsensitive: caseInsensitive)
        let index = entries.count
        entries.append(Entry(group: group, value: value, next: -1, length: Int32(truncatingIfNeeded: key.count),
                             start: start, hash: h))
        if previous >= 0 { entries[previous].next = Int32(truncatingIfNeeded: index) }
        if slots.count < 2 * entries.count + 2 {
            var size = 16
            while size < 4 * entries.count { size <<= 1 }
            slots = [Int32](repeating: -1, count: size)
            for e in entries.indices { place(e) }
        } else {
            place(index)
        }
        return index
    }

    /// Adds `key` to `group`; returns the entry index.
    @discardableResult
    mutating func insert(group: Int32, _ key: [UInt8], value: Int32, after previous: Int) -> Int {
        key.withUnsafeBufferPointer { insert(group: group, $0, value: value, after: previous) }
    }

    /// Changes the value of entry `e`.
    mutating func setValue(_ e: Int, _ value: Int32) { entries[e].value = value }

    private mutating func place(_ e: Int) {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: entries[e].hash) & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        slots[s] = Int32(truncatingIfNeeded: e)
    }

    /// Byte equality of two `n`-byte ranges: whole words, the last one overlapping (keys are
    /// short); every load stays inside the ranges.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        if n >= 8 {
            var i = 0
            while i &+ 8 < n {
                if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i &+= 8
            }
            return ra.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == rb.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        }
        if n >= 4 {
            return ra.loadUnaligned(as: UInt32.self) == rb.loadUnaligned(as: UInt32.self)
                && ra.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self) == rb.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
        }
        var i = 0
        while i < n {
            if a[i] != b[i] { return false }
            i &+= 1
        }
        return true
    }

    /// A read-only pointer view for hot loops.
    struct View {
        let bytes: UnsafeBufferPointer<UInt8>
        let entries: UnsafeBufferPointer<Entry>
        let slots: UnsafeBufferPointer<Int32>
        let caseInsensitive: Bool

        /// True when entry `e` has the key `p[0..<n]` (its group is not checked).
        @inline(__always)
        func matches(_ e: Int, _ p: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
            let entry = entries[e]
            guard Int(entry.length) == n else { return false }
            guard n > 0, let p, let b = bytes.baseAddress else { return n == 0 }
            if !caseInsensitive { return KeyDirectory.equal(b + entry.start, p, n) }
            for i in 0..<n where b[entry.start + i] != KeyDirectory.fold(p[i]) { return false }
            return true
        }

        /// The entry of `group` with key `p[0..<n]`, or −1.
        @inline(__always)
        func find(group: Int32, _ p: UnsafePointer<UInt8>?, _ n: Int) -> Int {
            guard !slots.isEmpty else { return -1 }
            let h = KeyDirectory.hash(group: group, p, n, caseInsensitive: caseInsensitive)
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let e = Int(slots[s])
                if e < 0 { return -1 }
                let entry = entries[e]
                if entry.hash == h, entry.group == group, matches(e, p, n) { return e }
                s = (s + 1) & mask
            }
        }
    }
}
