import FloeCore

/// The raw values of one projected path for a run of lines: per line a kind, a number and the
/// value's bytes (decoded string content for strings, JSON text as written otherwise).
public struct ProjectedColumn: Sendable, Equatable {
    /// What a line held at the path.
    public enum Kind: UInt8, Sendable {
        /// Missing or null.
        case null = 0
        case string, int, double, `true`, `false`
        /// An object or array (its JSON text).
        case container
    }

    /// One ``Kind`` raw value per line.
    public var kinds: [UInt8] = []
    /// Per line: an int's value, a double's bit pattern; 0 otherwise.
    public var numbers: [UInt64] = []
    /// `offsets[i]..<offsets[i + 1]` are the bytes of line `i` (count + 1 entries).
    public var offsets: [Int] = [0]
    public var bytes: [UInt8] = []

    /// The number of lines.
    public var count: Int { kinds.count }

    mutating func removeAll() {
        kinds.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// A column-projected reader of JSON lines: it checks each whole line, but decodes only the
/// values at the requested paths and passes over everything else without decoding or
/// allocating.
///
/// What it checks (a malformed line fails with a `.corrupt` ``FloeError`` naming the line and
/// the 1-based byte column, like ``JSONLineScanner``):
/// - the line is one JSON object followed by nothing but whitespace (a BOM is skipped on the
///   first line, a trailing CR is whitespace);
/// - the top-level object, and every object on the way to a projected path, in full: keys,
///   colons, commas, no trailing commas;
/// - every scalar met at those levels in full: strings (escapes, `\u` surrogate pairs, control
///   characters, UTF-8), numbers (the JSON grammar), `true`/`false`/`null`;
/// - inside the objects and arrays it skips: brackets nest and pair up, nesting stays within
///   `maxDepth`, strings are complete and valid as above, and between strings there is nothing
///   but whitespace, `,`, `:`, number characters and the letters of the literals. The order of
///   those tokens is *not* checked there: `{"a":{"b" 1,,}}` is accepted (its `a` is skipped),
///   though ``JSONLineScanner`` rejects it. This is what lets the skip run at memory speed.
///
/// Values: for each path, the value of the *last* occurrence of a repeated key wins (as in
/// ``JSONShredder``); a path through a missing, null or non-object value is null. Along the way
/// it keeps ``statistics``: the per-path counts that ``SchemaInference`` keeps, from which
/// ``ProjectedSchema`` resolves the columns' types exactly as a full inference would.
///
/// ```swift
/// var scanner = ProjectedLineScanner(paths: ProjectionPaths([["type"], ["context", "page", "url"]]))
/// try scanner.scan(line, lineNumber: 1)
/// let batch = scanner.takeColumns()
/// ```
public struct ProjectedLineScanner: Sendable {
    /// The paths read.
    public let paths: ProjectionPaths
    /// The counts seen so far (kept across ``takeColumns()``).
    public private(set) var statistics: ProjectionStatistics
    private var columns: [ProjectedColumn]
    /// Lines scanned since the last ``takeColumns()``.
    public private(set) var rowCount = 0
    private var stack: [UInt32]
    private let maxDepth: Int
    private var scratch: [UInt8] = []
    /// Nodes in the tree (other than the root) whose objects need key tallies.
    private let tallied: [Bool]
    private let program: ProjectionProgram

    /// Creates a scanner of `paths` accepting `maxDepth` levels of nesting (as
    /// ``JSONLineScanner``).
    public init(paths: ProjectionPaths, maxDepth: Int = 128) {
        self.paths = paths
        self.maxDepth = min(max(1, maxDepth), JSONLineScanner.depthCeiling)
        statistics = ProjectionStatistics(nodeCount: paths.nodes.count)
        columns = Array(repeating: ProjectedColumn(), count: paths.columnCount)
        stack = Array(repeating: 0, count: self.maxDepth + 1)
        tallied = paths.nodes.indices.map { $0 != 0 && !paths.nodes[$0].children.isEmpty }
        program = ProjectionProgram(paths)
    }

    /// Hands out the values of the lines scanned since the last call, one column per path.
    public mutating func takeColumns() -> [ProjectedColumn] {
        let out = columns
        for i in columns.indices { columns[i].removeAll() }
        rowCount = 0
        return out
    }

    /// Calls `body` with the kind and bytes of the last scanned line's value of `target` (a
    /// decoded string, or the JSON text of any other value); nil kind when there is no line.
    public func withLastValue<R>(of target: Int, _ body: (ProjectedColumn.Kind?, UnsafeRawBufferPointer) -> R) -> R {
        guard target >= 0, target < columns.count, rowCount > 0 else { return body(nil, UnsafeRawBufferPointer(start: nil, count: 0)) }
        let column = columns[target]
        let row = rowCount - 1
        let kind = ProjectedColumn.Kind(rawValue: column.kinds[row])
        return column.bytes.withUnsafeBytes { raw in
            body(kind, UnsafeRawBufferPointer(rebasing: raw[column.offsets[row]..<column.offsets[row + 1]]))
        }
    }

    /// Reads one line (without its newline; a trailing CR is whitespace). Blank lines are the
    /// caller's to skip.
    ///
    /// - Parameters:
    ///   - lineNumber: the 1-based line number, for error locations.
    ///   - isFirstLine: when true, a leading UTF-8 BOM is skipped.
    public mutating func scan(_ line: UnsafeRawBufferPointer, lineNumber: Int, isFirstLine: Bool = false) throws(FloeError) {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self), line.count > 0 else {
            throw FloeError(.corrupt, "empty line (expected a JSON value)", at: Location(line: lineNumber, byteColumn: 1))
        }
        guard line.count < Int(UInt32.max) else {
            throw FloeError(.limitExceeded, "line longer than 4 GiB", at: Location(line: lineNumber, byteColumn: 1))
        }
        let length = line.count
        for t in columns.indices {
            columns[t].kinds.append(0)
            columns[t].numbers.append(0)
            columns[t].offsets.append(columns[t].bytes.count)
        }
        let row = rowCount
        let maxDepth = self.maxDepth
        var stackStorage: [UInt32] = []
        swap(&stackStorage, &stack)
        defer { swap(&stackStorage, &stack) }
        do throws(FloeError) {
            try stackStorage.withMutableBuffer { (stack: UnsafeMutableBufferPointer<UInt32>) throws(FloeError) in
                guard let s = stack.baseAddress else { return }
                var p = isFirstLine && JSONLineScanner.hasBOM(line) ? 3 : 0
                p = ScanKernel.skipWhitespace(base, p, length)
                guard p < length else { throw ScanKernel.fail("empty line (expected a JSON value)", at: p) }
                if base[p] == UInt8(ascii: "{") {
                    p = try object(0, base, p, length, depth: 0, row: row, s, maxDepth)
                } else {
                    let start = p
                    p = try SkipKernel.value(base, p, length, depth: 0, s, maxDepth)
                    try ProjectedLineScanner.end(base, p, length)
                    throw FloeError(.corrupt, "expected a JSON object, found \(ProjectedLineScanner.describe(base[start]))",
                                    at: Location(byteColumn: start + 1))
                }
                try ProjectedLineScanner.end(base, p, length)
            }
        } catch {
            for t in columns.indices {
                columns[t].kinds.removeLast()
                columns[t].numbers.removeLast()
                columns[t].offsets.removeLast()
                columns[t].bytes.removeLast(columns[t].bytes.count - columns[t].offsets[row])
            }
            throw error.at(Location(line: lineNumber))
        }
        for t in columns.indices { columns[t].offsets[row + 1] = columns[t].bytes.count }
        rowCount += 1
        statistics.lines += 1
    }

    /// Requires nothing but whitespace after the line's value.
    @inline(__always)
    static func end(_ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int) throws(FloeError) {
        let q = ScanKernel.skipWhitespace(base, p, length)
        guard q == length else {
            throw ScanKernel.fail("unexpected \(ScanKernel.describe(base[q])) after the JSON value (one value per line)", at: q)
        }
    }

    static func describe(_ c: UInt8) -> String {
        switch c {
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        default: return "a number"
        }
    }

    // MARK: - Walking

    /// Walks the object at `p` for tree node `n`; returns the offset after it.
    private mutating func object(_ n: Int, _ base: UnsafePointer<UInt8>, _ start: Int, _ length: Int, depth: Int,
                                 row: Int, _ stack: UnsafeMutablePointer<UInt32>, _ maxDepth: Int) throws(FloeError) -> Int {
        guard depth < maxDepth else {
            throw FloeError(.limitExceeded, "nesting deeper than \(maxDepth) levels", at: Location(byteColumn: start + 1))
        }
        statistics.counts[n].objects &+= 1
        var p = ScanKernel.skipWhitespace(base, start &+ 1, length)
        guard p < length else {
            throw ScanKernel.fail("unexpected end of line in the object opened at byte \(start + 1)", at: p)
        }
        if base[p] == UInt8(ascii: "}") { return p &+ 1 }
        statistics.counts[n].nonEmptyObjects &+= 1
        let program = self.program
        let hasChildren = program.childCount[n] > 0
        let tally = tallied[n]
        var afterComma = false
        while true {
            let keyStart = p &+ 1
            let (close, escaped) = try SkipKernel.keyString(base, p, length, afterComma: afterComma)
            var child = -1
            if escaped {
                child = matchEscaped(n, base + keyStart, close &- keyStart, tally: tally)
            } else {
                let count = close &- keyStart
                child = program.child(n, base + keyStart, count)
                if child < 0 && hasChildren
                    && (program.childLengths[n] &>> UInt64(min(63, count)) & 1 == 1 || !ProjectedLineScanner.isASCII(base + keyStart, count)) {
                    checkCase(n, base + keyStart, count)
                }
                if tally { statistics.keys[n].observe(base + keyStart, close &- keyStart) }
            }
            p = try SkipKernel.valueStart(base, try SkipKernel.colon(base, close &+ 1, length), length)
            if child >= 0 {
                p = try value(child, base, p, length, depth: depth &+ 1, row: row, stack, maxDepth)
            } else {
                p = try SkipKernel.value(base, p, length, depth: depth &+ 1, stack, maxDepth)
            }
            p = ScanKernel.skipWhitespace(base, p, length)
            guard p < length else {
                throw ScanKernel.fail("unexpected end of line in the object opened at byte \(start + 1) (expected ',' or '}')", at: p)
            }
            let c = base[p]
            if c == UInt8(ascii: ",") {
                p = ScanKernel.skipWhitespace(base, p &+ 1, length)
                afterComma = true
                continue
            }
            if c == UInt8(ascii: "}") { return p &+ 1 }
            throw ScanKernel.fail("expected ',' or '}' after an object member, found \(ScanKernel.describe(c))", at: p)
        }
    }

    /// The child node whose name is the key `p[0..<n]`, or −1; notes keys that match only
    /// without regard to case.
    private mutating func match(_ children: [Int], _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        for c in children {
            let name = paths.nodes[c].name
            if name.count == n, ProjectionStatistics.KeyTally.equal(name, p, n) { return c }
        }
        if !children.isEmpty { noteCaseVariant(children, p, n) }
        return -1
    }

    /// True when the `count` bytes at `p` are all ASCII (eight at a time).
    @inline(__always)
    static func isASCII(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var high: UInt64 = 0
        var i = 0
        while i &+ 8 <= count {
            high |= UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            i &+= 8
        }
        while i < count {
            high |= UInt64(p[i])
            i &+= 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// For a key of node `n` that matched no child exactly: notes it when it matches one
    /// without regard to case (the caller has ruled out ASCII keys of another length than
    /// every child's).
    @inline(never)
    private mutating func checkCase(_ n: Int, _ p: UnsafePointer<UInt8>, _ count: Int) {
        var high: UInt8 = 0
        for i in 0..<count { high |= p[i] }
        if high < 0x80 {
            let start = Int(program.childStart[n])
            var sameLength = false
            for k in start..<(start + Int(program.childCount[n])) where Int(program.nameLength[Int(program.childList[k])]) == count {
                sameLength = true
            }
            if !sameLength { return }
        }
        noteCaseVariant(paths.nodes[n].children, p, count)
    }

    /// Records a key that equals a child's name when both are lowercased.
    @inline(never)
    private mutating func noteCaseVariant(_ children: [Int], _ p: UnsafePointer<UInt8>, _ n: Int) {
        var ascii = true
        for i in 0..<n where p[i] >= 0x80 { ascii = false; break }
        for c in children {
            let name = paths.nodes[c].name
            if ascii {
                guard name.count == n else { continue }
                var same = true
                for i in 0..<n {
                    let a = p[i], b = name[i]
                    let la = a >= 0x41 && a <= 0x5A ? a | 0x20 : a
                    let lb = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                    if la != lb { same = false; break }
                }
                if same { statistics.sawCaseVariant = true; return }
            } else {
                let key = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
                if key.lowercased() == paths.nodes[c].lowered { statistics.sawCaseVariant = true; return }
            }
        }
    }

    /// ``match(_:_:_:)`` for a key with escapes: decoded first.
    @inline(never)
    private mutating func matchEscaped(_ n: Int, _ p: UnsafePointer<UInt8>, _ count: Int, tally: Bool) -> Int {
        var decoded: [UInt8] = []
        swap(&decoded, &scratch)
        defer { swap(&decoded, &scratch) }
        decoded.removeAll(keepingCapacity: true)
        JSONStringDecoding.appendUnescaped(p, count, to: &decoded)
        decoded.append(0)  // a valid base address even for the empty key
        let children = paths.nodes[n].children
        var child = -1
        decoded.withUnsafeBufferPointer { b in
            guard let q = b.baseAddress else { return }
            if tally { statistics.keys[n].observe(q, b.count - 1) }
            child = match(children, q, b.count - 1)
        }
        return child
    }

    /// Clears the values of the targets under node `n` for this line (a repeated key: the last
    /// occurrence wins).
    @inline(__always)
    private mutating func reset(_ n: Int, row: Int) {
        for t in paths.nodes[n].subtreeTargets {
            let start = columns[t].offsets[row]
            if columns[t].kinds[row] != 0 || columns[t].bytes.count != start {
                columns[t].kinds[row] = 0
                columns[t].numbers[row] = 0
                columns[t].bytes.removeLast(columns[t].bytes.count - start)
            }
        }
    }

    /// Reads the value at `p` for tree node `n`; returns the offset after it.
    private mutating func value(_ n: Int, _ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int, depth: Int,
                                row: Int, _ stack: UnsafeMutablePointer<UInt32>, _ maxDepth: Int) throws(FloeError) -> Int {
        reset(n, row: row)
        let target = Int(program.target[n])
        let c = base[p]
        var end: Int
        var kind = ProjectedColumn.Kind.container
        var number: UInt64 = 0
        switch c {
        case UInt8(ascii: "\""):
            let (close, escaped) = try ScanKernel.scanString(base, p &+ 1, length)
            let wasAllTimestamps = statistics.counts[n].timestamps == statistics.counts[n].strings
            statistics.counts[n].strings &+= 1
            if wasAllTimestamps, !escaped,
               let ts = TimestampParser.parse(UnsafeRawBufferPointer(start: base + p + 1, count: close &- p &- 1)),
               ts.hasOffset, ts.isExactMicros {
                statistics.counts[n].timestamps &+= 1
            }
            if target >= 0 {
                columns[target].kinds[row] = ProjectedColumn.Kind.string.rawValue
                if escaped {
                    JSONStringDecoding.appendUnescaped(base + p + 1, close &- p &- 1, to: &columns[target].bytes)
                } else {
                    columns[target].bytes.append(contentsOf: UnsafeBufferPointer(start: base + p + 1, count: close &- p &- 1))
                }
            }
            return close &+ 1
        case UInt8(ascii: "{"):
            if program.childCount[n] == 0 {
                statistics.counts[n].objects &+= 1
                end = try SkipKernel.value(base, p, length, depth: depth, stack, maxDepth)
                let inner = ScanKernel.skipWhitespace(base, p &+ 1, length)
                if inner < length, base[inner] != UInt8(ascii: "}") { statistics.counts[n].nonEmptyObjects &+= 1 }
            } else {
                end = try object(n, base, p, length, depth: depth, row: row, stack, maxDepth)
            }
        case UInt8(ascii: "["):
            statistics.counts[n].arrays &+= 1
            end = try SkipKernel.value(base, p, length, depth: depth, stack, maxDepth)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            var token = JSONToken(kind: .null, flags: 0, start: 0, end: 0, count: 0, payload: 0)
            end = try JSONNumberParser.scan(base, p, length, into: &token)
            if token.kind == .int {
                statistics.counts[n].ints &+= 1
                kind = .int
            } else {
                statistics.counts[n].doubles &+= 1
                kind = .double
            }
            number = token.payload
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            end = try SkipKernel.scalar(base, p, length)
            statistics.counts[n].bools &+= 1
            kind = c == UInt8(ascii: "t") ? .true : .false
        case UInt8(ascii: "n"):
            end = try SkipKernel.scalar(base, p, length)
            statistics.counts[n].nulls &+= 1
            return end
        default:
            return try SkipKernel.scalar(base, p, length)  // throws
        }
        if target >= 0 {
            // A repeated key inside this value cannot have touched this target's bytes: the
            // target's own value is written last.
            columns[target].kinds[row] = kind.rawValue
            columns[target].numbers[row] = number
            columns[target].bytes.append(contentsOf: UnsafeBufferPointer(start: base + p, count: end &- p))
        }
        return end
    }
}
