import FloeCore

/// BYTE_STREAM_SPLIT (Parquet encoding 9): for values `width` bytes wide, byte `k` of every value
/// goes to stream `k`; the streams are stored one after the other. With `N` values in the page,
/// stream `k` is `src[k·N ..< (k+1)·N]`, so the page size must be a multiple of the width.
///
/// Used for FLOAT (4), DOUBLE (8), INT32 (4), INT64 (8), FLOAT16 (2) and FIXED_LEN_BYTE_ARRAY
/// (any width). Widths 2, 4 and 8 have kernels working on 8 values at a time.
public enum ByteStreamSplit {
    /// Decodes the first `count` values of the page `src` into `out` (`count·width` bytes,
    /// values back to back, little endian as stored).
    ///
    /// - Returns: the bytes consumed: all of `src` (the encoding has no end marker).
    /// - Throws: `.corrupt` when `src.count` is not a multiple of `width` or holds fewer than
    ///   `count` values; `.invalidArgument` for a width below 1.
    public static func decode(_ src: UnsafeRawBufferPointer, width: Int, count: Int,
                              into out: UnsafeMutableRawPointer) throws(FloeError) -> Int {
        let stride = try streamLength(src, width: width, count: count)
        guard count > 0, let base = src.baseAddress else { return src.count }
        switch width {
        case 2: joinKernel(base, stride, count, out, 2)
        case 4: joinKernel(base, stride, count, out, 4)
        case 8: joinKernel(base, stride, count, out, 8)
        default:
            for k in 0..<width {
                let stream = base + k &* stride
                for i in 0..<count {
                    out.storeBytes(of: stream.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i &* width &+ k, as: UInt8.self)
                }
            }
        }
        return src.count
    }

    /// Appends the streams for the values in `values` (back to back, `width` bytes each;
    /// `values.count` must be a multiple of `width`).
    public static func encode(_ values: UnsafeRawBufferPointer, width: Int, into out: inout ByteWriter) {
        precondition(width > 0 && values.count % width == 0, "\(values.count) bytes are not whole values of \(width) bytes")
        let count = values.count / width
        guard count > 0, let src = values.baseAddress else { return }
        out.appendZeroed(values.count) { dst in
            switch width {
            case 2: splitKernel(src, count, dst, 2)
            case 4: splitKernel(src, count, dst, 4)
            case 8: splitKernel(src, count, dst, 8)
            default:
                for k in 0..<width {
                    let stream = dst + k &* count
                    for i in 0..<count {
                        stream.storeBytes(of: src.load(fromByteOffset: i &* width &+ k, as: UInt8.self), toByteOffset: i, as: UInt8.self)
                    }
                }
            }
        }
    }

    // MARK: Typed conveniences (append to the caller's arrays)

    /// Decodes `count` FLOAT values, appending them; see ``decode(_:width:count:into:)``.
    public static func decodeFloat(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout [Float]) throws(FloeError) -> Int {
        try decodeAppending(src, count: count, appendingTo: &out, zero: 0)
    }

    /// Decodes `count` DOUBLE values, appending them.
    public static func decodeDouble(_ src: UnsafeRawBufferPointer, count: Int,
                                    appendingTo out: inout [Double]) throws(FloeError) -> Int {
        try decodeAppending(src, count: count, appendingTo: &out, zero: 0)
    }

    /// Decodes `count` INT32 values, appending them.
    public static func decodeInt32(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout [Int32]) throws(FloeError) -> Int {
        try decodeAppending(src, count: count, appendingTo: &out, zero: 0)
    }

    /// Decodes `count` INT64 values, appending them.
    public static func decodeInt64(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout [Int64]) throws(FloeError) -> Int {
        try decodeAppending(src, count: count, appendingTo: &out, zero: 0)
    }

