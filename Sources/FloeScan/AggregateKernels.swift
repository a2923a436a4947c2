import FloeCore

/// Tight per-batch loops for the common aggregates over dense group ids: count(*), count(x),
/// and sum/avg of integers or doubles.
enum AggregateKernels {
    /// Folds `v` into `st` for rows in groups `gids`; false when this kind/type pair is not
    /// covered here (the caller then takes the general path). Group ids must be valid indices
    /// of the state arrays (checked once).
    static func update(_ st: inout Aggregator.State, _ v: Vector, _ gids: [Int]) throws(FloeError) -> Bool {
        let n = gids.count
        if v.isConstant && st.kind == .count && v.type != .null {
            // The same validity for every row: all of them count, or none.
            guard v.isValid(0) else { return true }
            try checkGroups(gids, below: st.counts.count)
            st.counts.withUnsafeMutableBufferPointer { c in
                gids.withUnsafeBufferPointer { g in for i in 0..<n { c[g[i]] &+= 1 } }
            }
            return true
        }
        if v.isConstant || v.count < n { return false }
        let groups = st.counts.count
        let nullable = !v.valid.isEmpty
        if nullable && v.valid.count < n { return false }
        switch st.kind {
        case .count:
            if v.type == .null { return false }
            try checkGroups(gids, below: groups)
            st.counts.withUnsafeMutableBufferPointer { c in
                gids.withUnsafeBufferPointer { g in
                    if !nullable {
                        for i in 0..<n { c[g[i]] &+= 1 }
                    } else {
                        v.valid.withUnsafeBufferPointer { ok in
                            for i in 0..<n { c[g[i]] &+= ok[i] ? 1 : 0 }
                        }
                    }
                }
            }
            return true
        case .sum, .avg:
            switch v.type {
            case .integer:
                guard v.ints.count >= n, st.intSums.count == groups else { return false }
                try checkGroups(gids, below: groups)
                sumInts(&st, v, gids, nullable)
                return true
            case .double:
                guard v.doubles.count >= n, st.doubleSums.count == groups else { return false }
                try checkGroups(gids, below: groups)
                st.sawDouble = true
                sumDoubles(&st, v, gids, nullable)
                return true
            default: return false
            }
        default: return false
        }
    }

    /// Throws unless every group id is in `0..<groups`.
    private static func checkGroups(_ gids: [Int], below groups: Int) throws(FloeError) {
        var bad = false
        gids.withUnsafeBufferPointer { g in for x in g { bad = bad || UInt(bitPattern: x) >= UInt(groups) } }
        if bad { throw FloeError.invalidArgument("group id out of range (\(groups) groups)") }
    }

    private static func sumInts(_ st: inout Aggregator.State, _ v: Vector, _ gids: [Int], _ nullable: Bool) {
        let n = gids.count
        var overflow = false
        st.counts.withUnsafeMutableBufferPointer { c in
            st.intSums.withUnsafeMutableBufferPointer { sums in
                gids.withUnsafeBufferPointer { g in
                    v.ints.withUnsafeBufferPointer { x in
                        if !nullable {
                            for i in 0..<n {
                                let k = g[i]
                                c[k] &+= 1
                                let (s, o) = sums[k].addingReportingOverflow(x[i])
                                sums[k] = s
                                overflow = overflow || o
                            }
                        } else {
                            v.valid.withUnsafeBufferPointer { ok in
                                for i in 0..<n where ok[i] {
                                    let k = g[i]
                                    c[k] &+= 1
                                    let (s, o) = sums[k].addingReportingOverflow(x[i])
                                    sums[k] = s
                                    overflow = overflow || o
                                }
                            }
                        }
                    }
                }
            }
        }
        if overflow { st.intOverflow = true }
    }

    private static func sumDoubles(_ st: inout Aggregator.State, _ v: Vector, _ gids: [Int], _ nullable: Bool) {
        let n = gids.count
        st.counts.withUnsafeMutableBufferPointer { c in
            st.doubleSums.withUnsafeMutableBufferPointer { sums in
                gids.withUnsafeBufferPointer { g in
                    v.doubles.withUnsafeBufferPointer { x in
                        if !nullable {
                            for i in 0..<n { let k = g[i]; c[k] &+= 1; sums[k] += x[i] }
                        } else {
                            v.valid.withUnsafeBufferPointer { ok in
                                for i in 0..<n where ok[i] { let k = g[i]; c[k] &+= 1; sums[k] += x[i] }
                            }
                        }
                    }
                }
            }
        }
    }
}
