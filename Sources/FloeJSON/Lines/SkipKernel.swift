import FloeCore

/// Validating skips over JSON values: the grammar checks of ``JSONLineScanner`` (strings with
/// their escapes and UTF-8, numbers, literals, nesting, commas and colons) without writing any
/// token. Used by ``ProjectedLineScanner`` to pass over the values a query does not read.
///
/// Every function takes the line as `base[0..<length]` and returns the offset after what it
/// skipped; errors are ``FloeError``s whose location carries the 1-based byte column.
enum SkipKernel {
    /// Skips the value starting at `p` (which must not be whitespace); `depth` containers are
    /// open around it, `stack` has room for `maxDepth` entries.
    @inline(__always)
    static func value(_ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int, depth: Int,
                      _ stack: UnsafeMutablePointer<UInt32>, _ maxDepth: Int) throws(FloeError) -> Int {
        guard p < length else { throw ScanKernel.fail("unexpected end of line (expected a value)", at: p) }
        let c = base[p]
        if c == UInt8(ascii: "\"") { return try plainString(base, p &+ 1, length) }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            return try lightContainer(base, p, length, depth: depth, stack, maxDepth)
        }
        return try scalar(base, p, length)
    }

    /// Skips the object or array opening at `start` with the checks of a projected scan:
    /// brackets nest and pair up, nesting stays within `maxDepth`, strings are complete and
    /// valid (escapes, control characters, UTF-8), and between strings there is nothing but
    /// whitespace, `,` `:`, number characters and the letters of `true`, `false` and `null`.
    /// The order of those tokens (commas, colons, number and literal spelling) is not checked.
    /// Containers nested more than 64 deep inside it are checked fully by ``container``.
    static func lightContainer(_ base: UnsafePointer<UInt8>, _ start: Int, _ length: Int, depth outer: Int,
                               _ stack: UnsafeMutablePointer<UInt32>, _ maxDepth: Int) throws(FloeError) -> Int {
        var p = start
        var d = 0
        var objects: UInt64 = 0  // bit k: the container open at level k is an object
        while p < length {
            let c = base[p]
            switch c {
            case UInt8(ascii: "\""):
                p = try plainString(base, p &+ 1, length)
            case UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"),
                 UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "n"):
                p &+= 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard outer &+ d < maxDepth else {
                    throw FloeError(.limitExceeded, "nesting deeper than \(maxDepth) levels", at: Location(byteColumn: p &+ 1))
                }
                guard d < 64 else { return try container(base, start, length, depth: outer, stack, maxDepth) }
                if c == UInt8(ascii: "{") { objects |= 1 &<< UInt64(d) } else { objects &= ~(1 &<< UInt64(d)) }
                d &+= 1
                p &+= 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let isObject = objects &>> UInt64(d &- 1) & 1 == 1
                guard isObject == (c == UInt8(ascii: "}")) else {
                    throw ScanKernel.fail("unexpected \(ScanKernel.describe(c)) (expected '\(isObject ? "}" : "]")' to close the \(isObject ? "object" : "array"))", at: p)
                }
                d &-= 1
                p &+= 1
                if d == 0 { return p }
            default:
                throw ScanKernel.fail("unexpected \(ScanKernel.describe(c)) in a JSON value", at: p)
            }
        }
        let isObject = base[start] == UInt8(ascii: "{")
        throw ScanKernel.fail("unexpected end of line in the \(isObject ? "object" : "array") opened at byte \(start &+ 1)", at: p)
    }

    /// Skips the string whose content starts at `start`; returns the offset after its closing
    /// quote (see ``string(_:_:_:)``).
    @inline(__always)
    static func plainString(_ base: UnsafePointer<UInt8>, _ start: Int, _ length: Int) throws(FloeError) -> Int {
        try string(base, start, length).close &+ 1
    }

    /// The offset of the closing quote of the string whose content starts at `start`, and
    /// whether it has escapes: plain ASCII content is crossed eight bytes at a time here; other
    /// strings are checked by ``ScanKernel/scanString(_:_:_:)`` from their start (so that errors
    /// name their opening quote).
    @inline(__always)
    static func string(_ base: UnsafePointer<UInt8>, _ start: Int, _ length: Int) throws(FloeError) -> (close: Int, escaped: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = start
        while i &+ 8 <= length {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let q = w ^ (ones &* 0x22)
            let b = w ^ (ones &* 0x5C)
            let special = (((q &- ones) & ~q) | ((b &- ones) & ~b) | ((w &- ones &* 0x20) & ~w) | w) & (ones &* 0x80)
            if special != 0 {
                let j = i &+ (special.trailingZeroBitCount &>> 3)
                if base[j] == UInt8(ascii: "\"") { return (j, false) }
                break
            }
            i &+= 8
        }
        return try ScanKernel.scanString(base, start, length)
    }

    /// Skips a number or literal at `p`.
    @inline(__always)
    static func scalar(_ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int) throws(FloeError) -> Int {
        let c = base[p]
        switch c {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            var token = JSONToken(kind: .null, flags: 0, start: 0, end: 0, count: 0, payload: 0)
            return try JSONNumberParser.scan(base, p, length, into: &token)
        case UInt8(ascii: "t"):
            guard p &+ 4 <= length, UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self) == 0x6575_7274 else {
                throw ScanKernel.fail("invalid literal (expected true, false or null)", at: p)
            }
            return p &+ 4
        case UInt8(ascii: "f"):
            guard p &+ 5 <= length, UnsafeRawPointer(base + p + 1).loadUnaligned(as: UInt32.self) == 0x6573_6C61 else {
                throw ScanKernel.fail("invalid literal (expected true, false or null)", at: p)
            }
            return p &+ 5
        case UInt8(ascii: "n"):
            guard p &+ 4 <= length, UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self) == 0x6C6C_756E else {
                throw ScanKernel.fail("invalid literal (expected true, false or null)", at: p)
            }
            return p &+ 4
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            throw ScanKernel.fail("expected a value, found \(ScanKernel.describe(c))", at: p)
        default:
            throw ScanKernel.fail("unexpected \(ScanKernel.describe(c)) (expected a JSON value)", at: p)
        }
    }

    /// Skips the object or array opening at `start`, iteratively (the offsets of the open
    /// containers go on `stack`); `outer` containers are open around it.
    static func container(_ base: UnsafePointer<UInt8>, _ start: Int, _ length: Int, depth outer: Int,
                          _ stack: UnsafeMutablePointer<UInt32>, _ maxDepth: Int) throws(FloeError) -> Int {
        var p = start
        var d = 0
        while true {
            // A value starts at p (p < length, not whitespace).
            let c = base[p]
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                guard outer &+ d < maxDepth else {
                    throw FloeError(.limitExceeded, "nesting deeper than \(maxDepth) levels", at: Location(byteColumn: p &+ 1))
                }
                stack[d] = UInt32(truncatingIfNeeded: p)
                d &+= 1
                let isObject = c == UInt8(ascii: "{")
                let open = p
                p = ScanKernel.skipWhitespace(base, p &+ 1, length)
                guard p < length else {
                    throw ScanKernel.fail("unexpected end of line in the \(isObject ? "object" : "array") opened at byte \(open &+ 1)", at: p)
                }
                if base[p] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    d &-= 1
                    p &+= 1
                    if d == 0 { return p }
                } else {
                    if isObject { p = try key(base, p, length, afterComma: false) }
                    p = try valueStart(base, p, length)
                    continue
                }
            } else if c == UInt8(ascii: "\"") {
                let (close, _) = try ScanKernel.scanString(base, p &+ 1, length)
                p = close &+ 1
            } else {
                p = try scalar(base, p, length)
            }
            // A value ended at p: a comma (and key) before the next value, or closing brackets.
            guard try afterValue(base, &p, length, &d, stack) else { return p }
            p = try valueStart(base, p, length)
        }
    }

    /// Skips whitespace before a value; fails at the end of the line.
    @inline(__always)
    static func valueStart(_ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int) throws(FloeError) -> Int {
        let q = ScanKernel.skipWhitespace(base, p, length)
        guard q < length else { throw ScanKernel.fail("unexpected end of line (expected a value)", at: q) }
        return q
    }

    /// After a value inside the `d` open containers: consumes closing brackets, then a comma
    /// (and the next key in an object) and returns true when another value follows; returns
    /// false when the outermost container closed.
    @inline(__always)
    static func afterValue(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ length: Int, _ d: inout Int,
                           _ stack: UnsafeMutablePointer<UInt32>) throws(FloeError) -> Bool {
        while true {
            p = ScanKernel.skipWhitespace(base, p, length)
            let open = Int(stack[d &- 1])
            let isObject = base[open] == UInt8(ascii: "{")
            guard p < length else {
                throw ScanKernel.fail("unexpected end of line in the \(isObject ? "object" : "array") opened at byte \(open &+ 1) (expected ',' or '\(isObject ? "}" : "]")')", at: p)
            }
            let c = base[p]
            if c == UInt8(ascii: ",") {
                p = ScanKernel.skipWhitespace(base, p &+ 1, length)
                if isObject {
                    p = try key(base, p, length, afterComma: true)
                } else if p < length, base[p] == UInt8(ascii: "]") {
                    throw ScanKernel.fail("trailing comma in array", at: p)
                }
                return true
            }
            if c == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                d &-= 1
                p &+= 1
                if d == 0 { return false }
                continue
            }
            if isObject { throw ScanKernel.fail("expected ',' or '}' after an object member, found \(ScanKernel.describe(c))", at: p) }
            throw ScanKernel.fail("expected ',' or ']' after an array element, found \(ScanKernel.describe(c))", at: p)
        }
    }

    /// After a member or element that ends at `p`: true with `p` moved past the comma and
    /// whitespace to the next one, false with `p` moved past `closer`; nil for anything else
    /// (for the callers that leave malformed lines to ``JSONLineScanner``'s messages).
    @inline(__always)
    static func nextMember(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ length: Int, closer: UInt8) -> Bool? {
        p = ScanKernel.skipWhitespace(base, p, length)
        guard p < length else { return nil }
        if base[p] == UInt8(ascii: ",") {
            p = ScanKernel.skipWhitespace(base, p &+ 1, length)
            return true
        }
        guard base[p] == closer else { return nil }
        p &+= 1
        return false
    }

    /// Skips an object key at `p` (a quote is required) and its colon; returns the offset after
    /// the colon.
    @inline(__always)
    static func key(_ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int, afterComma: Bool) throws(FloeError) -> Int {
        let close = try keyString(base, p, length, afterComma: afterComma).close
        return try colon(base, close &+ 1, length)
    }

    /// Checks the key string at `p`: returns the offset of its closing quote and whether it
    /// has escapes.
    @inline(__always)
    static func keyString(_ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int,
                          afterComma: Bool) throws(FloeError) -> (close: Int, escaped: Bool) {
        guard p < length else { throw ScanKernel.fail("unexpected end of line (expected a string key)", at: p) }
        guard base[p] == UInt8(ascii: "\"") else {
            if afterComma, base[p] == UInt8(ascii: "}") { throw ScanKernel.fail("trailing comma in object", at: p) }
            throw ScanKernel.fail("expected a string key, found \(ScanKernel.describe(base[p]))", at: p)
        }
        return try string(base, p &+ 1, length)
    }

    /// Requires a colon (after optional whitespace) at `p`; returns the offset after it.
    @inline(__always)
    static func colon(_ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int) throws(FloeError) -> Int {
        let q = ScanKernel.skipWhitespace(base, p, length)
        guard q < length, base[q] == UInt8(ascii: ":") else { throw ScanKernel.fail("expected ':' after object key", at: q) }
        return q &+ 1
    }
}
