// The JSON-lines path of FloeJSON: tokenizing, projected reading, schema inference and
// shredding into columns, line by line as the converter and the query engine call them.
//
// Every benchmark processes BenchData.jsonBytes = 1,000,000 bytes of Segment-style events
// (FloeJSON's EventGenerator, seed 42; whole lines, newlines included, the last line padded
// with spaces to the exact size) per measured iteration, with the `.mega` scaling factor: the
// scaled throughput the harness prints is input bytes per second (M = MB/s). The lines are
// split once beforehand, so the figures exclude finding the newlines. Outputs (tapes, column
// buffers) are reused where the API allows; mallocs per iteration are counted.
import Benchmark
import BenchSupport
import Floe

/// Scratch state a benchmark closure mutates across iterations.
final class Scratch<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

// Inputs, built once per benchmark process on first use (global lets are lazy).
let events = BenchData.jsonEventLines()

/// Each line's tape, scanned once (for the benchmarks of what consumes tapes).
let eventTapes: [JSONTape] = {
    var scanner = JSONLineScanner()
    do {
        return try events.bytes.withBytes { (raw) throws(FloeError) -> [JSONTape] in
            var tapes: [JSONTape] = []
            for (i, range) in events.lines.enumerated() {
                var tape = JSONTape()
                try scanner.scan(UnsafeRawBufferPointer(rebasing: raw[range]), lineNumber: i + 1, isFirstLine: i == 0, into: &tape)
                tapes.append(tape)
            }
            return tapes
        }
    } catch { fatalError("\(error)") }
}()

/// The schema inferred from the events (what `floe convert` would write).
let eventSchema: Schema = {
    var inference = SchemaInference()
    do {
        try events.bytes.withBytes { (raw) throws(FloeError) in
            for (tape, range) in zip(eventTapes, events.lines) {
                try inference.add(tape, line: UnsafeRawBufferPointer(rebasing: raw[range]))
            }
        }
        return try inference.schema()
    } catch { fatalError("\(error)") }
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(2),
        maxIterations: 2_000
    )

    // Tokenizing: one scanner and one tape for all lines.
    let scanner = Scratch(JSONLineScanner())
    let tape = Scratch(JSONTape())
    Benchmark("JSONLineScanner scan Segment events (\(events.lines.count) lines)",
              configuration: .init(setup: { _ = events })) { benchmark in
        precondition(benchmark.scaledIterations.upperBound == BenchData.jsonBytes)
        var tokens = 0
        try events.bytes.withBytes { (raw) throws(FloeError) in
            for (i, range) in events.lines.enumerated() {
                try scanner.value.scan(UnsafeRawBufferPointer(rebasing: raw[range]), lineNumber: i + 1,
                                       isFirstLine: i == 0, into: &tape.value)
                tokens &+= tape.value.count
            }
        }
        blackHole(tokens)
    }

    // Projected reading of two top-level fields (the rest of each line is skipped).
    let projected = Scratch(ProjectedLineScanner(paths: ProjectionPaths([["type"], ["userId"]])))
    Benchmark("ProjectedLineScanner type + userId",
              configuration: .init(setup: { _ = events })) { benchmark in
        precondition(benchmark.scaledIterations.upperBound == BenchData.jsonBytes)
        try events.bytes.withBytes { (raw) throws(FloeError) in
            for (i, range) in events.lines.enumerated() {
                try projected.value.scan(UnsafeRawBufferPointer(rebasing: raw[range]), lineNumber: i + 1, isFirstLine: i == 0)
            }
        }
        blackHole(projected.value.takeColumns())
    }

    // Schema inference over scanned tapes (one inference for all iterations, as over a long file).
    let inference = Scratch(SchemaInference())
    Benchmark("SchemaInference add (tapes scanned beforehand)",
              configuration: .init(setup: { _ = eventTapes })) { benchmark in
        precondition(benchmark.scaledIterations.upperBound == BenchData.jsonBytes)
        try events.bytes.withBytes { (raw) throws(FloeError) in
            for (tape, range) in zip(eventTapes, events.lines) {
                try inference.value.add(tape, line: UnsafeRawBufferPointer(rebasing: raw[range]))
            }
        }
        blackHole(inference.value.lineCount)
    }

    // Shredding into the columns of the inferred schema; the columns are taken after each
    // iteration (as the converter takes them per chunk).
    let shredder: Scratch<JSONShredder>
    let tapeShredder: Scratch<JSONShredder>
    do {
        shredder = Scratch(try JSONShredder(schema: eventSchema))
        tapeShredder = Scratch(try JSONShredder(schema: eventSchema))
    } catch { fatalError("\(error)") }
    Benchmark("JSONShredder append lines (scan + shred)",
              configuration: .init(setup: { _ = events })) { benchmark in
        precondition(benchmark.scaledIterations.upperBound == BenchData.jsonBytes)
        try events.bytes.withBytes { (raw) throws(FloeError) in
            for (i, range) in events.lines.enumerated() {
                try shredder.value.append(line: UnsafeRawBufferPointer(rebasing: raw[range]), lineNumber: i + 1, isFirstLine: i == 0)
            }
        }
        blackHole(shredder.value.take())
    }
    Benchmark("JSONShredder append tapes (shred only)",
              configuration: .init(setup: { _ = eventTapes })) { benchmark in
        precondition(benchmark.scaledIterations.upperBound == BenchData.jsonBytes)
        try events.bytes.withBytes { (raw) throws(FloeError) in
            for (tape, range) in zip(eventTapes, events.lines) {
                try tapeShredder.value.append(tape, line: UnsafeRawBufferPointer(rebasing: raw[range]))
            }
        }
        blackHole(tapeShredder.value.take())
    }
}
