import FloeCore
import FloeFormat
import FloeColumns

/// Parses a Hive/Athena column list — as `CREATE EXTERNAL TABLE` statements write it — into a
/// Parquet ``Schema``:
///
/// ```
/// anonymousid string, context map<string,string>, timestamp timestamp,
/// traits struct<name:string,plan:string>, items array<struct<id:string,price:double>>
/// ```
///
/// Type names are case-insensitive; column and field names may be backquoted (`` `a b` ``, a
/// doubled backquote stands for one) and keep their spelling. An optional pair of parentheses
/// around the list, `COMMENT '…'` after a column or struct field and `--` comments are accepted.
///
/// | Hive | Parquet |
/// |---|---|
/// | `string`, `varchar(n)`, `char(n)` | BYTE_ARRAY (STRING) (lengths are not enforced) |
/// | `boolean` | BOOLEAN |
/// | `tinyint`, `smallint` | INT32 (INTEGER(8) / INTEGER(16)) |
/// | `int`, `integer` | INT32 |
/// | `bigint` | INT64 |
/// | `float` (`real`), `double` (`double precision`) | FLOAT, DOUBLE |
/// | `decimal(p,s)` (`decimal` = `decimal(10,0)`) | DECIMAL on INT32 (p ≤ 9), INT64 (p ≤ 18), else FIXED_LEN_BYTE_ARRAY |
/// | `date` | INT32 (DATE) |
/// | `timestamp` | INT64 (TIMESTAMP(MICROS, UTC)) |
/// | `binary` | BYTE_ARRAY |
/// | `array<T>` | three-level LIST |
/// | `map<K,V>` | MAP (required key, optional value) |
/// | `struct<a:T,…>` | group |
///
/// Every column and field is optional. Names that repeat (ignoring case, as Hive does) are
/// refused. Errors have code `.invalidArgument` and name the byte position (1-based).
public enum HiveSchemaParser {
    /// Parses a column list into a schema whose root is named "schema".
    public static func parse(_ text: String) throws(FloeError) -> Schema {
        try Schema(root: .group("schema", try parseColumns(text)))
    }

    /// Parses a column list into the top-level schema nodes.
    public static func parseColumns(_ text: String) throws(FloeError) -> [SchemaNode] {
        var p = HiveParser(Array(text.utf8))
        return try p.columns()
    }
}

/// A parsed Hive type.
indirect enum HiveType {
    case primitive(PhysicalType, LogicalType?, typeLength: Int32?)
    case array(HiveType)
    case map(HiveType, HiveType)
    case structure([(String, HiveType)])

    /// The schema node of a field of this type.
    func node(_ name: String, _ repetition: FieldRepetitionType) -> SchemaNode {
        switch self {
        case .primitive(let type, let logical, let length):
            return .leaf(name, type, repetition, logicalType: logical, typeLength: length)
        case .array(let element):
            return .group(name, [.group("list", [element.node("element", .optional)], .repeated)], repetition, logicalType: .list)
        case .map(let key, let value):
            return .group(name, [.group("key_value", [key.node("key", .required), value.node("value", .optional)], .repeated)],
                          repetition, logicalType: .map)
        case .structure(let fields):
            return .group(name, fields.map { $0.1.node($0.0, .optional) }, repetition)
        }
    }
}

struct HiveParser {
    enum Token: Equatable {
        case word(String)       // an identifier or a number
        case quotedName(String) // a backquoted name
        case literal            // a '…' string (comments)
        case symbol(UInt8)
        case end
    }

    let text: [UInt8]
    var position = 0
    /// Type nesting so far, bounded so that a hostile schema cannot exhaust the stack.
    var depth = 0
    static let maxDepth = 64
    var token: Token = .end
    var tokenStart = 0

    init(_ text: [UInt8]) { self.text = text }

    // MARK: - Lexing

    func fail(_ message: String, at offset: Int? = nil) -> FloeError {
        let at = (offset ?? tokenStart) + 1
        return FloeError(.invalidArgument, "schema: \(message) at byte \(at)", at: Location(offset: at - 1))
    }

