// Strings, object keys, base64 and UUIDs.

extension CanonicalJSON {
    /// Appends `utf8` as a quoted JSON string.
    ///
    /// `"` and `\` are escaped, control characters use `\b \t \n \f \r` or `\u00XX` (lowercase
    /// hex); everything else, non-ASCII included, passes through unchanged. Ill-formed UTF-8 is
    /// replaced by U+FFFD, one per maximal ill-formed subpart (the Unicode-recommended practice,
    /// the same result as Swift's `String(decoding:as:)`), so the output is always valid UTF-8.
    /// Runs of plain bytes are copied in one go; 8 bytes at a time are checked for plain ASCII.
    public static func appendString(_ utf8: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(asciiQuote)
        guard let base = utf8.baseAddress else {
            out.append(asciiQuote)
            return
        }
        let count = utf8.count
        var i = 0
        var runStart = 0
        while i < count {
            // Eight plain ASCII bytes at a time.
            if count &- i >= 8 {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if !containsSpecialByte(word) {
                    i &+= 8
                    continue
                }
            }
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            if byte >= 0x20 && byte < 0x80 {
                if byte != 0x22 && byte != 0x5C {
                    i &+= 1
                    continue
                }
            } else if byte >= 0x80 {
                let (valid, length) = utf8Sequence(base, at: i, count: count)
                if valid {
                    i &+= length
                    continue
                }
                flushRun(base, from: runStart, to: i, into: &out)
                out.append(0xEF); out.append(0xBF); out.append(0xBD)  // U+FFFD
                i &+= length
                runStart = i
                continue
            }
            flushRun(base, from: runStart, to: i, into: &out)
            appendEscape(byte, to: &out)
            i &+= 1
            runStart = i
        }
        flushRun(base, from: runStart, to: count, into: &out)
        out.append(asciiQuote)
    }

    /// Appends `string` as a quoted JSON string, escaped as for the raw-buffer overload.
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        var copy = string
        copy.withUTF8 { appendString(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends `name` as a quoted, escaped object key followed by `:`.
    public static func appendKey(_ name: String, to out: inout [UInt8]) {
        appendString(name, to: &out)
        out.append(asciiColon)
    }

    /// Appends `bytes` as a quoted standard base64 string (RFC 4648 alphabet, `=` padding).
    public static func appendBase64(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let count = bytes.count
        let groups = count / 3
        let encodedCount = (groups &+ (count % 3 == 0 ? 0 : 1)) &* 4
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(0), count: encodedCount &+ 2))
        out.withUnsafeMutableBufferPointer { dst in
            let alphabet = base64Alphabet.utf8Start
            var o = start
            dst[o] = asciiQuote
            o &+= 1
            guard let src = bytes.baseAddress else {
                dst[o] = asciiQuote
                return
            }
            var i = 0
            for _ in 0..<groups {
                let b0 = UInt32(src.load(fromByteOffset: i, as: UInt8.self))
                let b1 = UInt32(src.load(fromByteOffset: i &+ 1, as: UInt8.self))
                let b2 = UInt32(src.load(fromByteOffset: i &+ 2, as: UInt8.self))
                let v = (b0 << 16) | (b1 << 8) | b2
                dst[o] = alphabet[Int(v >> 18)]
                dst[o &+ 1] = alphabet[Int((v >> 12) & 63)]
                dst[o &+ 2] = alphabet[Int((v >> 6) & 63)]
                dst[o &+ 3] = alphabet[Int(v & 63)]
                i &+= 3
                o &+= 4
            }
            let rest = count &- i
            if rest > 0 {
                let b0 = UInt32(src.load(fromByteOffset: i, as: UInt8.self))
                let b1 = rest == 2 ? UInt32(src.load(fromByteOffset: i &+ 1, as: UInt8.self)) : 0
                let v = (b0 << 16) | (b1 << 8)
                dst[o] = alphabet[Int(v >> 18)]
                dst[o &+ 1] = alphabet[Int((v >> 12) & 63)]
                dst[o &+ 2] = rest == 2 ? alphabet[Int((v >> 6) & 63)] : 0x3D
                dst[o &+ 3] = 0x3D
                o &+= 4
            }
            dst[o] = asciiQuote
        }
    }

