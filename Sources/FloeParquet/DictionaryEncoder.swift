import FloeCore
import FloeEncodings
import FloeFormat

/// The dictionary of one column chunk while it is written: one builder per physical type.
enum DictionaryEncoder {
    case int32(Int32DictionaryBuilder)
    case int64(Int64DictionaryBuilder)
    case float(FloatDictionaryBuilder)
    case double(DoubleDictionaryBuilder)
    case binary(BinaryDictionaryBuilder)
    case fixed(FixedDictionaryBuilder)

    /// A builder for `type`, or nil for types that are never dictionary-encoded (BOOLEAN, INT96).
    init?(type: PhysicalType, width: Int) {
        switch type {
        case .int32: self = .int32(Int32DictionaryBuilder())
        case .int64: self = .int64(Int64DictionaryBuilder())
        case .float: self = .float(FloatDictionaryBuilder())
        case .double: self = .double(DoubleDictionaryBuilder())
        case .byteArray: self = .binary(BinaryDictionaryBuilder())
        case .fixedLenByteArray: self = .fixed(FixedDictionaryBuilder(width: width))
        default: return nil
        }
    }

    /// The number of distinct values.
    var count: Int {
        switch self {
        case .int32(let b): b.count
        case .int64(let b): b.count
        case .float(let b): b.count
        case .double(let b): b.count
        case .binary(let b): b.count
        case .fixed(let b): b.count
        }
    }

    /// The size of the dictionary page in PLAIN encoding.
    var plainEncodedSize: Int {
        switch self {
        case .int32(let b): b.plainEncodedSize
        case .int64(let b): b.plainEncodedSize
        case .float(let b): b.plainEncodedSize
        case .double(let b): b.plainEncodedSize
        case .binary(let b): b.plainEncodedSize
        case .fixed(let b): b.plainEncodedSize
        }
    }

    /// Adds `values[range]` and appends their indices.
    mutating func append(_ values: PhysicalValues, range: Range<Int>, indices: inout [UInt32]) {
        // Switch over `self` alone (a tuple of `self` and `values` would keep a second reference
        // to the builder's storage alive and make every append copy its hash table), and leave
        // a placeholder in `self` while the builder is mutated so that it stays unique.
        switch self {
        case .int32(var b):
            guard case .int32(let v) = values else { return }
            self = .int32(Int32DictionaryBuilder())
            v.withUnsafeBufferPointer { b.append(UnsafeBufferPointer(rebasing: $0[range]), indicesInto: &indices) }
            self = .int32(b)
        case .int64(var b):
            guard case .int64(let v) = values else { return }
            self = .int32(Int32DictionaryBuilder())
            v.withUnsafeBufferPointer { b.append(UnsafeBufferPointer(rebasing: $0[range]), indicesInto: &indices) }
            self = .int64(b)
        case .float(var b):
            guard case .float(let v) = values else { return }
            self = .int32(Int32DictionaryBuilder())
            v.withUnsafeBufferPointer { b.append(UnsafeBufferPointer(rebasing: $0[range]), indicesInto: &indices) }
            self = .float(b)
        case .double(var b):
            guard case .double(let v) = values else { return }
            self = .int32(Int32DictionaryBuilder())
            v.withUnsafeBufferPointer { b.append(UnsafeBufferPointer(rebasing: $0[range]), indicesInto: &indices) }
            self = .double(b)
        case .binary(var b):
            guard case .byteArray(let v) = values else { return }
            self = .int32(Int32DictionaryBuilder())
            b.append(v, range: range, indicesInto: &indices)
            self = .binary(b)
        case .fixed(var b):
            guard case .fixedLenByteArray(let v) = values else { return }
            self = .int32(Int32DictionaryBuilder())
            b.append(v, range: range, indicesInto: &indices)
            self = .fixed(b)
        }
    }

    /// The dictionary page body: the distinct values in PLAIN encoding.
    func plainEncoded() -> [UInt8] {
        var w = ByteWriter(capacity: plainEncodedSize)
        switch self {
        case .int32(let b): b.values.withUnsafeBufferPointer { Plain.encodeInt32($0, into: &w) }
        case .int64(let b): b.values.withUnsafeBufferPointer { Plain.encodeInt64($0, into: &w) }
        case .float(let b): b.values.withUnsafeBufferPointer { Plain.encodeFloat($0, into: &w) }
        case .double(let b): b.values.withUnsafeBufferPointer { Plain.encodeDouble($0, into: &w) }
        case .binary(let b): Plain.encodeByteArray(b.values, range: 0..<b.values.count, into: &w)
        case .fixed(let b): Plain.encodeFixed(b.values, range: 0..<b.values.count, into: &w)
        }
        return w.bytes
    }
}
