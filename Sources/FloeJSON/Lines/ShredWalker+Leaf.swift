import FloeCore
import FloeFormat

extension ShredWalker {
    /// The common cases of a leaf, small enough to inline in the loops over fields and
    /// elements: nulls, strings without escapes into text columns, integers, numbers,
    /// booleans, timestamps to microseconds. Returns false for anything else (errors
    /// included), which ``value(_:_:parentDef:rep:)`` then handles.
    @inline(__always)
    func appendCommonLeaf(_ n: Int, _ t: Int, parentDef: Int, rep: Int) -> Bool {
        let entry = plan[n]
        let b = entry.firstLeaf
        let r = UInt8(truncatingIfNeeded: rep)
        if t < 0 || tokens[t].kind == .null {
            guard entry.nullable else { return false }
            leaves[b].appendLevels(def: UInt8(truncatingIfNeeded: parentDef), rep: r)
            return true
        }
        let token = tokens[t]
        watch(entry, token)
        switch entry.fast {
        case .text:
            guard token.kind == .string && !token.hasEscapes else { return false }
            leaves[b].appendBytes(base + Int(token.start), Int(token.end &- token.start))
            leaves[b].endBinaryValue()
        case .int64:
            guard token.kind == .int else { return false }
            leaves[b].append(token.int64Value)
        case .double:
            guard token.kind == .double || token.kind == .int else { return false }
            leaves[b].append(token.doubleValue)
        case .boolean:
            guard token.kind == .true || token.kind == .false else { return false }
            leaves[b].append(token.kind == .true)
        case .timestampMicros:
            guard token.kind == .string && !token.hasEscapes,
                  let ts = TimestampParser.parse(base + Int(token.start), Int(token.end &- token.start), memo: &dateMemo.pointee)
            else { return false }
            // The inference calls a string a timestamp only with an offset and no digit past microseconds.
            if !(ts.hasOffset && ts.isExactMicros) { noteNovelty() }
            leaves[b].append(ts.micros)
        case .other:
            return false
        }
        leaves[b].appendLevels(def: entry.def8, rep: r)
        return true
    }

    /// Converts the value at token `t` for leaf node `n` and appends it with its levels.
    @inline(never)
    mutating func leaf(_ n: Int, _ t: Int, rep: Int) throws(FloeError) {
        let b = plan[n].firstLeaf
        let def = plan[n].def8
        let token = tokens[t]
        watch(plan[n], token)
        switch conversions[b] {
        case .text:
            if token.kind == .string && !token.hasEscapes {
                leaves[b].appendBytes(base + Int(token.start), Int(token.end &- token.start))
            } else if token.kind == .string || token.kind == .key {
                appendContent(token, to: b)
            } else {
                appendRaw(token.textRange, to: b)
            }
            leaves[b].endBinaryValue()
        case .json:
            appendRaw(token.textRange, to: b)
            leaves[b].endBinaryValue()
        case .boolean:
            guard token.kind == .true || token.kind == .false else { throw mismatch(n, t, expected: "a boolean") }
            leaves[b].append(token.kind == .true)
        case .int64:
            leaves[b].append(try integer(n, t, min: .min, max: .max))
        case .int32(let lo, let hi):
            let v = try integer(n, t, min: lo, max: hi)
            leaves[b].append(Int32(truncatingIfNeeded: v))
        case .uint64:
            leaves[b].append(Int64(bitPattern: try unsigned64(n, t)))
        case .double:
            guard token.kind == .int || token.kind == .double else { throw mismatch(n, t, expected: "a number") }
            leaves[b].append(token.doubleValue)
        case .float:
            guard token.kind == .int || token.kind == .double else { throw mismatch(n, t, expected: "a number") }
            leaves[b].append(Float(token.doubleValue))
        case .timestamp(let unit):
            noteNovelty()  // not the common path: an escaped string, or another unit than the inference's
            let ts = try timestamp(n, t)
            switch unit {
            case .millis: leaves[b].append(ts.millis)
            case .micros: leaves[b].append(ts.micros)
            case .nanos:
                guard let v = ts.nanos else { throw invalidText(n, t, "timestamp ", " is outside the range of nanosecond timestamps") }
                leaves[b].append(v)
            }
        case .date:
            guard token.kind == .string || token.kind == .key else { throw mismatch(n, t, expected: "a \"YYYY-MM-DD\" date string") }
            let days = withContent(token) { TimestampParser.parseDate($0) }
            guard let days else { throw invalidText(n, t, "", " is not a YYYY-MM-DD date") }
            leaves[b].append(Int32(truncatingIfNeeded: days))
        case .decimal(let scale, let precision, let storage):
            try decimal(n, t, scale: scale, precision: precision, storage: storage, leaf: b)
        case .uuid:
            guard token.kind == .string || token.kind == .key else { throw mismatch(n, t, expected: "a UUID string") }
            var uuid: [UInt8] = []
            let ok = withContent(token) { ShredWalker.appendUUID($0, to: &uuid) }
            guard ok else { throw invalidText(n, t, "", " is not a UUID (8-4-4-4-12 hex digits)") }
            appendArray(uuid, to: b)
            leaves[b].endFixedValue()
        }
        leaves[b].appendLevels(def: def, rep: UInt8(truncatingIfNeeded: rep))
    }

