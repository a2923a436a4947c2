// Record assembly of nested columns (FloeColumns' NestedAssembly): Dremel levels and dense
// values, as the column reader hands them over, into Arrow-style offsets, validity bitmaps
// and slot-aligned values.
//
// Every benchmark assembles one column whose leaves hold BenchData.valueCount = 1,000,000
// level entries in all, per measured iteration, with the `.mega` scaling factor: the scaled
// throughput the harness prints is level entries per second (M = millions/s). The output
// buffers are new on every call (the API returns them); mallocs per iteration are counted.
import Benchmark
import BenchSupport
import Floe

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(2),
        maxIterations: 2_000
    )

    let cases: [(String, NestedBenchColumn)]
    do {
        cases = [
            ("list<struct<id: int64, name: string>>", try BenchData.listOfStructsColumn()),
            ("list<list<int64>>", try BenchData.listOfListsColumn()),
        ]
    } catch { fatalError("\(error)") }
    for (label, column) in cases {
        precondition(column.entries == BenchData.valueCount)
        Benchmark("NestedAssembly \(label) (\(column.rows) rows)") { benchmark in
            precondition(benchmark.scaledIterations.upperBound == column.entries)
            let array = try NestedAssembly.assemble(column.shape, schema: column.schema, columns: column.columns)
            blackHole(array)
        }
    }
}
