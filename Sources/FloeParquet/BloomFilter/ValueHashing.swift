import FloeCore
import FloeEncodings
import FloeFormat

/// The hash of a value, as Parquet bloom filters define it: XXH64 (seed 0) of the value's PLAIN
/// encoding, without the 4-byte length prefix for BYTE_ARRAY.
///
/// INT32 and FLOAT hash their 4 little-endian bytes, INT64 and DOUBLE their 8, INT96 its 12 bytes,
/// FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY their bytes. Floating-point values hash their bit
/// patterns: `0.0` and `-0.0` (and NaNs with different payloads) hash differently.
/// BOOLEAN columns have no bloom filter hashing.
extension SplitBlockBloomFilter {
    /// The hash of an INT32 value (also DATE, TIME_MILLIS, DECIMAL on INT32, ...).
    @inlinable public static func hash(int32 value: Int32) -> UInt64 {
        XXHash64.hash(uint32: UInt32(bitPattern: value))
    }

    /// The hash of an INT64 value (also TIMESTAMP, TIME_MICROS/NANOS, DECIMAL on INT64, ...).
    @inlinable public static func hash(int64 value: Int64) -> UInt64 {
        XXHash64.hash(uint64: UInt64(bitPattern: value))
    }

    /// The hash of a FLOAT value (its IEEE 754 bit pattern).
    @inlinable public static func hash(float value: Float) -> UInt64 {
        XXHash64.hash(uint32: value.bitPattern)
    }

    /// The hash of a DOUBLE value (its IEEE 754 bit pattern).
    @inlinable public static func hash(double value: Double) -> UInt64 {
        XXHash64.hash(uint64: value.bitPattern)
    }

    /// The hash of a BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY or INT96 value given by its bytes.
    public static func hash(bytes: UnsafeRawBufferPointer) -> UInt64 {
        XXHash64.hash(bytes)
    }

    /// The hash of a BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY or INT96 value given by its bytes.
    public static func hash(bytes: [UInt8]) -> UInt64 {
        XXHash64.hash(bytes)
    }

    /// The hash of a BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY or INT96 value given by its bytes.
    public static func hash(bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { XXHash64.hash($0) }
    }

    /// The hash of a STRING (BYTE_ARRAY) value: its UTF-8 bytes.
    public static func hash(string: String) -> UInt64 {
        var s = string
        return s.withUTF8 { XXHash64.hash(UnsafeRawBufferPointer($0)) }
    }

    /// True for the physical types whose values can be hashed into a bloom filter (all but BOOLEAN).
    public static func supports(_ type: PhysicalType) -> Bool {
        type != .boolean
    }

    /// Appends the hashes of `values[range]` to `hashes`, in order, without allocating per value.
    ///
    /// Throws `.invalidArgument` when the range lies outside the values or the values are BOOLEAN,
    /// and `.corrupt` when BYTE_ARRAY offsets are not non-decreasing within the bytes.
    public static func hash(_ values: PhysicalValues, range: Range<Int>, into hashes: inout [UInt64]) throws(FloeError) {
        guard range.lowerBound >= 0, range.upperBound <= values.count else {
            throw FloeError.invalidArgument("value range \(range) lies outside the \(values.count) values")
        }
        let n = range.count
        if n == 0 {
            if case .boolean = values { throw FloeError.invalidArgument("BOOLEAN values have no bloom filter hash") }
            return
        }
        let start = hashes.count
        hashes.append(contentsOf: repeatElement(0, count: n))
        var failure: FloeError?
        hashes.withUnsafeMutableBufferPointer { all in
            guard let outBase = all.baseAddress else { return }
            let out = UnsafeMutableBufferPointer(start: outBase + start, count: n)
            switch values {
            case .boolean:
                failure = FloeError.invalidArgument("BOOLEAN values have no bloom filter hash")
            case .int32(let v):
                v.withUnsafeBufferPointer { src in
                    for i in 0..<n { out[i] = XXHash64.hash(uint32: UInt32(bitPattern: src[range.lowerBound &+ i])) }
                }
            case .float(let v):
                v.withUnsafeBufferPointer { src in
                    for i in 0..<n { out[i] = XXHash64.hash(uint32: src[range.lowerBound &+ i].bitPattern) }
                }
            case .int64(let v):
                v.withUnsafeBufferPointer { src in
                    for i in 0..<n { out[i] = XXHash64.hash(uint64: UInt64(bitPattern: src[range.lowerBound &+ i])) }
                }
            case .double(let v):
                v.withUnsafeBufferPointer { src in
                    for i in 0..<n { out[i] = XXHash64.hash(uint64: src[range.lowerBound &+ i].bitPattern) }
                }
            case .int96(let v), .fixedLenByteArray(let v):
                failure = hashFixedWidth(v, range: range, into: out)
            case .byteArray(let v):
                failure = hashBinary(v, range: range, into: out)
            }
        }
        if let failure {
            hashes.removeSubrange(start...)
            throw failure
        }
    }

    /// Hashes fixed-width values; `range` is within `0..<values.count`.
    static func hashFixedWidth(_ values: FixedWidthValues, range: Range<Int>,
                               into out: UnsafeMutableBufferPointer<UInt64>) -> FloeError? {
        let width = values.width
        guard width > 0, values.bytes.count >= range.upperBound * width else {
            return FloeError.invalidArgument("fixed-width values of width \(width) hold \(values.bytes.count) bytes")
        }
        values.bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var p = range.lowerBound &* width
            for i in 0..<out.count {
                out[i] = XXHash64.hash(UnsafeRawBufferPointer(start: base + p, count: width))
                p &+= width
            }
        }
        return nil
    }

    /// Hashes variable-length values; `range` is within `0..<values.count`.
    static func hashBinary(_ values: BinaryValues, range: Range<Int>,
                           into out: UnsafeMutableBufferPointer<UInt64>) -> FloeError? {
        values.offsets.withUnsafeBufferPointer { offsets in
            values.bytes.withUnsafeBytes { raw in
                let total = raw.count
                // Without storage (no bytes at all) every valid value is empty: start nil, count 0.
                let base = raw.baseAddress
                var begin = offsets[range.lowerBound]
                for i in 0..<out.count {
                    let end = offsets[range.lowerBound &+ i &+ 1]
                    guard begin >= 0, begin <= end, end <= total else {
                        return FloeError.corrupt("byte array offsets \(begin)..<\(end) of value \(range.lowerBound + i) lie outside the \(total) bytes")
                    }
                    out[i] = XXHash64.hash(UnsafeRawBufferPointer(start: base.map { $0 + begin }, count: end &- begin))
                    begin = end
                }
                return nil
            }
        }
    }
}
