import FloeCore
import FloeCodecs
import FloeFormat
import FloeColumns

extension VerificationRun {
    // MARK: - Schema

    /// Annotations that do not fit their physical type (readers ignore them, so these are
    /// warnings), decimal precisions a type cannot hold, and levels beyond what pages can store.
    mutating func checkSchema(_ schema: Schema) {
        for leaf in schema.leaves {
            let at = Location(column: leaf.dottedPath)
            if leaf.maxDefinitionLevel > 255 || leaf.maxRepetitionLevel > 255 {
                sink.error(.unsupported, "not supported: nesting deeper than 255 levels", at: at)
            }
            if leaf.physicalType == .fixedLenByteArray, leaf.typeLength == 0 {
                sink.warning(.corrupt, "FIXED_LEN_BYTE_ARRAY of length 0", at: at)
            }
            if let lt = leaf.logicalType, let problem = SchemaRules.problem(lt, leaf) {
                sink.warning(.corrupt, "logical type \(lt) \(problem); readers ignore it", at: at)
            }
        }
        checkGroups(schema.root, path: [])
    }

    private mutating func checkGroups(_ node: SchemaNode, path: [String]) {
        guard case .group(let children) = node.kind else { return }
        if !path.isEmpty, children.isEmpty {
            sink.warning(.corrupt, "group '\(path.joined(separator: "."))' has no children", at: Location())
        }
        for child in children where !child.isLeaf { checkGroups(child, path: path + [child.name]) }
    }

    // MARK: - Row groups and column chunks

    /// Checks every row group and column chunk against the schema and the file, and lists the
    /// chunks that can be read.
    mutating func checkStructure(_ metadata: FileMetaData, schema: Schema) {
        if metadata.numRows < 0 {
            sink.error(.corrupt, "negative row count \(metadata.numRows) in the footer", at: Location(offset: footerOffset))
        }
        var total: Int64 = 0
        var ranges: [(start: Int, end: Int, rowGroup: Int, column: String)] = []
        for (g, rowGroup) in metadata.rowGroups.enumerated() {
            let groupAt = Location(rowGroup: g)
            if rowGroup.numRows < 0 {
                sink.error(.corrupt, "negative row count \(rowGroup.numRows)", at: groupAt)
                continue
            }
            total = total &+ rowGroup.numRows
            guard rowGroup.columns.count == schema.leaves.count else {
                sink.error(.corrupt, "row group has \(rowGroup.columns.count) column chunks but the schema has \(schema.leaves.count) leaves",
                           at: groupAt)
                continue
            }
            for (c, chunk) in rowGroup.columns.enumerated() {
                let leaf = schema.leaves[c]
                guard let plan = checkChunk(chunk, rowGroup: g, rows: Int(rowGroup.numRows), leaf: leaf) else { continue }
                if plan.length > 0 {
                    ranges.append((plan.start, plan.start + plan.length, g, leaf.dottedPath))
                }
                plans.append(plan)
            }
        }
        if total != metadata.numRows, metadata.numRows >= 0 {
            sink.error(.corrupt, "the row groups hold \(total) rows but the footer says \(metadata.numRows)",
                       at: Location(offset: footerOffset))
        }
        checkOverlaps(ranges)
    }

    /// Checks one chunk's metadata; returns its plan when it can be read.
    private mutating func checkChunk(_ chunk: ColumnChunk, rowGroup g: Int, rows: Int, leaf: ColumnDescriptor) -> ChunkPlan? {
        let at = Location(rowGroup: g, column: leaf.dottedPath)
        if chunk.isEncrypted {
            sink.error(.unsupported, "not supported: encrypted column chunks", at: at)
            return nil
        }
        if let external = chunk.filePath {
            sink.error(.unsupported, "not supported: column chunk stored in another file ('\(external)')", at: at)
            return nil
        }
        guard let meta = chunk.metaData else {
            sink.error(.corrupt, "column chunk has no metadata", at: at)
            return nil
        }
        var ok = true
        if meta.type != leaf.physicalType {
            sink.error(.corrupt, "column chunk type \(meta.type) differs from the schema's \(leaf.physicalType)", at: at)
            ok = false
        }
        if meta.pathInSchema != leaf.path {
            sink.warning(.corrupt, "path_in_schema '\(meta.pathInSchema.joined(separator: "."))' differs from the schema leaf's", at: at)
        }
        if meta.numValues < 0 || meta.totalCompressedSize < 0 || meta.totalUncompressedSize < 0 {
            sink.error(.corrupt, "negative count or size (num_values \(meta.numValues), total_compressed_size \(meta.totalCompressedSize), total_uncompressed_size \(meta.totalUncompressedSize))",
                       at: at)
            ok = false
        }
        if CompressionKind(rawValue: meta.codec.rawValue) == nil {
            sink.error(.unsupported, "not supported: compression codec \(meta.codec)", at: at)
            ok = false
        }
        // Every row has one level entry in a non-repeated column, at least one in a repeated one.
        if meta.numValues >= 0, leaf.maxRepetitionLevel == 0 ? meta.numValues != rows : meta.numValues < rows {
            sink.error(.corrupt, "column chunk holds \(meta.numValues) values but the row group has \(rows) rows", at: at)
            ok = false
        }
        // A chunk without values is never read (writers leave odd offsets in empty chunks).
        if meta.numValues == 0 { return nil }
        let (start, length) = ParquetFile.chunkRange(meta)
        do {
            if start < 4 || start > footerOffset || length > footerOffset - start {
                sink.error(.corrupt, "column chunk bytes \(start)..<\(start &+ length) lie outside the data area 4..<\(footerOffset)",
                           at: at.merged(into: Location(offset: start)))
                ok = false
            }
        }
        if let dict = meta.dictionaryPageOffset, dict == 0 {
            sink.warning(.corrupt, "dictionary_page_offset is 0 (a known writer bug; the chunk is read from data_page_offset)",
                         at: at)
        } else if let dict = meta.dictionaryPageOffset, dict > meta.dataPageOffset {
            sink.error(.corrupt, "dictionary_page_offset \(dict) lies after data_page_offset \(meta.dataPageOffset)", at: at)
            ok = false
        }
        guard ok else { return nil }
        return ChunkPlan(rowGroup: g, column: leaf.index, leaf: leaf, chunk: chunk, meta: meta, rowCount: rows,
                         start: start, length: length)
    }

