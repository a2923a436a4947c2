import FloeCore

/// Finds the value of one top-level key of a JSON-lines record without scanning it to a tape:
/// for routing a record (its partition) before the one-pass shredding, which then checks the
/// whole line. The walk over the other members is a light skip, so this answers only for a
/// record that looks well formed, with the key unescaped and, for a string value, the value
/// unescaped; for anything else it answers nil, and the caller takes the tape path.
public enum TopLevelField {
    /// What a record holds at a key.
    public enum Found: Equatable, Sendable {
        /// The key is absent.
        case absent
        /// The last value at the key: its kind (the start kind of a container) and its text
        /// (a string's content without quotes, a number's or literal's text, a container's text).
        case value(JSONToken.Kind, Range<Int>)
    }

    /// The value of the top-level `key` of `line` (a record of one object), or nil when the
    /// line needs the tape path to tell. The last occurrence of a repeated key counts, unless
    /// `firstOccurrence`: for a key whose repetition the caller's one-pass shredding refuses
    /// anyway (a schema field), the search then stops at the first.
    public static func find(_ line: UnsafeRawBufferPointer, key: [UInt8], isFirstLine: Bool, firstOccurrence: Bool = false) -> Found? {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self), line.count > 0,
              line.count < Int(UInt32.max) else { return nil }
        let length = line.count
        let maxDepth = JSONShredder.directDepthLimit
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: maxDepth + 1) { stack -> Found? in
            guard let stackBase = stack.baseAddress else { return nil }
            var p = ScanKernel.skipWhitespace(base, isFirstLine && JSONLineScanner.hasBOM(line) ? 3 : 0, length)
            guard p < length, base[p] == UInt8(ascii: "{") else { return nil }
            p = ScanKernel.skipWhitespace(base, p &+ 1, length)
            guard p < length else { return nil }
            if base[p] == UInt8(ascii: "}") { return .absent }
            var found = Found.absent
            while true {
                guard p < length, base[p] == UInt8(ascii: "\""),
                      let (close, escaped) = try? SkipKernel.string(base, p &+ 1, length), !escaped else { return nil }
                let isKey = close &- p &- 1 == key.count && key.withUnsafeBufferPointer { k in
                    k.isEmpty || k.baseAddress.map { KeyDirectory.equal(base + (p &+ 1), $0, k.count) } ?? false
                }
                p = ScanKernel.skipWhitespace(base, close &+ 1, length)
                guard p < length, base[p] == UInt8(ascii: ":") else { return nil }
                p = ScanKernel.skipWhitespace(base, p &+ 1, length)
                guard p < length else { return nil }
                let start = p
                let c = base[p]
                let kind: JSONToken.Kind
                let text: Range<Int>
                switch c {
                case UInt8(ascii: "\""):
                    guard let (end, escapedValue) = try? SkipKernel.string(base, p &+ 1, length) else { return nil }
                    if isKey && escapedValue { return nil }
                    kind = .string
                    text = (p &+ 1)..<end
                    p = end &+ 1
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard let end = try? SkipKernel.lightContainer(base, p, length, depth: 1, stackBase, maxDepth) else { return nil }
                    kind = c == UInt8(ascii: "{") ? .objectStart : .arrayStart
                    p = end
                    text = start..<end
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    guard let end = try? SkipKernel.scalar(base, p, length) else { return nil }
                    kind = c == UInt8(ascii: "t") ? .true : (c == UInt8(ascii: "f") ? .false : .null)
                    p = end
                    text = start..<end
                default:
                    guard c == UInt8(ascii: "-") || c &- 0x30 < 10 else { return nil }
                    var token = JSONToken(kind: .null, flags: 0, start: 0, end: 0, count: 0, payload: 0)
                    guard let end = try? JSONNumberParser.scan(base, p, length, into: &token) else { return nil }
                    kind = token.kind
                    p = end
                    text = start..<end
                }
                if isKey {
                    if firstOccurrence { return .value(kind, text) }
                    found = .value(kind, text)  // the last occurrence wins
                }
                guard let more = SkipKernel.nextMember(base, &p, length, closer: UInt8(ascii: "}")) else { return nil }
                if !more { return found }
            }
        }
    }
}
