import FloeCore
@testable import FloeEncodings

/// A small seeded generator (SplitMix64) so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func mask(_ width: Int) -> UInt64 { width >= 64 ? ~0 : (1 << UInt64(width)) - 1 }

/// Reference LSB-first packer, one bit at a time.
func referencePackLSB(_ values: [UInt64], width: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: (values.count * width + 7) / 8)
    var bit = 0
    for v in values {
        for k in 0..<width {
            if (v >> UInt64(k)) & 1 == 1 { out[bit >> 3] |= 1 << UInt8(bit & 7) }
            bit += 1
        }
    }
    return out
}

/// Reference MSB-first (deprecated BIT_PACKED) packer.
func referencePackMSB(_ values: [UInt64], width: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: (values.count * width + 7) / 8)
    var bit = 0
    for v in values {
        for k in stride(from: width - 1, through: 0, by: -1) {
            if (v >> UInt64(k)) & 1 == 1 { out[bit >> 3] |= 0x80 >> UInt8(bit & 7) }
            bit += 1
        }
    }
    return out
}

/// Random values of `width` bits in one of a few shapes: 0 uniform, 1 short runs, 2 constant.
func randomValues(count: Int, width: Int, shape: Int, rng: inout SeededRandom) -> [UInt64] {
    let m = mask(width)
    switch shape {
    case 0: return (0..<count).map { _ in rng.next() & m }
    case 1:
        var out: [UInt64] = []
        while out.count < count {
            let v = rng.next() & m
            let len = Int(rng.next() % 20) + 1
            out.append(contentsOf: repeatElement(v, count: min(len, count - out.count)))
        }
        return out
    default:
        let v = rng.next() & m
        return Array(repeating: v, count: count)
    }
}

/// Runs `body` and returns the thrown FloeError, if any.
func floeError(_ body: () throws(FloeError) -> Void) -> FloeError? {
    do { try body(); return nil } catch { return error }
}

extension Array where Element == UInt8 {
    /// Calls `body` with a raw buffer over exactly these bytes, in a fresh allocation of that
    /// size (so a read past the end touches memory outside it).
    func withExactBytes<R>(_ body: (UnsafeRawBufferPointer) throws(FloeError) -> R) throws(FloeError) -> R {
        let p = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1), alignment: 1)
        defer { p.deallocate() }
        if count > 0 { withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: count) } }
        return try body(UnsafeRawBufferPointer(start: count > 0 ? UnsafeRawPointer(p) : nil, count: count))
    }
}

extension Array {
    /// Calls `body` with a pointer to the first element (the array must not be empty) or to a
    /// scratch element when it is.
    mutating func withPointer<R>(_ body: (UnsafeMutablePointer<Element>) throws(FloeError) -> R) throws(FloeError) -> R {
        var failure: FloeError?
        var result: R?
        withUnsafeMutableBufferPointer { buf in
            let p = buf.baseAddress ?? UnsafeMutablePointer<Element>.allocate(capacity: 1)
            do throws(FloeError) { result = try body(p) } catch { failure = error }
            if buf.baseAddress == nil { p.deallocate() }
        }
        if let failure { throw failure }
        return result!
    }
}
