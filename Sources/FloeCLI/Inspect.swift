import ArgumentParser
import Floe

/// `floe inspect`: the footer in human or machine-readable form.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a Parquet file's metadata: schema, row groups, column chunks, encodings, sizes, statistics, pages.")

    @Argument(help: "The Parquet file.") var file: String
    @Flag(help: "Print machine-readable JSON.") var json = false

    func run() throws {
        let parquet = try ParquetFile(path: file)
        let report = try FileReport(parquet)
        if json {
            Terminal.output(report.json.serialized(indent: 2) + "\n")
        } else {
            Terminal.output(report.text)
        }
    }
}

/// What `inspect` shows, gathered once and rendered as text or JSON.
struct FileReport {
    struct Chunk {
        var path: String
        var type: String
        var codec: String
        var encodings: [String]
        var compressed: Int64
        var uncompressed: Int64
        var values: Int64
        var pages: Int
        var pageEncodings: [String]
        var nullCount: Int64?
        var min: String?
        var max: String?
        var minExact: Bool?
        var maxExact: Bool?
    }
    struct Group { var rows: Int64; var compressed: Int64; var uncompressed: Int64; var chunks: [Chunk] }

    let file: String
    let size: Int
    let rows: Int
    let version: Int32
    let createdBy: String?
    let schemaText: String
    let keyValues: [(String, String?)]
    let groups: [Group]

    init(_ parquet: ParquetFile) throws {
        file = parquet.path
        size = parquet.file.size
        rows = parquet.numRows
        version = parquet.metadata.version
        createdBy = parquet.metadata.createdBy
        schemaText = parquet.schema.messageText
        keyValues = parquet.keyValueMetadata.map { ($0.key, $0.value) }
        var groups: [Group] = []
        for (g, rowGroup) in parquet.metadata.rowGroups.enumerated() {
            var chunks: [Chunk] = []
            var compressed: Int64 = 0
            for (c, chunk) in rowGroup.columns.enumerated() {
                guard let meta = chunk.metaData else { continue }
                let leaf = parquet.schema.leaves[c]
                let pages = try parquet.pageHeaders(rowGroup: g, column: c)
                var pageEncodings: [String] = []
                for p in pages {
                    let e = p.header.dataPageHeader?.encoding ?? p.header.dataPageHeaderV2?.encoding
                        ?? p.header.dictionaryPageHeader?.encoding
                    if let e, !pageEncodings.contains(e.description) { pageEncodings.append(e.description) }
                }
                let stats = meta.statistics
                let minBytes = stats?.minValue ?? (leaf.kind.hasUnsignedOrder ? nil : stats?.min)
                let maxBytes = stats?.maxValue ?? (leaf.kind.hasUnsignedOrder ? nil : stats?.max)
                compressed += meta.totalCompressedSize
                chunks.append(Chunk(
                    path: leaf.dottedPath, type: "\(meta.type)", codec: "\(meta.codec)",
                    encodings: meta.encodings.map(\.description),
                    compressed: meta.totalCompressedSize, uncompressed: meta.totalUncompressedSize,
                    values: meta.numValues, pages: pages.filter { $0.header.type != .dictionaryPage }.count,
                    pageEncodings: pageEncodings, nullCount: stats?.nullCount,
                    min: minBytes.flatMap { CanonicalColumn.statisticText($0, descriptor: leaf) },
                    max: maxBytes.flatMap { CanonicalColumn.statisticText($0, descriptor: leaf) },
                    minExact: stats?.isMinValueExact, maxExact: stats?.isMaxValueExact))
            }
            groups.append(Group(rows: rowGroup.numRows, compressed: rowGroup.totalCompressedSize ?? compressed,
                                uncompressed: rowGroup.totalByteSize, chunks: chunks))
        }
        self.groups = groups
    }

    var json: JSONValue {
        .object([
            ("file", .string(file)),
            ("size", .int(Int64(size))),
            ("num_rows", .int(Int64(rows))),
            ("version", .int(Int64(version))),
            ("created_by", createdBy.map { .string($0) } ?? .null),
            ("schema", .string(schemaText)),
            ("key_value_metadata", .object(keyValues.map { ($0.0, $0.1.map { .string($0) } ?? .null) })),
            ("row_groups", .array(groups.map { g in
                .object([
                    ("num_rows", .int(g.rows)),
                    ("total_compressed_size", .int(g.compressed)),
                    ("total_uncompressed_size", .int(g.uncompressed)),
                    ("columns", .array(g.chunks.map { c in
                        .object([
                            ("path", .string(c.path)),
                            ("type", .string(c.type)),
                            ("codec", .string(c.codec)),
                            ("encodings", .array(c.encodings.map { .string($0) })),
                            ("page_encodings", .array(c.pageEncodings.map { .string($0) })),
                            ("compressed_size", .int(c.compressed)),
                            ("uncompressed_size", .int(c.uncompressed)),
                            ("num_values", .int(c.values)),
                            ("pages", .int(Int64(c.pages))),
                            ("statistics", .object([
                                ("null_count", c.nullCount.map { .int($0) } ?? .null),
                                ("min", c.min.map { .raw($0) } ?? .null),
                                ("max", c.max.map { .raw($0) } ?? .null),
                                ("is_min_value_exact", c.minExact.map { .bool($0) } ?? .null),
                                ("is_max_value_exact", c.maxExact.map { .bool($0) } ?? .null),
                            ])),
                        ])
                    })),
                ])
            })),
        ])
    }

    var text: String {
        var out = "file: \(file)\nsize: \(size) bytes\nrows: \(rows)\nrow groups: \(groups.count)\n"
        out += "created by: \(createdBy ?? "(unknown)")\nformat version: \(version)\n"
        if !keyValues.isEmpty {
            out += "key-value metadata:\n"
            for (k, v) in keyValues {
                let shown = v.map { $0.count > 100 ? String($0.prefix(97)) + "..." : $0 } ?? "(no value)"
                out += "  \(k): \(shown)\n"
            }
        }
        out += "schema:\n" + schemaText.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        for (i, g) in groups.enumerated() {
            out += "row group \(i): \(g.rows) rows, \(g.compressed) bytes compressed, \(g.uncompressed) uncompressed\n"
            for c in g.chunks {
                out += "  \(c.path): \(c.type) \(c.codec) [\(c.encodings.joined(separator: ","))] "
                out += "\(c.compressed)/\(c.uncompressed) bytes, \(c.values) values, \(c.pages) pages"
                if let n = c.nullCount { out += ", nulls \(n)" }
                if let lo = c.min, let hi = c.max { out += ", min \(lo), max \(hi)" }
                out += "\n"
            }
        }
        return out
    }
}
