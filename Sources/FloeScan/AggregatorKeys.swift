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
}
