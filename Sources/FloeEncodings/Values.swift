/// Variable-length values stored Arrow-style: one contiguous byte buffer and `count + 1`
/// offsets into it. Value `i` is `bytes[offsets[i]..<offsets[i+1]]`.
///
/// Used for BYTE_ARRAY columns (strings, binary, JSON, decimals on byte arrays).
public struct BinaryValues: Sendable, Equatable {
    /// `count + 1` offsets, non-decreasing, the first is 0 and the last is `bytes.count`.
    public var offsets: [Int]
    /// The values' bytes back to back.
    public var bytes: [UInt8]

    /// Creates an empty buffer.
    public init() { offsets = [0]; bytes = [] }

    /// Creates a buffer from offsets and bytes (the caller guarantees the invariants).
    public init(offsets: [Int], bytes: [UInt8]) { self.offsets = offsets; self.bytes = bytes }

    /// Creates a buffer holding the given values.
    public init<S: Sequence>(_ values: S) where S.Element: Collection, S.Element.Element == UInt8 {
        self.init()
        for v in values { append(v) }
    }

    /// The number of values.
    @inlinable public var count: Int { offsets.count - 1 }

    /// Appends one value.
    @inlinable public mutating func append<C: Collection>(_ value: C) where C.Element == UInt8 {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    /// The bytes of value `i` (0 ≤ i < count).
    @inlinable public subscript(i: Int) -> ArraySlice<UInt8> { bytes[offsets[i]..<offsets[i + 1]] }

    /// Reserves room for `values` more values of `bytes` more bytes in all.
    @inlinable public mutating func reserve(values: Int, bytes extra: Int) {
        offsets.reserveCapacity(offsets.count + values)
        bytes.reserveCapacity(bytes.count + extra)
    }

    /// Removes all values, keeping capacity.
    @inlinable public mutating func removeAll() {
        offsets.removeAll(keepingCapacity: true); offsets.append(0)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Fixed-width values stored back to back: FIXED_LEN_BYTE_ARRAY and INT96 (width 12).
public struct FixedWidthValues: Sendable, Equatable {
    /// The width of one value in bytes (≥ 0).
    public var width: Int
    /// `count * width` bytes.
    public var bytes: [UInt8]

    /// Creates an empty buffer of values `width` bytes wide.
    public init(width: Int) { self.width = width; bytes = [] }

    /// Creates a buffer from raw bytes (`bytes.count` must be a multiple of `width`).
    public init(width: Int, bytes: [UInt8]) { self.width = width; self.bytes = bytes }

    /// The number of values (0 when the width is 0).
    @inlinable public var count: Int { width == 0 ? 0 : bytes.count / width }

    /// The bytes of value `i`.
    @inlinable public subscript(i: Int) -> ArraySlice<UInt8> { bytes[(i * width)..<((i + 1) * width)] }
}

/// The physical values of a column, densely packed: nulls take no slot (the definition levels
/// say where they are). One case per Parquet physical type.
public enum PhysicalValues: Sendable, Equatable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    /// 12-byte INT96 values (legacy timestamps): 8 bytes of nanoseconds, then 4 of Julian day.
    case int96(FixedWidthValues)
    case float([Float])
    case double([Double])
    case byteArray(BinaryValues)
    case fixedLenByteArray(FixedWidthValues)

    /// The number of values.
    public var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .int96(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .byteArray(let v): v.count
        case .fixedLenByteArray(let v): v.count
        }
    }
}
