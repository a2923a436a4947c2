import FloeCore
import FloeEncodings
import FloeFormat

/// A value accumulator for one physical type: decoders append to the one array that matches
/// the column's type, so no enum payload is copied on the way (no copy-on-write per page).
struct TypedValues {
    let type: PhysicalType
    let width: Int
    var booleans: [Bool] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var floats: [Float] = []
    var doubles: [Double] = []
    var binary = BinaryValues()
    var fixed: FixedWidthValues

    init(type: PhysicalType, width: Int) {
        self.type = type
        self.width = width
        self.fixed = FixedWidthValues(width: type == .int96 ? 12 : width)
    }

    var count: Int {
        switch type {
        case .boolean: booleans.count
        case .int32: int32s.count
        case .int64: int64s.count
        case .float: floats.count
        case .double: doubles.count
        case .byteArray: binary.count
        default: fixed.count
        }
    }

    /// Decodes `count` PLAIN values; returns the bytes consumed.
    mutating func appendPlain(_ src: UnsafeRawBufferPointer, count: Int) throws(FloeError) -> Int {
        switch type {
        case .boolean: return try Plain.decodeBoolean(src, count: count, appendingTo: &booleans)
        case .int32: return try Plain.decodeInt32(src, count: count, appendingTo: &int32s)
        case .int64: return try Plain.decodeInt64(src, count: count, appendingTo: &int64s)
        case .float: return try Plain.decodeFloat(src, count: count, appendingTo: &floats)
        case .double: return try Plain.decodeDouble(src, count: count, appendingTo: &doubles)
        case .byteArray: return try Plain.decodeByteArray(src, count: count, appendingTo: &binary)
        default: return try Plain.decodeFixed(width: fixed.width, src, count: count, appendingTo: &fixed)
        }
    }

    /// Decodes `count` values in one of the delta or byte-stream-split encodings; returns the
    /// bytes consumed.
    mutating func appendEncoded(_ encoding: Encoding, _ src: UnsafeRawBufferPointer, count: Int) throws(FloeError) -> Int {
        switch (encoding, type) {
        case (.deltaBinaryPacked, .int32): return try DeltaBinaryPacked.decodeInt32(src, count: count, appendingTo: &int32s)
        case (.deltaBinaryPacked, .int64): return try DeltaBinaryPacked.decodeInt64(src, count: count, appendingTo: &int64s)
        case (.deltaLengthByteArray, .byteArray): return try DeltaLengthByteArray.decode(src, count: count, appendingTo: &binary)
        case (.deltaByteArray, .byteArray): return try DeltaByteArray.decode(src, count: count, appendingTo: &binary)
        case (.deltaByteArray, .fixedLenByteArray): return try DeltaByteArray.decodeFixed(src, count: count, appendingTo: &fixed)
        case (.byteStreamSplit, .float): return try ByteStreamSplit.decodeFloat(src, count: count, appendingTo: &floats)
        case (.byteStreamSplit, .double): return try ByteStreamSplit.decodeDouble(src, count: count, appendingTo: &doubles)
        case (.byteStreamSplit, .int32): return try ByteStreamSplit.decodeInt32(src, count: count, appendingTo: &int32s)
        case (.byteStreamSplit, .int64): return try ByteStreamSplit.decodeInt64(src, count: count, appendingTo: &int64s)
        case (.byteStreamSplit, .fixedLenByteArray): return try ByteStreamSplit.decodeFixed(src, count: count, appendingTo: &fixed)
        default: throw FloeError.unsupported("encoding \(encoding) for \(type) values")
        }
    }

    /// Appends the dictionary entries named by `indices`.
    mutating func appendGathered(from dictionary: TypedValues, indices: UnsafeBufferPointer<UInt32>) throws(FloeError) {
        switch type {
        case .boolean: try DictionaryGather.gather(dictionary.booleans, indices: indices, appendingTo: &booleans)
        case .int32: try DictionaryGather.gather(dictionary.int32s, indices: indices, appendingTo: &int32s)
        case .int64: try DictionaryGather.gather(dictionary.int64s, indices: indices, appendingTo: &int64s)
        case .float: try DictionaryGather.gather(dictionary.floats, indices: indices, appendingTo: &floats)
        case .double: try DictionaryGather.gather(dictionary.doubles, indices: indices, appendingTo: &doubles)
        case .byteArray: try DictionaryGather.gather(dictionary.binary, indices: indices, appendingTo: &binary)
        default: try DictionaryGather.gather(dictionary.fixed, indices: indices, appendingTo: &fixed)
        }
    }

    /// Reserves room for `n` values in all (call once per column chunk: `reserveCapacity`
    /// allocates exactly what it is asked, so calling it per page would copy the column each time).
    mutating func reserve(total n: Int) {
        switch type {
        case .boolean: booleans.reserveCapacity(n)
        case .int32: int32s.reserveCapacity(n)
        case .int64: int64s.reserveCapacity(n)
        case .float: floats.reserveCapacity(n)
        case .double: doubles.reserveCapacity(n)
        case .byteArray: binary.offsets.reserveCapacity(n + 1)
        default: fixed.bytes.reserveCapacity(n * fixed.width)
        }
    }

    /// The accumulated values.
    consuming func finish() -> PhysicalValues {
        switch type {
        case .boolean: .boolean(booleans)
        case .int32: .int32(int32s)
        case .int64: .int64(int64s)
        case .float: .float(floats)
        case .double: .double(doubles)
        case .byteArray: .byteArray(binary)
        case .int96: .int96(fixed)
        default: .fixedLenByteArray(fixed)
        }
    }
}
