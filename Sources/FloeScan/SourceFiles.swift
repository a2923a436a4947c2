#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeCore

/// The storage format of an input file.
public enum SourceFormat: String, Sendable {
    case parquet
    case jsonLines
}

/// One input file of a query, with its Hive-style partition values (`key=value` directories).
public struct SourceFile: Sendable, Equatable {
    public var path: String
    public var format: SourceFormat
    /// Partition columns from the directories between the query's base directory and the file.
    public var partitions: [(key: String, value: String)]

    public static func == (a: SourceFile, b: SourceFile) -> Bool {
        a.path == b.path && a.format == b.format && a.partitions.map(\.key) == b.partitions.map(\.key)
            && a.partitions.map(\.value) == b.partitions.map(\.value)
    }
}

/// Expands the FROM path of a query: a file, a directory (recursively) or a glob (`*`, `?`,
/// `[...]` in any path component).
public enum SourceResolver {
    static let jsonExtensions = [".jsonl", ".json", ".ndjson"]
    static let compressedSuffixes = ["", ".gz", ".zst", ".zstd"]

    /// The format a file name suggests, or nil when it is neither Parquet nor JSON lines.
    public static func format(ofName name: String) -> SourceFormat? {
        if name.hasSuffix(".parquet") || name.hasSuffix(".parq") { return .parquet }
        for ext in jsonExtensions {
            for suffix in compressedSuffixes where name.hasSuffix(ext + suffix) { return .jsonLines }
        }
        return nil
    }

    /// The files named by `pattern`, sorted by path.
    public static func resolve(_ pattern: String) throws(FloeError) -> [SourceFile] {
        let components = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let firstWild = components.firstIndex(where: { $0.contains("*") || $0.contains("?") || $0.contains("[") }) else {
            if FileSystem.isDirectory(pattern) {
                let files = try FileSystem.files(under: pattern).filter { format(ofName: $0) != nil }
                guard !files.isEmpty else {
                    throw FloeError(.io, "no Parquet or JSON-lines files under the directory", at: Location(file: pattern))
                }
                return files.map { source($0, base: pattern) }
            }
            guard FileSystem.exists(pattern) else { throw FloeError(.io, "no such file", at: Location(file: pattern)) }
            return [SourceFile(path: pattern, format: format(ofName: pattern) ?? sniff(pattern), partitions: [])]
        }
        var base = components[..<firstWild].joined(separator: "/")
        if base.isEmpty { base = pattern.hasPrefix("/") ? "/" : "." }
        let rest = Array(components[firstWild...])
        guard FileSystem.isDirectory(base) else { throw FloeError(.io, "no such directory", at: Location(file: base)) }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        var out: [SourceFile] = []
        for file in try FileSystem.files(under: base) {
            let relative = file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
            let parts = relative.split(separator: "/").map(String.init)
            guard parts.count == rest.count else { continue }
            var ok = true
            for (p, name) in zip(rest, parts) where fnmatch(p, name, 0) != 0 { ok = false; break }
            if ok { out.append(source(file, base: base)) }
        }
        guard !out.isEmpty else { throw FloeError(.io, "no file matches the pattern", at: Location(file: pattern)) }
        return out
    }

    private static func source(_ file: String, base: String) -> SourceFile {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        let relative = file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
        var partitions: [(key: String, value: String)] = []
        for dir in relative.split(separator: "/").dropLast() {
            if let eq = dir.firstIndex(of: "="), eq != dir.startIndex {
                let value = String(dir[dir.index(after: eq)...])
                partitions.append((String(dir[..<eq]), percentDecoded(value)))
            }
        }
        return SourceFile(path: file, format: format(ofName: file) ?? .parquet, partitions: partitions)
    }

    /// Hive escapes special characters in partition values as %XX.
    static func percentDecoded(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        while i < b.count {
            if b[i] == 37, i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l); i += 3
            } else { out.append(b[i]); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parquet when the file starts with PAR1, JSON lines otherwise.
    private static func sniff(_ path: String) -> SourceFormat {
        guard let f = fopen(path, "rb") else { return .jsonLines }
        defer { fclose(f) }
        var magic = [UInt8](repeating: 0, count: 4)
        let n = fread(&magic, 1, 4, f)
        return n == 4 && magic == Array("PAR1".utf8) ? .parquet : .jsonLines
    }
}
