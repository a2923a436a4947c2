import Floe

/// Segment-style JSON lines (FloeJSON's `EventGenerator`) for the JSON benchmarks.
public struct JSONBenchLines: Sendable {
    /// The lines with their newlines: exactly `BenchData.jsonBytes` bytes.
    public var bytes: [UInt8]
    /// Each line's range in `bytes`, without its newline.
    public var lines: [Range<Int>]
}

extension BenchData {
    /// Bytes of JSON lines per measured iteration (`.mega`: throughput reads as bytes/s).
    public static let jsonBytes = 1_000_000

    /// Whole events up to `jsonBytes` bytes (seed 42). The last line is padded with spaces
    /// (JSON whitespace) so the input is exactly `jsonBytes` bytes.
    public static func jsonEventLines() -> JSONBenchLines {
        var generator = EventGenerator(seed: 42)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(jsonBytes)
        var lines: [Range<Int>] = []
        var next: [UInt8] = []
        while true {
            next.removeAll(keepingCapacity: true)
            generator.appendEvent(to: &next)
            if bytes.count + next.count > jsonBytes { break }
            let start = bytes.count
            bytes.append(contentsOf: next)
            lines.append(start..<(bytes.count - 1))
        }
        // Pad the last line (before its newline) to the exact size.
        if let last = lines.popLast() {
            let pad = jsonBytes - bytes.count
            bytes.removeLast()
            bytes.append(contentsOf: repeatElement(0x20, count: pad))
            lines.append(last.lowerBound..<bytes.count)
            bytes.append(0x0A)
        }
        return JSONBenchLines(bytes: bytes, lines: lines)
    }
}
