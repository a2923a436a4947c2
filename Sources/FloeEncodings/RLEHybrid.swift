import FloeCore

/// The RLE / bit-packing hybrid encoding (Parquet encoding RLE = 3), without the optional 4-byte
/// length prefix (callers strip it where the page layout has one).
///
/// A stream of runs: an RLE run is `varint(len << 1)` followed by the value in ⌈w/8⌉ bytes
/// little endian; a bit-packed run is `varint(groups << 1 | 1)` followed by `groups·8` values
/// packed LSB first in `groups·w` bytes.
public enum RLEHybrid {
    /// The number of bits needed for values up to `max`: 0 for 0, 1 for 1, 2 for 2...3, and so on.
    @inlinable
    public static func bitWidth(forMax max: UInt64) -> Int { 64 - max.leadingZeroBitCount }

    /// Decodes exactly `count` values of `bitWidth` (0...32) bits.
    ///
    /// A bit width of 0 means every value is 0 (runs, if present, are skipped; their absence is
    /// accepted). The final bit-packed run may declare more groups than the bytes present as long
    /// as the values needed are there. Values of RLE runs are passed through even when they
    /// exceed the width's maximum: callers range-check.
    ///
    /// - Returns: the bytes consumed.
    /// - Throws: `.corrupt` (with the byte offset in `src`) when the data ends before `count`
    ///   values or a run is malformed; `.invalidArgument` for a width outside 0...32.
    public static func decode(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                              into out: UnsafeMutablePointer<UInt32>) throws(FloeError) -> Int {
        guard (0...32).contains(bitWidth) else {
            throw FloeError.invalidArgument("RLE bit width \(bitWidth) is outside 0...32")
        }
        return try decodeRuns(src, bitWidth: bitWidth, count: count, into: out, rleLimit: .max)
    }

    /// Decodes exactly `count` repetition or definition levels of `bitWidth` (0...8) bits.
    /// Same conventions as ``decode(_:bitWidth:count:into:)``.
    public static func decodeLevels(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                                    into out: UnsafeMutablePointer<UInt8>) throws(FloeError) -> Int {
        guard (0...8).contains(bitWidth) else {
            throw FloeError.invalidArgument("level bit width \(bitWidth) is outside 0...8")
        }
        return try decodeRuns(src, bitWidth: bitWidth, count: count, into: out, rleLimit: .max)
    }

