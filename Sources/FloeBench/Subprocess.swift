#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeCore

/// Runs a child process with posix_spawn and waits for it, timing it wall clock.
public enum Subprocess {
    /// The outcome of one child.
    public struct Outcome: Sendable {
        /// Exit status (128 + signal when killed by a signal).
        public var status: Int32
        /// Wall time from spawn to exit, seconds.
        public var seconds: Double
    }

    /// Runs `arguments` (the first is looked up in PATH), its standard output written to
    /// `stdoutPath` and its standard error to `stderrPath` (`/dev/null` by default).
    public static func run(_ arguments: [String], stdoutPath: String = "/dev/null",
                           stderrPath: String = "/dev/null") throws(FloeError) -> Outcome {
        guard let program = arguments.first else { throw FloeError.invalidArgument("no program to run") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid = pid_t()
        let start = BenchClock.now()
        let rc = argv.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return EINVAL }
            return posix_spawnp(&pid, program, &actions, nil, base, environ)
        }
        guard rc == 0 else { throw FloeError(.io, "cannot run \(program): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw FloeError(.io, "waiting for \(program) failed") }
        }
        let seconds = BenchClock.now() - start
        let signal = status & 0x7F
        return Outcome(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, seconds: seconds)
    }
}

/// Small system helpers: clock, host name, date, whole-file reads and writes.
public enum BenchClock {
    /// Monotonic seconds.
    public static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// `gethostname`, or `host` when unavailable.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "host" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "host" : name
    }

    /// Today's date (UTC) as YYYY-MM-DD.
    public static func today() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }

    /// The whole file as text.
    public static func readText(_ path: String) throws(FloeError) -> String {
        let file = try RandomAccessFile(path: path)
        return String(decoding: try file.read(offset: 0, count: file.size), as: UTF8.self)
    }

    /// Writes `text` to `path` atomically.
    public static func writeText(_ text: String, to path: String) throws(FloeError) {
        let file = try AtomicFile(path: path)
        try file.write(Array(text.utf8))
        try file.commit()
    }

    /// The size of a file in bytes (0 when missing).
    public static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}
