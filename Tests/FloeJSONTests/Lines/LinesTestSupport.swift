import FloeCore
import FloeColumns
import FloeEncodings
@testable import FloeJSON

/// Scans one line of bytes and returns its tokens.
func linesScan(_ bytes: [UInt8], line: Int = 1, first: Bool = false, maxDepth: Int = 128) throws(FloeError) -> [JSONToken] {
    var scanner = JSONLineScanner(maxDepth: maxDepth)
    var tape = JSONTape()
    try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
        try scanner.scan(raw, lineNumber: line, isFirstLine: first, into: &tape)
    }
    return Array(tape.tokens)
}

/// Scans one line of text and returns its tokens.
func linesScan(_ text: String, line: Int = 1, first: Bool = false) throws(FloeError) -> [JSONToken] {
    try linesScan(Array(text.utf8), line: line, first: first)
}

/// The error scanning `bytes` gives, or nil when it scans.
func linesScanError(_ bytes: [UInt8], line: Int = 1, maxDepth: Int = 128) -> FloeError? {
    do { _ = try linesScan(bytes, line: line, maxDepth: maxDepth); return nil } catch { return error }
}

/// The text of a token's range in `line`.
func linesText(_ token: JSONToken, in line: String) -> String {
    let bytes = Array(line.utf8)
    return String(decoding: bytes[token.range], as: UTF8.self)
}

/// Infers a schema from JSON lines.
func linesInfer(_ lines: [String], options: SchemaInference.Options = SchemaInference.Options()) throws(FloeError) -> Schema {
    var inference = SchemaInference(options: options)
    try linesFeed(lines) { (tape: JSONTape, raw: UnsafeRawBufferPointer) throws(FloeError) in
        try inference.add(tape, line: raw)
    }
    return try inference.schema()
}

/// Scans each line and hands its tape and bytes to `body`.
func linesFeed(_ lines: [String], _ body: (JSONTape, UnsafeRawBufferPointer) throws(FloeError) -> Void) throws(FloeError) {
    var scanner = JSONLineScanner()
    var tape = JSONTape()
    for (i, line) in lines.enumerated() {
        try Array(line.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
            try scanner.scan(raw, lineNumber: i + 1, isFirstLine: i == 0, into: &tape)
            try body(tape, raw)
        }
    }
}

/// Shreds JSON lines into the columns of `schema`.
func linesShred(_ schema: Schema, _ lines: [String],
                options: JSONShredder.Options = JSONShredder.Options()) throws(FloeError) -> [ColumnData] {
    var shredder = try JSONShredder(schema: schema, options: options)
    for (i, line) in lines.enumerated() {
        try Array(line.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
            try shredder.append(line: raw, lineNumber: i + 1, isFirstLine: i == 0)
        }
    }
    return shredder.take()
}

/// The values of a BYTE_ARRAY column as strings.
func linesStrings(_ column: ColumnData) -> [String] {
    guard case .byteArray(let b) = column.values else { return ["<not byte array>"] }
    return (0..<b.count).map { String(decoding: b[$0], as: UTF8.self) }
}

/// The values of an INT64 column.
func linesInt64s(_ column: ColumnData) -> [Int64] {
    guard case .int64(let v) = column.values else { return [] }
    return v
}

/// A BYTE_ARRAY value buffer from strings.
func linesBinary(_ strings: [String]) -> PhysicalValues {
    .byteArray(BinaryValues(strings.map { Array($0.utf8) }))
}

/// The 1-based byte column of the first occurrence of `needle` in `line`.
func linesColumn(of needle: String, in line: String) -> Int {
    let hay = Array(line.utf8), n = Array(needle.utf8)
    guard n.count <= hay.count else { return 0 }
    for i in 0...(hay.count - n.count) where Array(hay[i..<(i + n.count)]) == n { return i + 1 }
    return 0
}
