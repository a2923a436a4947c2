/// Decoding of JSON string content (the bytes between the quotes) into UTF-8.
public enum JSONStringDecoding {
    /// Appends the decoded UTF-8 of the string content `raw` (escapes resolved) to `out`.
    ///
    /// `raw` should have been validated by ``JSONLineScanner``; malformed escapes are copied
    /// through unchanged rather than trapping.
    public static func appendUnescaped(_ raw: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        appendUnescaped(base, raw.count, to: &out)
    }

    /// Appends the decoded string content `base[0..<count]` to `out`.
    static func appendUnescaped(_ base: UnsafePointer<UInt8>, _ count: Int, to out: inout [UInt8]) {
        var i = 0
        var runStart = 0
        while i < count {
            guard base[i] == UInt8(ascii: "\\") else { i &+= 1; continue }
            if i > runStart { out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
            guard i + 1 < count else { runStart = i; break }
            let c = base[i + 1]
            switch c {
            case UInt8(ascii: "n"): out.append(0x0A); i += 2
            case UInt8(ascii: "t"): out.append(0x09); i += 2
            case UInt8(ascii: "r"): out.append(0x0D); i += 2
            case UInt8(ascii: "b"): out.append(0x08); i += 2
            case UInt8(ascii: "f"): out.append(0x0C); i += 2
            case UInt8(ascii: "u"):
                guard let unit = hex4(base, i + 2, count) else {
                    out.append(UInt8(ascii: "\\")); i += 1; runStart = i; continue
                }
                var scalar = unit
                var length = 6
                if unit >= 0xD800 && unit <= 0xDBFF, i + 12 <= count, base[i + 6] == UInt8(ascii: "\\"),
                   base[i + 7] == UInt8(ascii: "u"), let low = hex4(base, i + 8, count), low >= 0xDC00 && low <= 0xDFFF {
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    length = 12
                } else if unit >= 0xD800 && unit <= 0xDFFF {
                    scalar = 0xFFFD  // unreachable for validated input
                }
                appendScalar(scalar, to: &out)
                i += length
            default:
                out.append(c)  // \" \\ \/
                i += 2
            }
            runStart = i
        }
        if count > runStart { out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart)) }
    }

    @inline(__always)
    static func hex4(_ base: UnsafePointer<UInt8>, _ at: Int, _ count: Int) -> UInt32? {
        guard at + 4 <= count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = base[at + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 0x57)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 0x37)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    /// Appends the UTF-8 encoding of a scalar value.
    @inline(__always)
    static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(truncatingIfNeeded: v))
        } else if v < 0x800 {
            out.append(UInt8(truncatingIfNeeded: 0xC0 | (v >> 6)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(truncatingIfNeeded: 0xE0 | (v >> 12)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(truncatingIfNeeded: 0xF0 | (v >> 18)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        }
    }

    /// The decoded content of a string or key token of `line`, as bytes.
    public static func decoded(_ token: JSONToken, in line: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        let r = token.range
        guard r.lowerBound >= 0, r.upperBound <= line.count else { return out }
        let slice = UnsafeRawBufferPointer(rebasing: line[r])
        if token.hasEscapes { appendUnescaped(slice, to: &out) } else { out.append(contentsOf: slice) }
        return out
    }

    /// The decoded content of a string or key token of `line`, as a `String`.
    public static func string(_ token: JSONToken, in line: UnsafeRawBufferPointer) -> String {
        String(decoding: decoded(token, in: line), as: UTF8.self)
    }
}
