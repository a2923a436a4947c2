import FloeCore

/// DELTA_LENGTH_BYTE_ARRAY (Parquet encoding 6): the lengths of all values as one
/// DELTA_BINARY_PACKED INT32 stream, then the values' bytes back to back.
public enum DeltaLengthByteArray {
    /// Decodes `count` values, appending them to `out` (on error `out` is left as it was).
    ///
    /// - Returns: the bytes consumed (the lengths stream and the bytes of the values).
    /// - Throws: `.corrupt` for a bad lengths stream, a negative length, or lengths that add up
    ///   to more bytes than follow the stream.
    public static func decode(_ src: UnsafeRawBufferPointer, count: Int,
                              appendingTo out: inout BinaryValues) throws(FloeError) -> Int {
        try checkCount(count)
        let oldBytes = out.bytes.count
        var lengthsEnd = 0
        var total = 0
        // Decode the lengths straight into the new offsets, then turn them into end offsets.
        guard let (header, end) = try DeltaBinaryPacked.scan(src, count: count, maxBitWidth: 32) else { return 0 }
        lengthsEnd = end
        try out.offsets.appendFilling(count, zero: 0) { (dst: UnsafeMutablePointer<Int>) throws(FloeError) in
            try DeltaBinaryPacked.decodeValues(src, header: header, count: count, into: dst, maxBitWidth: 32)
            let available = src.count &- lengthsEnd
            for i in 0..<count {
                let length = Int(Int32(truncatingIfNeeded: dst[i]))
                guard length >= 0, length <= available &- total else {
                    throw FloeError.corrupt(
                        "DELTA_LENGTH_BYTE_ARRAY value \(i) has length \(length) but \(available &- total) bytes remain",
                        offset: lengthsEnd &+ total)
                }
                total &+= length
                dst[i] = oldBytes &+ total
            }
        }
        if total > 0, let base = src.baseAddress {
            out.bytes.append(contentsOf: UnsafeRawBufferPointer(start: base + lengthsEnd, count: total))
        }
        return lengthsEnd &+ total
    }

    /// Appends the encoding of the values `range` of `v`.
    public static func encode(_ v: BinaryValues, range: Range<Int>, into out: inout ByteWriter) {
        let lengths = (range.lowerBound..<range.upperBound).map { Int32(truncatingIfNeeded: v.offsets[$0 &+ 1] &- v.offsets[$0]) }
        lengths.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt32($0, into: &out) }
        guard !range.isEmpty else { return }
        v.bytes.withUnsafeBytes { b in
            out.append(raw: UnsafeRawBufferPointer(rebasing: b[v.offsets[range.lowerBound]..<v.offsets[range.upperBound]]))
        }
    }
}

