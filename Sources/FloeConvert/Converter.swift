#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeCodecs
import FloeColumns
import FloeParquet
import FloeJSON

/// Converts JSON-lines inputs (files, `-` for standard input, gzip or zstd compressed) into
/// Parquet: schema inference (or an explicit schema), shredding, partitioned and size-bounded
/// output files written atomically, and a rejects report so that no line is lost silently.
///
/// ```swift
/// var options = ConvertOptions()
/// options.onError = .skip
/// options.rejectsPath = "rejects.jsonl"
/// let summary = try Converter(inputs: ["events.jsonl.gz"], output: "events.parquet", options: options).run()
/// print(summary.rowsWritten, summary.rejected)
/// ```
public final class Converter {
    public let inputs: [String]
    public let output: String
    public let options: ConvertOptions
    private var summary = ConvertSummary()
    private var rejects: RejectsWriter?
    private let clock = Stopwatch()
    private var progress: ((ConvertProgress) -> Void)?
    private var bytesBefore = 0
    private var totalBytes: Int?
    /// Standard input read during inference, replayed by the conversion pass.
    private var stdinPrefix: [UInt8]?

    /// Prepares a conversion of `inputs` into `output` (a `.parquet` file, or a directory).
    public init(inputs: [String], output: String, options: ConvertOptions = ConvertOptions()) throws(FloeError) {
        guard !inputs.isEmpty else { throw FloeError.invalidArgument("no input given") }
        guard inputs.filter({ $0 == "-" }).count <= 1 else { throw FloeError.invalidArgument("standard input named twice") }
        self.inputs = inputs
        self.output = output
        self.options = options
    }

    /// Runs the conversion. `progress` is called now and then from the converting thread.
    public func run(progress: ((ConvertProgress) -> Void)? = nil) throws(FloeError) -> ConvertSummary {
        self.progress = progress
        totalBytes = inputs.contains("-") ? nil : inputs.reduce(0) { total, path in
            var st = stat()
            return stat(path, &st) == 0 ? total + Int(st.st_size) : total
        }
        let schema: Schema
        if let given = options.schema { schema = given } else { schema = try inferSchema() }
        summary.schema = schema
        let singleFile = output.hasSuffix(".parquet") && options.partitioning == nil
        if let spec = options.partitioning {
            guard schema.root.children.contains(where: { $0.name == spec.column }) else {
                throw FloeError.invalidArgument("--partition-by names '\(spec.column)', which is not a top-level field of the schema")
            }
        }
        if options.onError == .skip, let path = options.rejectsPath { rejects = try RejectsWriter(path: path) }
        let outputs = try OutputSet(output: output, singleFile: singleFile, schema: schema, options: options)
        do throws(FloeError) {
            for input in inputs { try convert(input, into: outputs) }
            try outputs.finish()
        } catch {
            outputs.abandon()
            throw error
        }
        try rejects?.commit()
        summary.rowsWritten = outputs.rowsWritten
        summary.bytesOut = outputs.bytesOut
        summary.files = outputs.files
        summary.seconds = clock.seconds
        return summary
    }

    // MARK: - Inference

