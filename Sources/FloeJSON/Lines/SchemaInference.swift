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
public struct SchemaInference: Sendable {
    /// Tuning of the inference.
    public struct Options: Sendable, Equatable {
        /// An object with more distinct keys than this over the input becomes a MAP.
        public var maxStructFields: Int = 100
        /// When true, objects whose keys mostly look like identifiers, numbers, dates or e-mail
        /// addresses become MAPs.
        public var detectUnstableKeys: Bool = true
        /// When false, timestamp strings stay STRING.
        public var inferTimestamps: Bool = true
        public init() {}
    }

    /// The options in force.
    public let options: Options
    var nodes: [InferNode] = [InferNode()]
    private var scratch: [UInt8] = []
    /// The number of lines added.
    public private(set) var lineCount = 0

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
              Int(first.end) <= line.count, tape[tape.count - 1].kind == .objectEnd else {
            throw FloeError(.invalidArgument, "the tape does not belong to this line", at: Location(line: tape.lineNumber))
        }
        lineCount += 1
        tape.storage.withUnsafeBufferPointer { tokens in
            _ = observe(0, 0, tokens, base, isRoot: true)
        }
    }

    /// Folds the counts of `other` (inferred over other lines) into this inference; fields new
    /// to this one come after its own, in `other`'s order.
    public mutating func merge(_ other: SchemaInference) {
        let shift = Int32(nodes.count)
        for var n in other.nodes {
            if n.element >= 0 { n.element += shift }
            if n.mapValue >= 0 { n.mapValue += shift }
            for i in n.fields.indices { n.fields[i] += shift }
            nodes.append(n)
        }
        mergeNode(0, Int(shift), isRoot: true)
        lineCount += other.lineCount
    }

    /// The inferred schema (root group "schema").
    public func schema() throws(FloeError) -> Schema {
        var copy = self
        let fields = copy.resolveFields(0)
        return try Schema(root: .group("schema", fields))
    }

    // MARK: - Observing

    private mutating func observe(_ node: Int, _ t: Int, _ tokens: UnsafeBufferPointer<JSONToken>,
                                  _ base: UnsafePointer<UInt8>, isRoot: Bool = false) -> Int {
        let token = tokens[t]
        switch token.kind {
        case .null: nodes[node].nulls += 1
        case .true, .false: nodes[node].bools += 1
        case .int: nodes[node].ints += 1
        case .double: nodes[node].doubles += 1
        case .string:
            let wasAllTimestamps = nodes[node].timestamps == nodes[node].strings
            nodes[node].strings += 1
            if options.inferTimestamps, wasAllTimestamps, !token.hasEscapes,
               let ts = TimestampParser.parse(UnsafeRawBufferPointer(start: base + Int(token.start), count: Int(token.end - token.start))),
               ts.hasOffset, ts.isExactMicros {
                nodes[node].timestamps += 1
            }
        case .objectStart:
            nodes[node].objects += 1
            if token.count > 0 { nodes[node].nonEmptyObjects += 1 }
            var i = t + 1
            var hint = 0
            while i < tokens.count, tokens[i].kind == .key {
                let key = tokens[i]
                let child: Int
                if nodes[node].mapValue >= 0 {
                    child = Int(nodes[node].mapValue)
                } else {
                    let index = fieldIndex(node, key, base, hint: hint, isRoot: isRoot)
                    hint = index + 1
                    child = nodes[node].mapValue >= 0 ? Int(nodes[node].mapValue) : Int(nodes[node].fields[index])
                }
                i = observe(child, i + 1, tokens, base)
            }
            return i + 1
        case .arrayStart:
            nodes[node].arrays += 1
            var i = t + 1
            if token.count > 0, nodes[node].element < 0 {
                nodes[node].element = Int32(nodes.count)
                nodes.append(InferNode())
            }
            let element = Int(nodes[node].element)
            while i < tokens.count, tokens[i].kind != .arrayEnd { i = observe(element, i, tokens, base) }
            return i + 1
        case .key, .objectEnd, .arrayEnd:
            break  // not reachable for a well-formed tape
        }
        return t + 1
    }

    /// The field index of a key in an object node, adding the field when new (which may turn
    /// the node into a map; the caller checks `mapValue` afterwards).
    private mutating func fieldIndex(_ node: Int, _ key: JSONToken, _ base: UnsafePointer<UInt8>,
                                     hint: Int, isRoot: Bool) -> Int {
        let p = base + Int(key.start)
        let n = Int(key.end - key.start)
        if key.hasEscapes {
            scratch.removeAll(keepingCapacity: true)
            JSONStringDecoding.appendUnescaped(p, n, to: &scratch)
            return scratch.withUnsafeBufferPointer { b in
                lookupOrAdd(node, b.baseAddress, b.count, hint: hint, isRoot: isRoot)
            }
        }
        return lookupOrAdd(node, p, n, hint: hint, isRoot: isRoot)
    }

    private mutating func lookupOrAdd(_ node: Int, _ p: UnsafePointer<UInt8>?, _ n: Int, hint: Int, isRoot: Bool) -> Int {
        if hint < nodes[node].keys.count, nodes[node].keys.matches(hint, p, n) { return hint }
        let found = nodes[node].keys.find(p, n)
        if found >= 0 { return found }
        let name = p.map { Array(UnsafeBufferPointer(start: $0, count: n)) } ?? []
        let child = Int32(nodes.count)
        nodes.append(InferNode())
        let (index, _) = nodes[node].keys.insert(name)
        nodes[node].fields.append(child)
        if !isRoot, nodes[node].keys.count > options.maxStructFields { convertToMap(node) }
        return index
    }

    /// Turns an object node into a map: one value node gathering every field's values.
    private mutating func convertToMap(_ node: Int) {
        guard nodes[node].mapValue < 0 else { return }
        let value = nodes.count
        nodes.append(InferNode())
        let fields = nodes[node].fields
        for f in fields { mergeNode(value, Int(f)) }
        nodes[node].mapValue = Int32(value)
        nodes[node].fields = []
        nodes[node].keys = KeyTable()
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
        if nodes[a].mapValue >= 0 {
            let value = Int(nodes[a].mapValue)
            for f in other.fields { mergeNode(value, Int(f)) }
            if other.mapValue >= 0 { mergeNode(value, Int(other.mapValue)) }
            return
        }
        for (k, f) in other.fields.enumerated() {
            let name = Array(other.keys.key(k))
            let existing = nodes[a].keys.find(name)
            if existing >= 0 {
                mergeNode(Int(nodes[a].fields[existing]), Int(f))
            } else {
                nodes[a].keys.insert(name)
                nodes[a].fields.append(f)
            }
        }
        if !isRoot, nodes[a].keys.count > options.maxStructFields { convertToMap(a) }
    }

    // MARK: - Resolving

    private mutating func resolveFields(_ node: Int) -> [SchemaNode] {
        var out: [SchemaNode] = []
        let fields = nodes[node].fields
        for (k, f) in fields.enumerated() {
            let name = String(decoding: nodes[node].keys.key(k), as: UTF8.self)
            out.append(resolve(Int(f), name: name))
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
        if n.mapValue < 0, options.detectUnstableKeys, !n.fields.isEmpty {
            var unstable = 0
            for k in 0..<n.keys.count where SchemaInference.looksUnstable(n.keys.key(k)) { unstable += 1 }
            if unstable * 2 > n.keys.count { convertToMap(node) }
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

/// What inference has seen of one field (or list element, or map value).
struct InferNode: Sendable {
    var nulls = 0, bools = 0, ints = 0, doubles = 0, strings = 0, timestamps = 0
    var objects = 0, nonEmptyObjects = 0, arrays = 0
    /// Object fields in first-seen order (names in `keys`, node indices in `fields`).
    var keys = KeyTable()
    var fields: [Int32] = []
    /// The value node once the object is treated as a map.
    var mapValue: Int32 = -1
    /// The element node of arrays.
    var element: Int32 = -1
}