/// DELTA_BYTE_ARRAY (Parquet encoding 7), front coding: the length of the prefix each value
/// shares with the previous one (a DELTA_BINARY_PACKED stream), then the suffixes as
/// DELTA_LENGTH_BYTE_ARRAY.
public enum DeltaByteArray {
    /// Decodes `count` values, appending them to `out` (on error `out` is left as it was).
    ///
    /// Front coding can expand a small input a lot (every value may repeat a long prefix), so
    /// the output size is computed and checked before anything is allocated.
    ///
    /// - Parameter maxBytes: the most value bytes to produce; more throws `.limitExceeded`.
    /// - Returns: the bytes consumed.
    /// - Throws: `.corrupt` for bad streams, a prefix longer than the previous value, or suffix
    ///   lengths exceeding the data.
    public static func decode(_ src: UnsafeRawBufferPointer, count: Int, appendingTo out: inout BinaryValues,
                              maxBytes: Int = DecodeLimits.defaultMaxBytes) throws(FloeError) -> Int {
        try checkCount(count)
        // Check both length streams before allocating anything.
        let prefixScan = try DeltaBinaryPacked.scan(src, count: count, maxBitWidth: 32)
        do {
            _ = try DeltaBinaryPacked.scan(UnsafeRawBufferPointer(rebasing: src[(prefixScan?.1 ?? 0)...]), count: count, maxBitWidth: 32)
        } catch {
            throw error.shifted(by: prefixScan?.1 ?? 0)
        }
        // Prefix lengths, then suffix lengths.
        var prefixes = [Int]()
        let prefixEnd = try withAppended(&prefixes, count) { (p: UnsafeMutablePointer<Int>) throws(FloeError) -> Int in
            try DeltaBinaryPacked.decodeCore(src, count: count, into: p, maxBitWidth: 32)
        }
        let rest = UnsafeRawBufferPointer(rebasing: src[prefixEnd...])
        var suffixes = [Int]()
        let suffixLengthsEnd: Int
        do {
            suffixLengthsEnd = try prefixEnd &+ withAppended(&suffixes, count) { (p: UnsafeMutablePointer<Int>) throws(FloeError) -> Int in
                try DeltaBinaryPacked.decodeCore(rest, count: count, into: p, maxBitWidth: 32)
            }
        } catch {
            throw error.shifted(by: prefixEnd)
        }
        // Check every length and size the output exactly.
        let available = src.count &- suffixLengthsEnd
        var suffixTotal = 0
        var total = 0
        var previous = 0
        for i in 0..<count {
            let p = Int(Int32(truncatingIfNeeded: prefixes[i]))
            let s = Int(Int32(truncatingIfNeeded: suffixes[i]))
            guard p >= 0, p <= previous else {
                throw FloeError.corrupt("DELTA_BYTE_ARRAY value \(i) has prefix length \(p) but the previous value has \(previous) bytes",
                                        offset: 0)
            }
            guard s >= 0, s <= available &- suffixTotal else {
                throw FloeError.corrupt("DELTA_BYTE_ARRAY value \(i) has suffix length \(s) but \(available &- suffixTotal) bytes remain",
                                        offset: suffixLengthsEnd &+ suffixTotal)
            }
            suffixTotal &+= s
            previous = p &+ s
            total &+= previous
            guard total <= maxBytes else {
                throw FloeError(.limitExceeded, "DELTA_BYTE_ARRAY values exceed \(maxBytes) bytes")
            }
        }
        // Copy: the prefix from the previous value (already in the output), then the suffix.
        guard count > 0, let base = src.baseAddress else { return suffixLengthsEnd }
        let oldBytes = out.bytes.count
        let oldOffsets = out.offsets.count
        out.bytes.append(contentsOf: repeatElement(0, count: total))
        out.offsets.append(contentsOf: repeatElement(0, count: count))
        out.bytes.withUnsafeMutableBytes { bytes in
            out.offsets.withUnsafeMutableBufferPointer { offsets in
                guard let dst = bytes.baseAddress, let o = offsets.baseAddress else { return }
                var at = oldBytes
                var previousStart = oldBytes
                var suffixAt = suffixLengthsEnd
                for i in 0..<count {
                    let p = Int(Int32(truncatingIfNeeded: prefixes[i]))
                    let s = Int(Int32(truncatingIfNeeded: suffixes[i]))
                    let start = at
                    // The prefix comes from the previous value, just written: a plain copy (wide
                    // over-reads of fresh stores stall on store forwarding).
                    if p > 0 { copySmall(dst + at, UnsafeRawPointer(dst + previousStart), p) }
                    at &+= p
                    if s > 0 { copySmall(dst + at, base + suffixAt, s) }
                    at &+= s
                    suffixAt &+= s
                    o[oldOffsets &+ i] = at
                    previousStart = start
                }
            }
        }
        return suffixLengthsEnd &+ suffixTotal
    }

