import FloeCore
import FloeCodecs
import FloeFormat
import FloeColumns

/// How ``ParquetWriter`` lays out and encodes a file. The defaults suit data-lake use:
/// zstd, dictionary encoding with fallback, byte-sized row groups, statistics on.
public struct WriterOptions: Sendable {
    /// The compression codec of every column chunk.
    public var codec: CompressionKind = .zstd
    /// The codec's level (zstd 1…22, gzip 0…9, brotli 0…11); nil for the codec's default.
    public var compressionLevel: Int? = nil
    /// The data page format: 1 (DATA_PAGE) or 2 (DATA_PAGE_V2).
    public var pageVersion: Int = 1
    /// Dictionary-encode columns (falling back to PLAIN once the dictionary outgrows its limit).
    public var dictionary: Bool = true
    /// The largest dictionary, in PLAIN-encoded bytes, before falling back to PLAIN.
    public var dictionaryPageSizeLimit: Int = 1 << 20
    /// Integers that are not dictionary-encoded (dictionary off, or fallen back) get
    /// DELTA_BINARY_PACKED in data page v1 too (v2 always uses it). pyarrow, DuckDB, polars and
    /// parquet-mr read it; it shrinks timestamp and counter columns well under zstd.
    public var deltaIntegers: Bool = false
    /// When set, a column chunk drops its dictionary if at least this fraction of the values
    /// of its first page (1,000 values or more) are distinct: such a column (ids, timestamps)
    /// gains nothing from a dictionary, and the dictionary pages only cost space until the
    /// fallback. The chunk is then written in the column's value encoding, or in
    /// DELTA_LENGTH_BYTE_ARRAY for byte arrays whose value encoding is PLAIN.
    public var dictionaryDistinctCutoff: Double? = nil
    /// The target size of a data page, in bytes before compression.
    public var dataPageSize: Int = 1 << 20
    /// The most rows in one data page (keeps page statistics useful).
    public var dataPageRowLimit: Int = 20_000
    /// The target size of a row group in bytes (encoded and compressed). Row groups are sized by
    /// bytes by default, because files are sized by bytes.
    public var rowGroupSize: Int = 128 << 20
    /// An optional cap on the rows of a row group.
    public var rowGroupRowLimit: Int? = nil
    /// Write a CRC-32 of every page body into its header.
    public var pageChecksums: Bool = true
    /// Write min/max/null-count statistics for column chunks and pages.
    public var statistics: Bool = true
    /// Value encodings chosen per column (dotted path or top-level name). A column listed here
    /// is not dictionary-encoded.
    public var columnEncodings: [String: Encoding] = [:]
    /// Columns (dotted paths, or top-level names for all their leaves) that get a split-block
    /// bloom filter per column chunk.
    public var bloomFilterColumns: Set<String> = []
    /// The target false-positive probability of bloom filters.
    public var bloomFilterFalsePositiveProbability: Double = 0.01
    /// The largest bloom filter of one column chunk, in bytes.
    public var bloomFilterMaxBytes: Int = 1 << 20
    /// Write the page index (ColumnIndex and OffsetIndex) so readers can skip pages.
    public var pageIndex: Bool = true
    /// Threads encoding and compressing the column chunks of a row group at once (the output
    /// does not depend on it: each chunk is encoded on its own).
    public var encodingThreads: Int = 1
    /// Byte-array min/max longer than this are truncated and flagged inexact (0: never).
    public var statisticsTruncateLength: Int = 64
    /// The `created_by` string of the footer.
    public var createdBy: String = "floe version \(floeVersion)"
    /// File-level key-value metadata (a nil value writes a key without a value).
    public var keyValueMetadata: [(key: String, value: String?)] = []

    /// The default options.
    public init() {}
}

extension WriterOptions {
    /// The encoding a column's values get when they are not dictionary-encoded (dictionary off,
    /// or fallen back): the one chosen for the column, else PLAIN for data page v1, and for
    /// data page v2 DELTA_BINARY_PACKED for integers and RLE for booleans. Byte arrays stay
    /// PLAIN: pyarrow cannot read delta-encoded strings into dictionary-typed columns.
    public func valueEncoding(for leaf: ColumnDescriptor) -> Encoding {
        if let chosen = columnEncodings[leaf.dottedPath] ?? leaf.path.first.flatMap({ columnEncodings[$0] }) { return chosen }
        guard pageVersion == 2 else {
            if deltaIntegers, leaf.physicalType == .int32 || leaf.physicalType == .int64 { return .deltaBinaryPacked }
            return .plain
        }
        switch leaf.physicalType {
        case .boolean: return .rle
        case .int32, .int64: return .deltaBinaryPacked
        default: return .plain
        }
    }

    /// The names in ``columnEncodings`` and ``bloomFilterColumns`` that are neither a leaf's
    /// dotted path nor a top-level field of `schema`, sorted (a misspelt name would otherwise
    /// be ignored without a word).
    public func unknownColumnNames(in schema: Schema) -> [String] {
        var known = Set<String>()
        for leaf in schema.leaves {
            known.insert(leaf.dottedPath)
            if let top = leaf.path.first { known.insert(top) }
        }
        return Set(columnEncodings.keys).union(bloomFilterColumns).subtracting(known).sorted()
    }

    /// Fails when ``unknownColumnNames(in:)`` finds any.
    public func checkColumnNames(in schema: Schema) throws(FloeError) {
        let unknown = unknownColumnNames(in: schema)
        guard unknown.isEmpty else {
            throw FloeError.invalidArgument("no column named \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in the schema "
                                                + "(an encoding or a bloom filter names a column by dotted path or top-level field)")
        }
    }

    /// True when the column's values start dictionary-encoded.
    public func usesDictionary(for leaf: ColumnDescriptor) -> Bool {
        dictionary && columnEncodings[leaf.dottedPath] == nil && leaf.path.first.flatMap({ columnEncodings[$0] }) == nil
    }
}

/// Floe's version, as written in `created_by`.
public let floeVersion = "0.1.0"