    private func inferSchema() throws(FloeError) -> Schema {
        var inference = SchemaInference()
        var scanner = JSONLineScanner()
        var tape = JSONTape()
        let limit = options.inferRows
        var seen = 0
        for input in inputs {
            let isStdin = input == "-"
            let sample = limit ?? (isStdin ? 100_000 : Int.max)
            if seen >= sample && !isStdin { break }
            let reader = try DecodingReader(path: input)
            var splitter = JSONLineSplitter()
            var kept: [UInt8]? = isStdin ? [] : nil
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var done = false
            while !done {
                let n = try buffer.withMutableBuffer { (b: UnsafeMutableBufferPointer<UInt8>) throws(FloeError) -> Int in
                    try reader.read(into: UnsafeMutableRawBufferPointer(b))
                }
                if n == 0 {
                    try splitter.finish { (line: JSONLine) throws(FloeError) in
                        try Converter.infer(line, &inference, &scanner, &tape, &seen)
                    }
                    break
                }
                if kept != nil { kept?.append(contentsOf: buffer[0..<n]) }
                try buffer.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                    try splitter.feed(UnsafeRawBufferPointer(rebasing: raw[0..<n])) { (line: JSONLine) throws(FloeError) in
                        try Converter.infer(line, &inference, &scanner, &tape, &seen)
                    }
                }
                if seen >= sample { done = true }
            }
            if isStdin { stdinPrefix = kept }
        }
        do throws(FloeError) {
            return try inference.schema()
        } catch {
            throw error.at(Location(file: inputs.joined(separator: ", ")))
        }
    }

    private static func infer(_ line: JSONLine, _ inference: inout SchemaInference, _ scanner: inout JSONLineScanner,
                              _ tape: inout JSONTape, _ seen: inout Int) throws(FloeError) {
        if JSONLineScanner.isBlank(line.bytes) { return }
        seen += 1
        // Bad lines are left to the conversion pass, which rejects or fails on them.
        do throws(FloeError) {
            try scanner.scan(line.bytes, lineNumber: line.number, isFirstLine: line.isFirst, into: &tape)
            try inference.add(tape, line: line.bytes)
        } catch {}
    }

    // MARK: - Conversion

    private func convert(_ input: String, into outputs: OutputSet) throws(FloeError) {
        let reader = try DecodingReader(path: input)
        var splitter = JSONLineSplitter()
        var scanner = JSONLineScanner()
        var tape = JSONTape()
        let spec = options.partitioning
        let columnKey = Array((spec?.column ?? "").utf8)
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        var single = spec == nil ? try outputs.partition("") : nil
        let batchLimit = max(64 << 10, min(options.batchBytes, options.targetFileSize))

        func handle(_ line: JSONLine) throws(FloeError) {
            summary.linesRead += 1
            if JSONLineScanner.isBlank(line.bytes) { summary.blankLines += 1; return }
            do throws(FloeError) {
                try scanner.scan(line.bytes, lineNumber: line.number, isFirstLine: line.isFirst, into: &tape)
                let target: OutputSet.Partition
                if let single { target = single } else if let spec {
                    target = try outputs.partition(try spec.value(in: tape, line: line.bytes, columnKey: columnKey))
                } else { return }
                try target.shredder.append(tape, line: line.bytes)
                // Every 256 rows, hand a full batch to the writer (a batch never exceeds the
                // target file size, so files rotate close to it).
                if target.shredder.rowCount & 255 == 0, target.shredder.estimatedBytes >= batchLimit {
                    try outputs.flush(target)
                }
            } catch {
                let located = error.at(Location(file: input, offset: line.offset, line: line.number))
                guard options.onError == .skip, located.isDataError else { throw located }
                summary.rejected += 1
                try rejects?.add(located, line: line, file: input)
            }
        }

        func feed(_ bytes: UnsafeRawBufferPointer) throws(FloeError) {
            try splitter.feed(bytes) { (line: JSONLine) throws(FloeError) in try handle(line) }
            if outputs.bufferedBytes >= 4 * batchLimit { try outputs.flushAll() }
            report(reader)
        }

        if input == "-", let prefix = stdinPrefix {
            stdinPrefix = nil
            try prefix.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in try feed(raw) }
        }
        while true {
            let n = try buffer.withMutableBuffer { (b: UnsafeMutableBufferPointer<UInt8>) throws(FloeError) -> Int in
                try reader.read(into: UnsafeMutableRawBufferPointer(b))
            }
            if n == 0 { break }
            try buffer.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                try feed(UnsafeRawBufferPointer(rebasing: raw[0..<n]))
            }
        }
        try splitter.finish { (line: JSONLine) throws(FloeError) in try handle(line) }
        single = nil
        summary.bytesIn += reader.input.bytesRead
        summary.bytesDecoded += reader.bytesProduced
        bytesBefore += reader.input.bytesRead
    }

    private func report(_ reader: DecodingReader) {
        guard let progress else { return }
        progress(ConvertProgress(bytesRead: bytesBefore + reader.input.bytesRead, totalBytes: totalBytes,
                                 linesRead: summary.linesRead, rows: summary.linesRead - summary.rejected - summary.blankLines,
                                 seconds: clock.seconds))
    }
}

/// Wall-clock time since creation.
struct Stopwatch {
    private let start: timespec
    init() {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        start = t
    }
    var seconds: Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec - start.tv_sec) + Double(t.tv_nsec - start.tv_nsec) / 1e9
    }
}
