// Decoding kernels of FloeEncodings, page by page as the column reader calls them.
//
// Every benchmark decodes BenchData.valueCount = 1,000,000 values (or level entries) per
// measured iteration, in 20,000-value pages, and uses the `.mega` scaling factor: the scaled
// throughput the harness prints is values per second (M = millions of values/s), and the
// scaled wall clock is the time per value. Outputs are reused across iterations (capacity
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
let plainInt64Pages = BenchData.plainInt64Pages()
let smallDictionary = BenchData.stringDictionary(size: 1_000)
let smallDictionaryPages = BenchData.dictionaryIndexPages(dictionarySize: 1_000)
let smallDictionaryIndices = BenchData.decodedIndices(smallDictionaryPages)
let largeDictionary = BenchData.stringDictionary(size: 100_000)
let largeDictionaryPages = BenchData.dictionaryIndexPages(dictionarySize: 100_000)
let optionalDoublePages = BenchData.optionalDoublePages()
let plainStringPages = BenchData.pages(BenchData.dictionaryStrings(distinct: 1_000)) { Plain.encodeByteArray($0, range: $1, into: &$2) }
let deltaInt32Pages = BenchData.pages(BenchData.randomWalkInt32s()) { DeltaBinaryPacked.encodeInt32($0, into: &$1) }
let deltaTimestampPages = BenchData.pages(BenchData.ascendingTimestamps()) { DeltaBinaryPacked.encodeInt64($0, into: &$1) }
let deltaRandomInt64Pages = BenchData.pages(BenchData.randomInt64s()) { DeltaBinaryPacked.encodeInt64($0, into: &$1) }
let deltaLengthPages = BenchData.pages(BenchData.dictionaryStrings(distinct: 1_000)) { DeltaLengthByteArray.encode($0, range: $1, into: &$2) }
let deltaByteArrayPages = BenchData.pages(BenchData.prefixedStrings()) { DeltaByteArray.encode($0, range: $1, into: &$2) }
let bssFloatPages = BenchData.pages(BenchData.randomFloats()) { ByteStreamSplit.encodeFloat($0, into: &$1) }
let bssDoublePages = BenchData.pages(BenchData.randomDoubles()) { ByteStreamSplit.encodeDouble($0, into: &$1) }

/// Decodes every page of `pages` with `decode(bytes, count)`, which appends to an output the
/// caller empties first; checks that each page was consumed whole.
@inline(__always)
func decodePages(_ pages: [BenchData.Page], _ upper: Int,
                 _ decode: (UnsafeRawBufferPointer, Int) throws(FloeError) -> Int) throws(FloeError) {
    for p in stride(from: 0, to: upper, by: BenchData.pageValues) {
        let page = pages[p / BenchData.pageValues]
        let used = try page.bytes.withBytes { (src) throws(FloeError) -> Int in try decode(src, page.count) }
        precondition(used == page.bytes.count)
    }
}

