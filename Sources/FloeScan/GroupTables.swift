#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeCore
import FloeEncodings

/// Mixes a 64-bit word into a running hash (multiply–xorshift; not cryptographic).
@inline(__always)
private func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
    var x = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
    x ^= x &>> 29
    return x
}

/// Finishes a hash so every bit of the input reaches the low bits used as a slot index.
@inline(__always)
private func finish(_ h: UInt64) -> UInt64 {
    var x = h
    x ^= x &>> 33
    x = x &* 0xFF51_AFD7_ED55_8CCD
    x ^= x &>> 33
    return x
}

/// Hashes `count` bytes at `p`: whole 8-byte words, then the tail byte by byte.
@inline(__always)
func hashBytes(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
    var h = UInt64(truncatingIfNeeded: count) &* 0xC2B2_AE3D_27D4_EB4F
    var i = 0
    while i &+ 8 <= count {
        h = mix(h, p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        i &+= 8
    }
    if i < count {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) &<< shift
            shift &+= 8
            i &+= 1
        }
        h = mix(h, tail)
    }
    return finish(h)
}

/// Maps the byte strings of one key column to dense group ids (0, 1, 2… in order of first
/// appearance), with one extra group for NULL. Open addressing with linear probing; the keys
/// of the groups are kept back to back (offsets + bytes), so a lookup allocates nothing.
struct StringGroupTable {
    /// Slot → group id, or -1 when empty. The count is a power of two.
    private var slots: [Int32]
    /// The hash of each group's key (NULL's entry is unused).
    private(set) var hashes: [UInt64] = []
    /// The keys of the groups, in group order; NULL's entry is empty.
    private(set) var keys = BinaryValues()
    /// The group of NULL, or -1 when no NULL key has been seen.
    private(set) var nullGroup: Int32 = -1
    /// ANDed into every hash: tests narrow it to force collisions.
    private let hashMask: UInt64
    private var used = 0

    /// Creates an empty table. `hashMask` is for tests (to force collisions); keep the default.
    init(hashMask: UInt64 = ~0) {
        slots = [Int32](repeating: -1, count: 64)
        self.hashMask = hashMask
    }

    /// The number of groups, NULL included.
    var count: Int { keys.count }

