import FloeCore
import FloeFormat
import FloeColumns
import FloeParquet
import FloeEncodings

/// What one row group contributed, with what reading it cost.
struct RowGroupOutcome: Sendable {
    var result = Plan.UnitResult()
    /// Bytes read by the task (page index, pages, chunks).
    var bytesRead = 0
    var pagesRead = 0
    var pagesPruned = 0
    /// Rows evaluated (the selected rows when the page index narrowed the row group).
    var rows = 0
    /// The page index proved that no row matches: nothing was evaluated.
    var prunedByPageIndex = false
    /// Which row group (a serial number over the scan) the task read, and whether it was the
    /// last part of it.
    var rowGroupSerial = 0
    var lastPart = true
}

/// One row group of a Parquet file to read and evaluate, on any thread: it reads through its
/// own file handle and folds into its own partial aggregate, sharing only immutable state.
struct RowGroupTask: @unchecked Sendable {
    let file: ParquetFile
    let binder: SchemaBinder
    let rowGroup: Int
    /// The range conjuncts of the filter bound to non-repeated leaves.
    let rangeLeaves: [(ColumnRange, Int)]
    let pageIndexPruning: Bool
    /// A part of the row group to read (nil for all of it): large row groups are cut into row
    /// ranges read through the offset index, so that one row group keeps several workers busy.
    var part: Range<Int>? = nil
    var rowGroupSerial = 0
    var lastPart = true

    func run(_ plan: Plan) throws(FloeError) -> RowGroupOutcome {
        let handle = try RandomAccessFile(path: file.path)
        let source = RowGroupReader(file: file, handle: handle, rowGroup: rowGroup)
        var outcome = RowGroupOutcome()
        outcome.rowGroupSerial = rowGroupSerial
        outcome.lastPart = lastPart
        var initial = RowSelection.all(source.totalRows)
        if let part {
            initial = RowSelection()
            initial.append(max(0, part.lowerBound)..<min(source.totalRows, part.upperBound))
            source.selection = initial
            source.part = initial
        }
        if pageIndexPruning, !rangeLeaves.isEmpty {
            let (selection, consultedPages) = try selectRows(source, within: initial)
            if selection.count == 0 {
                outcome.pagesPruned = consultedPages
                outcome.prunedByPageIndex = true
                outcome.bytesRead = handle.bytesRead
                return outcome
            }
            if selection.count < source.totalRows { source.selection = selection }
        }
        outcome.result = try plan.evaluate(ScanUnit(binder: binder, source: source), aggregateInto: try plan.partialAggregator())
        outcome.rows = source.rowCount
        outcome.pagesRead = source.pagesRead
        outcome.pagesPruned = source.pagesPruned
        outcome.bytesRead = handle.bytesRead
        return outcome
    }

    /// The rows whose pages may satisfy every range conjunct (by each column's page index),
    /// and the number of pages of the consulted columns.
    private func selectRows(_ source: RowGroupReader, within initial: RowSelection) throws(FloeError) -> (RowSelection, Int) {
        var selection = initial
        var pages = 0
        for (range, leaf) in rangeLeaves {
            let descriptor = file.schema.leaves[leaf]
            // Byte-array bounds need the unsigned (type-defined) order of current writers.
            let isBytes = descriptor.physicalType == .byteArray || descriptor.physicalType == .fixedLenByteArray
            if isBytes && file.metadata.columnOrders == nil { continue }
            guard let pageRows = try source.pageRows(leaf),
                  let index = try file.columnIndex(rowGroup: rowGroup, column: leaf, from: source.handle),
                  let candidates = PagePruning.candidateRows(range, index: index, pages: pageRows, leaf: descriptor) else { continue }
            pages += PagePruning.pageRuns(pageRows, initial).reduce(0) { $0 + $1.count }
            selection = selection.intersection(candidates)
            if selection.count == 0 { break }
        }
        return (selection, pages)
    }
}

