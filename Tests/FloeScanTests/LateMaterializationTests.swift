import Testing
import FloeCore
@testable import FloeScan

/// Late materialization: when the filter keeps few rows of a unit, the other columns are read
/// only from the pages holding those rows.
@Suite struct LateMaterializationTests {
    /// A filter no statistic can prune (LIKE) keeps 9 rows of a 5000-row row group: the other
    /// columns come from one page each, and the rows are exactly the fixture's.
    @Test(arguments: [false, true])
    func needleReadsOnlyThePagesOfItsRows(dictionary: Bool) throws {
        let f = try SortedFixture(dictionary: dictionary)
        let (rows, stats) = try run("SELECT id, name, tags, grp FROM {} WHERE name LIKE 'n00700%'", f.path)
        let ids = (7000...7009).filter { SortedFixture.name($0) != nil }
        #expect(rows.map { $0[0] } == ids.map { String($0) })
        #expect(rows.map { $0[1] } == ids.map { "\"\(SortedFixture.name($0)!)\"" })
        #expect(rows.map { $0[2] } == ids.map(SortedFixture.tags))
        #expect(rows.map { $0[3] } == ids.map { String($0 % 5) })
        // Every page of `name` (3 row groups, 256-row pages: 48 pages) plus one page of each of
        // the three other columns, not their 48 pages each.
        let everything = try run("SELECT id, name, tags, grp FROM {}", f.path).stats
        #expect(stats.pagesRead <= 48 + 3 * 2, "\(stats)")
        #expect(everything.pagesRead >= 4 * 48, "\(everything)")
        #expect(stats.bytesRead * 2 < everything.bytesRead)
    }

    /// Rows spread over several pages and row groups, SELECT *, ORDER BY and an aggregate give
    /// the same answers as a brute-force reading of the fixture.
    @Test func selectedRowsAcrossPagesAndRowGroups() throws {
        let f = try SortedFixture()
        let picks = [3, 700, 701, 4999, 5000, 9001, 11999]
        let list = picks.map { "'\(SortedFixture.name($0) ?? "")'" }.joined(separator: ", ")
        let (rows, _) = try run("SELECT * FROM {} WHERE name IN (\(list)) ORDER BY id DESC", f.path)
        let kept = picks.filter { SortedFixture.name($0) != nil }.reversed()
        #expect(rows.map { $0[0] } == kept.map { String($0) })
        #expect(rows.map { $0[4] } == kept.map(SortedFixture.tags))
        let (sums, _) = try run("SELECT count(*), sum(grp), count(tags) FROM {} WHERE name IN (\(list))", f.path)
        #expect(sums == [[String(kept.count), String(kept.reduce(0) { $0 + $1 % 5 }),
                          String(kept.filter { $0 % 6 != 0 }.count)]])
    }
}

/// A result column whose values have several types (a key typed differently across files) is
/// stored as text, never as a vector whose storage disagrees with its type.
@Suite struct MixedTypeVectorTests {
    @Test func mixedValuesBecomeText() {
        let v = Vector.from([.string("a"), .integer(5), .null, .double(2.5), .boolean(true)], type: .string)
        #expect(v.type == .string)
        #expect((0..<5).map { v.value($0) } == [.string("a"), .string("5"), .null, .string("2.5"), .string("true")])
        let ints = Vector.from([.integer(1), .null, .timestamp(7)])
        #expect((0..<3).map { ints.value($0) } == [.integer(1), .null, .integer(7)])
        let widened = Vector.from([.integer(1), .double(0.5)], type: .double)
        #expect((0..<2).map { widened.value($0) } == [.double(1), .double(0.5)])
    }
}
