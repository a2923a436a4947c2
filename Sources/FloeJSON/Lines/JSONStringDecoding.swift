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
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        let written = out.withUnsafeMutableBufferPointer { b -> Int in
            guard let dst = b.baseAddress else { return 0 }
            return decode(base, count, into: dst + start)
        }
        out.removeLast(count - written)
    }

    /// Decodes the string content `base[0..<count]` into `dst`, which has room for `count`
    /// bytes (decoding never lengthens); returns the number of bytes written.
    static func decode(_ base: UnsafePointer<UInt8>, _ count: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0
        var o = 0
        while i < count {
            let c = base[i]
            guard c == UInt8(ascii: "\\"), i + 1 < count else {
                dst[o] = c
                o += 1
                i += 1
                continue
            }
            let e = base[i + 1]
            switch e {
            case UInt8(ascii: "n"): dst[o] = 0x0A; o += 1; i += 2
            case UInt8(ascii: "t"): dst[o] = 0x09; o += 1; i += 2
            case UInt8(ascii: "r"): dst[o] = 0x0D; o += 1; i += 2
            case UInt8(ascii: "b"): dst[o] = 0x08; o += 1; i += 2
            case UInt8(ascii: "f"): dst[o] = 0x0C; o += 1; i += 2
            case UInt8(ascii: "u"):
                guard let unit = hex4(base, i + 2, count) else {
                    dst[o] = c; o += 1; i += 1
                    continue
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
                o += writeScalar(scalar, to: dst + o)
                i += length
            default:
                dst[o] = e  // \" \\ \/
                o += 1
                i += 2
            }
        }
        return o
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

    /// Writes the UTF-8 encoding of a scalar value; returns its length.
    @inline(__always)
    static func writeScalar(_ v: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if v < 0x80 {
            out[0] = UInt8(truncatingIfNeeded: v)
            return 1
        } else if v < 0x800 {
            out[0] = UInt8(truncatingIfNeeded: 0xC0 | (v >> 6))
            out[1] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
            return 2
        } else if v < 0x10000 {
            out[0] = UInt8(truncatingIfNeeded: 0xE0 | (v >> 12))
            out[1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
            out[2] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
            return 3
        }
        out[0] = UInt8(truncatingIfNeeded: 0xF0 | (v >> 18))
        out[1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F))
        out[2] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
        out[3] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
        return 4
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