/// The leaf columns of one row group, read on demand through a task's own file handle: whole
/// chunks, or with a row selection only the pages holding selected rows, trimmed to them.
final class RowGroupReader: LeafSource {
    let file: ParquetFile
    let handle: RandomAccessFile
    let rowGroup: Int
    let totalRows: Int
    /// The rows to read; nil for all of them.
    var selection: RowSelection?
    /// The rows of the part of the row group this reader is for (nil for all): pages outside
    /// it belong to other parts and do not count as pruned.
    var part: RowSelection?
    private var ownPagesRead = 0
    /// Readers of a few selected rows made by `narrowed(to:)`: their pages count as this one's.
    private var narrowedReaders: [RowGroupReader] = []
    var pagesRead: Int { ownPagesRead + narrowedReaders.reduce(0) { $0 + $1.pagesRead } }
    private(set) var pagesPruned = 0
    private var indexCache: [Int: (index: OffsetIndex, rows: [Range<Int>])?] = [:]
    private var cache: [Int: ColumnData] = [:]

    init(file: ParquetFile, handle: RandomAccessFile, rowGroup: Int) {
        self.file = file
        self.handle = handle
        self.rowGroup = rowGroup
        self.totalRows = file.rowCount(ofRowGroup: rowGroup)
    }

    var rowCount: Int { selection?.count ?? totalRows }

    /// The rows of each data page of a leaf's chunk, from its offset index (nil without one).
    func pageRows(_ leaf: Int) throws(FloeError) -> [Range<Int>]? { try offsetIndex(leaf)?.rows }

    /// A leaf's offset index and the rows of its pages, read once (nil when the chunk has no
    /// usable offset index).
    private func offsetIndex(_ leaf: Int) throws(FloeError) -> (index: OffsetIndex, rows: [Range<Int>])? {
        if let known = indexCache[leaf] { return known }
        var entry: (index: OffsetIndex, rows: [Range<Int>])?
        if let index = try file.offsetIndex(rowGroup: rowGroup, column: leaf, from: handle),
           let rows = PagePruning.pageRows(index, rowGroupRows: totalRows) {
            entry = (index, rows)
        }
        indexCache[leaf] = .some(entry)
        return entry
    }

    /// Late materialization: when the filter kept few rows, the other columns are read only
    /// from the pages holding those rows (through the offset index), trimmed to them.
    func narrowed(to positions: [Int]) throws(FloeError) -> LeafSource? {
        guard !positions.isEmpty, positions.count * 8 <= rowCount else { return nil }
        let current = selection ?? RowSelection.all(totalRows)
        var rows = RowSelection()
        var rangeIndex = 0, before = 0
        let ranges = current.ranges
        for p in positions {
            guard p >= 0, p < current.count else { return nil }
            while rangeIndex < ranges.count, p >= before + ranges[rangeIndex].count {
                before += ranges[rangeIndex].count
                rangeIndex += 1
            }
            guard rangeIndex < ranges.count else { return nil }
            let row = ranges[rangeIndex].lowerBound + (p - before)
            rows.append(row..<(row + 1))
        }
        guard rows.count == positions.count else { return nil }
        let reader = RowGroupReader(file: file, handle: handle, rowGroup: rowGroup)
        reader.selection = rows
        reader.part = part
        reader.indexCache = indexCache
        narrowedReaders.append(reader)
        return reader
    }

    /// The chunk's null count from its statistics: a chunk without nulls has none in any of
    /// its rows (a count above zero says nothing about a selection, so it is not used then).
    func knownNullCount(leaf: Int) -> Int? {
        guard rowGroup < file.metadata.rowGroups.count, leaf >= 0, leaf < file.metadata.rowGroups[rowGroup].columns.count,
              let n = file.metadata.rowGroups[rowGroup].columns[leaf].metaData?.statistics?.nullCount else { return nil }
        if n == 0 { return 0 }
        return selection == nil ? Int(n) : nil
    }

