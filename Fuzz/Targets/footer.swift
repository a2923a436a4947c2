// Fuzz target `footer`: the bytes of a footer — Thrift FileMetaData — then the schema built
// from it, its logical shapes, and an encode/decode round trip of what decoded.
import Floe

enum FuzzTarget {
    static func run(_ data: [UInt8]) {
        guard let (meta, _) = try? FileMetaData.decode(data) else { return }
        // What decodes must encode and decode back to itself.
        let again = try? FileMetaData(decoding: meta.encoded())
        if again != meta { fatalError("FileMetaData does not survive an encode/decode round trip") }
        guard let schema = try? Schema(elements: meta.schema) else { return }
        _ = try? schema.logicalFields()
        _ = schema.messageText
        if schema.elements.count != meta.schema.count { fatalError("schema elements lost in the round trip") }
    }

    /// The footer of every file.
    static func seeds(from files: [String]) -> [[UInt8]] {
        (files + WriterSeeds.files()).compactMap { path in
            guard let bytes = FuzzIO.read(path), bytes.count >= 12 else { return nil }
            let n = bytes.count
            let length = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16 | Int(bytes[n - 5]) << 24
            guard length > 0, length <= n - 12 else { return nil }
            return Array(bytes[(n - 8 - length)..<(n - 8)])
        }
    }
}
