import FloeCore
import FloeEncodings

/// A nested column kept columnar, Arrow-style: every node of the logical shape has a length
/// (its number of slots), an optional validity bitmap, and — for lists and maps — `length + 1`
/// offsets into its child's slots. Leaves hold their values slot-aligned: slot `i` of a leaf is
/// its `i`-th value (a null slot holds a zero value, or an empty byte array).
///
/// A node's children have one slot per element of a list or map, and one slot per slot of a
/// struct (a null struct's children are null too, as Arrow's Parquet reader makes them).
public struct NestedArray: Sendable, Equatable {
    /// What a node is, with its own buffers and children.
    public indirect enum Node: Sendable, Equatable {
        /// The values of leaf column `leaf` (its index among the schema's leaves), one per slot.
        case primitive(leaf: Int, values: PhysicalValues)
        /// A list: slot `i` holds the elements `offsets[i] ..< offsets[i + 1]` of `element`.
        case list(offsets: [Int32], element: NestedArray)
        /// A struct: every field has the struct's length.
        case structure(fields: [NestedField])
        /// A map: slot `i` holds the entries `offsets[i] ..< offsets[i + 1]` of `keys` and
        /// `values` (nil when the schema has no value column).
        case map(offsets: [Int32], keys: NestedArray, values: NestedArray?)
    }

    /// The number of slots.
    public var length: Int
    /// The number of null slots.
    public var nullCount: Int
    /// One bit per slot, least significant bit first, 1 for a value and 0 for a null; nil when
    /// no slot is null.
    public var validity: [UInt8]?
    /// The node's kind and buffers.
    public var node: Node

    /// Creates an array node.
    public init(length: Int, nullCount: Int, validity: [UInt8]?, node: Node) {
        self.length = length; self.nullCount = nullCount; self.validity = validity; self.node = node
    }

    /// True when slot `i` (0 ≤ i < length) is null.
    public func isNull(_ i: Int) -> Bool {
        guard let validity, i >= 0, i >> 3 < validity.count else { return false }
        return validity[i >> 3] & (1 << UInt8(i & 7)) == 0
    }
}

/// A named field of a struct.
public struct NestedField: Sendable, Equatable {
    /// The field's name.
    public var name: String
    /// Its values, one slot per slot of the struct.
    public var array: NestedArray

    /// Creates a field.
    public init(name: String, array: NestedArray) { self.name = name; self.array = array }
}

/// Record assembly into ``NestedArray`` buffers (levels → offsets and validity per level).
///
/// Each leaf's definition and repetition levels are walked once. The nodes that a leaf is the
/// first leaf of (the whole path for the first leaf of a field; usually just the leaf itself
/// for the other fields of a struct) get their offsets and validity from that walk; the other
/// leaves only need their own slots. Levels out of range, a repetition that continues a list
/// that has no element, value counts that disagree with the levels, and sibling leaves whose
/// slot counts disagree give `.corrupt` errors, never a trap.
public enum NestedAssembly {
    /// Assembles one top-level field of one row group (or of several row groups whose column
    /// data were appended one after the other).
    ///
    /// - Parameters:
    ///   - shape: the field's shape, from ``Schema/logicalFields()``.
    ///   - schema: the schema the shape comes from.
    ///   - columns: the data of each leaf, indexed like `schema.leaves`; the leaves under
    ///     `shape` must be present.
    public static func assemble(_ shape: LogicalShape, schema: Schema, columns: [ColumnData?]) throws(FloeError) -> NestedArray {
        var plan = Plan()
        let root = plan.add(shape, parent: -1, slotDefinition: 0, slotRepetition: 0)
        var built = [Built](repeating: Built(), count: plan.nodes.count)
        for leaf in shape.levels.leaves {
            guard leaf >= 0, leaf < schema.leaves.count, leaf < columns.count, let column = columns[leaf] else {
                throw FloeError.invalidArgument("no column data for leaf \(leaf) of the field")
            }
            try walk(leaf: leaf, descriptor: schema.leaves[leaf], column: column, plan: plan, built: &built)
        }
        return plan.array(root, built: &built)
    }

    /// Assembles every top-level field of `schema` from one row group's columns (one entry per
    /// leaf). All fields must have the same number of rows.
    public static func assemble(schema: Schema, columns: [ColumnData?]) throws(FloeError) -> [NestedField] {
        var out: [NestedField] = []
        for field in try schema.logicalFields() {
            let array = try assemble(field.shape, schema: schema, columns: columns)
            if let first = out.first, first.array.length != array.length {
                throw FloeError.corrupt("field '\(field.name)' has \(array.length) rows but '\(first.name)' has \(first.array.length)")
            }
            out.append(NestedField(name: field.name, array: array))
        }
        return out
    }