    /// The whole chunk, or with a selection the pages holding selected rows trimmed to them
    /// (the codes ride through the trimming as INT32 values).
    func dictionaryCoded(leaf: Int) throws(FloeError) -> (data: ColumnData, codes: DictionaryCodes)? {
        guard cache[leaf] == nil else { return nil }
        guard let selection else {
            ownPagesRead += dataPages(leaf)
            let (data, codes) = try file.readColumnKeepingCodes(rowGroup: rowGroup, column: leaf, from: handle)
            guard let codes else {
                cache[leaf] = data
                return nil
            }
            return (data, codes)
        }
        guard let (index, pages) = try offsetIndex(leaf) else { return nil }
        let descriptor = file.schema.leaves[leaf]
        let runs = PagePruning.pageRuns(pages, selection)
        let used = runs.reduce(0) { $0 + $1.count }
        ownPagesRead += used
        pagesPruned += (part.map { PagePruning.pageRuns(pages, $0).reduce(0) { $0 + $1.count } } ?? pages.count) - used
        let (coverage, data, codes) = try file.readPagesKeepingCodes(rowGroup: rowGroup, column: leaf, runs: runs, index: index,
                                                                     from: handle)
        guard let codes else {
            cache[leaf] = try PagePruning.trim(data, leaf: descriptor, coverage: coverage, selection: selection)
            return nil
        }
        let asValues = ColumnData(values: .int32(codes.codes.map { Int32(bitPattern: $0) }),
                                  definitionLevels: data.definitionLevels, repetitionLevels: data.repetitionLevels)
        let trimmed = try PagePruning.trim(asValues, leaf: descriptor, coverage: coverage, selection: selection)
        guard case .int32(let kept) = trimmed.values else { return nil }
        let levels = ColumnData(values: .byteArray(BinaryValues()), definitionLevels: trimmed.definitionLevels,
                                repetitionLevels: trimmed.repetitionLevels)
        return (levels, DictionaryCodes(dictionary: codes.dictionary, codes: kept.map { UInt32(bitPattern: $0) }))
    }

    func data(leaf: Int) throws(FloeError) -> ColumnData {
        if let d = cache[leaf] { return d }
        let d = try read(leaf)
        cache[leaf] = d
        return d
    }

    private func read(_ leaf: Int) throws(FloeError) -> ColumnData {
        guard let selection else {
            ownPagesRead += dataPages(leaf)
            return try file.readColumn(rowGroup: rowGroup, column: leaf, from: handle)
        }
        let descriptor = file.schema.leaves[leaf]
        guard let (index, pages) = try offsetIndex(leaf) else {
            ownPagesRead += dataPages(leaf)
            let whole = try file.readColumn(rowGroup: rowGroup, column: leaf, from: handle)
            return try PagePruning.trim(whole, leaf: descriptor, coverage: [0..<totalRows], selection: selection)
        }
        let runs = PagePruning.pageRuns(pages, selection)
        let used = runs.reduce(0) { $0 + $1.count }
        ownPagesRead += used
        pagesPruned += (part.map { PagePruning.pageRuns(pages, $0).reduce(0) { $0 + $1.count } } ?? pages.count) - used
        let (coverage, data) = try file.readPages(rowGroup: rowGroup, column: leaf, runs: runs, index: index, from: handle)
        return try PagePruning.trim(data, leaf: descriptor, coverage: coverage, selection: selection)
    }

    /// The data pages of a whole chunk: from its offset index when already read, else its
    /// encoding statistics; 0 when neither tells.
    private func dataPages(_ leaf: Int) -> Int {
        if let known = indexCache[leaf], let entry = known { return entry.rows.count }
        guard leaf < file.metadata.rowGroups[rowGroup].columns.count,
              let stats = file.metadata.rowGroups[rowGroup].columns[leaf].metaData?.encodingStats else { return 0 }
        var n = 0
        for s in stats where s.pageType == .dataPage || s.pageType == .dataPageV2 { n += max(0, Int(s.count)) }
        return n
    }
}
