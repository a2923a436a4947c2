import FloeCore
import FloeFormat
import FloeColumns

/// Decodes a column chunk held in memory, with the reader's own decoder and checks — for tools
/// and fuzz targets that have the bytes of a chunk but no file.
///
/// ```swift
/// let data = try ColumnChunkProbe.decode(chunk: bytes, descriptor: schema.leaves[0],
///                                        metadata: meta, rowCount: 100)
/// ```
public enum ColumnChunkProbe {
    /// Decodes every page of `chunk` (the bytes of one column chunk: an optional dictionary
    /// page, then data pages) as `metadata` and `descriptor` describe, expecting `rowCount`
    /// rows. Throws what ``ParquetFile/readColumn(rowGroup:column:)`` would throw.
    public static func decode(chunk: [UInt8], descriptor: ColumnDescriptor, metadata: ColumnMetaData,
                              rowCount: Int, limits: ReaderLimits = ReaderLimits()) throws(FloeError) -> ColumnData {
        guard metadata.type == descriptor.physicalType else {
            throw FloeError.invalidArgument("metadata type \(metadata.type) differs from the descriptor's \(descriptor.physicalType)")
        }
        guard metadata.numValues >= 0, rowCount >= 0 else {
            throw FloeError.invalidArgument("negative value or row count")
        }
        if metadata.numValues == 0 {
            guard rowCount == 0 else { throw FloeError.corrupt("column chunk holds no values but the row group has \(rowCount) rows") }
            return ColumnData(emptyFor: descriptor)
        }
        var decoder = ColumnChunkDecoder(descriptor: descriptor, metadata: metadata, rowCount: rowCount, limits: limits)
        return try decoder.decode(chunk: chunk, baseOffset: 0)
    }
}
