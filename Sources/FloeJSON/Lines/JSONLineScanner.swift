import FloeCore

/// A strict RFC 8259 parser for one JSON line, over raw bytes, into a ``JSONTape``.
///
/// - Strings are checked for valid UTF-8 (no overlong forms, no encoded surrogates, nothing above
///   U+10FFFF) and for unescaped control characters; every escape is checked, `\u` surrogate
///   pairs must be complete (a lone surrogate is an error).
/// - Numbers follow the JSON grammar (no leading zeros, no `+`, no `.5`, no `NaN`/`Infinity`);
///   integers that fit Int64 are kept exact, others become doubles (`-0` is the integer 0).
///   Magnitudes beyond the Double range become ±infinity, below it ±0.
/// - One value per line, followed by nothing but whitespace; no trailing commas; nesting deeper
///   than ``maxDepth`` is refused (code `.limitExceeded`).
/// - A trailing CR (from CRLF files) is whitespace; a UTF-8 BOM is skipped on the first line.
///
/// Errors are ``FloeError``s with code `.corrupt` whose location has the line number and the
/// 1-based byte column of the offending byte.
///
/// The scanner keeps a small reusable stack; scan many lines with one scanner and one tape.
public struct JSONLineScanner: Sendable {
    /// The deepest nesting of objects and arrays accepted (1 to ``depthCeiling``).
    public var maxDepth: Int {
        get { depthLimit }
        set { depthLimit = min(max(1, newValue), JSONLineScanner.depthCeiling) }
    }
    private var depthLimit: Int
    private var stack: [UInt32] = []

    /// The largest `maxDepth` allowed: deeper documents are refused rather than risk the stack
    /// of the recursive consumers (inference).
    public static let depthCeiling = 1000

    /// Creates a scanner accepting `maxDepth` levels of nesting (clamped to 1...1000).
    public init(maxDepth: Int = 128) {
        self.depthLimit = min(max(1, maxDepth), JSONLineScanner.depthCeiling)
    }

    /// True when a line holds only whitespace (space, tab, CR, LF) — after a UTF-8 BOM when it
    /// is the first line: such lines carry no record and are skipped by callers.
    public static func isBlank(_ line: UnsafeRawBufferPointer, isFirstLine: Bool = false) -> Bool {
        let start = isFirstLine && hasBOM(line) ? 3 : 0
        for b in line[start...] where !(b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A) { return false }
        return true
    }

    /// True when `line` starts with a UTF-8 byte order mark.
    @inlinable public static func hasBOM(_ line: UnsafeRawBufferPointer) -> Bool {
        line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF
    }

    /// Parses `line` (without its newline) into `tape`.
    ///
    /// - Parameters:
    ///   - lineNumber: the 1-based line number, for error locations.
    ///   - isFirstLine: when true, a leading UTF-8 BOM is skipped.
    public mutating func scan(_ line: UnsafeRawBufferPointer, lineNumber: Int, isFirstLine: Bool = false,
                              into tape: inout JSONTape) throws(FloeError) {
        tape.count = 0
        tape.lineNumber = lineNumber
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self), line.count > 0 else {
            throw FloeError(.corrupt, "empty line (expected a JSON value)", at: Location(line: lineNumber, byteColumn: 1))
        }
        guard line.count < Int(UInt32.max) else {
            throw FloeError(.limitExceeded, "line longer than 4 GiB", at: Location(line: lineNumber, byteColumn: 1))
        }
        let start = isFirstLine && JSONLineScanner.hasBOM(line) ? 3 : 0
        if stack.count < maxDepth + 1 { stack = [UInt32](repeating: 0, count: maxDepth + 1) }
        // A first guess at the token count; a line that needs more is scanned again with the
        // proven bound (every token takes at least one byte).
        let guess = min(line.count + 1, max(256, line.count / 4))
        if tape.storage.count < guess { tape.grow(to: guess) }
        do {
            var n = try scanOnce(base, line.count, start, &tape)
            if n < 0 {
                tape.grow(to: line.count + 1)
                n = try scanOnce(base, line.count, start, &tape)
            }
            tape.count = max(0, n)
        } catch {
            throw error.at(Location(line: lineNumber))
        }
    }

    private mutating func scanOnce(_ base: UnsafePointer<UInt8>, _ length: Int, _ start: Int,
                                   _ tape: inout JSONTape) throws(FloeError) -> Int {
        let maxDepth = self.maxDepth
        // The error, if any, is kept aside rather than carried out of the closures in a `Result`
        // (which costs a copy of the whole error value on every line).
        var failure: FloeError?
        let n = stack.withUnsafeMutableBufferPointer { (stack: inout UnsafeMutableBufferPointer<UInt32>) -> Int in
            tape.storage.withUnsafeMutableBufferPointer { (tokens: inout UnsafeMutableBufferPointer<JSONToken>) -> Int in
                guard let t = tokens.baseAddress, let s = stack.baseAddress else { return -1 }
                do throws(FloeError) {
                    return try ScanKernel.run(base, length, start, t, tokens.count, s, min(maxDepth, stack.count - 1))
                } catch {
                    failure = error
                    return -1
                }
            }
        }
        if let failure { throw failure }
        return n
    }
}

