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
    @Option(help: "Only the row groups of this byte-range split, START:LENGTH (see `floe splits`).") var split: String?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() throws {
        let parquet = try ParquetFile(path: file)
        let projection = try FieldProjection(schema: parquet.schema, names: columns)
        var remaining = limit ?? Int.max
        var table = TablePrinter(names: projection.fields.map(\.name))
        let groups = try SplitOption.parse(split).map { parquet.rowGroups(in: $0) } ?? Array(0..<parquet.rowGroupCount)
        for group in groups where remaining > 0 {
            let rows = min(parquet.rowCount(ofRowGroup: group), remaining)
            if rows == 0 { continue }
            var columns = [ColumnData?](repeating: nil, count: parquet.schema.leaves.count)
            for leaf in projection.leaves { columns[leaf] = try parquet.readColumn(rowGroup: group, column: leaf) }
            var writer = try NestedRowWriter(schema: parquet.schema, fields: projection.fields, columns: columns)
            var out: [UInt8] = []
            for _ in 0..<rows {
                try writer.appendRow(to: &out)
                if format == .jsonl, out.count >= 1 << 16 {
                    Terminal.output(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            switch format {
            case .jsonl: Terminal.output(out)
            case .table: table.add(jsonLines: out)
            }
            remaining -= rows
        }
        if format == .table { Terminal.output(table.render()) }
    }
}

/// The fields a `--columns` list selects: top-level field names, or dotted paths of leaves
/// that are not inside a list or map.
struct FieldProjection {
    let fields: [(name: String, shape: LogicalShape)]
    let leaves: [Int]

    init(schema: Schema, names: String?) throws {
        let all = try schema.logicalFields()
        guard let names else {
            fields = all
            leaves = all.flatMap { $0.shape.levels.leaves }
            return
        }
        var picked: [(name: String, shape: LogicalShape)] = []
        for raw in names.split(separator: ",") {
            let name = raw.trimmingCharacters(in: " ")
            if let field = all.first(where: { $0.name == name }) {
                picked.append(field)
            } else if let leaf = schema.leaf(named: name), leaf.maxRepetitionLevel == 0 {
                let levels = ShapeLevels(definition: leaf.maxDefinitionLevel, elementDefinition: leaf.maxDefinitionLevel,
                                         repetition: 0, nullable: leaf.maxDefinitionLevel > 0, leaves: [leaf.index])
                picked.append((name, .primitive(leaf: leaf.index, levels: levels)))
            } else {
                throw FloeError.invalidArgument("no column named '\(name)' (columns: \(all.map(\.name).joined(separator: ", ")))")
            }
        }
        fields = picked
        var seen: [Int] = []
        for f in picked { for l in f.shape.levels.leaves where !seen.contains(l) { seen.append(l) } }
        leaves = seen
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
