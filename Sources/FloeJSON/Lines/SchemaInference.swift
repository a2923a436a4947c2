import FloeCore
import FloeFormat
import FloeColumns

/// Infers a Parquet schema from parsed JSON lines.
///
/// Feed every line to consider (all of a file, or a sample: the caller decides how many) with
/// ``add(_:line:)``, then ask for ``schema()``. The rules:
///
/// - `true`/`false` → BOOLEAN; integers → INT64; any double in a field → DOUBLE (integers
///   widened); strings → STRING, or TIMESTAMP(MICROS, UTC) when every string of the field is an
///   RFC 3339 timestamp with an offset or `Z` and no nonzero digit beyond microseconds.
/// - Objects → STRUCT with fields in first-seen order, names exactly as written. An object
///   with more than ``Options/maxStructFields`` distinct keys over the input, or whose keys
///   mostly look like data rather than names (see ``looksUnstable(_:)``), → MAP<STRING, value>
///   with the widened type of all its values. An object that is always empty → MAP<STRING,
///   STRING>. The top-level object is always a STRUCT.
/// - Arrays → LIST (three-level) of the widened element type.
/// - Fields whose values have different kinds (number and string, object and string, …) →
///   STRING; the shredder stores strings as they are and other values as their JSON text, so
///   nothing is lost. Fields that are only ever null, and lists only ever empty → STRING.
/// - Every field is optional.
/// - More than ``Options/maxTopLevelFields`` distinct top-level keys is an error of
///   ``schema()``: records with no common shape (a new key in every line) would make a column
///   per key, and a file whose every row holds a null for every other line's key.
public struct SchemaInference: Sendable {
    /// Tuning of the inference.
    public struct Options: Sendable, Equatable {
        /// An object with more distinct keys than this over the input becomes a MAP.
        public var maxStructFields: Int = 100
        /// More distinct top-level keys than this over the input is an error (the top-level
        /// object cannot become a map); keys past it are not observed.
        public var maxTopLevelFields: Int = 10_000
        /// When true, objects whose keys mostly look like identifiers, numbers, dates or e-mail
        /// addresses become MAPs.
        public var detectUnstableKeys: Bool = true
        /// When false, timestamp strings stay STRING.
        public var inferTimestamps: Bool = true
        public init() {}
    }

    /// The options in force.
    public let options: Options
    var nodes = InferNodes()
    /// Field names: group = object node, value = child node, chained in first-seen order.
    var fields = KeyDirectory()
    private var scratch: [UInt8] = []
    private var dateMemo = DateMemo()
    /// The number of lines added.
    public private(set) var lineCount = 0
    /// The first top-level key met past ``Options/maxTopLevelFields``, and its line when known.
    public private(set) var overflow: (key: String, line: Int?)?
    /// The line being added (for ``overflow``).
    private var currentLine: Int?

