import FloeCore
import FloeFormat
import FloeEncodings
import FloeColumns

/// Rows of a row group as ascending, disjoint, non-adjacent, non-empty ranges.
struct RowSelection: Equatable, Sendable {
    private(set) var ranges: [Range<Int>] = []
    private(set) var count = 0

    /// Every row of a row group of `rows` rows.
    static func all(_ rows: Int) -> RowSelection {
        var s = RowSelection()
        s.append(0..<max(0, rows))
        return s
    }

    /// Appends a range after the last one (merging when adjacent; empty ranges are ignored).
    mutating func append(_ r: Range<Int>) {
        guard !r.isEmpty else { return }
        if let last = ranges.last, r.lowerBound <= last.upperBound {
            let merged = last.lowerBound..<max(last.upperBound, r.upperBound)
            count += merged.count - last.count
            ranges[ranges.count - 1] = merged
        } else {
            ranges.append(r)
            count += r.count
        }
    }

    /// The rows in both selections.
    func intersection(_ other: RowSelection) -> RowSelection {
        var out = RowSelection()
        var i = 0, j = 0
        let a = ranges, b = other.ranges
        while i < a.count, j < b.count {
            let lo = max(a[i].lowerBound, b[j].lowerBound), hi = min(a[i].upperBound, b[j].upperBound)
            if lo < hi { out.append(lo..<hi) }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return out
    }
}

/// Page-level pruning with the page index: the ColumnIndex gives each page's min and max, the
/// OffsetIndex each page's first row, so a range predicate maps to the rows that can match and
/// those rows to the pages every other column must read. Decoded pages hold more rows than the
/// selection (page boundaries differ per column), so each column is trimmed to exactly the
/// selected rows and all columns stay aligned.
enum PagePruning {
    /// The rows of each page, from the offset index; nil when the first-row indexes are not
    /// increasing from 0 inside the row group (the index is then not used).
    static func pageRows(_ index: OffsetIndex, rowGroupRows total: Int) -> [Range<Int>]? {
        let locations = index.pageLocations
        guard let first = locations.first, first.firstRowIndex == 0 else { return nil }
        var out: [Range<Int>] = []
        out.reserveCapacity(locations.count)
        for i in locations.indices {
            let start = locations[i].firstRowIndex
            let end = i + 1 < locations.count ? locations[i + 1].firstRowIndex : Int64(total)
            guard start >= 0, start <= end, end <= Int64(total) else { return nil }
            out.append(Int(start)..<Int(end))
        }
        return out
    }

    /// The rows of the pages whose bounds may satisfy `range`: pages holding only nulls never
    /// do (a comparison with NULL is not true). Nil when the column index does not fit the
    /// offset index or its bounds cannot be read as the column's SQL type.
    static func candidateRows(_ range: ColumnRange, index: ColumnIndex, pages: [Range<Int>], leaf: ColumnDescriptor) -> RowSelection? {
        let n = pages.count
        guard index.nullPages.count == n, index.minValues.count == n, index.maxValues.count == n else { return nil }
        var out = RowSelection()
        for i in 0..<n {
            if index.nullPages[i] { continue }
            guard let lo = bound(index.minValues[i], leaf), let hi = bound(index.maxValues[i], leaf) else {
                out.append(pages[i]); continue
            }
            if !Pruning.excludes(range, min: lo, max: hi, leaf: leaf) { out.append(pages[i]) }
        }
        return out
    }

    /// A page bound as a SQL value. Strings stay bytes: a bound truncated inside a UTF-8
    /// sequence still orders correctly as bytes.
    private static func bound(_ bytes: [UInt8], _ leaf: ColumnDescriptor) -> SQLValue? {
        if case .string = leaf.kind { return .binary(bytes) }
        return Pruning.decode(bytes, leaf)
    }

    /// The runs of consecutive pages that hold any selected row.
    static func pageRuns(_ pages: [Range<Int>], _ selection: RowSelection) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var s = 0
        let sel = selection.ranges
        for (i, rows) in pages.enumerated() where !rows.isEmpty {
            while s < sel.count, sel[s].upperBound <= rows.lowerBound { s += 1 }
            guard s < sel.count else { break }
            guard sel[s].lowerBound < rows.upperBound else { continue }
            if let last = runs.last, last.upperBound == i { runs[runs.count - 1] = last.lowerBound..<(i + 1) } else { runs.append(i..<(i + 1)) }
        }
        return runs
    }

