import Foundation
import FloeCore
import FloeFormat
import Testing

/// The parquet-testing corpus, found at `../shared/parquet-testing` from the repository root
/// (the directory holding Package.swift above this file).
enum Corpus {
    /// True when the environment demands the corpus (CI).
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The corpus directory, or nil when it is not there.
    static let root: URL? = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                let corpus = dir.appendingPathComponent("../shared/parquet-testing").standardizedFileURL
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: corpus.path, isDirectory: &isDir), isDir.boolValue {
                    return corpus
                }
                return nil
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    /// Records an issue when the corpus is missing in CI; returns the root when present.
    static func rootOrSkip() -> URL? {
        if root == nil && required {
            Issue.record("parquet-testing corpus not found at ../shared/parquet-testing (CI=true)")
        }
        return root
    }

    /// Every Parquet file (plain or encrypted) under `data/` and `bad_data/`, as paths
    /// relative to the corpus root, sorted.
    static let parquetFiles: [String] = {
        guard let root else { return [] }
        var out: [String] = []
        for top in ["data", "bad_data"] {
            let base = root.appendingPathComponent(top)
            guard let e = FileManager.default.enumerator(atPath: base.path) else { continue }
            while let rel = e.nextObject() as? String {
                if rel.hasSuffix(".parquet") || rel.hasSuffix(".parquet.encrypted") {
                    out.append(top + "/" + rel)
                }
            }
        }
        return out.sorted()
    }()

    /// The bytes of a corpus file.
    static func bytes(_ relative: String) throws -> [UInt8] {
        guard let root else { throw FloeError(.io, "corpus missing") }
        let url = root.appendingPathComponent(relative)
        return [UInt8](try Data(contentsOf: url))
    }
}

/// The footer region of a Parquet file: where it starts, its bytes and the trailing magic.
struct Footer {
    var start: Int
    var bytes: [UInt8]
    var magic: String
    var isEncrypted: Bool { magic == "PARE" }

    init(file: [UInt8]) throws {
        guard file.count >= 12 else { throw FloeError.corrupt("file too short") }
        let n = file.count
        let length = Int(file[n - 8]) | Int(file[n - 7]) << 8 | Int(file[n - 6]) << 16 | Int(file[n - 5]) << 24
        magic = String(decoding: file[(n - 4)...], as: UTF8.self)
        guard length <= n - 12 else { throw FloeError.corrupt("footer length \(length) too large") }
        start = n - 8 - length
        bytes = Array(file[start..<(n - 8)])
    }
}

/// Encodes, decodes and compares; returns the decoded copy.
@discardableResult
func roundTrip<T: ThriftCodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
    let bytes = value.encoded()
    let (decoded, length) = try T.decode(bytes)
    #expect(length == bytes.count, sourceLocation: sourceLocation)
    #expect(decoded == value, sourceLocation: sourceLocation)
    // Encoding is deterministic: the copy encodes to the same bytes.
    #expect(decoded.encoded() == bytes, sourceLocation: sourceLocation)
    return decoded
}
