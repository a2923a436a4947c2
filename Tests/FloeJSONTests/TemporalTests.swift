import Testing
@testable import FloeJSON

func renderInt96(_ bytes: [UInt8]) -> String {
    render { out in bytes.withUnsafeBytes { CanonicalJSON.appendInt96($0, to: &out) } }
}

/// 12 INT96 bytes: little-endian nanoseconds of the day, then little-endian Julian day.
func int96Bytes(nanos: Int64, julianDay: Int32) -> [UInt8] {
    withUnsafeBytes(of: nanos.littleEndian) { Array($0) } + withUnsafeBytes(of: julianDay.littleEndian) { Array($0) }
}

@Suite struct CivilCalendarTests {
    /// (days since 1970-01-01, year, month, day), computed offline with 400-year shifts of
    /// Python's datetime.
    static let knownDates: [(Int64, Int64, Int, Int)] = [
        (0, 1970, 1, 1), (-1, 1969, 12, 31), (-719_162, 1, 1, 1), (2_932_896, 9999, 12, 31),
        (11_016, 2000, 2, 29), (-25_508, 1900, 3, 1), (-25_509, 1900, 2, 28), (20_088, 2024, 12, 31),
        (-719_528, 0, 1, 1), (-719_529, -1, 12, 31), (-2_545_681, -5000, 3, 1), (-2_546_047, -5001, 2, 28),
        (105_201_161, 290_000, 12, 30), (2_932_897, 10_000, 1, 1),
        (-2_147_483_648, -5_877_641, 6, 23), (2_147_483_647, 5_881_580, 7, 11),
    ]

    @Test(arguments: knownDates)
    func knownDays(days: Int64, year: Int64, month: Int, day: Int) {
        let civil = CivilCalendar.civil(fromDays: days)
        #expect(civil.year == year && civil.month == month && civil.day == day)
        #expect(CivilCalendar.days(fromYear: year, month: month, day: day) == days)
    }

    /// Consecutive days step through the calendar one day at a time, far from 1970 too.
    @Test(arguments: [Int64(-800_000), -3_000_000, 105_000_000, -106_000_000, 0, 1_000_000_000_000, -1_000_000_000_000])
    func consecutiveDays(start: Int64) {
        var previous = CivilCalendar.civil(fromDays: start - 1)
        for days in start..<(start + 1_500) {
            let c = CivilCalendar.civil(fromDays: days)
            #expect(CivilCalendar.days(fromYear: c.year, month: c.month, day: c.day) == days)
            let isNextDay = (c.year == previous.year && c.month == previous.month && c.day == previous.day + 1)
                || (c.year == previous.year && c.month == previous.month + 1 && c.day == 1)
                || (c.year == previous.year + 1 && c.month == 1 && c.day == 1 && previous.month == 12 && previous.day == 31)
            #expect(isNextDay, "\(days)")
            previous = c
        }
    }
}

@Suite struct TemporalTests {
    @Test(arguments: [
        (Int32(0), "\"1970-01-01\""), (-1, "\"1969-12-31\""), (-719_162, "\"0001-01-01\""), (2_932_896, "\"9999-12-31\""),
        (11_016, "\"2000-02-29\""), (-25_508, "\"1900-03-01\""), (-25_509, "\"1900-02-28\""),
        (-719_528, "\"0000-01-01\""), (-719_529, "\"-0001-12-31\""), (-2_545_681, "\"-5000-03-01\""),
        (105_201_161, "\"+290000-12-30\""), (2_932_897, "\"+10000-01-01\""),
        (Int32.min, "\"-5877641-06-23\""), (Int32.max, "\"+5881580-07-11\""),
    ])
    func dates(days: Int32, expected: String) {
        #expect(render { CanonicalJSON.appendDate(days: days, to: &$0) } == expected)
    }

    @Test(arguments: [
        (Int64(0), TemporalUnit.millis, "\"00:00:00.000\""), (1, .millis, "\"00:00:00.001\""),
        (45_296_789, .millis, "\"12:34:56.789\""), (86_399_999, .millis, "\"23:59:59.999\""),
        (45_296_789_012, .micros, "\"12:34:56.789012\""), (86_399_999_999, .micros, "\"23:59:59.999999\""),
        (45_296_789_012_345, .nanos, "\"12:34:56.789012345\""), (86_399_999_999_999, .nanos, "\"23:59:59.999999999\""),
        (1, .nanos, "\"00:00:00.000000001\""),
        // Out-of-day values (not valid TIME) are written exactly, not wrapped.
        (86_400_000, .millis, "\"24:00:00.000\""), (90_000_000, .millis, "\"25:00:00.000\""),
        (-1, .millis, "\"-00:00:00.001\""), (-3_600_000_000, .micros, "\"-01:00:00.000000\""),
        (Int64.max, .millis, "\"2562047788015:12:55.807\""), (Int64.min, .nanos, "\"-2562047:47:16.854775808\""),
    ])
    func times(value: Int64, unit: TemporalUnit, expected: String) {
        #expect(render { CanonicalJSON.appendTime(value, unit: unit, to: &$0) } == expected)
    }

