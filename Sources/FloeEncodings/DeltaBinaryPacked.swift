import FloeCore

/// DELTA_BINARY_PACKED (Parquet encoding 5) for INT32 and INT64.
///
/// A header `<block size> <miniblocks per block> <total count> <first value (zigzag)>` (ULEB128
/// varints), then blocks of `<min delta (zigzag)> <one bit-width byte per miniblock>
/// <miniblocks>`, each miniblock holding `block size / miniblocks` deltas minus the min delta,
/// packed LSB first. Arithmetic wraps (two's complement), as the spec requires.
public enum DeltaBinaryPacked {
    /// Decodes `count` INT32 values, appending them to `out`.
    ///
    /// The header's total count must be at least `count`; values past `count` are skipped. The
    /// miniblocks the stream needs must be complete (the last one padded to full size), as the
    /// spec requires; miniblocks of the last block past the total count take no bytes.
    ///
    /// - Returns: the bytes consumed: the whole stream, up to the end of its last miniblock.
    public static func decodeInt32(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout [Int32]) throws(FloeError) -> Int {
        try checkCount(count)
        guard count > 0 else { return try scan(src, count: 0, maxBitWidth: 32)?.1 ?? 0 }
        let header = try readHeader(src, count: count)
        var end = 0
        try out.appendFilling(count, zero: 0) { (dst: UnsafeMutablePointer<Int32>) throws(FloeError) in
            try dst.withMemoryRebound(to: UInt32.self, capacity: count) { (o: UnsafeMutablePointer<UInt32>) throws(FloeError) in
                end = try decodeInPlace(src, header: header, count: count, stopAfter: header.total, into: o, maxBitWidth: 32)
            }
        }
        return end
    }

    /// Decodes `count` INT64 values, appending them to `out`; see ``decodeInt32(_:count:appendingTo:)``.
    public static func decodeInt64(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout [Int64]) throws(FloeError) -> Int {
        try checkCount(count)
        guard count > 0 else { return try scan(src, count: 0, maxBitWidth: 64)?.1 ?? 0 }
        let header = try readHeader(src, count: count)
        var end = 0
        try out.appendFilling(count, zero: 0) { (dst: UnsafeMutablePointer<Int64>) throws(FloeError) in
            try dst.withMemoryRebound(to: UInt64.self, capacity: count) { (o: UnsafeMutablePointer<UInt64>) throws(FloeError) in
                end = try decodeInPlace(src, header: header, count: count, stopAfter: header.total, into: o, maxBitWidth: 64)
            }
        }
        return end
    }

    /// Appends the encoding of `v` with blocks of 128 values in 4 miniblocks of 32.
    public static func encodeInt32(_ v: UnsafeBufferPointer<Int32>, into out: inout ByteWriter) {
        encodeCore(v, into: &out)
    }

    /// Appends the encoding of `v` with blocks of 128 values in 4 miniblocks of 32.
    public static func encodeInt64(_ v: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        encodeCore(v, into: &out)
    }

    // MARK: - Internals

    /// Values unpacked per step into the stack scratch buffer.
    static let chunk = 256

    /// The stream header.
    struct Header {
        var perMiniblock: Int
        var miniblocks: Int
        var total: Int
        var first: UInt64
        var end: Int
    }

    /// Decodes `count` values into `out` (values are computed in 64-bit wrapping arithmetic and
    /// truncated to `T`, which equals wrapping arithmetic in `T`). The whole stream's structure
    /// is checked before any value is written. Returns the stream's length.
    static func decodeCore<T: FixedWidthInteger>(_ src: UnsafeRawBufferPointer, count: Int,
                                                 into out: UnsafeMutablePointer<T>, maxBitWidth: Int) throws(FloeError) -> Int {
        guard let (header, end) = try scan(src, count: count, maxBitWidth: maxBitWidth) else { return 0 }
        try decodeValues(src, header: header, count: count, into: out, maxBitWidth: maxBitWidth)
        return end
    }