    /// Trims `data`, which holds the rows `coverage` of a row group (ascending ranges, in the
    /// order of the data), to exactly the rows of `selection`. A row is a record: for repeated
    /// columns, repetition level 0 starts one.
    static func trim(_ data: ColumnData, leaf: ColumnDescriptor, coverage: [Range<Int>], selection: RowSelection) throws(FloeError) -> ColumnData {
        let at = Location(column: leaf.dottedPath)
        // Selected rows as positions among the covered rows.
        var local = RowSelection()
        var base = 0, s = 0
        let sel = selection.ranges
        for c in coverage {
            while s < sel.count, sel[s].upperBound <= c.lowerBound { s += 1 }
            var j = s
            while j < sel.count, sel[j].lowerBound < c.upperBound {
                let lo = max(sel[j].lowerBound, c.lowerBound), hi = min(sel[j].upperBound, c.upperBound)
                if lo < hi { local.append((base + lo - c.lowerBound)..<(base + hi - c.lowerBound)) }
                j += 1
            }
            base += c.count
        }
        let covered = base
        guard local.count == selection.count else {
            throw FloeError(.corrupt, "the pages read cover \(local.count) of the \(selection.count) selected rows", at: at)
        }
        if local.count == covered { return data }

        // Rows to level entries.
        let entries = data.entryCount
        var entryRanges: [Range<Int>] = []
        entryRanges.reserveCapacity(local.ranges.count)
        if leaf.maxRepetitionLevel == 0 {
            guard entries == covered else {
                throw FloeError(.corrupt, "\(entries) entries for \(covered) rows", at: at)
            }
            entryRanges = local.ranges
        } else {
            guard data.repetitionLevels.count == entries else {
                throw FloeError(.corrupt, "\(data.repetitionLevels.count) repetition levels for \(entries) entries", at: at)
            }
            var starts: [Int] = []
            starts.reserveCapacity(covered)
            data.repetitionLevels.withUnsafeBufferPointer { r in
                for e in 0..<r.count where r[e] == 0 { starts.append(e) }
            }
            guard starts.count == covered else {
                throw FloeError(.corrupt, "\(starts.count) records for \(covered) rows", at: at)
            }
            for r in local.ranges {
                entryRanges.append(starts[r.lowerBound]..<(r.upperBound < covered ? starts[r.upperBound] : entries))
            }
        }

        // Entries to values, and the trimmed levels.
        var valueRanges: [Range<Int>] = []
        var definition: [UInt8] = []
        var repetition: [UInt8] = []
        if leaf.maxDefinitionLevel == 0 {
            guard data.values.count == entries else {
                throw FloeError(.corrupt, "\(data.values.count) values for \(entries) entries of a required column", at: at)
            }
            valueRanges = entryRanges
        } else {
            guard data.definitionLevels.count == entries else {
                throw FloeError(.corrupt, "\(data.definitionLevels.count) definition levels for \(entries) entries", at: at)
            }
            let top = UInt8(truncatingIfNeeded: leaf.maxDefinitionLevel)
            data.definitionLevels.withUnsafeBufferPointer { d in
                var e = 0, v = 0
                for r in entryRanges {
                    while e < r.lowerBound { if d[e] == top { v &+= 1 }; e &+= 1 }
                    let first = v
                    while e < r.upperBound { if d[e] == top { v &+= 1 }; e &+= 1 }
                    valueRanges.append(first..<v)
                }
            }
            definition.reserveCapacity(local.count)
            for r in entryRanges { definition.append(contentsOf: data.definitionLevels[r]) }
        }
        if leaf.maxRepetitionLevel > 0 {
            for r in entryRanges { repetition.append(contentsOf: data.repetitionLevels[r]) }
        }
        guard valueRanges.last.map({ $0.upperBound <= data.values.count }) ?? true else {
            throw FloeError(.corrupt, "the definition levels mark more values present than the \(data.values.count) decoded", at: at)
        }
        return ColumnData(values: data.values.slices(valueRanges), definitionLevels: definition, repetitionLevels: repetition)
    }
}