    /// Assigns the group of every row of `v` (a string, binary or JSON vector, or an all-NULL
    /// vector) to `gids[0..<v.count]`, creating groups as needed.
    mutating func assign(_ v: Vector, into gids: inout [Int]) throws(FloeError) {
        let n = v.count
        if n == 0 { return }
        guard gids.count >= n else { throw FloeError.invalidArgument("group id buffer shorter than the batch") }
        if v.type == .null {
            // Only all-NULL vectors come here untyped: every row is in the NULL group.
            let g = try nullID()
            for i in 0..<n { gids[i] = g }
            return
        }
        if v.isConstant {
            let g = v.isValid(0) ? try find(v.strings[0]) : try nullID()
            for i in 0..<n { gids[i] = g }
            return
        }
        if let dictionary = v.dictionary {
            try assignCoded(v, dictionary, into: &gids)
            return
        }
        guard v.strings.count >= n, gids.count >= n else {
            throw FloeError.invalidArgument("group key vector holds \(v.strings.count) values for \(n) rows")
        }
        let valid = v.valid
        let hasNulls = !valid.isEmpty
        if hasNulls && valid.count < n { throw FloeError.invalidArgument("group key validity is shorter than the batch") }
        let offsets = v.strings.offsets
        // A non-empty buffer always has a base address; all-empty keys use a dummy byte.
        let bytes = v.strings.bytes.isEmpty ? [0] : v.strings.bytes
        // Bring the table into locals for the loop (no exclusivity checks per row).
        var slots = self.slots; self.slots = []
        var hashes = self.hashes; self.hashes = []
        var keys = self.keys; self.keys = BinaryValues()
        var nullGroup = self.nullGroup
        var used = self.used
        let hashMask = self.hashMask
        defer {
            self.slots = slots; self.hashes = hashes; self.keys = keys
            self.nullGroup = nullGroup; self.used = used
        }
        var failure: FloeError?
        bytes.withUnsafeBytes { src in
            guard let base = src.baseAddress else { return }
            offsets.withUnsafeBufferPointer { offs in
                gids.withUnsafeMutableBufferPointer { out in
                    var mask = slots.count &- 1
                    var lastStart = -1, lastEnd = -1, lastGroup = 0
                    for i in 0..<n {
                        if hasNulls && !valid[i] {
                            if nullGroup < 0 {
                                guard keys.count < Int(Int32.max) else { failure = .invalidArgument("too many groups"); return }
                                nullGroup = Int32(truncatingIfNeeded: keys.count)
                                hashes.append(0)
                                keys.offsets.append(keys.bytes.count)
                            }
                            out[i] = Int(nullGroup)
                            continue
                        }
                        let s = offs[i], e = offs[i &+ 1]
                        guard s >= 0, s <= e, e <= v.strings.bytes.count else {
                            failure = .invalidArgument("group key \(i) has offsets \(s)..<\(e) outside its \(src.count) bytes")
                            return
                        }
                        // Runs of the same value (sorted or dictionary-ordered data) skip the table.
                        if s == lastStart && e == lastEnd { out[i] = lastGroup; continue }
                        let len = e &- s
                        let p = base + s
                        let h = hashBytes(p, len) & hashMask
                        var slot = Int(truncatingIfNeeded: h) & mask
                        var group = -1
                        while true {
                            let g = Int(slots[slot])
                            if g < 0 { break }
                            if hashes[g] == h {
                                let ks = keys.offsets[g], ke = keys.offsets[g &+ 1]
                                if ke &- ks == len {
                                    let equal = len == 0 || keys.bytes.withUnsafeBytes { kb in
                                        guard let kp = kb.baseAddress else { return false }
                                        return memcmp(kp + ks, p, len) == 0
                                    }
                                    if equal { group = g; break }
                                }
                            }
                            slot = (slot &+ 1) & mask
                        }
                        if group < 0 {
                            guard keys.count < Int(Int32.max) else { failure = .invalidArgument("too many groups"); return }
                            group = keys.count
                            hashes.append(h)
                            keys.bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: len))
                            keys.offsets.append(keys.bytes.count)
                            slots[slot] = Int32(truncatingIfNeeded: group)
                            used &+= 1
                            if used &* 2 > slots.count {
                                StringGroupTable.rehash(&slots, hashes: hashes, nullGroup: nullGroup, groups: keys.count)
                                mask = slots.count &- 1
                            }
                        }
                        out[i] = group
                        lastStart = s; lastEnd = e; lastGroup = group
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    /// ``assign(_:into:)`` for a dictionary-encoded vector: each dictionary entry is looked
    /// up once, when a row first uses it (an unused entry makes no group).
    private mutating func assignCoded(_ v: Vector, _ dictionary: BinaryValues, into gids: inout [Int]) throws(FloeError) {
        let n = v.count
        guard v.codes.count >= n else {
            throw FloeError.invalidArgument("group key vector holds \(v.codes.count) codes for \(n) rows")
        }
        let hasNulls = !v.valid.isEmpty
        if hasNulls && v.valid.count < n { throw FloeError.invalidArgument("group key validity is shorter than the batch") }
        let size = dictionary.count
        var groupOf = [Int](repeating: -1, count: size)
        var failure: FloeError?
        v.codes.withUnsafeBufferPointer { codes in
            v.valid.withUnsafeBufferPointer { valid in
                gids.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        if hasNulls && !valid[i] {
                            do throws(FloeError) { out[i] = try nullID() } catch { failure = error; return }
                            continue
                        }
                        let c = Int(codes[i])
                        guard c < size else {
                            failure = .invalidArgument("dictionary code \(c) beyond the \(size) entries")
                            return
                        }
                        var g = groupOf[c]
                        if g < 0 {
                            do throws(FloeError) { g = try find(dictionary[c]) } catch { failure = error; return }
                            groupOf[c] = g
                        }
                        out[i] = g
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    /// The group of the key `bytes`, created if new.
    mutating func find<C: Collection>(_ key: C) throws(FloeError) -> Int where C.Element == UInt8 {
        var v = Vector(type: .binary, count: 1)
        v.strings.append(key)
        var gid = [0]
        try assign(v, into: &gid)
        return gid[0]
    }

    /// The NULL group, created if new.
    mutating func nullID() throws(FloeError) -> Int {
        if nullGroup < 0 {
            guard keys.count < Int(Int32.max) else { throw FloeError.invalidArgument("too many groups") }
            nullGroup = Int32(truncatingIfNeeded: keys.count)
            hashes.append(0)
            keys.offsets.append(keys.bytes.count)
        }
        return Int(nullGroup)
    }

    /// Doubles the slot array and reinserts every group by its stored hash.
    private static func rehash(_ slots: inout [Int32], hashes: [UInt64], nullGroup: Int32, groups: Int) {
        let size = slots.count &* 2
        slots = [Int32](repeating: -1, count: size)
        let mask = size &- 1
        slots.withUnsafeMutableBufferPointer { s in
            for g in 0..<groups where g != Int(nullGroup) {
                var slot = Int(truncatingIfNeeded: hashes[g]) & mask
                while s[slot] >= 0 { slot = (slot &+ 1) & mask }
                s[slot] = Int32(truncatingIfNeeded: g)
            }
        }
    }
}

/// Maps the values of one integer, date or timestamp key column to dense group ids in order
/// of first appearance, with one extra group for NULL. Open addressing, linear probing.
struct IntGroupTable {
    private var slots: [Int32]
    /// The key of each group, in group order (NULL's entry is 0).
    private(set) var keys: [Int64] = []
    /// The group of NULL, or -1 when no NULL key has been seen.
    private(set) var nullGroup: Int32 = -1
    private var used = 0
    private let hashMask: UInt64

    /// Creates an empty table. `hashMask` is for tests (to force collisions); keep the default.
    init(hashMask: UInt64 = ~0) {
        slots = [Int32](repeating: -1, count: 64)
        self.hashMask = hashMask
    }

    /// The number of groups, NULL included.
    var count: Int { keys.count }

    @inline(__always)
    private static func hash(_ k: Int64, _ m: UInt64) -> UInt64 {
        finish(UInt64(bitPattern: k) &* 0x9E37_79B9_7F4A_7C15) & m
    }

    /// Assigns the group of every row of `v` (an integer-backed or all-NULL vector) to
    /// `gids[0..<v.count]`, creating groups as needed.
    mutating func assign(_ v: Vector, into gids: inout [Int]) throws(FloeError) {
        let n = v.count
        if n == 0 { return }
        guard gids.count >= n else { throw FloeError.invalidArgument("group id buffer shorter than the batch") }
        if v.type == .null {
            let g = try nullID()
            for i in 0..<n { gids[i] = g }
            return
        }
        let constant = v.isConstant
        guard gids.count >= n, v.type == .null || v.ints.count >= (constant ? 1 : n) else {
            throw FloeError.invalidArgument("group key vector holds \(v.ints.count) values for \(n) rows")
        }
        let valid = v.valid
        let hasNulls = !valid.isEmpty
        if hasNulls && valid.count < (constant ? 1 : n) { throw FloeError.invalidArgument("group key validity is shorter than the batch") }
        var slots = self.slots; self.slots = []
        var keys = self.keys; self.keys = []
        var nullGroup = self.nullGroup
        var used = self.used
        let hashMask = self.hashMask
        defer { self.slots = slots; self.keys = keys; self.nullGroup = nullGroup; self.used = used }
        var failure: FloeError?
        v.ints.withUnsafeBufferPointer { src in
            gids.withUnsafeMutableBufferPointer { out in
                var mask = slots.count &- 1
                var haveLast = false
                var lastKey: Int64 = 0, lastGroup = 0
                for i in 0..<n {
                    let j = constant ? 0 : i
                    if hasNulls && !valid[j] {
                        if nullGroup < 0 {
                            guard keys.count < Int(Int32.max) else { failure = .invalidArgument("too many groups"); return }
                            nullGroup = Int32(truncatingIfNeeded: keys.count)
                            keys.append(0)
                        }
                        out[i] = Int(nullGroup)
                        continue
                    }
                    let k = src[j]
                    if haveLast && k == lastKey { out[i] = lastGroup; continue }
                    var slot = Int(truncatingIfNeeded: IntGroupTable.hash(k, hashMask)) & mask
                    var group = -1
                    while true {
                        let g = Int(slots[slot])
                        if g < 0 { break }
                        if keys[g] == k && g != Int(nullGroup) { group = g; break }
                        slot = (slot &+ 1) & mask
                    }
                    if group < 0 {
                        guard keys.count < Int(Int32.max) else { failure = .invalidArgument("too many groups"); return }
                        group = keys.count
                        keys.append(k)
                        slots[slot] = Int32(truncatingIfNeeded: group)
                        used &+= 1
                        if used &* 2 > slots.count {
                            let size = slots.count &* 2
                            slots = [Int32](repeating: -1, count: size)
                            mask = size &- 1
                            for g in 0..<keys.count where g != Int(nullGroup) {
                                var s = Int(truncatingIfNeeded: IntGroupTable.hash(keys[g], hashMask)) & mask
                                while slots[s] >= 0 { s = (s &+ 1) & mask }
                                slots[s] = Int32(truncatingIfNeeded: g)
                            }
                        }
                    }
                    out[i] = group
                    haveLast = true; lastKey = k; lastGroup = group
                }
            }
        }
        if let failure { throw failure }
    }

    /// The NULL group, created if new.
    mutating func nullID() throws(FloeError) -> Int {
        if nullGroup < 0 {
            guard keys.count < Int(Int32.max) else { throw FloeError.invalidArgument("too many groups") }
            nullGroup = Int32(truncatingIfNeeded: keys.count)
            keys.append(0)
        }
        return Int(nullGroup)
    }
}
