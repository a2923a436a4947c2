import Testing
@testable import FloeJSON

/// True when `bytes` is one JSON string token (RFC 8259): quotes, no raw control characters,
/// valid escapes, valid UTF-8.
func isJSONString(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 2, bytes.first == 0x22, bytes.last == 0x22, isValidUTF8(bytes) else { return false }
    var i = 1
    let end = bytes.count - 1
    while i < end {
        let b = bytes[i]
        if b < 0x20 || b == 0x22 { return false }
        if b == 0x5C {
            guard i + 1 < end else { return false }
            let e = bytes[i + 1]
            if e == 0x75 {  // \uXXXX
                guard i + 5 < end, bytes[(i + 2)...(i + 5)].allSatisfy({ $0.isHexDigit }) else { return false }
                i += 6
                continue
            }
            guard Array("\"\\/bfnrt".utf8).contains(e) else { return false }
            i += 2
            continue
        }
        i += 1
    }
    return true
}

/// True when `bytes` is one JSON number token (RFC 8259).
func isJSONNumber(_ bytes: [UInt8]) -> Bool {
    var i = 0
    func digits() -> Int {
        let start = i
        while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
        return i - start
    }
    if i < bytes.count && bytes[i] == 0x2D { i += 1 }
    guard i < bytes.count else { return false }
    if bytes[i] == 0x30 { i += 1 } else if digits() == 0 { return false }
    if i < bytes.count && bytes[i] == 0x2E { i += 1; if digits() == 0 { return false } }
    if i < bytes.count && (bytes[i] == 0x65 || bytes[i] == 0x45) {
        i += 1
        if i < bytes.count && (bytes[i] == 0x2B || bytes[i] == 0x2D) { i += 1 }
        if digits() == 0 { return false }
    }
    return i == bytes.count
}

extension UInt8 {
    var isHexDigit: Bool { (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self) }
}

/// Checks `"[±]YYYY…-MM-DDTHH:MM:SS.fff…[Z]"` with in-range fields; returns false otherwise.
func isTimestampText(_ text: String, fractionDigits: Int, zulu: Bool) -> Bool {
    var body = Substring(text)
    guard body.first == "\"", body.last == "\"" else { return false }
    body = body.dropFirst().dropLast()
    if zulu { guard body.last == "Z" else { return false }; body = body.dropLast() }
    if body.first == "+" || body.first == "-" { body = body.dropFirst() }
    let parts = body.split(separator: "T", omittingEmptySubsequences: false)
    guard parts.count == 2 else { return false }
    let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
    let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
    guard date.count == 3, clock.count == 3, date[0].count >= 4, date[1].count == 2, date[2].count == 2,
          let month = Int(date[1]), (1...12).contains(month), let day = Int(date[2]), (1...31).contains(day),
          clock[0].count == 2, let hour = Int(clock[0]), hour < 24,
          let minute = Int(clock[1]), minute < 60 else { return false }
    let seconds = clock[2].split(separator: ".", omittingEmptySubsequences: false)
    guard seconds.count == 2, seconds[0].count == 2, let second = Int(seconds[0]), second < 60,
          seconds[1].count == fractionDigits, seconds[1].allSatisfy(\.isNumber), date[0].allSatisfy(\.isNumber) else { return false }
    return true
}

