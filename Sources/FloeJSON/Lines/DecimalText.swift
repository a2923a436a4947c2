/// Exact conversion of decimal number text (JSON number syntax) to the unscaled integer of a
/// DECIMAL(precision, scale) — from the digits, never through a Double.
enum DecimalText {
    /// Why a text does not convert.
    enum Failure: Error {
        case syntax
        /// Nonzero digits beyond `scale` fraction digits.
        case tooManyFractionDigits
        /// More than `precision` digits.
        case precisionExceeded
    }

    /// A 128-bit two's complement value as two 64-bit halves.
    struct Wide: Equatable {
        var high: UInt64
        var low: UInt64

        static let zero = Wide(high: 0, low: 0)

        /// `self * 10 + digit` (no overflow for at most 38 digits).
        @inline(__always) func timesTenPlus(_ digit: UInt64) -> Wide {
            let (lowHigh, lowLow) = low.multipliedFullWidth(by: 10)
            let (sum, carry) = lowLow.addingReportingOverflow(digit)
            return Wide(high: high &* 10 &+ lowHigh &+ (carry ? 1 : 0), low: sum)
        }

        /// The two's complement negation.
        var negated: Wide {
            let low = ~self.low &+ 1
            return Wide(high: ~high &+ (low == 0 ? 1 : 0), low: low)
        }

        /// The low 64 bits as a signed value.
        var int64: Int64 { Int64(bitPattern: low) }
    }

    /// Parses `text` (optional '-', digits, optional fraction, optional exponent; a leading '+'
    /// is not accepted) as a decimal with `scale` fraction digits and at most `precision` digits.
    static func unscaled(_ text: UnsafeRawBufferPointer, scale: Int, precision: Int) -> Result<Wide, Failure> {
        var i = 0
        let n = text.count
        var negative = false
        if i < n, text[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        // Significant digits (leading zeros dropped) and the position of the decimal point.
        var digits: [UInt8] = []
        var fractionDigits = 0
        var sawDigit = false
        while i < n, text[i] &- 0x30 < 10 {
            sawDigit = true
            if !(digits.isEmpty && text[i] == 0x30) { digits.append(text[i] - 0x30) }
            i += 1
            if digits.count > 400 { return .failure(.precisionExceeded) }
        }
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            var any = false
            while i < n, text[i] &- 0x30 < 10 {
                any = true
                sawDigit = true
                if !(digits.isEmpty && text[i] == 0x30) { digits.append(text[i] - 0x30) }
                fractionDigits += 1
                i += 1
                if fractionDigits > 400 { return .failure(.tooManyFractionDigits) }
            }
            guard any else { return .failure(.syntax) }
        }
        guard sawDigit else { return .failure(.syntax) }
        var exponent = 0
        if i < n, text[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                negativeExponent = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var any = false
            while i < n, text[i] &- 0x30 < 10 {
                any = true
                if exponent < 100_000 { exponent = exponent * 10 + Int(text[i] - 0x30) }
                i += 1
            }
            guard any else { return .failure(.syntax) }
            if negativeExponent { exponent = -exponent }
        }
        guard i == n else { return .failure(.syntax) }
        // value = digits × 10^(exponent − fractionDigits); unscaled = value × 10^scale.
        let shift = exponent - fractionDigits + scale
        if shift < 0 {
            // The last -shift digits must be zeros (digits lost to the fraction would change the value).
            let drop = -shift
            if drop >= digits.count {
                guard digits.allSatisfy({ $0 == 0 }) else { return .failure(.tooManyFractionDigits) }
                digits = []
            } else {
                guard digits[(digits.count - drop)...].allSatisfy({ $0 == 0 }) else { return .failure(.tooManyFractionDigits) }
                digits.removeLast(drop)
            }
        } else if !digits.isEmpty {
            guard digits.count + shift <= precision else { return .failure(.precisionExceeded) }
            digits.append(contentsOf: repeatElement(0, count: shift))
        }
        guard digits.count <= precision, digits.count <= 38 else { return .failure(.precisionExceeded) }
        var value = Wide.zero
        for d in digits { value = value.timesTenPlus(UInt64(d)) }
        return .success(negative ? value.negated : value)
    }

    /// The smallest byte width holding every unscaled value of `precision` digits, signed.
    static func byteWidth(precision: Int) -> Int {
        // 10^p − 1 < 2^(8w − 1)  ⇔  p·log2(10) < 8w − 1 (10^p is never a power of two).
        let bits = Double(precision) * 3.321928094887362 + 1
        return max(1, Int((bits / 8).rounded(.up)))
    }

    /// Appends the `width`-byte big-endian two's complement form of `value`.
    static func appendBigEndian(_ value: Wide, width: Int, to out: inout [UInt8]) {
        let fill: UInt8 = value.high >> 63 == 1 ? 0xFF : 0
        for k in stride(from: width - 1, through: 0, by: -1) {
            if k >= 16 {
                out.append(fill)
            } else if k >= 8 {
                out.append(UInt8(truncatingIfNeeded: value.high >> (8 * UInt64(k - 8))))
            } else {
                out.append(UInt8(truncatingIfNeeded: value.low >> (8 * UInt64(k))))
            }
        }
    }

    /// The minimal big-endian two's complement bytes of `value` (for DECIMAL on BYTE_ARRAY).
    static func appendMinimal(_ value: Wide, to out: inout [UInt8]) {
        var full: [UInt8] = []
        appendBigEndian(value, width: 16, to: &full)
        var start = 0
        while start < 15 {
            let b = full[start], next = full[start + 1]
            if (b == 0 && next & 0x80 == 0) || (b == 0xFF && next & 0x80 != 0) { start += 1 } else { break }
        }
        out.append(contentsOf: full[start...])
    }
}