    // MARK: - Walking the levels of one leaf

    static func walk(leaf: Int, descriptor: ColumnDescriptor, column: ColumnData, plan: Plan,
                     built: inout [Built]) throws(FloeError) {
        let path = plan.path(toLeaf: leaf)
        guard let leafNode = path.last, plan.nodes[leafNode].kind == .primitive else {
            throw FloeError.invalidArgument("leaf \(leaf) is not under the field")
        }
        let maxDef = descriptor.maxDefinitionLevel, maxRep = descriptor.maxRepetitionLevel
        let lists = path.filter { plan.nodes[$0].kind == .list || plan.nodes[$0].kind == .map }
        guard plan.nodes[leafNode].validFrom == maxDef, lists.count == maxRep,
              lists.enumerated().allSatisfy({ plan.nodes[$0.element].repetition == $0.offset + 1 }) else {
            throw FloeError.invalidArgument("the shape does not match the levels of leaf '\(descriptor.dottedPath)'")
        }
        var ownedStart = 0
        while ownedStart < path.count && plan.nodes[path[ownedStart]].firstLeaf != leaf { ownedStart += 1 }
        guard ownedStart < path.count else { return }

        let at = Location(column: descriptor.dottedPath)
        let entries = column.entryCount
        guard entries < Int(Int32.max) else { throw FloeError.unsupported("more than \(Int32.max) level entries in one column") }
        if maxDef > 0 && column.definitionLevels.count != entries || maxDef == 0 && !column.definitionLevels.isEmpty {
            throw FloeError(.corrupt, "\(column.definitionLevels.count) definition levels for \(entries) entries", at: at)
        }
        if maxRep > 0 && column.repetitionLevels.count != entries || maxRep == 0 && !column.repetitionLevels.isEmpty {
            throw FloeError(.corrupt, "\(column.repetitionLevels.count) repetition levels for \(entries) entries", at: at)
        }

        // The definition level at which the list continued by repetition level r has an element.
        var elementFor = [Int](repeating: 0, count: maxRep + 1)
        for l in lists { elementFor[plan.nodes[l].repetition] = plan.nodes[l].elementDefinition }
        let present = try check(column, entries: entries, maxDef: maxDef, maxRep: maxRep, elementFor: elementFor, at: at)
        guard present == column.values.count else {
            throw FloeError(.corrupt, "the levels hold \(present) values but the column has \(column.values.count)", at: at)
        }

        // One branch-free pass over the levels per owned node. A node has a slot at an entry
        // whose repetition level is at most the one its slots repeat at and whose definition
        // level reaches the one its slots exist from; the slot is valid from `validFrom`.
        let owned = path.count - ownedStart
        var lanes: [Built] = []
        let words = (entries >> 6) &+ 1
        let bitmap = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: entries &+ 1)
        defer { bitmap.deallocate(); offsets.deallocate() }
        var leafBitmap: [UInt64] = []
        column.definitionLevels.withUnsafeBufferPointer { defs in
            column.repetitionLevels.withUnsafeBufferPointer { reps in
                for k in 0..<owned {
                    let node = plan.nodes[path[ownedStart &+ k]]
                    let isList = node.kind == .list || node.kind == .map
                    let child = isList ? plan.nodes[path[ownedStart &+ k &+ 1]] : node
                    let lane = Lane(slotRepetition: node.slotRepetition, slotDefinition: node.slotDefinition,
                                    validFrom: node.validFrom, childRepetition: child.slotRepetition,
                                    childDefinition: child.slotDefinition)
                    var result: (slots: Int, nulls: Int)
                    bitmap.initialize(repeating: 0, count: words)
                    if maxDef == 0 {
                        result = (entries, 0)  // no levels: one valid slot per value, no lists
                    } else if let d = defs.baseAddress, maxRep > 0, let r = reps.baseAddress {
                        result = isList ? pass(d, r, entries, lane, hasReps: true, offsets: offsets, bitmap: bitmap)
                                        : pass(d, r, entries, lane, hasReps: true, offsets: nil, bitmap: bitmap)
                    } else if let d = defs.baseAddress {
                        result = pass(d, d, entries, lane, hasReps: false, offsets: nil, bitmap: bitmap)
                    } else {
                        result = (0, 0)
                    }
                    var b = Built()
                    b.length = result.slots
                    b.nullCount = result.nulls
                    if result.nulls > 0 {
                        b.validity = [UInt8](unsafeUninitializedCapacity: (result.slots &+ 7) >> 3) { out, n in
                            for i in out.indices { out[i] = UInt8(truncatingIfNeeded: bitmap[i >> 3] >> UInt64((i & 7) << 3)) }
                            n = out.count
                        }
                        if k == owned - 1 { leafBitmap = Array(UnsafeBufferPointer(start: bitmap, count: (result.slots >> 6) &+ 1)) }
                    }
                    if isList { b.offsets = Array(UnsafeBufferPointer(start: offsets, count: result.slots &+ 1)) }
                    lanes.append(b)
                }
            }
        }
        // A list's last offset is its child's slot count; sibling leaves must agree on the
        // slots of the node they share.
        for k in 0..<owned where !lanes[k].offsets.isEmpty {
            guard k &+ 1 < owned, lanes[k].offsets.last == Int32(truncatingIfNeeded: lanes[k &+ 1].length) else {
                throw FloeError(.corrupt, "a list's offsets do not end at its elements' count", at: at)
            }
        }
        if ownedStart > 0 {
            let parent = path[ownedStart - 1]
            let expected = plan.nodes[parent].kind == .structure ? built[parent].length : Int(built[parent].offsets.last ?? 0)
            guard lanes[0].length == expected else {
                throw FloeError(.corrupt, "leaf has \(lanes[0].length) slots where its sibling leaves have \(expected)", at: at)
            }
        }
        for k in 0..<owned { built[path[ownedStart &+ k]] = lanes[k] }
        let leafLane = lanes[owned - 1]
        built[leafNode].values = leafLane.nullCount == 0
            ? column.values
            : leafBitmap.withUnsafeBufferPointer { scatter(column.values, bitmap: $0, slots: leafLane.length) }
    }

    /// The thresholds of one node.
    struct Lane {
        var slotRepetition: Int
        var slotDefinition: Int
        var validFrom: Int
        var childRepetition: Int
        var childDefinition: Int
    }

    /// 1 when `a <= b`, else 0, without a branch (levels are small, so `b - a` cannot overflow).
    @inline(__always)
    static func atMost(_ a: Int, _ b: Int) -> Int { ((b &- a) &>> 63) &+ 1 }

    /// One node's slots over all entries: sets a validity bit per valid slot in `bitmap` and,
    /// for lists, writes the child's slot count before each slot to `offsets` (and after the
    /// last). Branch-free per entry; `offsets` holds `entries + 1` and `bitmap` `entries/64 + 1`.
    @inline(__always)
    static func pass(_ defs: UnsafePointer<UInt8>, _ reps: UnsafePointer<UInt8>, _ entries: Int, _ lane: Lane,
                     hasReps: Bool, offsets: UnsafeMutablePointer<Int32>?, bitmap: UnsafeMutablePointer<UInt64>) -> (slots: Int, nulls: Int) {
        var s = 0, child = 0, nulls = 0
        var word: UInt64 = 0
        for j in 0..<entries {
            let d = Int(defs[j])
            let r = hasReps ? Int(reps[j]) : 0
            let cond = atMost(r, lane.slotRepetition) & atMost(lane.slotDefinition, d)
            let valid = cond & atMost(lane.validFrom, d)
            if let offsets {
                offsets[s] = Int32(truncatingIfNeeded: child)
                child &+= atMost(r, lane.childRepetition) & atMost(lane.childDefinition, d)
            }
            word |= UInt64(truncatingIfNeeded: valid) &<< UInt64(truncatingIfNeeded: s & 63)
            bitmap[s &>> 6] = word
            nulls &+= cond &- valid
            s &+= cond
            // A new word starts when a slot was added at a multiple of 64.
            let reset = cond & atMost(s & 63, 0)
            word &= UInt64(bitPattern: Int64(reset &- 1))
        }
        offsets?[s] = Int32(truncatingIfNeeded: child)
        return (s, nulls)
    }

    /// Checks every entry's levels (in range; a repetition continues a list that has an
    /// element, with an element) and returns the number of values present.
    static func check(_ column: ColumnData, entries: Int, maxDef: Int, maxRep: Int, elementFor: [Int],
                      at: Location) throws(FloeError) -> Int {
        if maxDef == 0 { return entries }
        var present = 0, bad = 0
        // The definition level from which the list continued by each repetition level has an
        // element: -1 for level 0 (no condition), out of reach above the maximum.
        var element = [Int](repeating: Int(UInt8.max) &+ 1, count: 256)
        element[0] = -1
        for r in 1..<Swift.min(elementFor.count, 256) { element[r] = elementFor[r] }
        column.definitionLevels.withUnsafeBufferPointer { defs in
            column.repetitionLevels.withUnsafeBufferPointer { reps in
                element.withUnsafeBufferPointer { e in
                    guard let d0 = defs.baseAddress, let e0 = e.baseAddress else { return }
                    var previous = -1
                    if maxRep > 0, let r0 = reps.baseAddress {
                        for j in 0..<entries {
                            let d = Int(d0[j])
                            let need = e0[Int(r0[j])]
                            bad |= (1 &- atMost(need, previous)) | (1 &- atMost(need, d)) | (1 &- atMost(d, maxDef))
                            present &+= 1 &- atMost(d &+ 1, maxDef)
                            previous = d
                        }
                    } else {
                        for j in 0..<entries {
                            let d = Int(d0[j])
                            bad |= 1 &- atMost(d, maxDef)
                            present &+= 1 &- atMost(d &+ 1, maxDef)
                        }
                    }
                }
            }
        }
        guard bad != 0 else { return present }
        // Find the first bad entry for the message.
        var previous = -1
        for j in 0..<entries {
            let d = Int(column.definitionLevels[j])
            let r = maxRep > 0 ? Int(column.repetitionLevels[j]) : 0
            guard d <= maxDef, r <= maxRep else {
                throw FloeError(.corrupt, "entry \(j) has levels (definition \(d), repetition \(r)) above the maximum (\(maxDef), \(maxRep))", at: at)
            }
            if r > 0, previous < elementFor[r] || d < elementFor[r] {
                throw FloeError(.corrupt, "entry \(j) continues a list at repetition level \(r) that has no element", at: at)
            }
            previous = d
        }
        throw FloeError(.corrupt, "inconsistent levels", at: at)
    }

    // MARK: - Slot-aligned leaf values

    /// Spreads the dense values over `slots` slots, the valid ones per the bitmap (64 slots a
    /// word, which marks exactly `values.count` slots valid).
    static func scatter(_ values: PhysicalValues, bitmap: UnsafeBufferPointer<UInt64>, slots: Int) -> PhysicalValues {
        switch values {
        case .boolean(let v): return .boolean(scatter(v, zero: false, bitmap: bitmap, slots: slots))
        case .int32(let v): return .int32(scatter(v, zero: 0, bitmap: bitmap, slots: slots))
        case .int64(let v): return .int64(scatter(v, zero: 0, bitmap: bitmap, slots: slots))
        case .float(let v): return .float(scatter(v, zero: 0, bitmap: bitmap, slots: slots))
        case .double(let v): return .double(scatter(v, zero: 0, bitmap: bitmap, slots: slots))
        case .byteArray(let v):
            let offsets = v.offsets.withUnsafeBufferPointer { dense in
                [Int](unsafeUninitializedCapacity: slots + 1) { out, initialized in
                    guard let o = out.baseAddress, let src = dense.baseAddress, let bits = bitmap.baseAddress,
                          slots >> 6 < bitmap.count else { return }
                    var k = 0
                    o[0] = src[0]
                    for s in 0..<slots {
                        k &+= Int(truncatingIfNeeded: (bits[s &>> 6] &>> UInt64(truncatingIfNeeded: s & 63)) & 1)
                        o[s &+ 1] = src[k]
                    }
                    initialized = slots + 1
                }
            }
            return .byteArray(BinaryValues(offsets: offsets, bytes: v.bytes))
        case .int96(let v): return .int96(scatter(v, bitmap: bitmap, slots: slots))
        case .fixedLenByteArray(let v): return .fixedLenByteArray(scatter(v, bitmap: bitmap, slots: slots))
        }
    }

    static func scatter<T: BitwiseCopyable>(_ dense: [T], zero: T, bitmap: UnsafeBufferPointer<UInt64>, slots: Int) -> [T] {
        dense.withUnsafeBufferPointer { src in
            [T](unsafeUninitializedCapacity: slots) { out, initialized in
                guard let o = out.baseAddress, let bits = bitmap.baseAddress, slots >> 6 < bitmap.count else { return }
                guard let v = src.baseAddress, src.count > 0 else {
                    o.initialize(repeating: zero, count: slots)
                    initialized = slots
                    return
                }
                let last = src.count &- 1
                var k = 0
                for s in 0..<slots {
                    let bit = Int(truncatingIfNeeded: (bits[s &>> 6] &>> UInt64(truncatingIfNeeded: s & 63)) & 1)
                    let x = v[Swift.min(k, last)]
                    o[s] = bit != 0 ? x : zero
                    k &+= bit
                }
                initialized = slots
            }
        }
    }

    static func scatter(_ dense: FixedWidthValues, bitmap: UnsafeBufferPointer<UInt64>, slots: Int) -> FixedWidthValues {
        let w = dense.width
        var out = [UInt8](repeating: 0, count: slots &* w)
        guard w > 0, slots >> 6 < bitmap.count else { return FixedWidthValues(width: w, bytes: out) }
        dense.bytes.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                guard let s0 = src.baseAddress, let d0 = dst.baseAddress else { return }
                var k = 0
                for s in 0..<slots where (bitmap[s &>> 6] &>> UInt64(truncatingIfNeeded: s & 63)) & 1 != 0 {
                    (d0 + s &* w).copyMemory(from: s0 + k &* w, byteCount: w)
                    k &+= 1
                }
            }
        }
        return FixedWidthValues(width: w, bytes: out)
    }
}

