// floe-nested-bench: times Floe reading one Parquet file on one thread, N times, and prints one
// JSON line (used by scripts/bench-nested.sh).
//
//   --kind nested  every top-level field: (a) decode — open the file and read the column chunk
//                  of every leaf of every row group through ParquetFile.readColumn (values plus
//                  definition and repetition levels); (b) assembly — NestedAssembly.assemble of
//                  each field per row group into Arrow-style buffers (offsets and validity per
//                  level). Prints decode, assembly and total medians, and per node of the
//                  assembled tree (depth first) a check: length, nulls, the sum of the null
//                  slots' indices, for lists the element total and the sum of index × length,
//                  for leaves the sum of the valid values (byte arrays: their byte lengths).
//   --kind flat    the one column of every row group through readColumn; checks: the value
//                  count, and for integers the wrapping sum and the wrapping sum of index ×
//                  value, for byte arrays the total length, the sum of all bytes and the
//                  wrapping sum of index × length.
//
// Output: {"tool":"floe","path":...,"kind":...,"runs":N,"median_s":...,"times_s":[...],
//          "decode_median_s":...,"assemble_median_s":...,"rows":...,"leaf_values":...,
//          "leaf_entries":...,"row_groups":...,"file_bytes":...,"checks":[...]}
//
// Usage: floe-nested-bench <file.parquet> --kind nested|flat [--runs N] [--warmup N]
import Floe
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var path = ""
    var kind = "nested"
    var runs = 5
    var warmup = 1
}

