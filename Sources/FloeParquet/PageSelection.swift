import FloeCore
import FloeFormat
import FloeColumns

extension ParquetFile {
    /// The offset index of a column chunk (page locations and first rows), if the file has one.
    /// Reads through `source` (another handle on this file's path) when given.
    public func offsetIndex(rowGroup: Int, column: Int, from source: RandomAccessFile? = nil) throws(FloeError) -> OffsetIndex? {
        let chunk = try columnChunk(rowGroup: rowGroup, column: column)
        guard let offset = chunk.offsetIndexOffset, let length = chunk.offsetIndexLength else { return nil }
        let bytes = try readIndexBytes(offset: Int(offset), length: Int(length), what: "offset index", rowGroup: rowGroup, column: column,
                                       from: source ?? file)
        return try OffsetIndex(decoding: bytes, baseOffset: Int(offset))
    }

    /// The column index of a column chunk (per-page min, max and null counts), if any.
    /// Reads through `source` (another handle on this file's path) when given.
    public func columnIndex(rowGroup: Int, column: Int, from source: RandomAccessFile? = nil) throws(FloeError) -> ColumnIndex? {
        let chunk = try columnChunk(rowGroup: rowGroup, column: column)
        guard let offset = chunk.columnIndexOffset, let length = chunk.columnIndexLength else { return nil }
        let bytes = try readIndexBytes(offset: Int(offset), length: Int(length), what: "column index", rowGroup: rowGroup, column: column,
                                       from: source ?? file)
        return try ColumnIndex(decoding: bytes, baseOffset: Int(offset))
    }

    /// The data pages (ordinals in the offset index) holding any of `rows` of the row group.
    public func pages(covering rows: Range<Int>, in index: OffsetIndex, rowGroup: Int) -> Range<Int> {
        let locations = index.pageLocations
        let total = rowCount(ofRowGroup: rowGroup)
        var first = locations.count, last = 0
        for (i, page) in locations.enumerated() {
            let start = Int(page.firstRowIndex)
            let end = i + 1 < locations.count ? Int(locations[i + 1].firstRowIndex) : total
            if start < rows.upperBound, end > rows.lowerBound {
                first = min(first, i)
                last = i + 1
            }
        }
        return first < last ? first..<last : 0..<0
    }

    /// Reads only the data pages `pages` (ordinals in the offset index) of a column chunk, plus
    /// its dictionary page: the bytes of other pages are not touched. Returns the row group row
    /// of the first page and the decoded data of the selected pages.
    public func readPages(rowGroup: Int, column: Int, pages: Range<Int>) throws(FloeError) -> (firstRow: Int, data: ColumnData) {
        guard let index = try offsetIndex(rowGroup: rowGroup, column: column) else {
            throw FloeError.invalidArgument("column chunk \(column) of row group \(rowGroup) has no offset index")
        }
        let leaf = schema.leaves[column]
        let location = Location(file: path, rowGroup: rowGroup, column: leaf.dottedPath)
        let locations = index.pageLocations
        guard pages.lowerBound >= 0, pages.upperBound <= locations.count else {
            throw FloeError.invalidArgument("pages \(pages) outside the chunk's \(locations.count) pages")
        }
        if pages.isEmpty { return (0, ColumnData(emptyFor: leaf)) }
        do throws(FloeError) {
            let chunk = try columnChunk(rowGroup: rowGroup, column: column)
            guard let meta = chunk.metaData else { throw FloeError.corrupt("column chunk has no metadata") }
            let range = readRange(meta)
            let chunkEnd = range.start + range.length
            var bytes: [UInt8] = []
            let firstData = Int(locations[0].offset)
            if firstData > range.start {
                guard firstData <= chunkEnd else { throw FloeError.corrupt("page location \(firstData) outside the column chunk") }
                bytes = try file.read(offset: range.start, count: firstData - range.start)
            }
            let from = Int(locations[pages.lowerBound].offset)
            let lastPage = locations[pages.upperBound - 1]
            let to = Int(lastPage.offset) + Int(lastPage.compressedPageSize)
            guard from >= range.start, from <= to, to <= chunkEnd else {
                throw FloeError.corrupt("page locations \(from)..<\(to) lie outside the column chunk \(range.start)..<\(chunkEnd)")
            }
            let dictionaryBytes = bytes.count
            bytes += try file.read(offset: from, count: to - from)
            let firstRow = Int(locations[pages.lowerBound].firstRowIndex)
            let endRow = pages.upperBound < locations.count ? Int(locations[pages.upperBound].firstRowIndex) : rowCount(ofRowGroup: rowGroup)
            guard firstRow >= 0, endRow >= firstRow else { throw FloeError.corrupt("page first-row indexes decrease") }
            var decoder = ColumnChunkDecoder(descriptor: leaf, metadata: meta, rowCount: endRow - firstRow, limits: limits)
            // Dictionary bytes sit at the chunk start; the selected pages follow them directly.
            let data = try decoder.decode(chunk: bytes, baseOffset: dictionaryBytes > 0 ? range.start : from, partial: true)
            return (firstRow, data)
        } catch {
            throw error.at(location)
        }
    }

    /// Reads the runs of data pages `runs` (ascending, non-overlapping ranges of ordinals in
    /// `index`) of a column chunk through `source`, plus its dictionary page, and decodes them
    /// in one go. Returns the row-group rows each run covers (in order) and the decoded data of
    /// all of them; the bytes of other pages are not touched.
    public func readPages(rowGroup: Int, column: Int, runs: [Range<Int>], index: OffsetIndex,
                          from source: RandomAccessFile) throws(FloeError) -> (rows: [Range<Int>], data: ColumnData) {
        let r = try readPages(rowGroup: rowGroup, column: column, runs: runs, index: index, from: source, keepingCodes: false)
        return (r.rows, r.data)
    }

