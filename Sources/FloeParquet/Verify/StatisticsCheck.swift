import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns

/// Compares claimed statistics (a chunk's, a page header's, a column index entry's) with the
/// values they describe, in the column's sort order.
struct StatisticsCheck {
    let descriptor: ColumnDescriptor
    let order: StatisticsOrder
    /// False when the footer declares a column order this code does not know: min/max are then
    /// not compared.
    let comparable: Bool

    init(descriptor: ColumnDescriptor, columnOrder: ColumnOrder?) {
        self.descriptor = descriptor
        self.order = StatisticsOrder(descriptor)
        if case .unrecognized = columnOrder { comparable = false } else { comparable = true }
    }

    /// The smallest and largest non-null, non-NaN value of `values[range]` as PLAIN bytes, or
    /// nil when there is none (or the order is undefined).
    func actualBounds(_ values: PhysicalValues, _ range: Range<Int>) -> (min: [UInt8], max: [UInt8])? {
        guard order != .none, !range.isEmpty, range.lowerBound >= 0, range.upperBound <= values.count else { return nil }
        if order == .unsignedBytes {
            switch values {
            case .byteArray(let v): return StatisticsCheck.byteBounds(v, range)
            case .fixedLenByteArray(let v): return StatisticsCheck.fixedBounds(v, range)
            default: break
            }
        }
        var builder = StatisticsBuilder(descriptor: descriptor, truncateLength: 0)
        builder.add(values, range: range)
        let s = builder.statistics()
        guard let lo = s.minValue, let hi = s.maxValue else { return nil }
        return (lo, hi)
    }

    /// The smallest and largest of `v[range]` in unsigned byte order: one pass comparing in
    /// place (no copy per value), then the two winners are copied.
    static func byteBounds(_ v: BinaryValues, _ range: Range<Int>) -> (min: [UInt8], max: [UInt8])? {
        guard v.offsets.count == v.count + 1, v.offsets.last == v.bytes.count else { return nil }
        var lo = range.lowerBound, hi = lo
        v.offsets.withUnsafeBufferPointer { offsets in
            v.bytes.withUnsafeBytes { bytes in
                func compare(_ a: Int, _ b: Int) -> Int {
                    let aStart = offsets[a], aEnd = Swift.max(aStart, offsets[a + 1])
                    let bStart = offsets[b], bEnd = Swift.max(bStart, offsets[b + 1])
                    return compareBytes(bytes, aStart, aEnd &- aStart, bStart, bEnd &- bStart)
                }
                for i in range.dropFirst() {
                    if compare(i, lo) < 0 { lo = i } else if compare(i, hi) > 0 { hi = i }
                }
            }
        }
        return (Array(v[lo]), Array(v[hi]))
    }

    /// ``byteBounds(_:_:)`` for fixed-width values.
    static func fixedBounds(_ v: FixedWidthValues, _ range: Range<Int>) -> (min: [UInt8], max: [UInt8])? {
        let w = v.width
        guard w > 0, v.bytes.count >= range.upperBound &* w else { return nil }
        var lo = range.lowerBound, hi = lo
        v.bytes.withUnsafeBytes { bytes in
            for i in range.dropFirst() {
                if compareBytes(bytes, i &* w, w, lo &* w, w) < 0 { lo = i }
                else if compareBytes(bytes, i &* w, w, hi &* w, w) > 0 { hi = i }
            }
        }
        return (Array(v[lo]), Array(v[hi]))
    }

    /// Lexicographic comparison of two byte runs of `bytes` (negative, zero or positive).
    @inline(__always)
    static func compareBytes(_ bytes: UnsafeRawBufferPointer, _ a: Int, _ aCount: Int, _ b: Int, _ bCount: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = Swift.min(aCount, bCount)
        let p = base.assumingMemoryBound(to: UInt8.self)
        var i = 0
        while i < n {
            let x = p[a &+ i], y = p[b &+ i]
            if x != y { return x < y ? -1 : 1 }
            i &+= 1
        }
        return aCount == bCount ? 0 : (aCount < bCount ? -1 : 1)
    }