func fail(_ message: String) -> Never {
    let line = "floe-nested-bench: \(message)\n"
    var bytes = Array(line.utf8)
    bytes.withUnsafeMutableBytes { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func parseOptions() -> Options {
    var options = Options()
    var args = CommandLine.arguments.dropFirst()
    while let arg = args.popFirst() {
        switch arg {
        case "--runs":
            guard let v = args.popFirst(), let n = Int(v), n > 0 else { fail("--runs needs a positive number") }
            options.runs = n
        case "--warmup":
            guard let v = args.popFirst(), let n = Int(v), n >= 0 else { fail("--warmup needs a number") }
            options.warmup = n
        case "--kind":
            guard let v = args.popFirst(), v == "nested" || v == "flat" else { fail("--kind is nested or flat") }
            options.kind = v
        case "-h", "--help":
            print("usage: floe-nested-bench <file.parquet> --kind nested|flat [--runs N] [--warmup N]")
            exit(0)
        default:
            guard options.path.isEmpty, !arg.hasPrefix("-") else { fail("unexpected argument \(arg)") }
            options.path = arg
        }
    }
    guard !options.path.isEmpty else { fail("no file given") }
    return options
}

func seconds(_ d: Duration) -> Double {
    let (s, attos) = d.components
    return Double(s) + Double(attos) / 1e18
}

func medianOf(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

// MARK: - One timed run

struct Run {
    var file: ParquetFile
    /// [row group][leaf] (nil for leaves no field reads).
    var columns: [[ColumnData?]]
    /// [field][row group]
    var assembled: [[NestedArray]] = []
    var decode: Duration = .zero
    var assemble: Duration = .zero
}

func runOnce(_ options: Options) throws(FloeError) -> Run {
    let clock = ContinuousClock()
    let start = clock.now
    let file = try ParquetFile(path: options.path)
    var columns: [[ColumnData?]] = []
    for g in 0..<file.rowGroupCount {
        var row: [ColumnData?] = []
        for c in 0..<file.schema.leaves.count { row.append(try file.readColumn(rowGroup: g, column: c)) }
        columns.append(row)
    }
    var run = Run(file: file, columns: columns)
    run.decode = clock.now - start
    guard options.kind == "nested" else { return run }
    let assembleStart = clock.now
    for field in try file.schema.logicalFields() {
        var chunks: [NestedArray] = []
        for g in 0..<file.rowGroupCount {
            chunks.append(try NestedAssembly.assemble(field.shape, schema: file.schema, columns: columns[g]))
        }
        run.assembled.append(chunks)
    }
    run.assemble = clock.now - assembleStart
    return run
}

// MARK: - Checks

struct NodeCheck {
    var length = 0
    var nulls = 0
    var nullPositions: UInt64 = 0
    var listTotal = 0
    var listPositions: UInt64 = 0
    var intSum: Int64 = 0
    var doubleSum = 0.0
    var isFloating = false
    var isList = false
    var isLeaf = false
}

/// Adds `array` (a chunk) to the checks of its nodes, depth first from `id`.
func accumulate(_ array: NestedArray, _ checks: inout [NodeCheck], _ id: inout Int) {
    if checks.count == id { checks.append(NodeCheck()) }
    let me = id
    id += 1
    let base = checks[me].length
    checks[me].length += array.length
    checks[me].nulls += array.nullCount
    if array.nullCount > 0 {
        for i in 0..<array.length where array.isNull(i) { checks[me].nullPositions &+= UInt64(base + i) }
    }
    switch array.node {
    case .list(let offsets, let element), .map(let offsets, let element, _):
        checks[me].isList = true
        for i in 0..<array.length {
            let n = Int(offsets[i + 1] - offsets[i])
            checks[me].listTotal += n
            checks[me].listPositions &+= UInt64(base + i) &* UInt64(n)
        }
        accumulate(element, &checks, &id)
        if case .map(_, _, let values?) = array.node { accumulate(values, &checks, &id) }
    case .structure(let fields):
        for f in fields { accumulate(f.array, &checks, &id) }
    case .primitive(_, let values):
        checks[me].isLeaf = true
        let valid = { (i: Int) in !array.isNull(i) }
        switch values {
        case .boolean(let v): for i in v.indices where valid(i) && v[i] { checks[me].intSum &+= 1 }
        case .int32(let v): for i in v.indices where valid(i) { checks[me].intSum &+= Int64(v[i]) }
        case .int64(let v): for i in v.indices where valid(i) { checks[me].intSum &+= v[i] }
        case .float(let v):
            checks[me].isFloating = true
            for i in v.indices where valid(i) { checks[me].doubleSum += Double(v[i]) }
        case .double(let v):
            checks[me].isFloating = true
            for i in v.indices where valid(i) { checks[me].doubleSum += v[i] }
        case .byteArray(let v):
            for i in 0..<v.count where valid(i) { checks[me].intSum &+= Int64(v.offsets[i + 1] - v.offsets[i]) }
        case .int96(let v), .fixedLenByteArray(let v):
            checks[me].intSum &+= Int64(v.bytes.count)
        }
    }
}

func nestedChecks(_ run: Run) -> String {
    var parts: [String] = []
    for chunks in run.assembled {
        var checks: [NodeCheck] = []
        for chunk in chunks {
            var id = 0
            accumulate(chunk, &checks, &id)
        }
        for c in checks {
            var s = "{\"length\":\(c.length),\"nulls\":\(c.nulls),\"null_positions\":\(c.nullPositions)"
            if c.isList { s += ",\"list_total\":\(c.listTotal),\"list_positions\":\(c.listPositions)" }
            if c.isLeaf { s += ",\"sum\":" + (c.isFloating ? "\(c.doubleSum)" : "\(c.intSum)") }
            parts.append(s + "}")
        }
    }
    return "[" + parts.joined(separator: ",") + "]"
}

func flatChecks(_ run: Run) -> String {
    var count = 0
    var sum: Int64 = 0
    var positional: UInt64 = 0
    var byteSum: UInt64 = 0
    var isBinary = false
    for row in run.columns {
        guard let data = row.first ?? nil else { continue }
        switch data.values {
        case .int32(let v):
            for x in v { sum &+= Int64(x); positional &+= UInt64(count) &* UInt64(bitPattern: Int64(x)); count += 1 }
        case .int64(let v):
            for x in v { sum &+= x; positional &+= UInt64(count) &* UInt64(bitPattern: x); count += 1 }
        case .byteArray(let v):
            isBinary = true
            for i in 0..<v.count {
                let n = v.offsets[i + 1] - v.offsets[i]
                sum &+= Int64(n)
                positional &+= UInt64(count) &* UInt64(n)
                count += 1
            }
            for b in v.bytes { byteSum &+= UInt64(b) }
        default:
            fail("flat checks support INT32, INT64 and BYTE_ARRAY columns")
        }
    }
    var s = "[{\"count\":\(count),\"sum\":\(sum),\"positional\":\(positional)"
    if isBinary { s += ",\"byte_sum\":\(byteSum)" }
    return s + "}]"
}

// MARK: - Main

let options = parseOptions()
do {
    for _ in 0..<options.warmup { _ = try runOnce(options) }
    var totals: [Double] = [], decodes: [Double] = [], assembles: [Double] = []
    var last: Run?
    for _ in 0..<options.runs {
        last = nil  // free the previous run's buffers outside the timed region
        let run = try runOnce(options)
        decodes.append(seconds(run.decode))
        assembles.append(seconds(run.assemble))
        totals.append(seconds(run.decode + run.assemble))
        last = run
    }
    guard let run = last else { fail("no run") }
    var leafValues = 0, leafEntries = 0
    for row in run.columns {
        for case let data? in row {
            leafValues += data.values.count
            leafEntries += data.entryCount
        }
    }
    var json = "{\"tool\":\"floe\",\"path\":\"\(options.path)\",\"kind\":\"\(options.kind)\",\"runs\":\(options.runs)"
    json += ",\"median_s\":\(medianOf(totals)),\"min_s\":\(totals.min() ?? 0)"
    json += ",\"times_s\":[\(totals.map { "\($0)" }.joined(separator: ","))]"
    json += ",\"decode_median_s\":\(medianOf(decodes)),\"assemble_median_s\":\(medianOf(assembles))"
    json += ",\"decode_times_s\":[\(decodes.map { "\($0)" }.joined(separator: ","))]"
    json += ",\"assemble_times_s\":[\(assembles.map { "\($0)" }.joined(separator: ","))]"
    json += ",\"rows\":\(run.file.numRows),\"leaf_values\":\(leafValues),\"leaf_entries\":\(leafEntries)"
    json += ",\"row_groups\":\(run.file.rowGroupCount),\"file_bytes\":\(run.file.file.size)"
    json += ",\"checks\":" + (options.kind == "nested" ? nestedChecks(run) : flatChecks(run)) + "}"
    print(json)
} catch {
    fail("\(error)")
}
