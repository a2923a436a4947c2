import FloeCore

/// A reader of the Thrift compact protocol over a borrowed byte buffer.
///
/// Every read checks the bytes left first and throws ``FloeError`` (code `.corrupt`) carrying
/// the file offset (`baseOffset + position`) instead of trapping. Container sizes are checked
/// against the bytes left before anything is allocated, and struct/container nesting is capped
/// by `maxDepth`.
///
/// The reader borrows memory it does not own: create it inside a `withUnsafeBytes` scope (or
/// use ``withReader(_:start:baseOffset:maxDepth:_:)``) and never let it escape that scope.
public struct CompactReader {
    /// The borrowed buffer.
    @usableFromInline let buffer: UnsafeRawBufferPointer
    /// The index in the buffer of the next byte to read.
    @usableFromInline var position_: Int
    /// One past the last readable index.
    public let end: Int
    /// The file offset of `buffer[0]`; added to positions in error messages.
    public var baseOffset: Int
    /// The deepest struct/container nesting accepted.
    public let maxDepth: Int
    /// The current nesting depth.
    @usableFromInline var depth_: Int = 0

    /// The index in the buffer of the next byte to read.
    @inlinable public var position: Int { position_ }
    /// The current struct/container nesting depth.
    @inlinable public var depth: Int { depth_ }

    /// Creates a reader over `buffer[start..<end]`. The buffer must outlive the reader.
    public init(unsafeBytes buffer: UnsafeRawBufferPointer, start: Int = 0, end: Int? = nil,
                baseOffset: Int = 0, maxDepth: Int = 64) {
        self.buffer = buffer
        let limit = max(0, min(end ?? buffer.count, buffer.count))
        self.position_ = max(0, min(start, limit))
        self.end = limit
        self.baseOffset = baseOffset
        self.maxDepth = maxDepth
    }