    /// ``readPages(rowGroup:column:runs:index:from:)`` leaving a BYTE_ARRAY column's values
    /// dictionary-encoded when every page read is (see
    /// ``readColumnKeepingCodes(rowGroup:column:from:)``).
    public func readPagesKeepingCodes(rowGroup: Int, column: Int, runs: [Range<Int>], index: OffsetIndex,
                                      from source: RandomAccessFile) throws(FloeError)
        -> (rows: [Range<Int>], data: ColumnData, codes: DictionaryCodes?) {
        try readPages(rowGroup: rowGroup, column: column, runs: runs, index: index, from: source, keepingCodes: true)
    }

    private func readPages(rowGroup: Int, column: Int, runs: [Range<Int>], index: OffsetIndex,
                           from source: RandomAccessFile, keepingCodes: Bool) throws(FloeError)
        -> (rows: [Range<Int>], data: ColumnData, codes: DictionaryCodes?) {
        _ = try columnChunk(rowGroup: rowGroup, column: column)
        let leaf = schema.leaves[column]
        let location = Location(file: path, rowGroup: rowGroup, column: leaf.dottedPath)
        let locations = index.pageLocations
        let total = rowCount(ofRowGroup: rowGroup)
        var previousEnd = 0
        for run in runs {
            guard run.lowerBound >= previousEnd, run.upperBound <= locations.count, !run.isEmpty else {
                throw FloeError.invalidArgument("page runs \(runs) are not ascending runs inside the chunk's \(locations.count) pages").at(location)
            }
            previousEnd = run.upperBound
        }
        if runs.isEmpty { return ([], ColumnData(emptyFor: leaf), nil) }
        do throws(FloeError) {
            let chunk = try columnChunk(rowGroup: rowGroup, column: column)
            guard let meta = chunk.metaData else { throw FloeError.corrupt("column chunk has no metadata") }
            let range = readRange(meta)
            let chunkEnd = range.start + range.length
            var bytes: [UInt8] = []
            let firstData = Int(locations[0].offset)
            if firstData > range.start {
                guard firstData <= chunkEnd else { throw FloeError.corrupt("page location \(firstData) outside the column chunk") }
                bytes = try source.read(offset: range.start, count: firstData - range.start)
            }
            let dictionaryBytes = bytes.count
            var rows: [Range<Int>] = []
            var rowTotal = 0
            var lastEnd = range.start
            for run in runs {
                let first = locations[run.lowerBound].offset, lastPage = locations[run.upperBound - 1]
                guard first >= Int64(lastEnd), lastPage.offset >= first, lastPage.offset <= Int64(chunkEnd),
                      lastPage.compressedPageSize >= 0, Int64(lastPage.compressedPageSize) <= Int64(chunkEnd) - lastPage.offset else {
                    throw FloeError.corrupt("page locations from \(first) to \(lastPage.offset)+\(lastPage.compressedPageSize) lie outside the column chunk \(range.start)..<\(chunkEnd) or overlap")
                }
                let from = Int(first), to = Int(lastPage.offset) + Int(lastPage.compressedPageSize)
                lastEnd = to
                bytes += try source.read(offset: from, count: to - from)
                let firstRow = Int(locations[run.lowerBound].firstRowIndex)
                let endRow = run.upperBound < locations.count ? Int(locations[run.upperBound].firstRowIndex) : total
                guard firstRow >= 0, endRow >= firstRow, endRow <= total else {
                    throw FloeError.corrupt("page first-row indexes \(firstRow)..<\(endRow) are not increasing within the row group's \(total) rows")
                }
                if let last = rows.last, firstRow < last.upperBound {
                    throw FloeError.corrupt("page first-row indexes decrease")
                }
                rows.append(firstRow..<endRow)
                rowTotal += endRow - firstRow
            }
            var decoder = ColumnChunkDecoder(descriptor: leaf, metadata: meta, rowCount: rowTotal, limits: limits)
            decoder.keepsCodes = keepingCodes && leaf.physicalType == .byteArray
            // The page headers delimit the pages, so the runs decode as one stream after the dictionary.
            let base = dictionaryBytes > 0 ? range.start : Int(locations[runs[0].lowerBound].offset)
            let data = try decoder.decode(chunk: bytes, baseOffset: base, partial: true)
            return (rows, data, decoder.takeCodes())
        } catch {
            throw error.at(location)
        }
    }

    func columnChunk(rowGroup: Int, column: Int) throws(FloeError) -> ColumnChunk {
        guard rowGroup >= 0, rowGroup < rowGroupCount, column >= 0, column < schema.leaves.count else {
            throw FloeError.invalidArgument("no column chunk \(column) in row group \(rowGroup)")
        }
        return metadata.rowGroups[rowGroup].columns[column]
    }

    private func readIndexBytes(offset: Int, length: Int, what: String, rowGroup: Int, column: Int,
                                from source: RandomAccessFile) throws(FloeError) -> [UInt8] {
        guard offset >= 4, length >= 0, offset <= footerOffset, length <= footerOffset - offset else {
            throw FloeError(.corrupt, "\(what) at \(offset)+\(length) lies outside the data area",
                            at: Location(file: path, rowGroup: rowGroup, column: schema.leaves[column].dottedPath))
        }
        return try source.read(offset: offset, count: length)
    }
}
