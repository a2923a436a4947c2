import ArgumentParser
import Floe

/// `floe cat`: print rows as canonical JSON lines or a table.
struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the rows of a Parquet file as JSON lines (the canonical view) or a table.")

    enum Format: String, ExpressibleByArgument { case jsonl, table }

    @Argument(help: "The Parquet file.") var file: String
    @Option(help: "Only these columns, comma-separated (dotted paths or top-level names).") var columns: String?
    @Option(help: "Print at most this many rows.") var limit: Int?
    @Option(help: "Output format: jsonl or table.") var format: Format = .jsonl

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() throws {
        let parquet = try ParquetFile(path: file)
        let projection = try ColumnProjection(schema: parquet.schema, names: columns)
        var remaining = limit ?? Int.max
        let names = projection.leaves.map { $0.dottedPath }
        let rowWriter = CanonicalRowWriter(names: names)
        var table = TablePrinter(names: names)
        for group in 0..<parquet.rowGroupCount where remaining > 0 {
            let rows = min(parquet.rowCount(ofRowGroup: group), remaining)
            if rows == 0 { continue }
            var texts: [BinaryValues] = []
            for leaf in projection.leaves {
                let data = try parquet.readColumn(rowGroup: group, column: leaf.index)
                texts.append(try CanonicalColumn.format(data, descriptor: leaf))
            }
            switch format {
            case .jsonl:
                var out: [UInt8] = []
                var start = 0
                while start < rows {
                    let end = min(rows, start + 4096)
                    rowWriter.appendRows(texts, rows: start..<end, to: &out)
                    Terminal.output(out)
                    out.removeAll(keepingCapacity: true)
                    start = end
                }
            case .table:
                table.add(texts, rows: 0..<rows)
            }
            remaining -= rows
        }
        if format == .table { Terminal.output(table.render()) }
    }
}

/// The leaves a `--columns` list selects; top-level names select every leaf below them.
struct ColumnProjection {
    let leaves: [ColumnDescriptor]

    init(schema: Schema, names: String?) throws {
        guard let names else {
            try ColumnProjection.requireFlat(schema.leaves)
            leaves = schema.leaves
            return
        }
        var picked: [ColumnDescriptor] = []
        for raw in names.split(separator: ",") {
            let name = raw.trimmingCharacters(in: " ")
            let matches = schema.leaves.filter { $0.dottedPath == name || $0.path.first == name }
            guard !matches.isEmpty else {
                throw FloeError.invalidArgument("no column named '\(name)' (columns: \(schema.leaves.map(\.dottedPath).joined(separator: ", ")))")
            }
            for m in matches where !picked.contains(where: { $0.index == m.index }) { picked.append(m) }
        }
        try ColumnProjection.requireFlat(picked)
        leaves = picked
    }

    static func requireFlat(_ leaves: [ColumnDescriptor]) throws {
        for leaf in leaves where leaf.path.count > 1 || leaf.maxRepetitionLevel > 0 {
            throw FloeError.unsupported("nested column \(leaf.dottedPath)")
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var s = self[...]
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
