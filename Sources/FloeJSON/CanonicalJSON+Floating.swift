// DOUBLE, FLOAT and FLOAT16 values.

extension CanonicalJSON {
    /// Appends a Double as the shortest decimal that reads back as the same Double.
    ///
    /// The text form is that of Swift's `Double.description`, which is valid JSON for every finite
    /// value: plain decimal (`1.0`, `0.1`, `123.456`, `-0.0`) for magnitudes from 0.0001 up to
    /// 2^53, exponential otherwise (`1e-05`, `5e-324`, `1e+16`, `1.7976931348623157e+308`).
    /// NaN → `"NaN"`, +∞ → `"Infinity"`, −∞ → `"-Infinity"` (JSON strings).
    public static func appendDouble(_ value: Double, to out: inout [UInt8]) {
        let bits = value.bitPattern
        let biased = Int(truncatingIfNeeded: (bits >> 52) & 0x7FF)
        let fraction = bits & ((1 << 52) &- 1)
        let negative = bits >> 63 != 0
        if biased == 0x7FF {
            appendNonFinite(isNaN: fraction != 0, negative: negative, to: &out)
            return
        }
        let binary = biased == 0
            ? BinaryValue(c: fraction, q: -1074, asymmetric: false)
            : BinaryValue(c: fraction | (1 << 52), q: biased &- 1075, asymmetric: fraction == 0 && biased > 1)
        appendFinite(binary, negative: negative, format: .double, to: &out)
    }

    /// Appends a Float as the shortest decimal that reads back as the same Float (Swift's
    /// `Float.description` form: `0.1`, `16777216.0`, `3.4028235e+38`, `1e-45`). Non-finite values
    /// as for ``appendDouble(_:to:)``.
    public static func appendFloat(_ value: Float, to out: inout [UInt8]) {
        let bits = value.bitPattern
        let biased = Int(truncatingIfNeeded: (bits >> 23) & 0xFF)
        let fraction = UInt64(bits & ((1 << 23) &- 1))
        let negative = bits >> 31 != 0
        if biased == 0xFF {
            appendNonFinite(isNaN: fraction != 0, negative: negative, to: &out)
            return
        }
        let binary = biased == 0
            ? BinaryValue(c: fraction, q: -149, asymmetric: false)
            : BinaryValue(c: fraction | (1 << 23), q: biased &- 150, asymmetric: fraction == 0 && biased > 1)
        appendFinite(binary, negative: negative, format: .float, to: &out)
    }

    /// Appends an IEEE 754 half-precision value (FLOAT16, given as its bit pattern) as the
    /// shortest decimal that reads back as the same half (`0.1`, `3.14`, `6.104e-05`, `6e-08`).
    /// All finite halves are below 65536 and are written in plain decimal form; integral ones
    /// (every half from 1024 up) are written exactly (`65504.0`), which is as short as any other
    /// decimal of that magnitude. Matches Swift's `Float16.description`. Non-finite values as for
    /// ``appendDouble(_:to:)``.
    public static func appendFloat16(bits: UInt16, to out: inout [UInt8]) {
        let biased = Int(truncatingIfNeeded: (bits >> 10) & 0x1F)
        let fraction = UInt64(bits & 0x3FF)
        let negative = bits >> 15 != 0
        if biased == 0x1F {
            appendNonFinite(isNaN: fraction != 0, negative: negative, to: &out)
            return
        }
        let binary = biased == 0
            ? BinaryValue(c: fraction, q: -24, asymmetric: false)
            : BinaryValue(c: fraction | (1 << 10), q: biased &- 25, asymmetric: fraction == 0 && biased > 1)
        appendFinite(binary, negative: negative, format: .half, to: &out)
    }
}

/// Conversions of IEEE 754 half-precision bit patterns.
public enum HalfPrecision {
    /// The exact Float value of a half-precision bit pattern (every half is exactly a Float):
    /// ±0, subnormals, normals, ±∞ and NaN (the payload is kept in the top fraction bits).
    public static func float(fromBits bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let biased = UInt32((bits >> 10) & 0x1F)
        let fraction = UInt32(bits & 0x3FF)
        if biased == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13))
        }
        if biased == 0 {
            // Subnormal (or zero): fraction · 2^−24, exact in a Float.
            let magnitude = Float(fraction) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | ((biased + 112) << 23) | (fraction << 13))
    }
}

// MARK: - Floating-point internals

extension CanonicalJSON {
    /// A finite non-negative value c·2^q; `asymmetric` when c is the smallest normal significand
    /// above the smallest exponent (its rounding interval reaches half as far below).
    struct BinaryValue {
        var c: UInt64
        var q: Int
        var asymmetric: Bool
    }

    /// The precision a value came from: which shortest-digit kernel applies, and the magnitude
    /// up to which integral values are written in plain decimal form.
    enum FloatFormat {
        case double, float, half

        /// The largest magnitude written in plain decimal form (as Swift does: 2^53, 2^24; every
        /// half).
        var plainLimit: UInt64 {
            switch self {
            case .double: return 1 << 53
            case .float: return 1 << 24
            case .half: return 1 << 16
            }
        }
    }

