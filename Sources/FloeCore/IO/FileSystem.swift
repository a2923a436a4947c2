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

    /// How many files the process may have open: the soft limit, raised first to the hard
    /// limit when that is allowed (as many tools do; the default soft limit is often 1,024).
    public static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: min(limit.rlim_cur, 1 << 20))  // RLIM_INFINITY is the largest value
    }

    /// The absolute path of `path` with symbolic links, `.` and `..` resolved; for a file that
    /// does not exist yet, its resolved directory and its name. Nil when neither resolves.
    public static func canonicalPath(_ path: String) -> String? {
        func resolve(_ p: String) -> String? {
            guard let r = realpath(p, nil) else { return nil }
            defer { free(r) }
            return String(cString: r)
        }
        if let whole = resolve(path) { return whole }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let name = parts.last, !name.isEmpty, name != ".", name != ".." else { return nil }
        let parent = parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
        guard let dir = resolve(parent.isEmpty ? "/" : parent) else { return nil }
        return (dir == "/" ? "" : dir) + "/" + name
    }

    /// True when `a` and `b` name the same file (existing or not): the same canonical path,
    /// or for existing files the same device and inode (hard links).
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        guard let ca = canonicalPath(a), let cb = canonicalPath(b) else { return false }
        return ca == cb
    }

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
