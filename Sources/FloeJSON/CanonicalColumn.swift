import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns

/// Formats a column's values in the canonical JSON view of DESIGN.md, one JSON text per entry,
/// column at a time: the switch on the column's kind happens once, the loops are per kind.
public enum CanonicalColumn {
    /// The canonical JSON text of each present value.
    public static func formatValues(_ values: PhysicalValues, descriptor: ColumnDescriptor) throws(FloeError) -> BinaryValues {
        var out = BinaryValues()
        out.reserve(values: values.count, bytes: values.count * 8)
        let kind = descriptor.kind
        func mismatch() -> FloeError {
            FloeError.unsupported("\(kind) values stored as \(descriptor.physicalType) in column \(descriptor.dottedPath)")
        }
        switch (kind, values) {
        case (.null, _):
            for _ in 0..<values.count { CanonicalJSON.appendNull(to: &out.bytes); out.offsets.append(out.bytes.count) }
        case (.boolean, .boolean(let v)):
            for x in v { CanonicalJSON.appendBool(x, to: &out.bytes); out.offsets.append(out.bytes.count) }
        case (.integer(_, let signed), .int32(let v)):
            for x in v {
                if signed { CanonicalJSON.appendInt(Int64(x), to: &out.bytes) } else { CanonicalJSON.appendUInt(UInt64(UInt32(bitPattern: x)), to: &out.bytes) }
                out.offsets.append(out.bytes.count)
            }
        case (.integer(_, let signed), .int64(let v)):
            for x in v {
                if signed { CanonicalJSON.appendInt(x, to: &out.bytes) } else { CanonicalJSON.appendUInt(UInt64(bitPattern: x), to: &out.bytes) }
                out.offsets.append(out.bytes.count)
            }
        case (.float, .float(let v)):
            for x in v { CanonicalJSON.appendFloat(x, to: &out.bytes); out.offsets.append(out.bytes.count) }
        case (.double, .double(let v)):
            for x in v { CanonicalJSON.appendDouble(x, to: &out.bytes); out.offsets.append(out.bytes.count) }
        case (.float16, .fixedLenByteArray(let v)) where v.width == 2:
            for i in 0..<v.count {
                let b = v[i]
                CanonicalJSON.appendFloat16(bits: UInt16(b[b.startIndex]) | UInt16(b[b.startIndex + 1]) << 8, to: &out.bytes)
                out.offsets.append(out.bytes.count)
            }
        case (.string, .byteArray(let v)):
            v.bytes.withUnsafeBytes { raw in
                for i in 0..<v.count {
                    CanonicalJSON.appendString(UnsafeRawBufferPointer(rebasing: raw[v.offsets[i]..<v.offsets[i + 1]]), to: &out.bytes)
                    out.offsets.append(out.bytes.count)
                }
            }
        case (.binary, .byteArray(let v)):
            v.bytes.withUnsafeBytes { raw in
                for i in 0..<v.count {
                    CanonicalJSON.appendBase64(UnsafeRawBufferPointer(rebasing: raw[v.offsets[i]..<v.offsets[i + 1]]), to: &out.bytes)
                    out.offsets.append(out.bytes.count)
                }
            }
        case (.binary, .fixedLenByteArray(let v)):
            eachFixed(v, &out) { CanonicalJSON.appendBase64($0, to: &$1) }
        case (.uuid, .fixedLenByteArray(let v)) where v.width == 16:
            eachFixed(v, &out) { CanonicalJSON.appendUUID($0, to: &$1) }
        case (.decimal(let scale, _), .int32(let v)):
            for x in v { CanonicalJSON.appendDecimal(unscaled: Int64(x), scale: scale, to: &out.bytes); out.offsets.append(out.bytes.count) }
        case (.decimal(let scale, _), .int64(let v)):
            for x in v { CanonicalJSON.appendDecimal(unscaled: x, scale: scale, to: &out.bytes); out.offsets.append(out.bytes.count) }
        case (.decimal(let scale, _), .byteArray(let v)):
            v.bytes.withUnsafeBytes { raw in
                for i in 0..<v.count {
                    CanonicalJSON.appendDecimal(bigEndianTwosComplement: UnsafeRawBufferPointer(rebasing: raw[v.offsets[i]..<v.offsets[i + 1]]),
                                                scale: scale, to: &out.bytes)
                    out.offsets.append(out.bytes.count)
                }
            }
        case (.decimal(let scale, _), .fixedLenByteArray(let v)):
            eachFixed(v, &out) { CanonicalJSON.appendDecimal(bigEndianTwosComplement: $0, scale: scale, to: &$1) }
        case (.date, .int32(let v)):
            for x in v { CanonicalJSON.appendDate(days: x, to: &out.bytes); out.offsets.append(out.bytes.count) }
        case (.time(let unit, _), .int32(let v)):
            for x in v { CanonicalJSON.appendTime(Int64(x), unit: TemporalUnit(unit), to: &out.bytes); out.offsets.append(out.bytes.count) }
        case (.time(let unit, _), .int64(let v)):
            for x in v { CanonicalJSON.appendTime(x, unit: TemporalUnit(unit), to: &out.bytes); out.offsets.append(out.bytes.count) }
        case (.timestamp(let unit, let utc), .int64(let v)):
            for x in v {
                CanonicalJSON.appendTimestamp(x, unit: TemporalUnit(unit), adjustedToUTC: utc, to: &out.bytes)
                out.offsets.append(out.bytes.count)
            }
        case (.timestamp(let unit, let utc), .int32(let v)):
            for x in v {
                CanonicalJSON.appendTimestamp(Int64(x), unit: TemporalUnit(unit), adjustedToUTC: utc, to: &out.bytes)
                out.offsets.append(out.bytes.count)
            }
        case (.int96Timestamp, .int96(let v)):
            eachFixed(v, &out) { CanonicalJSON.appendInt96($0, to: &$1) }
        case (.unsupported(let what), _):
            throw FloeError.unsupported("\(what) in column \(descriptor.dottedPath)")
        default:
            throw mismatch()
        }
        return out
    }

    @inline(__always)
    private static func eachFixed(_ v: FixedWidthValues, _ out: inout BinaryValues,
                                  _ body: (UnsafeRawBufferPointer, inout [UInt8]) -> Void) {
        let w = v.width
        v.bytes.withUnsafeBytes { raw in
            for i in 0..<v.count {
                body(UnsafeRawBufferPointer(rebasing: raw[(i * w)..<((i + 1) * w)]), &out.bytes)
                out.offsets.append(out.bytes.count)
            }
        }
    }
}

extension TemporalUnit {
    /// The unit of a Parquet TIME or TIMESTAMP.
    public init(_ unit: TimeUnit) {
        switch unit {
        case .millis: self = .millis
        case .micros: self = .micros
        case .nanos: self = .nanos
        }
    }
}
