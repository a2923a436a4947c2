import FloeCore
import FloeCodecs
import FloeEncodings
import FloeFormat
import FloeColumns

/// One encoded page held in memory until its row group is written.
struct EncodedPage {
    var header: PageHeader
    var body: [UInt8]
    /// The page's first row within the column chunk and its row count (for the page index).
    var firstRow: Int
    var rowCount: Int
    var valueCount: Int
    var statistics: Statistics?
}

/// Encodes the values of one column for one row group into pages: levels, dictionary or PLAIN
/// values, compression, page and chunk statistics.
struct ColumnChunkWriter {
    let descriptor: ColumnDescriptor
    let options: WriterOptions
    private var compressor: Compressor
    private var dictionary: DictionaryEncoder?
    private var dictionaryFallback = false
    private(set) var pages: [EncodedPage] = []
    private var chunkStatistics: StatisticsBuilder
    private var indices: [UInt32] = []
    /// Per dictionary entry: the last page mark under which it was seen (see
    /// ``StatisticsBuilder/addUnsignedBytes(dictionary:indices:marks:)``).
    private var distinctMarks = DistinctMarks()
    private var scratch = ByteWriter()
    private var levelScratch = ByteWriter()
    /// Level entries (values and nulls) written so far.
    private(set) var entryCount = 0
    private(set) var rowCount = 0
    /// Sum of page sizes (header + body), compressed and uncompressed.
    private(set) var compressedBytes = 0
    private(set) var uncompressedBytes = 0
    private var encodingStats: [Encoding: Int32] = [:]
    private var bloom: BloomFilterBuilder?
    private var valueEncoding: Encoding

    init(descriptor: ColumnDescriptor, options: WriterOptions) throws(FloeError) {
        self.descriptor = descriptor
        self.options = options
        self.compressor = try Compressor(kind: options.codec, level: options.compressionLevel)
        valueEncoding = options.valueEncoding(for: descriptor)
        guard ValueEncoder.supports(valueEncoding, descriptor.physicalType),
              valueEncoding != .byteStreamSplit || descriptor.physicalType != .fixedLenByteArray || descriptor.typeLength > 0 else {
            throw FloeError.invalidArgument("encoding \(valueEncoding) cannot hold \(descriptor.physicalType) values (column \(descriptor.dottedPath))")
        }
        if options.usesDictionary(for: descriptor) {
            dictionary = DictionaryEncoder(type: descriptor.physicalType, width: descriptor.typeLength)
        }
        chunkStatistics = StatisticsBuilder(descriptor: descriptor, truncateLength: options.statisticsTruncateLength)
        let wanted = options.bloomFilterColumns
        if !wanted.isEmpty, SplitBlockBloomFilter.supports(descriptor.physicalType),
           wanted.contains(descriptor.dottedPath) || descriptor.path.first.map(wanted.contains) == true {
            bloom = BloomFilterBuilder(maxBytes: options.bloomFilterMaxBytes)
        }
    }

    /// The serialized bloom filter of the chunk, if it has one.
    func bloomFilterBytes() -> [UInt8]? {
        bloom?.serialized(falsePositiveProbability: options.bloomFilterFalsePositiveProbability)
    }

    /// The bytes this chunk will take in the file so far (pages plus the pending dictionary).
    var estimatedSize: Int {
        compressedBytes + (dictionaryFallback ? 0 : (dictionary?.plainEncodedSize ?? 0))
    }

    /// Encodes entries `entries` (level positions) holding values `values` of `data` into pages.
    /// Both ranges must start at a row boundary and cover whole rows.
    mutating func append(_ data: ColumnData, entries: Range<Int>, values: Range<Int>) throws(FloeError) {
        let cut = PageCutter(descriptor: descriptor, rowLimit: options.dataPageRowLimit, byteLimit: options.dataPageSize)
        var e = entries.lowerBound
        var v = values.lowerBound
        while e < entries.upperBound {
            let e0 = e, v0 = v
            let rows = cut.next(data, entry: &e, value: &v, end: entries.upperBound)
            guard e > e0 else {
                throw FloeError(.invalidArgument, "column \(descriptor.dottedPath) has fewer levels than entries",
                                at: Location(column: descriptor.dottedPath))
            }
            try writePage(data, entries: e0..<e, values: v0..<v, rows: rows)
        }
    }

