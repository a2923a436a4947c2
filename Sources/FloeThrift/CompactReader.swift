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

    /// Builds the error for `failure` at buffer index `index`; kept out of line so the hot
    /// paths carry no message formatting.
    @usableFromInline @inline(never)
    func fail(_ failure: ReadFailure, at index: Int) -> FloeError {
        FloeError.corrupt(failure.message, offset: baseOffset &+ index)
    }

    // MARK: Raw bytes

    /// Reads one byte.
    @inlinable
    public mutating func readByte() throws(FloeError) -> UInt8 {
        guard position < end else { throw fail(.endOfData(""), at: position) }
        let b = buffer[position]
        position_ &+= 1
        return b
    }

    /// Skips `count` bytes.
    @inlinable
    public mutating func skipBytes(_ count: Int) throws(FloeError) {
        guard count >= 0, count <= remaining else {
            throw fail(.length(count, remaining), at: position)
        }
        position_ &+= count
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes.
    @inlinable
    public mutating func readVarint() throws(FloeError) -> UInt64 {
        guard position < end else { throw fail(.endOfData(" in varint"), at: position) }
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
            guard index < end else { throw fail(.endOfData(" in varint"), at: start) }
            let b = buffer[index]
            index &+= 1
            result |= UInt64(b & 0x7f) &<< shift
            if b < 0x80 {
                position_ = index
                return result
            }
            shift &+= 7
        }
        throw fail(.varintTooLong, at: start)
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
        case let b: throw fail(.invalidBool(b), at: start)
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
        guard u <= 0xFFFF else { throw fail(.outOfRange("i16"), at: start) }
        let v = UInt16(truncatingIfNeeded: u)
        return Int16(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// Reads an i32 (zigzag varint); thrift enums are i32 too.
    @inlinable
    public mutating func readI32() throws(FloeError) -> Int32 {
        let start = position
        let u = try readVarint()
        guard u <= 0xFFFF_FFFF else { throw fail(.outOfRange("i32"), at: start) }
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
        guard remaining >= 8 else { throw fail(.endOfData(" in double"), at: position) }
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
            throw fail(.binaryLength(n, remaining), at: start)
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
        guard remaining >= 16 else { throw fail(.endOfData(" in uuid"), at: position) }
        let r = position..<(position &+ 16)
        position_ &+= 16
        return [UInt8](UnsafeRawBufferPointer(rebasing: buffer[r]))
    }

    // MARK: Structs and containers

    /// Enters a struct (or container): checks the nesting limit. Pair with ``exitStruct()``.
    @inlinable
    public mutating func enterStruct() throws(FloeError) {
        guard depth < maxDepth else {
            throw fail(.depth(maxDepth), at: position)
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
            throw fail(.fieldType(nibble), at: start)
        }
        let delta = byte >> 4
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            let sum = Int(lastId) &+ Int(delta)
            guard sum <= Int(Int16.max) else { throw fail(.fieldIdOverflow, at: start) }
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
            throw fail(.listType(byte & 0x0f), at: start)
        }
        var count = Int(byte >> 4)
        if count == 15 {
            let n = try readVarint()
            guard n <= UInt64(Int32.max) else { throw fail(.listSize(n), at: start) }
            count = Int(n)
        }
        guard count <= remaining / type.minimumElementSize else {
            throw fail(.listFit(count, type, remaining), at: start)
        }
        return ListHeader(elementType: type, count: count)
    }

    /// Reads a map header; the count is checked against the bytes left.
    @inlinable
    public mutating func readMapHeader() throws(FloeError) -> MapHeader {
        let start = position
        let n = try readVarint()
        guard n <= UInt64(Int32.max) else { throw fail(.mapSize(n), at: start) }
        if n == 0 { return MapHeader(keyType: nil, valueType: nil, count: 0) }
        let types = try readByte()
        guard let key = ThriftType(compactNibble: types >> 4),
              let value = ThriftType(compactNibble: types & 0x0f) else {
            throw fail(.mapTypes(types), at: start)
        }
        let count = Int(n)
        guard count <= remaining / (key.minimumElementSize + value.minimumElementSize) else {
            throw fail(.mapFit(count, remaining), at: start)
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

/// What went wrong while reading; turned into a message only when an error is thrown.
@usableFromInline
enum ReadFailure {
    case endOfData(StaticString)
    case length(Int, Int)
    case varintTooLong
    case invalidBool(UInt8)
    case outOfRange(StaticString)
    case binaryLength(UInt64, Int)
    case depth(Int)
    case fieldType(UInt8)
    case fieldIdOverflow
    case listType(UInt8)
    case listSize(UInt64)
    case listFit(Int, ThriftType, Int)
    case mapSize(UInt64)
    case mapTypes(UInt8)
    case mapFit(Int, Int)

    var message: String {
        switch self {
        case let .endOfData(context): return "unexpected end of Thrift data\(context)"
        case let .length(n, left): return "length \(n) exceeds the \(left) bytes left"
        case .varintTooLong: return "varint longer than 10 bytes"
        case let .invalidBool(b): return "invalid boolean byte \(b)"
        case let .outOfRange(type): return "\(type) value out of range"
        case let .binaryLength(n, left): return "binary length \(n) exceeds the \(left) bytes left"
        case let .depth(limit): return "Thrift nesting deeper than \(limit) levels"
        case let .fieldType(nibble): return "invalid Thrift field type \(nibble)"
        case .fieldIdOverflow: return "Thrift field id overflows i16"
        case let .listType(nibble): return "invalid Thrift list element type \(nibble)"
        case let .listSize(n): return "list size \(n) out of range"
        case let .listFit(n, type, left): return "list of \(n) \(type) elements cannot fit in the \(left) bytes left"
        case let .mapSize(n): return "map size \(n) out of range"
        case let .mapTypes(types): return "invalid Thrift map key/value types 0x\(String(types, radix: 16))"
        case let .mapFit(n, left): return "map of \(n) entries cannot fit in the \(left) bytes left"
        }
    }
}
