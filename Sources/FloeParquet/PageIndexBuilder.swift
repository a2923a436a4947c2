import FloeCore
import FloeFormat
import FloeColumns

/// Builds the page index of one column chunk — the `ColumnIndex` (per-page min, max, null
/// count, boundary order) and the `OffsetIndex` (per-page location and first row) — from the
/// pages the chunk writer produced.
enum PageIndexBuilder {
    static func offsetIndex(_ pages: [PageLocationInfo]) -> OffsetIndex {
        OffsetIndex(pageLocations: pages.map {
            PageLocation(offset: $0.offset, compressedPageSize: $0.compressedPageSize, firstRowIndex: $0.firstRowIndex)
        })
    }

    /// The column index, or nil when a page has values but no min/max (statistics off, or only
    /// NaN): a column index must describe every page.
    static func columnIndex(_ pages: [PageLocationInfo], descriptor: ColumnDescriptor) -> ColumnIndex? {
        var nullPages: [Bool] = [], mins: [[UInt8]] = [], maxs: [[UInt8]] = [], nullCounts: [Int64] = []
        for page in pages {
            guard let stats = page.statistics, let nulls = stats.nullCount else { return nil }
            nullCounts.append(nulls)
            if page.valueCount == 0 {
                nullPages.append(true); mins.append([]); maxs.append([])
            } else {
                guard let lo = stats.minValue, let hi = stats.maxValue else { return nil }
                nullPages.append(false); mins.append(lo); maxs.append(hi)
            }
        }
        let order = StatisticsOrder(descriptor)
        return ColumnIndex(nullPages: nullPages, minValues: mins, maxValues: maxs,
                           boundaryOrder: boundaryOrder(nullPages, mins, maxs, order), nullCounts: nullCounts)
    }

    /// ASCENDING when the non-null pages' mins and maxes never decrease, DESCENDING when they
    /// never increase, UNORDERED otherwise.
    static func boundaryOrder(_ nullPages: [Bool], _ mins: [[UInt8]], _ maxs: [[UInt8]], _ order: StatisticsOrder) -> BoundaryOrder {
        if order == .none { return .unordered }
        var ascending = true, descending = true
        var previous: Int? = nil
        for i in nullPages.indices where !nullPages[i] {
            if let p = previous {
                if order.less(mins[i][...], mins[p][...]) || order.less(maxs[i][...], maxs[p][...]) { ascending = false }
                if order.less(mins[p][...], mins[i][...]) || order.less(maxs[p][...], maxs[i][...]) { descending = false }
            }
            previous = i
        }
        if ascending { return .ascending }
        if descending { return .descending }
        return .unordered
    }
}
