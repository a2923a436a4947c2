/// Shortest round-trip decimal significands for binary floating-point values.
///
/// For a finite positive value v = c·2^q this finds the decimal d·10^k with the fewest digits
/// inside v's rounding interval (the values that read back as v under round-half-even); among
/// several, the one closest to v (ties to an even d). The method is Raffaello Giulietti's
/// "Schubfach": one approximate 126-bit multiplication by a power of ten per interval bound,
/// rounded to odd so that comparisons against integers stay exact.
enum ShortestDecimal {
    /// v = digits · 10^exponent, with `digits` free of trailing zeros.
    struct Decimal: Equatable {
        var digits: UInt64
        var exponent: Int
    }

    /// ⌊q·log10(2)⌋, exact for |q| ≤ 1200.
    @inline(__always) static func floorLog10Pow2(_ q: Int) -> Int { (q &* 78_913) >> 18 }

    /// ⌊log10(3/4 · 2^q)⌋, exact for |q| ≤ 1200.
    @inline(__always) static func floorLog10ThreeQuartersPow2(_ q: Int) -> Int { (q &* 157_827 &- 65_500) >> 19 }

    /// ⌊e·log2(10)⌋, exact for |e| ≤ 400.
    @inline(__always) static func floorLog2Pow10(_ e: Int) -> Int { (e &* 108_853) >> 15 }

    /// Shortest decimal for a Double: c < 2^53, −1074 ≤ q ≤ 971, c > 0. `asymmetric` is true when
    /// c is the smallest normal significand (2^52) above the smallest exponent, where the
    /// predecessor is half as far as the successor.
    static func forDouble(c: UInt64, q: Int, asymmetric: Bool) -> Decimal {
        let out: UInt64 = c & 1
        let cb = c << 2
        let cbr = cb &+ 2
        let cbl: UInt64
        let k: Int
        if asymmetric {
            cbl = cb &- 1
            k = floorLog10ThreeQuartersPow2(q)
        } else {
            cbl = cb &- 2
            k = floorLog10Pow2(q)
        }
        let h = q &+ floorLog2Pow10(-k) &+ 2
        let (g1, g0) = PowersOfTen.g(-k)
        let vb = roundToOdd(g1, g0, cb << h)
        let vbl = roundToOdd(g1, g0, cbl << h)
        let vbr = roundToOdd(g1, g0, cbr << h)
        return choose(vb: vb, vbl: vbl, vbr: vbr, out: out, k: k)
    }

    /// Shortest decimal for a value of at most 24 significant bits (Float, and Float16 whose
    /// values are a subset): c < 2^24, −149 ≤ q ≤ 104, c > 0.
    static func forFloat(c: UInt64, q: Int, asymmetric: Bool) -> Decimal {
        let out: UInt64 = c & 1
        let cb = c << 2
        let cbr = cb &+ 2
        let cbl: UInt64
        let k: Int
        if asymmetric {
            cbl = cb &- 1
            k = floorLog10ThreeQuartersPow2(q)
        } else {
            cbl = cb &- 2
            k = floorLog10Pow2(q)
        }
        let h = q &+ floorLog2Pow10(-k) &+ 33
        let g = PowersOfTen.g(-k).high &+ 1
        let vb = roundToOdd32(g, cb << h)
        let vbl = roundToOdd32(g, cbl << h)
        let vbr = roundToOdd32(g, cbr << h)
        return choose(vb: vb, vbl: vbl, vbr: vbr, out: out, k: k)
    }

    /// Picks the decimal from v, the interval bounds (all scaled by 4·10^−k and rounded to odd)
    /// and whether the interval is open (`out` = 1).
    @inline(__always)
    static func choose(vb: UInt64, vbl: UInt64, vbr: UInt64, out: UInt64, k: Int) -> Decimal {
        let s = vb >> 2
        // One digit shorter: at most one multiple of 10^(k+1) fits in the interval.
        let sp10 = (s / 10) &* 10
        let tp10 = sp10 &+ 10
        let upin = vbl &+ out <= sp10 << 2
        let wpin = (tp10 << 2) &+ out <= vbr
        if upin != wpin {
            return normalized(upin ? sp10 : tp10, k)
        }
        // Otherwise one or both of the neighbours at 10^k: take the one in, or the closer.
        let t = s &+ 1
        let uin = vbl &+ out <= s << 2
        let win = (t << 2) &+ out <= vbr
        if uin != win {
            return normalized(uin ? s : t, k)
        }
        let twiceMid = (s &+ t) << 1
        let pickS = vb < twiceMid || (vb == twiceMid && s & 1 == 0)
        return normalized(pickS ? s : t, k)
    }

    /// Strips trailing zeros.
    @inline(__always)
    static func normalized(_ digits: UInt64, _ exponent: Int) -> Decimal {
        var d = digits
        var e = exponent
        if d == 0 { return Decimal(digits: 0, exponent: 0) }
        while d % 10 == 0 {
            d /= 10
            e &+= 1
        }
        return Decimal(digits: d, exponent: e)
    }

    /// ⌊g·cp / 2^127⌋ with its lowest bit set when the discarded fraction is not zero, where
    /// g = g1·2^63 + g0.
    @inline(__always)
    static func roundToOdd(_ g1: UInt64, _ g0: UInt64, _ cp: UInt64) -> UInt64 {
        let x1 = g0.multipliedFullWidth(by: cp).high
        let (y1, y0) = g1.multipliedFullWidth(by: cp)
        let z = (y0 >> 1) &+ x1
        let vbp = y1 &+ (z >> 63)
        let sticky = ((z & mask63) &+ mask63) >> 63
        return vbp | sticky
    }