    /// Runs `body` with a reader over `bytes[start...]`, the safe way to decode from an array.
    @inlinable
    public static func withReader<R>(
        _ bytes: [UInt8], start: Int = 0, baseOffset: Int = 0, maxDepth: Int = 64,
        _ body: (inout CompactReader) throws(FloeError) -> R
    ) throws(FloeError) -> R {
        try bytes.span.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) -> R in
            var reader = CompactReader(unsafeBytes: raw, start: start, baseOffset: baseOffset, maxDepth: maxDepth)
            return try body(&reader)
        }
    }

    /// Bytes left to read.
    @inlinable public var remaining: Int { end &- position }

    /// The file offset of the next byte.
    @inlinable public var fileOffset: Int { baseOffset &+ position }

    @usableFromInline
    func corrupt(_ message: String, at index: Int) -> FloeError {
        FloeError.corrupt(message, offset: baseOffset &+ index)
    }

    // MARK: Raw bytes

    /// Reads one byte.
    @inlinable
    public mutating func readByte() throws(FloeError) -> UInt8 {
        guard position < end else { throw corrupt("unexpected end of Thrift data", at: position) }
        let b = buffer[position]
        position_ &+= 1
        return b
    }

    /// Skips `count` bytes.
    @inlinable
    public mutating func skipBytes(_ count: Int) throws(FloeError) {
        guard count >= 0, count <= remaining else {
            throw corrupt("length \(count) exceeds the \(remaining) bytes left", at: position)
        }
        position_ &+= count
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes.
    @inlinable
    public mutating func readVarint() throws(FloeError) -> UInt64 {
        guard position < end else { throw corrupt("unexpected end of Thrift data in varint", at: position) }
        let first = buffer[position]
        if first < 0x80 {
            position_ &+= 1
            return UInt64(first)
        }
        return try readVarintSlow()
    }

    @usableFromInline
    mutating func readVarintSlow() throws(FloeError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        for _ in 0..<10 {
            guard index < end else { throw corrupt("unexpected end of Thrift data in varint", at: start) }
            let b = buffer[index]
            index &+= 1
            result |= UInt64(b & 0x7f) &<< shift
            if b < 0x80 {
                position_ = index
                return result
            }
            shift &+= 7
        }
        throw corrupt("varint longer than 10 bytes", at: start)
    }

    // MARK: Scalars

    /// Reads a boolean element of a list, set or map (one byte: 1 true; 0 or 2 false).
    /// Boolean *fields* carry their value in ``FieldHeader/boolValue`` instead.
    @inlinable
    public mutating func readBool() throws(FloeError) -> Bool {
        let start = position
        switch try readByte() {
        case 1: return true
        case 0, 2: return false
        case let b: throw corrupt("invalid boolean byte \(b)", at: start)
        }
    }

    /// Reads an i8 (one byte, two's complement).
    @inlinable
    public mutating func readI8() throws(FloeError) -> Int8 {
        Int8(bitPattern: try readByte())
    }

    /// Reads an i16 (zigzag varint).
    @inlinable
    public mutating func readI16() throws(FloeError) -> Int16 {
        let start = position
        let u = try readVarint()
        guard u <= 0xFFFF else { throw corrupt("i16 value out of range", at: start) }
        let v = UInt16(truncatingIfNeeded: u)
        return Int16(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// Reads an i32 (zigzag varint); thrift enums are i32 too.
    @inlinable
    public mutating func readI32() throws(FloeError) -> Int32 {
        let start = position
        let u = try readVarint()
        guard u <= 0xFFFF_FFFF else { throw corrupt("i32 value out of range", at: start) }
        let v = UInt32(truncatingIfNeeded: u)
        return Int32(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// Reads an i64 (zigzag varint).
    @inlinable
    public mutating func readI64() throws(FloeError) -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Reads a double (8 bytes, little-endian IEEE 754).
    @inlinable
    public mutating func readDouble() throws(FloeError) -> Double {
        guard remaining >= 8 else { throw corrupt("unexpected end of Thrift data in double", at: position) }
        let bits = buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position_ &+= 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// Reads the length prefix of a binary/string and checks it against the bytes left;
    /// returns the range of the value's bytes in the buffer and moves past them.
    @inlinable
    public mutating func readBinaryRange() throws(FloeError) -> Range<Int> {
        let start = position
        let n = try readVarint()
        guard n <= UInt64(remaining) else {
            throw corrupt("binary length \(n) exceeds the \(remaining) bytes left", at: start)
        }
        let lower = position
        position_ &+= Int(n)
        return lower..<position
    }

    /// Reads a binary value as a new array.
    @inlinable
    public mutating func readBinary() throws(FloeError) -> [UInt8] {
        let r = try readBinaryRange()
        return [UInt8](UnsafeRawBufferPointer(rebasing: buffer[r]))
    }

    /// Reads a string. Invalid UTF-8 is repaired with U+FFFD rather than rejected.
    @inlinable
    public mutating func readString() throws(FloeError) -> String {
        let r = try readBinaryRange()
        return UnsafeRawBufferPointer(rebasing: buffer[r]).withMemoryRebound(to: UInt8.self) {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Reads a uuid value (16 raw bytes).
    @inlinable
    public mutating func readUUID() throws(FloeError) -> [UInt8] {
        guard remaining >= 16 else { throw corrupt("unexpected end of Thrift data in uuid", at: position) }
        let r = position..<(position &+ 16)
        position_ &+= 16
        return [UInt8](UnsafeRawBufferPointer(rebasing: buffer[r]))
    }

    // MARK: Structs and containers

    /// Enters a struct (or container): checks the nesting limit. Pair with ``exitStruct()``.
    @inlinable
    public mutating func enterStruct() throws(FloeError) {
        guard depth < maxDepth else {
            throw corrupt("Thrift nesting deeper than \(maxDepth) levels", at: position)
        }
        depth_ &+= 1
    }

    /// Leaves a struct entered with ``enterStruct()``.
    @inlinable
    public mutating func exitStruct() {
        if depth_ > 0 { depth_ &-= 1 }
    }

    /// Reads a field header, or returns nil at the struct's stop byte.
    ///
    /// - Parameter lastId: the previous field id of this struct (0 at its start); updated.
    @inlinable
    public mutating func readFieldHeader(lastId: inout Int16) throws(FloeError) -> FieldHeader? {
        let start = position
        let byte = try readByte()
        if byte == 0 { return nil }
        let nibble = byte & 0x0f
        guard let type = ThriftType(compactNibble: nibble) else {
            throw corrupt("invalid Thrift field type \(nibble)", at: start)
        }
        let delta = byte >> 4
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            let sum = Int(lastId) &+ Int(delta)
            guard sum <= Int(Int16.max) else { throw corrupt("Thrift field id overflows i16", at: start) }
            id = Int16(truncatingIfNeeded: sum)
        }
        lastId = id
        return FieldHeader(id: id, type: type, boolValue: nibble == 1)
    }

    /// Reads a list (or set) header; the count is checked against the bytes left.
    @inlinable
    public mutating func readListHeader() throws(FloeError) -> ListHeader {
        let start = position
        let byte = try readByte()
        guard let type = ThriftType(compactNibble: byte & 0x0f) else {
            throw corrupt("invalid Thrift list element type \(byte & 0x0f)", at: start)
        }
        var count = Int(byte >> 4)
        if count == 15 {
            let n = try readVarint()
            guard n <= UInt64(Int32.max) else { throw corrupt("list size \(n) out of range", at: start) }
            count = Int(n)
        }
        guard count <= remaining / type.minimumElementSize else {
            throw corrupt("list of \(count) \(type) elements cannot fit in the \(remaining) bytes left", at: start)
        }
        return ListHeader(elementType: type, count: count)
    }

    /// Reads a map header; the count is checked against the bytes left.
    @inlinable
    public mutating func readMapHeader() throws(FloeError) -> MapHeader {
        let start = position
        let n = try readVarint()
        guard n <= UInt64(Int32.max) else { throw corrupt("map size \(n) out of range", at: start) }
        if n == 0 { return MapHeader(keyType: nil, valueType: nil, count: 0) }
        let types = try readByte()
        guard let key = ThriftType(compactNibble: types >> 4),
              let value = ThriftType(compactNibble: types & 0x0f) else {
            throw corrupt("invalid Thrift map key/value types 0x\(String(types, radix: 16))", at: start)
        }
        let count = Int(n)
        guard count <= remaining / (key.minimumElementSize + value.minimumElementSize) else {
            throw corrupt("map of \(count) entries cannot fit in the \(remaining) bytes left", at: start)
        }
        return MapHeader(keyType: key, valueType: value, count: count)
    }

    // MARK: Skipping

    /// Skips the value of a field whose header was just read (boolean fields have no body).
    @inlinable
    public mutating func skipField(_ header: FieldHeader) throws(FloeError) {
        if header.type == .bool { return }
        try skip(type: header.type)
    }

    /// Skips one value of `type` as it appears inside a container (a bool is one byte here),
    /// including nested structs and containers, within the depth limit.
    public mutating func skip(type: ThriftType) throws(FloeError) {
        switch type {
        case .bool: _ = try readBool()
        case .i8: try skipBytes(1)
        case .i16, .i32, .i64: _ = try readVarint()
        case .double: try skipBytes(8)
        case .uuid: try skipBytes(16)
        case .binary: _ = try readBinaryRange()
        case .list, .set:
            try enterStruct()
            let header = try readListHeader()
            switch header.elementType {
            case .i8, .double, .uuid:
                try skipBytes(header.count &* header.elementType.minimumElementSize)
            default:
                for _ in 0..<header.count { try skip(type: header.elementType) }
            }
            exitStruct()
        case .map:
            try enterStruct()
            let header = try readMapHeader()
            if let k = header.keyType, let v = header.valueType {
                for _ in 0..<header.count {
                    try skip(type: k)
                    try skip(type: v)
                }
            }
            exitStruct()
        case .struct:
            try enterStruct()
            var last: Int16 = 0
            while let field = try readFieldHeader(lastId: &last) {
                try skipField(field)
            }
            exitStruct()
        }
    }
}
