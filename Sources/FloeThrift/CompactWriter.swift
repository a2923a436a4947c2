import FloeCore

/// A writer of the Thrift compact protocol into a growable byte buffer.
///
/// Field headers use the short form (id delta 1…15 in the high nibble) when they can and the
/// long form otherwise; boolean fields carry their value in the header. Structs nest with
/// ``beginStruct()`` / ``endStruct()``, which save and restore the previous field id.
///
/// Booleans inside containers are written as in the Apache Thrift C++ and Java libraries
/// (element type 1, values 1 = true, 2 = false), which every compact-protocol reader accepts.
public struct CompactWriter: Sendable {
    /// The bytes written so far.
    public var output: ByteWriter
    /// The id of the previous field written in the current struct.
    @usableFromInline var lastFieldId: Int16 = 0
    /// Saved `lastFieldId`s of the enclosing structs.
    @usableFromInline var stack: [Int16] = []

    /// Creates an empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        output = ByteWriter(capacity: capacity)
    }

    /// The bytes written so far.
    @inlinable public var bytes: [UInt8] { output.bytes }

    /// The number of bytes written so far.
    @inlinable public var count: Int { output.count }

    // MARK: Structs

    /// Starts a nested struct (also a union or a struct element of a container).
    @inlinable
    public mutating func beginStruct() {
        stack.append(lastFieldId)
        lastFieldId = 0
    }

    /// Ends the current struct: writes the stop byte and restores the enclosing field id.
    @inlinable
    public mutating func endStruct() {
        output.append(0)
        lastFieldId = stack.popLast() ?? 0
    }

    /// Writes a field header for a non-boolean field.
    @inlinable
    public mutating func writeFieldHeader(id: Int16, type: ThriftType) {
        writeHeader(id: id, nibble: type.rawValue)
    }

    @inlinable
    mutating func writeHeader(id: Int16, nibble: UInt8) {
        let delta = Int(id) - Int(lastFieldId)
        if delta > 0 && delta <= 15 {
            output.append(UInt8(truncatingIfNeeded: delta) << 4 | nibble)
        } else {
            output.append(nibble)
            output.appendZigZag(Int64(id))
        }
        lastFieldId = id
    }

    // MARK: Fields

    /// Writes a boolean field: its value lives in the header.
    @inlinable
    public mutating func writeBoolField(_ id: Int16, _ value: Bool) {
        writeHeader(id: id, nibble: value ? 1 : 2)
    }

    /// Writes an i8 field.
    @inlinable
    public mutating func writeI8Field(_ id: Int16, _ value: Int8) {
        writeFieldHeader(id: id, type: .i8)
        writeI8(value)
    }

    /// Writes an i16 field.
    @inlinable
    public mutating func writeI16Field(_ id: Int16, _ value: Int16) {
        writeFieldHeader(id: id, type: .i16)
        writeI16(value)
    }

    /// Writes an i32 field (thrift enums too).
    @inlinable
    public mutating func writeI32Field(_ id: Int16, _ value: Int32) {
        writeFieldHeader(id: id, type: .i32)
        writeI32(value)
    }

    /// Writes an i64 field.
    @inlinable
    public mutating func writeI64Field(_ id: Int16, _ value: Int64) {
        writeFieldHeader(id: id, type: .i64)
        writeI64(value)
    }

    /// Writes a double field.
    @inlinable
    public mutating func writeDoubleField(_ id: Int16, _ value: Double) {
        writeFieldHeader(id: id, type: .double)
        writeDouble(value)
    }

    /// Writes a binary field.
    @inlinable
    public mutating func writeBinaryField(_ id: Int16, _ value: [UInt8]) {
        writeFieldHeader(id: id, type: .binary)
        writeBinary(value)
    }

    /// Writes a string field (UTF-8).
    @inlinable
    public mutating func writeStringField(_ id: Int16, _ value: String) {
        writeFieldHeader(id: id, type: .binary)
        writeString(value)
    }

    /// Writes the header of a struct field and begins the struct; end it with ``endStruct()``.
    @inlinable
    public mutating func beginStructField(_ id: Int16) {
        writeFieldHeader(id: id, type: .struct)
        beginStruct()
    }

    /// Writes a field holding an empty struct (an empty union member such as `StringType`).
    @inlinable
    public mutating func writeEmptyStructField(_ id: Int16) {
        writeFieldHeader(id: id, type: .struct)
        output.append(0)
    }

    /// Writes the header of a list field.
    @inlinable
    public mutating func writeListField(_ id: Int16, elementType: ThriftType, count: Int) {
        writeFieldHeader(id: id, type: .list)
        writeListHeader(elementType: elementType, count: count)
    }

    // MARK: Values (inside containers or after a header)

    /// Writes a boolean element of a container (one byte).
    @inlinable
    public mutating func writeBool(_ value: Bool) {
        output.append(value ? 1 : 2)
    }

    /// Writes an i8 value.
    @inlinable
    public mutating func writeI8(_ value: Int8) {
        output.append(UInt8(bitPattern: value))
    }

    /// Writes an i16 value (zigzag varint).
    @inlinable
    public mutating func writeI16(_ value: Int16) {
        output.appendZigZag(Int64(value))
    }

    /// Writes an i32 value (zigzag varint).
    @inlinable
    public mutating func writeI32(_ value: Int32) {
        output.appendZigZag(Int64(value))
    }

    /// Writes an i64 value (zigzag varint).
    @inlinable
    public mutating func writeI64(_ value: Int64) {
        output.appendZigZag(value)
    }

    /// Writes a double value (8 bytes little-endian).
    @inlinable
    public mutating func writeDouble(_ value: Double) {
        output.appendLittleEndian(value.bitPattern)
    }

    /// Writes a binary value: varint length, then the bytes.
    @inlinable
    public mutating func writeBinary(_ value: [UInt8]) {
        output.appendVarint(UInt64(value.count))
        output.append(contentsOf: value)
    }

    /// Writes a string value as UTF-8 binary.
    @inlinable
    public mutating func writeString(_ value: String) {
        var s = value
        s.withUTF8 { utf8 in
            output.appendVarint(UInt64(utf8.count))
            output.append(raw: UnsafeRawBufferPointer(utf8))
        }
    }

    /// Writes a uuid value (exactly 16 bytes; shorter input is zero-padded, longer truncated).
    @inlinable
    public mutating func writeUUID(_ value: [UInt8]) {
        for i in 0..<16 { output.append(i < value.count ? value[i] : 0) }
    }

    /// Writes a list (or set) header. Booleans use element type 1.
    @inlinable
    public mutating func writeListHeader(elementType: ThriftType, count: Int) {
        let nibble = elementType.rawValue
        if count < 15 {
            output.append(UInt8(truncatingIfNeeded: count) << 4 | nibble)
        } else {
            output.append(0xf0 | nibble)
            output.appendVarint(UInt64(truncatingIfNeeded: count))
        }
    }

    /// Writes a map header (an empty map is the single byte 0).
    @inlinable
    public mutating func writeMapHeader(keyType: ThriftType, valueType: ThriftType, count: Int) {
        output.appendVarint(UInt64(truncatingIfNeeded: count))
        if count > 0 { output.append(keyType.rawValue << 4 | valueType.rawValue) }
    }
}
