import FloeCore
import FloeThrift

/// A Parquet Thrift struct or union that decodes from and encodes to the compact protocol.
public protocol ThriftCodable: Sendable, Equatable {
    /// Decodes one value at the reader's position. Unknown fields are skipped; a missing
    /// required field is a `.corrupt` error naming the struct and the field.
    static func decode(from reader: inout CompactReader) throws(FloeError) -> Self
    /// Encodes this value (fields in id order; absent optionals are omitted).
    func encode(to writer: inout CompactWriter)
}

extension ThriftCodable {
    /// Decodes one value from `bytes` starting at `offset`.
    ///
    /// - Parameters:
    ///   - baseOffset: the file offset of `bytes[0]`, used in error locations.
    /// - Returns: the value and the number of bytes it occupied.
    @inlinable
    public static func decode(_ bytes: [UInt8], at offset: Int = 0, baseOffset: Int = 0,
                              maxDepth: Int = 64) throws(FloeError) -> (value: Self, length: Int) {
        guard offset >= 0, offset <= bytes.count else {
            throw FloeError.invalidArgument("decode offset \(offset) outside a buffer of \(bytes.count) bytes")
        }
        return try CompactReader.withReader(bytes, start: offset, baseOffset: baseOffset, maxDepth: maxDepth) {
            (r: inout CompactReader) throws(FloeError) -> (value: Self, length: Int) in
            let value = try Self.decode(from: &r)
            return (value, r.position - offset)
        }
    }

    /// Decodes one value from borrowed memory starting at `offset` (no copy of the input).
    ///
    /// - Returns: the value and the number of bytes it occupied.
    @inlinable
    public static func decode(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0, baseOffset: Int = 0,
                              maxDepth: Int = 64) throws(FloeError) -> (value: Self, length: Int) {
        guard offset >= 0, offset <= bytes.count else {
            throw FloeError.invalidArgument("decode offset \(offset) outside a buffer of \(bytes.count) bytes")
        }
        var r = CompactReader(unsafeBytes: bytes, start: offset, baseOffset: baseOffset, maxDepth: maxDepth)
        let value = try Self.decode(from: &r)
        return (value, r.position - offset)
    }

    /// Decodes a value from the start of `bytes`; bytes after the value are ignored (use
    /// ``decode(_:at:baseOffset:maxDepth:)`` to learn its length).
    @inlinable
    public init(decoding bytes: [UInt8], baseOffset: Int = 0) throws(FloeError) {
        self = try Self.decode(bytes, at: 0, baseOffset: baseOffset).value
    }

    /// The compact-protocol encoding of this value.
    @inlinable
    public func encoded() -> [UInt8] {
        var w = CompactWriter()
        encode(to: &w)
        return w.bytes
    }
}

// MARK: - Decoding helpers shared by the format structs

@inline(never)
func listTypeMismatch(_ what: String, _ expected: ThriftType, _ found: ThriftType, at offset: Int) -> FloeError {
    FloeError.corrupt("\(what): expected list<\(expected)>, found list<\(found)>", offset: offset)
}

/// The error for the first required field (in `names` order) whose bit is clear in `seen`.
@inline(never)
func missingRequired(_ structName: String, _ names: [String], seen: UInt32, at offset: Int) -> FloeError {
    for (i, name) in names.enumerated() where seen & (1 << UInt32(i)) == 0 {
        return missingField(structName, name, at: offset)
    }
    return FloeError.corrupt("\(structName): required field missing", offset: offset)
}

@inline(never)
func missingField(_ structName: String, _ field: String, at offset: Int) -> FloeError {
    FloeError.corrupt("\(structName).\(field): required field missing", offset: offset)
}

