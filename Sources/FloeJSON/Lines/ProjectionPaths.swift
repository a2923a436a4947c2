/// The object paths a projected scan reads (`["context", "page", "url"]`), compiled into a tree
/// whose root is the line's top-level object.
///
/// Each distinct path is a *target*: a column of the scan, numbered in the order given. A
/// path may be a prefix of another (`context` and `context.page.url`): its node is then both
/// a target and an inner node.
public struct ProjectionPaths: Sendable, Equatable {
    struct Node: Sendable, Equatable {
        /// The key (UTF-8); empty for the root.
        var name: [UInt8]
        /// `name` lowercased as Swift lowercases strings (for case-variant detection).
        var lowered: String
        var children: [Int] = []
        /// The column of this node's path, or −1.
        var target = -1
        /// The targets at or below this node.
        var subtreeTargets: [Int] = []
    }

    var nodes: [Node]
    /// The target paths, one per column, in column order (duplicates removed).
    public let paths: [[String]]
    /// True when a path component is not plain ASCII.
    public let hasNonASCIIName: Bool

    /// Compiles `paths`; empty paths and repeats are dropped.
    public init(_ paths: [[String]]) {
        var nodes = [Node(name: [], lowered: "")]
        var unique: [[String]] = []
        var nonASCII = false
        for path in paths where !path.isEmpty && !unique.contains(path) {
            unique.append(path)
            var n = 0
            for component in path {
                if component.utf8.contains(where: { $0 >= 0x80 }) { nonASCII = true }
                let name = Array(component.utf8)
                if let c = nodes[n].children.first(where: { nodes[$0].name == name }) {
                    n = c
                } else {
                    nodes.append(Node(name: name, lowered: component.lowercased()))
                    nodes[n].children.append(nodes.count - 1)
                    n = nodes.count - 1
                }
            }
            nodes[n].target = unique.count - 1
        }
        self.paths = unique
        self.hasNonASCIIName = nonASCII
        // Subtree targets, children before parents (children always have larger indices).
        for n in stride(from: nodes.count - 1, through: 0, by: -1) {
            var list: [Int] = nodes[n].target >= 0 ? [nodes[n].target] : []
            for c in nodes[n].children { list.append(contentsOf: nodes[c].subtreeTargets) }
            nodes[n].subtreeTargets = list
        }
        self.nodes = nodes
    }

    /// The number of targets (columns).
    public var columnCount: Int { paths.count }
}

/// The tree of ``ProjectionPaths`` in raw buffers, read by the scanner's hot loop without
/// reference counting. Immutable after creation.
final class ProjectionProgram: @unchecked Sendable {
    let childStart: UnsafeMutableBufferPointer<Int32>
    let childCount: UnsafeMutableBufferPointer<Int32>
    let childList: UnsafeMutableBufferPointer<Int32>
    let nameStart: UnsafeMutableBufferPointer<Int32>
    let nameLength: UnsafeMutableBufferPointer<Int32>
    let nameBytes: UnsafeMutableBufferPointer<UInt8>
    let target: UnsafeMutableBufferPointer<Int32>
    /// Per node: bit `k` set when a child's name is `k` bytes long (bit 63: 63 or more).
    let childLengths: UnsafeMutableBufferPointer<UInt64>

    init(_ paths: ProjectionPaths) {
        var childStart: [Int32] = [], childCount: [Int32] = [], childList: [Int32] = []
        var nameStart: [Int32] = [], nameLength: [Int32] = [], nameBytes: [UInt8] = [], target: [Int32] = []
        for node in paths.nodes {
            childStart.append(Int32(truncatingIfNeeded: childList.count))
            childCount.append(Int32(truncatingIfNeeded: node.children.count))
            childList.append(contentsOf: node.children.map { Int32(truncatingIfNeeded: $0) })
            nameStart.append(Int32(truncatingIfNeeded: nameBytes.count))
            nameLength.append(Int32(truncatingIfNeeded: node.name.count))
            nameBytes.append(contentsOf: node.name)
            target.append(Int32(truncatingIfNeeded: node.target))
        }
        nameBytes.append(0)  // never empty
        let childLengths: [UInt64] = paths.nodes.map { node in
            node.children.reduce(0) { $0 | (1 &<< UInt64(min(63, paths.nodes[$1].name.count))) }
        }
        self.childLengths = ProjectionProgram.copy(childLengths)
        self.childStart = ProjectionProgram.copy(childStart)
        self.childCount = ProjectionProgram.copy(childCount)
        self.childList = ProjectionProgram.copy(childList)
        self.nameStart = ProjectionProgram.copy(nameStart)
        self.nameLength = ProjectionProgram.copy(nameLength)
        self.nameBytes = ProjectionProgram.copy(nameBytes)
        self.target = ProjectionProgram.copy(target)
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }

