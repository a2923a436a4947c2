import FloeCore
import FloeFormat

/// The kinds of JSON values at one schema node that an inference has already accounted for:
/// observing such a value again could not change the schema it infers.
///
/// A shredder built to watch an inference (``JSONShredder/init(schema:options:watching:)``)
/// carries one set per plan node and flags a record as novel (see
/// ``JSONShredder/lastRecordIsNovel``) as soon as one of its values falls outside its node's
/// set, or it holds a key the schema does not name, or a key twice. Only novel records need
/// to be observed by the inference: the others add nothing the inference's counters would
/// resolve differently.
struct QuietKinds: OptionSet, Sendable {
    let rawValue: UInt16

    static let null = QuietKinds(rawValue: 1 << 0)
    static let boolean = QuietKinds(rawValue: 1 << 1)
    static let integer = QuietKinds(rawValue: 1 << 2)
    static let double = QuietKinds(rawValue: 1 << 3)
    /// Strings (and map keys). At a timestamp leaf the walker also checks that the string is a
    /// timestamp by the inference's rule.
    static let string = QuietKinds(rawValue: 1 << 4)
    static let object = QuietKinds(rawValue: 1 << 5)
    static let emptyObject = QuietKinds(rawValue: 1 << 6)
    static let array = QuietKinds(rawValue: 1 << 7)
    static let emptyArray = QuietKinds(rawValue: 1 << 8)
    /// Not a kind: the walker's mark for a record with an unknown or a repeated key, or a
    /// string at a timestamp leaf that the inference would not take for a timestamp.
    static let otherNovelty = QuietKinds(rawValue: 1 << 15)

    /// Every kind: a node whose inferred type no further value can change (a STRING that
    /// already holds strings or mixed kinds), or a shredder that watches nothing.
    static let all = QuietKinds(rawValue: 0x1FF)

    /// The kind of a token (the start token of a container).
    @inline(__always)
    static func of(_ token: JSONToken) -> UInt16 {
        switch token.kind {
        case .null: return QuietKinds.null.rawValue
        case .true, .false: return QuietKinds.boolean.rawValue
        case .int: return QuietKinds.integer.rawValue
        case .double: return QuietKinds.double.rawValue
        case .string, .key: return QuietKinds.string.rawValue
        case .objectStart: return token.count > 0 ? QuietKinds.object.rawValue : QuietKinds.emptyObject.rawValue
        case .arrayStart: return token.count > 0 ? QuietKinds.array.rawValue : QuietKinds.emptyArray.rawValue
        case .objectEnd, .arrayEnd: return 0
        }
    }
}

extension SchemaInference {
    /// The quiet kinds of every plan node of `schema`'s shredding plan, against what this
    /// inference has seen. Any node the inference cannot be matched with gets only `null`,
    /// so that every value there counts as novel (the safe answer).
    func quietKinds(plan: [ShredNode], keys: KeyDirectory) -> [QuietKinds] {
        var out = [QuietKinds](repeating: .null, count: plan.count)
        guard !plan.isEmpty, plan[0].kind == .structure else { return out }
        assignStruct(plan: 0, infer: 0, plan, keys, &out)
        return out
    }

    private func kindCount(_ n: InferNode) -> Int {
        (n.bools > 0 ? 1 : 0) + (n.ints + n.doubles > 0 ? 1 : 0) + (n.strings > 0 ? 1 : 0)
            + (n.objects > 0 ? 1 : 0) + (n.arrays > 0 ? 1 : 0)
    }

    private func assign(plan p: Int, infer i: Int, _ plan: [ShredNode], _ keys: KeyDirectory, _ out: inout [QuietKinds]) {
        let n = nodes[i]
        let kinds = kindCount(n)
        let node = plan[p]
        if node.kind == .leaf {
            guard kinds > 0 else { return }  // only nulls so far: any value may give the field its type
            let mixed = kinds > 1 || (n.strings > 0 && n.timestamps != n.strings)
            if mixed {
                // A STRING of mixed kinds, or of strings that are not all timestamps, stays a
                // STRING whatever comes next.
                if node.conversion == .text { out[p] = .all }
                return
            }
            if n.bools > 0, node.conversion == .boolean { out[p] = [.null, .boolean] }
            if n.ints + n.doubles > 0 {
                if n.doubles > 0, node.conversion == .double { out[p] = [.null, .integer, .double] }
                if n.doubles == 0, node.conversion == .int64 { out[p] = [.null, .integer] }
            }
            if n.strings > 0, options.inferTimestamps, node.conversion == .timestamp(.micros) { out[p] = [.null, .string] }
            return
        }
        guard kinds == 1 else { return }
        switch node.kind {
        case .structure:
            guard n.objects > 0, n.nonEmptyObjects > 0, n.mapValue < 0 else { return }
            assignStruct(plan: p, infer: i, plan, keys, &out)
        case .list:
            guard n.arrays > 0 else { return }
            out[p] = [.null, .emptyArray]
            if n.element >= 0, let element = node.children.first {
                out[p].insert(.array)
                assign(plan: element, infer: Int(n.element), plan, keys, &out)
            }
        case .map:
            guard n.objects > 0 else { return }
            out[p] = [.null, .emptyObject]
            // A map of the inference's own making takes any key; one whose keys looked
            // unstable resolves from its key set, so a non-empty object there stays novel.
            guard n.mapValue >= 0, node.children.count == 2 else { return }
            out[p].insert(.object)
            out[node.children[0]] = .all
            assign(plan: node.children[1], infer: Int(n.mapValue), plan, keys, &out)
        case .leaf:
            return
        }
    }

    /// A struct node and its fields, matched by name.
    private func assignStruct(plan p: Int, infer i: Int, _ plan: [ShredNode], _ keys: KeyDirectory, _ out: inout [QuietKinds]) {
        out[p] = [.null, .object, .emptyObject]
        let node = plan[p]
        for (ordinal, child) in node.children.enumerated() {
            let name = Array(keys.key(node.firstEntry + ordinal))
            let e = fields.find(group: Int32(truncatingIfNeeded: i), name)
            guard e >= 0 else { continue }
            assign(plan: child, infer: Int(fields.entries[e].value), plan, keys, &out)
        }
    }
}
