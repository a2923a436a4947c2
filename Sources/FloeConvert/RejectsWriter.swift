import FloeCore
import FloeJSON

/// The rejects report: one JSON object per skipped line with its file, line number, byte
/// offset, the reason and the raw line, written atomically.
final class RejectsWriter {
    private let file: AtomicFile
    private var buffer: [UInt8] = []

    init(path: String) throws(FloeError) { file = try AtomicFile(path: path) }

    func add(_ error: FloeError, lineNumber: Int, offset: Int, raw: [UInt8], file input: String) throws(FloeError) {
        buffer.append(contentsOf: "{\"file\":".utf8)
        CanonicalJSON.appendString(input, to: &buffer)
        buffer.append(contentsOf: ",\"line\":".utf8)
        CanonicalJSON.appendInt(Int64(lineNumber), to: &buffer)
        buffer.append(contentsOf: ",\"offset\":".utf8)
        CanonicalJSON.appendInt(Int64(offset), to: &buffer)
        if let column = error.location.byteColumn {
            buffer.append(contentsOf: ",\"column\":".utf8)
            CanonicalJSON.appendInt(Int64(column), to: &buffer)
        }
        buffer.append(contentsOf: ",\"reason\":".utf8)
        CanonicalJSON.appendString(error.message, to: &buffer)
        buffer.append(contentsOf: ",\"raw\":".utf8)
        raw.withUnsafeBytes { CanonicalJSON.appendString($0, to: &buffer) }
        buffer.append(contentsOf: "}\n".utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws(FloeError) {
        try file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func commit() throws(FloeError) {
        try flush()
        try file.commit()
    }
}
