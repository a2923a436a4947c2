import FloeCore

/// The PLAIN encoding (Parquet encoding 0): values back to back, little endian; BOOLEAN
/// bit-packed LSB first; BYTE_ARRAY as a 4-byte little-endian length then the bytes;
/// FIXED_LEN_BYTE_ARRAY and INT96 as their bytes.
///
/// Decoders read exactly `count` values from the start of `src`, append them to the output and
/// return the bytes consumed. They check the input size before reading; on error the output is
/// left as it was.
public enum Plain {
    /// Decodes `count` INT32 values (4 bytes each).
    public static func decodeInt32(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout [Int32]) throws(FloeError) -> Int {
        try decodeFixedWidth(src, count: count, appendingTo: &out, zero: 0, type: "INT32")
    }

    /// Decodes `count` INT64 values (8 bytes each).
    public static func decodeInt64(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout [Int64]) throws(FloeError) -> Int {
        try decodeFixedWidth(src, count: count, appendingTo: &out, zero: 0, type: "INT64")
    }

    /// Decodes `count` FLOAT values (4 bytes IEEE 754 each; NaN payloads are kept).
    public static func decodeFloat(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout [Float]) throws(FloeError) -> Int {
        try decodeFixedWidth(src, count: count, appendingTo: &out, zero: 0, type: "FLOAT")
    }

    /// Decodes `count` DOUBLE values (8 bytes IEEE 754 each; NaN payloads are kept).
    public static func decodeDouble(_ src: UnsafeRawBufferPointer, count: Int,
                                    appendingTo out: inout [Double]) throws(FloeError) -> Int {
        try decodeFixedWidth(src, count: count, appendingTo: &out, zero: 0, type: "DOUBLE")
    }

    /// Decodes `count` BOOLEAN values bit-packed LSB first (⌈count/8⌉ bytes).
    public static func decodeBoolean(_ src: UnsafeRawBufferPointer, count: Int,
                                     appendingTo out: inout [Bool]) throws(FloeError) -> Int {
        try checkCount(count)
        let need = count / 8 + (count % 8 == 0 ? 0 : 1)
        guard need <= src.count else {
            throw FloeError.corrupt("PLAIN BOOLEAN data needs \(need) bytes for \(count) values but has \(src.count)",
                                    offset: src.count)
        }
        guard count > 0, let base = src.baseAddress else { return 0 }
        try out.appendFilling(count, zero: false) { (dst: UnsafeMutablePointer<Bool>) throws(FloeError) in
            let d = UnsafeMutableRawPointer(dst)
            let fullBytes = count / 8
            for i in 0..<fullBytes {
                storeLE64(d, i &* 8, spreadBits(base.load(fromByteOffset: i, as: UInt8.self)))
            }
            let rest = count &- fullBytes &* 8
            if rest > 0 {
                let b = base.load(fromByteOffset: fullBytes, as: UInt8.self)
                for k in 0..<rest {
                    d.storeBytes(of: (b &>> UInt8(k)) & 1, toByteOffset: fullBytes &* 8 &+ k, as: UInt8.self)
                }
            }
        }
        return need
    }

