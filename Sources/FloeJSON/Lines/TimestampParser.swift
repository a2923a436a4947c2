/// An instant parsed from an RFC 3339 / ISO-8601 string.
public struct ParsedTimestamp: Sendable, Equatable {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before).
    public var seconds: Int64
    /// Nanoseconds into the second, 0 ..< 1_000_000_000.
    public var nanoseconds: Int32
    /// True when the text named its offset (`Z` or `±HH:MM`); without one the text is read as UTC.
    public var hasOffset: Bool
    /// True when the text was a date alone (`YYYY-MM-DD`, midnight UTC).
    public var isDateOnly: Bool

    /// Microseconds since the epoch (sub-microsecond digits truncated toward the past).
    @inlinable public var micros: Int64 { seconds &* 1_000_000 &+ Int64(nanoseconds / 1000) }
    /// Milliseconds since the epoch (truncated toward the past).
    @inlinable public var millis: Int64 { seconds &* 1000 &+ Int64(nanoseconds / 1_000_000) }
    /// Nanoseconds since the epoch, or nil when that overflows Int64 (outside 1677–2262).
    public var nanos: Int64? {
        let (a, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (b, o2) = a.addingReportingOverflow(Int64(nanoseconds))
        return o1 || o2 ? nil : b
    }
    /// True when ``micros`` is exact (no nonzero digit beyond the sixth fraction digit).
    @inlinable public var isExactMicros: Bool { nanoseconds % 1000 == 0 }
}

/// The last date part (`YYYY-MM-DD`, ten bytes) that ``TimestampParser`` parsed successfully,
/// and its day number.
struct DateMemo: Sendable {
    var head: UInt64 = 0
    var tail: UInt16 = 0
    var days: Int64 = 0
    var isSet = false
}

/// A fast, exact parser of RFC 3339 / ISO-8601 timestamps over bytes.
///
/// Accepted: `YYYY-MM-DD` followed by `T`, `t` or a space, `HH:MM:SS`, an optional fraction of
/// 1 to 9 digits, and an optional offset: `Z`, `z`, `±HH:MM` or `±HHMM`. Also a date alone,
/// `YYYY-MM-DD`. Years are 0000–9999, fields are range-checked (leap years included; a leap
/// second `:60` is refused). Nothing may follow.
public enum TimestampParser {
    /// Parses `text`; nil when it is not such a timestamp.
    public static func parse(_ text: UnsafeRawBufferPointer) -> ParsedTimestamp? {
        guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        return parse(base, text.count)
    }

    /// Parses a Swift string; nil when it is not such a timestamp.
    public static func parse(_ text: String) -> ParsedTimestamp? {
        var s = text
        return s.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// The two-digit number at `p[i...i+1]`; sets `bad` when a byte is not a digit
    /// (branch-free: the fixed fields are checked all at once).
    @inline(__always) static func two(_ p: UnsafePointer<UInt8>, _ i: Int, _ bad: inout Bool) -> Int {
        let a = p[i] &- 0x30, b = p[i &+ 1] &- 0x30
        bad = bad || (a > 9) || (b > 9)
        return Int(a) &* 10 &+ Int(b)
    }

    /// The date part `YYYY-MM-DD` at the start of `p[0..<10]` as days since the epoch.
    @inline(__always)
    static func parseDatePart(_ p: UnsafePointer<UInt8>) -> Int64? {
        var bad = p[4] != UInt8(ascii: "-") || p[7] != UInt8(ascii: "-")
        let year = two(p, 0, &bad) &* 100 &+ two(p, 2, &bad)
        let month = two(p, 5, &bad)
        let day = two(p, 8, &bad)
        guard !bad, month >= 1, month <= 12, day >= 1, day <= 28 || day <= daysInMonth(year: year, month: month) else { return nil }
        return daysFromCivil(year: year, month: month, day: day)
    }

    /// Scale factors from a fraction of `n` digits to nanoseconds.
    static let fractionScale: [Int] = [1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1]

    static func parse(_ p: UnsafePointer<UInt8>, _ count: Int) -> ParsedTimestamp? {
        guard count >= 10, let days = parseDatePart(p) else { return nil }
        return parse(p, count, days: days)
    }

    /// ``parse(_:_:)`` remembering the last date part in `memo`: the timestamps of one day
    /// (as in event streams) skip the parsing and calendar arithmetic of their date.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ count: Int, memo: inout DateMemo) -> ParsedTimestamp? {
        guard count >= 10 else { return nil }
        let raw = UnsafeRawPointer(p)
        let head = raw.loadUnaligned(as: UInt64.self), tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        if memo.isSet && memo.head == head && memo.tail == tail { return parse(p, count, days: memo.days) }
        guard let days = parseDatePart(p) else { return nil }
        memo = DateMemo(head: head, tail: tail, days: days, isSet: true)
        return parse(p, count, days: days)
    }

    /// The rest of ``parse(_:_:)`` once the date part `p[0..<10]` is known to be `days`.
    static func parse(_ p: UnsafePointer<UInt8>, _ count: Int, days: Int64) -> ParsedTimestamp? {
        if count == 10 {
            return ParsedTimestamp(seconds: days &* 86_400, nanoseconds: 0, hasOffset: false, isDateOnly: true)
        }
        guard count >= 19 else { return nil }
        let sep = p[10]
        var bad = !(sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == UInt8(ascii: " "))
            || p[13] != UInt8(ascii: ":") || p[16] != UInt8(ascii: ":")
        let hour = two(p, 11, &bad), minute = two(p, 14, &bad), second = two(p, 17, &bad)
        guard !bad, hour < 24, minute < 60, second < 60 else { return nil }
        var i = 19
        var nanos = 0
        if i < count, p[i] == UInt8(ascii: ".") {
            i &+= 1
            let first = i
            while i < count, p[i] &- 0x30 < 10, i &- first < 9 {
                nanos = nanos &* 10 &+ Int(p[i] &- 0x30)
                i &+= 1
            }
            let digits = i &- first
            guard digits > 0, i == count || p[i] &- 0x30 >= 10 else { return nil }
            nanos &*= fractionScale[digits]
        }
        var offsetSeconds = 0
        var hasOffset = false
        if i < count {
            let c = p[i]
            if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                i &+= 1
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                guard i &+ 5 <= count else { return nil }
                var bad = false
                let oh = two(p, i &+ 1, &bad)
                let om: Int
                if p[i &+ 3] == UInt8(ascii: ":") {
                    guard i &+ 6 <= count else { return nil }
                    om = two(p, i &+ 4, &bad)
                    i &+= 6
                } else {
                    om = two(p, i &+ 3, &bad)
                    i &+= 5
                }
                guard !bad, oh < 24, om < 60 else { return nil }
                offsetSeconds = (oh &* 3600 &+ om &* 60) &* (c == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
            hasOffset = true
        }
        guard i == count else { return nil }
        let seconds = days &* 86_400 &+ Int64(hour &* 3600 &+ minute &* 60 &+ second &- offsetSeconds)
        return ParsedTimestamp(seconds: seconds, nanoseconds: Int32(truncatingIfNeeded: nanos), hasOffset: hasOffset, isDateOnly: false)
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` text (exactly ten bytes), or nil.
    public static func parseDate(_ text: UnsafeRawBufferPointer) -> Int64? {
        guard text.count == 10, let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        return parseDatePart(base)
    }

    /// True for a leap year of the proleptic Gregorian calendar.
    @inlinable public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days of a month (1–12).
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        // Count from 0000-03-01 so that the leap day ends each 4/100/400-year cycle.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int64(era * 146_097 + dayOfEra - 719_468)
    }
}
