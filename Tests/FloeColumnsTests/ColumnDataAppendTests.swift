import Testing
import FloeEncodings
@testable import FloeColumns

/// Appending runs of a column (the writer's pending rows) and reserving room for them.
@Suite struct ColumnDataAppendTests {
    static let runs: [ColumnData] = [
        ColumnData(values: .byteArray(BinaryValues(["a", "", "ccc"].map { Array($0.utf8) })), definitionLevels: [1, 0, 1, 1]),
        ColumnData(values: .byteArray(BinaryValues(["dd"].map { Array($0.utf8) })), definitionLevels: [0, 1]),
        ColumnData(values: .byteArray(BinaryValues(["", "eeeee", "f"].map { Array($0.utf8) })), definitionLevels: [1, 1, 1]),
    ]

    @Test(arguments: [1, 2, 3, 50])
    func reservingKeepsContentAndGivesRoom(factor: Int) {
        var data = Self.runs[0]
        data.reserveCapacity(times: factor)
        #expect(data == Self.runs[0])
        guard case .byteArray(let v) = data.values else { Issue.record("not a byte array"); return }
        if factor > 1 {
            #expect(v.offsets.capacity >= 3 * factor + 1)
            #expect(v.bytes.capacity >= 4 * factor)
            #expect(data.definitionLevels.capacity >= 4 * factor)
        }
        for run in Self.runs.dropFirst() { data.append(contentsOf: run) }
        let expected = BinaryValues(["a", "", "ccc", "dd", "", "eeeee", "f"].map { Array($0.utf8) })
        #expect(data.values == .byteArray(expected))
        #expect(data.definitionLevels == [1, 0, 1, 1, 0, 1, 1, 1, 1])
    }

    @Test func reservingFixedWidthValues() {
        var ints = ColumnData(values: .int64([1, -2, 3]))
        ints.reserveCapacity(times: 4)
        ints.append(contentsOf: ColumnData(values: .int64([4])))
        #expect(ints.values == .int64([1, -2, 3, 4]))
        var fixed = ColumnData(values: .fixedLenByteArray(FixedWidthValues(width: 2, bytes: [1, 2, 3, 4])), repetitionLevels: [])
        fixed.reserveCapacity(times: 3)
        fixed.append(contentsOf: ColumnData(values: .fixedLenByteArray(FixedWidthValues(width: 2, bytes: [5, 6]))))
        #expect(fixed.values == .fixedLenByteArray(FixedWidthValues(width: 2, bytes: [1, 2, 3, 4, 5, 6])))
    }
}