    /// A conversion error whose message quotes the value: `prefix`, its text, `suffix`.
    @inline(never)
    func invalidText(_ n: Int, _ t: Int, _ prefix: String, _ suffix: String) -> FloeError {
        invalid(n, t, prefix + text(t) + suffix)
    }

    /// Appends the bytes of an array to leaf `b`'s payload.
    func appendArray(_ bytes: [UInt8], to b: Int) {
        bytes.withUnsafeBufferPointer { buf in
            if let p = buf.baseAddress { leaves[b].appendBytes(p, buf.count) }
        }
    }

    /// Appends the decoded content of a string or key token to leaf `b`'s bytes.
    @inline(__always)
    func appendContent(_ token: JSONToken, to b: Int) {
        let p = base + Int(token.start), count = Int(token.end &- token.start)
        if token.hasEscapes {
            let dst = leaves[b].reserveBytes(count)
            leaves[b].byteCount &+= JSONStringDecoding.decode(p, count, into: dst)
        } else {
            leaves[b].appendBytes(p, count)
        }
    }

    /// Appends line bytes to leaf `b`'s bytes.
    @inline(__always)
    func appendRaw(_ range: Range<Int>, to b: Int) {
        leaves[b].appendBytes(base + range.lowerBound, range.count)
    }

    /// Runs `body` over the decoded content of a string or key token.
    mutating func withContent<R>(_ token: JSONToken, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let p = base + Int(token.start), count = Int(token.end &- token.start)
        if token.hasEscapes {
            scratch.other.removeAll(keepingCapacity: true)
            JSONStringDecoding.appendUnescaped(p, count, to: &scratch.other)
            return scratch.other.withUnsafeBytes(body)
        }
        return body(UnsafeRawBufferPointer(start: p, count: count))
    }

    // MARK: - Numbers

    /// The exact integer of a number token (or of a map key's text) within `min...max`.
    func integer(_ n: Int, _ t: Int, min: Int64, max: Int64) throws(FloeError) -> Int64 {
        let token = tokens[t]
        let value: Int64
        switch token.kind {
        case .int:
            value = token.int64Value
        case .double:
            let d = token.doubleValue
            guard !token.isIntegerText else { throw invalidText(n, t, "integer ", " is out of range") }
            guard d.isFinite, d.rounded(.towardZero) == d else { throw invalidText(n, t, "", " is not an integer") }
            guard d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else {
                throw invalidText(n, t, "integer ", " is out of range")
            }
            value = Int64(d)
        case .key:
            guard let v = ShredWalker.parseInteger(UnsafeRawBufferPointer(start: base + Int(token.start), count: Int(token.end &- token.start))) else {
                throw invalidText(n, t, "map key ", " is not an integer")
            }
            value = v
        default:
            throw mismatch(n, t, expected: "an integer")
        }
        guard value >= min, value <= max else { throw invalidText(n, t, "integer ", " is out of range \(min)...\(max)") }
        return value
    }

