// Encoding kernels of FloeEncodings, page by page as the column writer calls them.
//
// Every benchmark encodes BenchData.valueCount = 1,000,000 values (or level entries) per
// measured iteration, in 20,000-value pages, with the `.mega` scaling factor: the scaled
// throughput the harness prints is values per second (M = millions of values/s), and the
// scaled wall clock is the time per value. All pages go into one reused ByteWriter (capacity
// kept), so the figures are the kernels' own; mallocs per iteration are counted.
import Benchmark
import BenchSupport
import Floe

/// Scratch state a benchmark closure mutates across iterations.
final class Scratch<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

// Inputs, built once per benchmark process on first use (global lets are lazy).
let int64s = BenchData.randomInt64s()
let doubles = BenchData.randomDoubles()
let floats = BenchData.randomFloats()
let timestamps = BenchData.ascendingTimestamps()
let walkInt32s = BenchData.randomWalkInt32s()
let lowCardinalityStrings = BenchData.dictionaryStrings(distinct: 1_000)
let highCardinalityStrings = BenchData.dictionaryStrings(distinct: 100_000)
let prefixedStrings = BenchData.prefixedStrings()
let optionalLevels = BenchData.optionalLevels()
let indices1k = BenchData.randomIndices(dictionarySize: 1_000)
let runLevels: [UInt8] = {
    // Repetition-like levels 0...2 in runs of ~64 (width 2, mostly RLE runs).
    var rng = SplitMix64(seed: 31)
    var out: [UInt8] = []
    out.reserveCapacity(BenchData.valueCount)
    while out.count < BenchData.valueCount {
        let v = UInt8(rng.next() % 3), run = 1 + Int(rng.next() % 127)
        for _ in 0..<run where out.count < BenchData.valueCount { out.append(v) }
    }
    return out
}()

/// Encodes `values` page by page with `encode` into the reused `writer`.
@inline(__always)
func encodePages<T>(_ values: [T], _ writer: Scratch<ByteWriter>, _ upper: Int,
                    _ encode: (UnsafeBufferPointer<T>, inout ByteWriter) -> Void) {
    writer.value.removeAll()
    values.withUnsafeBufferPointer { all in
        for p in stride(from: 0, to: upper, by: BenchData.pageValues) {
            encode(UnsafeBufferPointer(rebasing: all[p..<(p + BenchData.pageValues)]), &writer.value)
        }
    }
    blackHole(writer.value.count)
}

