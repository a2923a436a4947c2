import ArgumentParser
import Floe

/// `floe splits`: the input splits a distributed engine schedules over Parquet files, and the
/// row groups each one reads (midpoint rule).
struct Splits: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the byte-range splits of Parquet files and the row groups each reads (midpoint rule).")

    @Argument(help: "The Parquet files.") var paths: [String]
    @Option(help: "The split size in bytes (suffixes k, m, g).") var splitSize: String
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one Parquet file") }
        _ = try ByteSize.parse(splitSize, option: "--split-size")
    }

    func run() throws {
        let size = try ByteSize.parse(splitSize, option: "--split-size")
        var entries: [(file: String, split: ParquetSplit)] = []
        for path in paths {
            let file = try ParquetFile(path: path)
            for split in try file.splits(splitSize: size) { entries.append((path, split)) }
        }
        if json {
            let doc = JSONValue.object([
                ("split_size", .int(Int64(size))),
                ("splits", .array(entries.map { e in
                    .object([
                        ("file", .string(e.file)),
                        ("start", .int(Int64(e.split.range.start))),
                        ("length", .int(Int64(e.split.range.length))),
                        ("row_groups", .array(e.split.rowGroups.map { .int(Int64($0)) })),
                        ("rows", .int(Int64(e.split.rows))),
                    ])
                })),
            ])
            Terminal.output(doc.serialized(indent: 2) + "\n")
            return
        }
        var out = "file\tstart\tlength\trow_groups\trows\n"
        for e in entries {
            let groups = e.split.rowGroups.isEmpty ? "-" : e.split.rowGroups.map(String.init).joined(separator: ",")
            out += "\(e.file)\t\(e.split.range.start)\t\(e.split.range.length)\t\(groups)\t\(e.split.rows)\n"
        }
        Terminal.output(out)
    }
}

/// Parses `--split START:LENGTH` for `query` and `cat` (a bad value is a usage error, exit 2).
enum SplitOption {
    static func parse(_ text: String?) throws(FloeError) -> InputSplit? {
        guard let text else { return nil }
        do throws(FloeError) {
            return try InputSplit(parsing: text)
        } catch {
            throw FloeError.invalidArgument("--split: \(error.message)")
        }
    }
}
