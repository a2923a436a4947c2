import Testing
import FloeCore
import FloeEncodings
import FloeColumns
import FloeParquet

/// NestedAssembly on corpus files, against the offsets and validity pyarrow 26 gives for the
/// same files (`pq.read_table(...).column(i).combine_chunks()`, its `.offsets` and
/// `.is_valid()` per level).
@Suite struct NestedAssemblyCorpusTests {
    func fields(_ name: String) throws -> [NestedField]? {
        guard Corpus.root != nil else {
            if Corpus.isCI { Issue.record("CI=true but ../shared/parquet-testing is missing") }
            return nil
        }
        let file = try ParquetFile(path: Corpus.path("data", name))
        #expect(file.rowGroupCount == 1)
        let columns: [ColumnData?] = try file.schema.leaves.indices.map { try file.readColumn(rowGroup: 0, column: $0) }
        return try NestedAssembly.assemble(schema: file.schema, columns: columns)
    }

    func validBits(_ a: NestedArray) -> String {
        String((0..<a.length).map { a.isNull($0) ? "0" : "1" })
    }

    func list(_ a: NestedArray) -> (offsets: [Int32], element: NestedArray)? {
        if case .list(let o, let e) = a.node { return (o, e) }
        return nil
    }

    @Test func listColumns() throws {
        guard let out = try fields("list_columns.parquet") else { return }
        #expect(out.map(\.name) == ["int64_list", "utf8_list"])
        // [[1, 2, 3], [None, 1], [4]]
        let ints = out[0].array
        #expect(validBits(ints) == "111")
        let (o1, e1) = try #require(list(ints))
        #expect(o1 == [0, 3, 5, 6])
        #expect(validBits(e1) == "111011")
        #expect(e1.node == .primitive(leaf: 0, values: .int64([1, 2, 3, 0, 1, 4])))
        // [['abc', 'efg', 'hij'], None, ['efg', None, 'hij', 'xyz']]
        let strings = out[1].array
        #expect(validBits(strings) == "101")
        let (o2, e2) = try #require(list(strings))
        #expect(o2 == [0, 3, 3, 7])
        #expect(validBits(e2) == "1111011")
        let bytes = Array("abcefghijefghijxyz".utf8)
        #expect(e2.node == .primitive(leaf: 1, values: .byteArray(BinaryValues(offsets: [0, 3, 6, 9, 12, 12, 15, 18], bytes: bytes))))
    }

    @Test func threeLevelListsOfStrings() throws {
        guard let out = try fields("nested_lists.snappy.parquet") else { return }
        #expect(out.map(\.name) == ["a", "b"])
        let a = out[0].array
        #expect(validBits(a) == "111")
        let (o1, l2) = try #require(list(a))
        #expect(o1 == [0, 2, 4, 6])
        #expect(validBits(l2) == "111111")
        let (o2, l3) = try #require(list(l2))
        #expect(o2 == [0, 2, 4, 6, 8, 11, 13])
        #expect(validBits(l3) == "1101110111101")
        let (o3, leaf) = try #require(list(l3))
        #expect(o3 == [0, 2, 3, 3, 4, 6, 8, 8, 9, 11, 13, 14, 14, 15])
        #expect(leaf.length == 15 && leaf.nullCount == 0 && leaf.validity == nil)
        guard case .primitive(_, .byteArray(let v)) = leaf.node else { Issue.record("not strings"); return }
        #expect((0..<v.count).map { String(decoding: v[$0], as: UTF8.self) } ==
                ["a", "b", "c", "d", "a", "b", "c", "d", "e", "a", "b", "c", "d", "e", "f"])
        #expect(out[1].array.node == .primitive(leaf: 1, values: .int32([1, 1, 1])))
    }
}