/// (bit width, mean run length) of the RLE/bit-packed hybrid benchmarks.
let rleCases: [(width: Int, run: Int)] = [(1, 1), (2, 1), (3, 1), (8, 1), (12, 1), (17, 1), (20, 1), (32, 1), (1, 64), (8, 64)]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(2),
        maxIterations: 2_000
    )

    // PLAIN INT64: a bounds check and a memcpy per page.
    let int64Out = Scratch([Int64]())
    Benchmark("PLAIN int64 decode",
              configuration: .init(setup: { int64Out.value.reserveCapacity(BenchData.valueCount); _ = plainInt64Pages })) { benchmark in
        int64Out.value.removeAll(keepingCapacity: true)
        for p in stride(from: 0, to: benchmark.scaledIterations.upperBound, by: BenchData.pageValues) {
            let page = plainInt64Pages[p / BenchData.pageValues]
            let used = try page.bytes.withBytes { (src) throws(FloeError) -> Int in
                try Plain.decodeInt64(src, count: page.count, appendingTo: &int64Out.value)
            }
            precondition(used == page.count * 8)
        }
        blackHole(int64Out.value.count)
    }

    // Dictionary-encoded strings: RLE_DICTIONARY indices, then the gather into offsets + bytes.
    for (label, dict, pages) in [("1k", smallDictionary, smallDictionaryPages), ("100k", largeDictionary, largeDictionaryPages)] {
        let indices = Scratch([UInt32](repeating: 0, count: BenchData.pageValues))
        let strings = Scratch(BinaryValues())
        Benchmark("Dictionary strings (\(label) entries) indices + gather",
                  configuration: .init(setup: { strings.value.reserve(values: BenchData.valueCount, bytes: 24 * BenchData.valueCount) })) { benchmark in
            strings.value.removeAll()
            for p in stride(from: 0, to: benchmark.scaledIterations.upperBound, by: BenchData.pageValues) {
                let page = pages[p / BenchData.pageValues]
                try indices.value.withMutableBuffer { (idx) throws(FloeError) in
                    guard let base = idx.baseAddress else { return }
                    _ = try page.bytes.withBytes { (src) throws(FloeError) -> Int in
                        try DictionaryIndices.decode(src, count: page.count, into: base)
                    }
                    try DictionaryGather.gather(dict, indices: UnsafeBufferPointer(start: base, count: page.count),
                                                appendingTo: &strings.value)
                }
            }
            blackHole(strings.value.count)
        }
    }

    let indexOut = Scratch([UInt32](repeating: 0, count: BenchData.valueCount))
    Benchmark("Dictionary indices decode (1k entries, 10 bits)") { benchmark in
        try indexOut.value.withMutableBuffer { (out) throws(FloeError) in
            guard let base = out.baseAddress else { return }
            for p in stride(from: 0, to: benchmark.scaledIterations.upperBound, by: BenchData.pageValues) {
                let page = smallDictionaryPages[p / BenchData.pageValues]
                _ = try page.bytes.withBytes { (src) throws(FloeError) -> Int in
                    try DictionaryIndices.decode(src, count: page.count, into: base + p)
                }
            }
        }
        blackHole(indexOut.value[0])
    }

    let gathered = Scratch(BinaryValues())
    Benchmark("Dictionary gather strings (1k entries)",
              configuration: .init(setup: { gathered.value.reserve(values: BenchData.valueCount, bytes: 24 * BenchData.valueCount) })) { benchmark in
        gathered.value.removeAll()
        try smallDictionaryIndices.withBuffer { (idx) throws(FloeError) in
            guard let base = idx.baseAddress else { return }
            for p in stride(from: 0, to: benchmark.scaledIterations.upperBound, by: BenchData.pageValues) {
                try DictionaryGather.gather(smallDictionary, indices: UnsafeBufferPointer(start: base + p, count: BenchData.pageValues),
                                            appendingTo: &gathered.value)
            }
        }
        blackHole(gathered.value.count)
    }

    // Optional doubles: definition levels (RLE/bit-packed, width 1), count present, PLAIN values.
    let levelsOut = Scratch([UInt8]())
    let doublesOut = Scratch([Double]())
    Benchmark("Optional doubles (10% nulls) levels + values",
              configuration: .init(setup: {
                  levelsOut.value.reserveCapacity(BenchData.valueCount)
                  doublesOut.value.reserveCapacity(BenchData.valueCount)
              })) { benchmark in
        levelsOut.value.removeAll(keepingCapacity: true)
        doublesOut.value.removeAll(keepingCapacity: true)
        for p in stride(from: 0, to: benchmark.scaledIterations.upperBound, by: BenchData.pageValues) {
            let page = optionalDoublePages[p / BenchData.pageValues]
            let start = levelsOut.value.count
            levelsOut.value.append(contentsOf: repeatElement(0, count: page.count))
            try page.bytes.withBytes { (src) throws(FloeError) in
                let length = Int(src.loadUnaligned(as: UInt32.self))
                let levelBytes = UnsafeRawBufferPointer(rebasing: src[4..<(4 + length)])
                var present = 0
                try levelsOut.value.withMutableBuffer { (levels) throws(FloeError) in
                    guard let base = levels.baseAddress else { return }
                    _ = try RLEHybrid.decodeLevels(levelBytes, bitWidth: 1, count: page.count, into: base + start)
                    for i in start..<(start + page.count) where base[i] == 1 { present &+= 1 }
                }
                _ = try Plain.decodeDouble(UnsafeRawBufferPointer(rebasing: src[(4 + length)...]), count: present,
                                           appendingTo: &doublesOut.value)
            }
        }
        blackHole(doublesOut.value.count)
    }

    // RLE / bit-packed hybrid into UInt32, at several bit widths.
    for (width, run) in rleCases {
        let pages = BenchData.rleHybridPages(bitWidth: width, meanRun: run)
        let out = Scratch([UInt32](repeating: 0, count: BenchData.valueCount))
        let name = run == 1 ? "RLE hybrid decode width \(width) (random, bit-packed)"
                            : "RLE hybrid decode width \(width) (runs of ~\(run))"
        Benchmark(name) { benchmark in
            try out.value.withMutableBuffer { (buffer) throws(FloeError) in
                guard let base = buffer.baseAddress else { return }
                for p in stride(from: 0, to: benchmark.scaledIterations.upperBound, by: BenchData.pageValues) {
                    let page = pages[p / BenchData.pageValues]
                    _ = try page.bytes.withBytes { (src) throws(FloeError) -> Int in
                        try RLEHybrid.decode(src, bitWidth: width, count: page.count, into: base + p)
                    }
                }
            }
            blackHole(out.value[0])
        }
    }

    // PLAIN BYTE_ARRAY strings (4-byte length + bytes each) into one BinaryValues.
    let plainStrings = Scratch(BinaryValues())
    Benchmark("PLAIN strings decode",
              configuration: .init(setup: { plainStrings.value.reserve(values: BenchData.valueCount, bytes: 24 * BenchData.valueCount) })) { benchmark in
        plainStrings.value.removeAll()
        try decodePages(plainStringPages, benchmark.scaledIterations.upperBound) { (src, n) throws(FloeError) -> Int in
            try Plain.decodeByteArray(src, count: n, appendingTo: &plainStrings.value)
        }
        blackHole(plainStrings.value.count)
    }

    // DELTA_BINARY_PACKED (blocks of 128, 4 miniblocks, as Floe writes them).
    let deltaInt32Out = Scratch([Int32]())
    Benchmark("DELTA_BINARY_PACKED int32 decode (random walk)",
              configuration: .init(setup: { deltaInt32Out.value.reserveCapacity(BenchData.valueCount) })) { benchmark in
        deltaInt32Out.value.removeAll(keepingCapacity: true)
        try decodePages(deltaInt32Pages, benchmark.scaledIterations.upperBound) { (src, n) throws(FloeError) -> Int in
            try DeltaBinaryPacked.decodeInt32(src, count: n, appendingTo: &deltaInt32Out.value)
        }
        blackHole(deltaInt32Out.value.count)
    }
    for (label, pages) in [("ascending timestamps", deltaTimestampPages), ("random", deltaRandomInt64Pages)] {
        let out = Scratch([Int64]())
        Benchmark("DELTA_BINARY_PACKED int64 decode (\(label))",
                  configuration: .init(setup: { out.value.reserveCapacity(BenchData.valueCount) })) { benchmark in
            out.value.removeAll(keepingCapacity: true)
            try decodePages(pages, benchmark.scaledIterations.upperBound) { (src, n) throws(FloeError) -> Int in
                try DeltaBinaryPacked.decodeInt64(src, count: n, appendingTo: &out.value)
            }
            blackHole(out.value.count)
        }
    }

    // DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (front coding) into one BinaryValues.
    let deltaLengthOut = Scratch(BinaryValues())
    Benchmark("DELTA_LENGTH_BYTE_ARRAY strings decode",
              configuration: .init(setup: { deltaLengthOut.value.reserve(values: BenchData.valueCount, bytes: 24 * BenchData.valueCount) })) { benchmark in
        deltaLengthOut.value.removeAll()
        try decodePages(deltaLengthPages, benchmark.scaledIterations.upperBound) { (src, n) throws(FloeError) -> Int in
            try DeltaLengthByteArray.decode(src, count: n, appendingTo: &deltaLengthOut.value)
        }
        blackHole(deltaLengthOut.value.count)
    }
    let deltaByteArrayOut = Scratch(BinaryValues())
    Benchmark("DELTA_BYTE_ARRAY prefixed keys decode",
              configuration: .init(setup: { deltaByteArrayOut.value.reserve(values: BenchData.valueCount, bytes: 40 * BenchData.valueCount) })) { benchmark in
        deltaByteArrayOut.value.removeAll()
        try decodePages(deltaByteArrayPages, benchmark.scaledIterations.upperBound) { (src, n) throws(FloeError) -> Int in
            try DeltaByteArray.decode(src, count: n, appendingTo: &deltaByteArrayOut.value)
        }
        blackHole(deltaByteArrayOut.value.count)
    }

    // BYTE_STREAM_SPLIT.
    let bssFloatOut = Scratch([Float]())
    Benchmark("BYTE_STREAM_SPLIT float decode",
              configuration: .init(setup: { bssFloatOut.value.reserveCapacity(BenchData.valueCount) })) { benchmark in
        bssFloatOut.value.removeAll(keepingCapacity: true)
        try decodePages(bssFloatPages, benchmark.scaledIterations.upperBound) { (src, n) throws(FloeError) -> Int in
            try ByteStreamSplit.decodeFloat(src, count: n, appendingTo: &bssFloatOut.value)
        }
        blackHole(bssFloatOut.value.count)
    }
    let bssDoubleOut = Scratch([Double]())
    Benchmark("BYTE_STREAM_SPLIT double decode",
              configuration: .init(setup: { bssDoubleOut.value.reserveCapacity(BenchData.valueCount) })) { benchmark in
        bssDoubleOut.value.removeAll(keepingCapacity: true)
        try decodePages(bssDoublePages, benchmark.scaledIterations.upperBound) { (src, n) throws(FloeError) -> Int in
            try ByteStreamSplit.decodeDouble(src, count: n, appendingTo: &bssDoubleOut.value)
        }
        blackHole(bssDoubleOut.value.count)
    }
}
