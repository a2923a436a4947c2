import ArgumentParser
import Floe

/// The `floe` command line: thin commands over the library.
@main
struct FloeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floe",
        abstract: "A Parquet engine and JSON-lines converter.",
        version: floeVersion,
        subcommands: [Inspect.self, SchemaCommand.self, Cat.self, Rewrite.self, Convert.self, Gen.self, Verify.self, Query.self, Splits.self, Bench.self]
    )

    /// Runs a command, mapping errors to the exit codes of DESIGN.md: 0 success, 1 bad data,
    /// 2 usage or I/O. Messages go to stderr.
    static func main() {
        MemoryTuning.keepFreedMemory()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as FloeError {
            Terminal.error("floe: \(error)")
            Terminal.flushAndExit(error.isDataError ? 1 : 2)
        } catch let exit as ExitCode {
            Terminal.flushAndExit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Terminal.output(fullMessage(for: error) + "\n")
                Terminal.flushAndExit(0)
            }
            Terminal.error(fullMessage(for: error))
            Terminal.flushAndExit(2)
        }
        Terminal.flushAndExit(0)
    }
}
