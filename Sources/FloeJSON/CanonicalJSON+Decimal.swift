// DECIMAL values: exact decimal strings.

extension CanonicalJSON {
    /// Scales whose magnitude is above this are written in exponent form (`"-125E-5000"`), so
    /// that a corrupt schema cannot make one value expand into gigabytes of zeros. Parquet
    /// requires 0 ≤ scale ≤ precision, far below this.
    public static let decimalScaleLimit = 4096

    /// Appends unscaled·10^−scale as a quoted exact decimal with exactly `scale` fraction digits:
    /// (−1250, 2) → `"-12.50"`, (12, 0) → `"12"`, (5, 3) → `"0.005"`, (0, 2) → `"0.00"`.
    /// A negative scale multiplies out: (12, −2) → `"1200"`. Beyond ±``decimalScaleLimit`` the
    /// unscaled digits and the exponent are written instead (`"5E-5000"`).
    public static func appendDecimal(unscaled: Int64, scale: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buf in
            let start = writeDigits(unscaled.magnitude, into: buf, end: 24)
            appendDecimalDigits(UnsafeBufferPointer(rebasing: buf[start..<24]), negative: unscaled < 0, scale: scale, to: &out)
        }
    }

    /// Appends a DECIMAL stored as a big-endian two's complement integer of any length
    /// (FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY, e.g. 16 bytes for DECIMAL(38)) with `scale`, exactly as
    /// ``appendDecimal(unscaled:scale:to:)`` does. An empty input is 0.
    ///
    /// Values that fit 64 bits take the integer path; longer ones are converted by long division
    /// in base 10^9 (quadratic in the length, on stack or temporary memory).
    public static func appendDecimal(bigEndianTwosComplement bytes: UnsafeRawBufferPointer, scale: Int, to out: inout [UInt8]) {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            appendDecimal(unscaled: 0, scale: scale, to: &out)
            return
        }
        let negative = base.load(as: UInt8.self) >= 0x80
        // Skip sign-extension bytes that carry no value.
        let fill: UInt8 = negative ? 0xFF : 0x00
        var first = 0
        while first < bytes.count &- 1 && base.load(fromByteOffset: first, as: UInt8.self) == fill {
            let next = base.load(fromByteOffset: first &+ 1, as: UInt8.self)
            if (next >= 0x80) != negative { break }  // the fill byte is needed for the sign
            first &+= 1
        }
        let length = bytes.count &- first
        if length <= 8 {
            var value: UInt64 = negative ? .max : 0
            for i in first..<bytes.count {
                value = (value << 8) | UInt64(base.load(fromByteOffset: i, as: UInt8.self))
            }
            appendDecimal(unscaled: Int64(bitPattern: value), scale: scale, to: &out)
            return
        }
        appendLongDecimal(UnsafeRawBufferPointer(start: base + first, count: length), negative: negative, scale: scale, to: &out)
    }
}

// MARK: - Decimal internals

extension CanonicalJSON {
    /// The magnitude of a long two's complement integer in base 10^9, then formatted.
    static func appendLongDecimal(_ bytes: UnsafeRawBufferPointer, negative: Bool, scale: Int, to out: inout [UInt8]) {
        let byteCount = bytes.count
        let wordCount = (byteCount &+ 3) / 4
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: wordCount) { words in
            // Little-endian 32-bit words of the magnitude.
            var carry: UInt64 = 1  // +1 of the two's complement negation
            for w in 0..<wordCount {
                var word: UInt32 = 0
                for b in 0..<4 {
                    let index = byteCount &- 1 &- (w &* 4 &+ b)
                    let byte: UInt32 = index >= 0 ? UInt32(bytes.load(fromByteOffset: index, as: UInt8.self)) : (negative ? 0xFF : 0)
                    word |= byte << UInt32(b &* 8)
                }
                if negative {
                    let sum = UInt64(~word) &+ carry
                    word = UInt32(truncatingIfNeeded: sum)
                    carry = sum >> 32
                }
                words[w] = word
            }
            // 32·w bits hold at most ⌈32·w·log10(2)⌉ ≤ 9.64·w digits: ≤ 1.08·w + 1 chunks of 9.
            let chunkCapacity = wordCount &+ wordCount / 8 &+ 2
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: chunkCapacity) { chunks in
                var chunkCount = 0
                var top = wordCount
                while top > 0 && words[top &- 1] == 0 { top &-= 1 }
                while top > 0 && chunkCount < chunkCapacity {
                    var remainder: UInt64 = 0
                    var i = top
                    while i > 0 {
                        i &-= 1
                        let current = (remainder << 32) | UInt64(words[i])
                        let quotient = current / 1_000_000_000
                        remainder = current &- quotient &* 1_000_000_000
                        words[i] = UInt32(truncatingIfNeeded: quotient)
                    }
                    chunks[chunkCount] = UInt32(truncatingIfNeeded: remainder)
                    chunkCount &+= 1
                    while top > 0 && words[top &- 1] == 0 { top &-= 1 }
                }
                let digitCapacity = chunkCount &* 9 &+ 1
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: digitCapacity) { digits in
                    var n = 0
                    if chunkCount == 0 {
                        digits[0] = ascii0
                        n = 1
                    } else {
                        // The most significant chunk without leading zeros, then 9 digits each.
                        var i = chunkCount &- 1
                        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { scratch in
                            let start = writeDigits(UInt64(chunks[i]), into: scratch, end: 24)
                            for k in start..<24 { digits[n] = scratch[k]; n &+= 1 }
                        }
                        while i > 0 {
                            i &-= 1
                            n = writeFixedDigits(UInt64(chunks[i]), width: 9, into: digits, at: n)
                        }
                    }
                    appendDecimalDigits(UnsafeBufferPointer(rebasing: digits[0..<n]), negative: negative, scale: scale, to: &out)
                }
            }
        }
    }

    /// Formats the ASCII digits of a magnitude (no leading zeros, or the single digit 0) with a
    /// sign and `scale` fraction digits, in quotes.
    static func appendDecimalDigits(_ digits: UnsafeBufferPointer<UInt8>, negative: Bool, scale: Int, to out: inout [UInt8]) {
        let n = digits.count
        let isZero = n == 1 && digits[0] == ascii0
        out.append(asciiQuote)
        if negative && !isZero { out.append(asciiMinus) }
        if scale > decimalScaleLimit || scale < -decimalScaleLimit {
            out.append(contentsOf: digits)
            out.append(0x45)  // E, then the exponent −scale
            if scale > 0 { out.append(asciiMinus) }
            appendUInt(UInt64(scale.magnitude), to: &out)
            out.append(asciiQuote)
            return
        }
        if scale <= 0 {
            out.append(contentsOf: digits)
            if !isZero { appendRepeated(ascii0, count: -scale, to: &out) }
        } else if n > scale {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[0..<(n &- scale)]))
            out.append(asciiDot)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(n &- scale)..<n]))
        } else {
            out.append(ascii0)
            out.append(asciiDot)
            appendRepeated(ascii0, count: scale &- n, to: &out)
            out.append(contentsOf: digits)
        }
        out.append(asciiQuote)
    }
}