    /// Column chunks must not share bytes: sorts every chunk of the file by its start and
    /// reports each chunk that begins before the previous one ends.
    private mutating func checkOverlaps(_ ranges: [(start: Int, end: Int, rowGroup: Int, column: String)]) {
        let sorted = ranges.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        guard var previous = sorted.first else { return }
        for r in sorted.dropFirst() {
            if r.start < previous.end {
                sink.error(.corrupt, "column chunk bytes \(r.start)..<\(r.end) overlap those of row group \(previous.rowGroup) column \(previous.column) (\(previous.start)..<\(previous.end))",
                           at: Location(offset: r.start, rowGroup: r.rowGroup, column: r.column))
            }
            if r.end > previous.end { previous = r }
        }
    }
}

/// Which logical types fit which physical types (the spec's LogicalTypes.md).
enum SchemaRules {
    /// What is wrong with annotating `leaf` with `lt`, or nil when it fits.
    static func problem(_ lt: LogicalType, _ leaf: ColumnDescriptor) -> String? {
        let t = leaf.physicalType
        switch lt {
        case .string, .enum, .json, .bson:
            return t == .byteArray ? nil : "does not apply to \(t)"
        case .uuid:
            return t == .fixedLenByteArray && leaf.typeLength == 16 ? nil : "needs FIXED_LEN_BYTE_ARRAY(16)"
        case .float16:
            return t == .fixedLenByteArray && leaf.typeLength == 2 ? nil : "needs FIXED_LEN_BYTE_ARRAY(2)"
        case .date:
            return t == .int32 ? nil : "needs INT32"
        case .time(_, let unit):
            let want: PhysicalType = unit == .millis ? .int32 : .int64
            return t == want ? nil : "needs \(want)"
        case .timestamp:
            return t == .int64 ? nil : "needs INT64"
        case .integer(let bits, _):
            switch (bits, t) {
            case (8, .int32), (16, .int32), (32, .int32), (64, .int64): return nil
            default: return "does not apply to \(t)"
            }
        case .decimal(let scale, let precision):
            guard precision >= 1, scale >= 0, scale <= precision else {
                return "has an invalid precision or scale"
            }
            let limit: Int
            switch t {
            case .int32: limit = 9
            case .int64: limit = 18
            case .fixedLenByteArray: limit = maxDecimalDigits(bytes: leaf.typeLength)
            case .byteArray: limit = Int.max
            default: return "does not apply to \(t)"
            }
            return Int(precision) <= limit ? nil : "has precision \(precision), more than \(t) of this width holds (\(limit))"
        case .map, .list:
            return "annotates a primitive column"
        default:
            return nil
        }
    }

    /// Checks that the flattened schema's child counts describe a tree that uses every element
    /// exactly once, before the schema is built from it; returns what is wrong, or nil.
    static func treeProblem(_ elements: [SchemaElement]) -> String? {
        guard let root = elements.first else { return "the schema is empty" }
        // Children still expected at each open group, innermost last.
        var open: [(name: String, left: Int)] = [(root.name, Int(root.numChildren ?? 0))]
        guard open[0].left >= 0 else { return "schema element '\(root.name)' claims \(open[0].left) children" }
        var position = 1
        while let top = open.last {
            if top.left == 0 { open.removeLast(); continue }
            guard position < elements.count else {
                return "schema element '\(top.name)' claims \(top.left) more children than the \(elements.count) elements hold"
            }
            open[open.count - 1].left -= 1
            let e = elements[position]
            position += 1
            let n = Int(e.numChildren ?? 0)
            guard n >= 0 else { return "schema element '\(e.name)' claims \(n) children" }
            if n > 0 { open.append((e.name, n)) }
        }
        if position != elements.count {
            return "\(elements.count - position) schema element(s) are not reachable from the root"
        }
        return nil
    }

    /// The most decimal digits a signed big-endian integer of `bytes` bytes always holds.
    static func maxDecimalDigits(bytes: Int) -> Int {
        guard bytes > 0 else { return 0 }
        if bytes >= 16 { return 38 + (bytes - 16) * 24 / 10 }
        // floor(log10(2^(8n-1) - 1)), computed without floating point.
        var value: UInt128 = 1
        for _ in 0..<(8 * bytes - 1) { value = value &* 2 }
        value -= 1
        var digits = 0
        while value >= 10 { value /= 10; digits += 1 }
        return digits
    }
}
