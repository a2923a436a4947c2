// Fuzz target `page`: the pages of one column chunk — page headers (Thrift), CRCs,
// decompression with every codec, levels, dictionary and value decoding — through the
// reader's own chunk decoder (ColumnChunkProbe).
//
// Input: physical type, shape (0 required, 1 optional, 2 element of an optional list of
// optional elements), codec, FIXED_LEN_BYTE_ARRAY width, 4-byte value count, 4-byte row
// count, then the chunk's bytes.
import Floe

enum FuzzTarget {
    static func descriptor(type: PhysicalType, shape: Int, width: Int) -> ColumnDescriptor? {
        let leaf = SchemaNode.leaf("v", type, shape == 0 ? .required : .optional,
                                   typeLength: type == .fixedLenByteArray ? Int32(width) : nil)
        let root: SchemaNode
        if shape == 2 {
            root = .group("schema", [.group("l", [.group("list", [leaf], .repeated)], .optional, logicalType: .list)])
        } else {
            root = .group("schema", [leaf])
        }
        return try? Schema(root: root).leaves.first
    }

    static func run(_ data: [UInt8]) {
        var h = FuzzHeader(data)
        let type = PhysicalType.allKnown[Int(h.byte()) % 8]
        let shape = Int(h.byte() % 3)
        let codec = CompressionCodec(rawValue: Int32(h.byte() % 8))
        let width = Int(h.byte())
        let numValues = h.u32() % (1 << 20)
        let rowCount = h.u32() % (1 << 20)
        let chunk = h.rest
        guard let leaf = descriptor(type: type, shape: shape, width: width) else { return }
        let meta = ColumnMetaData(type: type, encodings: [], pathInSchema: leaf.path, codec: codec,
                                  numValues: Int64(numValues), totalUncompressedSize: Int64(chunk.count),
                                  totalCompressedSize: Int64(chunk.count), dataPageOffset: 0)
        var limits = ReaderLimits()
        limits.maxPageSize = 64 << 20
        limits.verifyChecksums = numValues & 1 == 0
        guard let data = try? ColumnChunkProbe.decode(chunk: chunk, descriptor: leaf, metadata: meta,
                                                      rowCount: rowCount, limits: limits) else { return }
        // What the decoder accepts is consistent with the schema.
        do {
            try data.validate(against: leaf)
        } catch {
            fatalError("decoded data does not fit its column: \(error)")
        }
        if data.rowCount(maxRepetitionLevel: leaf.maxRepetitionLevel) != rowCount { fatalError("row count") }
    }

    /// Column chunks of the corpus files whose leaves have one of the three shapes.
    static func seeds(from files: [String]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for path in files + WriterSeeds.files() {
            guard let file = try? ParquetFile(path: path) else { continue }
            for g in 0..<min(file.rowGroupCount, 2) {
                for (c, leaf) in file.schema.leaves.enumerated() {
                    let shape: Int
                    switch (leaf.maxDefinitionLevel, leaf.maxRepetitionLevel) {
                    case (0, 0): shape = 0
                    case (1, 0): shape = 1
                    case (3, 1) where leaf.repetition == .optional: shape = 2
                    default: continue
                    }
                    guard let meta = file.metadata.rowGroups[g].columns[c].metaData,
                          let pages = try? file.pageHeaders(rowGroup: g, column: c),
                          let first = pages.first, let last = pages.last else { continue }
                    let end = last.offset + last.headerLength + Int(last.header.compressedPageSize)
                    guard end - first.offset <= 64 << 10,
                          let bytes = try? file.file.read(offset: first.offset, count: end - first.offset) else { continue }
                    var head: [UInt8] = [UInt8(leaf.physicalType.rawValue), UInt8(shape), UInt8(meta.codec.rawValue & 7),
                                         UInt8(truncatingIfNeeded: leaf.typeLength)]
                    for v in [Int(meta.numValues), file.rowCount(ofRowGroup: g)] {
                        for i in 0..<4 { head.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
                    }
                    out.append(head + bytes)
                }
            }
        }
        return out
    }
}
