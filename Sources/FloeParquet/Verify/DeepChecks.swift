import FloeCore
import FloeFormat
import FloeColumns

/// The `--deep` checks of one decoded column chunk: statistics of the chunk and of each page
/// header, the offset index, the column index and the bloom filter, against the decoded
/// levels and values.
struct DeepChecks {
    let plan: ChunkPlan
    let file: RandomAccessFile
    let footerOffset: Int
    let stats: StatisticsCheck

    /// At most this many findings of one kind per column chunk are listed in detail.
    static let perCheckLimit = 8

    init(plan: ChunkPlan, file: RandomAccessFile, footerOffset: Int, columnOrder: ColumnOrder?) {
        self.plan = plan
        self.file = file
        self.footerOffset = footerOffset
        self.stats = StatisticsCheck(descriptor: plan.leaf, columnOrder: columnOrder)
    }

    var location: Location { plan.location }

    mutating func run(data: ColumnData, segments: [PageSegment], pages: [WalkedPage], into sink: inout FindingSink) {
        // One pass over the values: each page's bounds and nulls; the chunk's are their fold.
        let pageFacts = segments.map { facts(data, entries: $0.entries, values: $0.values) }
        let chunkFacts = fold(pageFacts)
        checkChunkStatistics(chunkFacts, into: &sink)
        checkPageStatistics(segments, pageFacts, into: &sink)
        checkOffsetIndex(segments, into: &sink)
        checkColumnIndex(segments, pageFacts, into: &sink)
        checkBloomFilter(data, into: &sink)
    }

    // MARK: - What the values say

    /// The bounds and null counts of a run of entries and their values.
    struct Facts {
        var bounds: (min: [UInt8], max: [UInt8])?
        /// Entries below the maximum definition level.
        var nullEntries = 0
        /// Entries one level below the maximum for an optional leaf: null values proper.
        var nullValues = 0
    }

    private func facts(_ data: ColumnData, entries: Range<Int>, values: Range<Int>) -> Facts {
        var f = Facts(bounds: stats.actualBounds(data.values, values))
        let maxDef = plan.leaf.maxDefinitionLevel
        guard maxDef > 0 else { return f }
        let top = UInt8(truncatingIfNeeded: maxDef)
        let leafNull = plan.leaf.repetition == .optional ? top &- 1 : 255
        var below = 0, leafNulls = 0
        data.definitionLevels.withUnsafeBufferPointer { d in
            for i in entries where d[i] != top {
                below &+= 1
                if d[i] == leafNull { leafNulls &+= 1 }
            }
        }
        f.nullEntries = below
        f.nullValues = leafNulls
        return f
    }

    private func fold(_ pages: [Facts]) -> Facts {
        var out = Facts()
        for p in pages {
            out.nullEntries += p.nullEntries
            out.nullValues += p.nullValues
            guard let b = p.bounds else { continue }
            guard let current = out.bounds else { out.bounds = b; continue }
            out.bounds = (stats.order.less(b.min[...], current.min[...]) ? b.min : current.min,
                          stats.order.less(current.max[...], b.max[...]) ? b.max : current.max)
        }
        return out
    }

    /// A text describing the actual nulls when `claimed` matches neither way writers count
    /// them, nil when it matches. Every entry below the maximum definition level is a null to
    /// some writers (Floe, parquet-mr); only a null leaf value (one level below the maximum,
    /// for an optional leaf) is one to others (Arrow). Flat columns agree. A negative claim
    /// means "unknown" and matches anything.
    private func nullMismatch(_ claimed: Int64, _ f: Facts) -> String? {
        if claimed < 0 || claimed == Int64(f.nullEntries) || claimed == Int64(f.nullValues) { return nil }
        if plan.leaf.maxDefinitionLevel == 0 { return "no nulls (the column is required)" }
        return f.nullEntries == f.nullValues ? "\(f.nullEntries) nulls"
            : "\(f.nullEntries) entries below the maximum definition level, \(f.nullValues) null values"
    }

    // MARK: - Statistics

