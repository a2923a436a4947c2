import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns

extension CanonicalColumn {
    /// The canonical JSON text of a statistics value (`min_value`, `max_value`, or the legacy
    /// fields), which is the PLAIN encoding of one value without a length prefix for byte
    /// arrays. Nil when the bytes do not fit the type.
    public static func statisticText(_ bytes: [UInt8], descriptor: ColumnDescriptor) -> String? {
        let values: PhysicalValues
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            var v: T = 0
            for (i, b) in bytes.enumerated() { v |= T(truncatingIfNeeded: b) << (8 * i) }
            return v
        }
        switch descriptor.physicalType {
        case .boolean:
            guard bytes.count == 1 else { return nil }
            values = .boolean([bytes[0] != 0])
        case .int32:
            guard let v = load(UInt32.self) else { return nil }
            values = .int32([Int32(bitPattern: v)])
        case .int64:
            guard let v = load(UInt64.self) else { return nil }
            values = .int64([Int64(bitPattern: v)])
        case .float:
            guard let v = load(UInt32.self) else { return nil }
            values = .float([Float(bitPattern: v)])
        case .double:
            guard let v = load(UInt64.self) else { return nil }
            values = .double([Double(bitPattern: v)])
        case .byteArray:
            values = .byteArray(BinaryValues([bytes]))
        case .fixedLenByteArray:
            guard bytes.count == descriptor.typeLength else {
                // Truncated statistics of fixed-length values: show the bytes.
                var out: [UInt8] = []
                bytes.withUnsafeBytes { CanonicalJSON.appendBase64($0, to: &out) }
                return String(decoding: out, as: UTF8.self)
            }
            values = .fixedLenByteArray(FixedWidthValues(width: descriptor.typeLength, bytes: bytes))
        case .int96:
            guard bytes.count == 12 else { return nil }
            values = .int96(FixedWidthValues(width: 12, bytes: bytes))
        default:
            return nil
        }
        guard let text = try? formatValues(values, descriptor: descriptor) else { return nil }
        return String(decoding: text[0], as: UTF8.self)
    }
}
