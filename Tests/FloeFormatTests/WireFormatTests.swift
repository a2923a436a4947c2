import FloeCore
import FloeThrift
import FloeFormat
import Testing

/// Hand-made compact-protocol bytes for the tricky parts of the format model.
@Suite struct WireFormatTests {
    @Test func unknownLogicalTypeMemberWithBodyIsSkipped() throws {
        let bytes: [UInt8] = [
            0x48, 0x01, 0x61,             // 4: name "a"
            0x6C,                         // 10: logicalType (struct)
            0x0C, 0xF6, 0x27,             //   long-form member id 2555 (struct)
            0x19, 0x2C,                   //     1: list<struct> of 2
            0x15, 0x0A, 0x00,             //       {1: i32 5}
            0x00,                         //       {}
            0x1B, 0x01, 0x86, 0x01, 0x6B, 0x04, // 2: map<binary, i64> {"k": 2}
            0x00,                         //     end of member
            0x00,                         //   end of union
            0x1B, 0x00,                   // 11: unknown empty map
            0x19, 0x19, 0x25, 0x02, 0x04, // 12: unknown list<list<i32>> [[1, 2]]
            0x00,
        ]
        let (element, length) = try SchemaElement.decode(bytes)
        #expect(length == bytes.count)
        #expect(element == SchemaElement(name: "a", logicalType: .unrecognized(fieldId: 2555)))
        // Re-encoding keeps the unknown member's id (its body is gone).
        let again = try SchemaElement(decoding: element.encoded())
        #expect(again.logicalType == .unrecognized(fieldId: 2555))
    }