/// Encodes the strings `values` page by page with `encode` into the reused `writer`.
@inline(__always)
func encodeStringPages(_ values: BinaryValues, _ writer: Scratch<ByteWriter>, _ upper: Int,
                       _ encode: (BinaryValues, Range<Int>, inout ByteWriter) -> Void) {
    writer.value.removeAll()
    for p in stride(from: 0, to: upper, by: BenchData.pageValues) {
        encode(values, p..<(p + BenchData.pageValues), &writer.value)
    }
    blackHole(writer.value.count)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(2),
        maxIterations: 2_000
    )

    /// A writer sized for `bytes` output bytes, reused across iterations.
    func writer(_ bytes: Int) -> Scratch<ByteWriter> { Scratch(ByteWriter(capacity: bytes)) }

    // MARK: PLAIN

    let plainInt64 = writer(8 * BenchData.valueCount)
    Benchmark("PLAIN int64 encode") { benchmark in
        encodePages(int64s, plainInt64, benchmark.scaledIterations.upperBound) { Plain.encodeInt64($0, into: &$1) }
    }
    let plainDouble = writer(8 * BenchData.valueCount)
    Benchmark("PLAIN double encode") { benchmark in
        encodePages(doubles, plainDouble, benchmark.scaledIterations.upperBound) { Plain.encodeDouble($0, into: &$1) }
    }
    let plainStrings = writer(24 * BenchData.valueCount)
    Benchmark("PLAIN strings encode") { benchmark in
        encodeStringPages(lowCardinalityStrings, plainStrings, benchmark.scaledIterations.upperBound) {
            Plain.encodeByteArray($0, range: $1, into: &$2)
        }
    }

    // MARK: Dictionary building (values → dictionary + indices, as the writer does per page)

    for (label, values) in [("1k", lowCardinalityStrings), ("100k", highCardinalityStrings)] {
        let builder = Scratch(BinaryDictionaryBuilder())
        let indices = Scratch([UInt32]())
        Benchmark("Dictionary build strings (\(label) distinct)",
                  configuration: .init(setup: { indices.value.reserveCapacity(BenchData.valueCount) })) { benchmark in
            builder.value.reset()
            indices.value.removeAll(keepingCapacity: true)
            for p in stride(from: 0, to: benchmark.scaledIterations.upperBound, by: BenchData.pageValues) {
                builder.value.append(values, range: p..<(p + BenchData.pageValues), indicesInto: &indices.value)
            }
            blackHole(builder.value.count)
        }
    }
    let int64Builder = Scratch(Int64DictionaryBuilder())
    let int64Indices = Scratch([UInt32]())
    let int64Keys = indices1k.map { Int64($0) &* 1_000_003 }
    Benchmark("Dictionary build int64 (1k distinct)",
              configuration: .init(setup: { int64Indices.value.reserveCapacity(BenchData.valueCount) })) { benchmark in
        int64Builder.value.reset()
        int64Indices.value.removeAll(keepingCapacity: true)
        int64Keys.withUnsafeBufferPointer { all in
            for p in stride(from: 0, to: benchmark.scaledIterations.upperBound, by: BenchData.pageValues) {
                int64Builder.value.append(UnsafeBufferPointer(rebasing: all[p..<(p + BenchData.pageValues)]),
                                          indicesInto: &int64Indices.value)
            }
        }
        blackHole(int64Builder.value.count)
    }

    // MARK: RLE / bit-packed hybrid

    let levelsWriter = writer(BenchData.valueCount / 4)
    Benchmark("RLE hybrid encode levels width 1 (10% nulls)") { benchmark in
        encodePages(optionalLevels, levelsWriter, benchmark.scaledIterations.upperBound) {
            RLEHybrid.encodeLevels($0, bitWidth: 1, into: &$1)
        }
    }
    let runLevelsWriter = writer(BenchData.valueCount / 4)
    Benchmark("RLE hybrid encode levels width 2 (runs of ~64)") { benchmark in
        encodePages(runLevels, runLevelsWriter, benchmark.scaledIterations.upperBound) {
            RLEHybrid.encodeLevels($0, bitWidth: 2, into: &$1)
        }
    }
    let indexWriter = writer(2 * BenchData.valueCount)
    Benchmark("RLE dictionary indices encode (1k entries, 10 bits)") { benchmark in
        encodePages(indices1k, indexWriter, benchmark.scaledIterations.upperBound) {
            DictionaryIndices.encode($0, dictionarySize: 1_000, into: &$1)
        }
    }

    // MARK: DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY

    let deltaInt32 = writer(4 * BenchData.valueCount)
    Benchmark("DELTA_BINARY_PACKED int32 encode (random walk)") { benchmark in
        encodePages(walkInt32s, deltaInt32, benchmark.scaledIterations.upperBound) { DeltaBinaryPacked.encodeInt32($0, into: &$1) }
    }
    let deltaTimestamps = writer(8 * BenchData.valueCount)
    Benchmark("DELTA_BINARY_PACKED int64 encode (ascending timestamps)") { benchmark in
        encodePages(timestamps, deltaTimestamps, benchmark.scaledIterations.upperBound) { DeltaBinaryPacked.encodeInt64($0, into: &$1) }
    }
    let deltaRandom = writer(9 * BenchData.valueCount)
    Benchmark("DELTA_BINARY_PACKED int64 encode (random)") { benchmark in
        encodePages(int64s, deltaRandom, benchmark.scaledIterations.upperBound) { DeltaBinaryPacked.encodeInt64($0, into: &$1) }
    }
    let deltaLength = writer(24 * BenchData.valueCount)
    Benchmark("DELTA_LENGTH_BYTE_ARRAY strings encode") { benchmark in
        encodeStringPages(lowCardinalityStrings, deltaLength, benchmark.scaledIterations.upperBound) {
            DeltaLengthByteArray.encode($0, range: $1, into: &$2)
        }
    }
    let deltaByteArray = writer(40 * BenchData.valueCount)
    Benchmark("DELTA_BYTE_ARRAY prefixed keys encode") { benchmark in
        encodeStringPages(prefixedStrings, deltaByteArray, benchmark.scaledIterations.upperBound) {
            DeltaByteArray.encode($0, range: $1, into: &$2)
        }
    }

    // MARK: BYTE_STREAM_SPLIT

    let bssFloat = writer(4 * BenchData.valueCount)
    Benchmark("BYTE_STREAM_SPLIT float encode") { benchmark in
        encodePages(floats, bssFloat, benchmark.scaledIterations.upperBound) { ByteStreamSplit.encodeFloat($0, into: &$1) }
    }
    let bssDouble = writer(8 * BenchData.valueCount)
    Benchmark("BYTE_STREAM_SPLIT double encode") { benchmark in
        encodePages(doubles, bssDouble, benchmark.scaledIterations.upperBound) { ByteStreamSplit.encodeDouble($0, into: &$1) }
    }
}
