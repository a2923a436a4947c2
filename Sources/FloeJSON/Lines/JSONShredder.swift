import FloeCore
import FloeFormat
import FloeColumns

/// Shreds JSON records (one object per line) into the leaf columns of a ``Schema`` —
/// values plus definition and repetition levels exactly as the Dremel encoding of the Parquet
/// spec prescribes — ready for the Parquet writer.
///
/// ```swift
/// var shredder = try JSONShredder(schema: schema)
/// try shredder.append(line: bytes, lineNumber: 1)
/// let columns = shredder.take()   // one ColumnData per schema leaf, in leaf order
/// ```
///
/// Conversions (a value that does not convert makes ``append(_:line:)`` throw):
/// - BOOLEAN ← `true`/`false`. Integer columns ← JSON integers in range (and doubles with an
///   integral value, such as `3.0`). FLOAT/DOUBLE ← any number (integers widened).
/// - STRING/ENUM/binary ← a JSON string's decoded text; any other value is stored as its JSON
///   text exactly as written in the line. JSON-annotated columns store every value's JSON text.
/// - TIMESTAMP ← RFC 3339 strings (an offset-less one is read as UTC, a date alone as midnight
///   UTC); numbers are refused (epoch units are ambiguous). DATE ← `"YYYY-MM-DD"`.
/// - DECIMAL ← numbers (or strings holding a number), converted exactly from their digits; a
///   value with nonzero digits beyond the scale, or more digits than the precision, is refused.
/// - UUID ← the canonical 8-4-4-4-12 hex string.
/// - STRUCT ← objects; LIST ← arrays; MAP ← objects (keys converted like leaf values).
///
/// Keys: a key absent from a record gives null; keys not in the schema are ignored (or refused
/// with ``Options/rejectUnknownKeys``); when an object repeats a key, the last occurrence wins
/// (for structs and maps alike). With ``Options/caseInsensitiveKeys`` struct keys match
/// without regard to ASCII case, as Hive's JSON SerDe does.
///
/// Appending is atomic: a record that fails leaves every buffer as it was.
public struct JSONShredder: Sendable {
    /// Shredding options.
    public struct Options: Sendable, Equatable {
        /// Match struct keys without regard to ASCII case (Hive SerDe behaviour).
        public var caseInsensitiveKeys: Bool = false
        /// Refuse records with keys that the schema does not name (instead of ignoring them).
        public var rejectUnknownKeys: Bool = false
        /// The nesting limit of ``JSONShredder/append(line:lineNumber:isFirstLine:)``.
        public var maxDepth: Int = 128
        /// Shred common records straight from their bytes (``JSONShredder/appendDirect(line:isFirstLine:)``)
        /// before scanning them to a tape. The output is the same either way; off, every line
        /// takes the tape path (for comparisons).
        public var directParsing: Bool = true
        public init() {}
    }

    /// The schema being filled.
    public let schema: Schema
    /// The options in force.
    public let options: Options
    /// The compiled schema (immutable, shared by copies).
    let program: ShredProgram
    /// The column buffers (copied on write).
    var store: LeafStore
    var scratch = ShredScratch()
    private var scanner: JSONLineScanner
    private var ownTape = JSONTape()
    /// The records appended since the last ``take()``.
    public private(set) var rowCount = 0
    /// Under a watched inference (``init(schema:options:watching:)``): whether the last record
    /// appended may add to what that inference has seen — a key the schema does not name, a
    /// key given twice, or a value of a kind the inference had not seen at its field (such
    /// as a double in an INT64 field, or a timestamp string that the inference would not call
    /// one). When false, observing the record could not change the inferred schema. Without
    /// a watched inference only unknown or repeated keys make a record novel.
    public private(set) var lastRecordIsNovel = false

