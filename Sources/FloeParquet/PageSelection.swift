import FloeCore
import FloeFormat
import FloeColumns

extension ParquetFile {
    /// The offset index of a column chunk (page locations and first rows), if the file has one.
    public func offsetIndex(rowGroup: Int, column: Int) throws(FloeError) -> OffsetIndex? {
        let chunk = try columnChunk(rowGroup: rowGroup, column: column)
        guard let offset = chunk.offsetIndexOffset, let length = chunk.offsetIndexLength else { return nil }
        let bytes = try readIndexBytes(offset: Int(offset), length: Int(length), what: "offset index", rowGroup: rowGroup, column: column)
        return try OffsetIndex(decoding: bytes, baseOffset: Int(offset))
    }

    /// The column index of a column chunk (per-page min, max and null counts), if any.
    public func columnIndex(rowGroup: Int, column: Int) throws(FloeError) -> ColumnIndex? {
        let chunk = try columnChunk(rowGroup: rowGroup, column: column)
        guard let offset = chunk.columnIndexOffset, let length = chunk.columnIndexLength else { return nil }
        let bytes = try readIndexBytes(offset: Int(offset), length: Int(length), what: "column index", rowGroup: rowGroup, column: column)
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

    func columnChunk(rowGroup: Int, column: Int) throws(FloeError) -> ColumnChunk {
        guard rowGroup >= 0, rowGroup < rowGroupCount, column >= 0, column < schema.leaves.count else {
            throw FloeError.invalidArgument("no column chunk \(column) in row group \(rowGroup)")
        }
        return metadata.rowGroups[rowGroup].columns[column]
    }

    private func readIndexBytes(offset: Int, length: Int, what: String, rowGroup: Int, column: Int) throws(FloeError) -> [UInt8] {
        guard offset >= 4, length >= 0, offset <= footerOffset, length <= footerOffset - offset else {
            throw FloeError(.corrupt, "\(what) at \(offset)+\(length) lies outside the data area",
                            at: Location(file: path, rowGroup: rowGroup, column: schema.leaves[column].dottedPath))
        }
        return try file.read(offset: offset, count: length)
    }
}
