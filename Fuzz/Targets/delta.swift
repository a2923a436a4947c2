// Fuzz target `delta`: DELTA_BINARY_PACKED (INT32, INT64), DELTA_LENGTH_BYTE_ARRAY and
// DELTA_BYTE_ARRAY (variable and fixed width) decoders on raw input, plus round trips:
// values taken from the input are encoded and must decode to themselves.
// Input: mode byte, 2-byte count, width byte, then the data.
import Floe

enum FuzzTarget {
    static func run(_ data: [UInt8]) {
        var h = FuzzHeader(data)
        let mode = h.byte() % 8
        let count = h.u16()
        let width = Int(h.byte() % 33)
        let src = h.rest
        src.withUnsafeBytes { raw in
            switch mode {
            case 0:
                var out: [Int32] = [7]
                if let used = try? DeltaBinaryPacked.decodeInt32(raw, count: count, appendingTo: &out) {
                    check(used, raw.count); if out.count != count + 1 { fatalError("int32 count") }
                } else if out != [7] { fatalError("a failed decode left values behind") }
            case 1:
                var out: [Int64] = []
                if let used = try? DeltaBinaryPacked.decodeInt64(raw, count: count, appendingTo: &out) {
                    check(used, raw.count); if out.count != count { fatalError("int64 count") }
                }
            case 2:
                var out = BinaryValues([[1, 2]])
                if let used = try? DeltaLengthByteArray.decode(raw, count: count, appendingTo: &out) {
                    check(used, raw.count); consistent(out, count + 1)
                } else if out != BinaryValues([[1, 2]]) { fatalError("a failed decode left values behind") }
            case 3:
                var out = BinaryValues()
                if let used = try? DeltaByteArray.decode(raw, count: count, appendingTo: &out, maxBytes: 1 << 24) {
                    check(used, raw.count); consistent(out, count)
                } else if out.count != 0 { fatalError("a failed decode left values behind") }
            case 4:
                var out = FixedWidthValues(width: width)
                if let used = try? DeltaByteArray.decodeFixed(raw, count: count, appendingTo: &out) {
                    check(used, raw.count); if out.count != count || out.bytes.count != count * width { fatalError("fixed count") }
                }
            case 5:
                // Round trip of INT64 values read from the input.
                let values = (0..<(raw.count / 8)).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self) }
                var w = ByteWriter()
                values.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt64($0, into: &w) }
                var back: [Int64] = []
                guard let used = try? w.bytes.withUnsafeBytes({ (b) throws(FloeError) -> Int in
                    try DeltaBinaryPacked.decodeInt64(b, count: values.count, appendingTo: &back)
                }) else { fatalError("DELTA_BINARY_PACKED does not decode its own encoding of \(values.count) values") }
                if back != values || used != w.bytes.count { fatalError("DELTA_BINARY_PACKED INT64 round trip differs") }
            case 6:
                let values = (0..<(raw.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) }
                var w = ByteWriter()
                values.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt32($0, into: &w) }
                var back: [Int32] = []
                guard (try? w.bytes.withUnsafeBytes({ (b) throws(FloeError) -> Int in
                    try DeltaBinaryPacked.decodeInt32(b, count: values.count, appendingTo: &back)
                })) != nil, back == values else { fatalError("DELTA_BINARY_PACKED INT32 round trip differs") }
            default:
                // Round trip of byte arrays: the input split at zero bytes.
                let strings = BinaryValues(Array(raw).split(separator: 0, omittingEmptySubsequences: false).map(Array.init))
                for encoder in 0..<2 {
                    var w = ByteWriter()
                    if encoder == 0 { DeltaByteArray.encode(strings, range: 0..<strings.count, into: &w) }
                    else { DeltaLengthByteArray.encode(strings, range: 0..<strings.count, into: &w) }
                    var back = BinaryValues()
                    let ok = (try? w.bytes.withUnsafeBytes { (b) throws(FloeError) -> Int in
                        encoder == 0 ? try DeltaByteArray.decode(b, count: strings.count, appendingTo: &back)
                                     : try DeltaLengthByteArray.decode(b, count: strings.count, appendingTo: &back)
                    }) != nil
                    if !ok || back != strings { fatalError("delta byte array round trip differs (encoder \(encoder))") }
                }
            }
        }
    }

    static func check(_ used: Int, _ available: Int) {
        if used < 0 || used > available { fatalError("decode consumed \(used) of \(available) bytes") }
    }

    static func consistent(_ v: BinaryValues, _ count: Int) {
        if v.count != count || v.offsets.first != 0 || v.offsets.last != v.bytes.count { fatalError("byte array offsets broken") }
        var previous = 0
        for o in v.offsets { if o < previous { fatalError("offsets decrease") }; previous = o }
    }

    static func seeds(from files: [String]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let ints = (0..<300).map { Int64($0 * $0 % 1000) - 400 }
        var w = ByteWriter()
        ints.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt64($0, into: &w) }
        out.append([1, 44, 1, 0] + w.bytes)
        w = ByteWriter()
        let small = ints.map { Int32($0) }
        small.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt32($0, into: &w) }
        out.append([0, 44, 1, 0] + w.bytes)
        let strings = BinaryValues((0..<60).map { Array("prefix-\($0 / 7)-\($0)".utf8) })
        w = ByteWriter(); DeltaLengthByteArray.encode(strings, range: 0..<60, into: &w)
        out.append([2, 60, 0, 0] + w.bytes)
        w = ByteWriter(); DeltaByteArray.encode(strings, range: 0..<60, into: &w)
        out.append([3, 60, 0, 0] + w.bytes)
        let fixed = FixedWidthValues(width: 6, bytes: (0..<120).map { UInt8($0 / 13) })
        w = ByteWriter(); DeltaByteArray.encodeFixed(fixed, range: 0..<20, into: &w)
        out.append([4, 20, 0, 6] + w.bytes)
        out.append([5, 0, 0, 0] + ints.flatMap { v in withUnsafeBytes(of: v) { Array($0) } })
        out.append([7, 0, 0, 0] + Array("alpha\0alphabet\0beta\0\0gamma".utf8))
        return out
    }
}