    private func checkChunkStatistics(_ f: Facts, into sink: inout FindingSink) {
        guard let s = plan.meta.statistics else { return }
        if let claimed = s.nullCount, let actual = nullMismatch(claimed, f) {
            sink.error(.corrupt, "chunk statistics null_count is \(claimed) but the column chunk holds \(actual)", at: location)
        }
        let (lo, hi) = stats.claimed(s)
        stats.checkBounds(min: lo, max: hi, minExact: s.isMinValueExact, maxExact: s.isMaxValueExact,
                          actual: f.bounds, what: "chunk statistics", at: location, into: &sink)
    }

    private func checkPageStatistics(_ segments: [PageSegment], _ facts: [Facts], into sink: inout FindingSink) {
        var reported = 0
        for (segment, f) in zip(segments, facts) {
            let header = segment.page.header
            guard let s = header.dataPageHeader?.statistics ?? header.dataPageHeaderV2?.statistics else { continue }
            let at = pageLocation(segment.page)
            let before = sink.errorCount
            if let claimed = s.nullCount, let actual = nullMismatch(claimed, f) {
                sink.error(.corrupt, "page statistics null_count is \(claimed) but the page holds \(actual)", at: at)
            }
            let (lo, hi) = stats.claimed(s)
            stats.checkBounds(min: lo, max: hi, minExact: s.isMinValueExact, maxExact: s.isMaxValueExact,
                              actual: f.bounds, what: "page statistics", at: at, into: &sink)
            if sink.errorCount > before {
                reported += 1
                if reported >= DeepChecks.perCheckLimit { return }
            }
        }
    }

    // MARK: - Page index

    /// Reads an index structure's bytes, reporting a range outside the data area.
    private func readIndex(offset: Int64?, length: Int32?, what: String, into sink: inout FindingSink) -> (bytes: [UInt8], offset: Int)? {
        guard let offset, let length else {
            if offset != nil || length != nil {
                sink.error(.corrupt, "\(what) has an offset or a length but not both", at: location)
            }
            return nil
        }
        let start = Int(offset), count = Int(length)
        guard start >= 4, count > 0, start <= footerOffset, count <= footerOffset - start else {
            sink.error(.corrupt, "\(what) at \(start)+\(count) lies outside the data area 4..<\(footerOffset)",
                       at: location.merged(into: Location(offset: start)))
            return nil
        }
        do {
            return (try file.read(offset: start, count: count), start)
        } catch {
            sink.error(error, context: location)
            return nil
        }
    }

    private func checkOffsetIndex(_ segments: [PageSegment], into sink: inout FindingSink) {
        guard let (bytes, start) = readIndex(offset: plan.chunk.offsetIndexOffset, length: plan.chunk.offsetIndexLength,
                                             what: "offset index", into: &sink) else { return }
        let index: OffsetIndex
        do {
            index = try OffsetIndex(decoding: bytes, baseOffset: start)
        } catch {
            sink.error(.corrupt, "offset index does not decode: \(error.message)",
                       at: location.merged(into: Location(offset: error.location.offset ?? start)))
            return
        }
        let locations = index.pageLocations
        if locations.count != segments.count {
            sink.error(.corrupt, "offset index lists \(locations.count) pages but the column chunk has \(segments.count) data pages",
                       at: location.merged(into: Location(offset: start)))
        }
        var reported = 0
        for (k, (entry, segment)) in zip(locations, segments).enumerated() {
            let page = segment.page
            var problems: [String] = []
            if Int(entry.offset) != page.offset { problems.append("offset \(entry.offset), the page is at \(page.offset)") }
            if Int(entry.compressedPageSize) != page.totalSize {
                problems.append("size \(entry.compressedPageSize), the page takes \(page.totalSize) bytes")
            }
            if Int(entry.firstRowIndex) != segment.firstRow {
                problems.append("first row \(entry.firstRowIndex), the page starts at row \(segment.firstRow)")
            }
            if !segment.startsRow { problems.append("the page does not start at a row boundary") }
            if !problems.isEmpty {
                sink.error(.corrupt, "offset index entry \(k) says " + problems.joined(separator: "; "),
                           at: pageLocation(page))
                reported += 1
                if reported >= DeepChecks.perCheckLimit { return }
            }
        }
    }

