#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered standard output and unbuffered standard error.
enum Terminal {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    /// Appends bytes to standard output (flushed in large blocks).
    static func output(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Appends text to standard output.
    static func output(_ text: String) { output(Array(text.utf8)) }

    /// Writes everything buffered to standard output.
    static func flush() {
        buffer.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count, let base = raw.baseAddress {
                let n = write(1, base + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    // A closed pipe (`floe cat | head`) ends the output quietly.
                    exit(errno == EPIPE ? 0 : 2)
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes a line to standard error.
    static func error(_ text: String) {
        let line = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
        line.withUnsafeBytes { raw in _ = write(2, raw.baseAddress, raw.count) }
    }

    /// Writes text to standard error as is (no newline added).
    static func errorRaw(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in _ = write(2, raw.baseAddress, raw.count) }
    }

    /// Flushes standard output and exits.
    static func flushAndExit(_ code: Int32) -> Never {
        flush()
        exit(code)
    }
}