    /// Encodes `values` with `bitWidth` (0...32) bits: RLE runs for 8 or more equal values,
    /// bit-packed runs otherwise (the last one zero-padded to a multiple of 8 values).
    /// Bits above `bitWidth` are ignored.
    public static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout ByteWriter) {
        precondition((0...32).contains(bitWidth), "RLE bit width \(bitWidth) is outside 0...32")
        encodeRuns(values, bitWidth: bitWidth, into: &out)
    }

    /// Encodes levels with `bitWidth` (0...8) bits; see ``encode(_:bitWidth:into:)``.
    public static func encodeLevels(_ values: UnsafeBufferPointer<UInt8>, bitWidth: Int, into out: inout ByteWriter) {
        precondition((0...8).contains(bitWidth), "level bit width \(bitWidth) is outside 0...8")
        encodeRuns(values, bitWidth: bitWidth, into: &out)
    }

    // MARK: - Internals

    /// Decodes `count` values; an RLE run value above `rleLimit` is an error (booleans use 1).
    @inline(__always)
    static func decodeRuns<T: FixedWidthInteger & UnsignedInteger>(
        _ src: UnsafeRawBufferPointer, bitWidth w: Int, count: Int, into out: UnsafeMutablePointer<T>,
        rleLimit: UInt64
    ) throws(FloeError) -> Int {
        try checkCount(count)
        guard count > 0 else { return 0 }
        if w == 0 {
            out.update(repeating: 0, count: count)
            return zeroWidthRunBytes(src, count: count)
        }
        let n = src.count
        guard let base = src.baseAddress else {
            throw FloeError.corrupt("RLE/bit-packed data is empty but \(count) values are expected", offset: 0)
        }
        let valueBytes = (w &+ 7) &>> 3
        var pos = 0
        var produced = 0
        while produced < count {
            guard pos < n else {
                throw FloeError.corrupt("RLE/bit-packed data ends after \(produced) of \(count) values", offset: pos)
            }
            let runStart = pos
            let header = try readULEB128(base, n, &pos)
            let remaining = count &- produced
            if header & 1 == 0 {
                let length = header &>> 1
                guard valueBytes <= n &- pos else {
                    throw FloeError.corrupt("RLE run at offset \(runStart) is cut short: its value needs \(valueBytes) bytes",
                                            offset: pos)
                }
                let value = loadPartialLE(base + pos, valueBytes)
                guard value <= rleLimit else {
                    throw FloeError.corrupt("RLE run value \(value) exceeds \(rleLimit)", offset: pos)
                }
                pos &+= valueBytes
                let take = length >= UInt64(remaining) ? remaining : Int(length)
                (out + produced).update(repeating: T(truncatingIfNeeded: value), count: take)
                produced &+= take
            } else {
                let groups = header &>> 1
                let values = groups >= UInt64((remaining &+ 7) &>> 3) ? remaining : Int(groups) &* 8
                let available = n &- pos
                let need = BitPacking.packedByteCount(count: values, bitWidth: w)
                guard need <= available else {
                    throw FloeError.corrupt(
                        "bit-packed run at offset \(runStart) needs \(need) bytes for \(values) values but \(available) remain",
                        offset: n)
                }
                BitPacking.unpackLSB(base + pos, available: available, bitWidth: w, count: values, into: out + produced)
                produced &+= values
                let declared = groups > UInt64(available / w) ? available : Int(groups) &* w
                pos &+= declared
            }
        }
        return pos
    }

    /// With bit width 0 the values carry no bits; this walks the run headers that are present
    /// (each run has no payload) and returns their length, tolerating their absence.
    static func zeroWidthRunBytes(_ src: UnsafeRawBufferPointer, count: Int) -> Int {
        guard let base = src.baseAddress else { return 0 }
        var pos = 0
        var produced: UInt64 = 0
        while produced < UInt64(count), pos < src.count {
            var p = pos
            guard let header = try? readULEB128(base, src.count, &p) else { break }
            pos = p
            let length = header & 1 == 0 ? header &>> 1 : (header &>> 1) &* 8
            produced = produced &+ Swift.min(length, UInt64(count))
        }
        return pos
    }

    /// The longest run one header may declare (the spec caps run lengths at 2³¹ − 1).
    static let maxRunLength = Int(Int32.max)

    /// Encodes with RLE runs for 8+ repeats and bit-packed runs (multiples of 8 values) between.
    static func encodeRuns<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, bitWidth w: Int, into out: inout ByteWriter
    ) {
        let n = values.count
        guard n > 0, let v = values.baseAddress else { return }
        let mask: UInt64 = w >= 64 ? ~0 : (1 &<< UInt64(w)) &- 1
        let valueBytes = (w &+ 7) &>> 3
        var literalStart = 0
        var i = 0
        while i < n {
            let x = v[i]
            let j = runEnd(v, i, n)
            var run = j &- i
            if run >= 8 {
                let pending = i &- literalStart
                let pad = (8 &- (pending & 7)) & 7
                if pad > 0 {
                    guard run &- pad >= 8 else { i = j; continue }
                    // Complete the pending literal's last group with values of this run.
                    i &+= pad
                    run &-= pad
                }
                if i > literalStart { appendLiteral(v + literalStart, count: i &- literalStart, bitWidth: w, into: &out) }
                let value = UInt64(truncatingIfNeeded: x) & mask
                while run > 0 {
                    let take = Swift.min(run, maxRunLength)
                    out.appendVarint(UInt64(take) &<< 1)
                    for k in 0..<valueBytes { out.append(UInt8(truncatingIfNeeded: value &>> UInt64(k &* 8))) }
                    run &-= take
                }
                i = j
                literalStart = j
            } else {
                i = j
            }
        }
        if literalStart < n { appendLiteral(v + literalStart, count: n &- literalStart, bitWidth: w, into: &out) }
    }

    /// The end of the run of values equal to `v[i]` starting at `i` (at most `n`); byte-wide
    /// values are compared eight at a time.
    @inline(__always)
    static func runEnd<T: FixedWidthInteger & UnsignedInteger>(_ v: UnsafePointer<T>, _ i: Int, _ n: Int) -> Int {
        let x = v[i]
        var j = i &+ 1
        if MemoryLayout<T>.size == 1 {
            let raw = UnsafeRawPointer(v)
            let pattern = UInt64(truncatingIfNeeded: x) &* 0x0101_0101_0101_0101
            while j &+ 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                if word != pattern { return j &+ ((word ^ pattern).littleEndian.trailingZeroBitCount &>> 3) }
                j &+= 8
            }
        }
        while j < n && v[j] == x { j &+= 1 }
        return j
    }

    /// Appends bit-packed runs for `count` values (zero-padded to whole groups).
    static func appendLiteral<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafePointer<T>, count: Int, bitWidth w: Int, into out: inout ByteWriter
    ) {
        let maxGroups = maxRunLength / 8
        var start = 0
        while start < count {
            let m = Swift.min(count &- start, maxGroups &* 8)
            let groups = (m &+ 7) &>> 3
            out.appendVarint(UInt64(groups) &<< 1 | 1)
            let chunk = values + start
            out.appendZeroed(groups &* w) { dst in BitPacking.packPadded(chunk, count: m, bitWidth: w, into: dst) }
            start &+= m
        }
    }
}
