import ArgumentParser
import Floe

/// `floe schema`: print a file's schema, or the Athena DDL of a file or partitioned directory.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the schema of a Parquet file, or with --ddl athena the CREATE EXTERNAL TABLE statement.")

    enum Dialect: String, ExpressibleByArgument { case athena, hive }

    @Argument(help: "A Parquet file, or a directory of them (Hive-style key=value partitions).") var path: String
    @Option(help: "Print DDL: athena (or hive).") var ddl: Dialect?
    @Option(help: "Table name for the DDL (default: the file or directory name).") var table: String?
    @Option(help: "LOCATION of the table (default: the path; give the s3:// URL it will live at).") var location: String?

    func run() throws {
        let files = FileSystem.isDirectory(path)
            ? try FileSystem.files(under: path).filter { $0.hasSuffix(".parquet") } : [path]
        guard let first = files.first else { throw FloeError.invalidArgument("no .parquet file under \(path)") }
        let parquet = try ParquetFile(path: first)
        guard ddl != nil else {
            Terminal.output(parquet.schema.messageText)
            return
        }
        let root = path.hasSuffix("/") ? String(path.dropLast()) : path
        var name = table ?? String(root.split(separator: "/").last ?? "events")
        if table == nil, name.hasSuffix(".parquet") { name = String(name.dropLast(8)) }
        name = HiveDDL.quote(name.map { $0.isLetter || $0.isNumber ? Character($0.lowercased()) : "_" }.reduce("") { $0 + String($1) })
        // Partition keys from key=value directories between the root and the files.
        var keys: [String] = []
        var partitions: [[(String, String)]] = []
        if FileSystem.isDirectory(path) {
            for file in files {
                let relative = file.dropFirst(root.count + 1).split(separator: "/").dropLast()
                let pairs = relative.compactMap { part -> (String, String)? in
                    guard let eq = part.firstIndex(of: "=") else { return nil }
                    return (String(part[..<eq]), String(part[part.index(after: eq)...]))
                }
                for (k, _) in pairs where !keys.contains(k) { keys.append(k) }
                if !pairs.isEmpty, !partitions.contains(where: { $0.map(\.0) == pairs.map(\.0) && $0.map(\.1) == pairs.map(\.1) }) {
                    partitions.append(pairs)
                }
            }
        }
        var problems = HiveDDL.nameProblems(of: parquet.schema)
        for key in keys {
            if let column = parquet.schema.root.children.first(where: { $0.name.lowercased() == key.lowercased() }) {
                problems.append("the partition key \(HiveDDL.quote(key)) is also the column \(HiveDDL.quote(column.name))")
            }
        }
        guard problems.isEmpty else {
            throw FloeError(.unsupported, "no \(ddl?.rawValue ?? "athena") table can declare these columns: " + problems.joined(separator: "; "),
                            at: Location(file: first))
        }
        let base = location ?? root
        let columns = HiveDDL.columns(of: parquet.schema)
        var out = "CREATE EXTERNAL TABLE IF NOT EXISTS \(name) (\n"
        out += columns.map { "  \($0.name) \($0.type)" }.joined(separator: ",\n")
        out += "\n)\n"
        if !keys.isEmpty {
            out += "PARTITIONED BY (" + keys.map { "\(HiveDDL.quote($0)) string" }.joined(separator: ", ") + ")\n"
        }
        out += "STORED AS PARQUET\nLOCATION '\(base.hasSuffix("/") ? base : base + "/")'"
        if let codec = parquet.metadata.rowGroups.first?.columns.first?.metaData?.codec.name {
            out += "\nTBLPROPERTIES ('parquet.compression'='\(codec)')"
        }
        out += ";\n"
        for p in partitions {
            let spec = p.map { "\(HiveDDL.quote($0.0))='\($0.1.replacingQuotes())'" }.joined(separator: ", ")
            let dir = p.map { "\($0.0)=\($0.1)" }.joined(separator: "/")
            out += "ALTER TABLE \(name) ADD IF NOT EXISTS PARTITION (\(spec)) LOCATION '\(base.hasSuffix("/") ? base : base + "/")\(dir)/';\n"
        }
        Terminal.output(out)
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''")
    }
}
