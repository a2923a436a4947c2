/// Where something went wrong: any subset of file, byte offset, row group, column path, page and
/// JSON line. Every field is optional; the description prints the ones that are set.
public struct Location: Sendable, Equatable, CustomStringConvertible {
    /// The file (as the user named it).
    public var file: String?
    /// A byte offset in the file (or in the stream being decoded).
    public var offset: Int?
    /// A row group ordinal.
    public var rowGroup: Int?
    /// A dotted column path.
    public var column: String?
    /// A page ordinal inside a column chunk.
    public var page: Int?
    /// A 1-based line number of a JSON-lines input.
    public var line: Int?
    /// A 1-based byte column inside a JSON line.
    public var byteColumn: Int?

    /// Creates a location; every part is optional.
    public init(file: String? = nil, offset: Int? = nil, rowGroup: Int? = nil, column: String? = nil,
                page: Int? = nil, line: Int? = nil, byteColumn: Int? = nil) {
        self.file = file; self.offset = offset; self.rowGroup = rowGroup; self.column = column
        self.page = page; self.line = line; self.byteColumn = byteColumn
    }

    /// True when no part is set.
    public var isEmpty: Bool { self == Location() }

    /// Fills the parts that are unset here from `outer` (an inner location is more precise).
    public func merged(into outer: Location) -> Location {
        var r = self
        if r.file == nil { r.file = outer.file }
        if r.offset == nil { r.offset = outer.offset }
        if r.rowGroup == nil { r.rowGroup = outer.rowGroup }
        if r.column == nil { r.column = outer.column }
        if r.page == nil { r.page = outer.page }
        if r.line == nil { r.line = outer.line }
        if r.byteColumn == nil { r.byteColumn = outer.byteColumn }
        return r
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let rowGroup { parts.append("row group \(rowGroup)") }
        if let column { parts.append("column \(column)") }
        if let page { parts.append("page \(page)") }
        if let offset { parts.append("offset \(offset)") }
        if let line { parts.append("line \(line)") }
        if let byteColumn { parts.append("byte \(byteColumn)") }
        return parts.joined(separator: ", ")
    }
}

/// The one error type of Floe: a code, a message and where it happened.
///
/// Kernels throw it with typed throws (`throws(FloeError)`) so no existential is boxed on hot
/// paths; outer layers add context with ``FloeError/at(_:)``.
public struct FloeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes are static members.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The input is malformed (corrupt file, bad page, invalid JSON).
        public static let corrupt = Code(rawValue: "corrupt")
        /// The input is valid but uses something Floe does not implement.
        public static let unsupported = Code(rawValue: "unsupported")
        /// The input asks for more than the configured limits allow.
        public static let limitExceeded = Code(rawValue: "limit exceeded")
        /// A checksum did not match.
        public static let checksumMismatch = Code(rawValue: "checksum mismatch")
        /// A caller passed an invalid argument or option.
        public static let invalidArgument = Code(rawValue: "invalid argument")
        /// The operating system refused an operation (open, read, write, rename).
        public static let io = Code(rawValue: "i/o")
        public var description: String { rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation of what is wrong.
    public var message: String
    /// Where it happened.
    public var location: Location

    /// Creates an error.
    public init(_ code: Code, _ message: String, at location: Location = Location()) {
        self.code = code; self.message = message; self.location = location
    }

    /// A malformed-input error.
    public static func corrupt(_ message: String, offset: Int? = nil) -> FloeError {
        FloeError(.corrupt, message, at: Location(offset: offset))
    }
    /// A not-supported error; the message reads "not supported: …".
    public static func unsupported(_ what: String) -> FloeError {
        FloeError(.unsupported, "not supported: \(what)")
    }
    /// An invalid-argument error.
    public static func invalidArgument(_ message: String) -> FloeError {
        FloeError(.invalidArgument, message)
    }

    /// Returns this error with the unset parts of its location taken from `outer`.
    public func at(_ outer: Location) -> FloeError {
        var e = self
        e.location = location.merged(into: outer)
        return e
    }

    /// True for errors that mean "the data is bad" (exit code 1) rather than usage or I/O (2).
    public var isDataError: Bool { code != .invalidArgument && code != .io }

    public var description: String {
        let loc = location.isEmpty ? "" : " (\(location))"
        // "not supported: …" messages already say what they are.
        if code == .unsupported { return "\(message)\(loc)" }
        return "\(code): \(message)\(loc)"
    }
}

extension FloeError {
    /// Runs `body` and adds `location` to any ``FloeError`` it throws.
    @inlinable
    public static func locating<T>(_ location: Location, _ body: () throws(FloeError) -> T) throws(FloeError) -> T {
        do { return try body() } catch { throw error.at(location) }
    }
}