    /// Prepares to shred records of `schema`. Throws for shapes or types it cannot fill
    /// (malformed LIST/MAP groups, INT96, FLOAT16, TIME, INTERVAL columns; duplicate field
    /// names, also when they differ only in case under ``Options/caseInsensitiveKeys``).
    ///
    /// With `watching`, the inference the schema was resolved from, each append also tells
    /// whether the record is novel to that inference (``lastRecordIsNovel``): a conversion
    /// under a sampled schema then observes only the novel records.
    public init(schema: Schema, options: Options = Options(), watching inference: SchemaInference? = nil) throws(FloeError) {
        self.schema = schema
        self.options = options
        let (nodes, slotCount, keys) = try ShredPlanBuilder.build(schema, caseInsensitive: options.caseInsensitiveKeys)
        let quiet = inference?.quietKinds(plan: nodes, keys: keys)
        self.program = ShredProgram(nodes: nodes, leafCount: schema.leaves.count, keys: keys, quiet: quiet)
        self.store = LeafStore(descriptors: schema.leaves, slotCount: slotCount)
        self.scanner = JSONLineScanner(maxDepth: options.maxDepth)
    }

    /// The approximate memory held by the buffered columns, in bytes.
    public var estimatedBytes: Int {
        var total = 0
        for i in 0..<store.count { total += store.leaves[i].estimatedBytes }
        return total
    }

    /// Parses and appends one line (without its newline). Blank lines are the caller's to skip.
    public mutating func append(line: UnsafeRawBufferPointer, lineNumber: Int, isFirstLine: Bool = false) throws(FloeError) {
        if appendDirect(line: line, isFirstLine: isFirstLine) { return }
        var tape = JSONTape()
        swap(&tape, &ownTape)
        defer { swap(&tape, &ownTape) }
        try scanner.scan(line, lineNumber: lineNumber, isFirstLine: isFirstLine, into: &tape)
        try append(tape, line: line)
    }

    /// Appends the record of `line` in one pass over its bytes, without a tape, when it takes
    /// only the common paths (see ``ShredWalker/direct(_:start:maxDepth:)``); returns false,
    /// with nothing appended, for any other line, which then needs a scan to a tape and
    /// ``append(_:line:)`` (to be converted, or refused with its error).
    public mutating func appendDirect(line: UnsafeRawBufferPointer, isFirstLine: Bool = false) -> Bool {
        guard options.directParsing, let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self),
              line.count > 0, line.count < Int(UInt32.max) else { return false }
        if !isKnownUniquelyReferenced(&store) { store = store.copy() }
        store.markRepeated()
        store.unseen.pointee = 0
        var walker = ShredWalker(program: program, store: store, base: base,
                                 rejectUnknownKeys: options.rejectUnknownKeys, scratch: ShredScratch())
        // Never deeper than the tape path's scanners allow (the converter's scan to 128 levels).
        let depth = min(options.maxDepth, JSONShredder.directDepthLimit)
        guard walker.direct(line.count, start: isFirstLine && JSONLineScanner.hasBOM(line) ? 3 : 0, maxDepth: depth) else {
            store.rollBack(rows: rowCount)
            return false
        }
        lastRecordIsNovel = store.unseen.pointee != 0
        rowCount += 1
        return true
    }

    /// The deepest nesting ``appendDirect(line:isFirstLine:)`` takes (the default scanner's).
    static let directDepthLimit = 128

    /// Appends the record of a scanned line: `tape` from ``JSONLineScanner`` and the same
    /// `line` bytes it scanned. On error nothing is appended.
    public mutating func append(_ tape: JSONTape, line: UnsafeRawBufferPointer) throws(FloeError) {
        let lineNumber = tape.lineNumber
        guard tape.count > 0 else {
            throw FloeError(.corrupt, "empty tape (the line was not scanned)", at: Location(line: lineNumber))
        }
        let first = tape[0]
        guard first.kind == .objectStart else {
            throw FloeError(.corrupt, "expected a JSON object, found \(JSONShredder.describe(first.kind))",
                            at: Location(line: lineNumber, byteColumn: first.column))
        }
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self), Int(first.end) <= line.count,
              first.partner == tape.count - 1 else {
            throw FloeError(.invalidArgument, "the tape does not belong to this line", at: Location(line: lineNumber))
        }
        if !isKnownUniquelyReferenced(&store) { store = store.copy() }
        store.markRepeated()
        store.unseen.pointee = 0
        // The scratch buffers move into the walker and back (no reference counting per line).
        var walker = ShredWalker(program: program, store: store, base: base,
                                 rejectUnknownKeys: options.rejectUnknownKeys, scratch: ShredScratch())
        swap(&walker.scratch, &scratch)
        // The error, if any, is kept aside rather than carried out of the closure in a `Result`
        // (which costs a copy of the whole error value on every line).
        var failure: FloeError?
        tape.storage.withUnsafeBufferPointer { (tokens: UnsafeBufferPointer<JSONToken>) in
            walker.tokens = tokens
            do throws(FloeError) {
                try walker.structure(0, 0, rep: 0)
            } catch {
                failure = error
            }
        }
        swap(&walker.scratch, &scratch)
        lastRecordIsNovel = store.unseen.pointee != 0
        if let failure {
            store.rollBack(rows: rowCount)
            throw failure.at(Location(line: lineNumber))
        }
        rowCount += 1
    }

    /// Hands out the buffered columns (one per schema leaf, in leaf order) and starts over.
    public mutating func take() -> [ColumnData] {
        if !isKnownUniquelyReferenced(&store) { store = store.copy() }
        let leaves = store.leaves
        let out = (0..<store.count).map { leaves[$0].take() }
        rowCount = 0
        return out
    }

    /// "an object", "a string", … for messages.
    static func describe(_ kind: JSONToken.Kind) -> String {
        switch kind {
        case .objectStart, .objectEnd: return "an object"
        case .arrayStart, .arrayEnd: return "an array"
        case .key, .string: return "a string"
        case .int, .double: return "a number"
        case .true, .false: return "a boolean"
        case .null: return "null"
        }
    }
}