    private mutating func writePage(_ data: ColumnData, entries: Range<Int>, values: Range<Int>, rows: Int) throws(FloeError) {
        let nulls = entries.count - values.count
        if bloom != nil { try bloom?.insert(data.values, range: values) }
        var pageStats = StatisticsBuilder(descriptor: descriptor, truncateLength: options.statisticsTruncateLength)
        // Byte arrays in unsigned order that end up dictionary-encoded take their min and max
        // from the page's distinct dictionary entries (the same bytes, compared once each).
        var statsPending = false
        if options.statistics {
            pageStats.addNulls(nulls)
            if pageStats.order == .unsignedBytes, case .byteArray = data.values, dictionary != nil, !dictionaryFallback {
                statsPending = true
            } else {
                pageStats.add(data.values, range: values)
            }
        }

        // Levels.
        levelScratch.removeAll()
        var repLength = 0, defLength = 0
        let v1 = options.pageVersion == 1
        if descriptor.maxRepetitionLevel > 0 {
            repLength = encodeLevels(data.repetitionLevels, entries, max: descriptor.maxRepetitionLevel, lengthPrefix: v1)
        }
        if descriptor.maxDefinitionLevel > 0 {
            defLength = encodeLevels(data.definitionLevels, entries, max: descriptor.maxDefinitionLevel, lengthPrefix: v1)
        }

        // Values.
        scratch.removeAll()
        let encoding: Encoding
        if var dict = dictionary, !dictionaryFallback {
            indices.removeAll(keepingCapacity: true)
            dictionary = nil
            dict.append(data.values, range: values, indices: &indices)
            if pages.isEmpty, let cutoff = options.dictionaryDistinctCutoff, values.count >= 1000,
               Double(dict.count) >= cutoff * Double(values.count) {
                // Nearly every value is distinct: no dictionary for this chunk. Byte arrays then
                // take DELTA_LENGTH_BYTE_ARRAY (lengths apart from the bytes compress better); it
                // is never mixed with dictionary pages in one chunk.
                dictionaryFallback = true
                if valueEncoding == .plain && descriptor.physicalType == .byteArray { valueEncoding = .deltaLengthByteArray }
                ValueEncoder.encode(data.values, range: values, encoding: valueEncoding, into: &scratch)
                encoding = valueEncoding
                if statsPending { pageStats.add(data.values, range: values); statsPending = false }
            } else {
                indices.withUnsafeBufferPointer {
                    DictionaryIndices.encode($0, dictionarySize: dict.count, into: &scratch)
                }
                if statsPending, case .binary(let builder) = dict {
                    pageStats.addUnsignedBytes(dictionary: builder.values, indices: indices, marks: &distinctMarks)
                    statsPending = false
                }
                if dict.plainEncodedSize > options.dictionaryPageSizeLimit { dictionaryFallback = true }
                dictionary = dict
                encoding = .rleDictionary
            }
        } else {
            ValueEncoder.encode(data.values, range: values, encoding: valueEncoding, into: &scratch)
            encoding = valueEncoding
        }

        // Compression and header.
        var header: PageHeader
        var body: [UInt8]
        if v1 {
            var plain = levelScratch.bytes
            plain.append(contentsOf: scratch.bytes)
            body = try compress(plain)
            header = PageHeader(type: .dataPage, uncompressedPageSize: Int32(clamping: plain.count),
                                compressedPageSize: Int32(clamping: body.count))
            header.dataPageHeader = DataPageHeader(numValues: Int32(clamping: entries.count), encoding: encoding,
                                                   definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle)
        } else {
            body = levelScratch.bytes
            // A v2 page without values is stored uncompressed (is_compressed false).
            let compressedValues = scratch.bytes.isEmpty ? [] : try compress(scratch.bytes)
            body.append(contentsOf: compressedValues)
            header = PageHeader(type: .dataPageV2,
                                uncompressedPageSize: Int32(clamping: levelScratch.count + scratch.count),
                                compressedPageSize: Int32(clamping: body.count))
            var v2 = DataPageHeaderV2(numValues: Int32(clamping: entries.count), numNulls: Int32(clamping: nulls),
                                      numRows: Int32(clamping: rows), encoding: encoding,
                                      definitionLevelsByteLength: Int32(clamping: defLength),
                                      repetitionLevelsByteLength: Int32(clamping: repLength))
            v2.isCompressed = options.codec != .uncompressed && !scratch.bytes.isEmpty
            header.dataPageHeaderV2 = v2
        }
        if statsPending { pageStats.add(data.values, range: values) }
        let statistics = options.statistics ? pageStats.statistics() : nil
        if v1 { header.dataPageHeader?.statistics = statistics } else { header.dataPageHeaderV2?.statistics = statistics }
        if options.pageChecksums { header.crc = Int32(bitPattern: CRC32.checksum(body)) }

        let headerSize = header.encoded().count
        compressedBytes += headerSize + body.count
        uncompressedBytes += headerSize + Int(header.uncompressedPageSize)
        encodingStats[encoding, default: 0] += 1
        if options.statistics { chunkStatistics.merge(pageStats) }
        pages.append(EncodedPage(header: header, body: body, firstRow: rowCount, rowCount: rows,
                                 valueCount: values.count, statistics: statistics))
        entryCount += entries.count
        rowCount += rows
    }

