import ArgumentParser
import Floe

/// `floe rewrite`: re-encode Parquet files, keeping every value, the schema and the metadata.
struct Rewrite: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-encode Parquet files (codec, page version, dictionary, row groups), keeping every value.")

    @Argument(help: "Input Parquet files (all with the same schema); they are concatenated.") var inputs: [String]
    @Option(name: .shortAndLong, help: "The output file.") var output: String
    @OptionGroup var encoding: EncodingOptions

    func run() throws {
        guard let first = inputs.first else { throw ValidationError("give at least one input file") }
        let head = try ParquetFile(path: first)
        var options = try encoding.writerOptions()
        options.keyValueMetadata = head.keyValueMetadata
        let writer = try ParquetWriter(path: output, schema: head.schema, options: options)
        for path in inputs {
            let input = path == first ? head : try ParquetFile(path: path)
            guard input.schema == head.schema else {
                throw FloeError.invalidArgument("\(path) has a different schema from \(first)")
            }
            for group in 0..<input.rowGroupCount {
                try writer.write(try input.readRowGroup(group))
            }
        }
        try writer.close()
    }
}

/// The encoding options shared by the commands that write Parquet.
struct EncodingOptions: ParsableArguments {
    @Option(help: "Compression: uncompressed, snappy, gzip, zstd, lz4_raw, lz4, brotli.") var codec: String = "zstd"
    @Option(help: "Compression level (zstd 1-22, gzip 0-9, brotli 0-11).") var level: Int?
    @Option(help: "Data page version: 1 or 2.") var pageVersion: Int = 1
    @Option(help: "Dictionary encoding: on or off.") var dictionary: String = "on"
    @Option(help: "Target row group size in bytes (suffixes k, m, g).") var rowGroupSize: String = "128m"
    @Option(help: "Maximum rows per row group.") var rowGroupRows: Int?
    @Option(help: "Target data page size in bytes (suffixes k, m).") var pageSize: String = "1m"
    @Flag(help: "Do not write page CRC checksums.") var noChecksums = false
    @Option(help: "Write a bloom filter for this column (repeatable; dotted path or top-level name).") var bloomFilter: [String] = []
    @Flag(help: "Do not write the page index.") var noPageIndex = false
    @Option(help: "Encoding of a column's values: COL=plain|delta_binary_packed|delta_length_byte_array|delta_byte_array|byte_stream_split|rle (repeatable; turns its dictionary off).")
    var encoding: [String] = []

    func writerOptions() throws -> WriterOptions {
        var o = WriterOptions()
        o.encodingThreads = Parallel.processorCount
        guard let kind = CompressionKind(name: codec), kind != .lzo else {
            throw ValidationError("unknown codec '\(codec)'")
        }
        o.codec = kind
        o.compressionLevel = level
        guard pageVersion == 1 || pageVersion == 2 else { throw ValidationError("--page-version must be 1 or 2") }
        o.pageVersion = pageVersion
        switch dictionary.lowercased() {
        case "on", "true", "yes": o.dictionary = true
        case "off", "false", "no": o.dictionary = false
        default: throw ValidationError("--dictionary must be on or off")
        }
        o.rowGroupSize = try ByteSize.parse(rowGroupSize, option: "--row-group-size")
        o.dataPageSize = try ByteSize.parse(pageSize, option: "--page-size")
        if let rows = rowGroupRows {
            guard rows > 0 else { throw ValidationError("--row-group-rows must be positive") }
            o.rowGroupRowLimit = rows
        }
        o.pageChecksums = !noChecksums
        o.bloomFilterColumns = Set(bloomFilter)
        o.pageIndex = !noPageIndex
        for spec in encoding {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            let names: [String: Encoding] = ["plain": .plain, "rle": .rle, "delta_binary_packed": .deltaBinaryPacked,
                                             "delta_length_byte_array": .deltaLengthByteArray,
                                             "delta_byte_array": .deltaByteArray, "byte_stream_split": .byteStreamSplit]
            guard parts.count == 2, let e = names[parts[1].lowercased()] else {
                throw ValidationError("--encoding takes COL=ENCODING (\(names.keys.sorted().joined(separator: ", "))), not '\(spec)'")
            }
            o.columnEncodings[parts[0]] = e
        }
        _ = try Compressor(kind: kind, level: level)
        return o
    }
}

/// Parses sizes like `134217728`, `128m`, `1g`, `64k`.
enum ByteSize {
    static func parse(_ text: String, option: String) throws -> Int {
        let lower = text.lowercased()
        var digits = Substring(lower)
        var scale = 1
        if let last = lower.last, let s = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30][String(last)] {
            scale = s
            digits = digits.dropLast()
        } else if lower.hasSuffix("b") {
            digits = digits.dropLast()
        }
        guard let n = Int(digits), n > 0, n <= Int.max / scale else {
            throw ValidationError("\(option) must be a positive size like 128m, not '\(text)'")
        }
        return n * scale
    }
}