    /// Decodes `count` values of `out.width` bytes (FIXED_LEN_BYTE_ARRAY, FLOAT16), appending them.
    public static func decodeFixed(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout FixedWidthValues) throws(FloeError) -> Int {
        let width = out.width
        _ = try streamLength(src, width: width, count: count)
        var used = src.count
        try out.bytes.appendFilling(count &* width, zero: 0) { (dst: UnsafeMutablePointer<UInt8>) throws(FloeError) in
            used = try decode(src, width: width, count: count, into: UnsafeMutableRawPointer(dst))
        }
        return used
    }

    /// Appends the streams of FLOAT values.
    public static func encodeFloat(_ v: UnsafeBufferPointer<Float>, into out: inout ByteWriter) {
        encode(UnsafeRawBufferPointer(v), width: 4, into: &out)
    }
    /// Appends the streams of DOUBLE values.
    public static func encodeDouble(_ v: UnsafeBufferPointer<Double>, into out: inout ByteWriter) {
        encode(UnsafeRawBufferPointer(v), width: 8, into: &out)
    }
    /// Appends the streams of INT32 values.
    public static func encodeInt32(_ v: UnsafeBufferPointer<Int32>, into out: inout ByteWriter) {
        encode(UnsafeRawBufferPointer(v), width: 4, into: &out)
    }
    /// Appends the streams of INT64 values.
    public static func encodeInt64(_ v: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        encode(UnsafeRawBufferPointer(v), width: 8, into: &out)
    }
    /// Appends the streams of the fixed-width values `range` of `v`.
    public static func encodeFixed(_ v: FixedWidthValues, range: Range<Int>, into out: inout ByteWriter) {
        guard v.width > 0, !range.isEmpty else { return }
        v.bytes.withUnsafeBytes { b in
            encode(UnsafeRawBufferPointer(rebasing: b[(range.lowerBound &* v.width)..<(range.upperBound &* v.width)]),
                   width: v.width, into: &out)
        }
    }

    // MARK: - Internals

    /// Validates the page size and returns the number of values in it (the stream length).
    static func streamLength(_ src: UnsafeRawBufferPointer, width: Int, count: Int) throws(FloeError) -> Int {
        try checkCount(count)
        guard width > 0 else { throw FloeError.invalidArgument("BYTE_STREAM_SPLIT width \(width) is below 1") }
        guard src.count % width == 0 else {
            throw FloeError.corrupt("BYTE_STREAM_SPLIT data of \(src.count) bytes is not a multiple of the width \(width)",
                                    offset: src.count)
        }
        let stride = src.count / width
        guard count <= stride else {
            throw FloeError.corrupt("BYTE_STREAM_SPLIT data holds \(stride) values of \(width) bytes but \(count) are expected",
                                    offset: src.count)
        }
        return stride
    }

    @inline(__always)
    static func decodeAppending<T: BitwiseCopyable>(_ src: UnsafeRawBufferPointer, count: Int,
                                                    appendingTo out: inout [T], zero: T) throws(FloeError) -> Int {
        let width = MemoryLayout<T>.size
        _ = try streamLength(src, width: width, count: count)
        var used = src.count
        try out.appendFilling(count, zero: zero) { (dst: UnsafeMutablePointer<T>) throws(FloeError) in
            used = try decode(src, width: width, count: count, into: UnsafeMutableRawPointer(dst))
            #if _endian(big)
            byteSwapInPlace(UnsafeMutableRawPointer(dst), count: count, size: width)
            #endif
        }
        return used
    }

    /// Interleaves `w` streams of length `stride` into `count` values, 8 values per step: one
    /// 64-bit load per stream, an 8×8 byte transpose, one store per value.
    @inline(__always)
    static func joinKernel(_ src: UnsafeRawPointer, _ stride: Int, _ count: Int, _ out: UnsafeMutableRawPointer, _ w: Int) {
        var i = 0
        while i &+ 8 <= count {
            var m = ByteMatrix8()
            for k in 0..<w { m[k] = loadLE64(src, k &* stride &+ i) }
            m.transpose()
            for j in 0..<8 { storeLow(out, (i &+ j) &* w, m[j], w) }
            i &+= 8
        }
        while i < count {
            for k in 0..<w {
                out.storeBytes(of: src.load(fromByteOffset: k &* stride &+ i, as: UInt8.self), toByteOffset: i &* w &+ k, as: UInt8.self)
            }
            i &+= 1
        }
    }

