import Testing
@testable import FloeJSON

/// Timestamp parsing that remembers the last date part gives exactly what parsing afresh gives.
@Suite struct TimestampMemoTests {
    func parse(_ text: String, memo: inout DateMemo) -> ParsedTimestamp? {
        var s = text
        return s.withUTF8 { buf -> ParsedTimestamp? in
            guard let base = buf.baseAddress else { return nil }
            return TimestampParser.parse(base, buf.count, memo: &memo)
        }
    }

    @Test func memoAgreesWithAFreshParse() throws {
        let texts = [
            "2019-05-22T17:58:02.640Z", "2019-05-22T17:58:03.010Z", "2019-05-22T23:59:59.999999+02:00",
            "2019-05-22", "2019-05-22T24:00:00Z", "2019-05-22T10:00:00.1234567Z", "2019-05-22x10:00:00Z",
            "2019-05-23T00:00:00Z", "2019-02-29T00:00:00Z", "2019-02-29T00:00:01Z", "2020-02-29T00:00:00Z",
            "2020-02-29T12:00:00-0130", "2019-05-2", "2019-05-22T17:58:02.640Z", "2019-13-01T00:00:00Z",
            "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2019-05-22 17:58:02",
        ]
        var memo = DateMemo()
        for text in texts {
            let remembered = parse(text, memo: &memo)
            #expect(remembered == TimestampParser.parse(text), "\(text)")
        }
        // The memo holds the last date that parsed: 2019-05-22, day 18038 since the epoch.
        #expect(memo.days == 18038)
        // An invalid date is never remembered.
        _ = parse("2019-02-30T00:00:00Z", memo: &memo)
        #expect(memo.days == 18038)
        #expect(try #require(parse("2019-05-22T00:00:01Z", memo: &memo)).seconds == 18038 * 86_400 + 1)
    }
}
