// Fuzz target `dict-indices`: dictionary indices (width byte + RLE/bit-packed runs) and the
// gather that checks them against a dictionary. Input: 2-byte count, 1-byte dictionary size,
// then the index data.
import Floe

enum FuzzTarget {
    static func run(_ data: [UInt8]) {
        var h = FuzzHeader(data)
        let count = h.u16()
        let dictionarySize = Int(h.byte())
        let src = h.rest
        var indices = [UInt32](repeating: 0, count: count)
        let decoded: Bool = src.withUnsafeBytes { raw in
            indices.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return count == 0 }
                guard let used = try? DictionaryIndices.decode(raw, count: count, into: base) else { return false }
                if used < 0 || used > raw.count { fatalError("index decode consumed \(used) of \(raw.count) bytes") }
                return true
            }
        }
        guard decoded else { return }
        let dictionary = (0..<dictionarySize).map { Int64($0) * 10 }
        var gathered: [Int64] = []
        indices.withUnsafeBufferPointer { idx in
            let ok = (try? DictionaryGather.gather(dictionary, indices: idx, appendingTo: &gathered)) != nil
            let inRange = idx.allSatisfy { Int($0) < dictionarySize }
            if ok != inRange { fatalError("gather accepted=\(ok) but indices in range=\(inRange)") }
            if ok {
                for (i, v) in gathered.enumerated() where v != Int64(idx[i]) * 10 { fatalError("gather put the wrong value at \(i)") }
            }
        }
        let strings = BinaryValues((0..<dictionarySize).map { Array("v\($0)".utf8) })
        var binary = BinaryValues()
        indices.withUnsafeBufferPointer { idx in
            if (try? DictionaryGather.gather(strings, indices: idx, appendingTo: &binary)) != nil, binary.count != count {
                fatalError("binary gather produced \(binary.count) of \(count) values")
            }
        }
    }

    static func seeds(from files: [String]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for size in [1, 2, 7, 100, 255] {
            for count in [1, 8, 37, 500] {
                let indices = (0..<count).map { UInt32(($0 * 7 + $0 / 9) % size) }
                var w = ByteWriter()
                indices.withUnsafeBufferPointer { DictionaryIndices.encode($0, dictionarySize: size, into: &w) }
                out.append([UInt8(count & 0xFF), UInt8(count >> 8), UInt8(size)] + w.bytes)
            }
        }
        return out
    }
}
