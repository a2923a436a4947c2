import FloeCore

/// BOOLEAN values in the RLE encoding (data pages v1 and v2): a 4-byte little-endian length,
/// then that many bytes of RLE / bit-packed hybrid data of bit width 1.
public enum BooleanRLE {
    /// Decodes exactly `count` booleans, appending them to `out`.
    ///
    /// - Returns: the bytes consumed: 4 plus the declared length.
    /// - Throws: `.corrupt` when the length prefix is missing or exceeds the data, when the runs
    ///   end before `count` values, or when an RLE run repeats a value other than 0 or 1.
    public static func decode(_ src: UnsafeRawBufferPointer, count: Int,
                              appendingTo out: inout [Bool]) throws(FloeError) -> Int {
        try checkCount(count)
        if count == 0 && src.isEmpty { return 0 }
        guard src.count >= 4, let base = src.baseAddress else {
            throw FloeError.corrupt("RLE BOOLEAN data of \(src.count) bytes lacks its 4-byte length", offset: 0)
        }
        let length = Int(UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)))
        guard length <= src.count &- 4 else {
            throw FloeError.corrupt("RLE BOOLEAN length \(length) exceeds the \(src.count &- 4) bytes that follow", offset: 0)
        }
        let body = UnsafeRawBufferPointer(start: base + 4, count: length)
        try out.appendFilling(count, zero: false) { (dst: UnsafeMutablePointer<Bool>) throws(FloeError) in
            // Bool is one byte holding 0 or 1; the decoder only writes 0 or 1 (RLE values are
            // checked against 1, bit-packed values have one bit).
            var failure: FloeError?
            UnsafeMutableRawPointer(dst).withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                do throws(FloeError) {
                    _ = try RLEHybrid.decodeRuns(body, bitWidth: 1, count: count, into: bytes, rleLimit: 1)
                } catch {
                    failure = error
                }
            }
            if var e = failure {
                if let o = e.location.offset { e.location.offset = o &+ 4 }
                throw e
            }
        }
        return 4 &+ length
    }

    /// Appends the 4-byte length and the RLE / bit-packed encoding (bit width 1) of `v`.
    public static func encode(_ v: UnsafeBufferPointer<Bool>, into out: inout ByteWriter) {
        let lengthAt = out.count
        out.appendLittleEndian(UInt32(0))
        if let base = v.baseAddress, v.count > 0 {
            UnsafeRawPointer(base).withMemoryRebound(to: UInt8.self, capacity: v.count) { bytes in
                RLEHybrid.encodeRuns(UnsafeBufferPointer(start: bytes, count: v.count), bitWidth: 1, into: &out)
            }
        }
        let length = UInt32(truncatingIfNeeded: out.count &- lengthAt &- 4)
        for k in 0..<4 { out.bytes[lengthAt &+ k] = UInt8(truncatingIfNeeded: length &>> UInt32(k &* 8)) }
    }
}