    /// Appends a 16-byte UUID as a quoted canonical lowercase `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    ///
    /// A value that is not 16 bytes long (a corrupt FIXED_LEN_BYTE_ARRAY) is written as base64,
    /// the view of any other binary value, rather than trapping or inventing bytes.
    public static func appendUUID(_ bytes16: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard bytes16.count == 16, let src = bytes16.baseAddress else {
            appendBase64(bytes16, to: &out)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 38) { buf in
            let hex = lowercaseHexDigits.utf8Start
            buf[0] = asciiQuote
            var o = 1
            for k in 0..<16 {
                if k == 4 || k == 6 || k == 8 || k == 10 {
                    buf[o] = asciiMinus
                    o &+= 1
                }
                let b = Int(src.load(fromByteOffset: k, as: UInt8.self))
                buf[o] = hex[b >> 4]
                buf[o &+ 1] = hex[b & 15]
                o &+= 2
            }
            buf[37] = asciiQuote
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[0..<38]))
        }
    }
}

// MARK: - String internals

extension CanonicalJSON {
    @inline(__always) static var base64Alphabet: StaticString {
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    }

    @inline(__always) static var lowercaseHexDigits: StaticString { "0123456789abcdef" }

    /// True when one of the 8 bytes of `word` is not plain ASCII for a JSON string: a byte below
    /// 0x20, at or above 0x80, `"` or `\`. Exact (no false negatives); false positives are fine.
    @inline(__always)
    static func containsSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let nonASCII = word & highs
        // A byte < 0x20 exists iff ((word - 0x20 per byte) & ~word & 0x80 per byte) != 0.
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote & highs
        let backslashZero = (backslash &- ones) & ~backslash & highs
        return (nonASCII | control | quoteZero | backslashZero) != 0
    }

    /// Copies `base[from..<to]` to `out` when the range is not empty.
    @inline(__always)
    static func flushRun(_ base: UnsafeRawPointer, from: Int, to: Int, into out: inout [UInt8]) {
        if to > from {
            out.append(contentsOf: UnsafeRawBufferPointer(start: base + from, count: to &- from))
        }
    }

    /// Appends the JSON escape of an ASCII byte that cannot appear raw in a JSON string.
    static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let backslash: UInt8 = 0x5C
        switch byte {
        case 0x22: out.append(backslash); out.append(0x22)
        case 0x5C: out.append(backslash); out.append(backslash)
        case 0x08: out.append(backslash); out.append(0x62)  // b
        case 0x09: out.append(backslash); out.append(0x74)  // t
        case 0x0A: out.append(backslash); out.append(0x6E)  // n
        case 0x0C: out.append(backslash); out.append(0x66)  // f
        case 0x0D: out.append(backslash); out.append(0x72)  // r
        default:
            let hex = lowercaseHexDigits.utf8Start
            appendStatic("\\u00", to: &out)
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
    }

    /// Classifies the UTF-8 sequence starting with the non-ASCII byte at `i`.
    ///
    /// Returns `(true, n)` for a well-formed sequence of `n` bytes, and `(false, n)` for an
    /// ill-formed one whose maximal subpart is `n` bytes long (always ≥ 1): the lead byte and the
    /// continuation bytes that could still have been part of a well-formed sequence.
    @inline(__always)
    static func utf8Sequence(_ base: UnsafeRawPointer, at i: Int, count: Int) -> (Bool, Int) {
        let b0 = base.load(fromByteOffset: i, as: UInt8.self)
        let available = count &- i
        @inline(__always) func byte(_ k: Int) -> UInt8 { base.load(fromByteOffset: i &+ k, as: UInt8.self) }
        @inline(__always) func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        if b0 < 0xC2 { return (false, 1) }  // stray continuation byte or overlong 2-byte lead
        if b0 < 0xE0 {
            if available >= 2 && isContinuation(byte(1)) { return (true, 2) }
            return (false, 1)
        }
        if b0 < 0xF0 {
            // Second byte range excludes overlongs (E0) and surrogates (ED).
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard available >= 2, case let b1 = byte(1), b1 >= low && b1 <= high else { return (false, 1) }
            guard available >= 3, isContinuation(byte(2)) else { return (false, 2) }
            return (true, 3)
        }
        if b0 < 0xF5 {
            // Second byte range excludes overlongs (F0) and code points above U+10FFFF (F4).
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard available >= 2, case let b1 = byte(1), b1 >= low && b1 <= high else { return (false, 1) }
            guard available >= 3, isContinuation(byte(2)) else { return (false, 2) }
            guard available >= 4, isContinuation(byte(3)) else { return (false, 3) }
            return (true, 4)
        }
        return (false, 1)  // F5...FF never appear in UTF-8
    }
}
