import ArgumentParser
import Floe

/// `floe inspect`: the footer in human or machine-readable form.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a Parquet file's metadata: schema, row groups, column chunks, encodings, sizes, statistics, pages.")

    @Argument(help: "The Parquet file.") var file: String
    @Flag(help: "Print machine-readable JSON.") var json = false
    @Flag(help: "List every page: offset, size, type, encoding, values, statistics, and the page index.") var pages = false

    func run() throws {
        let parquet = try ParquetFile(path: file)
        let report = try FileReport(parquet, pages: pages)
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
        var hasColumnIndex: Bool
        var hasOffsetIndex: Bool
        var boundaryOrder: String?
        var pageList: [Page]
    }
    struct Page {
        var offset: Int
        var type: String
        var encoding: String?
        var compressed: Int
        var uncompressed: Int
        var values: Int?
        var firstRow: Int?
        var nullCount: Int64?
        var min: String?
        var max: String?
        var hasCRC: Bool
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

    init(_ parquet: ParquetFile, pages listPages: Bool = false) throws {
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
                var pageList: [Page] = []
                let columnIndex = try parquet.columnIndex(rowGroup: g, column: c)
                let offsetIndex = try parquet.offsetIndex(rowGroup: g, column: c)
                if listPages {
                    var dataPage = 0
                    for p in pages {
                        let h = p.header
                        let pageStats = h.dataPageHeader?.statistics ?? h.dataPageHeaderV2?.statistics
                        var page = Page(offset: p.offset, type: "\(h.type)",
                                        encoding: (h.dataPageHeader?.encoding ?? h.dataPageHeaderV2?.encoding ?? h.dictionaryPageHeader?.encoding).map { "\($0)" },
                                        compressed: Int(h.compressedPageSize), uncompressed: Int(h.uncompressedPageSize),
                                        values: (h.dataPageHeader?.numValues ?? h.dataPageHeaderV2?.numValues ?? h.dictionaryPageHeader?.numValues).map { Int($0) },
                                        firstRow: nil, nullCount: pageStats?.nullCount,
                                        min: pageStats?.minValue.flatMap { CanonicalColumn.statisticText($0, descriptor: leaf) },
                                        max: pageStats?.maxValue.flatMap { CanonicalColumn.statisticText($0, descriptor: leaf) },
                                        hasCRC: h.crc != nil)
                        if h.type != .dictionaryPage {
                            if let locations = offsetIndex?.pageLocations, dataPage < locations.count {
                                page.firstRow = Int(locations[dataPage].firstRowIndex)
                            }
                            if let ci = columnIndex, dataPage < ci.nullPages.count, !ci.nullPages[dataPage] {
                                page.nullCount = ci.nullCounts.map { $0[dataPage] } ?? page.nullCount
                                page.min = CanonicalColumn.statisticText(ci.minValues[dataPage], descriptor: leaf) ?? page.min
                                page.max = CanonicalColumn.statisticText(ci.maxValues[dataPage], descriptor: leaf) ?? page.max
                            }
                            dataPage += 1
                        }
                        pageList.append(page)
                    }
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
                    minExact: stats?.isMinValueExact, maxExact: stats?.isMaxValueExact,
                    hasColumnIndex: columnIndex != nil, hasOffsetIndex: offsetIndex != nil,
                    boundaryOrder: columnIndex.map { "\($0.boundaryOrder)" }, pageList: pageList))
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
                            ("column_index", .bool(c.hasColumnIndex)),
                            ("offset_index", .bool(c.hasOffsetIndex)),
                            ("boundary_order", c.boundaryOrder.map { .string($0) } ?? .null),
                        ] + (c.pageList.isEmpty ? [] : [("page_list", .array(c.pageList.map { p in
                            .object([
                                ("offset", .int(Int64(p.offset))),
                                ("type", .string(p.type)),
                                ("encoding", p.encoding.map { .string($0) } ?? .null),
                                ("compressed_size", .int(Int64(p.compressed))),
                                ("uncompressed_size", .int(Int64(p.uncompressed))),
                                ("num_values", p.values.map { .int(Int64($0)) } ?? .null),
                                ("first_row", p.firstRow.map { .int(Int64($0)) } ?? .null),
                                ("null_count", p.nullCount.map { .int($0) } ?? .null),
                                ("min", p.min.map { .raw($0) } ?? .null),
                                ("max", p.max.map { .raw($0) } ?? .null),
                                ("crc", .bool(p.hasCRC)),
                            ])
                        }))]))
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
                if c.hasColumnIndex || c.hasOffsetIndex {
                    out += ", page index" + (c.boundaryOrder.map { " (\($0))" } ?? " (offsets only)")
                }
                out += "\n"
                for p in c.pageList {
                    out += "    page @\(p.offset) \(p.type) \(p.encoding ?? "-") \(p.compressed)/\(p.uncompressed) bytes"
                    if let v = p.values { out += ", \(v) values" }
                    if let r = p.firstRow { out += ", first row \(r)" }
                    if let n = p.nullCount { out += ", nulls \(n)" }
                    if let lo = p.min, let hi = p.max { out += ", min \(lo), max \(hi)" }
                    if p.hasCRC { out += ", crc" }
                    out += "\n"
                }
            }
        }
        return out
    }
}
