import FloeCore
import FloeCodecs
import FloeFormat
import FloeColumns

/// A page found by walking a column chunk's headers.
struct WalkedPage {
    /// The page's ordinal in the column chunk (the dictionary page, if any, is 0).
    var ordinal: Int
    /// The file offset of the page header.
    var offset: Int
    /// The header's encoded length.
    var headerLength: Int
    var header: PageHeader
    /// The level entries (values and nulls) of a data page; 0 for other pages.
    var entries: Int

    var isData: Bool { header.type == .dataPage || header.type == .dataPageV2 }
    /// Header plus body, as the offset index counts it.
    var totalSize: Int { headerLength + Int(header.compressedPageSize) }
}

/// A data page's share of the decoded column chunk.
struct PageSegment {
    var page: WalkedPage
    /// The page's level entries among the chunk's.
    var entries: Range<Int>
    /// The page's non-null values among the chunk's.
    var values: Range<Int>
    /// The row (in the row group) of the page's first entry.
    var firstRow: Int
    /// The rows starting in the page.
    var rows: Int
    /// True when the page's first entry starts a row.
    var startsRow: Bool
    var nulls: Int { entries.count - values.count }
}

/// Checks one column chunk: reads its bytes once, walks the page headers, verifies CRCs,
/// decodes every value, and (deep) compares statistics and the page index with the values.
struct ChunkVerifier {
    let plan: ChunkPlan
    let options: VerifyOptions
    let limits: ReaderLimits
    let file: RandomAccessFile
    let footerOffset: Int
    let undercounts: Bool
    let columnOrder: ColumnOrder?

    var location: Location { plan.location }

    mutating func run(into sink: inout FindingSink) {
        if plan.meta.numValues == 0 && plan.length == 0 { return }
        var length = plan.length
        if undercounts { length = min(length + 100, footerOffset - plan.start) }
        let bytes: [UInt8]
        do {
            bytes = try file.read(offset: plan.start, count: length)
        } catch {
            sink.error(error, context: location)
            return
        }
        guard let pages = walk(bytes, into: &sink) else { return }
        var decodeLimits = limits
        decodeLimits.verifyChecksums = false  // checked page by page during the walk
        var decoder = ColumnChunkDecoder(descriptor: plan.leaf, metadata: plan.meta, rowCount: plan.rowCount,
                                         limits: decodeLimits)
        let data: ColumnData
        do {
            data = try decoder.decode(chunk: bytes, baseOffset: plan.start)
        } catch {
            sink.error(rebased(error, pages: pages), context: location)
            return
        }
        guard let segments = segment(data, pages: pages, into: &sink) else { return }
        if let (message, entry) = LevelCheck(leaf: plan.leaf, schema: plan.schema).problem(data) {
            let page = entry.flatMap { e in segments.first { $0.entries.contains(e) }?.page }
            sink.error(.corrupt, message, at: page.map { location.merged(into: Location(offset: $0.offset, page: $0.ordinal)) } ?? location)
            return
        }
        if options.deep {
            var deep = DeepChecks(plan: plan, file: file, footerOffset: footerOffset, columnOrder: columnOrder)
            deep.run(data: data, segments: segments, pages: pages, into: &sink)
        }
    }

    // MARK: - Walking the pages

