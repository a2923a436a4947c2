/// Parquet's `CompressionCodec` ids (parquet.thrift): how a page body is compressed.
public enum CompressionKind: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// No compression: the page body is stored as is.
    case uncompressed = 0
    /// Snappy raw format (no framing).
    case snappy = 1
    /// Deflate in the gzip format (RFC 1952).
    case gzip = 2
    /// LZO; not supported by Floe.
    case lzo = 3
    /// Brotli (RFC 7932).
    case brotli = 4
    /// The deprecated LZ4 codec: Hadoop block framing around raw LZ4 blocks on write; on read
    /// also a bare LZ4 block (early parquet-cpp) or an LZ4 frame.
    case lz4 = 5
    /// Zstandard frames.
    case zstd = 6
    /// One raw LZ4 block, no framing.
    case lz4Raw = 7

    /// Parses a codec name, case-insensitively: `uncompressed` (or `none`), `snappy`, `gzip`,
    /// `lzo`, `brotli`, `lz4`, `lz4_raw` (or `lz4raw`), `zstd`.
    public init?(name: String) {
        switch name.lowercased() {
        case "uncompressed", "none": self = .uncompressed
        case "snappy": self = .snappy
        case "gzip": self = .gzip
        case "lzo": self = .lzo
        case "brotli": self = .brotli
        case "lz4": self = .lz4
        case "zstd": self = .zstd
        case "lz4_raw", "lz4raw": self = .lz4Raw
        default: return nil
        }
    }

    /// The name parquet.thrift gives the codec: `UNCOMPRESSED`, `SNAPPY`, `GZIP`, `LZO`,
    /// `BROTLI`, `LZ4`, `ZSTD`, `LZ4_RAW`.
    public var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    public var description: String { name }

    /// Whether Floe can compress and decompress this codec (every one but LZO).
    public var isSupported: Bool { self != .lzo }

    /// The largest size `compressedSize` bytes of this codec can decompress to, or nil when
    /// the format has no practical bound (zstd, brotli).
    ///
    /// A reader can reject a page whose header claims more before allocating: LZ4 expands at
    /// most ~255:1, snappy ~21:1 (checked exactly from its length prefix anyway), deflate
    /// 1032:1, and stored data 1:1.
    public func maximumDecompressedSize(compressedSize: Int) -> Int? {
        guard compressedSize >= 0 else { return 0 }
        let (ratio, slack): (Int, Int)
        switch self {
        case .uncompressed: return compressedSize
        case .snappy: (ratio, slack) = (32, 64)
        case .lz4, .lz4Raw: (ratio, slack) = (256, 64)
        case .gzip: (ratio, slack) = (1040, 64)
        case .lzo, .brotli, .zstd: return nil
        }
        let (product, overflow) = compressedSize.multipliedReportingOverflow(by: ratio)
        return overflow ? Int.max : product &+ min(slack, Int.max &- product)
    }
}
