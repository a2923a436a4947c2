import FloeCore
import FloeFormat

/// Walks one record's tape along the plan, appending values and levels (Dremel shredding).
///
/// For a node reached with the parent's definition level `parentDef` and repetition level `rep`:
/// a null or missing value writes `(parentDef, rep)` to every leaf below the node; a present
/// leaf writes its value at its maximum definition level; an empty list or map writes the
/// node's own level (present, no entries); the first entry of a list or map repeats at `rep`,
/// the following ones at the node's repetition level.
struct ShredWalker {
    /// The shredder's compiled schema; the shredder keeps it alive for the whole walk, so the
    /// walker does not retain it.
    unowned(unsafe) let program: ShredProgram
    let plan: UnsafeMutableBufferPointer<PlanEntry>
    let children: UnsafeMutableBufferPointer<Int32>
    let conversions: UnsafeMutableBufferPointer<LeafConversion>
    let keys: KeyDirectory.View
    let slots: UnsafeMutablePointer<Int32>
    let leaves: UnsafeMutablePointer<RawLeaf>
    let dateMemo: UnsafeMutablePointer<DateMemo>
    /// What the record holds that the watched inference had not seen (see ``LeafStore/unseen``).
    let unseen: UnsafeMutablePointer<UInt16>
    /// The one-pass walker's stack for skipping values (see ``LeafStore/skipStack``).
    let skipStack: UnsafeMutablePointer<UInt32>
    var tokens: UnsafeBufferPointer<JSONToken>
    let base: UnsafePointer<UInt8>
    let rejectUnknownKeys: Bool
    var scratch: ShredScratch

    init(program: ShredProgram, store: LeafStore, base: UnsafePointer<UInt8>, rejectUnknownKeys: Bool, scratch: ShredScratch) {
        self.program = program
        plan = program.plan
        children = program.children
        conversions = program.conversions
        keys = program.keys
        slots = store.slots
        leaves = store.leaves
        dateMemo = store.dateMemo
        unseen = store.unseen
        skipStack = store.skipStack
        tokens = UnsafeBufferPointer(start: nil, count: 0)
        self.base = base
        self.rejectUnknownKeys = rejectUnknownKeys
        self.scratch = scratch
    }

    var paths: [String] { program.paths }

    /// Notes a value of a kind outside its node's ``QuietKinds``.
    @inline(__always)
    func watch(_ entry: PlanEntry, _ token: JSONToken) {
        unseen.pointee |= QuietKinds.of(token) & ~entry.quiet
    }

    /// Notes something else the watched inference had not seen (see ``QuietKinds/otherNovelty``).
    @inline(__always)
    func noteNovelty() {
        unseen.pointee |= QuietKinds.otherNovelty.rawValue
    }

    // MARK: - Structure

    /// Shreds the value at token `t` (−1: missing) into node `n`.
    @inline(__always)
    mutating func value(_ n: Int, _ t: Int, parentDef: Int, rep: Int) throws(FloeError) {
        if t < 0 || tokens[t].kind == .null {
            guard plan[n].nullable else { throw missing(n, t) }
            writeNull(plan[n], def: parentDef, rep: rep)
            return
        }
        switch plan[n].kind {
        case .leaf: if !appendCommonLeaf(n, t, parentDef: parentDef, rep: rep) { try leaf(n, t, rep: rep) }
        case .structure: try structure(n, t, rep: rep)
        case .list: try list(plan[n], n, t, rep: rep)
        case .map: try map(plan[n], n, t, rep: rep)
        }
    }

    @inline(__always)
    func writeNull(_ node: PlanEntry, def: Int, rep: Int) {
        let d = UInt8(truncatingIfNeeded: def), r = UInt8(truncatingIfNeeded: rep)
        var b = node.firstLeaf
        while b < node.endLeaf {
            leaves[b].appendLevels(def: d, rep: r)
            b &+= 1
        }
    }

