import FloeCore
import FloeThrift

/// The row counts of a footer, read without decoding anything else: `num_rows` and each row
/// group's `num_rows`. Every other field — the schema, the column chunks — is skipped, though
/// still walked, so that a malformed footer is refused as by a full decode. Answers
/// `count(*)` from the footer at a fraction of the cost of ``FileMetaData``.
public struct FileRowCounts: Sendable, Equatable {
    /// The file's row count (`FileMetaData.num_rows`).
    public var numRows: Int64
    /// Each row group's row count.
    public var rowGroups: [Int64]
    /// True when the footer names an encryption algorithm (encrypted columns).
    public var isEncrypted: Bool

    /// Decodes the row counts of the `FileMetaData` in `bytes` (`baseOffset` is its file offset,
    /// for error locations).
    public static func decode(_ bytes: [UInt8], baseOffset: Int = 0) throws(FloeError) -> FileRowCounts {
        try CompactReader.withReader(bytes, baseOffset: baseOffset) { (r: inout CompactReader) throws(FloeError) -> FileRowCounts in
            let start = r.fileOffset
            var out = FileRowCounts(numRows: 0, rowGroups: [], isEncrypted: false)
            try r.enterStruct()
            var seen: UInt32 = 0
            var last: Int16 = 0
            while let f = try r.readFieldHeader(lastId: &last) {
                switch (f.id, f.type) {
                case (1, .i32): _ = try r.readI32(); seen |= 1
                case (2, .list): try r.skipField(f); seen |= 2
                case (3, .i64): out.numRows = try r.readI64(); seen |= 4
                case (4, .list):
                    let list = try r.readListHeader()
                    guard list.elementType == .struct else {
                        throw FloeError(.corrupt, "FileMetaData.row_groups holds \(list.elementType), not structs",
                                        at: Location(offset: r.fileOffset))
                    }
                    out.rowGroups.reserveCapacity(list.count)
                    for _ in 0..<list.count { out.rowGroups.append(try rowGroupRows(&r)) }
                    seen |= 8
                case (8, .struct): try r.skipField(f); out.isEncrypted = true
                default: try r.skipField(f)
                }
            }
            r.exitStruct()
            guard seen == 0b1111 else {
                throw missingRequired("FileMetaData", ["version", "schema", "num_rows", "row_groups"], seen: seen, at: start)
            }
            return out
        }
    }

    /// The `num_rows` of the `RowGroup` at the reader (its other fields skipped).
    private static func rowGroupRows(_ r: inout CompactReader) throws(FloeError) -> Int64 {
        let start = r.fileOffset
        try r.enterStruct()
        var rows: Int64?
        var last: Int16 = 0
        var seen: UInt32 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .list): try r.skipField(f); seen |= 1
            case (2, .i64): _ = try r.readI64(); seen |= 2
            case (3, .i64): rows = try r.readI64(); seen |= 4
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard seen == 0b111, let rows else {
            throw missingRequired("RowGroup", ["columns", "total_byte_size", "num_rows"], seen: seen, at: start)
        }
        return rows
    }
}