    /// Decodes `count` BYTE_ARRAY values (each a 4-byte little-endian length, then the bytes).
    /// Every length is checked against the bytes left; the byte buffer grows once.
    public static func decodeByteArray(_ src: UnsafeRawBufferPointer, count: Int,
                                       appendingTo out: inout BinaryValues) throws(FloeError) -> Int {
        try checkCount(count)
        guard count > 0 else { return 0 }
        let n = src.count
        guard count <= n / 4, let base = src.baseAddress else {
            throw FloeError.corrupt("PLAIN BYTE_ARRAY data of \(n) bytes cannot hold \(count) values", offset: n)
        }
        // An upper bound of the value bytes; trimmed after decoding.
        let bound = n &- 4 &* count
        let oldBytes = out.bytes.count
        let oldOffsets = out.offsets.count
        out.bytes.append(contentsOf: repeatElement(0, count: bound))
        out.offsets.append(contentsOf: repeatElement(0, count: count))
        var failure: FloeError?
        var pos = 0
        var written = 0
        out.bytes.withUnsafeMutableBytes { rawBytes in
            out.offsets.withUnsafeMutableBufferPointer { offsets in
                guard let dst = rawBytes.baseAddress, let offs = offsets.baseAddress else { return }
                let o = offs + oldOffsets
                var start = oldBytes
                let end = oldBytes &+ bound
                for i in 0..<count {
                    guard n &- pos >= 4 else {
                        failure = .corrupt("PLAIN BYTE_ARRAY value \(i) of \(count): its length prefix is cut short", offset: pos)
                        return
                    }
                    let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt32.self)))
                    pos &+= 4
                    // The value must leave room for the length prefixes of the values after it.
                    let room = n &- pos &- 4 &* (count &- 1 &- i)
                    guard length <= room else {
                        failure = .corrupt("PLAIN BYTE_ARRAY value \(i) of \(count) has length \(length) but only \(max(0, room)) bytes remain for it",
                                           offset: pos &- 4)
                        return
                    }
                    copyWithSlack(dst + start, dstRoom: end &- start, base + pos, srcRoom: n &- pos, length)
                    pos &+= length
                    start &+= length
                    o[i] = start
                }
                written = start &- oldBytes
            }
        }
        if let failure {
            out.bytes.removeLast(out.bytes.count &- oldBytes)
            out.offsets.removeLast(out.offsets.count &- oldOffsets)
            throw failure
        }
        out.bytes.removeLast(bound &- written)
        return pos
    }

    /// Decodes `count` values of `width` bytes each (FIXED_LEN_BYTE_ARRAY, or INT96 with width
    /// 12). `out.width` must equal `width`.
    public static func decodeFixed(width: Int, _ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout FixedWidthValues) throws(FloeError) -> Int {
        try checkCount(count)
        guard width > 0 else { throw FloeError.unsupported("fixed-width values of width \(width)") }
        guard out.width == width else {
            throw FloeError.invalidArgument("output width \(out.width) differs from value width \(width)")
        }
        guard count <= src.count / width else {
            throw FloeError.corrupt("PLAIN fixed-width data needs \(count) values of \(width) bytes but has \(src.count) bytes",
                                    offset: src.count)
        }
        let need = count &* width
        guard need > 0, let base = src.baseAddress else { return 0 }
        out.bytes.append(contentsOf: UnsafeRawBufferPointer(start: base, count: need))
        return need
    }

    // MARK: - Encoders

    /// Appends INT32 values, 4 bytes little endian each.
    public static func encodeInt32(_ v: UnsafeBufferPointer<Int32>, into out: inout ByteWriter) { appendRaw(v, into: &out) }
    /// Appends INT64 values, 8 bytes little endian each.
    public static func encodeInt64(_ v: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) { appendRaw(v, into: &out) }
    /// Appends FLOAT values, 4 bytes IEEE 754 little endian each.
    public static func encodeFloat(_ v: UnsafeBufferPointer<Float>, into out: inout ByteWriter) { appendRaw(v, into: &out) }
    /// Appends DOUBLE values, 8 bytes IEEE 754 little endian each.
    public static func encodeDouble(_ v: UnsafeBufferPointer<Double>, into out: inout ByteWriter) { appendRaw(v, into: &out) }

    /// Appends BOOLEAN values bit-packed LSB first (the last byte zero-padded).
    public static func encodeBoolean(_ v: UnsafeBufferPointer<Bool>, into out: inout ByteWriter) {
        let count = v.count
        guard count > 0, let src = v.baseAddress else { return }
        let bytes = count / 8 + (count % 8 == 0 ? 0 : 1)
        let s = UnsafeRawPointer(src)
        out.appendZeroed(bytes) { dst in
            let full = count / 8
            for i in 0..<full {
                let word = loadLE64(s, i &* 8) & 0x0101_0101_0101_0101
                dst.storeBytes(of: gatherBits(word), toByteOffset: i, as: UInt8.self)
            }
            var last: UInt8 = 0
            for k in 0..<(count &- full &* 8) {
                last |= (s.load(fromByteOffset: full &* 8 &+ k, as: UInt8.self) & 1) &<< UInt8(k)
            }
            if count % 8 != 0 { dst.storeBytes(of: last, toByteOffset: full, as: UInt8.self) }
        }
    }

    /// Appends the BYTE_ARRAY values `range` of `v`, each as a 4-byte length then its bytes.
    public static func encodeByteArray(_ v: BinaryValues, range: Range<Int>, into out: inout ByteWriter) {
        guard !range.isEmpty else { return }
        let first = v.offsets[range.lowerBound]
        let last = v.offsets[range.upperBound]
        let total = (last &- first) &+ 4 &* range.count
        v.bytes.withUnsafeBytes { bytes in
            v.offsets.withUnsafeBufferPointer { offsets in
                guard let o = offsets.baseAddress else { return }
                out.appendZeroed(total) { dst in
                    var at = 0
                    for i in range {
                        let start = o[i]
                        let length = o[i &+ 1] &- start
                        dst.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: at, as: UInt32.self)
                        at &+= 4
                        if let b = bytes.baseAddress {
                            copyWithSlack(dst + at, dstRoom: total &- at, b + start, srcRoom: bytes.count &- start, length)
                        }
                        at &+= length
                    }
                }
            }
        }
    }

    /// Appends the fixed-width values `range` of `v`, their bytes back to back.
    public static func encodeFixed(_ v: FixedWidthValues, range: Range<Int>, into out: inout ByteWriter) {
        guard !range.isEmpty, v.width > 0 else { return }
        v.bytes.withUnsafeBytes { bytes in
            out.append(raw: UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound &* v.width)..<(range.upperBound &* v.width)]))
        }
    }

    // MARK: - Internals

    /// Appends `count` little-endian fixed-width values of type `T` copied from `src`.
    @inline(__always)
    static func decodeFixedWidth<T: BitwiseCopyable>(_ src: UnsafeRawBufferPointer, count: Int,
                                                     appendingTo out: inout [T], zero: T,
                                                     type: String) throws(FloeError) -> Int {
        try checkCount(count)
        let size = MemoryLayout<T>.size
        guard count <= src.count / size else {
            throw FloeError.corrupt("PLAIN \(type) data needs \(count) values of \(size) bytes but has \(src.count) bytes",
                                    offset: src.count)
        }
        guard count > 0, let base = src.baseAddress else { return 0 }
        try out.appendFilling(count, zero: zero) { (dst: UnsafeMutablePointer<T>) throws(FloeError) in
            UnsafeMutableRawPointer(dst).copyMemory(from: base, byteCount: count &* size)
            #if _endian(big)
            byteSwapInPlace(UnsafeMutableRawPointer(dst), count: count, size: size)
            #endif
        }
        return count &* size
    }

    /// Appends the bytes of `v` (little-endian machine order).
    @inline(__always)
    static func appendRaw<T: BitwiseCopyable>(_ v: UnsafeBufferPointer<T>, into out: inout ByteWriter) {
        #if _endian(big)
        let start = out.count
        out.append(raw: UnsafeRawBufferPointer(v))
        out.bytes.withUnsafeMutableBytes { b in
            if let p = b.baseAddress { byteSwapInPlace(p + start, count: v.count, size: MemoryLayout<T>.size) }
        }
        #else
        out.append(raw: UnsafeRawBufferPointer(v))
        #endif
    }

    /// Spreads the 8 bits of `b` (LSB first) into 8 bytes of 0 or 1.
    @inline(__always)
    static func spreadBits(_ b: UInt8) -> UInt64 {
        // Seven bits at stride 7 do not overlap, so the multiply places bit k at bit 8k exactly.
        let low = (UInt64(b & 0x7f) &* 0x0002_0408_1020_4081) & 0x0101_0101_0101_0101
        return low | (UInt64(b &>> 7) &<< 56)
    }

    /// Gathers the low bit of each of 8 bytes (each 0 or 1) into one byte, byte 0 → bit 0.
    @inline(__always)
    static func gatherBits(_ word: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: (word &* 0x0102_0408_1020_4080) &>> 56)
    }
}