/// A small, trivially copyable plan node for the hot loop (levels fit a byte: the schema
/// nests at most 200 deep).
struct PlanEntry: Sendable {
    /// Leaves whose common values the walker converts inline.
    enum Fast: UInt8, Sendable { case other, text, int64, double, boolean, timestampMicros }

    var kind: ShredNode.Kind
    var fast: Fast
    var nullable: Bool
    var def8: UInt8
    var entryDef8: UInt8
    var repLevel8: UInt8
    var firstLeaf32: Int32
    var endLeaf32: Int32
    var childStart32: Int32
    var childCount32: Int32
    var firstEntry32: Int32
    var slotBase32: Int32
    /// The ``QuietKinds`` of the node.
    var quiet: UInt16

    init(_ node: ShredNode, childStart: Int, quiet: QuietKinds) {
        self.quiet = quiet.rawValue
        kind = node.kind
        fast = .other
        if node.kind == .leaf {
            switch node.conversion {
            case .text: fast = .text
            case .int64: fast = .int64
            case .double: fast = .double
            case .boolean: fast = .boolean
            case .timestamp(.micros): fast = .timestampMicros
            default: fast = .other
            }
        }
        nullable = node.nullable
        def8 = UInt8(truncatingIfNeeded: node.def)
        entryDef8 = UInt8(truncatingIfNeeded: node.entryDef)
        repLevel8 = UInt8(truncatingIfNeeded: node.repLevel)
        firstLeaf32 = Int32(truncatingIfNeeded: node.firstLeaf)
        endLeaf32 = Int32(truncatingIfNeeded: node.endLeaf)
        childStart32 = Int32(truncatingIfNeeded: childStart)
        childCount32 = Int32(truncatingIfNeeded: node.children.count)
        firstEntry32 = Int32(truncatingIfNeeded: node.firstEntry)
        slotBase32 = Int32(truncatingIfNeeded: node.slotBase)
    }