extension JSONTape {
    /// Makes room for at least `capacity` tokens.
    mutating func grow(to capacity: Int) {
        guard storage.count < capacity else { return }
        let empty = JSONToken(kind: .null, flags: 0, start: 0, end: 0, count: 0, payload: 0)
        storage.append(contentsOf: repeatElement(empty, count: capacity - storage.count))
    }
}

/// The scanning kernel: pointer loops, no allocation, errors carry the byte column.
enum ScanKernel {
    @inline(never) static func fail(_ message: String, at offset: Int) -> FloeError {
        FloeError(.corrupt, message, at: Location(byteColumn: offset + 1))
    }

    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }

    @inline(__always) static func skipWhitespace(_ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int) -> Int {
        // Minified JSON has no whitespace: one comparison in the common case.
        if p < length, base[p] > 0x20 { return p }
        var p = p
        while p < length, isWhitespace(base[p]) { p &+= 1 }
        return p
    }

    /// A readable rendering of one byte for messages.
    static func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x\(hex.count < 2 ? "0" + hex : hex)"
    }

    /// Parses one line. Returns the token count, or -1 when `capacity` tokens are not enough.
    static func run(_ base: UnsafePointer<UInt8>, _ length: Int, _ start: Int,
                    _ tokens: UnsafeMutablePointer<JSONToken>, _ capacity: Int,
                    _ stack: UnsafeMutablePointer<UInt32>, _ maxDepth: Int) throws(FloeError) -> Int {
        var p = start
        var n = 0
        var depth = 0

        parsing: while true {
            // A value is expected at p.
            p = skipWhitespace(base, p, length)
            guard p < length else {
                if depth == 0 { throw fail("empty line (expected a JSON value)", at: p) }
                throw fail("unexpected end of line (expected a value)", at: p)
            }
            guard n < capacity else { return -1 }
            let c = base[p]
            switch c {
            case UInt8(ascii: "\""):
                let (close, escaped) = try SkipKernel.string(base, p &+ 1, length)
                tokens[n] = JSONToken(kind: .string, flags: escaped ? JSONToken.escapesFlag : 0,
                                      start: UInt32(truncatingIfNeeded: p &+ 1), end: UInt32(truncatingIfNeeded: close),
                                      count: 0, payload: 0)
                n &+= 1
                p = close &+ 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = c == UInt8(ascii: "{")
                guard depth < maxDepth else {
                    throw FloeError(.limitExceeded, "nesting deeper than \(maxDepth) levels", at: Location(byteColumn: p + 1))
                }
                stack[depth] = UInt32(truncatingIfNeeded: n)
                depth &+= 1
                tokens[n] = JSONToken(kind: isObject ? .objectStart : .arrayStart, flags: 0,
                                      start: UInt32(truncatingIfNeeded: p), end: 0, count: 0, payload: 0)
                n &+= 1
                p = skipWhitespace(base, p &+ 1, length)
                guard p < length else {
                    throw fail("unexpected end of line in the \(isObject ? "object" : "array") opened at byte \(tokens[n &- 1].start &+ 1)", at: p)
                }
                let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if base[p] == closer {
                    guard n < capacity else { return -1 }
                    close(tokens, &n, stack, &depth, p)
                    p &+= 1
                } else if isObject {
                    guard n < capacity else { return -1 }
                    p = try scanKey(base, p, length, tokens, &n, afterComma: false)
                    continue parsing
                } else {
                    continue parsing
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                p = try JSONNumberParser.scan(base, p, length, into: &tokens[n])
                n &+= 1
            case UInt8(ascii: "t"):
                guard p &+ 4 <= length, UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self) == 0x6575_7274 else {
                    throw fail("invalid literal (expected true, false or null)", at: p)
                }
                tokens[n] = JSONToken(kind: .true, flags: 0, start: UInt32(truncatingIfNeeded: p),
                                      end: UInt32(truncatingIfNeeded: p &+ 4), count: 0, payload: 0)
                n &+= 1
                p &+= 4
            case UInt8(ascii: "f"):
                guard p &+ 5 <= length, UnsafeRawPointer(base + p + 1).loadUnaligned(as: UInt32.self) == 0x6573_6C61 else {
                    throw fail("invalid literal (expected true, false or null)", at: p)
                }
                tokens[n] = JSONToken(kind: .false, flags: 0, start: UInt32(truncatingIfNeeded: p),
                                      end: UInt32(truncatingIfNeeded: p &+ 5), count: 0, payload: 0)
                n &+= 1
                p &+= 5
            case UInt8(ascii: "n"):
                guard p &+ 4 <= length, UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self) == 0x6C6C_756E else {
                    throw fail("invalid literal (expected true, false or null)", at: p)
                }
                tokens[n] = JSONToken(kind: .null, flags: 0, start: UInt32(truncatingIfNeeded: p),
                                      end: UInt32(truncatingIfNeeded: p &+ 4), count: 0, payload: 0)
                n &+= 1
                p &+= 4
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                throw fail("expected a value, found \(describe(c))", at: p)
            default:
                throw fail("unexpected \(describe(c)) (expected a JSON value)", at: p)
            }

            // A value just ended: close containers, or move to the next member or element.
            while true {
                if depth == 0 {
                    p = skipWhitespace(base, p, length)
                    guard p == length else {
                        throw fail("unexpected \(describe(base[p])) after the JSON value (one value per line)", at: p)
                    }
                    return n
                }
                p = skipWhitespace(base, p, length)
                let top = Int(stack[depth &- 1])
                let isObject = tokens[top].kind == .objectStart
                guard p < length else {
                    throw fail("unexpected end of line in the \(isObject ? "object" : "array") opened at byte \(tokens[top].start &+ 1) (expected ',' or '\(isObject ? "}" : "]")')", at: p)
                }
                tokens[top].count &+= 1
                let c = base[p]
                if c == UInt8(ascii: ",") {
                    p = skipWhitespace(base, p &+ 1, length)
                    if isObject {
                        guard n < capacity else { return -1 }
                        p = try scanKey(base, p, length, tokens, &n, afterComma: true)
                    } else if p < length, base[p] == UInt8(ascii: "]") {
                        throw fail("trailing comma in array", at: p)
                    }
                    continue parsing
                }
                if c == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    guard n < capacity else { return -1 }
                    close(tokens, &n, stack, &depth, p)
                    p &+= 1
                    continue
                }
                if isObject {
                    throw fail("expected ',' or '}' after an object member, found \(describe(c))", at: p)
                }
                throw fail("expected ',' or ']' after an array element, found \(describe(c))", at: p)
            }
        }
    }

    /// Writes the end token of the innermost container (its closing bracket is at `p`).
    @inline(__always)
    static func close(_ tokens: UnsafeMutablePointer<JSONToken>, _ n: inout Int,
                      _ stack: UnsafeMutablePointer<UInt32>, _ depth: inout Int, _ p: Int) {
        depth &-= 1
        let open = Int(stack[depth])
        let isObject = tokens[open].kind == .objectStart
        tokens[n] = JSONToken(kind: isObject ? .objectEnd : .arrayEnd, flags: 0, start: UInt32(truncatingIfNeeded: p),
                              end: UInt32(truncatingIfNeeded: p &+ 1), count: 0, payload: UInt64(open))
        tokens[open].end = UInt32(truncatingIfNeeded: p &+ 1)
        tokens[open].payload = UInt64(n)
        n &+= 1
    }

    /// Scans an object key at `p` (which must be a quote) and the colon after it; returns the
    /// offset after the colon.
    @inline(__always)
    static func scanKey(_ base: UnsafePointer<UInt8>, _ p: Int, _ length: Int,
                        _ tokens: UnsafeMutablePointer<JSONToken>, _ n: inout Int, afterComma: Bool) throws(FloeError) -> Int {
        guard p < length else { throw fail("unexpected end of line (expected a string key)", at: p) }
        guard base[p] == UInt8(ascii: "\"") else {
            if afterComma, base[p] == UInt8(ascii: "}") { throw fail("trailing comma in object", at: p) }
            throw fail("expected a string key, found \(describe(base[p]))", at: p)
        }
        let (close, escaped) = try SkipKernel.string(base, p &+ 1, length)
        tokens[n] = JSONToken(kind: .key, flags: escaped ? JSONToken.escapesFlag : 0,
                              start: UInt32(truncatingIfNeeded: p &+ 1), end: UInt32(truncatingIfNeeded: close),
                              count: 0, payload: 0)
        n &+= 1
        let q = skipWhitespace(base, close &+ 1, length)
        guard q < length, base[q] == UInt8(ascii: ":") else {
            throw fail("expected ':' after object key", at: q)
        }
        return q &+ 1
    }

    // MARK: - Strings

    /// Scans string content starting after the opening quote; returns the offset of the
    /// closing quote and whether the string has escapes.
    @inline(__always)
    static func scanString(_ base: UnsafePointer<UInt8>, _ start: Int, _ length: Int) throws(FloeError) -> (Int, Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        var escaped = false
        while true {
            // Eight bytes at a time: stop at a quote, a backslash, a control or a non-ASCII byte.
            while i &+ 8 <= length {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let q = w ^ (ones &* 0x22)
                let b = w ^ (ones &* 0x5C)
                let special = ((q &- ones) & ~q) | ((b &- ones) & ~b) | ((w &- ones &* 0x20) & ~w) | w
                let m = special & highs
                if m != 0 {
                    i &+= m.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            guard i < length else { throw fail("unterminated string", at: start &- 1) }
            let c = base[i]
            if c == UInt8(ascii: "\"") { return (i, escaped) }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i = try scanEscape(base, i, length)
            } else if c < 0x20 {
                throw fail("unescaped control character \(describe(c)) in string", at: i)
            } else if c >= 0x80 {
                i = try validateUTF8(base, i, length)
            } else {
                i &+= 1
            }
        }
    }

    /// Checks the escape starting with the backslash at `i`; returns the offset after it.
    static func scanEscape(_ base: UnsafePointer<UInt8>, _ i: Int, _ length: Int) throws(FloeError) -> Int {
        guard i &+ 1 < length else { throw fail("unterminated string (ends in a backslash)", at: i) }
        switch base[i &+ 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i &+ 2
        case UInt8(ascii: "u"):
            let unit = try hex4(base, i, length)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw fail("lone low surrogate \\u\(hexText(unit)) (it must follow a high surrogate)", at: i)
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                let j = i &+ 6
                guard j &+ 1 < length, base[j] == UInt8(ascii: "\\"), base[j &+ 1] == UInt8(ascii: "u") else {
                    throw fail("lone high surrogate \\u\(hexText(unit)) (a \\uDC00-\\uDFFF escape must follow)", at: i)
                }
                let low = try hex4(base, j, length)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw fail("high surrogate \\u\(hexText(unit)) followed by \\u\(hexText(low)), not a low surrogate", at: i)
                }
                return j &+ 6
            }
            return i &+ 6
        default:
            let c = base[i &+ 1]
            let shown = c >= 0x21 && c < 0x7F ? "\\\(Character(Unicode.Scalar(c)))" : "\\ followed by \(describe(c))"
            throw fail("invalid escape \(shown)", at: i)
        }
    }

    static func hexText(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// Reads the four hex digits of the `\u` escape whose backslash is at `i`.
    @inline(__always)
    static func hex4(_ base: UnsafePointer<UInt8>, _ i: Int, _ length: Int) throws(FloeError) -> UInt32 {
        guard i &+ 6 <= length else { throw fail("truncated \\u escape (expected 4 hex digits)", at: i) }
        var v: UInt32 = 0
        for k in 2..<6 {
            let c = base[i &+ k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c &- 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c &- 0x57)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c &- 0x37)
            default: throw fail("invalid \\u escape (expected 4 hex digits, found \(describe(c)))", at: i)
            }
            v = v &<< 4 | d
        }
        return v
    }

    /// Validates the multi-byte UTF-8 sequence starting at `i`; returns the offset after it.
    @inline(__always)
    static func validateUTF8(_ base: UnsafePointer<UInt8>, _ i: Int, _ length: Int) throws(FloeError) -> Int {
        let c = base[i]
        let need: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: throw fail("invalid UTF-8 byte 0x\(String(c, radix: 16, uppercase: true)) in string", at: i)
        }
        guard i &+ need < length else { throw fail("truncated UTF-8 sequence in string", at: i) }
        let c1 = base[i &+ 1]
        guard c1 >= lo && c1 <= hi else { throw fail("invalid UTF-8 sequence in string", at: i) }
        if need >= 2 {
            guard base[i &+ 2] & 0xC0 == 0x80 else { throw fail("invalid UTF-8 sequence in string", at: i) }
            if need == 3 {
                guard base[i &+ 3] & 0xC0 == 0x80 else { throw fail("invalid UTF-8 sequence in string", at: i) }
            }
        }
        return i &+ need &+ 1
    }
}
