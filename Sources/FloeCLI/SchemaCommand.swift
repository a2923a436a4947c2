import ArgumentParser
import Floe

/// `floe schema`: print a file's schema.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema",
                                                    abstract: "Print the schema of a Parquet file.")

    @Argument(help: "The Parquet file.") var file: String

    func run() throws {
        let parquet = try ParquetFile(path: file)
        Terminal.output(parquet.schema.messageText)
    }
}