    /// Checks the header against `count` and walks every block, checking that the stream holds
    /// all its values. Returns the header and the stream's length, or nil for an empty input
    /// when `count` is 0.
    static func scan(_ src: UnsafeRawBufferPointer, count: Int, maxBitWidth: Int) throws(FloeError) -> (Header, Int)? {
        let n = src.count
        guard n > 0, let base = src.baseAddress else {
            // No stream at all is acceptable only when no value is wanted.
            if count == 0 { return nil }
            throw FloeError.corrupt("DELTA_BINARY_PACKED data is empty but \(count) values are expected", offset: 0)
        }
        let header = try readHeader(base, n, count: count)
        let end = try walk(base, n, header, stopAfter: header.total, maxBitWidth: maxBitWidth) { (_, _, _, _, _) throws(FloeError) in }
        return (header, end)
    }

    /// Reads the header of a stream that must hold at least `count` (> 0) values.
    static func readHeader(_ src: UnsafeRawBufferPointer, count: Int) throws(FloeError) -> Header {
        guard src.count > 0, let base = src.baseAddress else {
            throw FloeError.corrupt("DELTA_BINARY_PACKED data is empty but \(count) values are expected", offset: 0)
        }
        return try readHeader(base, src.count, count: count)
    }

    static func readHeader(_ base: UnsafeRawPointer, _ n: Int, count: Int) throws(FloeError) -> Header {
        var pos = 0
        let blockSize = try readULEB128(base, n, &pos)
        let miniblocksAt = pos
        let miniblocks = try readULEB128(base, n, &pos)
        let totalAt = pos
        let total = try readULEB128(base, n, &pos)
        let first = try readZigZag64(base, n, &pos)
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(Int32.max) else {
            throw FloeError.corrupt("DELTA_BINARY_PACKED block size \(blockSize) is not a positive multiple of 128", offset: 0)
        }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw FloeError.corrupt("DELTA_BINARY_PACKED block of \(blockSize) values cannot have \(miniblocks) miniblocks",
                                    offset: miniblocksAt)
        }
        guard total >= UInt64(count) else {
            throw FloeError.corrupt("DELTA_BINARY_PACKED header declares \(total) values but \(count) are expected",
                                    offset: totalAt)
        }
        return Header(perMiniblock: Int(blockSize / miniblocks), miniblocks: Int(miniblocks),
                      total: Int(clamping: total), first: UInt64(bitPattern: first), end: pos)
    }

    /// Walks the miniblocks holding values 1 ..< min(total, stopAfter), checking each; calls
    /// `body(minDelta, width, byteOffset, firstValueIndex, valueCount)` for each. Returns the
    /// offset after the last miniblock visited.
    @inline(__always)
    static func walk(_ base: UnsafeRawPointer, _ n: Int, _ header: Header, stopAfter: Int, maxBitWidth: Int,
                     _ body: (UInt64, Int, Int, Int, Int) throws(FloeError) -> Void) throws(FloeError) -> Int {
        var pos = header.end
        let limit = Swift.min(header.total, stopAfter)
        var decoded = 1
        while decoded < limit {
            let blockStart = pos
            let minDelta = UInt64(bitPattern: try readZigZag64(base, n, &pos))
            guard header.miniblocks <= n &- pos else {
                throw FloeError.corrupt("DELTA_BINARY_PACKED block at offset \(blockStart) is cut short in its bit widths",
                                        offset: n)
            }
            let widthsAt = pos
            pos &+= header.miniblocks
            for m in 0..<header.miniblocks {
                if decoded >= limit { break }
                let width = Int(base.load(fromByteOffset: widthsAt &+ m, as: UInt8.self))
                guard width <= maxBitWidth else {
                    throw FloeError.corrupt("DELTA_BINARY_PACKED miniblock bit width \(width) exceeds \(maxBitWidth)",
                                            offset: widthsAt &+ m)
                }
                let bytes = (header.perMiniblock &* width) &>> 3
                guard bytes <= n &- pos else {
                    throw FloeError.corrupt(
                        "DELTA_BINARY_PACKED miniblock at offset \(pos) needs \(bytes) bytes but \(n &- pos) remain",
                        offset: n)
                }
                let values = Swift.min(header.perMiniblock, header.total &- decoded)
                try body(minDelta, width, pos, decoded, values)
                decoded &+= values
                pos &+= bytes
            }
        }
        return pos
    }

    /// Decodes the first `count` values of a stream ``scan(_:count:maxBitWidth:)`` accepted.
    static func decodeValues<T: FixedWidthInteger>(_ src: UnsafeRawBufferPointer, header: Header, count: Int,
                                                   into out: UnsafeMutablePointer<T>, maxBitWidth: Int) throws(FloeError) {
        guard count > 0 else { return }
        // 32- and 64-bit outputs: unpack each miniblock straight into the output and add up the
        // deltas in place, in the unsigned type of the output's width (wrapping arithmetic in
        // that width is what the spec asks for).
        if T.bitWidth == 32 {
            try out.withMemoryRebound(to: UInt32.self, capacity: count) { (o: UnsafeMutablePointer<UInt32>) throws(FloeError) in
                _ = try decodeInPlace(src, header: header, count: count, stopAfter: count, into: o, maxBitWidth: maxBitWidth)
            }
        } else if T.bitWidth == 64 {
            try out.withMemoryRebound(to: UInt64.self, capacity: count) { (o: UnsafeMutablePointer<UInt64>) throws(FloeError) in
                _ = try decodeInPlace(src, header: header, count: count, stopAfter: count, into: o, maxBitWidth: maxBitWidth)
            }
        } else {
            try decodeThroughScratch(src, header: header, count: count, into: out, maxBitWidth: maxBitWidth)
        }
    }

    /// Decodes the first `count` values into `out` while walking (and checking) the miniblocks
    /// holding values up to `stopAfter`; returns the offset after the last miniblock walked.
    @inline(__always)
    static func decodeInPlace<U: FixedWidthInteger & UnsignedInteger>(_ src: UnsafeRawBufferPointer, header: Header, count: Int,
                                                                      stopAfter: Int, into out: UnsafeMutablePointer<U>,
                                                                      maxBitWidth: Int) throws(FloeError) -> Int {
        guard let base = src.baseAddress else { return 0 }
        let n = src.count
        var previous = U(truncatingIfNeeded: header.first)
        out[0] = previous
        return try walk(base, n, header, stopAfter: stopAfter, maxBitWidth: maxBitWidth) {
            (minDelta, width, offset, firstIndex, values) throws(FloeError) in
            guard firstIndex < count else { return }
            let c = Swift.min(values, count &- firstIndex)
            let o = out + firstIndex
            let m = U(truncatingIfNeeded: minDelta)
            if width == 0 {
                for k in 0..<c {
                    previous = previous &+ m
                    o[k] = previous
                }
                return
            }
            // Whole groups of 8 straight from the stream when the kernel's 8-byte over-read
            // stays inside it; the rest (and streams ending right there) the careful way.
            let groups = c &>> 3
            let groupBytes = groups &* width
            if groups > 0 && groupBytes &+ 8 <= n &- offset {
                BitPacking.unpackGroups(base + offset, groups: groups, into: o, bitWidth: width)
                if c & 7 != 0 {
                    let at = offset &+ groupBytes
                    BitPacking.unpackLSB(base + at, available: n &- at, bitWidth: width, count: c & 7, into: o + (groups &<< 3))
                }
            } else {
                BitPacking.unpackLSB(base + offset, available: n &- offset, bitWidth: width, count: c, into: o)
            }
            // One add per value on the dependency chain: the delta is formed off it.
            for k in 0..<c {
                let delta = o[k] &+ m
                previous = previous &+ delta
                o[k] = previous
            }
        }
    }

    /// The general path (outputs of other widths): unpack into a 64-bit scratch buffer, add up
    /// in 64-bit wrapping arithmetic and truncate to `T`.
    static func decodeThroughScratch<T: FixedWidthInteger>(_ src: UnsafeRawBufferPointer, header: Header, count: Int,
                                                           into out: UnsafeMutablePointer<T>, maxBitWidth: Int) throws(FloeError) {
        guard count > 0, let base = src.baseAddress else { return }
        let n = src.count
        var previous = header.first
        out[0] = T(truncatingIfNeeded: previous)
        guard count > 1 else { return }
        var failure: FloeError?
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: chunk) { scratchBuffer in
            guard let scratch = scratchBuffer.baseAddress else { return }
            do throws(FloeError) {
                _ = try walk(base, n, header, stopAfter: count, maxBitWidth: maxBitWidth) {
                    (minDelta, width, offset, firstIndex, values) throws(FloeError) in
                    let wanted = Swift.min(values, count &- firstIndex)
                    var done = 0
                    while done < wanted {
                        let c = Swift.min(chunk, wanted &- done)
                        let at = offset &+ (done &>> 3) &* width
                        BitPacking.unpackLSB(base + at, available: n &- at, bitWidth: width, count: c, into: scratch)
                        let o = out + (firstIndex &+ done)
                        for k in 0..<c {
                            previous = previous &+ minDelta &+ scratch[k]
                            o[k] = T(truncatingIfNeeded: previous)
                        }
                        done &+= c
                    }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Encodes with blocks of 128 deltas in 4 miniblocks of 32.
    static func encodeCore<T: FixedWidthInteger & SignedInteger>(_ v: UnsafeBufferPointer<T>, into out: inout ByteWriter)
    where T.Magnitude: FixedWidthInteger & UnsignedInteger {
        let count = v.count
        out.appendVarint(128)
        out.appendVarint(4)
        out.appendVarint(UInt64(count))
        guard count > 0, let values = v.baseAddress else {
            out.appendZigZag(0)
            return
        }
        out.appendZigZag(Int64(values[0]))
        guard count > 1 else { return }
        withUnsafeTemporaryAllocation(of: T.Magnitude.self, capacity: 128) { relBuffer in
            guard let rel = relBuffer.baseAddress else { return }
            var i = 1
            while i < count {
                let n = Swift.min(128, count &- i)
                var minDelta = T.max
                for k in 0..<n {
                    let d = values[i &+ k] &- values[i &+ k &- 1]
                    minDelta = Swift.min(minDelta, d)
                }
                for k in 0..<n {
                    let d = values[i &+ k] &- values[i &+ k &- 1]
                    rel[k] = T.Magnitude(truncatingIfNeeded: d &- minDelta)
                }
                out.appendZigZag(Int64(minDelta))
                let needed = (n &+ 31) &>> 5
                // The four bit-width bytes (0 for miniblocks past the values), then the miniblocks.
                let widthsAt = out.count
                out.appendLittleEndian(UInt32(0))
                for m in 0..<needed {
                    var bits: T.Magnitude = 0
                    for k in (m &* 32)..<Swift.min(n, m &* 32 &+ 32) { bits |= rel[k] }
                    let w = T.Magnitude.bitWidth &- bits.leadingZeroBitCount
                    out.bytes[widthsAt &+ m] = UInt8(truncatingIfNeeded: w)
                    let start = rel + m &* 32
                    let c = Swift.min(32, n &- m &* 32)
                    out.appendZeroed(4 &* w) { dst in BitPacking.packPadded(start, count: c, bitWidth: w, into: dst) }
                }
                i &+= n
            }
        }
    }
}

extension Array where Element: BitwiseCopyable {
    /// Like `appendFilling`, but also runs `body` (with a dangling-free scratch pointer) when
    /// `n` is 0, so decoders still validate their input for zero values.
    @inline(__always)
    mutating func appendFillingOrEmpty(_ n: Int, zero: Element,
                                       _ body: (UnsafeMutablePointer<Element>) throws(FloeError) -> Void) throws(FloeError) {
        if n > 0 {
            try appendFilling(n, zero: zero, body)
        } else {
            var scratch = zero
            try body(&scratch)
        }
    }
}