    /// Appends RLE levels for `entries` to `levelScratch` (with the v1 4-byte length prefix when
    /// asked) and returns the bytes written.
    private mutating func encodeLevels(_ levels: [UInt8], _ entries: Range<Int>, max: Int, lengthPrefix: Bool) -> Int {
        let start = levelScratch.count
        if lengthPrefix { levelScratch.appendLittleEndian(UInt32(0)) }
        let bodyStart = levelScratch.count
        levels.withUnsafeBufferPointer {
            RLEHybrid.encodeLevels(UnsafeBufferPointer(rebasing: $0[entries]),
                                   bitWidth: RLEHybrid.bitWidth(forMax: UInt64(max)), into: &levelScratch)
        }
        if lengthPrefix {
            let length = UInt32(levelScratch.count - bodyStart)
            withUnsafeBytes(of: length.littleEndian) { raw in
                for i in 0..<4 { levelScratch.bytes[start + i] = raw[i] }
            }
        }
        return levelScratch.count - start
    }

    private mutating func compress(_ bytes: [UInt8]) throws(FloeError) -> [UInt8] {
        // An empty body is compressed too: readers such as DuckDB refuse a 0-byte SNAPPY page.
        if options.codec == .uncompressed { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2 + 64)
        try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
            try compressor.compress(raw, appendingTo: &out)
        }
        return out
    }

    /// The finished chunk: its pages (dictionary page first) and metadata, to be written at
    /// file offset `offset`.
    /// The chunk's bytes (dictionary page, then data pages), metadata and page locations, with
    /// offsets relative to the chunk's start: ``place(_:_:at:)`` moves them to the file offset.
    mutating func finish() throws(FloeError) -> FinishedChunk {
        let offset = 0
        // The chunk's bytes as pieces (page headers and the page bodies themselves, shared, not
        // copied): a row group in memory is never held twice.
        var out = FinishedChunk.Pieces()
        var dictionaryOffset: Int64? = nil
        var encodings: [Encoding] = []
        var stats: [PageEncodingStats] = []
        var totalUncompressed = 0
        if let dict = dictionary, encodingStats[.rleDictionary] != nil {
            let plain = dict.plainEncoded()
            let body = try compress(plain)
            var header = PageHeader(type: .dictionaryPage, uncompressedPageSize: Int32(clamping: plain.count),
                                    compressedPageSize: Int32(clamping: body.count))
            header.dictionaryPageHeader = DictionaryPageHeader(numValues: Int32(clamping: dict.count), encoding: .plain)
            if options.pageChecksums { header.crc = Int32(bitPattern: CRC32.checksum(body)) }
            let headerBytes = header.encoded()
            dictionaryOffset = Int64(offset)
            out.append(contentsOf: headerBytes)
            out.append(contentsOf: body)
            totalUncompressed += headerBytes.count + plain.count
            encodings.append(.plain)
            stats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
        }
        let dataOffset = offset + out.count
        var locations: [PageLocationInfo] = []
        locations.reserveCapacity(pages.count)
        for page in pages {
            let headerBytes = page.header.encoded()
            locations.append(PageLocationInfo(offset: Int64(offset + out.count),
                                              compressedPageSize: Int32(clamping: headerBytes.count + page.body.count),
                                              firstRowIndex: Int64(page.firstRow), rowCount: page.rowCount,
                                              valueCount: page.valueCount, statistics: page.statistics))
            out.append(contentsOf: headerBytes)
            out.append(contentsOf: page.body)
        }
        totalUncompressed += uncompressedBytes
        if descriptor.maxDefinitionLevel > 0 || descriptor.maxRepetitionLevel > 0 { encodings.append(.rle) }
        for encoding in [Encoding.rleDictionary, .plain, .rle, .deltaBinaryPacked, .deltaLengthByteArray,
                         .deltaByteArray, .byteStreamSplit] {
            guard let count = encodingStats[encoding] else { continue }
            if !encodings.contains(encoding) { encodings.append(encoding) }
            stats.append(PageEncodingStats(pageType: options.pageVersion == 1 ? .dataPage : .dataPageV2,
                                           encoding: encoding, count: count))
        }
        var meta = ColumnMetaData(type: descriptor.physicalType, encodings: encodings, pathInSchema: descriptor.path,
                                  codec: CompressionCodec(rawValue: options.codec.rawValue),
                                  numValues: Int64(entryCount), totalUncompressedSize: Int64(totalUncompressed),
                                  totalCompressedSize: Int64(out.count), dataPageOffset: Int64(dataOffset))
        meta.dictionaryPageOffset = dictionaryOffset
        meta.encodingStats = stats
        if options.statistics { meta.statistics = chunkStatistics.statistics() }
        return FinishedChunk(pieces: out.pieces, meta: meta, pages: locations)
    }

    /// Moves the offsets of a chunk ``finish()`` made to the file offset where it is written.
    static func place(_ meta: inout ColumnMetaData, _ pages: inout [PageLocationInfo], at offset: Int) {
        meta.dataPageOffset += Int64(offset)
        if let d = meta.dictionaryPageOffset { meta.dictionaryPageOffset = d + Int64(offset) }
        for k in pages.indices { pages[k].offset += Int64(offset) }
    }
}