    /// Walks the page headers of the chunk. Returns nil after a fatal problem (a header that
    /// does not decode, a page past the chunk's end, a CRC mismatch, value counts that do not
    /// add up): the chunk is then not decoded.
    func walk(_ bytes: [UInt8], into sink: inout FindingSink) -> [WalkedPage]? {
        let base = plan.start
        let expected = plan.meta.numValues
        var pages: [WalkedPage] = []
        var position = 0
        var values: Int64 = 0
        var fatal = false
        while position < bytes.count {
            if undercounts, values >= expected { break }
            let ordinal = pages.count
            let at = location.merged(into: Location(offset: base + position, page: ordinal))
            let header: PageHeader, headerLength: Int
            do {
                (header, headerLength) = try PageHeader.decode(bytes, at: position, baseOffset: base)
            } catch {
                let what = values >= expected && ordinal > 0
                    ? "\(bytes.count - position) bytes after the last page (which completes the chunk's \(expected) values) are not a page header"
                    : "page header does not decode"
                sink.error(.corrupt, "\(what): \(error.message)\(error.location.offset.map { " (at byte \($0))" } ?? "")", at: at)
                return nil
            }
            let compressed = Int(header.compressedPageSize), uncompressed = Int(header.uncompressedPageSize)
            let bodyStart = position + headerLength
            guard compressed >= 0, uncompressed >= 0 else {
                sink.error(.corrupt, "negative page size (compressed \(compressed), uncompressed \(uncompressed))", at: at)
                return nil
            }
            guard compressed <= bytes.count - bodyStart else {
                sink.error(.corrupt, "page body of \(compressed) bytes runs past the end of the column chunk at \(base + bytes.count) (\(bytes.count - bodyStart) bytes left)",
                           at: at)
                return nil
            }
            if uncompressed > limits.maxPageSize {
                sink.error(.limitExceeded, "page claims \(uncompressed) uncompressed bytes, over the limit of \(limits.maxPageSize)", at: at)
                fatal = true
            }
            if options.verifyChecksums, let crc = header.crc {
                let actual = bytes.withUnsafeBytes {
                    CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[bodyStart..<(bodyStart + compressed)]))
                }
                if actual != UInt32(bitPattern: crc) {
                    sink.error(.checksumMismatch, "page CRC-32 is \(hex(actual)) but the header says \(hex(UInt32(bitPattern: crc)))", at: at)
                    fatal = true
                }
            }
            var entries = 0
            switch header.type {
            case .dictionaryPage:
                if header.dictionaryPageHeader == nil {
                    sink.error(.corrupt, "dictionary page without its dictionary_page_header", at: at); fatal = true
                } else if ordinal != 0 {
                    sink.error(.corrupt, "dictionary page is not the first page of the column chunk", at: at); fatal = true
                } else if let dict = plan.meta.dictionaryPageOffset, dict > 0, Int(dict) != base + position {
                    sink.warning(.corrupt, "dictionary_page_offset is \(dict) but the dictionary page is at \(base + position)", at: at)
                }
            case .dataPage:
                if let h = header.dataPageHeader { entries = Int(h.numValues) } else {
                    sink.error(.corrupt, "data page without its data_page_header", at: at); fatal = true
                }
            case .dataPageV2:
                if let h = header.dataPageHeaderV2 {
                    entries = Int(h.numValues)
                    if h.numNulls < 0 || h.numNulls > h.numValues || h.numRows < 0 || h.numRows > h.numValues {
                        sink.error(.corrupt, "data page v2 counts do not fit (num_values \(h.numValues), num_nulls \(h.numNulls), num_rows \(h.numRows))", at: at)
                        fatal = true
                    }
                    let levels = Int64(h.repetitionLevelsByteLength) + Int64(h.definitionLevelsByteLength)
                    if h.repetitionLevelsByteLength < 0 || h.definitionLevelsByteLength < 0 || levels > Int64(compressed) {
                        sink.error(.corrupt, "data page v2 level lengths \(h.repetitionLevelsByteLength)+\(h.definitionLevelsByteLength) do not fit its \(compressed) bytes", at: at)
                        fatal = true
                    }
                } else {
                    sink.error(.corrupt, "data page v2 without its data_page_header_v2", at: at); fatal = true
                }
            case .indexPage:
                break
            default:
                sink.warning(.corrupt, "unknown page type \(header.type.rawValue) (skipped)", at: at)
            }
            if entries < 0 {
                sink.error(.corrupt, "negative value count \(entries) in a page header", at: at)
                return nil
            }
            // Writers that set no dictionary_page_offset point data_page_offset at the
            // dictionary page (the chunk's start); anything else should be the first data page.
            if header.type == .dataPage || header.type == .dataPageV2, ordinal == firstDataOrdinal(pages),
               Int(plan.meta.dataPageOffset) != base + position, Int(plan.meta.dataPageOffset) != base {
                sink.warning(.corrupt, "data_page_offset is \(plan.meta.dataPageOffset) but the first data page is at \(base + position)",
                             at: at)
            }
            values += Int64(entries)
            pages.append(WalkedPage(ordinal: ordinal, offset: base + position, headerLength: headerLength,
                                    header: header, entries: entries))
            position = bodyStart + compressed
        }
        if values != expected {
            sink.error(.corrupt, "the pages hold \(values) values but the column chunk metadata says \(expected)",
                       at: location.merged(into: Location(offset: base)))
            return nil
        }
        return fatal ? nil : pages
    }

    /// Errors from inside a page body carry offsets into the page's (decompressed) data: the
    /// finding gets the page's file offset instead, and the inner offset goes into the message.
    func rebased(_ error: FloeError, pages: [WalkedPage]) -> FloeError {
        guard let p = error.location.page, p >= 0, p < pages.count else { return error }
        var e = error
        let page = pages[p]
        if let inner = e.location.offset, inner != page.offset {
            e.message += " (at byte \(inner) of the page data)"
        }
        e.location.offset = page.offset
        return e
    }

    /// The ordinal the first data page has or will have.
    private func firstDataOrdinal(_ pages: [WalkedPage]) -> Int {
        pages.firstIndex { $0.isData } ?? pages.count
    }

    // MARK: - Page accounting

    /// Splits the decoded levels and values among the data pages and checks the row and null
    /// counts of v2 page headers.
    func segment(_ data: ColumnData, pages: [WalkedPage], into sink: inout FindingSink) -> [PageSegment]? {
        let maxDef = plan.leaf.maxDefinitionLevel, maxRep = plan.leaf.maxRepetitionLevel
        let top = UInt8(truncatingIfNeeded: maxDef)
        let total = data.entryCount
        var segments: [PageSegment] = []
        var entry = 0, value = 0, row = 0
        for page in pages where page.isData {
            let end = entry + page.entries
            guard end <= total, maxDef == 0 || end <= data.definitionLevels.count,
                  maxRep == 0 || end <= data.repetitionLevels.count else {
                sink.error(.corrupt, "the pages hold more level entries than were decoded", at: location)
                return nil
            }
            var present = page.entries
            if maxDef > 0 {
                present = 0
                data.definitionLevels.withUnsafeBufferPointer { d in
                    for i in entry..<end where d[i] == top { present &+= 1 }
                }
            }
            var rows = page.entries
            var startsRow = true
            if maxRep > 0 {
                rows = 0
                data.repetitionLevels.withUnsafeBufferPointer { r in
                    for i in entry..<end where r[i] == 0 { rows &+= 1 }
                    startsRow = entry < end ? r[entry] == 0 : true
                }
            }
            let segment = PageSegment(page: page, entries: entry..<end, values: value..<(value + present),
                                      firstRow: startsRow ? row : row - 1, rows: rows, startsRow: startsRow)
            if let v2 = page.header.dataPageHeaderV2 {
                let at = location.merged(into: Location(offset: page.offset, page: page.ordinal))
                if Int(v2.numRows) != rows {
                    sink.error(.corrupt, "data page v2 header says \(v2.numRows) rows but its levels hold \(rows)", at: at)
                }
                if Int(v2.numNulls) != segment.nulls {
                    sink.error(.corrupt, "data page v2 header says \(v2.numNulls) nulls but its levels hold \(segment.nulls)", at: at)
                }
                if !startsRow {
                    sink.warning(.corrupt, "data page v2 does not start at a row boundary", at: at)
                }
            }
            segments.append(segment)
            entry = end
            value += present
            row += rows
        }
        return segments
    }
}