    @Test(arguments: [
        (Int64(0), TemporalUnit.millis, "1970-01-01T00:00:00.000"), (-1, .millis, "1969-12-31T23:59:59.999"),
        (1, .millis, "1970-01-01T00:00:00.001"), (-86_400_000, .millis, "1969-12-31T00:00:00.000"),
        (-86_400_001, .millis, "1969-12-30T23:59:59.999"), (1_704_141_296_123, .millis, "2024-01-01T20:34:56.123"),
        (Int64.max, .millis, "+292278994-08-17T07:12:55.807"), (Int64.min, .millis, "-292275055-05-16T16:47:04.192"),
        (0, .micros, "1970-01-01T00:00:00.000000"), (-1, .micros, "1969-12-31T23:59:59.999999"),
        (-86_400_000_000, .micros, "1969-12-31T00:00:00.000000"), (-86_400_000_001, .micros, "1969-12-30T23:59:59.999999"),
        (1_704_141_296_123_456, .micros, "2024-01-01T20:34:56.123456"),
        (9_012_505_233_654_775_807, .micros, "+287564-12-03T04:00:54.775807"),
        (Int64.max, .micros, "+294247-01-10T04:00:54.775807"), (Int64.min, .micros, "-290308-12-21T19:59:05.224192"),
        (0, .nanos, "1970-01-01T00:00:00.000000000"), (-1, .nanos, "1969-12-31T23:59:59.999999999"),
        (-86_400_000_000_001, .nanos, "1969-12-30T23:59:59.999999999"),
        (1_704_141_296_123_456_000, .nanos, "2024-01-01T20:34:56.123456000"),
        (Int64.max, .nanos, "2262-04-11T23:47:16.854775807"), (Int64.min, .nanos, "1677-09-21T00:12:43.145224192"),
        (-62_135_596_800_000, .millis, "0001-01-01T00:00:00.000"), (253_402_300_799_999_999, .micros, "9999-12-31T23:59:59.999999"),
    ])
    func timestamps(value: Int64, unit: TemporalUnit, expected: String) {
        #expect(render { CanonicalJSON.appendTimestamp(value, unit: unit, adjustedToUTC: false, to: &$0) } == "\"\(expected)\"")
        #expect(render { CanonicalJSON.appendTimestamp(value, unit: unit, adjustedToUTC: true, to: &$0) } == "\"\(expected)Z\"")
    }

    /// The instants of parquet-testing's int96_from_spark.parquet (its .md lists them as
    /// microseconds since the epoch), encoded as Julian day + nanoseconds of the day.
    @Test(arguments: [
        ("002a1ed963430000978a2500", "\"2024-01-01T20:34:56.123456000\""),      // 1704141296123456 µs
        ("00a0b83046030000978a2500", "\"2024-01-01T01:00:00.000000000\""),      // 1704070800000000 µs
        ("00e02992d20900002cfe5100", "\"9999-12-31T03:00:00.000000000\""),      // 253402225200000000 µs
        ("006096604e4b0000038c2500", "\"2024-12-30T23:00:00.000000000\""),      // 1735599600000000 µs
        ("006096604e4b0000957b6a06", "\"+290000-12-30T23:00:00.000000000\""),   // 9089380393200000000 µs
        // The fifth value as Spark actually stored it in the file (its dictionary page): its
        // 64-bit microsecond arithmetic wrapped, leaving a negative Julian day and nanoseconds.
        ("0060b9c76ee2ffffa8abb0f9", "\"+290000-12-30T23:00:00.000000000\""),
    ])
    func int96FromSpark(hex: String, expected: String) {
        #expect(renderInt96(hexBytes(hex)) == expected)
    }

