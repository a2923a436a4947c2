import ArgumentParser
import Dispatch
import Floe
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `floe verify`: check files for corruption, many at once.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check Parquet files for corruption: structure, checksums, decompression and every value.",
        discussion: """
            Directories are walked recursively for files ending in .parquet; a file named on the \
            command line is checked whatever its name. With --deep, statistics, the page index \
            and its boundary order are also compared with the decoded values.
            Exit status: 0 when every file is clean (warnings allowed), 1 when a file is corrupt \
            or uses something Floe cannot check (encryption, an unsupported encoding, a page over \
            the size limit), 2 when a path cannot be read or the usage is wrong.
            """)

    @Argument(help: "Parquet files or directories.") var paths: [String]
    @Flag(help: "Print one JSON document: every file with its findings, and a summary.") var json = false
    @Flag(help: "Also check statistics and the page index against the decoded values.") var deep = false
    @Flag(name: .customLong("no-checksums"), help: "Skip the page CRC-32 checks.") var noChecksums = false
    @Option(help: "Files checked at once (default: the number of cores).") var threads: Int?
    @Option(name: .customLong("max-page-size"), help: "The largest uncompressed page accepted, in bytes (default 1 GiB).")
    var maxPageSize: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let maxPageSize, maxPageSize < 1 { throw ValidationError("--max-page-size must be positive") }
    }

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        var limits = ReaderLimits()
        if let maxPageSize { limits.maxPageSize = maxPageSize }
        let verifier = FileVerifier(options: VerifyOptions(deep: deep, verifyChecksums: !noChecksums, limits: limits))
        let targets = paths.flatMap { VerifyTargets.expand($0) }
        let workers = threads ?? VerifyTargets.coreCount
        let asJSON = json
        let printer = VerifyPrinter()
        let reports = VerifyRunner.run(targets, verifier: verifier, threads: workers) { report in
            if !asJSON { Terminal.output(printer.line(for: report)) }
        }
        let summary = VerifySummary(reports, elapsed: started.duration(to: clock.now))
        if json {
            Terminal.output(JSONValue.object([
                ("files", .array(reports.map(VerifyPrinter.json))),
                ("summary", summary.json),
            ]).serialized(indent: 2) + "\n")
        } else {
            Terminal.output(summary.text + "\n")
        }
        if summary.unreadable > 0 { throw ExitCode(2) }
        if summary.ok < reports.count { throw ExitCode(1) }
    }
}

/// What to check: files, or a path that could not be listed (reported as unreadable).
enum VerifyTarget: Sendable {
    case file(String)
    case unreadable(String, FloeError)
}

enum VerifyTargets {
    static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// A path named on the command line: a file as is, a directory walked for `.parquet` files.
    static func expand(_ path: String) -> [VerifyTarget] {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return [.unreadable(path, FloeError(.io, "cannot open: \(String(cString: strerror(errno)))", at: Location(file: path)))]
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return [.file(path)] }
        var out: [VerifyTarget] = []
        walk(path, depth: 0, into: &out)
        return out
    }

    /// Lists `.parquet` files under `dir` in name order; symbolic links to directories are not
    /// followed (no cycles).
    private static func walk(_ dir: String, depth: Int, into out: inout [VerifyTarget]) {
        guard depth < 64 else { return }
        guard let handle = opendir(dir) else {
            out.append(.unreadable(dir, FloeError(.io, "cannot list: \(String(cString: strerror(errno)))", at: Location(file: dir))))
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        closedir(handle)
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        for name in names.sorted() {
            let path = base + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let type = st.st_mode & S_IFMT
            if type == S_IFDIR {
                walk(path, depth: depth + 1, into: &out)
            } else if name.hasSuffix(".parquet"), type == S_IFREG || type == S_IFLNK {
                out.append(.file(path))
            }
        }
    }
}

/// Runs the verifier over many files with at most `threads` at once, on a task group (with
/// fewer files than threads, several column chunks of a file at once), and hands each report to
/// `progress` in input order as soon as it and all before it are done.
enum VerifyRunner {
    private final class Box: @unchecked Sendable {
        var reports: [VerificationReport] = []
    }

    static func run(_ targets: [VerifyTarget], verifier: FileVerifier, threads: Int,
                    progress: @escaping (VerificationReport) -> Void) -> [VerificationReport] {
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let report = UncheckedSendable(progress)
        Task.detached {
            box.reports = await verifyAll(targets, verifier: verifier, threads: threads, progress: report.value)
            done.signal()
        }
        done.wait()
        return box.reports
    }

    private static func verifyAll(_ targets: [VerifyTarget], verifier: FileVerifier, threads: Int,
                                  progress: (VerificationReport) -> Void) async -> [VerificationReport] {
        var results = [VerificationReport?](repeating: nil, count: targets.count)
        var printed = 0
        // Fewer files than threads: the spare threads check column chunks of the same file.
        let perFile = max(1, threads / max(1, min(threads, targets.count)))
        await withTaskGroup(of: (Int, VerificationReport).self) { group in
            var next = 0
            func start(_ i: Int) {
                let target = targets[i]
                group.addTask {
                    switch target {
                    case .file(let path): return (i, await verifier.verify(path: path, concurrency: perFile))
                    case .unreadable(let path, let error):
                        return (i, VerificationReport(path: path, findings: [
                            VerificationFinding(severity: .error, code: error.code, message: error.message, location: error.location),
                        ]))
                    }
                }
            }
            while next < min(threads, targets.count) { start(next); next += 1 }
            for await (i, report) in group {
                results[i] = report
                while printed < results.count, let r = results[printed] { progress(r); printed += 1 }
                if next < targets.count { start(next); next += 1 }
            }
        }
        return results.compactMap { $0 }
    }
}

