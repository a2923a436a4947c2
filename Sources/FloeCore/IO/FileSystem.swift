#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file-system helpers over POSIX calls.
public enum FileSystem {
    /// Creates `path` and its missing parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String) throws(FloeError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw FloeError(.io, "cannot create directory: \(String(cString: strerror(errno)))", at: Location(file: prefix))
            }
            prefix += "/"
        }
        guard isDirectory(path) else { throw FloeError(.io, "not a directory", at: Location(file: path)) }
    }

    /// True when `path` is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// True when `path` exists.
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The regular files under `path`, recursively, sorted; hidden entries (starting with a
    /// dot, such as unfinished `.…floe-tmp-…` files) are skipped.
    public static func files(under path: String) throws(FloeError) -> [String] {
        guard let dir = opendir(path) else {
            throw FloeError(.io, "cannot read directory: \(String(cString: strerror(errno)))", at: Location(file: path))
        }
        defer { closedir(dir) }
        var out: [String] = []
        var subdirs: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            if isDirectory(full) { subdirs.append(full) } else { out.append(full) }
        }
        for d in subdirs { out += try files(under: d) }
        return out.sorted()
    }
}