    /// Decodes `count` FIXED_LEN_BYTE_ARRAY values of `out.width` bytes; every value must have
    /// that length.
    public static func decodeFixed(_ src: UnsafeRawBufferPointer, count: Int,
                                   appendingTo out: inout FixedWidthValues) throws(FloeError) -> Int {
        let width = out.width
        guard width > 0 else { throw FloeError.unsupported("fixed-width values of width \(width)") }
        var values = BinaryValues()
        let (limit, overflow) = count.multipliedReportingOverflow(by: width)
        let used = try decode(src, count: count, appendingTo: &values, maxBytes: overflow ? Int.max : limit)
        for i in 0..<values.count where values.offsets[i &+ 1] &- values.offsets[i] != width {
            throw FloeError.corrupt("DELTA_BYTE_ARRAY value \(i) has \(values.offsets[i &+ 1] &- values.offsets[i]) bytes, not \(width)")
        }
        out.bytes.append(contentsOf: values.bytes)
        return used
    }

    /// Appends the encoding of the values `range` of `v`.
    public static func encode(_ v: BinaryValues, range: Range<Int>, into out: inout ByteWriter) {
        v.bytes.withUnsafeBytes { b in
            v.offsets.withUnsafeBufferPointer { o in
                encodeCore(b, count: range.count, into: &out) { i in
                    let k = range.lowerBound &+ i
                    return (o[k], o[k &+ 1] &- o[k])
                }
            }
        }
    }

    /// Appends the encoding of the fixed-width values `range` of `v`.
    public static func encodeFixed(_ v: FixedWidthValues, range: Range<Int>, into out: inout ByteWriter) {
        let width = v.width
        v.bytes.withUnsafeBytes { b in
            encodeCore(b, count: width > 0 ? range.count : 0, into: &out) { i in ((range.lowerBound &+ i) &* width, width) }
        }
    }

    // MARK: - Internals

    @inline(__always)
    static func encodeCore(_ bytes: UnsafeRawBufferPointer, count: Int, into out: inout ByteWriter,
                           value: (Int) -> (start: Int, length: Int)) {
        var prefixes = [Int32](repeating: 0, count: count)
        var suffixes = [Int32](repeating: 0, count: count)
        var suffixTotal = 0
        if let b = bytes.baseAddress {
            var previous = (start: 0, length: 0)
            for i in 0..<count {
                let current = value(i)
                let limit = Swift.min(previous.length, current.length)
                var p = 0
                while p &+ 8 <= limit && loadLE64(b, previous.start &+ p) == loadLE64(b, current.start &+ p) { p &+= 8 }
                while p < limit && b.load(fromByteOffset: previous.start &+ p, as: UInt8.self)
                        == b.load(fromByteOffset: current.start &+ p, as: UInt8.self) { p &+= 1 }
                prefixes[i] = Int32(truncatingIfNeeded: p)
                suffixes[i] = Int32(truncatingIfNeeded: current.length &- p)
                suffixTotal &+= current.length &- p
                previous = current
            }
        }
        prefixes.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt32($0, into: &out) }
        suffixes.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt32($0, into: &out) }
        guard suffixTotal > 0, let b = bytes.baseAddress else { return }
        out.appendZeroed(suffixTotal) { dst in
            var at = 0
            for i in 0..<count {
                let current = value(i)
                let s = Int(suffixes[i])
                copySmall(dst + at, b + (current.start &+ current.length &- s), s)
                at &+= s
            }
        }
    }

    /// Appends `n` zeros to `array` and runs `body` on them; removes them if it throws.
    @inline(__always)
    static func withAppended(_ array: inout [Int], _ n: Int,
                             _ body: (UnsafeMutablePointer<Int>) throws(FloeError) -> Int) throws(FloeError) -> Int {
        var result = 0
        try array.appendFillingOrEmpty(n, zero: 0) { (p: UnsafeMutablePointer<Int>) throws(FloeError) in result = try body(p) }
        return result
    }
}

extension FloeError {
    /// This error with its byte offset moved by `delta` (for errors from a sub-buffer).
    func shifted(by delta: Int) -> FloeError {
        var e = self
        if let o = e.location.offset { e.location.offset = o &+ delta }
        return e
    }
}
