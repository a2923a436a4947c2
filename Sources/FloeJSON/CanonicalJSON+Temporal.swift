// DATE, TIME, TIMESTAMP and INT96 values.

/// The unit of a Parquet TIME or TIMESTAMP value.
public enum TemporalUnit: Sendable, Hashable {
    case millis, micros, nanos

    /// Units per second: 10^3, 10^6 or 10^9.
    public var perSecond: Int64 {
        switch self {
        case .millis: return 1_000
        case .micros: return 1_000_000
        case .nanos: return 1_000_000_000
        }
    }

    /// The number of fraction digits written: 3, 6 or 9.
    public var fractionDigits: Int {
        switch self {
        case .millis: return 3
        case .micros: return 6
        case .nanos: return 9
        }
    }
}

extension CanonicalJSON {
    /// Julian day number of 1970-01-01.
    public static let julianDayOfUnixEpoch: Int64 = 2_440_588

    static let secondsPerDay: Int64 = 86_400
    static let nanosPerDay: Int64 = 86_400_000_000_000
    static let microsPerDay: Int64 = 86_400_000_000

    /// Appends a DATE (days since 1970-01-01) as `"YYYY-MM-DD"`, proleptic Gregorian. Years outside
    /// 0...9999 take ISO 8601's expanded form with a sign and at least 4 digits: `"+10000-01-01"`,
    /// `"-0001-12-31"` (year 0 is 1 BC).
    public static func appendDate(days: Int32, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buf in
            buf[0] = asciiQuote
            var o = writeDate(days: Int64(days), into: buf, at: 1)
            buf[o] = asciiQuote
            o &+= 1
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[0..<o]))
        }
    }

    /// Appends a TIME (`value` units since midnight) as `"HH:MM:SS.fff"` with 3, 6 or 9 fraction
    /// digits by unit.
    ///
    /// Values outside one day (which a valid file does not hold) are still written exactly, never
    /// wrapped: hours keep counting past 23 (`"25:00:00.000"`) and a negative value is written as
    /// `-` and its magnitude (`"-00:00:00.001"`).
    public static func appendTime(_ value: Int64, unit: TemporalUnit, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
            buf[0] = asciiQuote
            var o = 1
            if value < 0 {
                buf[o] = asciiMinus
                o &+= 1
            }
            let magnitude = value.magnitude
            let perSecond = UInt64(unit.perSecond)
            let fraction = magnitude % perSecond
            let seconds = magnitude / perSecond
            let hours = seconds / 3600
            if hours < 100 {
                o = writeFixedDigits(hours, width: 2, into: buf, at: o)
            } else {
                let start = writeDigits(hours, into: buf, end: 48)
                for k in start..<48 { buf[o] = buf[k]; o &+= 1 }
            }
            o = writeClockTail(minutes: (seconds / 60) % 60, seconds: seconds % 60, fraction: fraction, unit: unit, into: buf, at: o)
            buf[o] = asciiQuote
            o &+= 1
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[0..<o]))
        }
    }

    /// Appends a TIMESTAMP (`value` units since 1970-01-01T00:00:00) as
    /// `"YYYY-MM-DDTHH:MM:SS.ffffff"` with 3, 6 or 9 fraction digits by unit, and a trailing `Z`
    /// when `adjustedToUTC`. Instants before 1970 floor correctly (−1 µs →
    /// `"1969-12-31T23:59:59.999999"`); every Int64 is in range (millis reach year ±292 million,
    /// written in expanded form as for ``appendDate(days:to:)``).
    public static func appendTimestamp(_ value: Int64, unit: TemporalUnit, adjustedToUTC: Bool, to out: inout [UInt8]) {
        let (days, ofDay) = floorDivision(value, secondsPerDay &* unit.perSecond)
        appendDateTime(days: days, unitsOfDay: UInt64(ofDay), unit: unit, zulu: adjustedToUTC, to: &out)
    }

    /// Appends a legacy INT96 timestamp: 8 bytes little-endian nanoseconds within the day, then
    /// 4 bytes little-endian Julian day number (signed, as Spark reads and writes it), as
    /// `"YYYY-MM-DDTHH:MM:SS.nnnnnnnnn"` (no `Z`).
    ///
    /// The date comes from the Julian day directly, with day arithmetic in Int64, so there is no
    /// 64-bit overflow: Spark's years 9999 and 290000 are exact (`"+290000-12-30T23:00:00.000000000"`).
    /// Nanoseconds outside 0..<86400·10^9 carry into the day count with floor arithmetic.
    ///
    /// One exception keeps Spark's files readable: Spark converts through 64-bit microseconds
    /// since the epoch with wrapping arithmetic, so an instant after +287564-12-03T04:00:54.775807
    /// (year 290000 in parquet-testing's `int96_from_spark.parquet`) is stored with a negative
    /// Julian day and negative nanoseconds. Exactly the 12-byte patterns Spark writes for such a wrapped
    /// instant are read back as Spark reads them (to that instant); every other pattern is read
    /// exactly. A value that is not 12 bytes long is written as base64, the view of any other
    /// binary value.
    public static func appendInt96(_ bytes12: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard bytes12.count == 12, let base = bytes12.baseAddress else {
            appendBase64(bytes12, to: &out)
            return
        }
        let nanos = Int64(littleEndian: base.loadUnaligned(fromByteOffset: 0, as: Int64.self))
        let julianDay = Int32(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: Int32.self))
        let (days, nanosOfDay) = int96Instant(nanos: nanos, julianDay: julianDay)
        appendDateTime(days: days, unitsOfDay: UInt64(nanosOfDay), unit: .nanos, zulu: false, to: &out)
    }

    /// The INT96 instant as days since 1970-01-01 and nanoseconds within that day (see
    /// ``appendInt96(_:to:)``).
    static func int96Instant(nanos: Int64, julianDay: Int32) -> (days: Int64, nanosOfDay: Int64) {
        if julianDay < 0 && nanos <= 0, let micros = sparkWrappedMicros(nanos: nanos, julianDay: julianDay) {
            let (days, microsOfDay) = floorDivision(micros, microsPerDay)
            return (days, microsOfDay &* 1000)
        }
        let (carryDays, nanosOfDay) = floorDivision(nanos, nanosPerDay)
        return (Int64(julianDay) &- julianDayOfUnixEpoch &+ carryDays, nanosOfDay)
    }

    /// The microseconds since the epoch that Spark wrote as (`julianDay`, `nanos`) when its
    /// conversion (µs + 2440588·86400·10^6, then truncating division by a day) wrapped past
    /// Int64.max; nil when the pair is not such an encoding.
    static func sparkWrappedMicros(nanos: Int64, julianDay: Int32) -> Int64? {
        let epochMicros = julianDayOfUnixEpoch &* microsPerDay
        // Spark's reading, with its wrapping arithmetic.
        let micros = (Int64(julianDay) &- julianDayOfUnixEpoch) &* microsPerDay &+ nanos / 1000
        guard micros > Int64.max &- epochMicros else { return nil }  // writing it wrapped
        // Spark's writing of that instant must give back exactly these bytes.
        let julianMicros = micros &+ epochMicros
        guard julianMicros / microsPerDay == Int64(julianDay),
              (julianMicros % microsPerDay) &* 1000 == nanos else { return nil }
        return micros
    }

    /// ⌊a / b⌋ and a − b·⌊a / b⌋ (in 0..<b) for b > 0, without overflow.
    @inline(__always)
    static func floorDivision(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q &- 1, r &+ b) : (q, r)
    }
}

