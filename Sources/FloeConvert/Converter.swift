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
    /// Standard input read during inference, replayed by the conversion pass (decompressed).
    private var stdinPrefix: [UInt8]?
    /// The reader of standard input that inference stopped reading: the conversion pass goes
    /// on with it, since the stream cannot be reopened (and a compressed one must go on
    /// being decompressed where inference left it).
    private var stdinReader: DecodingReader?

    /// Prepares a conversion of `inputs` into `output` (a `.parquet` file, or a directory).
    public init(inputs: [String], output: String, options: ConvertOptions = ConvertOptions()) throws(FloeError) {
        guard !inputs.isEmpty else { throw FloeError.invalidArgument("no input given") }
        guard inputs.filter({ $0 == "-" }).count <= 1 else { throw FloeError.invalidArgument("standard input named twice") }
        if let rejects = options.rejectsPath {
            if FileSystem.sameFile(rejects, output) {
                throw FloeError.invalidArgument("the rejects file \(rejects) is the output")
            }
            if let input = inputs.first(where: { $0 != "-" && FileSystem.sameFile(rejects, $0) }) {
                throw FloeError.invalidArgument("the rejects file \(rejects) is the input \(input)")
            }
        }
        if output.hasSuffix(".parquet"), let input = inputs.first(where: { $0 != "-" && FileSystem.sameFile(output, $0) }) {
            throw FloeError.invalidArgument("the output \(output) is the input \(input)")
        }
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
        if options.schema == nil && options.inferRows == nil && !inputs.contains("-") && options.singlePassInference {
            // One pass: convert under the schema of a sample while inferring over every line;
            // keep the output only if the whole input's schema is the sample's.
            var sampled = SchemaInference()
            let sample = try inferSchema(limit: options.sampleLines, into: &sampled)
            let speculation = Speculation(sample: sample, sampled: sampled)
            if try convertAll(schema: sample, speculation: speculation) {
                summary.singlePass = true
                return summary
            }
            summary = ConvertSummary()
            bytesBefore = 0
            rejects = nil
        }
        let schema: Schema
        if let given = options.schema {
            schema = given
        } else if options.inferRows == nil && !inputs.contains("-") {
            schema = try inferSchemaInChunks()
        } else {
            var inference = SchemaInference()
            schema = try inferSchema(limit: options.inferRows, into: &inference)
        }
        _ = try convertAll(schema: schema, speculation: nil)
        return summary
    }

    /// Converts every input under `schema`. Under a `speculation` (a sampled schema), completed
    /// files are committed only at the end, and the pass stops and returns false, leaving no
    /// file, as soon as the lines seen so far infer a different schema.
    private func convertAll(schema: Schema, speculation: Speculation?) throws(FloeError) -> Bool {
        summary.schema = schema
        let singleFile = output.hasSuffix(".parquet") && options.partitioning == nil
        if let spec = options.partitioning {
            guard schema.root.children.contains(where: { $0.name == spec.column }) else {
                if speculation != nil { return false }
                throw FloeError.invalidArgument("--partition-by names '\(spec.column)', which is not a top-level field of the schema")
            }
            // A time bucket's key beside a column of that name (Hive names are case-insensitive)
            // would hide the column: readers take the directory's value instead.
            if !spec.dropsColumn, let clash = schema.root.children.first(where: { $0.name.lowercased() == spec.key.lowercased() }) {
                throw FloeError.invalidArgument("the partition key '\(spec.key)' is also the name of the field '\(clash.name)'; choose another key")
            }
        }
        // A column named by --encoding or --bloom-filter may be a field the sample had not seen.
        if speculation != nil, !options.effectiveWriterOptions.unknownColumnNames(in: schema).isEmpty { return false }
        if options.onError == .skip, let path = options.rejectsPath { rejects = try RejectsWriter(path: path) }
        let outputs = try OutputSet(output: output, singleFile: singleFile, schema: schema, options: options,
                                    defersCommits: speculation != nil)
        // The shredder every worker starts from (building it checks that the schema can be filled).
        // Under a speculation it watches the sample's inference: only the lines novel to it are observed.
        let template = try JSONShredder(schema: schema, options: outputs.shredOptions, watching: speculation?.sampled)
        do throws(FloeError) {
            for input in inputs {
                try convert(input, into: outputs, template: template, speculation: speculation)
                if speculation?.failed == true { break }
            }
            if let speculation, !speculation.failed, !speculation.holds() { speculation.failed = true }
            if speculation?.failed == true {
                outputs.abandon()
                rejects = nil
                return false
            }
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
        return true
    }

    // MARK: - Inference

    /// Input chunks for the workers: whole lines, at most 4 MiB (and at most a batch).
    private var chunkBytes: Int {
        max(64 << 10, min(4 << 20, options.batchBytes, options.targetFileSize))
    }

    /// The full inference pass over file inputs: chunks inferred in parallel, merged in order
    /// (which gives exactly the schema of one pass over every line).
    private func inferSchemaInChunks() throws(FloeError) -> Schema {
        var inference = SchemaInference()
        let threads = max(1, options.threads)
        for input in inputs {
            let reader = try DecodingReader(path: input)
            let chunks = ChunkReader(reader: reader, chunkSize: 4 << 20)
            let pipeline = ChunkPipeline<InferWorker, SchemaInference>(
                states: (0..<threads).map { _ in InferWorker() }) { worker, chunk in worker.run(chunk) }
            let merge = { (part: SchemaInference) throws(FloeError) in inference.merge(part) }
            do throws(FloeError) {
                while let chunk = try chunks.next() { try pipeline.submit(chunk, merge) }
                try pipeline.finish(merge)
            } catch {
                pipeline.cancel()
                throw error
            }
        }
        do throws(FloeError) {
            return try inference.schema()
        } catch {
            throw error.at(Location(file: inputs.joined(separator: ", ")))
        }
    }

    /// Infers from the first `limit` lines (every line when nil; 100,000 of standard input).
    private func inferSchema(limit: Int?, into inference: inout SchemaInference) throws(FloeError) -> Schema {
        var scanner = JSONLineScanner()
        var tape = JSONTape()
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
            if isStdin {
                stdinPrefix = kept
                stdinReader = reader
            }
        }
        do throws(FloeError) {
            return try inference.schema()
        } catch {
            throw error.at(Location(file: inputs.joined(separator: ", ")))
        }
    }

    private static func infer(_ line: JSONLine, _ inference: inout SchemaInference, _ scanner: inout JSONLineScanner,
                              _ tape: inout JSONTape, _ seen: inout Int) throws(FloeError) {
        if JSONLineScanner.isBlank(line.bytes, isFirstLine: line.isFirst) { return }
        seen += 1
        // Bad lines are left to the conversion pass, which rejects or fails on them.
        do throws(FloeError) {
            try scanner.scan(line.bytes, lineNumber: line.number, isFirstLine: line.isFirst, into: &tape)
            try inference.add(tape, line: line.bytes)
        } catch {}
    }

    // MARK: - Conversion

    private func convert(_ input: String, into outputs: OutputSet, template: JSONShredder,
                         speculation: Speculation?) throws(FloeError) {
        var prefix: [UInt8] = []
        let reader: DecodingReader
        if input == "-", let kept = stdinPrefix, let rest = stdinReader {
            stdinPrefix = nil
            stdinReader = nil
            prefix = kept
            reader = rest
        } else {
            reader = try DecodingReader(path: input)
        }
        let chunks = ChunkReader(reader: reader, chunkSize: chunkBytes, prefix: prefix)
        let threads = max(1, options.threads)
        let spec = options.partitioning
        let policy = options.onError
        let pipeline = ChunkPipeline<ConvertWorker, ChunkConversion>(
            states: (0..<threads).map { _ in ConvertWorker(input: input, template: template, spec: spec, policy: policy,
                                               infers: speculation != nil) }
        ) { worker, chunk in worker.run(chunk) }
        var firstLine = 1
        let consume = { [self] (result: ChunkConversion) throws(FloeError) in
            if let speculation {
                if let part = result.inference { speculation.inference.merge(part) }
                if result.misfit || ((result.inference?.lineCount ?? 0) > 0 && !speculation.holds()) {
                    speculation.failed = true
                    throw Speculation.abandoned
                }
            }
            if var failure = result.failure {
                failure.location.line = firstLine + result.failureLine - 1
                throw failure
            }
            for reject in result.rejects {
                var error = reject.error
                let number = firstLine + reject.relativeLine - 1
                error.location.line = number
                try rejects?.add(error, lineNumber: number, offset: reject.offset, raw: reject.raw, file: input)
            }
            for part in result.parts { try outputs.write(part.columns, rows: part.rows, to: part.value) }
            summary.linesRead += result.lines
            summary.blankLines += result.blanks
            summary.rejected += result.rejects.count
            firstLine += result.lines
            report(reader)
        }
        do throws(FloeError) {
            while let chunk = try chunks.next() { try pipeline.submit(chunk, consume) }
            try pipeline.finish(consume)
        } catch {
            pipeline.cancel()
            if speculation?.failed == true { return }
            throw error
        }
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

/// A conversion under the schema of a sample, and whether that schema still holds.
///
/// The inference starts from the sample's and takes in only the lines novel to it (the
/// shredders watch the sample's inference): a line whose every value is of a kind the sample
/// already had at its field, with no new key, adds nothing that could change the resolved
/// schema, and neither does it once more lines have been added (the resolved schema depends
/// only on which kinds and keys were seen, not on how often).
final class Speculation {
    let sample: Schema
    /// The inference of the sample.
    let sampled: SchemaInference
    /// The sample's inference and every novel line converted so far.
    var inference: SchemaInference
    var failed = false
    /// Thrown through the chunk pipeline to stop the pass.
    static let abandoned = FloeError(.invalidArgument, "the sampled schema does not hold")

    init(sample: Schema, sampled: SchemaInference) {
        self.sample = sample
        self.sampled = sampled
        self.inference = sampled
    }

    /// True when the lines seen so far infer exactly the sample's schema.
    func holds() -> Bool {
        do throws(FloeError) { return try inference.schema() == sample } catch { return false }
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
