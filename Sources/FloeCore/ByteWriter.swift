/// A growable byte buffer for building encoded output (pages, Thrift structs, files).
///
/// A value type over `[UInt8]`; appends are amortised O(1).
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates an empty writer with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written.
    @inlinable public var count: Int { bytes.count }

    /// Appends one byte.
    @inlinable public mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// Appends a sequence of bytes.
    @inlinable public mutating func append<S: Sequence>(contentsOf s: S) where S.Element == UInt8 {
        bytes.append(contentsOf: s)
    }

    /// Appends raw bytes from memory.
    @inlinable public mutating func append(raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Appends a fixed-width integer in little-endian order.
    @inlinable public mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends an unsigned LEB128 varint.
    @inlinable public mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends a zigzag-encoded signed varint.
    @inlinable public mutating func appendZigZag(_ value: Int64) {
        appendVarint(UInt64(bitPattern: (value &<< 1) ^ (value >> 63)))
    }

    /// Removes all bytes, keeping the capacity.
    @inlinable public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}