// MARK: - Temporal internals

extension CanonicalJSON {
    static func appendDateTime(days: Int64, unitsOfDay: UInt64, unit: TemporalUnit, zulu: Bool, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buf in
            buf[0] = asciiQuote
            var o = writeDate(days: days, into: buf, at: 1)
            buf[o] = 0x54  // T
            o &+= 1
            let perSecond = UInt64(unit.perSecond)
            let seconds = unitsOfDay / perSecond
            o = writeFixedDigits(seconds / 3600, width: 2, into: buf, at: o)
            o = writeClockTail(minutes: (seconds / 60) % 60, seconds: seconds % 60, fraction: unitsOfDay % perSecond, unit: unit, into: buf, at: o)
            if zulu {
                buf[o] = 0x5A  // Z
                o &+= 1
            }
            buf[o] = asciiQuote
            o &+= 1
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[0..<o]))
        }
    }

    /// Writes `:MM:SS.fff…`; returns the end index.
    @inline(__always)
    static func writeClockTail(minutes: UInt64, seconds: UInt64, fraction: UInt64, unit: TemporalUnit, into buf: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        var o = at
        buf[o] = asciiColon
        o = writeFixedDigits(minutes, width: 2, into: buf, at: o &+ 1)
        buf[o] = asciiColon
        o = writeFixedDigits(seconds, width: 2, into: buf, at: o &+ 1)
        buf[o] = asciiDot
        return writeFixedDigits(fraction, width: unit.fractionDigits, into: buf, at: o &+ 1)
    }

    /// Writes `YYYY-MM-DD` (expanded year form outside 0...9999) for `days` since 1970-01-01;
    /// returns the end index. Needs at most 32 bytes.
    static func writeDate(days: Int64, into buf: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        var o = at
        if year >= 0 && year <= 9999 {
            o = writeFixedDigits(UInt64(year), width: 4, into: buf, at: o)
        } else {
            buf[o] = year < 0 ? asciiMinus : asciiPlus
            o &+= 1
            let magnitude = year.magnitude
            if magnitude <= 9999 {
                o = writeFixedDigits(magnitude, width: 4, into: buf, at: o)
            } else {
                let n = decimalDigitCount(magnitude)
                _ = writeDigits(magnitude, into: buf, end: o &+ n)
                o &+= n
            }
        }
        buf[o] = asciiMinus
        o = writeFixedDigits(UInt64(month), width: 2, into: buf, at: o &+ 1)
        buf[o] = asciiMinus
        return writeFixedDigits(UInt64(day), width: 2, into: buf, at: o &+ 1)
    }
}
