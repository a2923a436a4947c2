/// The canonical JSON view of Parquet values, as `floe cat --format jsonl` prints it.
///
/// This is a contract other tools rely on (see "Contracts other tools rely on" in DESIGN.md):
///
/// - null → `null`; booleans → `true`/`false`;
/// - integers of every width and signedness → JSON numbers, exact;
/// - FLOAT/DOUBLE (and FLOAT16) → the shortest decimal that reads back to the same value, in the
///   text form Swift's `description` uses (`1.0`, `0.1`, `1e-05`, `1.7976931348623157e+308`);
///   NaN → `"NaN"`, ±∞ → `"Infinity"`/`"-Infinity"` (JSON strings), −0 → `-0.0`;
/// - STRING/ENUM/JSON → JSON strings (invalid UTF-8 replaced by U+FFFD);
///   other BYTE_ARRAY/FIXED_LEN_BYTE_ARRAY → standard base64 strings; UUID → lowercase 8-4-4-4-12;
/// - DECIMAL → exact decimal strings with `scale` fraction digits (`"-12.50"`);
/// - DATE → `"YYYY-MM-DD"`; TIME → `"HH:MM:SS.fff"` (3/6/9 fraction digits by unit);
///   TIMESTAMP → `"YYYY-MM-DDTHH:MM:SS.ffffff"` (3/6/9 digits), `Z` appended when adjusted to UTC;
///   INT96 → `"YYYY-MM-DDTHH:MM:SS.nnnnnnnnn"`. Years outside 0...9999 use ISO 8601's expanded
///   form: `+290000-12-30`, `-0001-01-01` (astronomical numbering: year 0 is 1 BC).
///
/// Every function appends UTF-8 bytes to `out` and never traps, whatever the input bytes are.
/// None allocates apart from growing `out` (small scratch buffers live on the stack).
public enum CanonicalJSON {
    /// Appends `null`.
    public static func appendNull(to out: inout [UInt8]) {
        appendStatic("null", to: &out)
    }

    /// Appends `true` or `false`.
    public static func appendBool(_ value: Bool, to out: inout [UInt8]) {
        if value { appendStatic("true", to: &out) } else { appendStatic("false", to: &out) }
    }

    /// Appends a signed integer as an exact JSON number (`-9223372036854775808` included).
    public static func appendInt(_ value: Int64, to out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(ascii0 &+ UInt8(truncatingIfNeeded: value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buf in
            var start = writeDigits(value.magnitude, into: buf, end: 24)
            if value < 0 {
                start -= 1
                buf[start] = asciiMinus
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<24]))
        }
    }

    /// Appends an unsigned integer as an exact JSON number (`18446744073709551615` included).
    public static func appendUInt(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(ascii0 &+ UInt8(truncatingIfNeeded: value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buf in
            let start = writeDigits(value, into: buf, end: 24)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<24]))
        }
    }
}

// MARK: - Shared byte-level helpers

extension CanonicalJSON {
    static let ascii0: UInt8 = 0x30
    static let asciiMinus: UInt8 = 0x2D
    static let asciiPlus: UInt8 = 0x2B
    static let asciiQuote: UInt8 = 0x22
    static let asciiColon: UInt8 = 0x3A
    static let asciiDot: UInt8 = 0x2E

    /// Appends the bytes of a literal (static data; no allocation).
    @inline(__always)
    static func appendStatic(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// "00" "01" ... "99": two ASCII digits per entry, read through `utf8Start` (static data, no
    /// initialisation cost).
    @inline(__always) static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// Writes the decimal digits of `value` so that they end just before `end`; returns the index
    /// of the first digit. `buf` must have room for 20 digits before `end`.
    @inline(__always)
    static func writeDigits(_ value: UInt64, into buf: UnsafeMutableBufferPointer<UInt8>, end: Int) -> Int {
        let pairs = digitPairs.utf8Start
        var v = value
        var i = end
        while v >= 100 {
            let r = Int(truncatingIfNeeded: v % 100) &* 2
            v /= 100
            i &-= 2
            buf[i] = pairs[r]
            buf[i &+ 1] = pairs[r &+ 1]
        }
        if v >= 10 {
            let r = Int(truncatingIfNeeded: v) &* 2
            i &-= 2
            buf[i] = pairs[r]
            buf[i &+ 1] = pairs[r &+ 1]
        } else {
            i &-= 1
            buf[i] = ascii0 &+ UInt8(truncatingIfNeeded: v)
        }
        return i
    }

    /// Writes exactly `width` decimal digits of `value` (zero-padded; `value < 10^width`) at
    /// `at`; returns the index just past them.
    @inline(__always)
    static func writeFixedDigits(_ value: UInt64, width: Int, into buf: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        let pairs = digitPairs.utf8Start
        var v = value
        var i = at &+ width
        var remaining = width
        while remaining >= 2 {
            let r = Int(truncatingIfNeeded: v % 100) &* 2
            v /= 100
            i &-= 2
            buf[i] = pairs[r]
            buf[i &+ 1] = pairs[r &+ 1]
            remaining &-= 2
        }
        if remaining == 1 {
            i &-= 1
            buf[i] = ascii0 &+ UInt8(truncatingIfNeeded: v % 10)
        }
        return at &+ width
    }

    /// The number of decimal digits of `value` (1 for 0).
    @inline(__always)
    static func decimalDigitCount(_ value: UInt64) -> Int {
        var n = 1
        var v = value
        while v >= 10_000 { v /= 10_000; n &+= 4 }
        while v >= 10 { v /= 10; n &+= 1 }
        return n
    }

    /// Appends `count` copies of `byte`.
    @inline(__always)
    static func appendRepeated(_ byte: UInt8, count: Int, to out: inout [UInt8]) {
        if count > 0 { out.append(contentsOf: repeatElement(byte, count: count)) }
    }
}
