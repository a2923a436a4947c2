// Fuzz target `plain`: the PLAIN decoders — BYTE_ARRAY (length-prefixed), fixed-width,
// booleans and the numeric types. Input: type byte, width byte, 2-byte count, then the data.
import Floe

enum FuzzTarget {
    static func run(_ data: [UInt8]) {
        var h = FuzzHeader(data)
        let type = h.byte() % 7
        let width = Int(h.byte() % 40)
        let count = h.u16()
        let src = h.rest
        src.withUnsafeBytes { raw in
            switch type {
            case 0:
                var out = BinaryValues()
                out.append([1, 2, 3])  // decoding appends after what is there
                if let used = try? Plain.decodeByteArray(raw, count: count, appendingTo: &out) {
                    check(used, raw.count)
                    if out.count != count + 1 || out.offsets.last != out.bytes.count { fatalError("byte array offsets broken") }
                    var previous = 0
                    for o in out.offsets { if o < previous { fatalError("offsets decrease") }; previous = o }
                    if out.bytes.count != used - 4 * count + 3 { fatalError("byte count mismatch") }
                } else if out.count != 1 || out.bytes != [1, 2, 3] {
                    fatalError("a failed decode left values behind")
                }
            case 1:
                var out = FixedWidthValues(width: width)
                if let used = try? Plain.decodeFixed(width: width, raw, count: count, appendingTo: &out) {
                    check(used, raw.count)
                    if width > 0, out.count != count { fatalError("fixed decode count") }
                }
            case 2:
                var out: [Bool] = []
                if (try? Plain.decodeBoolean(raw, count: count, appendingTo: &out)) != nil, out.count != count {
                    fatalError("boolean decode count")
                }
            case 3:
                var out: [Int32] = []
                if (try? Plain.decodeInt32(raw, count: count, appendingTo: &out)) != nil, out.count != count { fatalError("int32 count") }
            case 4:
                var out: [Int64] = []
                if (try? Plain.decodeInt64(raw, count: count, appendingTo: &out)) != nil, out.count != count { fatalError("int64 count") }
            case 5:
                var out: [Float] = []
                if (try? Plain.decodeFloat(raw, count: count, appendingTo: &out)) != nil, out.count != count { fatalError("float count") }
            default:
                var out: [Double] = []
                if (try? Plain.decodeDouble(raw, count: count, appendingTo: &out)) != nil, out.count != count { fatalError("double count") }
            }
        }
    }

    static func check(_ used: Int, _ available: Int) {
        if used < 0 || used > available { fatalError("decode consumed \(used) of \(available) bytes") }
    }

    static func seeds(from files: [String]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let strings = BinaryValues((0..<50).map { i in Array(String(repeating: "x", count: i % 13).utf8) })
        var w = ByteWriter()
        Plain.encodeByteArray(strings, range: 0..<50, into: &w)
        out.append([0, 0, 50, 0] + w.bytes)
        out.append([1, 5, 20, 0] + (0..<100).map { UInt8($0) })
        out.append([2, 0, 77, 0] + [0xA5, 0x5A, 0xFF, 0, 1, 2, 3, 4, 5, 6])
        out.append([3, 0, 4, 0] + (0..<16).map { UInt8($0) })
        out.append([4, 0, 2, 0] + (0..<16).map { UInt8($0) })
        out.append([6, 0, 2, 0] + (0..<16).map { UInt8($0 * 3) })
        return out
    }
}
