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
        public init() {}
    }

    /// The schema being filled.
    public let schema: Schema
    /// The options in force.
    public let options: Options
    let plan: [PlanEntry]
    let childIndices: [Int32]
    let keyTables: [KeyTable]
    let paths: [String]
    var buffers: [LeafBuffer]
    var slots: [Int32]
    var marks: [LeafBuffer.Mark]
    var scratch = ShredScratch()
    private var scanner: JSONLineScanner
    private var ownTape = JSONTape()
    /// The records appended since the last ``take()``.
    public private(set) var rowCount = 0

    /// Prepares to shred records of `schema`. Throws for shapes or types it cannot fill
    /// (malformed LIST/MAP groups, INT96, FLOAT16, TIME, INTERVAL columns; duplicate field
    /// names, also when they differ only in case under ``Options/caseInsensitiveKeys``).
    public init(schema: Schema, options: Options = Options()) throws(FloeError) {
        self.schema = schema
        self.options = options
        let (nodes, slotCount) = try ShredPlanBuilder.build(schema, caseInsensitive: options.caseInsensitiveKeys)
        var plan: [PlanEntry] = []
        var children: [Int32] = []
        var tables: [KeyTable] = []
        var paths: [String] = []
        for node in nodes {
            var e = PlanEntry(kind: node.kind, def: node.def, entryDef: node.entryDef, repLevel: node.repLevel,
                              nullable: node.nullable, firstLeaf: node.firstLeaf, endLeaf: node.endLeaf,
                              childStart: children.count, childCount: node.children.count, keyTable: -1,
                              slotBase: node.slotBase, conversion: node.conversion)
            children.append(contentsOf: node.children.map { Int32($0) })
            if node.kind == .structure {
                e.keyTable = tables.count
                tables.append(node.keys)
            }
            plan.append(e)
            paths.append(node.path)
        }
        self.plan = plan
        self.childIndices = children
        self.keyTables = tables
        self.paths = paths
        self.buffers = schema.leaves.map { LeafBuffer(descriptor: $0) }
        self.slots = [Int32](repeating: -1, count: max(1, slotCount))
        self.marks = [LeafBuffer.Mark](repeating: LeafBuffer.Mark(), count: schema.leaves.count)
        self.scanner = JSONLineScanner(maxDepth: options.maxDepth)
    }

    /// The approximate memory held by the buffered columns, in bytes.
    public var estimatedBytes: Int { buffers.reduce(0) { $0 + $1.estimatedBytes } }

    /// Parses and appends one line (without its newline). Blank lines are the caller's to skip.
    public mutating func append(line: UnsafeRawBufferPointer, lineNumber: Int, isFirstLine: Bool = false) throws(FloeError) {
        var tape = JSONTape()
        swap(&tape, &ownTape)
        defer { swap(&tape, &ownTape) }
        try scanner.scan(line, lineNumber: lineNumber, isFirstLine: isFirstLine, into: &tape)
        try append(tape, line: line)
    }

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
        for i in buffers.indices { marks[i] = buffers[i].mark() }
        do {
            try tape.storage.withBuffer { (tokens: UnsafeBufferPointer<JSONToken>) throws(FloeError) in
                try shred(tokens, base, lineNumber: lineNumber)
            }
        } catch {
            for i in buffers.indices { buffers[i].restore(marks[i]) }
            throw error.at(Location(line: lineNumber))
        }
        rowCount += 1
    }

    private mutating func shred(_ tokens: UnsafeBufferPointer<JSONToken>, _ base: UnsafePointer<UInt8>,
                                lineNumber: Int) throws(FloeError) {
        var scratch = ShredScratch()
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }
        let rejectUnknown = options.rejectUnknownKeys
        let paths = self.paths
        try plan.withBuffer { (plan: UnsafeBufferPointer<PlanEntry>) throws(FloeError) in
            try childIndices.withBuffer { (children: UnsafeBufferPointer<Int32>) throws(FloeError) in
                try keyTables.withBuffer { (tables: UnsafeBufferPointer<KeyTable>) throws(FloeError) in
                    try slots.withMutableBuffer { (slots: UnsafeMutableBufferPointer<Int32>) throws(FloeError) in
                        try buffers.withMutableBuffer { (buffers: UnsafeMutableBufferPointer<LeafBuffer>) throws(FloeError) in
                            var walker = ShredWalker(plan: plan, children: children, tables: tables, slots: slots,
                                                     buffers: buffers, tokens: tokens, base: base,
                                                     rejectUnknownKeys: rejectUnknown, scratch: scratch, paths: paths)
                            defer { scratch = walker.scratch }
                            try walker.structure(0, 0, rep: 0)
                        }
                    }
                }
            }
        }
    }

    /// Hands out the buffered columns (one per schema leaf, in leaf order) and starts over.
    public mutating func take() -> [ColumnData] {
        let out = buffers.indices.map { buffers[$0].take() }
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

/// A trivially copyable plan node for the hot loop.
struct PlanEntry: Sendable {
    var kind: ShredNode.Kind
    var def: Int
    var entryDef: Int
    var repLevel: Int
    var nullable: Bool
    var firstLeaf: Int
    var endLeaf: Int
    var childStart: Int
    var childCount: Int
    var keyTable: Int
    var slotBase: Int
    var conversion: LeafConversion
}

/// Reusable scratch space of the walker.
struct ShredScratch: Sendable {
    /// Decoded keys and strings.
    var bytes: [UInt8] = []
    var other: [UInt8] = []
    /// Map members being shredded (key token indices), as a stack across nested maps.
    var members: [Int32] = []
}