    mutating func structure(_ n: Int, _ t: Int, rep: Int) throws(FloeError) {
        let node = plan[n]
        guard tokens[t].kind == .objectStart else { throw mismatch(n, t, expected: "an object") }
        watch(node, tokens[t])
        let slotBase = node.slotBase
        for k in 0..<node.childCount { slots[slotBase + k] = -1 }
        var i = t + 1
        var hint = 0
        while tokens[i].kind == .key {
            let key = tokens[i]
            let child = lookup(n, node.firstEntry, key, hint: hint, childCount: node.childCount)
            if child >= 0 {
                if slots[slotBase + child] >= 0 { noteNovelty() }  // a repeated key: the inference saw both values
                slots[slotBase + child] = Int32(truncatingIfNeeded: i + 1)
                hint = child + 1
            } else if rejectUnknownKeys {
                throw unknownKey(n, key)
            } else {
                noteNovelty()
            }
            i = next(after: i + 1)
        }
        for k in 0..<node.childCount {
            let child = Int(children[node.childStart + k]), t = Int(slots[slotBase + k])
            // Missing and null fields (most fields of a varied event stream) inline.
            if t < 0 || tokens[t].kind == .null {
                let entry = plan[child]
                if entry.nullable {
                    writeNull(entry, def: node.def, rep: rep)
                    continue
                }
            }
            try value(child, t, parentDef: node.def, rep: rep)
        }
    }

    @inline(__always)
    func next(after i: Int) -> Int {
        let t = tokens[i]
        return t.kind == .objectStart || t.kind == .arrayStart ? t.partner + 1 : i + 1
    }

    /// The child ordinal of `key` in struct node `n`, or −1. `hint` is the ordinal expected
    /// (the one after the previous key's).
    @inline(__always)
    mutating func lookup(_ n: Int, _ firstEntry: Int, _ key: JSONToken, hint: Int, childCount: Int) -> Int {
        let p = base + Int(key.start)
        let count = Int(key.end &- key.start)
        let group = Int32(truncatingIfNeeded: n)
        if key.hasEscapes { return lookupEscaped(group, key) }
        if hint < childCount, keys.matches(firstEntry + hint, p, count) { return hint }
        let e = keys.find(group: group, p, count)
        return e < 0 ? -1 : Int(keys.entries[e].value)
    }

    /// ``lookup(_:_:_:hint:childCount:)`` for a key with escapes: decoded first.
    @inline(never)
    mutating func lookupEscaped(_ group: Int32, _ key: JSONToken) -> Int {
        scratch.bytes.removeAll(keepingCapacity: true)
        JSONStringDecoding.appendUnescaped(base + Int(key.start), Int(key.end &- key.start), to: &scratch.bytes)
        let keys = self.keys
        let e = scratch.bytes.withUnsafeBufferPointer { b in keys.find(group: group, b.baseAddress, b.count) }
        return e < 0 ? -1 : Int(keys.entries[e].value)
    }

    @inline(never)
    mutating func list(_ node: PlanEntry, _ n: Int, _ t: Int, rep: Int) throws(FloeError) {
        let token = tokens[t]
        guard token.kind == .arrayStart else { throw mismatch(n, t, expected: "an array") }
        watch(node, token)
        if token.count == 0 {
            writeNull(node, def: node.def, rep: rep)
            return
        }
        let element = Int(children[node.childStart])
        var i = t + 1
        var r = rep
        let elementIsLeaf = plan[element].kind == .leaf
        while tokens[i].kind != .arrayEnd {
            if !(elementIsLeaf && appendCommonLeaf(element, i, parentDef: node.entryDef, rep: r)) {
                try value(element, i, parentDef: node.entryDef, rep: r)
            }
            r = node.repLevel
            i = next(after: i)
        }
    }

