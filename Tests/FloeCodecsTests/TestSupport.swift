import FloeCore
import Testing
@testable import FloeCodecs

/// A small seeded generator (SplitMix64) so every test input is reproducible.
struct SplitMix64: RandomNumberGenerator {
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

enum TestData {
    /// Uniformly random bytes (incompressible).
    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = [UInt8]()
        out.reserveCapacity(count + 8)
        while out.count < count {
            withUnsafeBytes(of: rng.next().littleEndian) { out.append(contentsOf: $0) }
        }
        return Array(out.prefix(count))
    }

    /// Highly compressible text: a few words repeated with little variation.
    static func compressible(_ count: Int) -> [UInt8] {
        let words = ["event", "page_view", "user", "session", "click", "2024-01-01T00:00:00Z"]
        var out = [UInt8]()
        out.reserveCapacity(count)
        var i = 0
        while out.count < count {
            out.append(contentsOf: words[i % words.count].utf8)
            out.append(i % 7 == 0 ? 10 : 32)
            i += 1
        }
        return Array(out.prefix(count))
    }

    /// Bytes shaped like Parquet column pages: PLAIN int64 timestamps with small deltas,
    /// low-cardinality int32 ids, and length-prefixed strings, in blocks.
    static func columnLike(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = [UInt8]()
        out.reserveCapacity(count + 64)
        var timestamp: Int64 = 1_700_000_000_000
        let names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
        while out.count < count {
            for _ in 0..<256 {
                timestamp &+= Int64(rng.next() % 1000)
                withUnsafeBytes(of: timestamp.littleEndian) { out.append(contentsOf: $0) }
            }
            for _ in 0..<256 {
                let id = Int32(truncatingIfNeeded: rng.next() % 40)
                withUnsafeBytes(of: id.littleEndian) { out.append(contentsOf: $0) }
            }
            for _ in 0..<128 {
                let s = "user_\(names[Int(rng.next() % 8)])_\(rng.next() % 5000)"
                withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian) { out.append(contentsOf: $0) }
                out.append(contentsOf: s.utf8)
            }
        }
        return Array(out.prefix(count))
    }
}

/// One codec at one level, for parameterised tests.
struct CodecCase: Sendable, CustomTestStringConvertible {
    let kind: CompressionKind
    let level: Int?
    var testDescription: String { level.map { "\(kind.name)@\($0)" } ?? kind.name }

    /// Every supported codec at its default level and at a few explicit ones.
    static let all: [CodecCase] = CompressionKind.allCases.filter(\.isSupported).flatMap { kind -> [CodecCase] in
        let levels: [Int?]
        switch kind {
        case .zstd: levels = [nil, -5, 1, 19]
        case .gzip: levels = [nil, 0, 1, 9]
        case .brotli: levels = [nil, 0, 5, 11]
        default: levels = [nil]
        }
        return levels.map { CodecCase(kind: kind, level: $0) }
    }
}

/// Every supported codec, for tests that do not vary the level.
let supportedKinds: [CompressionKind] = CompressionKind.allCases.filter(\.isSupported)

/// Compresses with a fresh compressor.
func compressed(_ kind: CompressionKind, level: Int? = nil, _ input: [UInt8]) throws(FloeError) -> [UInt8] {
    var c = try Compressor(kind: kind, level: level)
    return try c.compress(input)
}

/// Decompresses through the pointer API into a buffer of `size` bytes.
func decompressed(_ kind: CompressionKind, _ input: [UInt8], size: Int,
                  using decompressor: inout Decompressor) throws(FloeError) -> [UInt8] {
    var out = [UInt8](repeating: 0xAA, count: size)
    try input.withUnsafeBufferPointer { (src) throws(FloeError) in
        try out.withUnsafeMutableBufferPointer { (dst) throws(FloeError) in
            try decompressor.decompress(kind, UnsafeRawBufferPointer(src), into: UnsafeMutableRawBufferPointer(dst))
        }
    }
    return out
}

/// The error `body` throws, or nil if it returns.
func thrownError(_ body: () throws -> Void) -> FloeError? {
    do {
        try body()
        return nil
    } catch let error as FloeError {
        return error
    } catch {
        return FloeError(.io, "not a FloeError: \(error)")
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in big-endian order.
    mutating func appendBigEndian(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
    /// Appends `value` in little-endian order.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
