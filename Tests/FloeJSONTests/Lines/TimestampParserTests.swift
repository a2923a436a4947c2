import Testing
@testable import FloeJSON

@Suite struct TimestampParserTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2019-05-27T13:45:10.123Z", 1_558_964_710_123_000),
        ("2019-05-27T13:45:10+02:00", 1_558_957_510_000_000),
        ("2019-05-27T13:45:10+0530", 1_558_944_910_000_000),
        ("2019-05-27T13:45:10-00:00", 1_558_964_710_000_000),
        ("2019-05-27 13:45:10Z", 1_558_964_710_000_000),
        ("2019-05-27t13:45:10z", 1_558_964_710_000_000),
        // Offsets that cross midnight, a month and a year.
        ("2019-05-27T01:30:00+03:00", 1_558_909_800_000_000),
        ("2019-12-31T23:30:00-01:00", 1_577_838_600_000_000),
        ("2019-03-01T00:15:00+01:00", 1_551_395_700_000_000),
        // Leap years.
        ("2020-02-29T00:00:00Z", 1_582_934_400_000_000),
        ("2000-02-29T12:00:00Z", 951_825_600_000_000),
        ("2024-12-31T00:00:00Z", 1_735_603_200_000_000),
        // Before 1970.
        ("1969-12-31T23:59:59.999999Z", -1),
        ("1969-12-31T23:59:59.5Z", -500_000),
        ("1900-01-01T00:00:00Z", -2_208_988_800_000_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000_000),
        ("9999-12-31T23:59:59Z", 253_402_300_799_000_000),
        // Fraction digits.
        ("2019-05-27T13:45:10.1Z", 1_558_964_710_100_000),
        ("2019-05-27T13:45:10.000001Z", 1_558_964_710_000_001),
        ("2019-05-27T13:45:10.123456789Z", 1_558_964_710_123_456),
    ] as [(String, Int64)])
    func micros(_ text: String, _ expected: Int64) {
        let ts = TimestampParser.parse(text)
        #expect(ts?.micros == expected, "\(text)")
        #expect(ts?.hasOffset == true)
    }

    @Test func nanosAndExactness() {
        let ts = TimestampParser.parse("2019-05-27T13:45:10.123456789Z")
        #expect(ts?.nanoseconds == 123_456_789)
        #expect(ts?.isExactMicros == false)
        #expect(ts?.nanos == 1_558_964_710_123_456_789)
        #expect(ts?.millis == 1_558_964_710_123)
        #expect(TimestampParser.parse("2019-05-27T13:45:10.123456000Z")?.isExactMicros == true)
        #expect(TimestampParser.parse("1969-12-31T23:59:59.999Z")?.millis == -1)
        #expect(TimestampParser.parse("1500-01-01T00:00:00Z")?.nanos == nil)  // beyond Int64 nanoseconds
    }

    @Test func withoutOffsetAndDateOnly() {
        let local = TimestampParser.parse("2019-05-27T13:45:10")
        #expect(local?.hasOffset == false)
        #expect(local?.micros == 1_558_964_710_000_000)
        let date = TimestampParser.parse("2019-05-27")
        #expect(date?.isDateOnly == true)
        #expect(date?.hasOffset == false)
        #expect(date?.micros == 1_558_915_200_000_000)
        #expect(Array("2019-05-27".utf8).withUnsafeBytes { TimestampParser.parseDate($0) } == 18_043)
        #expect(Array("1969-12-31".utf8).withUnsafeBytes { TimestampParser.parseDate($0) } == -1)
        #expect(Array("2019-05-27T00:00:00Z".utf8).withUnsafeBytes { TimestampParser.parseDate($0) } == nil)
    }

    @Test(arguments: [
        "", "abc", "2019", "2019-5-27", "20190527", "2019-05-27T", "2019-13-01T00:00:00Z", "2019-00-10T00:00:00Z",
        "2019-04-31T00:00:00Z", "2019-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2019-05-00T00:00:00Z",
        "2019-05-27T24:00:00Z", "2019-05-27T23:60:00Z", "2019-05-27T23:59:60Z", "2019-05-27T13:45Z",
        "2019-05-27T13:45:10.Z", "2019-05-27T13:45:10.1234567890Z", "2019-05-27T13:45:10+2:00",
        "2019-05-27T13:45:10+24:00", "2019-05-27T13:45:10+02:60", "2019-05-27T13:45:10 Z", "2019-05-27T13:45:10Zjunk",
        "2019-05-27T13:45:10+02:00:00", "2019-05-27X13:45:10Z", "2019-05-27T1:45:10Z", "-2019-05-27T13:45:10Z",
        "2019-05-27T13:45:10,5Z", "2019-05-27 ",
    ])
    func rejects(_ text: String) {
        #expect(TimestampParser.parse(text) == nil, "\(text)")
    }

    @Test func daysFromCivilAgreesWithDayCounting() {
        // Walk day by day from 1900 to 2100 and check the formula against a running count.
        var days = TimestampParser.daysFromCivil(year: 1900, month: 1, day: 1)
        #expect(days == -25_567)
        for year in 1900...2100 {
            for month in 1...12 {
                for day in 1...TimestampParser.daysInMonth(year: year, month: month) {
                    #expect(TimestampParser.daysFromCivil(year: year, month: month, day: day) == days)
                    days += 1
                }
            }
        }
    }
}
