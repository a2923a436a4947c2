import FloeCore

/// A token of the SQL subset, with its character position (0-based) in the query text.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case quotedIdentifier(String)
        case string(String)
        case integer(Int64)
        case decimal(Double)
        case symbol(String)
        case end
    }
    var kind: Kind
    var position: Int

    /// The upper-cased keyword text of a bare identifier, or nil.
    var keyword: String? {
        if case .identifier(let s) = kind { return s.uppercased() }
        return nil
    }
}

/// Splits SQL text into tokens; errors name the character position.
enum Lexer {
    static func tokenize(_ sql: String) throws(FloeError) -> [Token] {
        let chars = Array(sql.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        func fail(_ message: String, _ at: Int) -> FloeError {
            FloeError.invalidArgument("\(message) at position \(at + 1) of the query")
        }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            let start = i
            if c.properties.isAlphabetic || c == "_" {
                var s = String.UnicodeScalarView()
                while i < chars.count, chars[i].properties.isAlphabetic || chars[i] == "_" || ("0"..."9").contains(chars[i]) {
                    s.append(chars[i]); i += 1
                }
                tokens.append(Token(kind: .identifier(String(s)), position: start))
                continue
            }
            if ("0"..."9").contains(c) || (c == "." && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])) {
                var s = ""
                var isDecimal = false
                while i < chars.count {
                    let d = chars[i]
                    if ("0"..."9").contains(d) { s.unicodeScalars.append(d); i += 1 }
                    else if d == ".", !isDecimal { isDecimal = true; s.unicodeScalars.append(d); i += 1 }
                    else if (d == "e" || d == "E"), i + 1 < chars.count,
                            ("0"..."9").contains(chars[i + 1]) || ((chars[i + 1] == "-" || chars[i + 1] == "+") && i + 2 < chars.count && ("0"..."9").contains(chars[i + 2])) {
                        isDecimal = true
                        s.unicodeScalars.append(d); s.unicodeScalars.append(chars[i + 1]); i += 2
                    } else { break }
                }
                if !isDecimal, let v = Int64(s) {
                    tokens.append(Token(kind: .integer(v), position: start))
                } else if let v = Double(s) {
                    tokens.append(Token(kind: .decimal(v), position: start))
                } else {
                    throw fail("invalid number '\(s)'", start)
                }
                continue
            }
            if c == "'" || c == "\"" {
                var s = String.UnicodeScalarView()
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == c {
                        if i + 1 < chars.count, chars[i + 1] == c { s.append(c); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    s.append(chars[i]); i += 1
                }
                guard closed else { throw fail(c == "'" ? "unterminated string" : "unterminated quoted identifier", start) }
                tokens.append(Token(kind: c == "'" ? .string(String(s)) : .quotedIdentifier(String(s)), position: start))
                continue
            }
            let two = i + 1 < chars.count ? String(String.UnicodeScalarView([c, chars[i + 1]])) : ""
            if ["<=", ">=", "<>", "!=", "||"].contains(two) {
                tokens.append(Token(kind: .symbol(two), position: start)); i += 2; continue
            }
            if "(),.*=<>+-/%[];".unicodeScalars.contains(c) {
                tokens.append(Token(kind: .symbol(String(c)), position: start)); i += 1; continue
            }
            throw fail("unexpected character '\(c)'", start)
        }
        tokens.append(Token(kind: .end, position: chars.count))
        return tokens
    }
}
