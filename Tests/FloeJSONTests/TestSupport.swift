@testable import FloeJSON

/// The canonical JSON text one appender writes, as a String (tests compare whole outputs).
func render(_ body: (inout [UInt8]) -> Void) -> String {
    var out: [UInt8] = []
    body(&out)
    return String(decoding: out, as: UTF8.self)
}

/// The raw bytes one appender writes.
func renderBytes(_ body: (inout [UInt8]) -> Void) -> [UInt8] {
    var out: [UInt8] = []
    body(&out)
    return out
}

/// A small seeded generator (SplitMix64) so fuzz and property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// True when `bytes` is well-formed UTF-8 (decoding with repair changes nothing).
func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
}

/// Bytes from a hex string ("00ff10"); test data only.
func hexBytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var chars = Array(hex.utf8)[...]
    while chars.count >= 2 {
        let pair = String(decoding: chars.prefix(2), as: UTF8.self)
        result.append(UInt8(pair, radix: 16) ?? 0)
        chars = chars.dropFirst(2)
    }
    return result
}
