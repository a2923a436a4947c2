import FloeCore

/// Bit packing of unsigned integers as Parquet uses it.
///
/// The RLE/bit-packed hybrid and DELTA_BINARY_PACKED pack values *LSB first*: value `i` of width
/// `w` occupies bits `i*w ..< (i+1)*w` of the little-endian bit stream (bit 0 is the least
/// significant bit of byte 0). The deprecated BIT_PACKED level encoding packs *MSB first*.
///
/// The kernels work on groups of 8 values (8 values of width `w` take exactly `w` bytes) with one
/// specialised loop per bit width and unaligned 64-bit loads; the last few groups of a buffer go
/// through a zero-padded scratch copy so no load ever reads past the input.
public enum BitPacking {
    /// The number of bytes `count` values of `bitWidth` bits take when packed: ⌈count·w/8⌉.
    @inlinable
    public static func packedByteCount(count: Int, bitWidth: Int) -> Int {
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitWidth)
        return overflow ? Int.max : (bits / 8) + (bits % 8 == 0 ? 0 : 1)
    }

    /// Unpacks `count` LSB-first values of `bitWidth` (0...32) bits from the start of `src`.
    ///
    /// - Returns: the bytes consumed, ⌈count·bitWidth/8⌉.
    /// - Throws: ``FloeError`` `.corrupt` when `src` is shorter than that, `.invalidArgument` for
    ///   a bit width outside 0...32 or a negative count.
    public static func unpack(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                              into out: UnsafeMutablePointer<UInt32>) throws(FloeError) -> Int {
        guard (0...32).contains(bitWidth) else {
            throw FloeError.invalidArgument("bit width \(bitWidth) is outside 0...32")
        }
        return try unpackChecked(src, bitWidth: bitWidth, count: count, into: out)
    }

    /// Unpacks `count` LSB-first values of `bitWidth` (0...64) bits from the start of `src`.
    ///
    /// - Returns: the bytes consumed, ⌈count·bitWidth/8⌉.
    public static func unpack(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                              into out: UnsafeMutablePointer<UInt64>) throws(FloeError) -> Int {
        guard (0...64).contains(bitWidth) else {
            throw FloeError.invalidArgument("bit width \(bitWidth) is outside 0...64")
        }
        return try unpackChecked(src, bitWidth: bitWidth, count: count, into: out)
    }

    /// Packs `values` LSB first with `bitWidth` (0...32) bits each, appending ⌈count·w/8⌉ bytes
    /// (the last byte zero-padded). Bits above `bitWidth` are ignored.
    public static func pack(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout ByteWriter) {
        precondition((0...32).contains(bitWidth), "bit width \(bitWidth) is outside 0...32")
        packAppending(values, bitWidth: bitWidth, into: &out)
    }

    /// Packs `values` LSB first with `bitWidth` (0...64) bits each, appending ⌈count·w/8⌉ bytes.
    public static func pack(_ values: UnsafeBufferPointer<UInt64>, bitWidth: Int, into out: inout ByteWriter) {
        precondition((0...64).contains(bitWidth), "bit width \(bitWidth) is outside 0...64")
        packAppending(values, bitWidth: bitWidth, into: &out)
    }

    /// Decodes `count` values of the deprecated BIT_PACKED encoding (MSB first, `bitWidth` 0...8
    /// bits each, as used for levels) from the start of `src`.
    ///
    /// - Returns: the bytes consumed, ⌈count·bitWidth/8⌉.
    public static func unpackMSBFirst(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                                      into out: UnsafeMutablePointer<UInt8>) throws(FloeError) -> Int {
        guard (0...8).contains(bitWidth) else {
            throw FloeError.invalidArgument("bit width \(bitWidth) is outside 0...8")
        }
        try checkCount(count)
        let need = packedByteCount(count: count, bitWidth: bitWidth)
        guard need <= src.count else {
            throw FloeError.corrupt("BIT_PACKED data needs \(need) bytes for \(count) values but has \(src.count)",
                                    offset: src.count)
        }
        if bitWidth == 0 || count == 0 {
            out.update(repeating: 0, count: count)
            return 0
        }
        guard let base = src.baseAddress else { return 0 }
        let w = bitWidth
        let mask = UInt32((1 << w) - 1)
        var bit = 0
        for i in 0..<count {
            let byte = bit &>> 3
            let hi = UInt32(base.load(fromByteOffset: byte, as: UInt8.self))
            let lo: UInt32 = byte &+ 1 < need ? UInt32(base.load(fromByteOffset: byte &+ 1, as: UInt8.self)) : 0
            let window = (hi &<< 8) | lo
            out[i] = UInt8(truncatingIfNeeded: (window &>> UInt32(16 &- (bit & 7) &- w)) & mask)
            bit &+= w
        }
        return need
    }

    /// Encodes `values` with the deprecated BIT_PACKED encoding (MSB first, `bitWidth` 0...8).
    public static func packMSBFirst(_ values: UnsafeBufferPointer<UInt8>, bitWidth: Int, into out: inout ByteWriter) {
        precondition((0...8).contains(bitWidth), "bit width \(bitWidth) is outside 0...8")
        let n = packedByteCount(count: values.count, bitWidth: bitWidth)
        let w = bitWidth
        let mask = UInt32((1 << w) - 1)
        out.appendZeroed(n) { dst in
            var bit = 0
            for v in values {
                let byte = bit &>> 3
                let window = (UInt32(v) & mask) &<< UInt32(16 &- (bit & 7) &- w)
                let hi = dst.load(fromByteOffset: byte, as: UInt8.self) | UInt8(truncatingIfNeeded: window &>> 8)
                dst.storeBytes(of: hi, toByteOffset: byte, as: UInt8.self)
                if byte &+ 1 < n {
                    let lo = dst.load(fromByteOffset: byte &+ 1, as: UInt8.self) | UInt8(truncatingIfNeeded: window)
                    dst.storeBytes(of: lo, toByteOffset: byte &+ 1, as: UInt8.self)
                }
                bit &+= w
            }
        }
    }

    // MARK: - Internals

    @inline(__always)
    static func unpackChecked<T: FixedWidthInteger & UnsignedInteger>(
        _ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into out: UnsafeMutablePointer<T>
    ) throws(FloeError) -> Int {
        try checkCount(count)
        let need = packedByteCount(count: count, bitWidth: bitWidth)
        guard need <= src.count else {
            throw FloeError.corrupt("bit-packed data needs \(need) bytes for \(count) values of \(bitWidth) bits but has \(src.count)",
                                    offset: src.count)
        }
        if bitWidth == 0 || count == 0 {
            out.update(repeating: 0, count: count)
            return 0
        }
        guard let base = src.baseAddress else { return 0 }
        unpackLSB(base, available: src.count, bitWidth: bitWidth, count: count, into: out)
        return need
    }

    /// Unpacks `count` LSB-first values. Requires ⌈count·w/8⌉ ≤ `available` readable bytes at
    /// `base`, `w` ≤ the bit width of `T` (and ≤ 32 unless `T` is `UInt64`).
    @inline(__always)
    static func unpackLSB<T: FixedWidthInteger & UnsignedInteger>(
        _ base: UnsafeRawPointer, available: Int, bitWidth w: Int, count: Int, into out: UnsafeMutablePointer<T>
    ) {
        if w == 0 {
            out.update(repeating: 0, count: count)
            return
        }
        let fullGroups = count &>> 3
        // A group starting at byte g·w may read up to g·w + w + 8 bytes: fast groups stay inside.
        var fast = 0
        if available >= w &+ 8 { fast = Swift.min(fullGroups, (available &- 8) / w) }
        if fast > 0 { unpackGroups(base, groups: fast, into: out, bitWidth: w) }
        var done = fast &* 8
        guard done < count else { return }
        var offset = fast &* w
        withUnsafeTemporaryAllocation(byteCount: 80, alignment: 8) { scratch in
            withUnsafeTemporaryAllocation(of: T.self, capacity: 8) { values in
                guard let s = scratch.baseAddress, let v = values.baseAddress else { return }
                while done < count {
                    let n = Swift.min(8, count &- done)
                    let bytes = Swift.max(0, Swift.min(w, available &- offset))
                    s.initializeMemory(as: UInt8.self, repeating: 0, count: 80)
                    if bytes > 0 { s.copyMemory(from: base + offset, byteCount: bytes) }
                    unpackGroups(UnsafeRawPointer(s), groups: 1, into: v, bitWidth: w)
                    (out + done).update(from: v, count: n)
                    done &+= n
                    offset &+= w
                }
            }
        }
    }

    /// Dispatches to the kernel for `w`.
    @inline(__always)
    static func unpackGroups<T: FixedWidthInteger & UnsignedInteger>(
        _ src: UnsafeRawPointer, groups: Int, into out: UnsafeMutablePointer<T>, bitWidth w: Int
    ) {
        if T.bitWidth == 64 {
            unpackGroups64(src, groups, UnsafeMutableRawPointer(out).assumingMemoryBound(to: UInt64.self), w)
        } else if T.bitWidth == 32 {
            unpackGroups32(src, groups, UnsafeMutableRawPointer(out).assumingMemoryBound(to: UInt32.self), w)
        } else {
            unpackGroups8(src, groups, UnsafeMutableRawPointer(out).assumingMemoryBound(to: UInt8.self), w)
        }
    }

    /// Kernel for widths 1...8: one 64-bit load per group of 8 values.
    @inline(__always)
    static func unpackGroupsSmall<T: FixedWidthInteger & UnsignedInteger>(
        _ src: UnsafeRawPointer, _ groups: Int, _ out: UnsafeMutablePointer<T>, _ w: Int
    ) {
        let mask: UInt64 = (1 &<< UInt64(w)) &- 1
        var p = src
        var o = out
        for _ in 0..<groups {
            let word = loadLE64(p, 0)
            for i in 0..<8 {
                o[i] = T(truncatingIfNeeded: (word &>> UInt64(i &* w)) & mask)
            }
            p += w
            o += 8
        }
    }

    /// Kernel for widths 9...56: one unaligned 64-bit load per value.
    @inline(__always)
    static func unpackGroupsWide<T: FixedWidthInteger & UnsignedInteger>(
        _ src: UnsafeRawPointer, _ groups: Int, _ out: UnsafeMutablePointer<T>, _ w: Int
    ) {
        let mask: UInt64 = (1 &<< UInt64(w)) &- 1
        var p = src
        var o = out
        for _ in 0..<groups {
            for i in 0..<8 {
                let bit = i &* w
                let word = loadLE64(p, bit &>> 3)
                o[i] = T(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
            }
            p += w
            o += 8
        }
    }

    /// Kernel for widths 57...64 into UInt64: a value may straddle nine bytes.
    @inline(__always)
    static func unpackGroupsHuge(_ src: UnsafeRawPointer, _ groups: Int, _ out: UnsafeMutablePointer<UInt64>, _ w: Int) {
        let mask: UInt64 = w == 64 ? ~0 : (1 &<< UInt64(w)) &- 1
        var p = src
        var o = out
        for _ in 0..<groups {
            for i in 0..<8 {
                let bit = i &* w
                let byte = bit &>> 3
                let shift = UInt64(bit & 7)
                var v = loadLE64(p, byte) &>> shift
                if shift != 0 {
                    v |= UInt64(p.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< (64 &- shift)
                }
                o[i] = v & mask
            }
            p += w
            o += 8
        }
    }

    /// Packs `groups` full groups of 8 values with width `w` (1...64): writes `groups·w` bytes.
    @inline(__always)
    static func packGroupsKernel<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafePointer<T>, _ groups: Int, _ dst: UnsafeMutableRawPointer, _ w: Int
    ) {
        let mask: UInt64 = w == 64 ? ~0 : (1 &<< UInt64(w)) &- 1
        var v = values
        var d = dst
        for _ in 0..<groups {
            var acc: UInt64 = 0
            var nb = 0
            var o = 0
            for i in 0..<8 {
                let x = UInt64(truncatingIfNeeded: v[i]) & mask
                acc |= x &<< UInt64(nb)
                nb &+= w
                if nb >= 64 {
                    storeLE64(d, o, acc)
                    o &+= 8
                    nb &-= 64
                    acc = nb > 0 ? x &>> UInt64(w &- nb) : 0
                }
            }
            var k = 0
            while k < nb {
                d.storeBytes(of: UInt8(truncatingIfNeeded: acc &>> UInt64(k)), toByteOffset: o, as: UInt8.self)
                o &+= 1
                k &+= 8
            }
            v += 8
            d += w
        }
    }

    /// Packs `count` values LSB first into `dst`, writing ⌈count/8⌉·w bytes (the last group
    /// padded with zero values).
    @inline(__always)
    static func packPadded<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafePointer<T>, count: Int, bitWidth w: Int, into dst: UnsafeMutableRawPointer
    ) {
        guard w > 0 else { return }
        let full = count &>> 3
        if full > 0 { packGroups(values, groups: full, into: dst, bitWidth: w) }
        let rest = count &- full &* 8
        guard rest > 0 else { return }
        withUnsafeTemporaryAllocation(of: T.self, capacity: 8) { tmp in
            guard let t = tmp.baseAddress else { return }
            t.initialize(repeating: 0, count: 8)
            t.update(from: values + full &* 8, count: rest)
            packGroups(UnsafePointer(t), groups: 1, into: dst + full &* w, bitWidth: w)
        }
    }

    /// Dispatches to the packing kernel for `w`.
    @inline(__always)
    static func packGroups<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafePointer<T>, groups: Int, into dst: UnsafeMutableRawPointer, bitWidth w: Int
    ) {
        if T.bitWidth == 64 {
            packGroups64(UnsafeRawPointer(values).assumingMemoryBound(to: UInt64.self), groups, dst, w)
        } else if T.bitWidth == 32 {
            packGroups32(UnsafeRawPointer(values).assumingMemoryBound(to: UInt32.self), groups, dst, w)
        } else {
            packGroups8(UnsafeRawPointer(values).assumingMemoryBound(to: UInt8.self), groups, dst, w)
        }
    }

    /// Appends ⌈count·w/8⌉ bytes of LSB-first packed values.
    static func packAppending<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, bitWidth w: Int, into out: inout ByteWriter
    ) {
        guard w > 0, let base = values.baseAddress, values.count > 0 else { return }
        let count = values.count
        let exact = packedByteCount(count: count, bitWidth: w)
        let padded = ((count &+ 7) &>> 3) &* w
        out.appendZeroed(padded) { dst in packPadded(base, count: count, bitWidth: w, into: dst) }
        // The padding values are zero, so the dropped bytes are all zero.
        out.bytes.removeLast(padded &- exact)
    }
}