    @inline(never)
    mutating func map(_ node: PlanEntry, _ n: Int, _ t: Int, rep: Int) throws(FloeError) {
        let token = tokens[t]
        guard token.kind == .objectStart else { throw mismatch(n, t, expected: "an object") }
        watch(node, token)
        if token.count == 0 {
            writeNull(node, def: node.def, rep: rep)
            return
        }
        let keyNode = Int(children[node.childStart])
        let valueNode = node.childCount > 1 ? Int(children[node.childStart + 1]) : -1
        let stackBase = scratch.members.count
        var i = t + 1
        while tokens[i].kind == .key {
            scratch.members.append(Int32(truncatingIfNeeded: i))
            i = next(after: i + 1)
        }
        defer { scratch.members.removeLast(scratch.members.count - stackBase) }
        dropRepeatedKeys(from: stackBase)
        var r = rep
        var m = stackBase
        while m < scratch.members.count {
            let k = Int(scratch.members[m])
            m += 1
            if k < 0 { continue }
            try leaf(keyNode, k, rep: r)
            if valueNode >= 0 { try value(valueNode, k + 1, parentDef: node.entryDef, rep: r) }
            r = node.repLevel
        }
    }

    /// Marks (as −1) map members whose key occurs again later in the same object.
    mutating func dropRepeatedKeys(from start: Int) {
        let end = scratch.members.count
        guard end - start > 1 else { return }
        if end - start <= 64 {
            for a in start..<(end - 1) {
                let ka = tokens[Int(scratch.members[a])]
                for b in (a + 1)..<end where keysEqual(ka, tokens[Int(scratch.members[b])]) {
                    scratch.members[a] = -1
                    noteNovelty()
                    break
                }
            }
            return
        }
        var last: [[UInt8]: Int] = [:]
        for m in start..<end {
            let key = decodedKey(tokens[Int(scratch.members[m])])
            if let previous = last[key] {
                scratch.members[previous] = -1
                noteNovelty()
            }
            last[key] = m
        }
    }

    func decodedKey(_ key: JSONToken) -> [UInt8] {
        var out: [UInt8] = []
        let p = base + Int(key.start), n = Int(key.end &- key.start)
        if key.hasEscapes {
            JSONStringDecoding.appendUnescaped(p, n, to: &out)
        } else {
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
        return out
    }

    func keysEqual(_ a: JSONToken, _ b: JSONToken) -> Bool {
        if !a.hasEscapes && !b.hasEscapes {
            let n = Int(a.end &- a.start)
            guard n == Int(b.end &- b.start) else { return false }
            let pa = base + Int(a.start), pb = base + Int(b.start)
            for i in 0..<n where pa[i] != pb[i] { return false }
            return true
        }
        return decodedKey(a) == decodedKey(b)
    }

    // MARK: - Errors

    func location(_ n: Int, _ t: Int) -> Location {
        let path = n < paths.count && !paths[n].isEmpty ? paths[n] : nil
        return Location(column: path, byteColumn: t >= 0 ? tokens[t].column : nil)
    }

    @inline(never)
    func unknownKey(_ n: Int, _ key: JSONToken) -> FloeError {
        let name = JSONStringDecoding.string(key, in: UnsafeRawBufferPointer(start: base, count: Int(key.end)))
        return FloeError(.corrupt, "key \"\(name)\" is not in the schema",
                         at: Location(column: paths[n].isEmpty ? nil : paths[n], byteColumn: key.column))
    }

    @inline(never)
    func mismatch(_ n: Int, _ t: Int, expected: String) -> FloeError {
        FloeError(.corrupt, "expected \(expected), found \(JSONShredder.describe(tokens[t].kind))", at: location(n, t))
    }

    @inline(never)
    func missing(_ n: Int, _ t: Int) -> FloeError {
        FloeError(.corrupt, t < 0 ? "missing value for a required field" : "null for a required field", at: location(n, t))
    }

    @inline(never)
    func invalid(_ n: Int, _ t: Int, _ message: String) -> FloeError {
        FloeError(.corrupt, message, at: location(n, t))
    }

    /// The token's text as written (for messages), shortened.
    func text(_ t: Int) -> String {
        let r = tokens[t].textRange
        let s = String(decoding: UnsafeBufferPointer(start: base + r.lowerBound, count: min(r.count, 60)), as: UTF8.self)
        return r.count > 60 ? s + "…" : s
    }
}
