/// The first rows of an ordering without sorting everything: ORDER BY … LIMIT k over many rows.
enum TopRows {
    /// The first `k` elements of `items` stably sorted by `less` (ties keep their input order),
    /// found with a bounded heap in O(n log k) comparisons.
    static func first<T>(_ k: Int, of items: [T], by less: (T, T) -> Bool) -> [T] {
        if k <= 0 { return [] }
        if k >= items.count { return stableSorted(items, by: less) }
        // `before(a, b)`: a strict total order (ties broken by input position).
        func before(_ a: Int, _ b: Int) -> Bool {
            if less(items[a], items[b]) { return true }
            if less(items[b], items[a]) { return false }
            return a < b
        }
        // A max-heap (by `before`) of the best k indices seen: its root is the worst kept one.
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && before(heap[m], heap[l]) { m = l }
                if r < heap.count && before(heap[m], heap[r]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for i in items.indices {
            if heap.count < k {
                heap.append(i)
                var c = heap.count - 1
                while c > 0 {
                    let p = (c - 1) / 2
                    guard before(heap[p], heap[c]) else { break }
                    heap.swapAt(p, c)
                    c = p
                }
            } else if before(i, heap[0]) {
                heap[0] = i
                siftDown(0)
            }
        }
        heap.sort(by: before)
        return heap.map { items[$0] }
    }

    /// All of `items` stably sorted by `less`.
    static func stableSorted<T>(_ items: [T], by less: (T, T) -> Bool) -> [T] {
        let order = items.indices.sorted { a, b in
            if less(items[a], items[b]) { return true }
            if less(items[b], items[a]) { return false }
            return a < b
        }
        return order.map { items[$0] }
    }
}