    /// The exact value of a number token for a UINT_64 column.
    func unsigned64(_ n: Int, _ t: Int) throws(FloeError) -> UInt64 {
        let token = tokens[t]
        if token.kind == .int || token.kind == .key {
            let v = try integer(n, t, min: 0, max: .max)
            return UInt64(v)
        }
        guard token.kind == .double else { throw mismatch(n, t, expected: "an integer") }
        if token.isIntegerText {
            var v: UInt64 = 0
            for i in Int(token.start)..<Int(token.end) {
                let d = base[i] &- 0x30
                guard d < 10 else { throw invalidText(n, t, "integer ", " is out of range 0...18446744073709551615") }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(d))
                guard !o1, !o2 else { throw invalidText(n, t, "integer ", " is out of range 0...18446744073709551615") }
                v = s
            }
            return v
        }
        return UInt64(try integer(n, t, min: 0, max: .max))
    }

    /// An optional '-' and decimal digits fitting Int64.
    static func parseInteger(_ text: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        let negative = text.count > 0 && text[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < text.count, text.count - i <= 19 else { return nil }
        var v: UInt64 = 0
        while i < text.count {
            let d = text[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + UInt64(d)
            i += 1
        }
        if negative { return v <= UInt64(Int64.max) + 1 ? Int64(bitPattern: 0 &- v) : nil }
        return v <= UInt64(Int64.max) ? Int64(v) : nil
    }

    mutating func decimal(_ n: Int, _ t: Int, scale: Int, precision: Int, storage: DecimalStorage, leaf b: Int) throws(FloeError) {
        let token = tokens[t]
        let result: Result<DecimalText.Wide, DecimalText.Failure>
        switch token.kind {
        case .int, .double:
            result = DecimalText.unscaled(UnsafeRawBufferPointer(start: base + Int(token.start), count: Int(token.end &- token.start)),
                                          scale: scale, precision: precision)
        case .string, .key:
            result = withContent(token) { DecimalText.unscaled($0, scale: scale, precision: precision) }
        default:
            throw mismatch(n, t, expected: "a decimal number")
        }
        let value: DecimalText.Wide
        switch result {
        case .success(let v): value = v
        case .failure(.syntax): throw invalidText(n, t, "", " is not a decimal number")
        case .failure(.tooManyFractionDigits):
            throw invalidText(n, t, "", " has more than \(scale) fraction digits (DECIMAL(\(precision), \(scale)))")
        case .failure(.precisionExceeded):
            throw invalidText(n, t, "", " has more than \(precision) digits (DECIMAL(\(precision), \(scale)))")
        }
        switch storage {
        case .int32: leaves[b].append(Int32(truncatingIfNeeded: value.int64))
        case .int64: leaves[b].append(value.int64)
        case .byteArray:
            var bytes: [UInt8] = []
            DecimalText.appendMinimal(value, to: &bytes)
            appendArray(bytes, to: b)
            leaves[b].endBinaryValue()
        case .fixed(let width):
            var bytes: [UInt8] = []
            DecimalText.appendBigEndian(value, width: width, to: &bytes)
            appendArray(bytes, to: b)
            leaves[b].endFixedValue()
        }
    }

    // MARK: - Strings with structure

    /// The timestamp of a string token: RFC 3339 with or without an offset (UTC), or a date alone.
    mutating func timestamp(_ n: Int, _ t: Int) throws(FloeError) -> ParsedTimestamp {
        let token = tokens[t]
        guard token.kind == .string || token.kind == .key else {
            throw mismatch(n, t, expected: "an RFC 3339 timestamp string")
        }
        guard let ts = withContent(token, { TimestampParser.parse($0) }) else {
            throw invalidText(n, t, "", " is not an RFC 3339 timestamp")
        }
        return ts
    }

    /// Appends the 16 bytes of a canonical UUID string; false when it is not one.
    static func appendUUID(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        guard text.count == 36 else { return false }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var i = 0
        while i < 36 {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard text[i] == UInt8(ascii: "-") else { return false }
                i += 1
                continue
            }
            guard let hi = hexValue(text[i]), let lo = hexValue(text[i + 1]) else { return false }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        out.append(contentsOf: bytes)
        return true
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - 0x30
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - 0x57
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - 0x37
        default: return nil
        }
    }
}