// MARK: - The plan: the shape flattened into a node table

extension NestedAssembly {
    struct PlanNode {
        enum Kind { case primitive, structure, list, map }
        var kind: Kind
        var parent: Int
        var children: [Int] = []
        var names: [String] = []
        var leaf = -1
        /// The definition level from which a slot is valid.
        var validFrom: Int
        /// Lists and maps: the definition level from which an element exists, and the
        /// repetition level that continues the list.
        var elementDefinition = 0
        var repetition = 0
        /// The definition level from which this node has a slot, and the repetition level at
        /// or below which an entry opens a new slot.
        var slotDefinition: Int
        var slotRepetition: Int
        var firstLeaf: Int
        var hasValues = true
    }

    /// A node's buffers once walked.
    struct Built {
        var length = 0
        var nullCount = 0
        var validity: [UInt8]?
        var offsets: [Int32] = []
        var values: PhysicalValues = .boolean([])
    }

    struct Plan {
        var nodes: [PlanNode] = []

        mutating func add(_ shape: LogicalShape, parent: Int, slotDefinition: Int, slotRepetition: Int) -> Int {
            let levels = shape.levels
            let id = nodes.count
            var node = PlanNode(kind: .primitive, parent: parent, validFrom: levels.definition,
                                slotDefinition: slotDefinition, slotRepetition: slotRepetition,
                                firstLeaf: levels.leaves.first ?? -1)
            nodes.append(node)
            switch shape {
            case .primitive(let leaf, _):
                node.leaf = leaf
            case .structure(let fields, _):
                node.kind = .structure
                for f in fields {
                    node.names.append(f.name)
                    node.children.append(add(f.shape, parent: id, slotDefinition: slotDefinition, slotRepetition: slotRepetition))
                }
            case .list(let element, _):
                node.kind = .list
                node.elementDefinition = levels.elementDefinition
                node.repetition = levels.repetition
                node.children = [add(element, parent: id, slotDefinition: levels.elementDefinition, slotRepetition: levels.repetition)]
            case .map(let key, let value, _):
                node.kind = .map
                node.elementDefinition = levels.elementDefinition
                node.repetition = levels.repetition
                node.children = [add(key, parent: id, slotDefinition: levels.elementDefinition, slotRepetition: levels.repetition)]
                if let value {
                    node.children.append(add(value, parent: id, slotDefinition: levels.elementDefinition,
                                             slotRepetition: levels.repetition))
                } else {
                    node.hasValues = false
                }
            }
            nodes[id] = node
            return id
        }