    @Test func exactEncodings() {
        #expect(KeyValue(key: "a", value: "b").encoded() == [0x18, 0x01, 0x61, 0x18, 0x01, 0x62, 0x00])
        #expect(LogicalType.string.encoded() == [0x1C, 0x00, 0x00])
        #expect(LogicalType.timestamp(isAdjustedToUTC: true, unit: .micros).encoded()
            == [0x8C, 0x11, 0x1C, 0x2C, 0x00, 0x00, 0x00, 0x00])
        #expect(LogicalType.integer(bitWidth: -8, isSigned: false).encoded() == [0xAC, 0x13, 0xF8, 0x12, 0x00, 0x00])
        #expect(LogicalType.unrecognized(fieldId: 0).encoded() == [0x00])
        #expect(SortingColumn(columnIdx: 3, descending: true, nullsFirst: false).encoded() == [0x15, 0x06, 0x11, 0x12, 0x00])
        #expect(ColumnIndex(nullPages: [true, false], minValues: [], maxValues: [], boundaryOrder: .ascending).encoded()
            == [0x19, 0x21, 0x01, 0x02, 0x19, 0x08, 0x19, 0x08, 0x15, 0x02, 0x00])
        #expect(PageHeader(type: .dataPage, uncompressedPageSize: 1, compressedPageSize: -1, crc: Int32.min).encoded()
            == [0x15, 0x00, 0x15, 0x02, 0x15, 0x01, 0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00])
    }

    @Test func boolsAndNegativeValuesDecode() throws {
        #expect(try SortingColumn(decoding: [0x15, 0x05, 0x12, 0x11, 0x00])
            == SortingColumn(columnIdx: -3, descending: false, nullsFirst: true))
        // Bool list elements: 1 true, 0 or 2 false (element type 1 or 2).
        let index = try ColumnIndex(decoding: [0x19, 0x32, 0x01, 0x00, 0x02, 0x19, 0x08, 0x19, 0x08, 0x15, 0x04, 0x00])
        #expect(index.nullPages == [true, false, false])
        #expect(index.boundaryOrder == .descending)
    }

    @Test func missingRequiredFieldsAreNamed() throws {
        func error(_ body: () throws(FloeError) -> Void) -> FloeError? {
            do { try body(); return nil } catch { return error }
        }
        let noName = error { () throws(FloeError) in _ = try SchemaElement(decoding: [0x15, 0x02, 0x00], baseOffset: 500) }
        #expect(noName?.code == .corrupt)
        #expect(noName?.message.contains("SchemaElement.name") == true)
        #expect(noName?.location.offset == 500)
        let noSize = error { () throws(FloeError) in _ = try PageHeader(decoding: [0x15, 0x00, 0x15, 0x02, 0x00]) }
        #expect(noSize?.message.contains("PageHeader.compressed_page_size") == true)
        let noVersion = error { () throws(FloeError) in _ = try FileMetaData(decoding: [0x00]) }
        #expect(noVersion?.message.contains("FileMetaData.version") == true)
        let nested = error { () throws(FloeError) in
            // A DataPageHeader inside a PageHeader without num_values.
            _ = try PageHeader(decoding: [0x15, 0x00, 0x15, 0x02, 0x15, 0x02, 0x2C, 0x25, 0x00, 0x00, 0x00], baseOffset: 10)
        }
        #expect(nested?.message.contains("DataPageHeader.num_values") == true)
        #expect(nested?.location.offset == 17)
        let badUnit = error { () throws(FloeError) in
            _ = try LogicalType(decoding: [0x8C, 0x11, 0x1C, 0x5C, 0x00, 0x00, 0x00, 0x00])
        }
        #expect(badUnit?.message.contains("TimeUnit") == true)
    }

    @Test func fieldsOfUnexpectedTypeAreSkipped() throws {
        // null_count (3) sent as binary, then distinct_count (4) as i64.
        let stats = try Statistics(decoding: [0x38, 0x02, 0x41, 0x42, 0x16, 0x0E, 0x00])
        #expect(stats == Statistics(distinctCount: 7))
        // A LogicalType member sent as i32 is ignored; the struct member after it counts.
        #expect(try LogicalType(decoding: [0x15, 0x02, 0x1C, 0x00, 0x00]) == .map)
        // A union with two members: the first wins.
        #expect(try LogicalType(decoding: [0x1C, 0x00, 0x1C, 0x00, 0x00]) == .string)
        #expect(try ColumnOrder(decoding: [0x0C, 0x40, 0x00, 0x00]) == .unrecognized(fieldId: 32))
    }

    @Test func integerListsAcceptAnyVarintWidth() throws {
        var w = CompactWriter()
        w.beginStruct()
        w.writeI32Field(1, PhysicalType.int32.rawValue)
        w.writeListField(2, elementType: .i16, count: 2)  // declared i16, as a corrupt writer did
        w.writeI16(0); w.writeI16(3)
        w.writeListField(3, elementType: .binary, count: 1)
        w.writeString("c")
        w.writeI32Field(4, 0)
        w.writeI64Field(5, 1); w.writeI64Field(6, 2); w.writeI64Field(7, 3); w.writeI64Field(9, 4)
        w.endStruct()
        let m = try ColumnMetaData(decoding: w.bytes)
        #expect(m.encodings == [.plain, .rle])
        // A list of the wrong kind is an error naming the field.
        var bad = CompactWriter()
        bad.beginStruct()
        bad.writeListField(2, elementType: .binary, count: 1)
        bad.writeString("x")
        bad.endStruct()
        do throws(FloeError) {
            _ = try ColumnMetaData(decoding: bad.bytes)
            Issue.record("accepted list<binary> encodings")
        } catch {
            #expect(error.message.contains("ColumnMetaData.encodings"))
        }
    }

    @Test func nestingDepthIsLimited() throws {
        // SchemaElement whose unknown logical type member nests 100 structs.
        let deep: [UInt8] = [0x48, 0x01, 0x61, 0x6C, 0x0C, 0xF6, 0x27]
            + [UInt8](repeating: 0x1C, count: 100) + [UInt8](repeating: 0x00, count: 103)
        #expect(throws: FloeError.self) { _ = try SchemaElement(decoding: deep) }
        // The same with a shallow body decodes; a small limit rejects it.
        let shallow: [UInt8] = [0x48, 0x01, 0x61, 0x6C, 0x0C, 0xF6, 0x27, 0x1C, 0x1C, 0x00, 0x00, 0x00, 0x00, 0x00]
        #expect(try SchemaElement(decoding: shallow).logicalType == .unrecognized(fieldId: 2555))
        #expect(throws: FloeError.self) { _ = try SchemaElement.decode(shallow, maxDepth: 3) }
    }

    @Test func hugeCountsAreRejected() throws {
        // FileMetaData: version 1, schema list claiming 2^31 - 1 structs in a tiny buffer.
        let bytes: [UInt8] = [0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x00]
        do throws(FloeError) {
            _ = try FileMetaData(decoding: bytes, baseOffset: 100)
            Issue.record("accepted an impossible list")
        } catch {
            #expect(error.code == .corrupt)
            #expect(error.location.offset == 103)
        }
        // A binary longer than the buffer.
        #expect(throws: FloeError.self) { _ = try KeyValue(decoding: [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x61]) }
    }

    @Test func decodeAtOffsetsAndBounds() throws {
        let header = PageHeader(type: .dictionaryPage, uncompressedPageSize: 10, compressedPageSize: 10,
                                dictionaryPageHeader: DictionaryPageHeader(numValues: 2, encoding: .plain))
        let encoded = header.encoded()
        let buffer = [0xAB, 0xCD] + encoded + [UInt8](repeating: 0xEE, count: 10)
        let (decoded, length) = try PageHeader.decode(buffer, at: 2)
        #expect(decoded == header && length == encoded.count)
        try buffer.withUnsafeBytes { raw in
            let (d2, l2) = try PageHeader.decode(raw, at: 2, baseOffset: 1000)
            #expect(d2 == header && l2 == encoded.count)
        }
        #expect(throws: FloeError.self) { _ = try PageHeader.decode(buffer, at: buffer.count + 1) }
        #expect(throws: FloeError.self) { _ = try PageHeader.decode(buffer, at: -1) }
        // Truncated anywhere: an error, never a partial header.
        for cut in 0..<encoded.count {
            #expect(throws: FloeError.self) { _ = try PageHeader.decode(Array(encoded.prefix(cut))) }
        }
    }
}
