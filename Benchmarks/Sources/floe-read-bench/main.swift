// floe-read-bench: reads a whole Parquet file into memory — every column chunk of every row
// group through ParquetFile.readColumn, on one thread — N times, and prints one JSON line:
//
//   {"tool":"floe","path":...,"runs":N,"median_s":...,"min_s":...,"times_s":[...],
//    "rows":...,"row_groups":...,"columns":...,"file_bytes":...,"decoded_bytes":...,
//    "column_median_s":{"<column>":...},"checks":{"<column>":{"nulls":...,"sum":...}}}
//
// Each timed run opens the file (footer + schema) and reads all of it, as
// `pyarrow.parquet.read_table(path, use_threads=False)` does. The checks (per column: the
// number of nulls, and a sum — integers: the wrapping Int64 sum; floating point: the sum as
// Double; booleans: the number of trues; byte arrays: the total byte length) let the caller
// compare what Floe read against another reader.
//
// Usage: floe-read-bench <file.parquet> [--runs N] [--warmup N]
import Floe
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var path = ""
    var runs = 5
    var warmup = 1
}

func fail(_ message: String) -> Never {
    var line = "floe-read-bench: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
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
        case "-h", "--help":
            print("usage: floe-read-bench <file.parquet> [--runs N] [--warmup N]")
            exit(0)
        default:
            guard options.path.isEmpty, !arg.hasPrefix("-") else { fail("unexpected argument \(arg)") }
            options.path = arg
        }
    }
    guard !options.path.isEmpty else { fail("no file given") }
    return options
}

/// Reads every column chunk of every row group; returns the columns (row group major) and
/// the time spent in each column (summed over row groups) in `columnTimes`.
func readAll(_ path: String, columnTimes: inout [Duration]) throws(FloeError) -> (file: ParquetFile, columns: [[ColumnData]]) {
    let clock = ContinuousClock()
    let file = try ParquetFile(path: path)
    columnTimes = [Duration](repeating: .zero, count: file.schema.leaves.count)
    var groups: [[ColumnData]] = []
    groups.reserveCapacity(file.rowGroupCount)
    for g in 0..<file.rowGroupCount {
        var columns: [ColumnData] = []
        columns.reserveCapacity(file.schema.leaves.count)
        for c in 0..<file.schema.leaves.count {
            let start = clock.now
            columns.append(try file.readColumn(rowGroup: g, column: c))
            columnTimes[c] += clock.now - start
        }
        groups.append(columns)
    }
    return (file, groups)
}

/// Per-column checks over all row groups.
struct Check {
    var nulls = 0
    var intSum: Int64 = 0
    var doubleSum = 0.0
    var isFloating = false
}

func checks(_ file: ParquetFile, _ groups: [[ColumnData]]) -> [Check] {
    var out = [Check](repeating: Check(), count: file.schema.leaves.count)
    for columns in groups {
        for (c, data) in columns.enumerated() {
            out[c].nulls += data.nullCount(maxDefinitionLevel: file.schema.leaves[c].maxDefinitionLevel)
            switch data.values {
            case .boolean(let v): for b in v where b { out[c].intSum &+= 1 }
            case .int32(let v): for x in v { out[c].intSum &+= Int64(x) }
            case .int64(let v): for x in v { out[c].intSum &+= x }
            case .float(let v): out[c].isFloating = true; for x in v { out[c].doubleSum += Double(x) }
            case .double(let v): out[c].isFloating = true; for x in v { out[c].doubleSum += x }
            case .byteArray(let v): out[c].intSum &+= Int64(v.bytes.count)
            case .int96(let v), .fixedLenByteArray(let v): out[c].intSum &+= Int64(v.bytes.count)
            }
        }
    }
    return out
}

/// The bytes of the decoded values and levels held in memory.
func decodedBytes(_ groups: [[ColumnData]]) -> Int {
    var total = 0
    for columns in groups {
        for data in columns {
            total += data.definitionLevels.count + data.repetitionLevels.count
            switch data.values {
            case .boolean(let v): total += v.count
            case .int32(let v): total += v.count * 4
            case .int64(let v): total += v.count * 8
            case .float(let v): total += v.count * 4
            case .double(let v): total += v.count * 8
            case .byteArray(let v): total += v.bytes.count + v.offsets.count * 8
            case .int96(let v), .fixedLenByteArray(let v): total += v.bytes.count
            }
        }
    }
    return total
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}

func medianOf(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func seconds(_ d: Duration) -> Double {
    let (s, attos) = d.components
    return Double(s) + Double(attos) / 1e18
}

let options = parseOptions()
let clock = ContinuousClock()
do {
    var columnTimes: [Duration] = []
    for _ in 0..<options.warmup { _ = try readAll(options.path, columnTimes: &columnTimes) }
    var times: [Double] = []
    var perColumn: [[Double]] = []  // [column][run]
    var last: (file: ParquetFile, columns: [[ColumnData]])?
    for _ in 0..<options.runs {
        last = nil  // free the previous run's columns outside the timed region
        let start = clock.now
        let result = try readAll(options.path, columnTimes: &columnTimes)
        let elapsed = clock.now - start
        times.append(seconds(elapsed))
        if perColumn.isEmpty { perColumn = Array(repeating: [], count: columnTimes.count) }
        for (c, t) in columnTimes.enumerated() { perColumn[c].append(seconds(t)) }
        last = result
    }
    guard let (file, groups) = last else { fail("no run") }
    let sorted = times.sorted()
    let median = medianOf(times)
    var json = "{\"tool\":\"floe\",\"path\":\(jsonString(options.path)),\"runs\":\(options.runs)"
    json += ",\"median_s\":\(median),\"min_s\":\(sorted[0])"
    json += ",\"times_s\":[\(times.map { "\($0)" }.joined(separator: ","))]"
    json += ",\"rows\":\(file.numRows),\"row_groups\":\(file.rowGroupCount),\"columns\":\(file.schema.leaves.count)"
    json += ",\"file_bytes\":\(file.file.size),\"decoded_bytes\":\(decodedBytes(groups))"
    json += ",\"column_median_s\":{"
    json += zip(file.schema.leaves, perColumn).map { leaf, t in "\(jsonString(leaf.dottedPath)):\(medianOf(t))" }
        .joined(separator: ",")
    json += "}"
    json += ",\"checks\":{"
    let results = checks(file, groups)
    json += zip(file.schema.leaves, results).map { leaf, check in
        let sum = check.isFloating ? "\(check.doubleSum)" : "\(check.intSum)"
        return "\(jsonString(leaf.dottedPath)):{\"nulls\":\(check.nulls),\"sum\":\(sum)}"
    }.joined(separator: ",")
    json += "}}"
    print(json)
} catch {
    fail("\(error)")
}
