import FloeCore
import Testing
@testable import FloeThrift

/// Runs `body` over a reader of `bytes`.
func reading<R>(_ bytes: [UInt8], baseOffset: Int = 0, maxDepth: Int = 64,
                _ body: (inout CompactReader) throws(FloeError) -> R) throws(FloeError) -> R {
    try CompactReader.withReader(bytes, baseOffset: baseOffset, maxDepth: maxDepth, body)
}

/// The error `body` throws over a reader of `bytes`, or nil.
func failure(_ bytes: [UInt8], baseOffset: Int = 0, maxDepth: Int = 64,
             _ body: (inout CompactReader) throws(FloeError) -> Void) -> FloeError? {
    do {
        try reading(bytes, baseOffset: baseOffset, maxDepth: maxDepth, body)
        return nil
    } catch {
        return error
    }
}

@Suite struct CompactReaderTests {
    @Test func shortFormFieldHeadersAccumulateDeltas() throws {
        // field 1 i32 = 3, field 3 i64 = -2, field 4 binary "ab", stop
        let bytes: [UInt8] = [0x15, 0x06, 0x26, 0x03, 0x18, 0x02, 0x61, 0x62, 0x00]
        let (ids, values) = try reading(bytes) { (r: inout CompactReader) throws(FloeError) -> ([Int16], [String]) in
            var ids: [Int16] = []
            var values: [String] = []
            var last: Int16 = 0
            while let f = try r.readFieldHeader(lastId: &last) {
                ids.append(f.id)
                switch f.type {
                case .i32: values.append(String(try r.readI32()))
                case .i64: values.append(String(try r.readI64()))
                case .binary: values.append(try r.readString())
                default: Issue.record("unexpected type \(f.type)")
                }
            }
            #expect(r.remaining == 0)
            return (ids, values)
        }
        #expect(ids == [1, 3, 4])
        #expect(values == ["3", "-2", "ab"])
    }

    @Test func longFormFieldHeaderCarriesZigzagId() throws {
        // type i32 with delta 0, then zigzag(2555) = 5110 = 0xF6 0x27, then value 1 (zigzag 2)
        let bytes: [UInt8] = [0x05, 0xF6, 0x27, 0x02, 0x00]
        try reading(bytes) { (r: inout CompactReader) throws(FloeError) in
            var last: Int16 = 0
            let f = try r.readFieldHeader(lastId: &last)
            #expect(f == FieldHeader(id: 2555, type: .i32))
            #expect(try r.readI32() == 1)
            #expect(try r.readFieldHeader(lastId: &last) == nil)
        }
        // A negative id in long form.
        try reading([0x0C, 0x01]) { (r: inout CompactReader) throws(FloeError) in
            var last: Int16 = 7
            #expect(try r.readFieldHeader(lastId: &last)?.id == -1)
            #expect(last == -1)
        }
    }

    @Test func boolFieldValueLivesInTheHeader() throws {
        let bytes: [UInt8] = [0x11, 0x12, 0x00]
        try reading(bytes) { (r: inout CompactReader) throws(FloeError) in
            var last: Int16 = 0
            let a = try r.readFieldHeader(lastId: &last)
            let b = try r.readFieldHeader(lastId: &last)
            #expect(a == FieldHeader(id: 1, type: .bool, boolValue: true))
            #expect(b == FieldHeader(id: 2, type: .bool, boolValue: false))
            #expect(try r.readFieldHeader(lastId: &last) == nil)
            #expect(r.position == 3)
        }
    }

