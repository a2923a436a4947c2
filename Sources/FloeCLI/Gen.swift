import ArgumentParser
import Floe

/// `floe gen`: deterministic Segment-style analytics events as JSON lines.
struct Gen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate deterministic Segment-spec analytics events as JSON lines.")

    @Option(help: "Number of events.") var rows: Int = 10_000
    @Option(help: "Random seed: the same seed gives the same bytes.") var seed: UInt64 = 1
    @Option(name: .shortAndLong, help: "Output file (standard output when absent).") var output: String?
    @Flag(help: "Timestamps in ascending order, as logs arrive (default: random over the span).") var timeOrdered = false

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must not be negative") }
    }

    func run() throws {
        var generator = EventGenerator(seed: seed, order: timeOrdered ? .ascending(count: rows) : .random)
        let sink = try output.map { try AtomicFile(path: $0) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var left = rows
        while left > 0 {
            let n = min(left, 1024)
            for _ in 0..<n { generator.appendEvent(to: &buffer) }
            if let sink { try sink.write(buffer) } else { Terminal.output(buffer) }
            buffer.removeAll(keepingCapacity: true)
            left -= n
        }
        try sink?.commit()
    }
}