    /// Splits `count` values of `w` bytes into `w` streams of length `count`, 8 values per step
    /// (the inverse transpose).
    @inline(__always)
    static func splitKernel(_ src: UnsafeRawPointer, _ count: Int, _ dst: UnsafeMutableRawPointer, _ w: Int) {
        var i = 0
        while i &+ 8 <= count {
            var m = ByteMatrix8()
            for j in 0..<8 { m[j] = loadLow(src, (i &+ j) &* w, w) }
            m.transpose()
            for k in 0..<w { storeLE64(dst, k &* count &+ i, m[k]) }
            i &+= 8
        }
        while i < count {
            for k in 0..<w {
                dst.storeBytes(of: src.load(fromByteOffset: i &* w &+ k, as: UInt8.self), toByteOffset: k &* count &+ i, as: UInt8.self)
            }
            i &+= 1
        }
    }

    /// Loads `w` (2, 4 or 8) bytes little endian, zero-extended.
    @inline(__always)
    static func loadLow(_ p: UnsafeRawPointer, _ offset: Int, _ w: Int) -> UInt64 {
        switch w {
        case 2: UInt64(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        case 4: UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        default: loadLE64(p, offset)
        }
    }

    /// Stores the low `w` (2, 4 or 8) bytes of `v` little endian.
    @inline(__always)
    static func storeLow(_ p: UnsafeMutableRawPointer, _ offset: Int, _ v: UInt64, _ w: Int) {
        switch w {
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, toByteOffset: offset, as: UInt16.self)
        case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian, toByteOffset: offset, as: UInt32.self)
        default: p.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt64.self)
        }
    }
}

/// Eight 64-bit words seen as an 8×8 byte matrix (word = row, byte j = column j).
struct ByteMatrix8 {
    var r0: UInt64 = 0, r1: UInt64 = 0, r2: UInt64 = 0, r3: UInt64 = 0
    var r4: UInt64 = 0, r5: UInt64 = 0, r6: UInt64 = 0, r7: UInt64 = 0

    @inline(__always)
    subscript(i: Int) -> UInt64 {
        get {
            switch i {
            case 0: r0
            case 1: r1
            case 2: r2
            case 3: r3
            case 4: r4
            case 5: r5
            case 6: r6
            default: r7
            }
        }
        set {
            switch i {
            case 0: r0 = newValue
            case 1: r1 = newValue
            case 2: r2 = newValue
            case 3: r3 = newValue
            case 4: r4 = newValue
            case 5: r5 = newValue
            case 6: r6 = newValue
            default: r7 = newValue
            }
        }
    }

    /// Swaps the `mask`ed bytes of `a` shifted down by `shift` with those of `b`.
    @inline(__always)
    static func swap(_ a: inout UInt64, _ b: inout UInt64, _ shift: UInt64, _ mask: UInt64) {
        let t = ((a &>> shift) ^ b) & mask
        b ^= t
        a ^= t &<< shift
    }

    /// Transposes the matrix: swaps 4×4, then 2×2, then 1×1 blocks.
    @inline(__always)
    mutating func transpose() {
        let m32: UInt64 = 0x0000_0000_FFFF_FFFF
        let m16: UInt64 = 0x0000_FFFF_0000_FFFF
        let m8: UInt64 = 0x00FF_00FF_00FF_00FF
        Self.swap(&r0, &r4, 32, m32); Self.swap(&r1, &r5, 32, m32)
        Self.swap(&r2, &r6, 32, m32); Self.swap(&r3, &r7, 32, m32)
        Self.swap(&r0, &r2, 16, m16); Self.swap(&r1, &r3, 16, m16)
        Self.swap(&r4, &r6, 16, m16); Self.swap(&r5, &r7, 16, m16)
        Self.swap(&r0, &r1, 8, m8); Self.swap(&r2, &r3, 8, m8)
        Self.swap(&r4, &r5, 8, m8); Self.swap(&r6, &r7, 8, m8)
    }
}
