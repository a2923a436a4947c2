import FloeCore
import FloeEncodings
import FloeJSON

extension Evaluator {
    /// CAST of a vector to `type`; text that does not parse is an error naming the value.
    static func cast(_ v: Vector, to type: SQLType, _ e: Expr) throws(FloeError) -> Vector {
        if v.type == type || v.type == .null { return v }
        var out = Vector(type: type, count: v.count)
        out.isConstant = v.isConstant
        out.valid = v.valid
        let m = v.isConstant ? 1 : v.count
        func bad(_ i: Int) -> FloeError {
            fail("cannot cast '\(ValueText.text(v, i) ?? "")' to \(type.rawValue)", e)
        }
        switch (v.type, type) {
        case (.integer, .double):
            out.doubles = v.ints.map { Double($0) }
        case (.double, .integer):
            // Ties to even, as PostgreSQL and DuckDB; a value out of BIGINT's range is an error.
            out.ints.reserveCapacity(m)
            for i in 0..<m {
                let d = v.doubles[i].rounded(.toNearestOrEven)
                if let x = Int64(exactly: d) { out.ints.append(x) }
                else if v.isValid(i) { throw bad(i) }
                else { out.ints.append(0) }
            }
        case (.boolean, .integer):
            out.ints = v.bools.map { $0 ? 1 : 0 }
        case (.integer, .boolean):
            out.bools = v.ints.map { $0 != 0 }
        case (.date, .timestamp):
            out.ints = v.ints.map { $0 &* 86_400_000_000 }
        case (.timestamp, .date):
            out.ints = v.ints.map { floorDiv($0, 86_400_000_000) }
        case (_, .string):
            out.strings.reserve(values: m, bytes: m * 8)
            for i in 0..<m {
                ValueText.appendText(v, i, to: &out.strings.bytes)
                out.strings.offsets.append(out.strings.bytes.count)
            }
        case (.string, .binary), (.json, .string), (.binary, .string):
            out.strings = v.strings
        case (.string, _), (.json, _):
            for i in 0..<m {
                let text = v.isValid(i) ? String(decoding: v.strings[i], as: UTF8.self) : ""
                let trimmed = v.type == .json && text.hasPrefix("\"") ? String(text.dropFirst().dropLast()) : text
                guard v.isValid(i) else {
                    switch type {
                    case .integer, .date, .timestamp: out.ints.append(0)
                    case .double: out.doubles.append(0)
                    case .boolean: out.bools.append(false)
                    default: break
                    }
                    continue
                }
                switch type {
                case .integer:
                    if let x = Int64(trimmed.trimmingSpaces) { out.ints.append(x) }
                    else if let d = Double(trimmed.trimmingSpaces), let x = Int64(exactly: d.rounded(.toNearestOrEven)) { out.ints.append(x) }
                    else { throw bad(i) }
                case .double:
                    guard let x = Double(trimmed.trimmingSpaces) else { throw bad(i) }
                    out.doubles.append(x)
                case .boolean:
                    switch trimmed.lowercased() {
                    case "true", "t", "1": out.bools.append(true)
                    case "false", "f", "0": out.bools.append(false)
                    default: throw bad(i)
                    }
                case .date, .timestamp:
                    guard let t = TimestampParser.parse(trimmed) else { throw bad(i) }
                    out.ints.append(type == .date ? floorDiv(t.seconds, 86_400) : t.micros)
                default:
                    throw fail("cannot cast \(v.type.rawValue) to \(type.rawValue)", e)
                }
            }
        default:
            throw fail("cannot cast \(v.type.rawValue) to \(type.rawValue)", e)
        }
        return out
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

/// Scalar functions.
enum Functions {
    static let microsPerDay: Int64 = 86_400_000_000

    static func call(_ name: String, _ args: [Vector], _ e: Expr, count: Int) throws(FloeError) -> Vector {
        func arity(_ n: Int) throws(FloeError) {
            guard args.count == n else { throw Evaluator.fail("\(name)() takes \(n) argument\(n == 1 ? "" : "s"), got \(args.count)", e) }
        }
        switch name {
        case "date_trunc":
            try arity(2)
            guard args[0].isConstant, args[0].type == .string, args[0].isValid(0) else {
                throw Evaluator.fail("date_trunc needs a constant unit such as 'day'", e)
            }
            let unit = String(decoding: args[0].strings[0], as: UTF8.self).lowercased()
            var v = args[1]
            if v.type == .null { return v }
            if v.type == .string { v = try Evaluator.cast(v, to: .timestamp, e) }
            let wasDate = v.type == .date
            if wasDate { v = try Evaluator.cast(v, to: .timestamp, e) }
            guard v.type == .timestamp else { throw Evaluator.fail("date_trunc needs a timestamp or date, got \(v.type.rawValue)", e) }
            let step: Int64
            switch unit {
            case "microsecond", "microseconds": step = 1
            case "millisecond", "milliseconds": step = 1000
            case "second", "seconds": step = 1_000_000
            case "minute", "minutes": step = 60_000_000
            case "hour", "hours": step = 3_600_000_000
            case "day", "days": step = microsPerDay
            case "week", "weeks": step = 0
            case "month", "months", "year", "years", "quarter": step = -1
            default: throw Evaluator.fail("unsupported date_trunc unit '\(unit)'", e)
            }
            if step > 0 {
                v.ints = v.ints.map { floorDiv($0, step) &* step }
            } else if step == 0 {
                // Weeks start on Monday; 1970-01-01 was a Thursday.
                v.ints = v.ints.map { (floorDiv(floorDiv($0, microsPerDay) + 3, 7) * 7 - 3) &* microsPerDay }
            } else {
                v.ints = v.ints.map { truncCalendar($0, unit) }
            }
            return v
        case "date":
            try arity(1)
            return try Evaluator.cast(args[0], to: .date, e)
        case "lower", "upper":
            try arity(1)
            var v = try Evaluator.cast(args[0], to: .string, e)
            guard v.type == .string else { return Vector.nulls(v.count) }
            v.strings = CaseMapping.map(v.strings, upper: name == "upper")
            if let dictionary = v.dictionary { v.dictionary = CaseMapping.map(dictionary, upper: name == "upper") }
            return v
        case "length":
            try arity(1)
            let v = try Evaluator.cast(args[0], to: .string, e)
            guard v.type == .string else { return Vector.nulls(v.count) }  // NULL in, NULL out
            var out = Vector(type: .integer, count: v.count)
            out.isConstant = v.isConstant; out.valid = v.valid
            for i in 0..<(v.isConstant ? 1 : v.count) {
                out.ints.append(Int64(v.strings[i].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }))
            }
            return out
        case "abs":
            try arity(1)
            var v = args[0]
            switch v.type {
            case .integer: v.ints = v.ints.map { $0 == .min ? $0 : Swift.abs($0) }
            case .double: v.doubles = v.doubles.map { Swift.abs($0) }
            case .null: break
            default: throw Evaluator.fail("abs needs a number", e)
            }
            return v
        case "coalesce":
            guard let first = args.first else { throw Evaluator.fail("coalesce needs arguments", e) }
            // One type for all arguments, whatever the rows: integers widen to doubles, dates to
            // timestamps; other mixes are errors (as in DuckDB).
            var common = SQLType.null
            for a in args where a.type != .null && a.type != common {
                if common == .null { common = a.type; continue }
                let types: Set<SQLType> = [common, a.type]
                if types == [.integer, .double] { common = .double }
                else if types == [.date, .timestamp] { common = .timestamp }
                else if types == [.string, .json] { common = .string }
                else { throw Evaluator.fail("coalesce() needs arguments of one type, not \(common.rawValue) and \(a.type.rawValue)", e) }
            }
            var acc: Vector?
            for next in args where next.type != .null {
                var y = next
                if y.type != common { y = try Evaluator.cast(next, to: common, e) }
                guard let a = acc else { acc = y; continue }
                if a.allValid { break }
                let ea = a.expanded(), eb = y.expanded()
                acc = Vector.from((0..<count).map { ea.isValid($0) ? ea.value($0) : eb.value($0) }, type: common)
            }
            return acc ?? first
        default:
            throw Evaluator.fail("unknown function \(name)()", e)
        }
    }

    /// Truncates microseconds since the epoch to the start of the month, quarter or year.
    static func truncCalendar(_ micros: Int64, _ unit: String) -> Int64 {
        let days = floorDiv(micros, microsPerDay)
        let (y, m, _) = civil(days)
        var month = m
        if unit.hasPrefix("year") { month = 1 }
        if unit == "quarter" { month = (m - 1) / 3 * 3 + 1 }
        return TimestampParser.daysFromCivil(year: y, month: month, day: 1) &* microsPerDay
    }

    /// Year, month, day of days since 1970-01-01 (proleptic Gregorian).
    static func civil(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}
