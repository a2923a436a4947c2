import FloeCore

/// Dictionary indices of RLE_DICTIONARY / PLAIN_DICTIONARY data pages: one byte holding the bit
/// width (at most 32), then the indices in the RLE / bit-packing hybrid encoding.
public enum DictionaryIndices {
    /// Decodes exactly `count` indices.
    ///
    /// - Returns: the bytes consumed (the width byte included).
    /// - Throws: `.corrupt` for a missing width byte, a width above 32, or index data that ends
    ///   too early (with the byte offset in `src`).
    public static func decode(_ src: UnsafeRawBufferPointer, count: Int,
                              into out: UnsafeMutablePointer<UInt32>) throws(FloeError) -> Int {
        try checkCount(count)
        guard count > 0 else { return 0 }
        guard let base = src.baseAddress, src.count > 0 else {
            throw FloeError.corrupt("dictionary index data is empty but \(count) indices are expected", offset: 0)
        }
        let width = Int(base.load(as: UInt8.self))
        guard width <= 32 else {
            throw FloeError.corrupt("dictionary index bit width \(width) exceeds 32", offset: 0)
        }
        let rest = UnsafeRawBufferPointer(rebasing: src[1...])
        do {
            return try 1 &+ RLEHybrid.decodeRuns(rest, bitWidth: width, count: count, into: out, rleLimit: .max)
        } catch {
            var e = error
            if let o = e.location.offset { e.location.offset = o &+ 1 }
            throw e
        }
    }

    /// The bit width used for indices into a dictionary of `dictionarySize` entries: enough for
    /// the largest index, and at least 1 (some readers mishandle a width of 0).
    @inlinable
    public static func bitWidth(dictionarySize: Int) -> Int {
        Swift.max(1, RLEHybrid.bitWidth(forMax: UInt64(Swift.max(0, dictionarySize &- 1))))
    }

    /// Appends the width byte and the RLE / bit-packed indices for a dictionary of
    /// `dictionarySize` entries.
    public static func encode(_ indices: UnsafeBufferPointer<UInt32>, dictionarySize: Int, into out: inout ByteWriter) {
        let width = bitWidth(dictionarySize: dictionarySize)
        out.append(UInt8(width))
        RLEHybrid.encodeRuns(indices, bitWidth: width, into: &out)
    }
}

/// Materialises dictionary-encoded values: `out.append(dict[index])` for each index, checked.
///
/// Every index is checked against the dictionary size; an index out of range throws `.corrupt`
/// naming the index and the size, and leaves the output as it was.
public enum DictionaryGather {
    /// Gathers INT32 values.
    public static func gather(_ dict: [Int32], indices: UnsafeBufferPointer<UInt32>,
                              appendingTo out: inout [Int32]) throws(FloeError) {
        try gatherTrivial(dict, indices, &out, zero: 0)
    }

    /// Gathers INT64 values.
    public static func gather(_ dict: [Int64], indices: UnsafeBufferPointer<UInt32>,
                              appendingTo out: inout [Int64]) throws(FloeError) {
        try gatherTrivial(dict, indices, &out, zero: 0)
    }

    /// Gathers FLOAT values.
    public static func gather(_ dict: [Float], indices: UnsafeBufferPointer<UInt32>,
                              appendingTo out: inout [Float]) throws(FloeError) {
        try gatherTrivial(dict, indices, &out, zero: 0)
    }

    /// Gathers DOUBLE values.
    public static func gather(_ dict: [Double], indices: UnsafeBufferPointer<UInt32>,
                              appendingTo out: inout [Double]) throws(FloeError) {
        try gatherTrivial(dict, indices, &out, zero: 0)
    }

    /// Gathers BOOLEAN values.
    public static func gather(_ dict: [Bool], indices: UnsafeBufferPointer<UInt32>,
                              appendingTo out: inout [Bool]) throws(FloeError) {
        try gatherTrivial(dict, indices, &out, zero: false)
    }

