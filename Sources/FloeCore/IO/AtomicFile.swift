#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name in the destination's directory and renamed into
/// place by ``commit()`` only when complete; if it is dropped uncommitted the temporary file is
/// removed. Readers never see a partial file under the final name.
public final class AtomicFile {
    /// The final path.
    public let path: String
    /// Where the bytes go until ``commit()``.
    public let temporaryPath: String
    private var fd: Int32
    /// Bytes written so far.
    public private(set) var offset = 0
    private var committed = false

    /// Creates the temporary file beside `path`.
    public init(path: String) throws(FloeError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = "\(dir).\(name).floe-tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FloeError(.io, "cannot create: \(String(cString: strerror(errno)))", at: Location(file: path))
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(temporaryPath) }
    }


    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws(FloeError) {
        guard fd >= 0 else { throw FloeError(.io, "write after the file was closed", at: Location(file: path)) }
        var failure: FloeError?
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                guard let base = raw.baseAddress else { return }
                let n = systemWrite(fd, base + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = FloeError(.io, "write failed: \(String(cString: strerror(errno)))", at: Location(file: path))
                    return
                }
                done += n
            }
        }
        if let failure { throw failure }
        offset += bytes.count
    }

    /// Closes the complete file, still under its temporary name, to free its descriptor while
    /// it waits for ``commit()`` (which renames it) or to be dropped (which removes it).
    public func seal() throws(FloeError) {
        guard fd >= 0 else { return }
        let rc = close(fd)
        fd = -1
        guard rc == 0 else { throw FloeError(.io, "close failed: \(String(cString: strerror(errno)))", at: Location(file: path)) }
    }

    /// Flushes, closes and renames the file into place.
    public func commit() throws(FloeError) {
        guard !committed else { return }
        try seal()
        guard rename(temporaryPath, path) == 0 else {
            throw FloeError(.io, "cannot rename into place: \(String(cString: strerror(errno)))", at: Location(file: path))
        }
        committed = true
    }
}

/// The C `write`, named apart from ``AtomicFile/write(_:)``.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
