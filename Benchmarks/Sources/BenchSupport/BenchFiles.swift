import Floe
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parquet files written by Floe (default options otherwise: data page v1, 20,000-row pages)
/// for the whole-column read benchmarks: one row group of `BenchData.valueCount` rows and
/// three columns:
///
/// 0. `id`: required INT64, random
/// 1. `name`: required BYTE_ARRAY string drawn from 1,000 distinct strings of 8–23 bytes
/// 2. `score`: optional DOUBLE with about 10% nulls, random
///
/// With `dictionary: false` every page is PLAIN; with `dictionary: true` the `name` column is
/// RLE_DICTIONARY-encoded (the benchmarks read only `name` from that file).
public enum BenchFiles {
    /// The column names, in leaf order.
    public static let columns = ["id", "name", "score"]

    /// Writes the benchmark file compressed with `codec` into a fresh temporary directory and
    /// returns its path.
    public static func write(codec: CompressionKind, dictionary: Bool) throws -> String {
        var template = Array("/tmp/floe-bench-XXXXXX".utf8CString)
        let dir: String = try template.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, mkdtemp(base) != nil else { throw BenchError("mkdtemp failed") }
            return String(cString: base)
        }
        let path = "\(dir)/bench-\(codec.name.lowercased())\(dictionary ? "-dict" : "").parquet"
        let schema = try Schema(root: .group("schema", [
            .leaf("id", .int64, .required),
            .leaf("name", .byteArray, .required, logicalType: .string),
            .leaf("score", .double, .optional),
        ]))
        let n = BenchData.valueCount
        var rng = SplitMix64(seed: 7)
        var ids = [Int64](repeating: 0, count: n)
        for i in 0..<n { ids[i] = Int64(bitPattern: rng.next() >> 1) }
        let dict = BenchData.stringDictionary(size: 1_000)
        var names = BinaryValues()
        names.reserve(values: n, bytes: n * 16)
        for _ in 0..<n { names.append(dict[Int(rng.next() % 1_000)]) }
        var levels = [UInt8](repeating: 0, count: n)
        var scores: [Double] = []
        scores.reserveCapacity(n)
        for i in 0..<n where rng.next() % 10 != 0 {
            levels[i] = 1
            scores.append(Double(rng.next() % 1_000_000) / 100)
        }
        var options = WriterOptions()
        options.codec = codec
        options.dictionary = dictionary
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write([
            ColumnData(values: .int64(ids)),
            ColumnData(values: .byteArray(names)),
            ColumnData(values: .double(scores), definitionLevels: levels),
        ])
        try writer.close()
        return path
    }

    /// Removes a file written by ``write(codec:dictionary:)`` and its directory.
    public static func remove(_ path: String) {
        unlink(path)
        if let slash = path.lastIndex(of: "/") { rmdir(String(path[..<slash])) }
    }
}

/// An error of the benchmark support code.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