/// Lets a closure that only runs on one task at a time cross into that task.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Text and JSON renderings of reports.
struct VerifyPrinter {
    func line(for r: VerificationReport) -> String {
        var out = r.verdict.rawValue.padding(to: 12) + r.path
        if r.verdict != .unreadable {
            out += "  (\(r.rows) rows, \(r.rowGroups) row group\(r.rowGroups == 1 ? "" : "s"), \(r.columns) columns, \(formatBytes(r.size)))"
        }
        out += "\n"
        for f in r.findings {
            var loc = f.location
            loc.file = nil
            out += "    \(f.severity.rawValue): \(f.code): \(f.message)" + (loc.isEmpty ? "" : " (\(loc))") + "\n"
        }
        if r.omittedFindings > 0 { out += "    … and \(r.omittedFindings) more findings\n" }
        return out
    }

    static func json(_ r: VerificationReport) -> JSONValue {
        .object([
            ("path", .string(r.path)),
            ("verdict", .string(r.verdict.rawValue)),
            ("size", .int(Int64(r.size))),
            ("rows", .int(Int64(r.rows))),
            ("row_groups", .int(Int64(r.rowGroups))),
            ("columns", .int(Int64(r.columns))),
            ("bytes_checked", .int(Int64(r.bytesChecked))),
            ("seconds", .double(seconds(r.duration))),
            ("findings", .array(r.findings.map { f in
                var fields: [(String, JSONValue)] = [
                    ("severity", .string(f.severity.rawValue)),
                    ("code", .string(f.code.rawValue)),
                    ("message", .string(f.message)),
                ]
                if let g = f.location.rowGroup { fields.append(("row_group", .int(Int64(g)))) }
                if let c = f.location.column { fields.append(("column", .string(c))) }
                if let p = f.location.page { fields.append(("page", .int(Int64(p)))) }
                if let o = f.location.offset { fields.append(("offset", .int(Int64(o)))) }
                return .object(fields)
            })),
            ("omitted_findings", .int(Int64(r.omittedFindings))),
        ])
    }
}

/// Totals over all files.
struct VerifySummary {
    var files = 0, ok = 0, corrupt = 0, unsupported = 0, unreadable = 0
    var bytes = 0, rows = 0, errors = 0, warnings = 0
    var elapsed: Duration

    init(_ reports: [VerificationReport], elapsed: Duration) {
        self.elapsed = elapsed
        for r in reports {
            files += 1
            switch r.verdict {
            case .clean: ok += 1
            case .corrupt: corrupt += 1
            case .unsupported: unsupported += 1
            case .unreadable: unreadable += 1
            }
            bytes += r.size
            rows += r.rows
            errors += r.errors.count
            warnings += r.warnings.count
            if r.omittedFindings > 0 { errors += r.omittedFindings }
        }
    }

    var megabytesPerSecond: Double {
        let s = seconds(elapsed)
        return s > 0 ? Double(bytes) / 1_000_000 / s : 0
    }

    var text: String {
        "\(plural(files, "file")): \(ok) OK, \(corrupt) corrupt, \(unsupported) unsupported, \(unreadable) unreadable; "
            + "\(formatBytes(bytes)), \(rows) rows; \(plural(errors + warnings, "finding")) (\(plural(errors, "error")), \(plural(warnings, "warning"))); "
            + "\(fixed(seconds(elapsed), 3)) s, \(fixed(megabytesPerSecond, 1)) MB/s"
    }

    var json: JSONValue {
        .object([
            ("files", .int(Int64(files))), ("ok", .int(Int64(ok))), ("corrupt", .int(Int64(corrupt))),
            ("unsupported", .int(Int64(unsupported))), ("unreadable", .int(Int64(unreadable))),
            ("bytes", .int(Int64(bytes))), ("rows", .int(Int64(rows))),
            ("errors", .int(Int64(errors))), ("warnings", .int(Int64(warnings))),
            ("seconds", .double(seconds(elapsed))), ("mb_per_second", .double(megabytesPerSecond)),
        ])
    }
}

private func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

private func seconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) + Double(atto) / 1e18
}

/// `x` with `digits` fraction digits.
private func fixed(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let n = Int64((x * scale).rounded())
    let whole = n / Int64(scale), frac = n % Int64(scale)
    guard digits > 0 else { return "\(whole)" }
    let f = String(frac)
    return "\(whole)." + String(repeating: "0", count: digits - f.count) + f
}

private func formatBytes(_ n: Int) -> String {
    if n < 1000 { return "\(n) B" }
    if n < 1_000_000 { return fixed(Double(n) / 1e3, 1) + " kB" }
    if n < 1_000_000_000 { return fixed(Double(n) / 1e6, 1) + " MB" }
    return fixed(Double(n) / 1e9, 2) + " GB"
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