extension CompactReader {
    /// Reads a list header and checks that a non-empty list holds `expected` elements.
    ///
    /// Integer lists are read whatever varint width the header names (i16, i32 or i64 share
    /// one encoding; each value is still range-checked), as the Apache Thrift readers do.
    mutating func readListHeader(of expected: ThriftType, _ what: String) throws(FloeError) -> Int {
        let start = fileOffset
        let h = try readListHeader()
        guard h.count == 0 || h.elementType == expected || (expected.isVarint && h.elementType.isVarint) else {
            throw listTypeMismatch(what, expected, h.elementType, at: start)
        }
        return h.count
    }

    /// Reads a list of structs.
    mutating func readStructList<T: ThriftCodable>(_: T.Type, _ what: String) throws(FloeError) -> [T] {
        let n = try readListHeader(of: .struct, what)
        var out: [T] = []
        // Bounded reservation: the real count can be large, but never trust it for memory
        // beyond what a few bytes per element could justify.
        out.reserveCapacity(min(n, 1024))
        for _ in 0..<n { out.append(try T.decode(from: &self)) }
        return out
    }

    /// Reads a list of i64.
    mutating func readI64List(_ what: String) throws(FloeError) -> [Int64] {
        let n = try readListHeader(of: .i64, what)
        var out: [Int64] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readI64()) }
        return out
    }

    /// Reads a list of i32.
    mutating func readI32List(_ what: String) throws(FloeError) -> [Int32] {
        let n = try readListHeader(of: .i32, what)
        var out: [Int32] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readI32()) }
        return out
    }

    /// Reads a list of bool.
    mutating func readBoolList(_ what: String) throws(FloeError) -> [Bool] {
        let n = try readListHeader(of: .bool, what)
        var out: [Bool] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readBool()) }
        return out
    }

    /// Reads a list of binary.
    mutating func readBinaryList(_ what: String) throws(FloeError) -> [[UInt8]] {
        let n = try readListHeader(of: .binary, what)
        var out: [[UInt8]] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readBinary()) }
        return out
    }

    /// Reads a list of strings.
    mutating func readStringList(_ what: String) throws(FloeError) -> [String] {
        let n = try readListHeader(of: .binary, what)
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readString()) }
        return out
    }

    /// Skips the body of an empty-struct union member (tolerating fields it may gain).
    mutating func skipStruct() throws(FloeError) {
        try skip(type: .struct)
    }
}

extension ThriftType {
    /// True for the zigzag-varint integer types.
    var isVarint: Bool { self == .i16 || self == .i32 || self == .i64 }
}

// MARK: - Encoding helpers

extension CompactWriter {
    mutating func writeStructField<T: ThriftCodable>(_ id: Int16, _ value: T) {
        writeFieldHeader(id: id, type: .struct)
        value.encode(to: &self)
    }

    mutating func writeStructList<T: ThriftCodable>(_ id: Int16, _ values: [T]) {
        writeListField(id, elementType: .struct, count: values.count)
        for v in values { v.encode(to: &self) }
    }

    mutating func writeI64List(_ id: Int16, _ values: [Int64]) {
        writeListField(id, elementType: .i64, count: values.count)
        for v in values { writeI64(v) }
    }

    mutating func writeI32List(_ id: Int16, _ values: [Int32]) {
        writeListField(id, elementType: .i32, count: values.count)
        for v in values { writeI32(v) }
    }

    mutating func writeBoolList(_ id: Int16, _ values: [Bool]) {
        writeListField(id, elementType: .bool, count: values.count)
        for v in values { writeBool(v) }
    }

    mutating func writeBinaryList(_ id: Int16, _ values: [[UInt8]]) {
        writeListField(id, elementType: .binary, count: values.count)
        for v in values { writeBinary(v) }
    }

    mutating func writeStringList(_ id: Int16, _ values: [String]) {
        writeListField(id, elementType: .binary, count: values.count)
        for v in values { writeString(v) }
    }

    /// Writes a union whose member is an empty struct at `fieldId` (nothing when 0: an empty union).
    mutating func writeEmptyUnion(memberId fieldId: Int16) {
        beginStruct()
        if fieldId != 0 { writeEmptyStructField(fieldId) }
        endStruct()
    }
}
