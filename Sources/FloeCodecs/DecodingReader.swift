import CZlib
import CZstd
import FloeCore

/// Reads a file or standard input, decompressing gzip (also concatenated members) and zstd
/// streams on the fly; the format is recognised by its magic bytes, so a `.gz` or `.zst` name
/// is not required and plain files pass through.
public final class DecodingReader {
    private enum Format { case plain, gzip, zstd }
    /// The underlying input (its `bytesRead` counts compressed bytes).
    public let input: InputFile
    private var format: Format = .plain
    private var inBuffer: [UInt8]
    private var inStart = 0
    private var inEnd = 0
    private var inputDone = false
    private var zstream: UnsafeMutablePointer<z_stream>?
    private var zstd: OpaquePointer?
    private var started = false
    /// A gzip member or zstd frame has begun and not ended.
    private var memberOpen = false
    /// Decompressed bytes produced so far.
    public private(set) var bytesProduced = 0

    /// Opens `path` (`-` for standard input).
    public init(path: String, bufferSize: Int = 1 << 20) throws(FloeError) {
        input = try InputFile(path: path)
        inBuffer = [UInt8](repeating: 0, count: max(bufferSize, 64))
    }

    deinit {
        if let zstream { inflateEnd(zstream); zstream.deinitialize(count: 1); zstream.deallocate() }
        if let zstd { ZSTD_freeDStream(zstd) }
    }

    /// The path as given.
    public var path: String { input.path }

    /// Reads up to `buffer.count` decompressed bytes; returns 0 at the end of the input.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FloeError) -> Int {
        if !started { try start() }
        switch format {
        case .plain:
            if inStart < inEnd {
                let n = min(buffer.count, inEnd - inStart)
                inBuffer.withUnsafeBytes { src in
                    buffer.baseAddress?.copyMemory(from: src.baseAddress! + inStart, byteCount: n)
                }
                inStart += n
                bytesProduced += n
                return n
            }
            let n = try input.read(into: buffer)
            bytesProduced += n
            return n
        case .gzip: return try readGzip(into: buffer)
        case .zstd: return try readZstd(into: buffer)
        }
    }

    /// Fills the input buffer with at least the magic bytes and picks the format.
    private func start() throws(FloeError) {
        started = true
        try refill()
        while !inputDone, inEnd - inStart < 4 { try refill() }
        let head = Array(inBuffer[inStart..<min(inEnd, inStart + 4)])
        if head.count >= 2, head[0] == 0x1F, head[1] == 0x8B {
            format = .gzip
            let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            s.initialize(to: z_stream())
            guard floe_inflateInit2(s, 15 + 32) == Z_OK else {
                s.deinitialize(count: 1); s.deallocate()
                throw FloeError(.io, "cannot initialise zlib", at: Location(file: path))
            }
            zstream = s
        } else if head.count >= 4, head == [0x28, 0xB5, 0x2F, 0xFD] {
            format = .zstd
            guard let d = ZSTD_createDStream() else { throw FloeError(.io, "cannot initialise zstd", at: Location(file: path)) }
            ZSTD_initDStream(d)
            zstd = d
        }
    }

    /// Appends more input after the unread bytes (moving them to the front first).
    private func refill() throws(FloeError) {
        if inStart > 0 {
            let pending = inEnd - inStart
            if pending > 0 {
                inBuffer.withUnsafeMutableBytes { b in
                    b.baseAddress!.copyMemory(from: b.baseAddress! + inStart, byteCount: pending)
                }
            }
            inStart = 0
            inEnd = pending
        }
        guard inEnd < inBuffer.count else { return }
        let n = try inBuffer.withMutableBuffer { (b: UnsafeMutableBufferPointer<UInt8>) throws(FloeError) -> Int in
            try input.read(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(b)[inEnd...]))
        }
        if n == 0 { inputDone = true }
        inEnd += n
    }

    private func readGzip(into buffer: UnsafeMutableRawBufferPointer) throws(FloeError) -> Int {
        guard let s = zstream, let out = buffer.baseAddress else { return 0 }
        let room = min(buffer.count, Int(UInt32.max))
        while true {
            if inStart == inEnd {
                if !inputDone { try refill() }
                if inStart == inEnd {
                    if memberOpen { throw FloeError(.corrupt, "gzip stream is truncated", at: Location(file: path, offset: input.bytesRead)) }
                    return 0
                }
            }
            var status: Int32 = Z_OK
            var produced = 0
            var consumed = 0
            inBuffer.withUnsafeMutableBytes { b in
                guard let base = b.baseAddress else { return }
                s.pointee.next_in = UnsafePointer(base.assumingMemoryBound(to: UInt8.self) + inStart)
                s.pointee.avail_in = UInt32(inEnd - inStart)
                s.pointee.next_out = out.assumingMemoryBound(to: UInt8.self)
                s.pointee.avail_out = UInt32(room)
                status = inflate(s, Z_NO_FLUSH)
                consumed = (inEnd - inStart) - Int(s.pointee.avail_in)
                produced = room - Int(s.pointee.avail_out)
            }
            inStart += consumed
            switch status {
            case Z_STREAM_END:
                inflateReset(s)
                memberOpen = false
            case Z_OK, Z_BUF_ERROR:
                if consumed > 0 || produced > 0 { memberOpen = true }
            default:
                throw FloeError(.corrupt, "gzip stream is corrupt (zlib code \(status))",
                                at: Location(file: path, offset: input.bytesRead - (inEnd - inStart)))
            }
            if produced > 0 {
                bytesProduced += produced
                return produced
            }
        }
    }

    private func readZstd(into buffer: UnsafeMutableRawBufferPointer) throws(FloeError) -> Int {
        guard let d = zstd, let out = buffer.baseAddress else { return 0 }
        while true {
            if inStart == inEnd {
                if !inputDone { try refill() }
                if inStart == inEnd {
                    if memberOpen {
                        throw FloeError(.corrupt, "zstd stream is truncated", at: Location(file: path, offset: input.bytesRead))
                    }
                    return 0
                }
            }
            var produced = 0
            var result = 0
            inBuffer.withUnsafeBytes { b in
                var inb = ZSTD_inBuffer(src: b.baseAddress! + inStart, size: inEnd - inStart, pos: 0)
                var outb = ZSTD_outBuffer(dst: out, size: buffer.count, pos: 0)
                result = ZSTD_decompressStream(d, &outb, &inb)
                inStart += inb.pos
                produced = outb.pos
            }
            if ZSTD_isError(result) != 0 {
                throw FloeError(.corrupt, "zstd stream is corrupt: \(String(cString: ZSTD_getErrorName(result)))",
                                at: Location(file: path, offset: input.bytesRead - (inEnd - inStart)))
            }
            memberOpen = result != 0
            if produced > 0 {
                bytesProduced += produced
                return produced
            }
        }
    }
}
