import FloeCodecs

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
    /// Write the page index (ColumnIndex and OffsetIndex) so readers can skip pages.
    public var pageIndex: Bool = true
    /// Byte-array min/max longer than this are truncated and flagged inexact (0: never).
    public var statisticsTruncateLength: Int = 64
    /// The `created_by` string of the footer.
    public var createdBy: String = "floe version \(floeVersion)"
    /// File-level key-value metadata (a nil value writes a key without a value).
    public var keyValueMetadata: [(key: String, value: String?)] = []

    /// The default options.
    public init() {}
}

/// Floe's version, as written in `created_by`.
public let floeVersion = "0.1.0"