    /// The child of node `n` named exactly `p[0..<count]`, or −1.
    @inline(__always)
    func child(_ n: Int, _ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        let start = Int(childStart[n])
        let end = start &+ Int(childCount[n])
        var k = start
        while k < end {
            let c = Int(childList[k])
            if Int(nameLength[c]) == count, let names = nameBytes.baseAddress,
               memcmp(names + Int(nameStart[c]), p, count) == 0 {
                return c
            }
            k &+= 1
        }
        return -1
    }

    deinit {
        for buffer in [UnsafeMutableRawPointer(childStart.baseAddress), UnsafeMutableRawPointer(childCount.baseAddress),
                       UnsafeMutableRawPointer(childList.baseAddress), UnsafeMutableRawPointer(nameStart.baseAddress),
                       UnsafeMutableRawPointer(nameLength.baseAddress), UnsafeMutableRawPointer(nameBytes.baseAddress),
                       UnsafeMutableRawPointer(target.baseAddress), UnsafeMutableRawPointer(childLengths.baseAddress)] {
            buffer?.deallocate()
        }
    }
}

/// What a projected scan has seen at each node of its paths: the counts that schema inference
/// keeps, so that the types of the projected columns are exactly those a full inference over
/// the same lines gives.
public struct ProjectionStatistics: Sendable, Equatable {
    struct Counts: Sendable, Equatable {
        var nulls = 0, bools = 0, ints = 0, doubles = 0, strings = 0, timestamps = 0
        var objects = 0, nonEmptyObjects = 0, arrays = 0

        mutating func add(_ o: Counts) {
            nulls += o.nulls; bools += o.bools; ints += o.ints; doubles += o.doubles
            strings += o.strings; timestamps += o.timestamps
            objects += o.objects; nonEmptyObjects += o.nonEmptyObjects; arrays += o.arrays
        }
    }

    /// The distinct keys of an inner node's objects, up to one more than the struct limit.
    struct KeyTally: Sendable, Equatable {
        var keys: [[UInt8]] = []
        /// More distinct keys than ``ProjectionStatistics/maxTrackedKeys``.
        var overflow = false
        var last = -1

        @inline(__always)
        mutating func observe(_ p: UnsafePointer<UInt8>, _ n: Int) {
            if overflow { return }
            let next = last &+ 1
            if next < keys.count, KeyTally.equal(keys[next], p, n) { last = next; return }
            for i in 0..<keys.count where KeyTally.equal(keys[i], p, n) { last = i; return }
            add(Array(UnsafeBufferPointer(start: p, count: n)))
        }

        mutating func add(_ key: [UInt8]) {
            if overflow || keys.contains(key) { return }
            keys.append(key)
            last = keys.count - 1
            if keys.count > ProjectionStatistics.maxTrackedKeys { overflow = true; keys = [] }
        }

        @inline(__always)
        static func equal(_ key: [UInt8], _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
            guard key.count == n else { return false }
            return key.withUnsafeBufferPointer { k in
                guard let b = k.baseAddress else { return n == 0 }
                return memcmp(b, p, n) == 0
            }
        }
    }

    /// More distinct keys than the struct limit of inference (100) make an object a map.
    static let maxTrackedKeys = 100

    var counts: [Counts]
    var keys: [KeyTally]
    /// A key matched a path component only when case is ignored.
    public internal(set) var sawCaseVariant = false
    /// The lines seen.
    public internal(set) var lines = 0

    init(nodeCount: Int) {
        counts = Array(repeating: Counts(), count: nodeCount)
        keys = Array(repeating: KeyTally(), count: nodeCount)
    }

    /// Adds the statistics of other lines (of the same paths).
    public mutating func merge(_ other: ProjectionStatistics) {
        for i in 0..<min(counts.count, other.counts.count) {
            counts[i].add(other.counts[i])
            if other.keys[i].overflow { keys[i].overflow = true; keys[i].keys = [] }
            for k in other.keys[i].keys { keys[i].add(k) }
        }
        sawCaseVariant = sawCaseVariant || other.sawCaseVariant
        lines += other.lines
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
