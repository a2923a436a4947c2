/// One token of a parsed JSON line: a flat, pointer-free record of where a value, key or
/// container boundary sits in the line's bytes.
///
/// Offsets are byte offsets from the start of the line buffer handed to the scanner (a leading
/// BOM included), so `start + 1` is the 1-based byte column of the token.
///
/// - Strings and keys: `start..<end` is the raw content between the quotes (escapes not
///   decoded); ``hasEscapes`` says whether it contains a backslash.
/// - Numbers: `start..<end` is the number's text; ``kind`` is `.int` (the exact value is
///   ``int64Value``) or `.double` (``doubleValue``). Integers beyond the Int64 range are `.double`
///   with ``isIntegerText`` set.
/// - `true`, `false`, `null`: `start..<end` is the literal.
/// - Containers: the start token spans the whole container (`start` is the offset of `{` or `[`,
///   `end` is one past the matching `}` or `]`), ``count`` is the number of members or elements,
///   and ``partner`` is the index of the matching end token. The end token's `partner` is the
///   index of its start token.
public struct JSONToken: Sendable, Equatable {
    /// What a token is.
    public enum Kind: UInt8, Sendable {
        case objectStart, objectEnd, arrayStart, arrayEnd, key, string, int, double, `true`, `false`, null
    }

    /// The token's kind.
    public var kind: Kind
    /// Bit flags (see ``hasEscapes``, ``isIntegerText``).
    public var flags: UInt8
    /// The first byte of the token (see the type's documentation).
    public var start: UInt32
    /// One past the last byte of the token.
    public var end: UInt32
    /// The member or element count of a container start token; 0 otherwise.
    public var count: UInt32
    /// The bit pattern of a number's value, or the partner index of a container token.
    public var payload: UInt64

    static let escapesFlag: UInt8 = 1
    static let integerTextFlag: UInt8 = 2

    @inlinable init(kind: Kind, flags: UInt8, start: UInt32, end: UInt32, count: UInt32, payload: UInt64) {
        self.kind = kind; self.flags = flags; self.start = start; self.end = end; self.count = count; self.payload = payload
    }

    /// True when a string or key contains at least one backslash escape.
    @inlinable public var hasEscapes: Bool { flags & 1 != 0 }
    /// True for a `.double` number written as an integer too large for Int64.
    @inlinable public var isIntegerText: Bool { flags & 2 != 0 }
    /// The value of an `.int` token.
    @inlinable public var int64Value: Int64 { Int64(bitPattern: payload) }
    /// The value of a `.double` token (an `.int` token converted).
    @inlinable public var doubleValue: Double {
        kind == .int ? Double(Int64(bitPattern: payload)) : Double(bitPattern: payload)
    }
    /// The index of the matching token of a container start or end token.
    @inlinable public var partner: Int { Int(truncatingIfNeeded: payload) }
    /// The byte range of the token in the line.
    @inlinable public var range: Range<Int> { Int(start)..<Int(end) }
    /// The 1-based byte column of the token's first byte (for a string, its opening quote).
    @inlinable public var column: Int {
        kind == .string || kind == .key ? Int(start) : Int(start) + 1
    }
    /// The byte range of the value's JSON text as written (a string with its quotes, a container
    /// from its opening to its closing bracket).
    @inlinable public var textRange: Range<Int> {
        kind == .string || kind == .key ? (Int(start) - 1)..<(Int(end) + 1) : Int(start)..<Int(end)
    }
}

/// The parse of one JSON line: its tokens in document order.
///
/// A tape is a reusable scratch buffer: ``JSONLineScanner/scan(_:lineNumber:isFirstLine:into:)``
/// overwrites it. It holds offsets, not pointers, so it stays valid as long as the line bytes do
/// not change — keep the two together.
///
/// An object's tokens are `objectStart`, then for every member a `key` followed by the tokens of
/// its value, then `objectEnd`. An array's are `arrayStart`, the elements' tokens, `arrayEnd`.
public struct JSONTape: Sendable {
    /// Token storage; only the first ``count`` entries are meaningful.
    @usableFromInline var storage: [JSONToken]
    /// The number of tokens of the last scan.
    public internal(set) var count: Int
    /// The line number of the last scan.
    public internal(set) var lineNumber: Int

    /// Creates an empty tape.
    public init() {
        storage = []
        count = 0
        lineNumber = 0
    }

    /// The token at `index` (0 ≤ index < count).
    @inlinable public subscript(index: Int) -> JSONToken { storage[index] }

    /// The tokens of the last scan.
    public var tokens: ArraySlice<JSONToken> { storage[0..<count] }

    /// The index of the token after the value starting at `index` (skips a whole container).
    @inlinable public func next(after index: Int) -> Int {
        let t = storage[index]
        if t.kind == .objectStart || t.kind == .arrayStart { return t.partner + 1 }
        return index + 1
    }
}
