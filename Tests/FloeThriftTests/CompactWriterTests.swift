import FloeCore
import Testing
@testable import FloeThrift

@Suite struct CompactWriterTests {
    @Test func fieldHeadersUseDeltasAndLongForm() {
        var w = CompactWriter()
        w.beginStruct()
        w.writeI32Field(1, 3)        // delta 1
        w.writeI64Field(3, -2)       // delta 2
        w.writeI32Field(30, 0)       // delta 27: long form
        w.writeI32Field(2, 1)        // going back: long form
        w.writeBoolField(3, true)    // delta 1, value in header
        w.writeBoolField(4, false)
        w.endStruct()
        #expect(w.bytes == [0x15, 0x06, 0x26, 0x03, 0x05, 0x3C, 0x00, 0x05, 0x04, 0x02, 0x11, 0x12, 0x00])
    }

    @Test func nestedStructsRestoreTheEnclosingFieldId() throws {
        var w = CompactWriter()
        w.beginStruct()
        w.writeI32Field(5, 1)
        w.beginStructField(6)
        w.writeI32Field(1, 2)
        w.writeI32Field(9, 3)
        w.endStruct()
        w.writeI32Field(7, 4)        // delta from 6, not from 9
        w.endStruct()
        #expect(w.bytes == [0x55, 0x02, 0x1C, 0x15, 0x04, 0x85, 0x06, 0x00, 0x15, 0x08, 0x00])
        #expect(w.stack.isEmpty)
    }

    @Test func listsMapsAndScalarsRoundTrip() throws {
        var w = CompactWriter()
        w.beginStruct()
        w.writeListField(1, elementType: .i64, count: 20)
        for i in 0..<20 { w.writeI64(Int64(i) * -1_000_000_007) }
        w.writeListField(2, elementType: .bool, count: 3)
        for b in [true, false, true] { w.writeBool(b) }
        w.writeFieldHeader(id: 3, type: .map)
        w.writeMapHeader(keyType: .binary, valueType: .double, count: 2)
        w.writeString("π"); w.writeDouble(3.14159)
        w.writeString("e"); w.writeDouble(-2.71828)
        w.writeFieldHeader(id: 4, type: .map)
        w.writeMapHeader(keyType: .i32, valueType: .i32, count: 0)
        w.writeI8Field(5, -128)
        w.writeI16Field(6, Int16.min)
        w.writeDoubleField(7, .infinity)
        w.writeBinaryField(8, [0, 255, 7])
        w.writeFieldHeader(id: 9, type: .uuid)
        w.writeUUID([UInt8](1...16))
        w.endStruct()

        try CompactReader.withReader(w.bytes) { (r: inout CompactReader) throws(FloeError) in
            var last: Int16 = 0
            #expect(try r.readFieldHeader(lastId: &last) == FieldHeader(id: 1, type: .list))
            let h = try r.readListHeader()
            #expect(h == ListHeader(elementType: .i64, count: 20))
            for i in 0..<20 { #expect(try r.readI64() == Int64(i) * -1_000_000_007) }
            #expect(try r.readFieldHeader(lastId: &last)?.id == 2)
            #expect(try r.readListHeader() == ListHeader(elementType: .bool, count: 3))
            #expect([try r.readBool(), try r.readBool(), try r.readBool()] == [true, false, true])
            #expect(try r.readFieldHeader(lastId: &last) == FieldHeader(id: 3, type: .map))
            #expect(try r.readMapHeader() == MapHeader(keyType: .binary, valueType: .double, count: 2))
            #expect(try r.readString() == "π")
            #expect(try r.readDouble() == 3.14159)
            #expect(try r.readString() == "e")
            #expect(try r.readDouble() == -2.71828)
            #expect(try r.readFieldHeader(lastId: &last)?.id == 4)
            #expect(try r.readMapHeader().count == 0)
            #expect(try r.readFieldHeader(lastId: &last) == FieldHeader(id: 5, type: .i8))
            #expect(try r.readI8() == -128)
            #expect(try r.readFieldHeader(lastId: &last) == FieldHeader(id: 6, type: .i16))
            #expect(try r.readI16() == Int16.min)
            #expect(try r.readFieldHeader(lastId: &last) == FieldHeader(id: 7, type: .double))
            #expect(try r.readDouble() == .infinity)
            #expect(try r.readFieldHeader(lastId: &last) == FieldHeader(id: 8, type: .binary))
            #expect(try r.readBinary() == [0, 255, 7])
            #expect(try r.readFieldHeader(lastId: &last) == FieldHeader(id: 9, type: .uuid))
            #expect(try r.readUUID() == [UInt8](1...16))
            #expect(try r.readFieldHeader(lastId: &last) == nil)
            #expect(r.remaining == 0)
        }
    }

    @Test func listHeaderForms() {
        var w = CompactWriter()
        w.writeListHeader(elementType: .struct, count: 14)
        w.writeListHeader(elementType: .struct, count: 15)
        w.writeListHeader(elementType: .bool, count: 300)
        #expect(w.bytes == [0xEC, 0xFC, 0x0F, 0xF1, 0xAC, 0x02])
    }

    @Test func writtenStructsSkipCleanly() throws {
        var w = CompactWriter()
        w.beginStruct()
        w.writeStringField(1, "name")
        w.writeListField(2, elementType: .struct, count: 2)
        for i in 0..<2 {
            w.beginStruct()
            w.writeI32Field(1, Int32(i))
            w.writeBoolField(2, i == 0)
            w.endStruct()
        }
        w.endStruct()
        let bytes = w.bytes + [0x42]
        try CompactReader.withReader(bytes) { (r: inout CompactReader) throws(FloeError) in
            try r.skip(type: .struct)
            #expect(try r.readByte() == 0x42)
        }
    }
}