    /// Creates an empty inference.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Adds one parsed line (its tape and its bytes). The line must be a JSON object.
    public mutating func add(_ tape: JSONTape, line: UnsafeRawBufferPointer) throws(FloeError) {
        guard tape.count > 0 else {
            throw FloeError(.corrupt, "empty tape (the line was not scanned)", at: Location(line: tape.lineNumber))
        }
        let first = tape[0]
        guard first.kind == .objectStart else {
            throw FloeError(.corrupt, "expected a JSON object, found \(JSONShredder.describe(first.kind))",
                            at: Location(line: tape.lineNumber, byteColumn: first.column))
        }
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self),
              Int(first.end) <= line.count, first.partner == tape.count - 1 else {
            throw FloeError(.invalidArgument, "the tape does not belong to this line", at: Location(line: tape.lineNumber))
        }
        lineCount += 1
        nodes.makeUnique()
        tape.storage.withUnsafeBufferPointer { tokens in
            currentLine = tape.lineNumber
            _ = observe(0, 0, tokens, base, isRoot: true)
        }
    }

    /// Folds the counts of `other` (inferred over other lines) into this inference; fields new
    /// to this one come after its own, in `other`'s order.
    public mutating func merge(_ other: SchemaInference) {
        let shift = Int32(nodes.count)
        let others = other.nodes.array
        for var n in others {
            if n.element >= 0 { n.element += shift }
            if n.mapValue >= 0 { n.mapValue += shift }
            n.firstField = -1
            n.lastField = -1
            nodes.append(n)
        }
        for (i, n) in others.enumerated() {
            var e = Int(n.firstField)
            while e >= 0 {
                let entry = other.fields.entries[e]
                let key = Array(other.fields.key(e))
                addField(Int(shift) + i, key, child: entry.value + shift)
                e = Int(entry.next)
            }
        }
        if overflow == nil, let theirs = other.overflow { overflow = (theirs.key, nil) }  // their lines count from their start
        mergeNode(0, Int(shift), isRoot: true)
        lineCount += other.lineCount
    }

    /// The inferred schema (root group "schema").
    public func schema() throws(FloeError) -> Schema {
        if let overflow {
            let limit = options.maxTopLevelFields
            throw FloeError(.limitExceeded,
                            "the records have more than \(limit) distinct top-level keys (\"\(overflow.key)\" is past that): "
                                + "they share no shape to infer a table from; name the columns with --schema",
                            at: Location(line: overflow.line))
        }
        var copy = self
        let fields = copy.resolveFields(0)
        return try Schema(root: .group("schema", fields))
    }

    // MARK: - Observing

    /// The nodes, for the counter updates of ``observe(_:_:_:_:isRoot:)``: the buffer is unique
    /// (``add(_:line:)`` made it so), and the pointer is fetched again after anything that may
    /// add nodes.
    private var counters: UnsafeMutablePointer<InferNode> {
        @inline(__always) get { nodes.buffer.base }
    }

    private mutating func observe(_ node: Int, _ t: Int, _ tokens: UnsafeBufferPointer<JSONToken>,
                                  _ base: UnsafePointer<UInt8>, isRoot: Bool = false) -> Int {
        let token = tokens[t]
        switch token.kind {
        case .null: counters[node].nulls &+= 1
        case .true, .false: counters[node].bools &+= 1
        case .int: counters[node].ints &+= 1
        case .double: counters[node].doubles &+= 1
        case .string:
            let n = counters + node
            let wasAllTimestamps = n.pointee.timestamps == n.pointee.strings
            n.pointee.strings &+= 1
            if wasAllTimestamps, options.inferTimestamps, !token.hasEscapes,
               let ts = TimestampParser.parse(base + Int(token.start), Int(token.end &- token.start), memo: &dateMemo),
               ts.hasOffset, ts.isExactMicros {
                n.pointee.timestamps &+= 1
            }
        case .objectStart:
            counters[node].objects &+= 1
            if token.count > 0 { counters[node].nonEmptyObjects &+= 1 }
            var i = t + 1
            var predicted = Int(counters[node].firstField)
            while i < tokens.count, tokens[i].kind == .key {
                let key = tokens[i]
                let child: Int
                let mapValue = counters[node].mapValue
                if mapValue >= 0 {
                    child = Int(mapValue)
                } else {
                    let e = fieldEntry(node, key, base, predicted: predicted, isRoot: isRoot)
                    if e < 0 && counters[node].mapValue < 0 {
                        // A top-level key past the limit (see `overflow`): its value is not observed.
                        let value = tokens[i + 1]
                        i = value.kind == .objectStart || value.kind == .arrayStart ? value.partner + 1 : i + 2
                        continue
                    } else if e < 0 {
                        child = Int(counters[node].mapValue)  // the new key turned the object into a map
                    } else {
                        let entry = fields.entries[e]
                        child = Int(entry.value)
                        predicted = Int(entry.next)
                    }
                }
                i = observe(child, i + 1, tokens, base)
            }
            return i + 1
        case .arrayStart:
            counters[node].arrays &+= 1
            var i = t + 1
            if token.count > 0, counters[node].element < 0 {
                let element = Int32(nodes.count)
                nodes.append(InferNode())
                counters[node].element = element
            }
            let element = Int(counters[node].element)
            while i < tokens.count, tokens[i].kind != .arrayEnd { i = observe(element, i, tokens, base) }
            return i + 1
        case .key, .objectEnd, .arrayEnd:
            break  // not reachable for a well-formed tape
        }
        return t + 1
    }

    /// The field entry of a key in an object node, adding the field when new; −1 when adding it
    /// turned the node into a map.
    @inline(__always)
    private mutating func fieldEntry(_ node: Int, _ key: JSONToken, _ base: UnsafePointer<UInt8>,
                                     predicted: Int, isRoot: Bool) -> Int {
        let p = base + Int(key.start)
        let n = Int(key.end &- key.start)
        if !key.hasEscapes {
            if predicted >= 0, fields.matches(predicted, p, n) { return predicted }
            let found = fields.find(group: Int32(truncatingIfNeeded: node), p, n)
            if found >= 0 { return found }
            return addNewField(node, Array(UnsafeBufferPointer(start: p, count: n)), isRoot: isRoot)
        }
        scratch.removeAll(keepingCapacity: true)
        JSONStringDecoding.appendUnescaped(p, n, to: &scratch)
        let found = fields.find(group: Int32(truncatingIfNeeded: node), scratch)
        if found >= 0 { return found }
        return addNewField(node, scratch, isRoot: isRoot)
    }

    private mutating func addNewField(_ node: Int, _ name: [UInt8], isRoot: Bool) -> Int {
        if isRoot, nodes[node].fieldCount >= options.maxTopLevelFields {
            if overflow == nil { overflow = (String(decoding: name, as: UTF8.self), currentLine) }
            return -1
        }
        let child = Int32(nodes.count)
        nodes.append(InferNode())
        let e = addField(node, name, child: child)
        if !isRoot, nodes[node].fieldCount > options.maxStructFields {
            convertToMap(node)
            return -1
        }
        return e
    }

    /// Appends a field to an object node's chain.
    @discardableResult
    private mutating func addField(_ node: Int, _ name: [UInt8], child: Int32) -> Int {
        let e = fields.insert(group: Int32(truncatingIfNeeded: node), name, value: child, after: Int(nodes[node].lastField))
        if nodes[node].firstField < 0 { nodes[node].firstField = Int32(truncatingIfNeeded: e) }
        nodes[node].lastField = Int32(truncatingIfNeeded: e)
        nodes[node].fieldCount += 1
        return e
    }

    /// The child nodes of an object node's fields, in order.
    private func fieldChildren(_ node: Int) -> [(entry: Int, child: Int)] {
        var out: [(Int, Int)] = []
        var e = Int(nodes[node].firstField)
        while e >= 0 {
            out.append((e, Int(fields.entries[e].value)))
            e = Int(fields.entries[e].next)
        }
        return out
    }

    /// Turns an object node into a map: one value node gathering every field's values.
    private mutating func convertToMap(_ node: Int) {
        guard nodes[node].mapValue < 0 else { return }
        let value = nodes.count
        nodes.append(InferNode())
        for (_, child) in fieldChildren(node) { mergeNode(value, child) }
        nodes[node].mapValue = Int32(value)
        nodes[node].firstField = -1
        nodes[node].lastField = -1
        nodes[node].fieldCount = 0
    }

    /// Merges node `b` (and its subtree, which it gives up) into node `a`.
    private mutating func mergeNode(_ a: Int, _ b: Int, isRoot: Bool = false) {
        let other = nodes[b]
        nodes[a].nulls += other.nulls
        nodes[a].bools += other.bools
        nodes[a].ints += other.ints
        nodes[a].doubles += other.doubles
        nodes[a].strings += other.strings
        nodes[a].timestamps += other.timestamps
        nodes[a].objects += other.objects
        nodes[a].nonEmptyObjects += other.nonEmptyObjects
        nodes[a].arrays += other.arrays
        if other.element >= 0 {
            if nodes[a].element < 0 { nodes[a].element = other.element } else { mergeNode(Int(nodes[a].element), Int(other.element)) }
        }
        if other.mapValue >= 0 && nodes[a].mapValue < 0 && !isRoot { convertToMap(a) }
        let children = fieldChildren(b)
        if nodes[a].mapValue >= 0 {
            let value = Int(nodes[a].mapValue)
            for (_, child) in children { mergeNode(value, child) }
            if other.mapValue >= 0 { mergeNode(value, Int(other.mapValue)) }
            return
        }
        for (e, child) in children {
            let name = Array(fields.key(e))
            let existing = fields.find(group: Int32(truncatingIfNeeded: a), name)
            if existing >= 0 {
                mergeNode(Int(fields.entries[existing].value), child)
            } else if isRoot, nodes[a].fieldCount >= options.maxTopLevelFields {
                if overflow == nil { overflow = (String(decoding: name, as: UTF8.self), nil) }
            } else {
                addField(a, name, child: Int32(truncatingIfNeeded: child))
            }
        }
        if !isRoot, nodes[a].fieldCount > options.maxStructFields { convertToMap(a) }
    }

    // MARK: - Resolving

    private mutating func resolveFields(_ node: Int) -> [SchemaNode] {
        var out: [SchemaNode] = []
        for (e, child) in fieldChildren(node) {
            let name = String(decoding: fields.key(e), as: UTF8.self)
            out.append(resolve(child, name: name))
        }
        return out
    }

    private mutating func resolve(_ node: Int, name: String) -> SchemaNode {
        let n = nodes[node]
        let kinds = (n.bools > 0 ? 1 : 0) + (n.ints + n.doubles > 0 ? 1 : 0) + (n.strings > 0 ? 1 : 0)
            + (n.objects > 0 ? 1 : 0) + (n.arrays > 0 ? 1 : 0)
        if kinds != 1 { return SchemaInference.stringLeaf(name) }
        if n.bools > 0 { return .leaf(name, .boolean, .optional) }
        if n.ints + n.doubles > 0 { return .leaf(name, n.doubles > 0 ? .double : .int64, .optional) }
        if n.strings > 0 {
            if n.timestamps == n.strings {
                return .leaf(name, .int64, .optional, logicalType: .timestamp(isAdjustedToUTC: true, unit: .micros))
            }
            return SchemaInference.stringLeaf(name)
        }
        if n.arrays > 0 {
            let element = n.element >= 0 ? resolve(Int(n.element), name: "element") : SchemaInference.stringLeaf("element")
            return SchemaInference.list(name, element: element)
        }
        // Objects.
        if n.nonEmptyObjects == 0 {
            return SchemaInference.map(name, value: SchemaInference.stringLeaf("value"))
        }
        if n.mapValue < 0, options.detectUnstableKeys, n.fieldCount > 0 {
            var unstable = 0
            for (e, _) in fieldChildren(node) where SchemaInference.looksUnstable(fields.key(e)) { unstable += 1 }
            if unstable * 2 > Int(n.fieldCount) { convertToMap(node) }
        }
        if nodes[node].mapValue >= 0 {
            return SchemaInference.map(name, value: resolve(Int(nodes[node].mapValue), name: "value"))
        }
        return .group(name, resolveFields(node), .optional)
    }

    // MARK: - Schema shapes

    /// An optional STRING leaf.
    static func stringLeaf(_ name: String) -> SchemaNode {
        .leaf(name, .byteArray, .optional, logicalType: .string)
    }

    /// `optional group name (LIST) { repeated group list { <element> } }`.
    static func list(_ name: String, element: SchemaNode) -> SchemaNode {
        .group(name, [.group("list", [element], .repeated)], .optional, logicalType: .list)
    }

    /// `optional group name (MAP) { repeated group key_value { required binary key (STRING); <value> } }`.
    static func map(_ name: String, value: SchemaNode) -> SchemaNode {
        .group(name, [.group("key_value", [.leaf("key", .byteArray, .required, logicalType: .string), value], .repeated)],
               .optional, logicalType: .map)
    }

    /// True for a key that looks like data rather than a field name: all digits, a UUID, a hex
    /// string of 16 or more digits, a date (`YYYY-MM-DD…`), or an e-mail address.
    public static func looksUnstable<C: Collection>(_ key: C) -> Bool where C.Element == UInt8 {
        let bytes = Array(key)
        guard !bytes.isEmpty else { return false }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
        if bytes.allSatisfy(isDigit) { return true }
        if bytes.count == 36 {
            var uuid = true
            for (i, c) in bytes.enumerated() {
                let dash = i == 8 || i == 13 || i == 18 || i == 23
                if dash ? c != UInt8(ascii: "-") : !isHex(c) { uuid = false; break }
            }
            if uuid { return true }
        }
        if bytes.count >= 16, bytes.allSatisfy(isHex), bytes.contains(where: isDigit) { return true }
        if bytes.count >= 10, bytes[0..<4].allSatisfy(isDigit), bytes[4] == UInt8(ascii: "-"),
           isDigit(bytes[5]), isDigit(bytes[6]), bytes[7] == UInt8(ascii: "-"), isDigit(bytes[8]), isDigit(bytes[9]) {
            return true
        }
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, bytes[(at + 1)...].contains(UInt8(ascii: ".")) {
            return true
        }
        return false
    }
}

