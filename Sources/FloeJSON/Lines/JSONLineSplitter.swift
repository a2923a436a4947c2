#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of a JSON-lines stream, without its line feed (and without the CR of a CRLF).
public struct JSONLine {
    /// The line's bytes; valid only during the callback that received it.
    public var bytes: UnsafeRawBufferPointer
    /// The 1-based line number (blank lines count).
    public var number: Int
    /// The byte offset of the line's first byte in the whole stream.
    public var offset: Int

    /// True for the stream's first line (the only one that may start with a BOM).
    public var isFirst: Bool { number == 1 }
}

/// Cuts a byte stream, fed in chunks of any size, into lines.
///
/// Lines that lie wholly inside a chunk are handed out in place (no copy); a line split across
/// chunks is gathered in an internal buffer. The newline search is `memchr`. A last line without
/// a newline is handed out by ``finish(_:)``.
///
/// ```swift
/// var splitter = JSONLineSplitter()
/// for chunk in chunks { try splitter.feed(chunk) { line in ... } }
/// try splitter.finish { line in ... }
/// ```
public struct JSONLineSplitter {
    private var carry: [UInt8] = []
    private var carryOffset = 0
    private var hasPending = false
    /// The number of the next line to hand out.
    public private(set) var nextLineNumber = 1
    /// The bytes fed so far.
    public private(set) var bytesFed = 0

    /// Creates a splitter at the start of a stream.
    public init() {}

    /// The bytes held back of an incomplete last line.
    public var pendingByteCount: Int { carry.count }

    /// Feeds the next chunk of the stream; `body` receives every line completed by it.
    public mutating func feed<E: Error>(_ chunk: UnsafeRawBufferPointer,
                                        _ body: (JSONLine) throws(E) -> Void) throws(E) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        let chunkOffset = bytesFed
        bytesFed += chunk.count
        var start = 0
        if hasPending {
            // Complete the line begun in an earlier chunk.
            guard let nl = JSONLineSplitter.findNewline(base, 0, chunk.count) else {
                carry.append(contentsOf: chunk)
                return
            }
            carry.append(contentsOf: UnsafeRawBufferPointer(start: base, count: nl))
            let number = nextLineNumber
            nextLineNumber += 1
            let offset = carryOffset
            var pending: [UInt8] = []
            swap(&pending, &carry)
            hasPending = false
            try JSONLineSplitter.emit(pending, number: number, offset: offset, body)
            pending.removeAll(keepingCapacity: true)
            swap(&pending, &carry)
            start = nl + 1
        }
        while start < chunk.count {
            guard let nl = JSONLineSplitter.findNewline(base, start, chunk.count) else {
                carry.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: chunk.count - start))
                carryOffset = chunkOffset + start
                hasPending = true
                return
            }
            var end = nl
            if end > start, base.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0D { end -= 1 }
            let line = JSONLine(bytes: UnsafeRawBufferPointer(start: base + start, count: end - start),
                                number: nextLineNumber, offset: chunkOffset + start)
            nextLineNumber += 1
            try body(line)
            start = nl + 1
        }
    }

    /// Ends the stream: hands out a last line that has no newline.
    public mutating func finish<E: Error>(_ body: (JSONLine) throws(E) -> Void) throws(E) {
        guard hasPending else { return }
        let number = nextLineNumber
        nextLineNumber += 1
        var pending: [UInt8] = []
        swap(&pending, &carry)
        hasPending = false
        let offset = carryOffset
        try JSONLineSplitter.emit(pending, number: number, offset: offset, body)
    }

    private static func emit<E: Error>(_ bytes: [UInt8], number: Int, offset: Int,
                                       _ body: (JSONLine) throws(E) -> Void) throws(E) {
        let result: Result<Void, E> = bytes.withUnsafeBytes { raw in
            var count = raw.count
            if count > 0, raw[count - 1] == 0x0D { count -= 1 }
            let line = JSONLine(bytes: UnsafeRawBufferPointer(rebasing: raw[0..<count]), number: number, offset: offset)
            do throws(E) { try body(line); return .success(()) } catch { return .failure(error) }
        }
        try result.get()
    }

    /// Hands out every line of a complete in-memory buffer.
    public static func forEachLine<E: Error>(in buffer: UnsafeRawBufferPointer,
                                             _ body: (JSONLine) throws(E) -> Void) throws(E) {
        var splitter = JSONLineSplitter()
        try splitter.feed(buffer, body)
        try splitter.finish(body)
    }

    /// The offset of the next line feed in `base[from..<end]`, if any.
    @inline(__always)
    static func findNewline(_ base: UnsafeRawPointer, _ from: Int, _ end: Int) -> Int? {
        guard from < end, let hit = memchr(base + from, 0x0A, end - from) else { return nil }
        return UnsafeRawPointer(hit) - base
    }
}