    @Test func zigzagIntegers() throws {
        let cases: [([UInt8], Int64)] = [
            ([0x00], 0), ([0x01], -1), ([0x02], 1), ([0x7F], -64), ([0x80, 0x01], 64),
            ([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], Int64(Int32.min)), ([0xFE, 0xFF, 0xFF, 0xFF, 0x0F], Int64(Int32.max)),
            ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], Int64.min),
        ]
        for (bytes, value) in cases {
            #expect(try reading(bytes) { (r: inout CompactReader) throws(FloeError) in try r.readI64() } == value)
            if let v32 = Int32(exactly: value) {
                #expect(try reading(bytes) { (r: inout CompactReader) throws(FloeError) in try r.readI32() } == v32)
            }
            if let v16 = Int16(exactly: value) {
                #expect(try reading(bytes) { (r: inout CompactReader) throws(FloeError) in try r.readI16() } == v16)
            }
        }
        // 2^32 does not fit an i32, 2^16 not an i16.
        #expect(failure([0x80, 0x80, 0x80, 0x80, 0x10]) { (r: inout CompactReader) throws(FloeError) in _ = try r.readI32() } != nil)
        #expect(failure([0x80, 0x80, 0x04]) { (r: inout CompactReader) throws(FloeError) in _ = try r.readI16() } != nil)
        #expect(try reading([0xFF]) { (r: inout CompactReader) throws(FloeError) in try r.readI8() } == -1)
    }

    @Test func doubleIsLittleEndian() throws {
        let bytes: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]
        #expect(try reading(bytes) { (r: inout CompactReader) throws(FloeError) in try r.readDouble() } == 1.5)
        #expect(failure(Array(bytes.prefix(7))) { (r: inout CompactReader) throws(FloeError) in _ = try r.readDouble() } != nil)
    }

    @Test func binaryLengthIsCheckedWithFileOffset() {
        let error = failure([0x00, 0x05, 0x61, 0x62], baseOffset: 1000) { (r: inout CompactReader) throws(FloeError) in
            _ = try r.readByte()
            _ = try r.readBinary()
        }
        #expect(error?.code == .corrupt)
        #expect(error?.location.offset == 1001)
    }

    @Test func invalidUTF8IsRepairedNotFatal() throws {
        let s = try reading([0x03, 0x61, 0xFF, 0x62]) { (r: inout CompactReader) throws(FloeError) in try r.readString() }
        #expect(s == "a\u{FFFD}b")
    }

    @Test func listHeaders() throws {
        try reading([0x35, 0x02, 0x04, 0x06]) { (r: inout CompactReader) throws(FloeError) in
            let h = try r.readListHeader()
            #expect(h == ListHeader(elementType: .i32, count: 3))
            #expect([try r.readI32(), try r.readI32(), try r.readI32()] == [1, 2, 3])
        }
        // Long form: 0xF8 then varint 20; 20 one-byte strings follow.
        var long: [UInt8] = [0xF8, 20]
        for i in 0..<20 { long += [0x01, UInt8(0x41 + i)] }
        try reading(long) { (r: inout CompactReader) throws(FloeError) in
            let h = try r.readListHeader()
            #expect(h == ListHeader(elementType: .binary, count: 20))
            var s = ""
            for _ in 0..<h.count { s += try r.readString() }
            #expect(s == "ABCDEFGHIJKLMNOPQRST")
        }
        // Booleans: element type 1 or 2, values 1 true, 0 or 2 false.
        try reading([0x41, 0x01, 0x02, 0x00, 0x01]) { (r: inout CompactReader) throws(FloeError) in
            let h = try r.readListHeader()
            #expect(h.elementType == .bool)
            #expect([try r.readBool(), try r.readBool(), try r.readBool(), try r.readBool()] == [true, false, false, true])
        }
        #expect(failure([0x12, 0x05]) { (r: inout CompactReader) throws(FloeError) in
            _ = try r.readListHeader(); _ = try r.readBool()
        } != nil)
    }

    @Test func hugeListCountsAreRejectedBeforeAllocating() {
        // 2^31 elements (does not even fit an i32 size).
        let huge: [UInt8] = [0xF5, 0x80, 0x80, 0x80, 0x80, 0x08, 0, 0, 0, 0]
        #expect(huge.count == 10)
        let e1 = failure(huge) { (r: inout CompactReader) throws(FloeError) in _ = try r.readListHeader() }
        #expect(e1?.code == .corrupt)
        // 2^31 - 1 elements: a valid size, but the 4 bytes left cannot hold them.
        let big: [UInt8] = [0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0, 0, 0, 0]
        let e2 = failure(big) { (r: inout CompactReader) throws(FloeError) in _ = try r.readListHeader() }
        #expect(e2?.code == .corrupt)
        #expect(e2?.location.offset == 0)
        // Skipping such a list fails the same way.
        #expect(failure(big) { (r: inout CompactReader) throws(FloeError) in try r.skip(type: .list) } != nil)
        // Doubles need 8 bytes each: 2 doubles in 15 bytes is too many.
        let doubles: [UInt8] = [0x27] + [UInt8](repeating: 0, count: 15)
        #expect(failure(doubles) { (r: inout CompactReader) throws(FloeError) in _ = try r.readListHeader() } != nil)
        // Maps: 2^30 entries in a few bytes.
        #expect(failure([0x80, 0x80, 0x80, 0x80, 0x04, 0x55, 0, 0]) { (r: inout CompactReader) throws(FloeError) in
            _ = try r.readMapHeader()
        } != nil)
    }

    @Test func mapHeaders() throws {
        try reading([0x00]) { (r: inout CompactReader) throws(FloeError) in
            #expect(try r.readMapHeader() == MapHeader(keyType: nil, valueType: nil, count: 0))
        }
        try reading([0x02, 0x85, 0x01, 0x61, 0x02, 0x01, 0x62, 0x04]) { (r: inout CompactReader) throws(FloeError) in
            #expect(try r.readMapHeader() == MapHeader(keyType: .binary, valueType: .i32, count: 2))
            #expect(try r.readString() == "a")
            #expect(try r.readI32() == 1)
            #expect(try r.readString() == "b")
            #expect(try r.readI32() == 2)
        }
    }

    @Test func skipsUnknownNestedFields() throws {
        // struct {
        //   1: i32 7
        //   2: list<struct{1: binary "x", 2: map<i32, list<i64>>{1: [5]}, 3: bool true}> (1 element)
        //   3: map<binary, struct{}> {"k": {}}
        //   4: double, 5: uuid... (as type 13), 6: set<bool>[true, false]
        //   7: i32 42
        // }
        var b: [UInt8] = [0x15, 0x0E]
        b += [0x19, 0x1C]                       // field 2: list, 1 struct
        b += [0x18, 0x01, 0x78]                 //   1: binary "x"
        b += [0x1B, 0x01, 0x59, 0x02, 0x16, 0x0A] //   2: map 1 entry i32 -> list; key 1; list<i64>[5]
        b += [0x11]                             //   3: bool true
        b += [0x00]                             //   stop
        b += [0x1B, 0x01, 0x8C, 0x01, 0x6B, 0x00] // field 3: map 1 entry binary -> struct; "k"; {}
        b += [0x17] + [UInt8](repeating: 0, count: 8) // field 4: double
        b += [0x1D] + [UInt8](repeating: 0xAB, count: 16) // field 5: uuid
        b += [0x1A, 0x21, 0x01, 0x02]           // field 6: set<bool> [true, false]
        b += [0x15, 0x54]                       // field 7: i32 42
        b += [0x00]
        let found = try reading(b) { (r: inout CompactReader) throws(FloeError) -> [Int32] in
            var out: [Int32] = []
            var last: Int16 = 0
            while let f = try r.readFieldHeader(lastId: &last) {
                if f.type == .i32 { out.append(try r.readI32()) } else { try r.skipField(f) }
            }
            #expect(r.remaining == 0)
            #expect(r.depth == 0)
            return out
        }
        #expect(found == [7, 42])
        // The whole thing skips as one struct too.
        try reading(b + [0x99]) { (r: inout CompactReader) throws(FloeError) in
            try r.skip(type: .struct)
            #expect(try r.readByte() == 0x99)
        }
    }

    @Test func depthLimit() throws {
        // 10 nested struct fields, each at id 1, then stops.
        func nested(_ n: Int) -> [UInt8] {
            [UInt8](repeating: 0x1C, count: n) + [UInt8](repeating: 0x00, count: n + 1)
        }
        try reading(nested(10), maxDepth: 11) { (r: inout CompactReader) throws(FloeError) in try r.skip(type: .struct) }
        let e = failure(nested(10), maxDepth: 10) { (r: inout CompactReader) throws(FloeError) in try r.skip(type: .struct) }
        #expect(e?.code == .corrupt)
        #expect(e?.message.contains("deeper") == true)
        // The default limit stops a pathological 100 000-deep nesting without exhausting the stack.
        let deep = nested(100_000)
        #expect(failure(deep) { (r: inout CompactReader) throws(FloeError) in try r.skip(type: .struct) } != nil)
        // Nested lists count too.
        let lists = [UInt8](repeating: 0x19, count: 100) + [0x00]
        #expect(failure(lists) { (r: inout CompactReader) throws(FloeError) in try r.skip(type: .list) } != nil)
    }

    @Test func invalidTypesAndTruncation() {
        #expect(failure([0x1E]) { (r: inout CompactReader) throws(FloeError) in
            var last: Int16 = 0; _ = try r.readFieldHeader(lastId: &last)
        }?.code == .corrupt)
        #expect(failure([0x10]) { (r: inout CompactReader) throws(FloeError) in
            var last: Int16 = 0; _ = try r.readFieldHeader(lastId: &last)
        } != nil)
        // Field id delta past Int16.max.
        #expect(failure([0xF5]) { (r: inout CompactReader) throws(FloeError) in
            var last = Int16.max - 3; _ = try r.readFieldHeader(lastId: &last)
        } != nil)
        // A struct with no stop byte.
        #expect(failure([0x15, 0x02]) { (r: inout CompactReader) throws(FloeError) in try r.skip(type: .struct) } != nil)
        // An 11-byte varint.
        #expect(failure([UInt8](repeating: 0xFF, count: 11) + [0]) { (r: inout CompactReader) throws(FloeError) in
            _ = try r.readI64()
        } != nil)
        #expect(failure([]) { (r: inout CompactReader) throws(FloeError) in _ = try r.readByte() }?.location.offset == 0)
    }

    @Test func readerOverUnsafeBytesHonoursStartAndEnd() throws {
        let bytes: [UInt8] = [0xAA, 0x15, 0x04, 0x00, 0xBB]
        try bytes.withUnsafeBytes { raw in
            var r = CompactReader(unsafeBytes: raw, start: 1, end: 4, baseOffset: 50)
            #expect(r.fileOffset == 51)
            var last: Int16 = 0
            let f = try r.readFieldHeader(lastId: &last)
            #expect(f?.id == 1)
            #expect(try r.readI32() == 2)
            #expect(try r.readFieldHeader(lastId: &last) == nil)
            #expect(r.remaining == 0)
            do throws(FloeError) { _ = try r.readByte(); Issue.record("read past end") } catch { #expect(error.location.offset == 54) }
        }
    }
}
