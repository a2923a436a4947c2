import FloeCore
import FloeFormat

extension ParquetFile {
    /// How many bytes are read to find a bloom filter header when the file does not record
    /// `bloom_filter_length` (headers written in practice take about 16 bytes).
    static let bloomFilterHeaderWindow = 256

    /// The bloom filter of one column chunk, or nil when the chunk has none.
    ///
    /// Uses `bloom_filter_offset` and, when present, `bloom_filter_length` (one read); without a
    /// length it reads a small window for the header first, then the bitset. Every range is
    /// checked to lie in the data area (after the leading magic, before the footer).
    ///
    /// ```swift
    /// if let filter = try file.bloomFilter(rowGroup: 0, column: 2),
    ///    !filter.mightContain(hash: SplitBlockBloomFilter.hash(string: "user-42")) {
    ///     // row group 0 certainly has no "user-42" in column 2
    /// }
    /// ```
    public func bloomFilter(rowGroup: Int, column: Int) throws(FloeError) -> SplitBlockBloomFilter? {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count else {
            throw FloeError.invalidArgument("row group \(rowGroup) does not exist (the file has \(metadata.rowGroups.count))")
        }
        guard column >= 0, column < schema.leaves.count else {
            throw FloeError.invalidArgument("column \(column) does not exist (the schema has \(schema.leaves.count) leaves)")
        }
        let location = Location(file: path, rowGroup: rowGroup, column: schema.leaves[column].dottedPath)
        do throws(FloeError) {
            let columns = metadata.rowGroups[rowGroup].columns
            guard column < columns.count, let meta = columns[column].metaData,
                  let offset64 = meta.bloomFilterOffset else { return nil }
            let dataStart = 4
            let dataEnd = footerOffset
            guard offset64 >= Int64(dataStart), offset64 < Int64(dataEnd) else {
                throw FloeError.corrupt("bloom filter offset \(offset64) lies outside the data area \(dataStart)..<\(dataEnd)")
            }
            let offset = Int(offset64)
            let room = dataEnd - offset
            if let length32 = meta.bloomFilterLength {
                let length = Int(length32)
                guard length > 0, length <= room else {
                    throw FloeError.corrupt("bloom filter bytes \(offset)+\(length) lie outside the data area \(dataStart)..<\(dataEnd)",
                                            offset: offset)
                }
                return try SplitBlockBloomFilter.read(from: try file.read(offset: offset, count: length), baseOffset: offset)
            }
            let window = try file.read(offset: offset, count: min(room, Self.bloomFilterHeaderWindow))
            let (numBytes, headerLength) = try SplitBlockBloomFilter.readHeader(from: window, baseOffset: offset)
            guard numBytes <= room - headerLength else {
                throw FloeError.corrupt("bloom filter bitset of \(numBytes) bytes at \(offset + headerLength) runs past the data area end \(dataEnd)",
                                        offset: offset)
            }
            let total = headerLength + numBytes
            let bytes = total <= window.count ? window : try file.read(offset: offset, count: total)
            return try SplitBlockBloomFilter.read(from: bytes, baseOffset: offset)
        } catch {
            throw error.at(location)
        }
    }
}