/// A finished column chunk: its bytes in order (as pieces to write one after another), its
/// metadata and its pages, with offsets from the chunk's start (see
/// ``ColumnChunkWriter/place(_:_:at:)``).
struct FinishedChunk {
    /// Byte arrays appended in order, counting their total.
    struct Pieces {
        var pieces: [[UInt8]] = []
        var count = 0
        mutating func append(contentsOf bytes: [UInt8]) {
            pieces.append(bytes)
            count += bytes.count
        }
    }

    var pieces: [[UInt8]]
    var meta: ColumnMetaData
    var pages: [PageLocationInfo]
}

/// Where a written page is and what it holds, for the page index.
struct PageLocationInfo {
    var offset: Int64
    var compressedPageSize: Int32
    var firstRowIndex: Int64
    var rowCount: Int
    var valueCount: Int
    var statistics: Statistics?
}

/// Cuts a column's entries into pages: up to the row limit and the byte target (PLAIN sizes),
/// ending on a row boundary.
struct PageCutter {
    let maxDef: Int
    let maxRep: Int
    let fixedWidth: Int?
    let rowLimit: Int
    let byteLimit: Int

    init(descriptor: ColumnDescriptor, rowLimit: Int, byteLimit: Int) {
        maxDef = descriptor.maxDefinitionLevel
        maxRep = descriptor.maxRepetitionLevel
        fixedWidth = PhysicalValueSize.fixedWidth(of: descriptor.physicalType, width: descriptor.typeLength)
        self.rowLimit = rowLimit
        self.byteLimit = byteLimit
    }

    /// Advances `entry` and `value` (a level position and the value it holds) past the next
    /// page's entries, which end before `end`; returns the page's row count. The data has been
    /// validated (levels and values agree), so the scans below stay within the buffers.
    func next(_ data: ColumnData, entry: inout Int, value: inout Int, end: Int) -> Int {
        let top = UInt8(truncatingIfNeeded: maxDef)
        var e = entry, v = value
        var pageBytes = 0, rows = 0
        let binaryOffsets: [Int]
        if fixedWidth == nil, case .byteArray(let b) = data.values { binaryOffsets = b.offsets } else { binaryOffsets = [] }
        let width = fixedWidth ?? 1
        let hasOffsets = fixedWidth == nil && !binaryOffsets.isEmpty
        let limit = Swift.min(end, maxRep > 0 ? data.repetitionLevels.count : end,
                              maxDef > 0 ? data.definitionLevels.count : end)
        if maxRep == 0, e < limit, limit &- e <= rowLimit, let whole = wholeRange(data, from: e, v, to: limit) {
            // Every entry is a row and the whole range stays under both limits: one page.
            entry = limit
            value = whole
            return limit &- e
        }
        data.repetitionLevels.withUnsafeBufferPointer { reps in
            data.definitionLevels.withUnsafeBufferPointer { defs in
                binaryOffsets.withUnsafeBufferPointer { offsets in
                    let lastValue = offsets.count &- 1
                    while e < limit {
                        if maxRep == 0 || reps[e] == 0 {
                            if rows >= rowLimit || pageBytes >= byteLimit { break }
                            rows &+= 1
                        }
                        if maxDef == 0 || defs[e] == top {
                            if hasOffsets {
                                pageBytes &+= v < lastValue ? 4 &+ offsets[v &+ 1] &- offsets[v] : 4
                            } else {
                                pageBytes &+= width
                            }
                            v &+= 1
                        }
                        e &+= 1
                    }
                }
            }
        }
        entry = e
        value = v
        return rows
    }

