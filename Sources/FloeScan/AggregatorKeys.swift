import FloeCore
import FloeEncodings

/// How an aggregator with one GROUP BY expression finds the group of each row.
enum KeyMode {
    /// No key batch seen yet.
    case undecided
    /// Keys encoded to bytes per row and looked up in a dictionary: any types, any number of keys.
    case generic
    /// One string, binary or JSON key (of the given type) in an open-addressing table.
    case strings(StringGroupTable, SQLType)
    /// One integer, date or timestamp key (of the given type) in an open-addressing table.
    case ints(IntGroupTable, SQLType)
}

extension Aggregator {
    /// Assigns the groups of the rows of `v` (the single key column) with a typed table, when
    /// the key type allows; false (after moving to the generic mode) when it does not.
    func assignFast(_ v: Vector, _ gids: inout [Int]) throws(FloeError) -> Bool {
        // An all-NULL vector without a type joins the NULL group of whichever table is in use.
        let allNull = v.type == .null && (v.isConstant ? !v.isValid(0) : v.valid.count >= v.count && !v.valid.prefix(v.count).contains(true))
        if case .undecided = mode {
            switch v.type {
            case .string, .binary, .json: mode = .strings(StringGroupTable(), v.type)
            case .integer, .date, .timestamp: mode = .ints(IntGroupTable(), v.type)
            default:
                convertToGeneric()
                return false
            }
        }
        let before = groupCount
        switch mode {
        case .strings(var t, let type) where v.type == type || allNull:
            mode = .undecided   // keeps `t` uniquely referenced while it grows
            defer { mode = .strings(t, type) }
            try t.assign(v, into: &gids)
            for _ in before..<t.count { appendGroupStates() }
            return true
        case .ints(var t, let type) where v.type == type || allNull:
            mode = .undecided
            defer { mode = .ints(t, type) }
            try t.assign(v, into: &gids)
            for _ in before..<t.count { appendGroupStates() }
            return true
        default:
            convertToGeneric()
            return false
        }
    }

    /// The key of group `g` of a typed table, as a value.
    func fastKey(_ g: Int) -> SQLValue {
        switch mode {
        case .strings(let t, let type):
            if g == Int(t.nullGroup) { return .null }
            let bytes = t.keys[g]
            switch type {
            case .string: return .string(String(decoding: bytes, as: UTF8.self))
            case .json: return .json(String(decoding: bytes, as: UTF8.self))
            default: return .binary(Array(bytes))
            }
        case .ints(let t, let type):
            if g == Int(t.nullGroup) { return .null }
            let k = t.keys[g]
            switch type {
            case .date: return .date(k)
            case .timestamp: return .timestamp(k)
            default: return .integer(k)
            }
        case .generic: return g < keys.count ? (keys[g].first ?? .null) : .null
        case .undecided: return .null
        }
    }

    /// The key values of group `g`, one per GROUP BY expression.
    func groupKey(_ g: Int) -> [SQLValue] {
        if case .generic = mode { return g < keys.count ? keys[g] : [] }
        return [fastKey(g)]
    }

