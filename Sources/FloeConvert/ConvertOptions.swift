import FloeCore
import FloeColumns
import FloeParquet

/// What to do with a line that is not valid JSON or does not fit the schema.
public enum ErrorPolicy: String, Sendable {
    /// Stop at the first bad line (exit code 1), writing no output file.
    case fail
    /// Skip bad lines; each goes to the rejects report with its line number and reason.
    case skip
}

/// How ``Converter`` turns JSON lines into Parquet files.
public struct ConvertOptions: Sendable {
    /// Encoding of the Parquet output (codec, level, row groups, pages, dictionary).
    public var writer = WriterOptions()
    /// Bad lines: fail or skip.
    public var onError: ErrorPolicy = .fail
    /// Where skipped lines are reported (JSON lines), if anywhere.
    public var rejectsPath: String? = nil
    /// Hive-style partitioning of the output directory.
    public var partitioning: PartitionSpec? = nil
    /// Output files are closed and a new one begun past this size (bytes).
    public var targetFileSize: Int = 512 << 20
    /// An explicit schema; when nil the schema is inferred.
    public var schema: Schema? = nil
    /// Match JSON keys to an explicit schema's field names case-insensitively (Hive's JSON SerDe).
    public var caseInsensitiveKeys: Bool = true
    /// Infer from the first N lines only (nil: a full pass over file inputs; standard input is
    /// always sampled, 100,000 lines by default).
    public var inferRows: Int? = nil
    /// Worker threads parsing and shredding (the writer has its own).
    public var threads: Int = 2
    /// Buffered column data per flush to the writer, in bytes (input is cut into chunks of
    /// whole lines of at most this size, and at most 4 MiB).
    public var batchBytes: Int = 32 << 20
    /// The most output files open at once (partitioned output): past it, the one written least
    /// recently is completed, and its partition's next rows start a new part file. Nil: as
    /// many as the process may open (see ``FileSystem/raiseOpenFileLimit()``), less 64 for the
    /// inputs and the rest.
    public var maxOpenFiles: Int? = nil
    /// The most bytes the open files may hold in memory together (their open row groups, see
    /// ``ParquetWriter/bufferedBytes``); past it the largest write their row groups out early.
    /// Never less than twice the row group size.
    public var bufferBudget: Int = 512 << 20
    /// Let the converter choose compact encodings on top of ``writer``: DELTA_BINARY_PACKED for
    /// integers and timestamps that are not dictionary-encoded, and no dictionary for columns
    /// whose first page is nearly all distinct values (ids, timestamps).
    public var compactEncodings: Bool = true

    /// When the schema is inferred from every line of file inputs: convert in one pass under
    /// the schema of the first ``sampleLines`` lines while inferring over every line, and fall
    /// back to an inference pass and a second conversion only when the whole input's schema
    /// turns out different. The output is the same either way.
    public var singlePassInference: Bool = true
    /// The sample of ``singlePassInference``.
    public var sampleLines: Int = 20_000

    /// The writer options in force: ``writer`` with the compact encodings when asked.
    public var effectiveWriterOptions: WriterOptions {
        var w = writer
        w.encodingThreads = max(w.encodingThreads, threads)
        if compactEncodings {
            w.deltaIntegers = true
            if w.dictionaryDistinctCutoff == nil { w.dictionaryDistinctCutoff = 0.98 }
        }
        return w
    }

    /// The default options.
    public init() {}
}

/// A snapshot of a running conversion, for progress display.
public struct ConvertProgress: Sendable {
    /// Input bytes read so far (compressed bytes for compressed inputs).
    public var bytesRead: Int
    /// The total input size when known.
    public var totalBytes: Int?
    /// Lines read so far (blank lines included).
    public var linesRead: Int
    /// Rows shredded so far.
    public var rows: Int
    /// Seconds since the start.
    public var seconds: Double
}

/// The outcome of a conversion; counts reconcile: `rowsWritten + rejected + blankLines == linesRead`.
public struct ConvertSummary: Sendable {
    public var linesRead = 0
    public var blankLines = 0
    public var rowsWritten = 0
    public var rejected = 0
    /// Input bytes (as stored: compressed for .gz/.zst inputs).
    public var bytesIn = 0
    /// Input bytes after decompression.
    public var bytesDecoded = 0
    /// Parquet bytes written.
    public var bytesOut = 0
    /// The files written, in order.
    public var files: [String] = []
    /// Wall time in seconds.
    public var seconds: Double = 0
    /// The schema written.
    public var schema: Schema? = nil
    /// True when the schema was inferred during the conversion (see
    /// ``ConvertOptions/singlePassInference``) instead of by a pass of its own.
    public var singlePass = false
}
