// Inputs that reach bugs already found and reported (each has a regression test in
// Tests/FloeParquetTests/VerifyRegressionTests.swift). The targets skip them so that fuzzing
// goes on finding new ones; delete a filter once its bug is fixed.
import Floe

enum KnownBugs {
    /// Schema(elements:) indexes past the element list when a group's children claim more
    /// elements than remain after an earlier sibling's subtree (FloeColumns/Schema.swift,
    /// readChildren).
    static func schemaOverrun(_ elements: [SchemaElement]) -> Bool {
        guard let root = elements.first else { return false }
        var open = [Int(root.numChildren ?? 0)]
        var position = 1
        while let left = open.last {
            if left <= 0 { open.removeLast(); continue }
            if position >= elements.count { return true }
            open[open.count - 1] -= 1
            let n = Int(elements[position].numChildren ?? 0)
            position += 1
            if n > 0 { open.append(n) }
        }
        return false
    }

    /// A column chunk with num_values 0 reads as no data whatever the row group's row count
    /// (ParquetFile.readColumn returns early; ColumnChunkProbe does the same), so its row count
    /// is not checked. `floe verify` reports such chunks.
    static let emptyChunkIgnoresRowCount = true

    /// The footer of a file's bytes, if it decodes.
    static func footer(of bytes: [UInt8]) -> FileMetaData? {
        let n = bytes.count
        guard n >= 12 else { return nil }
        let length = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16 | Int(bytes[n - 5]) << 24
        guard length > 0, length <= n - 12 else { return nil }
        return try? FileMetaData(decoding: Array(bytes[(n - 8 - length)..<(n - 8)]))
    }
}
