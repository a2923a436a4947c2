#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only file read with `pread`, counting the bytes it reads so callers can show how much
/// of a file a query touched.
public final class RandomAccessFile: @unchecked Sendable {
    /// The path as given.
    public let path: String
    /// The file size in bytes.
    public let size: Int
    private let fd: Int32
    private var readCounter: Int = 0

    /// Opens `path` for reading.
    public init(path: String) throws(FloeError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw FloeError(.io, "cannot open: \(String(cString: strerror(errno)))", at: Location(file: path))
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw FloeError(.io, "cannot stat: \(message)", at: Location(file: path))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw FloeError(.io, "not a regular file", at: Location(file: path))
        }
        self.fd = fd
        self.size = Int(st.st_size)
    }

    deinit { close(fd) }

    /// The number of bytes read so far.
    public var bytesRead: Int { readCounter }

    /// Reads `count` bytes at `offset`; the range must lie inside the file.
    public func read(offset: Int, count: Int) throws(FloeError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw FloeError(.corrupt, "byte range \(offset)+\(count) lies outside the file of \(size) bytes",
                            at: Location(file: path, offset: offset))
        }
        if count == 0 { return [] }
        var failure: FloeError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                guard let base = buffer.baseAddress else { break }
                let n = pread(fd, base + done, count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = FloeError(.io, "read failed: \(String(cString: strerror(errno)))",
                                        at: Location(file: path, offset: offset + done))
                    break
                }
                if n == 0 {
                    failure = FloeError(.io, "file shrank while reading", at: Location(file: path, offset: offset + done))
                    break
                }
                done += n
            }
            initialized = failure == nil ? count : 0
        }
        if let failure { throw failure }
        readCounter += count
        return bytes
    }
}