    /// For a column without repetition: the value position after entries `e..<end` when their
    /// values' PLAIN size stays below the byte target (so no page break falls inside them), or
    /// nil.
    private func wholeRange(_ data: ColumnData, from e: Int, _ v: Int, to end: Int) -> Int? {
        let present: Int
        if maxDef == 0 {
            present = end &- e
        } else {
            let top = UInt8(truncatingIfNeeded: maxDef)
            present = data.definitionLevels.withUnsafeBufferPointer { defs in
                ColumnData.count(of: top, in: UnsafeBufferPointer(rebasing: defs[e..<end]))
            }
        }
        let bytes: Int
        if let width = fixedWidth {
            bytes = present &* width
        } else if case .byteArray(let b) = data.values, v &+ present < b.offsets.count {
            bytes = 4 &* present &+ b.offsets[v &+ present] &- b.offsets[v]
        } else {
            return nil
        }
        return bytes < byteLimit ? v &+ present : nil
    }
}

/// Sizes of physical values for page cutting.
enum PhysicalValueSize {
    /// The PLAIN size of one value of a fixed-width type, or nil for BYTE_ARRAY.
    static func fixedWidth(of type: PhysicalType, width: Int) -> Int? {
        switch type {
        case .boolean: return 1
        case .int32, .float: return 4
        case .int64, .double: return 8
        case .int96: return 12
        case .fixedLenByteArray: return max(width, 1)
        default: return nil
        }
    }
}

/// The value encodings of the writer, over a range of any physical values.
enum ValueEncoder {
    /// True when `encoding` can hold values of `type`.
    static func supports(_ encoding: Encoding, _ type: PhysicalType) -> Bool {
        switch encoding {
        case .plain: return true
        case .rle: return type == .boolean
        case .deltaBinaryPacked: return type == .int32 || type == .int64
        case .deltaLengthByteArray: return type == .byteArray
        case .deltaByteArray: return type == .byteArray || type == .fixedLenByteArray
        case .byteStreamSplit: return [.float, .double, .int32, .int64, .fixedLenByteArray].contains(type)
        default: return false
        }
    }

    static func encode(_ values: PhysicalValues, range: Range<Int>, encoding: Encoding, into w: inout ByteWriter) {
        switch (encoding, values) {
        case (.rle, .boolean(let v)):
            v.withUnsafeBufferPointer { BooleanRLE.encode(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case (.deltaBinaryPacked, .int32(let v)):
            v.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt32(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case (.deltaBinaryPacked, .int64(let v)):
            v.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt64(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case (.deltaLengthByteArray, .byteArray(let v)): DeltaLengthByteArray.encode(v, range: range, into: &w)
        case (.deltaByteArray, .byteArray(let v)): DeltaByteArray.encode(v, range: range, into: &w)
        case (.deltaByteArray, .fixedLenByteArray(let v)): DeltaByteArray.encodeFixed(v, range: range, into: &w)
        case (.byteStreamSplit, .float(let v)):
            v.withUnsafeBufferPointer { ByteStreamSplit.encodeFloat(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case (.byteStreamSplit, .double(let v)):
            v.withUnsafeBufferPointer { ByteStreamSplit.encodeDouble(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case (.byteStreamSplit, .int32(let v)):
            v.withUnsafeBufferPointer { ByteStreamSplit.encodeInt32(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case (.byteStreamSplit, .int64(let v)):
            v.withUnsafeBufferPointer { ByteStreamSplit.encodeInt64(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case (.byteStreamSplit, .fixedLenByteArray(let v)): ByteStreamSplit.encodeFixed(v, range: range, into: &w)
        default: plain(values, range: range, into: &w)
        }
    }

    static func plain(_ values: PhysicalValues, range: Range<Int>, into w: inout ByteWriter) {
        switch values {
        case .boolean(let v): v.withUnsafeBufferPointer { Plain.encodeBoolean(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case .int32(let v): v.withUnsafeBufferPointer { Plain.encodeInt32(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case .int64(let v): v.withUnsafeBufferPointer { Plain.encodeInt64(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case .float(let v): v.withUnsafeBufferPointer { Plain.encodeFloat(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case .double(let v): v.withUnsafeBufferPointer { Plain.encodeDouble(UnsafeBufferPointer(rebasing: $0[range]), into: &w) }
        case .byteArray(let v): Plain.encodeByteArray(v, range: range, into: &w)
        case .int96(let v), .fixedLenByteArray(let v): Plain.encodeFixed(v, range: range, into: &w)
        }
    }
}
