// Fuzz target `rle`: the RLE / bit-packing hybrid decoder (levels and 32-bit values), and the
// boolean RLE decoder. Input: bit width byte, 2-byte count, then the encoded runs.
import Floe

enum FuzzTarget {
    static func run(_ data: [UInt8]) {
        var h = FuzzHeader(data)
        let width = Int(h.byte() % 34)  // 33 = an invalid width, which must be refused
        let count = h.u16()
        let src = h.rest
        var values = [UInt32](repeating: 0xDEAD_BEEF, count: count)
        src.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                if let used = try? RLEHybrid.decode(raw, bitWidth: width, count: count, into: base) {
                    if used < 0 || used > raw.count { fatalError("RLE decode consumed \(used) of \(raw.count) bytes") }
                }
            }
        }
        var levels = [UInt8](repeating: 0xAA, count: count)
        src.withUnsafeBytes { raw in
            levels.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                if let used = try? RLEHybrid.decodeLevels(raw, bitWidth: width % 10, count: count, into: base) {
                    if used < 0 || used > raw.count { fatalError("level decode consumed \(used) of \(raw.count) bytes") }
                }
            }
        }
        var booleans: [Bool] = []
        src.withUnsafeBytes { raw in
            if (try? BooleanRLE.decode(raw, count: count, appendingTo: &booleans)) != nil, booleans.count != count {
                fatalError("boolean RLE decoded \(booleans.count) of \(count) values")
            }
        }
    }

    /// Encoded runs of several widths and shapes.
    static func seeds(from files: [String]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var state: UInt64 = 1
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for width in [0, 1, 2, 3, 5, 8, 13, 17, 24, 32] {
            for shape in 0..<3 {
                let count = 1 + Int(next() % 300)
                let mask: UInt64 = width == 0 ? 0 : (1 << UInt64(width)) - 1
                let values: [UInt32] = (0..<count).map { i in
                    switch shape {
                    case 0: return UInt32(next() & mask)
                    case 1: return UInt32((UInt64(i / 20)) & mask)
                    default: return UInt32(i % 3 == 0 ? mask : 0)
                    }
                }
                var w = ByteWriter()
                values.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: width, into: &w) }
                out.append([UInt8(width), UInt8(count & 0xFF), UInt8(count >> 8)] + w.bytes)
            }
        }
        return out
    }
}