    /// ⌊g·cp / 2^95⌋ with its lowest bit set when the discarded fraction is not zero.
    @inline(__always)
    static func roundToOdd32(_ g: UInt64, _ cp: UInt64) -> UInt64 {
        let x1 = g.multipliedFullWidth(by: cp).high
        let vbp = x1 >> 31
        let sticky = ((x1 & mask32) &+ mask32) >> 32
        return vbp | sticky
    }

    static let mask63: UInt64 = (1 << 63) &- 1
    static let mask32: UInt64 = (1 << 32) &- 1
}

/// The 126-bit approximations g(e) = ⌊10^e · 2^−r⌋ + 1, r = ⌊e·log2(10)⌋ − 125, so that
/// 2^125 < g ≤ 2^126, for the decimal exponents the Double and Float conversions need. Stored as
/// g1 = g >> 63 and g0 = g mod 2^63. Computed once, exactly, with a small multi-word integer.
enum PowersOfTen {
    static let minExponent = -292
    static let maxExponent = 326

    /// (g1, g0) for 10^e; `e` must lie in `minExponent...maxExponent` (guaranteed by the
    /// exponent ranges of Double and Float).
    @inline(__always)
    static func g(_ e: Int) -> (high: UInt64, low: UInt64) {
        let index = (e &- minExponent) &* 2
        return (table[index], table[index &+ 1])
    }

    static let table: [UInt64] = computeTable()

    static func computeTable() -> [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity((maxExponent - minExponent + 1) * 2)
        for e in minExponent...maxExponent {
            let g = e >= 0 ? positiveG(e) : negativeG(-e)
            // g + 1, then split at bit 63.
            let (lo, carry) = g.low.addingReportingOverflow(1)
            let hi = g.high &+ (carry ? 1 : 0)
            result.append((hi << 1) | (lo >> 63))
            result.append(lo & ShortestDecimal.mask63)
        }
        return result
    }

    /// ⌊10^e · 2^−r⌋ for e ≥ 0: the top 126 bits of 10^e (shifted up when 10^e is shorter).
    static func positiveG(_ e: Int) -> (high: UInt64, low: UInt64) {
        var power = Multiword(1)
        for _ in 0..<e { power.multiply(by: 10) }
        let r = ShortestDecimal.floorLog2Pow10(e) - 125
        return power.bits128(shiftedRightBy: r)
    }

    /// ⌊2^n / 10^m⌋ for m ≥ 1, where n = 125 − ⌊−m·log2(10)⌋, by binary long division: the
    /// quotient has exactly 126 bits.
    static func negativeG(_ m: Int) -> (high: UInt64, low: UInt64) {
        var divisor = Multiword(1)
        for _ in 0..<m { divisor.multiply(by: 10) }
        let j = divisor.bitWidth - 1
        var remainder = Multiword(1)
        remainder.shiftLeft(by: j)  // 2^j < 10^m: no quotient bits yet
        var high: UInt64 = 0
        var low: UInt64 = 0
        for _ in 0..<126 {
            remainder.shiftLeft(by: 1)
            high = (high << 1) | (low >> 63)
            low <<= 1
            if !remainder.isLess(than: divisor) {
                remainder.subtract(divisor)
                low |= 1
            }
        }
        return (high, low)
    }
}

/// A non-negative integer of any size in 32-bit little-endian words; just what the power table needs.
struct Multiword {
    var words: [UInt32]

    init(_ value: UInt32) { words = [value] }

    var bitWidth: Int {
        guard let top = words.last(where: { $0 != 0 }), let index = words.lastIndex(where: { $0 != 0 }) else { return 0 }
        return index * 32 + (32 - top.leadingZeroBitCount)
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in words.indices {
            let p = UInt64(words[i]) * UInt64(factor) + carry
            words[i] = UInt32(truncatingIfNeeded: p)
            carry = p >> 32
        }
        if carry != 0 { words.append(UInt32(carry)) }
    }

    mutating func shiftLeft(by bits: Int) {
        let wordShift = bits / 32
        let bitShift = bits % 32
        if wordShift > 0 { words.insert(contentsOf: repeatElement(0, count: wordShift), at: 0) }
        if bitShift > 0 {
            var carry: UInt32 = 0
            for i in words.indices {
                let w = words[i]
                words[i] = (w << UInt32(bitShift)) | carry
                carry = w >> UInt32(32 - bitShift)
            }
            if carry != 0 { words.append(carry) }
        }
    }

    func word(_ i: Int) -> UInt32 { i >= 0 && i < words.count ? words[i] : 0 }

    func isLess(than other: Multiword) -> Bool {
        var i = max(words.count, other.words.count) - 1
        while i >= 0 {
            let a = word(i), b = other.word(i)
            if a != b { return a < b }
            i -= 1
        }
        return false
    }

    /// self −= other; requires self ≥ other.
    mutating func subtract(_ other: Multiword) {
        var borrow: Int64 = 0
        for i in words.indices {
            var d = Int64(words[i]) - Int64(other.word(i)) - borrow
            borrow = 0
            if d < 0 { d += 1 << 32; borrow = 1 }
            words[i] = UInt32(truncatingIfNeeded: d)
        }
    }

    /// Bits [r, r + 128) of the value (r may be negative: the value shifted left by −r).
    func bits128(shiftedRightBy r: Int) -> (high: UInt64, low: UInt64) {
        func bit(_ i: Int) -> UInt64 {
            guard i >= 0 else { return 0 }
            return UInt64((word(i / 32) >> UInt32(i % 32)) & 1)
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in stride(from: 127, through: 0, by: -1) {
            high = (high << 1) | (low >> 63)
            low = (low << 1) | bit(r + i)
        }
        return (high, low)
    }
}
