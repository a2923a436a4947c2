import FloeCore

/// JSON number scanning: grammar checks, exact Int64 values, correctly rounded doubles.
enum JSONNumberParser {
    /// Exact powers of ten representable in a Double.
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    /// Scans the number starting at `p` (a '-' or a digit) into `token`; returns the offset after
    /// the number. Integers that fit Int64 become `.int`; every other number `.double`.
    @inline(__always)
    static func scan(_ base: UnsafePointer<UInt8>, _ start: Int, _ length: Int,
                     into token: inout JSONToken) throws(FloeError) -> Int {
        var p = start
        let negative = base[p] == UInt8(ascii: "-")
        if negative { p &+= 1 }
        guard p < length, isDigit(base[p]) else {
            throw ScanKernel.fail("expected a digit after '-'", at: p)
        }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits held in `mantissa`
        var exponent = 0        // decimal exponent applied to `mantissa`
        var truncated = false   // significant digits were dropped
        var isInteger = true
        if base[p] == UInt8(ascii: "0") {
            p &+= 1
            if p < length, isDigit(base[p]) { throw ScanKernel.fail("leading zeros are not allowed in numbers", at: start) }
        } else {
            // Up to 19 digits always fit a UInt64.
            while p < length {
                let d = base[p] &- 0x30
                guard d < 10 else { break }
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    digits &+= 1
                } else {
                    if d != 0 { truncated = true }
                    exponent &+= 1
                }
                p &+= 1
            }
        }
        if p < length, base[p] == UInt8(ascii: ".") {
            isInteger = false
            p &+= 1
            guard p < length, isDigit(base[p]) else {
                throw ScanKernel.fail("expected a digit after the decimal point", at: p)
            }
            while p < length {
                let d = base[p] &- 0x30
                guard d < 10 else { break }
                if mantissa == 0 && d == 0 {
                    exponent &-= 1
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    digits &+= 1
                    exponent &-= 1
                } else if d != 0 {
                    truncated = true
                }
                p &+= 1
            }
        }
        if p < length, base[p] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            p &+= 1
            var negativeExponent = false
            if p < length, base[p] == UInt8(ascii: "-") || base[p] == UInt8(ascii: "+") {
                negativeExponent = base[p] == UInt8(ascii: "-")
                p &+= 1
            }
            guard p < length, isDigit(base[p]) else {
                throw ScanKernel.fail("expected a digit in the exponent", at: p)
            }
            var e = 0
            while p < length {
                let d = base[p] &- 0x30
                guard d < 10 else { break }
                if e < 1_000_000 { e = e &* 10 &+ Int(d) }
                p &+= 1
            }
            exponent &+= negativeExponent ? -e : e
        }
        token.start = UInt32(truncatingIfNeeded: start)
        token.end = UInt32(truncatingIfNeeded: p)
        token.count = 0
        if isInteger && exponent == 0 {
            if !negative, mantissa <= UInt64(Int64.max) {
                token.kind = .int; token.flags = 0; token.payload = mantissa
                return p
            }
            if negative, mantissa <= UInt64(Int64.max) &+ 1 {
                token.kind = .int; token.flags = 0; token.payload = 0 &- mantissa
                return p
            }
        }
        token.kind = .double
        token.flags = isInteger ? JSONToken.integerTextFlag : 0
        var value: Double
        if !truncated, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            // Clinger's fast path: both operands exact, one correctly rounded operation.
            value = Double(mantissa)
            if exponent >= 0 {
                value *= powersOfTen[exponent]
            } else {
                value /= powersOfTen[-exponent]
            }
            if negative { value = -value }
        } else if mantissa == 0 && !truncated {
            value = negative ? -0.0 : 0.0
        } else {
            value = slowDouble(base + start, p &- start)
        }
        token.payload = value.bitPattern
        return p
    }

    /// Correctly rounded conversion of validated number text (the rare long or extreme numbers).
    @inline(never)
    static func slowDouble(_ text: UnsafePointer<UInt8>, _ count: Int) -> Double {
        let s = String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
        return Double(s) ?? .nan
    }
}