    private func checkColumnIndex(_ segments: [PageSegment], _ facts: [Facts], into sink: inout FindingSink) {
        guard let (bytes, start) = readIndex(offset: plan.chunk.columnIndexOffset, length: plan.chunk.columnIndexLength,
                                             what: "column index", into: &sink) else { return }
        let index: ColumnIndex
        do {
            index = try ColumnIndex(decoding: bytes, baseOffset: start)
        } catch {
            sink.error(.corrupt, "column index does not decode: \(error.message)",
                       at: location.merged(into: Location(offset: error.location.offset ?? start)))
            return
        }
        let at = location.merged(into: Location(offset: start))
        // parquet-mr writes this placeholder when it has no page statistics: every page marked
        // null, empty bounds, null counts of -1. Readers cannot use it; it claims nothing.
        if let counts = index.nullCounts, !counts.isEmpty, counts.allSatisfy({ $0 < 0 }),
           index.minValues.allSatisfy(\.isEmpty), index.maxValues.allSatisfy(\.isEmpty) {
            sink.warning(.corrupt, "column index carries no statistics (null_counts -1, empty bounds) and is ignored", at: at)
            return
        }
        let n = index.nullPages.count
        guard index.minValues.count == n, index.maxValues.count == n, index.nullCounts.map({ $0.count == n }) ?? true else {
            sink.error(.corrupt, "column index lists differ in length (null_pages \(n), min_values \(index.minValues.count), max_values \(index.maxValues.count), null_counts \(index.nullCounts?.count ?? n))",
                       at: at)
            return
        }
        guard n == segments.count else {
            sink.error(.corrupt, "column index lists \(n) pages but the column chunk has \(segments.count) data pages", at: at)
            return
        }
        var reported = 0
        for (k, segment) in segments.enumerated() {
            let pageAt = pageLocation(segment.page)
            let before = sink.errorCount
            let what = "column index entry \(k)"
            if let counts = index.nullCounts, let actual = nullMismatch(counts[k], facts[k]) {
                sink.error(.corrupt, "\(what) says \(counts[k]) nulls but the page holds \(actual)", at: pageAt)
            }
            if index.nullPages[k] {
                if !segment.values.isEmpty {
                    sink.error(.corrupt, "\(what) marks the page as all nulls but it holds \(segment.values.count) values", at: pageAt)
                }
            } else {
                stats.checkBounds(min: index.minValues[k], max: index.maxValues[k],
                                  actual: facts[k].bounds, what: what, at: pageAt, into: &sink)
            }
            if sink.errorCount > before {
                reported += 1
                if reported >= DeepChecks.perCheckLimit { return }
            }
        }
        checkBoundaryOrder(index, at: at, into: &sink)
    }

    /// ASCENDING (DESCENDING) promises that the mins and the maxes of the non-null pages never
    /// decrease (increase).
    private func checkBoundaryOrder(_ index: ColumnIndex, at: Location, into sink: inout FindingSink) {
        guard stats.comparable, stats.order != .none else { return }
        let ascending = index.boundaryOrder == .ascending
        guard ascending || index.boundaryOrder == .descending else { return }
        var previous: Int?
        for i in index.nullPages.indices where !index.nullPages[i] {
            if let p = previous {
                let (a, b) = ascending ? (p, i) : (i, p)
                if stats.order.less(index.minValues[b][...], index.minValues[a][...])
                    || stats.order.less(index.maxValues[b][...], index.maxValues[a][...]) {
                    sink.error(.corrupt, "column index boundary order is \(index.boundaryOrder) but pages \(p) and \(i) are out of order",
                               at: at)
                    return
                }
            }
            previous = i
        }
    }

    private func pageLocation(_ page: WalkedPage) -> Location {
        location.merged(into: Location(offset: page.offset, page: page.ordinal))
    }
}
