/// Days since 1970-01-01 ↔ proleptic Gregorian year, month and day.
///
/// Years use astronomical numbering (year 0 is 1 BC, year −1 is 2 BC). The arithmetic works in
/// whole 400-year eras (146 097 days each), so it is exact far from 1970 — for any day count of
/// magnitude up to 2^60 — and uses wrapping operations beyond that instead of trapping.
/// (Howard Hinnant's public-domain days-from-civil method.)
public enum CivilCalendar {
    /// Days from 0000-03-01 (the start of an era, with leap days at the end of each year) to
    /// 1970-01-01.
    static let epochShift: Int64 = 719_468
    static let daysPerEra: Int64 = 146_097

    /// The calendar date of `days` since 1970-01-01 (negative before it).
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days &+ epochShift
        let era = (z >= 0 ? z : z &- (daysPerEra &- 1)) / daysPerEra
        let dayOfEra = z &- era &* daysPerEra  // 0...146096
        let yearOfEra = (dayOfEra &- dayOfEra / 1460 &+ dayOfEra / 36_524 &- dayOfEra / 146_096) / 365  // 0...399
        let dayOfYear = dayOfEra &- (365 &* yearOfEra &+ yearOfEra / 4 &- yearOfEra / 100)  // 0...365, from March 1
        let shiftedMonth = (5 &* dayOfYear &+ 2) / 153  // 0...11, March = 0
        let day = dayOfYear &- (153 &* shiftedMonth &+ 2) / 5 &+ 1
        let month = shiftedMonth < 10 ? shiftedMonth &+ 3 : shiftedMonth &- 9
        let year = yearOfEra &+ era &* 400 &+ (month <= 2 ? 1 : 0)
        return (year, Int(month), Int(day))
    }

    /// The days since 1970-01-01 of a calendar date (`month` 1...12, `day` 1...31; other values
    /// are not rejected and extrapolate linearly).
    public static func days(fromYear year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year &- 1 : year
        let era = (y >= 0 ? y : y &- 399) / 400
        let yearOfEra = y &- era &* 400  // 0...399
        let m = Int64(month)
        let dayOfYear = (153 &* (m > 2 ? m &- 3 : m &+ 9) &+ 2) / 5 &+ Int64(day) &- 1
        let dayOfEra = yearOfEra &* 365 &+ yearOfEra / 4 &- yearOfEra / 100 &+ dayOfYear
        return era &* daysPerEra &+ dayOfEra &- epochShift
    }
}
