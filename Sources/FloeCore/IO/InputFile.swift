#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sequential reader of a file or of standard input (`-`), for streaming inputs such as JSON
/// lines. Counts the bytes it reads.
public final class InputFile {
    /// The path as given (`-` for standard input).
    public let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Bytes read so far.
    public private(set) var bytesRead = 0
    /// The file size when known (nil for pipes and standard input).
    public let size: Int?

    /// Opens `path`, or standard input for `-`.
    public init(path: String) throws(FloeError) {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            size = nil
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw FloeError(.io, "cannot open: \(String(cString: strerror(errno)))", at: Location(file: path))
        }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw FloeError(.io, "is a directory", at: Location(file: path))
        }
        self.fd = fd
        ownsDescriptor = true
        size = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// Reads up to `buffer.count` bytes; returns 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FloeError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n >= 0 {
                bytesRead += n
                return n
            }
            if errno == EINTR { continue }
            throw FloeError(.io, "read failed: \(String(cString: strerror(errno)))", at: Location(file: path, offset: bytesRead))
        }
    }
}