    @Test func int96Basics() {
        #expect(renderInt96(int96Bytes(nanos: 0, julianDay: 2_440_588)) == "\"1970-01-01T00:00:00.000000000\"")
        #expect(renderInt96(int96Bytes(nanos: 1, julianDay: 2_440_587)) == "\"1969-12-31T00:00:00.000000001\"")
        #expect(renderInt96(int96Bytes(nanos: 86_399_999_999_999, julianDay: 2_440_587)) == "\"1969-12-31T23:59:59.999999999\"")
        #expect(renderInt96(int96Bytes(nanos: 0, julianDay: 1_721_426)) == "\"0001-01-01T00:00:00.000000000\"")
        #expect(renderInt96(int96Bytes(nanos: 0, julianDay: 0)) == "\"-4713-11-24T00:00:00.000000000\"")
        // Nanoseconds outside one day carry into the date with floor arithmetic.
        #expect(renderInt96(int96Bytes(nanos: 86_400_000_000_000, julianDay: 2_440_588)) == "\"1970-01-02T00:00:00.000000000\"")
        #expect(renderInt96(int96Bytes(nanos: -1, julianDay: 2_440_588)) == "\"1969-12-31T23:59:59.999999999\"")
        #expect(renderInt96(int96Bytes(nanos: Int64.max, julianDay: 2_440_588)) == "\"2262-04-11T23:47:16.854775807\"")
        #expect(renderInt96(int96Bytes(nanos: Int64.min, julianDay: 2_440_588)) == "\"1677-09-21T00:12:43.145224192\"")
        // Extreme Julian days need no 64-bit nanosecond total.
        #expect(renderInt96(int96Bytes(nanos: 0, julianDay: Int32.max)) == "\"+5874898-06-03T00:00:00.000000000\"")
        #expect(renderInt96(int96Bytes(nanos: 0, julianDay: Int32.min)) == "\"-5884323-05-15T00:00:00.000000000\"")
        // Wrong length: base64, like any other binary value.
        #expect(renderInt96([1, 2, 3]) == "\"AQID\"")
    }

    /// Whenever the instant fits 64-bit nanoseconds, INT96 and a nanosecond TIMESTAMP agree.
    @Test func int96AgreesWithNanosecondTimestamps() {
        var rng = SeededGenerator(seed: 96)
        for _ in 0..<20_000 {
            let total = Int64(bitPattern: rng.next())
            let (days, nanosOfDay) = CanonicalJSON.floorDivision(total, CanonicalJSON.nanosPerDay)
            // Split differently: move a random number of whole days into the nanoseconds field.
            let shift = Int64(rng.next() % 200) - 100
            let julian = days + CanonicalJSON.julianDayOfUnixEpoch - shift
            let nanos = nanosOfDay.addingReportingOverflow(shift * CanonicalJSON.nanosPerDay)
            guard !nanos.overflow, let jd = Int32(exactly: julian) else { continue }
            let viaTimestamp = render { CanonicalJSON.appendTimestamp(total, unit: .nanos, adjustedToUTC: false, to: &$0) }
            #expect(renderInt96(int96Bytes(nanos: nanos.partialValue, julianDay: jd)) == viaTimestamp)
        }
    }

    /// Spark's INT96 writing of a microsecond timestamp (64-bit arithmetic that wraps).
    static func sparkEncode(micros: Int64) -> [UInt8] {
        let microsPerDay: Int64 = 86_400_000_000
        let julianMicros = micros &+ 2_440_588 &* microsPerDay
        return int96Bytes(nanos: (julianMicros % microsPerDay) &* 1000,
                          julianDay: Int32(truncatingIfNeeded: julianMicros / microsPerDay))
    }

    /// Every microsecond instant Spark can write reads back as that instant, including the ones
    /// whose encoding wrapped (after +287564-12-03T04:00:54.775807).
    @Test func sparkWrittenInstantsReadBack() {
        var rng = SeededGenerator(seed: 0x5BA4C)
        var samples: [Int64] = [.max, .min, .max - 1, 0, -1, 9_089_380_393_200_000_000, 9_012_505_233_654_775_807, 9_012_505_233_654_775_808]  // the last instant written without a wrap, and the first with one
        for _ in 0..<20_000 { samples.append(Int64(bitPattern: rng.next())) }
        for _ in 0..<5_000 { samples.append(Int64.max - Int64(rng.next() % 300_000_000_000_000_000)) }
        for micros in samples {
            var expected = render { CanonicalJSON.appendTimestamp(micros, unit: .micros, adjustedToUTC: false, to: &$0) }
            expected.insert(contentsOf: "000", at: expected.index(before: expected.endIndex))
            #expect(renderInt96(Self.sparkEncode(micros: micros)) == expected, "\(micros)")
        }
    }
}