/// Copies `n` bytes; short copies avoid the call into memcpy.
@inline(__always)
func copySmall(_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ n: Int) {
    if n <= 16 {
        var i = 0
        while i < n {
            dst.storeBytes(of: src.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
            i &+= 1
        }
    } else {
        dst.copyMemory(from: src, byteCount: n)
    }
}

/// Copies `n` bytes from `src` to `dst`, where `srcRoom` bytes are readable at `src` and
/// `dstRoom` writable at `dst`. When both have 16 bytes of slack past `n`, short values are
/// copied in whole 16-byte chunks (overwriting bytes past `n` in `dst` that the caller fills
/// later or trims), which avoids a branch per byte on variable lengths.
@inline(__always)
func copyWithSlack(_ dst: UnsafeMutableRawPointer, dstRoom: Int, _ src: UnsafeRawPointer, srcRoom: Int, _ n: Int) {
    if n <= 64 && dstRoom &- n >= 16 && srcRoom &- n >= 16 {
        var k = 0
        repeat {
            dst.storeBytes(of: src.loadUnaligned(fromByteOffset: k, as: SIMD16<UInt8>.self), toByteOffset: k, as: SIMD16<UInt8>.self)
            k &+= 16
        } while k < n
    } else {
        copySmall(dst, src, n)
    }
}

#if _endian(big)
/// Reverses the bytes of each `size`-byte element (big-endian hosts only).
func byteSwapInPlace(_ p: UnsafeMutableRawPointer, count: Int, size: Int) {
    for i in 0..<count {
        var a = i * size, b = a + size - 1
        while a < b {
            let t = p.load(fromByteOffset: a, as: UInt8.self)
            p.storeBytes(of: p.load(fromByteOffset: b, as: UInt8.self), toByteOffset: a, as: UInt8.self)
            p.storeBytes(of: t, toByteOffset: b, as: UInt8.self)
            a += 1; b -= 1
        }
    }
}
#endif
