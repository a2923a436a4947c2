/// A bounds-checked reading cursor over a byte array: every read checks the remaining length
/// first and throws ``FloeError`` (code `.corrupt`) with the offset instead of trapping.
///
/// For the footer and headers (small, cold data). Hot kernels use raw pointers instead.
public struct ByteCursor: Sendable {
    /// The whole buffer.
    public let bytes: [UInt8]
    /// The next byte to read.
    public var position: Int
    /// One past the last readable byte.
    public let end: Int
    /// Added to `position` in error messages (the buffer's offset in the file).
    public var baseOffset: Int

    /// Creates a cursor over `bytes[start..<end]`.
    public init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil, baseOffset: Int = 0) {
        self.bytes = bytes
        self.position = max(0, min(start, bytes.count))
        self.end = max(self.position, min(end ?? bytes.count, bytes.count))
        self.baseOffset = baseOffset
    }

    /// Bytes left to read.
    @inlinable public var remaining: Int { end - position }

    /// The file offset of the next byte.
    @inlinable public var fileOffset: Int { baseOffset + position }

    /// Reads one byte.
    @inlinable public mutating func readByte() throws(FloeError) -> UInt8 {
        guard position < end else { throw FloeError.corrupt("unexpected end of data", offset: fileOffset) }
        let b = bytes[position]
        position += 1
        return b
    }

    /// Reads `count` bytes.
    @inlinable public mutating func readBytes(_ count: Int) throws(FloeError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw FloeError.corrupt("length \(count) exceeds the \(remaining) bytes left", offset: fileOffset)
        }
        let r = Array(bytes[position..<(position + count)])
        position += count
        return r
    }

    /// Skips `count` bytes.
    @inlinable public mutating func skip(_ count: Int) throws(FloeError) {
        guard count >= 0, count <= remaining else {
            throw FloeError.corrupt("length \(count) exceeds the \(remaining) bytes left", offset: fileOffset)
        }
        position += count
    }

    /// Reads a little-endian fixed-width integer.
    @inlinable public mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type) throws(FloeError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw FloeError.corrupt("unexpected end of data", offset: fileOffset) }
        var v: T = 0
        for i in 0..<size { v |= T(truncatingIfNeeded: bytes[position + i]) << (8 * i) }
        position += size
        return v
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes.
    @inlinable public mutating func readVarint() throws(FloeError) -> UInt64 {
        let start = fileOffset
        guard position < end else { throw FloeError.corrupt("unexpected end of data in varint", offset: start) }
        let first = bytes[position]
        if first < 0x80 { position += 1; return UInt64(first) }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for _ in 0..<10 {
            guard position < end else { throw FloeError.corrupt("unexpected end of data in varint", offset: start) }
            let b = bytes[position]
            position += 1
            result |= UInt64(b & 0x7f) &<< shift
            if b < 0x80 { return result }
            shift += 7
        }
        throw FloeError.corrupt("varint longer than 10 bytes", offset: start)
    }

    /// Reads a zigzag-encoded signed varint.
    @inlinable public mutating func readZigZag() throws(FloeError) -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }
}