@Suite struct FuzzTests {
    /// Random bytes biased towards the interesting ones: quotes, backslashes, controls, UTF-8
    /// lead and continuation bytes, and long plain runs for the 8-byte path.
    static func randomBytes(_ rng: inout SeededGenerator, maxCount: Int) -> [UInt8] {
        let count = Int(rng.next() % UInt64(maxCount + 1))
        let mode = rng.next() % 4
        let interesting: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED,
                                    0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x90, 0x8F]
        return (0..<count).map { _ in
            let r = rng.next()
            switch mode {
            case 0: return UInt8(truncatingIfNeeded: r)
            case 1: return r % 8 == 0 ? interesting[Int((r >> 8) % UInt64(interesting.count))] : UInt8(0x61 + (r >> 16) % 26)
            case 2: return r % 3 == 0 ? UInt8(0x80 | (r >> 8) % 64) : UInt8(0xC0 | (r >> 16) % 64)
            default: return r % 32 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : UInt8(0x20 + (r >> 16) % 95)
            }
        }
    }

    @Test func stringsMatchReferenceAndAreValidJSON() {
        var rng = SeededGenerator(seed: 0x57F1)
        for _ in 0..<10_000 {
            let bytes = Self.randomBytes(&rng, maxCount: 70)
            let out = renderString(bytes)
            #expect(out == referenceString(bytes), "\(bytes)")
            #expect(isJSONString(out), "\(bytes)")
        }
    }

    @Test func decimalsNeverTrapAndAreValid() {
        var rng = SeededGenerator(seed: 0xDEC1)
        for _ in 0..<6_000 {
            let bytes = Self.randomBytes(&rng, maxCount: 48)
            let scaleChoice = rng.next()
            let scale: Int = switch scaleChoice % 5 {
            case 0: 0
            case 1: Int((scaleChoice >> 8) % 40)
            case 2: -Int((scaleChoice >> 8) % 40)
            case 3: Int(truncatingIfNeeded: scaleChoice)
            default: Int((scaleChoice >> 8) % 10_000) - 5_000  // around the limit, both signs
            }
            let out = renderBytes { out in bytes.withUnsafeBytes { CanonicalJSON.appendDecimal(bigEndianTwosComplement: $0, scale: scale, to: &out) } }
            #expect(isJSONString(out))
            #expect(out.count <= bytes.count * 3 + CanonicalJSON.decimalScaleLimit + 40)
            let inner = Array(out.dropFirst().dropLast())
            let numberPart = inner.split(separator: 0x45, omittingEmptySubsequences: false)
            #expect(numberPart.count <= 2 && numberPart.allSatisfy { isJSONNumber(Array($0)) }, "\(bytes) \(scale)")
        }
    }

    @Test func int96NeverTrapsAndIsWellFormed() {
        var rng = SeededGenerator(seed: 0x1296)
        for i in 0..<8_000 {
            var bytes = (0..<12).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if i % 3 == 0 {
                // Plausible days with random nanoseconds, and the reverse.
                let jd = Int32(truncatingIfNeeded: Int64(2_440_588) + Int64(bitPattern: rng.next()) % 3_000_000)
                bytes.replaceSubrange(8..<12, with: withUnsafeBytes(of: jd.littleEndian) { Array($0) })
            }
            let text = renderInt96(bytes)
            #expect(isValidUTF8(Array(text.utf8)))
            #expect(isTimestampText(text, fractionDigits: 9, zulu: false), "\(bytes) → \(text)")
        }
        for length in [0, 1, 11, 13, 24] {
            let text = renderInt96([UInt8](repeating: 0xAB, count: length))
            #expect(isJSONString(Array(text.utf8)))
        }
    }

    @Test func temporalAndNumericValuesAreWellFormed() {
        var rng = SeededGenerator(seed: 0x7E3)
        let units: [TemporalUnit] = [.millis, .micros, .nanos]
        for i in 0..<8_000 {
            let v = Int64(bitPattern: rng.next()) >> (rng.next() % 64)
            let unit = units[i % 3]
            let ts = render { CanonicalJSON.appendTimestamp(v, unit: unit, adjustedToUTC: i % 2 == 0, to: &$0) }
            #expect(isTimestampText(ts, fractionDigits: unit.fractionDigits, zulu: i % 2 == 0), "\(v) \(unit) → \(ts)")
            let date = render { CanonicalJSON.appendDate(days: Int32(truncatingIfNeeded: v), to: &$0) }
            #expect(isJSONString(Array(date.utf8)) && date.split(separator: "-").count >= 3)
            let time = renderBytes { CanonicalJSON.appendTime(v, unit: unit, to: &$0) }
            #expect(isJSONString(time))
            let double = renderBytes { CanonicalJSON.appendDouble(Double(bitPattern: rng.next()), to: &$0) }
            #expect(isJSONNumber(double) || isJSONString(double))
            let float = renderBytes { CanonicalJSON.appendFloat(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())), to: &$0) }
            #expect(isJSONNumber(float) || isJSONString(float))
            let half = renderBytes { CanonicalJSON.appendFloat16(bits: UInt16(truncatingIfNeeded: rng.next()), to: &$0) }
            #expect(isJSONNumber(half) || isJSONString(half))
            let integer = renderBytes { CanonicalJSON.appendInt(v, to: &$0) }
            #expect(isJSONNumber(integer))
        }
    }
}