    var tokenText: String {
        switch token {
        case .word(let w): return "'\(w)'"
        case .quotedName(let n): return "`\(n)`"
        case .literal: return "a string literal"
        case .symbol(let c): return "'\(Character(Unicode.Scalar(c)))'"
        case .end: return "the end of the schema"
        }
    }

    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F || c == 0x24 || c >= 0x80
    }

    mutating func advance() throws(FloeError) {
        while position < text.count {
            let c = text[position]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                position += 1
            } else if c == UInt8(ascii: "-"), position + 1 < text.count, text[position + 1] == UInt8(ascii: "-") {
                while position < text.count, text[position] != 0x0A { position += 1 }
            } else {
                break
            }
        }
        tokenStart = position
        guard position < text.count else { token = .end; return }
        let c = text[position]
        if HiveParser.isWordByte(c) {
            let start = position
            while position < text.count, HiveParser.isWordByte(text[position]) { position += 1 }
            token = .word(String(decoding: text[start..<position], as: UTF8.self))
        } else if c == UInt8(ascii: "`") {
            var name: [UInt8] = []
            position += 1
            while true {
                guard position < text.count else { throw fail("unterminated backquoted name") }
                if text[position] == UInt8(ascii: "`") {
                    if position + 1 < text.count, text[position + 1] == UInt8(ascii: "`") {
                        name.append(UInt8(ascii: "`"))
                        position += 2
                        continue
                    }
                    position += 1
                    break
                }
                name.append(text[position])
                position += 1
            }
            guard !name.isEmpty else { throw fail("empty backquoted name") }
            token = .quotedName(String(decoding: name, as: UTF8.self))
        } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
            position += 1
            while true {
                guard position < text.count else { throw fail("unterminated string literal") }
                let d = text[position]
                if d == UInt8(ascii: "\\") { position += 2; continue }
                position += 1
                if d == c {
                    if position < text.count, text[position] == c { position += 1; continue }
                    break
                }
            }
            token = .literal
        } else if c == UInt8(ascii: "<") || c == UInt8(ascii: ">") || c == UInt8(ascii: "(") || c == UInt8(ascii: ")")
                    || c == UInt8(ascii: ",") || c == UInt8(ascii: ":") {
            position += 1
            token = .symbol(c)
        } else {
            throw fail("unexpected character '\(String(decoding: [c], as: UTF8.self))'")
        }
    }

    mutating func expect(_ symbol: Character, _ context: String) throws(FloeError) {
        guard let ascii = symbol.asciiValue, token == .symbol(ascii) else {
            throw fail("expected '\(symbol)' \(context), found \(tokenText)")
        }
        try advance()
    }

    /// True (and consumes it) when the current token is the keyword `word`, any case.
    mutating func accept(keyword: String) throws(FloeError) -> Bool {
        if case .word(let w) = token, w.lowercased() == keyword { try advance(); return true }
        return false
    }

    // MARK: - Grammar

    mutating func columns() throws(FloeError) -> [SchemaNode] {
        try advance()
        let parenthesised = token == .symbol(UInt8(ascii: "("))
        if parenthesised { try advance() }
        guard token != .end else { throw fail("no columns") }
        var nodes: [SchemaNode] = []
        var seen: Set<String> = []
        while true {
            let start = tokenStart
            let name = try name(what: "a column name")
            guard seen.insert(name.lowercased()).inserted else {
                throw fail("column '\(name)' appears twice (Hive names are case-insensitive)", at: start)
            }
            let type = try parseType()
            try skipComment()
            nodes.append(type.node(name, .optional))
            if token == .symbol(UInt8(ascii: ",")) { try advance(); continue }
            break
        }
        if parenthesised { try expect(")", "to close the column list") }
        guard token == .end else { throw fail("expected ',' or the end of the schema, found \(tokenText)") }
        return nodes
    }

    mutating func skipComment() throws(FloeError) {
        if try accept(keyword: "comment") {
            guard token == .literal else { throw fail("expected a quoted comment after COMMENT, found \(tokenText)") }
            try advance()
        }
    }

    mutating func name(what: String) throws(FloeError) -> String {
        switch token {
        case .word(let w), .quotedName(let w):
            try advance()
            return w
        default:
            throw fail("expected \(what), found \(tokenText)")
        }
    }

    mutating func number(_ what: String) throws(FloeError) -> Int {
        guard case .word(let w) = token, let v = Int(w) else { throw fail("expected \(what), found \(tokenText)") }
        try advance()
        return v
    }

    mutating func parseType() throws(FloeError) -> HiveType {
        let start = tokenStart
        guard depth < HiveParser.maxDepth else { throw fail("types nested deeper than \(HiveParser.maxDepth) levels", at: start) }
        depth += 1
        defer { depth -= 1 }
        guard case .word(let word) = token else { throw fail("expected a type, found \(tokenText)") }
        try advance()
        switch word.lowercased() {
        case "string": return .primitive(.byteArray, .string, typeLength: nil)
        case "varchar", "char":
            try expect("(", "after \(word.lowercased())")
            let n = try number("a length")
            guard n >= 1 else { throw fail("\(word.lowercased()) length must be positive", at: start) }
            try expect(")", "after the length")
            return .primitive(.byteArray, .string, typeLength: nil)
        case "boolean": return .primitive(.boolean, nil, typeLength: nil)
        case "tinyint": return .primitive(.int32, .integer(bitWidth: 8, isSigned: true), typeLength: nil)
        case "smallint": return .primitive(.int32, .integer(bitWidth: 16, isSigned: true), typeLength: nil)
        case "int", "integer": return .primitive(.int32, nil, typeLength: nil)
        case "bigint": return .primitive(.int64, nil, typeLength: nil)
        case "float", "real": return .primitive(.float, nil, typeLength: nil)
        case "double":
            _ = try accept(keyword: "precision")
            return .primitive(.double, nil, typeLength: nil)
        case "date": return .primitive(.int32, .date, typeLength: nil)
        case "timestamp": return .primitive(.int64, .timestamp(isAdjustedToUTC: true, unit: .micros), typeLength: nil)
        case "binary": return .primitive(.byteArray, nil, typeLength: nil)
        case "decimal", "numeric":
            var precision = 10, scale = 0
            if token == .symbol(UInt8(ascii: "(")) {
                try advance()
                precision = try number("a precision")
                if token == .symbol(UInt8(ascii: ",")) {
                    try advance()
                    scale = try number("a scale")
                }
                try expect(")", "after the decimal precision and scale")
            }
            guard precision >= 1, precision <= 38 else { throw fail("decimal precision must be 1 to 38, not \(precision)", at: start) }
            guard scale >= 0, scale <= precision else { throw fail("decimal scale must be 0 to \(precision), not \(scale)", at: start) }
            let logical = LogicalType.decimal(scale: Int32(scale), precision: Int32(precision))
            if precision <= 9 { return .primitive(.int32, logical, typeLength: nil) }
            if precision <= 18 { return .primitive(.int64, logical, typeLength: nil) }
            return .primitive(.fixedLenByteArray, logical, typeLength: Int32(DecimalText.byteWidth(precision: precision)))
        case "array":
            try expect("<", "after array")
            let element = try parseType()
            try expect(">", "to close array<…>")
            return .array(element)
        case "map":
            try expect("<", "after map")
            let keyStart = tokenStart
            let key = try parseType()
            guard case .primitive = key else { throw fail("map keys must be of a primitive type", at: keyStart) }
            try expect(",", "between the map key and value types")
            let value = try parseType()
            try expect(">", "to close map<…>")
            return .map(key, value)
        case "struct":
            try expect("<", "after struct")
            var fields: [(String, HiveType)] = []
            var seen: Set<String> = []
            while true {
                let fieldStart = tokenStart
                let name = try name(what: "a struct field name")
                guard seen.insert(name.lowercased()).inserted else {
                    throw fail("struct field '\(name)' appears twice (Hive names are case-insensitive)", at: fieldStart)
                }
                try expect(":", "after the struct field name '\(name)'")
                fields.append((name, try parseType()))
                try skipComment()
                if token == .symbol(UInt8(ascii: ",")) { try advance(); continue }
                break
            }
            try expect(">", "to close struct<…>")
            return .structure(fields)
        default:
            throw fail("unknown type '\(word)'", at: start)
        }
    }
}
