// Small files written by ParquetWriter for the seed corpora: flat and nested columns of every
// codec, both page versions, with and without dictionaries (as the writer tests make them).
import Floe

enum WriterSeeds {
    static let schema: Schema? = try? Schema(root: .group("schema", [
        .leaf("id", .int64, .required),
        .leaf("name", .byteArray, .optional, logicalType: .string),
        .leaf("flag", .boolean, .optional),
        .leaf("amount", .fixedLenByteArray, .optional, logicalType: .decimal(scale: 2, precision: 9), typeLength: 4),
        .group("tags", [.group("list", [.leaf("element", .int32, .optional)], .repeated)], .optional, logicalType: .list),
    ]))

    /// Writes the files into the scratch folder and returns their paths.
    static func files() -> [String] {
        guard let schema else { return [] }
        var paths: [String] = []
        let codecs: [CompressionKind] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .lz4, .brotli]
        for (i, codec) in codecs.enumerated() {
            for version in [1, 2] {
                var options = WriterOptions()
                options.codec = codec
                options.pageVersion = version
                options.dictionary = (i + version) % 2 == 0
                options.dataPageRowLimit = 40
                options.rowGroupRowLimit = 100
                let path = "/tmp/floe-fuzz-seed-\(codec)-v\(version).parquet"
                guard let writer = try? ParquetWriter(path: path, schema: schema, options: options),
                      (try? writer.write(columns(rows: 150, seed: i))) != nil,
                      (try? writer.close()) != nil else { continue }
                paths.append(path)
            }
        }
        return paths
    }

    static func columns(rows: Int, seed: Int) -> [ColumnData] {
        let ids = (0..<rows).map { Int64($0 * 7 + seed) }
        let present: [UInt8] = (0..<rows).map { $0 % 5 == 3 ? 0 : 1 }
        let count = present.filter { $0 == 1 }.count
        let names = BinaryValues((0..<count).map { Array("n\($0 % 9)".utf8) })
        let flags = (0..<count).map { $0 % 3 == 0 }
        let amounts = FixedWidthValues(width: 4, bytes: (0..<count).flatMap { i in
            withUnsafeBytes(of: Int32(i * 101 - 500).bigEndian) { Array($0) }
        })
        // tags: row r has r % 4 elements (0 = empty list), every 3rd row null, element 2 null.
        var def: [UInt8] = [], rep: [UInt8] = [], tags: [Int32] = []
        for r in 0..<rows {
            if r % 3 == 2 { def.append(0); rep.append(0); continue }
            let n = r % 4
            if n == 0 { def.append(1); rep.append(0); continue }
            for k in 0..<n {
                rep.append(k == 0 ? 0 : 1)
                if k == 2 { def.append(2) } else { def.append(3); tags.append(Int32(r * 10 + k)) }
            }
        }
        return [ColumnData(values: .int64(ids)),
                ColumnData(values: .byteArray(names), definitionLevels: present),
                ColumnData(values: .boolean(flags), definitionLevels: present),
                ColumnData(values: .fixedLenByteArray(amounts), definitionLevels: present),
                ColumnData(values: .int32(tags), definitionLevels: def, repetitionLevels: rep)]
    }
}