    /// Gathers BYTE_ARRAY values; the output bytes grow once, by exactly the bytes gathered.
    ///
    /// A few index bytes can repeat a long dictionary value many times, so the output size is
    /// computed first and checked against `maxBytes` (`.limitExceeded` when above).
    public static func gather(_ dict: BinaryValues, indices: UnsafeBufferPointer<UInt32>,
                              appendingTo out: inout BinaryValues,
                              maxBytes: Int = DecodeLimits.defaultMaxBytes) throws(FloeError) {
        let count = indices.count
        guard count > 0, let idx = indices.baseAddress else { return }
        let size = dict.count
        // Pass 1: check every index and add up the lengths.
        let total: Int = try dict.offsets.withUnsafeBufferPointer { (offsets) throws(FloeError) -> Int in
            guard let o = offsets.baseAddress else { return 0 }
            var sum = 0
            for i in 0..<count {
                let k = Int(idx[i])
                guard k < size else { throw outOfRange(k, size: size, position: i) }
                sum &+= o[k &+ 1] &- o[k]
                if sum > maxBytes { throw tooLarge(maxBytes) }
            }
            return sum
        }
        // Pass 2: copy.
        let oldBytes = out.bytes.count
        let oldOffsets = out.offsets.count
        out.bytes.append(contentsOf: repeatElement(0, count: total))
        out.offsets.append(contentsOf: repeatElement(0, count: count))
        dict.bytes.withUnsafeBytes { dictBytes in
            dict.offsets.withUnsafeBufferPointer { offsets in
                out.bytes.withUnsafeMutableBytes { outBytes in
                    out.offsets.withUnsafeMutableBufferPointer { outOffsets in
                        guard let o = offsets.baseAddress, let oo = outOffsets.baseAddress else { return }
                        let dst = outBytes.baseAddress
                        let src = dictBytes.baseAddress
                        var at = oldBytes
                        let end = oldBytes &+ total
                        let oOut = oo + oldOffsets
                        for i in 0..<count {
                            let k = Int(idx[i])
                            let start = o[k]
                            let length = o[k &+ 1] &- start
                            if let d = dst, let s = src {
                                copyWithSlack(d + at, dstRoom: end &- at, s + start, srcRoom: dictBytes.count &- start, length)
                            }
                            at &+= length
                            oOut[i] = at
                        }
                    }
                }
            }
        }
    }

    /// Gathers FIXED_LEN_BYTE_ARRAY / INT96 values (`out.width` must equal `dict.width`); more
    /// than `maxBytes` output bytes throws `.limitExceeded`.
    public static func gather(_ dict: FixedWidthValues, indices: UnsafeBufferPointer<UInt32>,
                              appendingTo out: inout FixedWidthValues,
                              maxBytes: Int = DecodeLimits.defaultMaxBytes) throws(FloeError) {
        guard out.width == dict.width else {
            throw FloeError.invalidArgument("output width \(out.width) differs from dictionary width \(dict.width)")
        }
        let count = indices.count
        guard count > 0, let idx = indices.baseAddress else { return }
        let size = dict.count
        let width = dict.width
        for i in 0..<count where Int(idx[i]) >= size {
            throw outOfRange(Int(idx[i]), size: size, position: i)
        }
        guard width > 0 else { return }
        let (total, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, total <= maxBytes else { throw tooLarge(maxBytes) }
        try out.bytes.appendFilling(total, zero: 0) { (dst: UnsafeMutablePointer<UInt8>) throws(FloeError) in
            dict.bytes.withUnsafeBytes { dictBytes in
                guard let s = dictBytes.baseAddress else { return }
                let d = UnsafeMutableRawPointer(dst)
                for i in 0..<count {
                    copySmall(d + i &* width, s + Int(idx[i]) &* width, width)
                }
            }
        }
    }

    // MARK: - Internals

    static func tooLarge(_ maxBytes: Int) -> FloeError {
        FloeError(.limitExceeded, "dictionary-encoded values exceed \(maxBytes) bytes")
    }

    static func outOfRange(_ index: Int, size: Int, position: Int) -> FloeError {
        FloeError.corrupt("dictionary index \(index) at position \(position) is out of range for a dictionary of \(size) values")
    }

    @inline(__always)
    static func gatherTrivial<T: BitwiseCopyable>(_ dict: [T], _ indices: UnsafeBufferPointer<UInt32>,
                                                  _ out: inout [T], zero: T) throws(FloeError) {
        let count = indices.count
        guard count > 0, let idx = indices.baseAddress else { return }
        let size = dict.count
        try dict.withUnsafeBufferPointer { (d) throws(FloeError) in
            guard let dp = d.baseAddress else {
                throw outOfRange(Int(idx[0]), size: 0, position: 0)
            }
            try out.appendFilling(count, zero: zero) { (dst: UnsafeMutablePointer<T>) throws(FloeError) in
                // Process in blocks: check a block's indices, then copy it without branches.
                var i = 0
                while i < count {
                    let end = Swift.min(count, i &+ 1024)
                    var maxIndex: UInt32 = 0
                    for j in i..<end { maxIndex = Swift.max(maxIndex, idx[j]) }
                    if Int(maxIndex) >= size {
                        for j in i..<end where Int(idx[j]) >= size {
                            throw outOfRange(Int(idx[j]), size: size, position: j)
                        }
                    }
                    for j in i..<end { dst[j] = dp[Int(idx[j])] }
                    i = end
                }
            }
        }
    }
}