/// The nodes of an inference, copied on write: a growable raw buffer so that observing a line
/// updates counters through a pointer (node indices come from the inference itself, never
/// from input).
struct InferNodes: Sendable {
    private(set) var buffer: InferNodeBuffer

    /// One root node.
    init() {
        buffer = InferNodeBuffer(capacity: 16)
        buffer.append(InferNode())
    }

    var count: Int { buffer.count }

    /// The nodes as an array.
    var array: [InferNode] { Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count)) }

    subscript(i: Int) -> InferNode {
        get { buffer.base[i] }
        set {
            makeUnique()
            buffer.base[i] = newValue
        }
        _modify {
            makeUnique()
            yield &buffer.base[i]
        }
    }

    mutating func append(_ node: InferNode) {
        makeUnique()
        buffer.append(node)
    }

    /// Copies the buffer if it is shared.
    @inline(__always) mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
    }
}

/// The storage of ``InferNodes``.
final class InferNodeBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<InferNode>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    func append(_ node: InferNode) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<InferNode>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: node)
        count += 1
    }

    func copy() -> InferNodeBuffer {
        let c = InferNodeBuffer(capacity: capacity)
        c.base.initialize(from: base, count: count)
        c.count = count
        return c
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

/// What inference has seen of one field (or list element, or map value).
struct InferNode: Sendable {
    var nulls = 0, bools = 0, ints = 0, doubles = 0, strings = 0, timestamps = 0
    var objects = 0, nonEmptyObjects = 0, arrays = 0
    /// Object fields: the first and last entries of the node's chain in the key directory.
    var firstField: Int32 = -1
    var lastField: Int32 = -1
    var fieldCount = 0
    /// The value node once the object is treated as a map.
    var mapValue: Int32 = -1
    /// The element node of arrays.
    var element: Int32 = -1
}