    static func appendNonFinite(isNaN: Bool, negative: Bool, to out: inout [UInt8]) {
        if isNaN {
            appendStatic("\"NaN\"", to: &out)
        } else if negative {
            appendStatic("\"-Infinity\"", to: &out)
        } else {
            appendStatic("\"Infinity\"", to: &out)
        }
    }

    static func appendFinite(_ value: BinaryValue, negative: Bool, format: FloatFormat, to out: inout [UInt8]) {
        if value.c == 0 {
            if negative { appendStatic("-0.0", to: &out) } else { appendStatic("0.0", to: &out) }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
            var o = 0
            if negative {
                buf[0] = asciiMinus
                o = 1
            }
            if let integer = integralValue(value, limit: format.plainLimit) {
                // Plain integers up to the limit are exact (and as short as any decimal).
                let start = writeDigits(integer, into: buf, end: 48)
                let n = 48 &- start
                for k in 0..<n { buf[o &+ k] = buf[start &+ k] }
                o &+= n
                buf[o] = asciiDot
                buf[o &+ 1] = ascii0
                o &+= 2
            } else {
                let decimal: ShortestDecimal.Decimal
                switch format {
                case .double: decimal = ShortestDecimal.forDouble(c: value.c, q: value.q, asymmetric: value.asymmetric)
                case .float, .half: decimal = ShortestDecimal.forFloat(c: value.c, q: value.q, asymmetric: value.asymmetric)
                }
                o = writeShortest(decimal, plain: !isAbove(value, limit: format.plainLimit), into: buf, at: o)
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[0..<o]))
        }
    }

    /// c·2^q as an integer when it is one and does not exceed `limit`.
    @inline(__always)
    static func integralValue(_ value: BinaryValue, limit: UInt64) -> UInt64? {
        let q = value.q
        if q >= 0 {
            guard q < 64, value.c <= limit >> UInt64(q) else { return nil }
            return value.c << UInt64(q)
        }
        guard q > -64 else { return nil }
        let shift = UInt64(-q)
        guard value.c & ((1 << shift) &- 1) == 0 else { return nil }
        let integer = value.c >> shift
        return integer <= limit ? integer : nil
    }

    /// True when c·2^q > limit (a power of two).
    @inline(__always)
    static func isAbove(_ value: BinaryValue, limit: UInt64) -> Bool {
        let limitBits = 63 &- limit.leadingZeroBitCount  // limit = 2^limitBits
        let valueBits = 63 &- value.c.leadingZeroBitCount &+ value.q  // 2^valueBits ≤ v < 2^(valueBits+1)
        if valueBits != limitBits { return valueBits > limitBits }
        return value.c & (value.c &- 1) != 0  // above unless v is exactly the power of two
    }

    /// Writes d·10^k (d > 0, no trailing zeros) at `at`: plain decimal when `plain` and the
    /// leading digit is at 10^−4 or above, else exponential (`d.ddde±XX`). Returns the end index.
    static func writeShortest(_ decimal: ShortestDecimal.Decimal, plain: Bool, into buf: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        // The digits, at the end of the buffer (at most 17).
        let digitsStart = writeDigits(decimal.digits, into: buf, end: 48)
        let n = 48 &- digitsStart
        let pointPosition = n &+ decimal.exponent  // value = 0.d₁d₂… × 10^pointPosition
        var o = at
        if plain && pointPosition >= -3 {
            if pointPosition <= 0 {
                buf[o] = ascii0
                buf[o &+ 1] = asciiDot
                o &+= 2
                for _ in 0..<(-pointPosition) { buf[o] = ascii0; o &+= 1 }
                for k in 0..<n { buf[o &+ k] = buf[digitsStart &+ k] }
                o &+= n
            } else if pointPosition >= n {
                for k in 0..<n { buf[o &+ k] = buf[digitsStart &+ k] }
                o &+= n
                for _ in 0..<(pointPosition &- n) { buf[o] = ascii0; o &+= 1 }
                buf[o] = asciiDot
                buf[o &+ 1] = ascii0
                o &+= 2
            } else {
                for k in 0..<pointPosition { buf[o &+ k] = buf[digitsStart &+ k] }
                o &+= pointPosition
                buf[o] = asciiDot
                o &+= 1
                for k in pointPosition..<n { buf[o] = buf[digitsStart &+ k]; o &+= 1 }
            }
            return o
        }
        buf[o] = buf[digitsStart]
        o &+= 1
        if n > 1 {
            buf[o] = asciiDot
            o &+= 1
            for k in 1..<n { buf[o] = buf[digitsStart &+ k]; o &+= 1 }
        }
        let exponent = pointPosition &- 1
        buf[o] = 0x65  // e
        buf[o &+ 1] = exponent < 0 ? asciiMinus : asciiPlus
        o &+= 2
        let magnitude = UInt64(exponent.magnitude)
        o = writeFixedDigits(magnitude, width: magnitude >= 100 ? 3 : 2, into: buf, at: o)
        return o
    }
}
