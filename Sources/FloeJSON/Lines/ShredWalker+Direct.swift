import FloeCore

/// Shredding straight from a line's bytes, in one pass, without a tape: the path of the common
/// records. It parses with the grammar checks of ``JSONLineScanner`` and appends exactly what
/// the tape walk would append, but only for what it knows: objects into structs, arrays into
/// lists, `{}` into maps, and the leaves the tape walk converts inline (strings into text,
/// strings without escapes into timestamps, numbers, booleans, nulls, and the JSON text of
/// numbers and booleans in text columns), passing over the checked values of keys the schema
/// does not name. On anything else — a key with escapes, a repeated key, another conversion,
/// malformed JSON, deep nesting — it answers false, and the caller rolls the record back and
/// takes the tape path, which converts or reports it.
extension ShredWalker {
    private static let quote = UInt8(ascii: "\""), colon = UInt8(ascii: ":")
    private static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    private static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")

    /// Shreds the record of `base[start..<length]` into the root struct; false when the
    /// record needs the tape path (what was appended is then the caller's to roll back).
    mutating func direct(_ length: Int, start: Int, maxDepth: Int) -> Bool {
        var p = ScanKernel.skipWhitespace(base, start, length)
        guard p < length, base[p] == ShredWalker.openBrace, maxDepth > 0,
              directObject(0, &p, length, rep: 0, depth: 0, maxDepth: maxDepth) else { return false }
        return ScanKernel.skipWhitespace(base, p, length) == length
    }

    /// Notes a value kind (``QuietKinds``) outside its node's quiet kinds.
    @inline(__always)
    func watchKind(_ entry: PlanEntry, _ kind: QuietKinds) {
        unseen.pointee |= kind.rawValue & ~entry.quiet
    }

    /// The object at `p` (its `{`) into struct node `n`; `depth` containers are open around it.
    private mutating func directObject(_ n: Int, _ p: inout Int, _ length: Int, rep: UInt8, depth: Int, maxDepth: Int) -> Bool {
        guard depth < maxDepth else { return false }
        let node = plan[n]
        let slotBase = node.slotBase, childCount = node.childCount
        var q = ScanKernel.skipWhitespace(base, p &+ 1, length)
        guard q < length else { return false }
        for k in 0..<childCount { slots[slotBase &+ k] = -1 }
        if base[q] == ShredWalker.closeBrace {
            watchKind(node, .emptyObject)
            q &+= 1
        } else {
            watchKind(node, .object)
            let group = Int32(truncatingIfNeeded: n)
            var hint = 0
            while true {
                guard q < length, base[q] == ShredWalker.quote else { return false }
                let key = base + (q &+ 1)
                var child = -1
                var close = 0
                if hint < childCount {
                    // The key expected next, compared in place: equal plain bytes followed by
                    // the closing quote are that key, unescaped, with nothing to check.
                    let e = node.firstEntry &+ hint
                    let expected = keys.entries[e]
                    let n = Int(expected.length)
                    if let stored = keys.bytes.baseAddress, program.plainKeys[e], q &+ 1 &+ n < length,
                       base[q &+ 1 &+ n] == ShredWalker.quote, KeyDirectory.equal(key, stored + expected.start, n) {
                        child = hint
                        close = q &+ 1 &+ n
                    }
                }
                if child < 0 {
                    guard let (end, escaped) = try? SkipKernel.string(base, q &+ 1, length), !escaped else { return false }
                    close = end
                    let keyLength = close &- q &- 1
                    if hint < childCount, keys.matches(node.firstEntry &+ hint, key, keyLength) {
                        child = hint
                    } else {
                        let e = keys.find(group: group, key, keyLength)
                        if e >= 0 { child = Int(keys.entries[e].value) }
                    }
                }
                q = ScanKernel.skipWhitespace(base, close &+ 1, length)
                guard q < length, base[q] == ShredWalker.colon else { return false }
                q = ScanKernel.skipWhitespace(base, q &+ 1, length)
                guard q < length else { return false }
                if child < 0 {
                    // A key the schema does not name: its value is checked and passed over.
                    guard !rejectUnknownKeys, let end = skipValue(q, length, depth: depth &+ 1, maxDepth: maxDepth) else { return false }
                    noteNovelty()
                    q = end
                } else {
                    guard slots[slotBase &+ child] < 0 else { return false }  // a repeated key
                    slots[slotBase &+ child] = 1
                    hint = child &+ 1
                    guard directValue(Int(children[node.childStart &+ child]), &q, length, parentDef: node.def8, rep: rep,
                                      depth: depth &+ 1, maxDepth: maxDepth) else { return false }
                }
                guard let more = SkipKernel.nextMember(base, &q, length, closer: ShredWalker.closeBrace) else { return false }
                if !more { break }
            }
        }
        // Absent fields are null.
        for k in 0..<childCount where slots[slotBase &+ k] < 0 {
            let entry = plan[Int(children[node.childStart &+ k])]
            guard entry.nullable else { return false }
            writeNull(entry, def: node.def, rep: Int(rep))
        }
        p = q
        return true
    }

