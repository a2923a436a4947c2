import FloeCore
import FloeFormat

/// A page header and where it sits in the file.
public struct PageInfo: Sendable {
    /// The file offset of the header.
    public var offset: Int
    /// The header's encoded length.
    public var headerLength: Int
    /// The decoded header.
    public var header: PageHeader
}

extension ParquetFile {
    /// The page headers of one column chunk, read with small reads (page bodies are skipped).
    public func pageHeaders(rowGroup: Int, column: Int) throws(FloeError) -> [PageInfo] {
        guard rowGroup >= 0, rowGroup < rowGroupCount, column >= 0, column < schema.leaves.count else {
            throw FloeError.invalidArgument("no column chunk \(column) in row group \(rowGroup)")
        }
        let leaf = schema.leaves[column]
        let location = Location(file: path, rowGroup: rowGroup, column: leaf.dottedPath)
        guard let meta = metadata.rowGroups[rowGroup].columns[column].metaData else {
            throw FloeError(.corrupt, "column chunk has no metadata", at: location)
        }
        let range = readRange(meta)
        let end = range.start + range.length
        var position = range.start
        var pages: [PageInfo] = []
        var values: Int64 = 0
        while position < end, values < meta.numValues {
            var window = min(256, end - position)
            while true {
                let bytes = try file.read(offset: position, count: window)
                do throws(FloeError) {
                    let (header, length) = try PageHeader.decode(bytes, baseOffset: position)
                    pages.append(PageInfo(offset: position, headerLength: length, header: header))
                    let body = Int(header.compressedPageSize)
                    guard body >= 0, body <= end - position - length else {
                        throw FloeError(.corrupt, "page body of \(body) bytes runs past the column chunk",
                                        at: Location(offset: position, page: pages.count - 1).merged(into: location))
                    }
                    if let d = header.dataPageHeader { values += Int64(d.numValues) }
                    if let d = header.dataPageHeaderV2 { values += Int64(d.numValues) }
                    position += length + body
                    break
                } catch where window < end - position && error.code == .corrupt {
                    window = min(window * 4, end - position)
                } catch {
                    throw error.at(Location(page: pages.count).merged(into: location))
                }
            }
        }
        return pages
    }
}
