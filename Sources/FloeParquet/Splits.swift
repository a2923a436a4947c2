import FloeCore
import FloeFormat
import FloeColumns

/// A byte range `[start, start + length)` of a file: the unit of work a distributed engine
/// (Hadoop, Spark, Trino) hands to one task.
public struct InputSplit: Sendable, Equatable, Hashable {
    /// The first byte of the range.
    public var start: Int
    /// The number of bytes in the range.
    public var length: Int

    /// The byte after the range.
    public var end: Int { start &+ length }

    /// Creates a split; `start` and `length` must not be negative.
    public init(start: Int, length: Int) throws(FloeError) {
        guard start >= 0, length >= 0, length <= Int.max - start else {
            throw FloeError.invalidArgument("split \(start):\(length) must have a non-negative start and length")
        }
        self.start = start
        self.length = length
    }

    /// True when `offset` lies in the range.
    public func contains(_ offset: Int) -> Bool { offset >= start && offset - start < length }

    /// Parses `START:LENGTH` (decimal byte counts), as given on the command line.
    public init(parsing text: String) throws(FloeError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0]), let length = Int(parts[1]) else {
            throw FloeError.invalidArgument("a split is START:LENGTH in bytes (like 0:134217728), not '\(text)'")
        }
        try self.init(start: start, length: length)
    }
}

/// One split of a Parquet file and the row groups it is responsible for.
public struct ParquetSplit: Sendable, Equatable {
    /// The byte range.
    public var range: InputSplit
    /// The row groups (ordinals in the footer) whose midpoint falls in the range, ascending.
    public var rowGroups: [Int]
    /// The rows of those row groups.
    public var rows: Int
}

/// Input splits of Parquet files, assigned to row groups by the midpoint rule of Hadoop's
/// `ParquetInputFormat` and Spark: a row group belongs to the one split that contains the
/// midpoint of its byte range, from its first page (the dictionary page when there is one,
/// else the first data page) to the end of its last column chunk. Every split is a plain byte
/// range of `splitSize` bytes (the last one shorter), so a scheduler need not read footers
/// to make them; each task then reads the footer and the row groups assigned to its range.
/// Because the splits of a file tile `[0, fileSize)` and every midpoint lies in that range,
/// each row group is read by exactly one task.
public enum ParquetSplits {
    /// The splits of `splitSize` bytes that tile a file of `fileSize` bytes.
    public static func ranges(fileSize: Int, splitSize: Int) throws(FloeError) -> [InputSplit] {
        guard splitSize > 0 else { throw FloeError.invalidArgument("the split size must be positive, not \(splitSize)") }
        guard fileSize >= 0 else { throw FloeError.invalidArgument("negative file size \(fileSize)") }
        var out: [InputSplit] = []
        out.reserveCapacity(fileSize / splitSize + 1)
        var start = 0
        while start < fileSize {
            let length = min(splitSize, fileSize - start)
            out.append(try InputSplit(start: start, length: length))
            start += length
        }
        return out
    }

    /// The byte range of a row group: from its first page to the end of its last column chunk,
    /// over the chunks that hold values. Nil when no chunk has a usable range (then
    /// ``midpoint(of:fileSize:)`` falls back to the row group's file offset).
    public static func byteRange(of rowGroup: RowGroup) -> Range<Int>? {
        var low = Int.max, high = Int.min
        for chunk in rowGroup.columns {
            guard let meta = chunk.metaData, meta.numValues > 0 else { continue }
            let r = ParquetFile.chunkRange(meta)
            guard r.start >= 0, r.length >= 0, r.length <= Int.max - r.start else { continue }
            low = min(low, r.start)
            high = max(high, r.start + r.length)
        }
        return low <= high ? low..<high : nil
    }

    /// The byte that decides which split reads a row group, clamped into `[0, fileSize)` so
    /// that it always lies in one split.
    public static func midpoint(of rowGroup: RowGroup, fileSize: Int) -> Int {
        let mid: Int
        if let r = byteRange(of: rowGroup) {
            mid = r.lowerBound + (r.upperBound - r.lowerBound) / 2
        } else {
            mid = Int(clamping: rowGroup.fileOffset ?? 4)
        }
        return max(0, min(mid, fileSize - 1))
    }

    /// The row groups of `metadata` whose midpoint lies in `split`, ascending.
    public static func rowGroups(in split: InputSplit, metadata: FileMetaData, fileSize: Int) -> [Int] {
        var out: [Int] = []
        for (i, group) in metadata.rowGroups.enumerated() where split.contains(midpoint(of: group, fileSize: fileSize)) {
            out.append(i)
        }
        return out
    }
}

extension ParquetFile {
    /// The splits of `splitSize` bytes that tile this file, each with the row groups it reads
    /// (see ``ParquetSplits``). Every row group appears in exactly one split; splits may have
    /// none.
    ///
    /// ```swift
    /// let file = try ParquetFile(path: "events.parquet")
    /// for split in try file.splits(splitSize: 128 << 20) {
    ///     for group in split.rowGroups { _ = try file.readRowGroup(group) }
    /// }
    /// ```
    public func splits(splitSize: Int) throws(FloeError) -> [ParquetSplit] {
        let ranges = try ParquetSplits.ranges(fileSize: file.size, splitSize: splitSize)
        var groups = [[Int]](repeating: [], count: ranges.count)
        var rows = [Int](repeating: 0, count: ranges.count)
        for (i, group) in metadata.rowGroups.enumerated() {
            let k = ParquetSplits.midpoint(of: group, fileSize: file.size) / splitSize
            guard k >= 0, k < ranges.count else { continue }
            groups[k].append(i)
            rows[k] += rowCount(ofRowGroup: i)
        }
        return ranges.indices.map { ParquetSplit(range: ranges[$0], rowGroups: groups[$0], rows: rows[$0]) }
    }

    /// The row groups a task given `split` reads: those whose midpoint lies in it.
    public func rowGroups(in split: InputSplit) -> [Int] {
        ParquetSplits.rowGroups(in: split, metadata: metadata, fileSize: file.size)
    }

    /// Reads the given columns (all when nil) of every row group of `split`, in file order:
    /// one array of column data per row group, with the row group's ordinal.
    public func readSplit(_ split: InputSplit, columns: [Int]? = nil) throws(FloeError) -> [(rowGroup: Int, columns: [ColumnData])] {
        var out: [(rowGroup: Int, columns: [ColumnData])] = []
        for group in rowGroups(in: split) { out.append((group, try readRowGroup(group, columns: columns))) }
        return out
    }
}