    /// The value at `p` (not whitespace, inside the line) into node `n`.
    @inline(__always)
    private mutating func directValue(_ n: Int, _ p: inout Int, _ length: Int, parentDef: UInt8, rep: UInt8,
                                      depth: Int, maxDepth: Int) -> Bool {
        let entry = plan[n]
        let c = base[p]
        if c == UInt8(ascii: "n") {
            guard p &+ 4 <= length, UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self) == 0x6C6C_756E,
                  entry.nullable else { return false }
            writeNull(entry, def: Int(parentDef), rep: Int(rep))
            p &+= 4
            return true
        }
        switch entry.kind {
        case .leaf:
            return directLeaf(entry, &p, length, rep: rep)
        case .structure:
            guard c == ShredWalker.openBrace else { return false }
            return directObject(n, &p, length, rep: rep, depth: depth, maxDepth: maxDepth)
        case .list:
            guard c == ShredWalker.openBracket else { return false }
            return directList(entry, &p, length, rep: rep, depth: depth, maxDepth: maxDepth)
        case .map:
            // Only the empty object (`"integrations": {}`); entries take the tape path.
            guard c == ShredWalker.openBrace, depth < maxDepth else { return false }
            let q = ScanKernel.skipWhitespace(base, p &+ 1, length)
            guard q < length, base[q] == ShredWalker.closeBrace else { return false }
            watchKind(entry, .emptyObject)
            writeNull(entry, def: entry.def, rep: Int(rep))
            p = q &+ 1
            return true
        }
    }

    /// The array at `p` (its `[`) into list node `entry`.
    private mutating func directList(_ entry: PlanEntry, _ p: inout Int, _ length: Int, rep: UInt8, depth: Int, maxDepth: Int) -> Bool {
        guard depth < maxDepth else { return false }
        var q = ScanKernel.skipWhitespace(base, p &+ 1, length)
        guard q < length else { return false }
        if base[q] == ShredWalker.closeBracket {
            watchKind(entry, .emptyArray)
            writeNull(entry, def: entry.def, rep: Int(rep))
            p = q &+ 1
            return true
        }
        watchKind(entry, .array)
        let element = Int(children[entry.childStart])
        var r = rep
        while true {
            guard q < length, directValue(element, &q, length, parentDef: entry.entryDef8, rep: r,
                                          depth: depth &+ 1, maxDepth: maxDepth) else { return false }
            r = entry.repLevel8
            guard let more = SkipKernel.nextMember(base, &q, length, closer: ShredWalker.closeBracket) else { return false }
            if !more {
                p = q
                return true
            }
        }
    }

    /// A non-null leaf value at `p`, for the conversions ``appendCommonLeaf`` handles inline
    /// (and numbers and booleans into text columns, as their JSON text).
    @inline(__always)
    private mutating func directLeaf(_ entry: PlanEntry, _ p: inout Int, _ length: Int, rep: UInt8) -> Bool {
        let b = entry.firstLeaf
        let c = base[p]
        switch entry.fast {
        case .text:
            if c == ShredWalker.quote {
                guard let (close, escaped) = try? SkipKernel.string(base, p &+ 1, length) else { return false }
                watchKind(entry, .string)
                let count = close &- p &- 1
                if escaped {
                    // Checked by the scan above; decoding never lengthens.
                    let dst = leaves[b].reserveBytes(count)
                    leaves[b].byteCount &+= JSONStringDecoding.decode(base + (p &+ 1), count, into: dst)
                } else {
                    leaves[b].appendBytes(base + (p &+ 1), count)
                }
                p = close &+ 1
            } else {
                let start = p
                guard let kind = directScalar(&p, length) else { return false }
                watchKind(entry, kind.quiet)
                leaves[b].appendBytes(base + start, p &- start)
            }
            leaves[b].endBinaryValue()
        case .int64:
            var token = JSONToken(kind: .null, flags: 0, start: 0, end: 0, count: 0, payload: 0)
            guard c == UInt8(ascii: "-") || c &- 0x30 < 10,
                  let end = try? JSONNumberParser.scan(base, p, length, into: &token), token.kind == .int else { return false }
            watchKind(entry, .integer)
            leaves[b].append(token.int64Value)
            p = end
        case .double:
            var token = JSONToken(kind: .null, flags: 0, start: 0, end: 0, count: 0, payload: 0)
            guard c == UInt8(ascii: "-") || c &- 0x30 < 10,
                  let end = try? JSONNumberParser.scan(base, p, length, into: &token) else { return false }
            watchKind(entry, token.kind == .int ? .integer : .double)
            leaves[b].append(token.doubleValue)
            p = end
        case .boolean:
            guard let kind = directScalar(&p, length), kind.quiet == .boolean else { return false }
            leaves[b].append(kind == .true)
            watchKind(entry, .boolean)
        case .timestampMicros:
            guard c == ShredWalker.quote,
                  let (close, escaped) = try? SkipKernel.string(base, p &+ 1, length), !escaped,
                  let ts = TimestampParser.parse(base + (p &+ 1), close &- p &- 1, memo: &dateMemo.pointee) else { return false }
            watchKind(entry, .string)
            // The inference calls a string a timestamp only with an offset and no digit past microseconds.
            if !(ts.hasOffset && ts.isExactMicros) { noteNovelty() }
            leaves[b].append(ts.micros)
            p = close &+ 1
        case .other:
            return false
        }
        leaves[b].appendLevels(def: entry.def8, rep: rep)
        return true
    }

    /// The end of the value at `p`, checked as the scanner checks it (`depth` containers are
    /// open around it); nil when it is malformed or nests too deep.
    private func skipValue(_ p: Int, _ length: Int, depth: Int, maxDepth: Int) -> Int? {
        let c = base[p]
        if c == ShredWalker.quote { return (try? SkipKernel.string(base, p &+ 1, length)).map { $0.close &+ 1 } }
        if c == ShredWalker.openBrace || c == ShredWalker.openBracket {
            return try? SkipKernel.container(base, p, length, depth: depth, skipStack, maxDepth)
        }
        return try? SkipKernel.scalar(base, p, length)
    }

    /// A number, `true` or `false` at `p`: its kind, with `p` moved past it; nil for anything else.
    private func directScalar(_ p: inout Int, _ length: Int) -> JSONToken.Kind? {
        let c = base[p]
        if c == UInt8(ascii: "t") {
            guard p &+ 4 <= length, UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self) == 0x6575_7274 else { return nil }
            p &+= 4
            return .true
        }
        if c == UInt8(ascii: "f") {
            guard p &+ 5 <= length, UnsafeRawPointer(base + (p &+ 1)).loadUnaligned(as: UInt32.self) == 0x6573_6C61 else { return nil }
            p &+= 5
            return .false
        }
        guard c == UInt8(ascii: "-") || c &- 0x30 < 10 else { return nil }
        var token = JSONToken(kind: .null, flags: 0, start: 0, end: 0, count: 0, payload: 0)
        guard let end = try? JSONNumberParser.scan(base, p, length, into: &token) else { return nil }
        p = end
        return token.kind
    }
}

private extension JSONToken.Kind {
    /// The ``QuietKinds`` of a scalar kind.
    var quiet: QuietKinds {
        switch self {
        case .true, .false: return .boolean
        case .int: return .integer
        case .double: return .double
        case .string, .key: return .string
        case .null: return .null
        default: return []
        }
    }
}