    /// The definition level when the value is present.
    @inline(__always) var def: Int { Int(def8) }
    /// Lists and maps: the definition level when an entry exists.
    @inline(__always) var entryDef: Int { Int(entryDef8) }
    /// Lists and maps: the repetition level of entries after the first.
    @inline(__always) var repLevel: Int { Int(repLevel8) }
    @inline(__always) var firstLeaf: Int { Int(firstLeaf32) }
    @inline(__always) var endLeaf: Int { Int(endLeaf32) }
    @inline(__always) var childStart: Int { Int(childStart32) }
    @inline(__always) var childCount: Int { Int(childCount32) }
    /// Structs: the key directory entry of the first child.
    @inline(__always) var firstEntry: Int { Int(firstEntry32) }
    @inline(__always) var slotBase: Int { Int(slotBase32) }
}

/// The compiled schema in raw buffers, read by the walker without any reference counting.
final class ShredProgram: @unchecked Sendable {
    let plan: UnsafeMutableBufferPointer<PlanEntry>
    let children: UnsafeMutableBufferPointer<Int32>
    /// The conversion of each leaf.
    let conversions: UnsafeMutableBufferPointer<LeafConversion>
    let keyBytes: UnsafeMutableBufferPointer<UInt8>
    let keyEntries: UnsafeMutableBufferPointer<KeyDirectory.Entry>
    let keySlots: UnsafeMutableBufferPointer<Int32>
    /// Per key entry: whether its bytes are printable ASCII without a quote or a backslash, so
    /// that a line holding those bytes between quotes holds exactly that key, unescaped (the
    /// one-pass path then skips the key's scan).
    let plainKeys: UnsafeMutableBufferPointer<Bool>
    let caseInsensitive: Bool
    /// The dotted path of each node, for messages.
    let paths: [String]

    init(nodes: [ShredNode], leafCount: Int, keys: KeyDirectory, quiet: [QuietKinds]? = nil) {
        var plan: [PlanEntry] = []
        var children: [Int32] = []
        var paths: [String] = []
        var conversions = [LeafConversion](repeating: .text, count: leafCount)
        for (i, node) in nodes.enumerated() {
            plan.append(PlanEntry(node, childStart: children.count, quiet: quiet?[i] ?? .all))
            children.append(contentsOf: node.children.map { Int32(truncatingIfNeeded: $0) })
            paths.append(node.path)
            if node.kind == .leaf { conversions[node.firstLeaf] = node.conversion }
        }
        self.plan = ShredProgram.copy(plan)
        self.children = ShredProgram.copy(children)
        self.conversions = ShredProgram.copy(conversions)
        self.keyBytes = ShredProgram.copy(keys.bytes)
        self.keyEntries = ShredProgram.copy(keys.entries)
        self.keySlots = ShredProgram.copy(keys.slotArray)
        self.plainKeys = ShredProgram.copy(keys.entries.indices.map { e in
            keys.key(e).allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        })
        self.caseInsensitive = keys.caseInsensitive
        self.paths = paths
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }

    /// The key lookup view.
    var keys: KeyDirectory.View {
        KeyDirectory.View(bytes: UnsafeBufferPointer(keyBytes), entries: UnsafeBufferPointer(keyEntries),
                          slots: UnsafeBufferPointer(keySlots), caseInsensitive: caseInsensitive)
    }

    deinit {
        for buffer in [UnsafeMutableRawPointer(plan.baseAddress), UnsafeMutableRawPointer(children.baseAddress),
                       UnsafeMutableRawPointer(conversions.baseAddress), UnsafeMutableRawPointer(keyBytes.baseAddress),
                       UnsafeMutableRawPointer(keyEntries.baseAddress), UnsafeMutableRawPointer(keySlots.baseAddress),
                       UnsafeMutableRawPointer(plainKeys.baseAddress)] {
            buffer?.deallocate()
        }
    }
}

/// Reusable scratch space of the walker.
struct ShredScratch: Sendable {
    /// Decoded keys and strings.
    var bytes: [UInt8] = []
    var other: [UInt8] = []
    /// Map members being shredded (key token indices), as a stack across nested maps.
    var members: [Int32] = []
}