    /// The generic encoding of group `g`'s key (the bytes ``encode(_:_:into:)`` gives its row).
    func encodedKey(_ g: Int) -> [UInt8] {
        switch mode {
        case .strings(let t, _):
            if g == Int(t.nullGroup) { return [0] }
            let bytes = t.keys[g]
            var out: [UInt8] = [1]
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: bytes.count)) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
            return out
        case .ints(let t, _):
            if g == Int(t.nullGroup) { return [0] }
            var out: [UInt8] = [1]
            withUnsafeBytes(of: t.keys[g]) { out.append(contentsOf: $0) }
            return out
        case .generic: return g < encodedKeys.count ? encodedKeys[g] : []
        case .undecided: return []
        }
    }

    /// Moves a typed table's groups into the generic dictionary (same group ids), for key
    /// types the typed tables do not cover.
    func convertToGeneric() {
        switch mode {
        case .generic: return
        case .undecided: mode = .generic; return
        default: break
        }
        let n = groupCount
        var newKeys: [[SQLValue]] = []
        var newEncoded: [[UInt8]] = []
        newKeys.reserveCapacity(n)
        newEncoded.reserveCapacity(n)
        for g in 0..<n {
            newKeys.append([fastKey(g)])
            newEncoded.append(encodedKey(g))
        }
        mode = .generic
        keys = newKeys
        encodedKeys = newEncoded
        table = [:]
        for (g, k) in newEncoded.enumerated() { table[k] = g }
    }

    /// Finds or creates the group of each of `other`'s groups (in its order): `target[g]` is
    /// the group here of `other`'s group `g`.
    func mergeKeys(_ other: Aggregator, into target: inout [Int]) throws(FloeError) {
        let count = other.groupCount
        if count == 0 { return }
        if case .undecided = mode {
            switch other.mode {
            case .strings(_, let type): mode = .strings(StringGroupTable(), type)
            case .ints(_, let type): mode = .ints(IntGroupTable(), type)
            default: mode = .generic
            }
        }
        let before = groupCount
        switch (mode, other.mode) {
        case (.strings(var t, let type), .strings(let theirs, let otherType)) where type == otherType:
            mode = .undecided
            defer { mode = .strings(t, type) }
            // All of the partial's keys in one batch: its key storage is already a key vector.
            var keys = Vector(type: type, count: count)
            keys.strings = theirs.keys
            if theirs.nullGroup >= 0 { keys.valid = (0..<count).map { $0 != Int(theirs.nullGroup) } }
            try t.assign(keys, into: &target)
            for _ in before..<t.count { appendGroupStates() }
        case (.ints(var t, let type), .ints(let theirs, let otherType)) where type == otherType:
            mode = .undecided
            defer { mode = .ints(t, type) }
            var keys = Vector(type: type, count: count)
            keys.ints = theirs.keys
            if theirs.nullGroup >= 0 { keys.valid = (0..<count).map { $0 != Int(theirs.nullGroup) } }
            try t.assign(keys, into: &target)
            for _ in before..<t.count { appendGroupStates() }
        default:
            convertToGeneric()
            for g in 0..<count {
                let key = other.encodedKey(g)
                if let t = table[key] { target[g] = t } else {
                    target[g] = newGroup(other.groupKey(g))
                    table[key] = target[g]
                    encodedKeys.append(key)
                }
            }
        }
    }

    /// Counts only, over a dictionary-encoded key (see ``Vector/dictionary``): a histogram of
    /// the codes, then one group lookup per dictionary entry used, in the order of the entries'
    /// first rows (the order row-by-row grouping gives). False, having changed nothing, when
    /// the batch does not qualify: another aggregate than count, or a count(x) whose rows are
    /// not all valid or all null.
    func addCodedCounts(_ batch: Batch) throws(FloeError) -> Bool {
        let key = try Evaluator.eval(groupExprs[0], batch)
        guard let dictionary = key.dictionary, !key.isConstant else { return false }
        var countsRows: [Bool] = []
        for a in aggregateArguments {
            guard a.kind == .countStar || a.kind == .count else { return false }
            guard let arg = a.arg else { countsRows.append(true); continue }
            let v = try Evaluator.eval(arg, batch)
            guard v.type != .null, v.dictionary == nil else { return false }
            if v.isConstant { countsRows.append(v.isValid(0)) } else if v.valid.isEmpty { countsRows.append(true) } else { return false }
        }
        let n = batch.count
        let size = dictionary.count
        guard key.codes.count >= n, key.valid.isEmpty || key.valid.count >= n else { return false }
        // Four interleaved histograms, so that runs of one code do not serialize on one counter;
        // null rows hold code 0 and are taken back out after.
        // (An all-null chunk has an empty dictionary: its rows still hold code 0.)
        let slots = max(size, 1)
        var hist = [Int64](repeating: 0, count: slots * 4)
        var nullRows: Int64 = 0
        var bad = -1
        let hasNulls = !key.valid.isEmpty
        key.codes.withUnsafeBufferPointer { codes in
            hist.withUnsafeMutableBufferPointer { h in
                var i = 0
                while i &+ 4 <= n {
                    let a = Int(codes[i]), b = Int(codes[i &+ 1]), c = Int(codes[i &+ 2]), d = Int(codes[i &+ 3])
                    let top = max(max(a, b), max(c, d))
                    if top >= slots { bad = top; return }
                    h[a &* 4] &+= 1
                    h[b &* 4 &+ 1] &+= 1
                    h[c &* 4 &+ 2] &+= 1
                    h[d &* 4 &+ 3] &+= 1
                    i &+= 4
                }
                while i < n {
                    let a = Int(codes[i])
                    if a >= slots { bad = a; return }
                    h[a &* 4] &+= 1
                    i &+= 1
                }
            }
        }
        if hasNulls {
            key.valid.withUnsafeBufferPointer { valid in for i in 0..<n where !valid[i] { nullRows &+= 1 } }
        }
        if bad >= 0 { throw FloeError.invalidArgument("dictionary code \(bad) beyond the \(size) entries") }
        var rows = [Int64](repeating: 0, count: slots)
        for c in 0..<slots { rows[c] = hist[c * 4] &+ hist[c * 4 + 1] &+ hist[c * 4 + 2] &+ hist[c * 4 + 3] }
        if nullRows > 0 { rows[0] &-= nullRows }
        if size == 0 && rows[0] != 0 { throw FloeError.invalidArgument("dictionary code 0 beyond the 0 entries") }
        if size == 0 { rows = [] }
        // The groups in the order of their first rows: scan until every used entry is seen.
        var pending = rows.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } + (nullRows > 0 ? 1 : 0)
        var seen = [Bool](repeating: false, count: size)
        var nullSeen = false
        var used: [Int] = []   // dictionary entries in first-row order; -1 for NULL
        var i = 0
        while pending > 0 && i < n {
            if hasNulls && !key.valid[i] {
                if !nullSeen { nullSeen = true; used.append(-1); pending -= 1 }
            } else {
                let c = Int(key.codes[i])
                if !seen[c] { seen[c] = true; used.append(c); pending -= 1 }
            }
            i += 1
        }
        var keys = Vector(type: key.type, count: used.count)
        for c in used { if c >= 0 { keys.strings.append(dictionary[c]) } else { keys.strings.append([]) } }
        if nullRows > 0 { keys.valid = used.map { $0 >= 0 } }
        var gids = [Int](repeating: 0, count: used.count)
        guard try assignFast(keys, &gids) else { return false }
        for (k, c) in used.enumerated() {
            addToCount(group: gids[k], rows: c >= 0 ? rows[c] : nullRows, where: countsRows)
        }
        return true
    }
}