        /// The node ids from the field's root down to the primitive node of `leaf`.
        func path(toLeaf leaf: Int) -> [Int] {
            guard let target = nodes.firstIndex(where: { $0.kind == .primitive && $0.leaf == leaf }) else { return [] }
            var out = [target]
            var p = nodes[target].parent
            while p >= 0 { out.append(p); p = nodes[p].parent }
            return out.reversed()
        }

        /// Moves the built buffers into the ``NestedArray`` tree of node `id`.
        func array(_ id: Int, built: inout [Built]) -> NestedArray {
            let node = nodes[id]
            var b = Built()
            swap(&b, &built[id])
            let content: NestedArray.Node
            switch node.kind {
            case .primitive:
                content = .primitive(leaf: node.leaf, values: b.values)
            case .structure:
                content = .structure(fields: zip(node.names, node.children).map { NestedField(name: $0, array: array($1, built: &built)) })
            case .list:
                content = .list(offsets: b.offsets, element: array(node.children[0], built: &built))
            case .map:
                content = .map(offsets: b.offsets, keys: array(node.children[0], built: &built),
                               values: node.hasValues ? array(node.children[1], built: &built) : nil)
            }
            return NestedArray(length: b.length, nullCount: b.nullCount, validity: b.validity, node: content)
        }
    }
}
