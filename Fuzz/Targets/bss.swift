// Fuzz target `bss`: BYTE_STREAM_SPLIT decoders (FLOAT, DOUBLE, INT32, INT64, fixed width) and
// the encode/decode round trip. Input: mode byte, width byte, 2-byte count, then the data.
import Floe

enum FuzzTarget {
    static func run(_ data: [UInt8]) {
        var h = FuzzHeader(data)
        let mode = h.byte() % 6
        let width = Int(h.byte() % 20)
        let count = h.u16()
        let src = h.rest
        src.withUnsafeBytes { raw in
            switch mode {
            case 0:
                var out: [Float] = []
                if (try? ByteStreamSplit.decodeFloat(raw, count: count, appendingTo: &out)) != nil, out.count != count { fatalError("float count") }
            case 1:
                var out: [Double] = []
                if (try? ByteStreamSplit.decodeDouble(raw, count: count, appendingTo: &out)) != nil, out.count != count { fatalError("double count") }
            case 2:
                var out: [Int32] = []
                if (try? ByteStreamSplit.decodeInt32(raw, count: count, appendingTo: &out)) != nil, out.count != count { fatalError("int32 count") }
            case 3:
                var out: [Int64] = []
                if (try? ByteStreamSplit.decodeInt64(raw, count: count, appendingTo: &out)) != nil, out.count != count { fatalError("int64 count") }
            case 4:
                var out = FixedWidthValues(width: width)
                if (try? ByteStreamSplit.decodeFixed(raw, count: count, appendingTo: &out)) != nil,
                   out.bytes.count != count * width { fatalError("fixed count") }
            default:
                guard width > 0 else { return }
                let n = raw.count / width
                let values = FixedWidthValues(width: width, bytes: Array(raw.prefix(n * width)))
                var w = ByteWriter()
                ByteStreamSplit.encodeFixed(values, range: 0..<n, into: &w)
                var back = FixedWidthValues(width: width)
                let ok = (try? w.bytes.withUnsafeBytes { (b) throws(FloeError) -> Int in
                    try ByteStreamSplit.decodeFixed(b, count: n, appendingTo: &back)
                }) != nil
                if !ok || back != values { fatalError("BYTE_STREAM_SPLIT round trip differs (width \(width), \(n) values)") }
            }
        }
    }

    static func seeds(from files: [String]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let floats = (0..<50).map { Float($0) * 1.5 - 20 }
        var w = ByteWriter()
        floats.withUnsafeBufferPointer { ByteStreamSplit.encodeFloat($0, into: &w) }
        out.append([0, 4, 50, 0] + w.bytes)
        let doubles = (0..<30).map { Double($0) / 3 }
        w = ByteWriter()
        doubles.withUnsafeBufferPointer { ByteStreamSplit.encodeDouble($0, into: &w) }
        out.append([1, 8, 30, 0] + w.bytes)
        out.append([4, 3, 10, 0] + (0..<30).map { UInt8($0) })
        out.append([5, 5, 0, 0] + (0..<55).map { UInt8($0 * 7 % 256) })
        return out
    }
}