    /// The min and max a `Statistics` claims: `min_value`/`max_value`, or the legacy `min`/`max`
    /// where their signed order agrees with the column's.
    func claimed(_ s: Statistics) -> (min: [UInt8]?, max: [UInt8]?) {
        let legacyAgrees: Bool
        switch order {
        case .boolean, .signedInt32, .signedInt64, .float, .double: legacyAgrees = true
        default: legacyAgrees = false
        }
        return (s.minValue ?? (legacyAgrees ? s.min : nil), s.maxValue ?? (legacyAgrees ? s.max : nil))
    }

    /// The byte width a min/max must have in this order, if fixed.
    private var fixedWidth: Int? {
        switch order {
        case .boolean: 1
        case .signedInt32, .unsignedInt32, .float: 4
        case .signedInt64, .unsignedInt64, .double: 8
        case .float16: 2
        default: nil
        }
    }

    /// Reports a min/max that does not bound the actual values (error), an exact min/max that
    /// is not attained (warning), malformed bounds, and a min above the max.
    func checkBounds(min: [UInt8]?, max: [UInt8]?, minExact: Bool? = nil, maxExact: Bool? = nil,
                     actual: (min: [UInt8], max: [UInt8])?, what: String, at: Location, into sink: inout FindingSink) {
        guard comparable, order != .none else { return }
        if let width = fixedWidth {
            for (name, v) in [("min", min), ("max", max)] {
                if let v, v.count != width {
                    sink.error(.corrupt, "\(what) \(name) has \(v.count) bytes; a \(descriptor.physicalType) value has \(width)", at: at)
                    return
                }
            }
        }
        if let lo = min, let hi = max, order.less(hi[...], lo[...]) {
            sink.error(.corrupt, "\(what) min \(render(lo)) is above its max \(render(hi))", at: at)
            return
        }
        guard let actual else { return }
        if let lo = min {
            if order.less(actual.min[...], lo[...]) {
                sink.error(.corrupt, "\(what) min \(render(lo)) is above the smallest value \(render(actual.min))", at: at)
            } else if minExact == true, order.less(lo[...], actual.min[...]) {
                sink.warning(.corrupt, "\(what) min \(render(lo)) is flagged exact but the smallest value is \(render(actual.min))", at: at)
            }
        }
        if let hi = max {
            if order.less(hi[...], actual.max[...]) {
                sink.error(.corrupt, "\(what) max \(render(hi)) is below the largest value \(render(actual.max))", at: at)
            } else if maxExact == true, order.less(actual.max[...], hi[...]) {
                sink.warning(.corrupt, "\(what) max \(render(hi)) is flagged exact but the largest value is \(render(actual.max))", at: at)
            }
        }
    }

    /// A statistics value as text for messages: numbers as numbers, printable text quoted,
    /// other bytes in hex (long values cut).
    func render(_ bytes: [UInt8]) -> String {
        switch order {
        case .boolean: return bytes.first.map { $0 != 0 ? "true" : "false" } ?? "?"
        case .signedInt32: return Int32.fromLittleEndianBytes(bytes).map { "\($0)" } ?? hexBytes(bytes)
        case .unsignedInt32: return UInt32.fromLittleEndianBytes(bytes).map { "\($0)" } ?? hexBytes(bytes)
        case .signedInt64: return Int64.fromLittleEndianBytes(bytes).map { "\($0)" } ?? hexBytes(bytes)
        case .unsignedInt64: return UInt64.fromLittleEndianBytes(bytes).map { "\($0)" } ?? hexBytes(bytes)
        case .float: return UInt32.fromLittleEndianBytes(bytes).map { "\(Float(bitPattern: $0))" } ?? hexBytes(bytes)
        case .double: return UInt64.fromLittleEndianBytes(bytes).map { "\(Double(bitPattern: $0))" } ?? hexBytes(bytes)
        case .float16: return bytes.count == 2 ? "\(Half(bytes[...]).value)" : hexBytes(bytes)
        default:
            let shown = bytes.prefix(40)
            let printable = shown.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") }
            let cut = bytes.count > shown.count ? "…" : ""
            return printable ? "\"\(String(decoding: shown, as: UTF8.self))\(cut)\"" : hexBytes(Array(shown)) + cut
        }
    }

    private func hexBytes(_ bytes: [UInt8]) -> String {
        "0x" + bytes.map { b in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
    }
}
