import Testing
import FloeCore
import FloeColumns
@testable import FloeJSON

/// The message text of the schema inferred from `lines`, without the enclosing message lines.
func inferredBody(_ lines: [String], options: SchemaInference.Options = SchemaInference.Options()) throws -> String {
    let text = try linesInfer(lines, options: options).messageText
    var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    rows.removeFirst()          // "message schema {"
    while rows.last == "" || rows.last == "}" { rows.removeLast() }
    return rows.map { $0.hasPrefix("  ") ? String($0.dropFirst(2)) : $0 }.joined(separator: "\n")
}

@Suite struct SchemaInferenceTests {
    @Test func primitivesAndWidening() throws {
        let body = try inferredBody([
            #"{"flag":true,"n":1,"x":1,"s":"a","z":null}"#,
            #"{"flag":false,"n":2,"x":2.5,"s":"b","z":null}"#,
            #"{"n":-3}"#,
        ])
        #expect(body == """
            optional boolean flag;
            optional int64 n;
            optional double x;
            optional binary s (STRING);
            optional binary z (STRING);
            """)
    }

    @Test func fieldOrderIsFirstSeenAndNamesKeepTheirCase() throws {
        let body = try inferredBody([#"{"b":1,"Name":"x"}"#, #"{"a":1,"name":"y","b":2}"#, #"{"\u0041":true}"#])
        #expect(body == """
            optional int64 b;
            optional binary Name (STRING);
            optional int64 a;
            optional binary name (STRING);
            optional boolean A;
            """)
    }

    @Test func conflictingTypesFallBackToString() throws {
        let body = try inferredBody([
            #"{"position":1,"o":{"a":1},"l":[1],"b":true,"mixed":[1,"x",{"k":2}]}"#,
            #"{"position":"top","o":"text","l":{"a":1},"b":0}"#,
        ])
        #expect(body == """
            optional binary position (STRING);
            optional binary o (STRING);
            optional binary l (STRING);
            optional binary b (STRING);
            optional group mixed (LIST) {
              repeated group list {
                optional binary element (STRING);
              }
            }
            """)
    }

    @Test func timestampsNeedAnOffsetOnEveryValue() throws {
        let body = try inferredBody([
            #"{"ts":"2019-05-27T13:45:10.123Z","local":"2019-05-27T13:45:10","mixed":"2019-05-27T13:45:10Z","nanos":"2019-05-27T13:45:10.123456789Z","ok":"2019-05-27T13:45:10.123456000+02:00","d":"2019-05-27"}"#,
            #"{"ts":"2019-05-27T13:45:10+02:00","mixed":"yesterday","ok":null}"#,
        ])
        #expect(body == """
            optional int64 ts (TIMESTAMP(isAdjustedToUTC=true, unit=MICROS));
            optional binary local (STRING);
            optional binary mixed (STRING);
            optional binary nanos (STRING);
            optional int64 ok (TIMESTAMP(isAdjustedToUTC=true, unit=MICROS));
            optional binary d (STRING);
            """)
        var options = SchemaInference.Options()
        options.inferTimestamps = false
        #expect(try inferredBody([#"{"ts":"2019-05-27T13:45:10Z"}"#], options: options) == "optional binary ts (STRING);")
    }

    @Test func alwaysEmptyObjectsBecomeStringMaps() throws {
        let body = try inferredBody([#"{"integrations":{}}"#, #"{"integrations":{}}"#, #"{}"#])
        #expect(body == """
            optional group integrations (MAP) {
              repeated group key_value {
                required binary key (STRING);
                optional binary value (STRING);
              }
            }
            """)
        // Once non-empty, it is a struct.
        let later = try inferredBody([#"{"o":{}}"#, #"{"o":{"a":1}}"#])
        #expect(later == "optional group o {\n  optional int64 a;\n}")
    }

    @Test func manyDistinctKeysBecomeAMap() throws {
        var lines: [String] = []
        for i in 0..<30 {
            let keys = (0..<4).map { "\"key\(i * 4 + $0)\":\($0 == 0 ? "1.5" : "\(i)")" }.joined(separator: ",")
            lines.append("{\"counts\":{\(keys)},\"id\":\(i)}")
        }
        let body = try inferredBody(lines)
        #expect(body == """
            optional group counts (MAP) {
              repeated group key_value {
                required binary key (STRING);
                optional double value;
              }
            }
            optional int64 id;
            """)
        var options = SchemaInference.Options()
        options.maxStructFields = 200
        #expect(try linesInfer(lines, options: options).leaves.count == 121)
    }

    @Test func unstableKeysBecomeAMap() throws {
        let uuids = try inferredBody([
            #"{"byUser":{"3f1c2a4e-0b1d-4c5e-9f00-1234567890ab":{"n":1},"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d":{"n":2,"x":"y"}}}"#,
        ])
        #expect(uuids == """
            optional group byUser (MAP) {
              repeated group key_value {
                required binary key (STRING);
                optional group value {
                  optional int64 n;
                  optional binary x (STRING);
                }
              }
            }
            """)
        let digits = try inferredBody([#"{"years":{"2019":3,"2020":4}}"#])
        #expect(digits.hasPrefix("optional group years (MAP)"))
        let dates = try inferredBody([#"{"days":{"2019-05-27":true}}"#])
        #expect(dates.hasPrefix("optional group days (MAP)"))
        let names = try inferredBody([#"{"page":{"url":"u","title":"t","id2":"x"}}"#])
        #expect(names.hasPrefix("optional group page {"))
        var options = SchemaInference.Options()
        options.detectUnstableKeys = false
        #expect(try inferredBody([#"{"years":{"2019":3}}"#], options: options).hasPrefix("optional group years {"))
        #expect(SchemaInference.looksUnstable(Array("user@example.com".utf8)))
        #expect(SchemaInference.looksUnstable(Array("507f1f77bcf86cd799439011".utf8)))
        #expect(!SchemaInference.looksUnstable(Array("anonymousId".utf8)))
        #expect(!SchemaInference.looksUnstable(Array("deadbeefdeadbeef".utf8)))  // hex letters only: a word
    }

    @Test func listsOfStructsAndNestedStructs() throws {
        let body = try inferredBody([
            #"{"items":[{"id":"a","price":1},{"id":"b","qty":2}],"context":{"page":{"url":"u"},"ip":"1.2.3.4"}}"#,
            #"{"items":[{"price":2.5}],"context":{"page":{"title":"t"}},"empty":[],"nested":[[1],[2,3]]}"#,
        ])
        #expect(body == """
            optional group items (LIST) {
              repeated group list {
                optional group element {
                  optional binary id (STRING);
                  optional double price;
                  optional int64 qty;
                }
              }
            }
            optional group context {
              optional group page {
                optional binary url (STRING);
                optional binary title (STRING);
              }
              optional binary ip (STRING);
            }
            optional group empty (LIST) {
              repeated group list {
                optional binary element (STRING);
              }
            }
            optional group nested (LIST) {
              repeated group list {
                optional group element (LIST) {
                  repeated group list {
                    optional int64 element;
                  }
                }
              }
            }
            """)
    }

    @Test func nullsDoNotDecideTheType() throws {
        let body = try inferredBody([#"{"u":null,"l":[null,1]}"#, #"{"u":"x","l":null}"#, #"{"u":null}"#])
        #expect(body == """
            optional binary u (STRING);
            optional group l (LIST) {
              repeated group list {
                optional int64 element;
              }
            }
            """)
    }

    @Test func nonObjectLinesAreRefused() throws {
        #expect(throws: FloeError.self) { try linesInfer(["[1,2]"]) }
        do {
            _ = try linesInfer([#"{"a":1}"#, "  \"text\""])
            Issue.record("accepted a string line")
        } catch {
            #expect(error.location.line == 2)
            #expect(error.location.byteColumn == 3)
            #expect(error.message.contains("expected a JSON object, found a string"))
        }
    }

    @Test func mergingPartialInferencesEqualsOnePass() throws {
        let lines = [
            #"{"a":1,"b":{"x":1}}"#, #"{"c":"2019-05-27T13:45:10Z","b":{"y":"s"}}"#,
            #"{"a":2.5,"d":[{"k":1}]}"#, #"{"c":"2019-05-28T00:00:00Z","d":[{"j":true}],"e":{}}"#,
        ]
        let whole = try linesInfer(lines)
        var first = SchemaInference()
        var second = SchemaInference()
        try linesFeed(Array(lines[0..<2])) { (tape: JSONTape, raw: UnsafeRawBufferPointer) throws(FloeError) in try first.add(tape, line: raw) }
        try linesFeed(Array(lines[2...])) { (tape: JSONTape, raw: UnsafeRawBufferPointer) throws(FloeError) in try second.add(tape, line: raw) }
        first.merge(second)
        #expect(try first.schema() == whole)
        #expect(first.lineCount == 4)
    }

    @Test func mergingMapsAcrossParts() throws {
        var options = SchemaInference.Options()
        options.maxStructFields = 3
        var first = SchemaInference(options: options)
        var second = SchemaInference(options: options)
        try linesFeed([#"{"m":{"a":1,"b":2}}"#]) { (tape: JSONTape, raw: UnsafeRawBufferPointer) throws(FloeError) in try first.add(tape, line: raw) }
        try linesFeed([#"{"m":{"c":1,"d":"x"}}"#]) { (tape: JSONTape, raw: UnsafeRawBufferPointer) throws(FloeError) in try second.add(tape, line: raw) }
        first.merge(second)
        let text = try first.schema().messageText
        #expect(text.contains("optional group m (MAP)"))
        #expect(text.contains("optional binary value (STRING);"))
    }

    @Test func tooManyTopLevelKeysIsAnErrorNamingTheFirstPastTheLimit() throws {
        var options = SchemaInference.Options()
        options.maxTopLevelFields = 3
        // At the limit: fine, nested values of a skipped key included.
        let fine = try linesInfer([#"{"a":1,"b":{"x":[1]}}"#, #"{"c":"s","a":2}"#], options: options)
        #expect(fine.leaves.map(\.dottedPath) == ["a", "b.x.list.element", "c"])
        let lines = [#"{"a":1,"b":2}"#, #"{"c":3}"#, #"{"a":1,"d":{"deep":[1,{"e":2}]},"f":4}"#]
        do {
            _ = try linesInfer(lines, options: options)
            Issue.record("four top-level keys passed a limit of three")
        } catch {
            #expect(error.code == .limitExceeded)
            #expect(error.message.contains("more than 3 distinct top-level keys (\"d\" is past that)"))
            #expect(error.location.line == 3)
        }
        // The same over parts merged.
        var first = SchemaInference(options: options)
        var second = SchemaInference(options: options)
        try linesFeed(Array(lines[0..<2])) { (tape: JSONTape, raw: UnsafeRawBufferPointer) throws(FloeError) in try first.add(tape, line: raw) }
        try linesFeed([#"{"z":1,"a":5}"#]) { (tape: JSONTape, raw: UnsafeRawBufferPointer) throws(FloeError) in try second.add(tape, line: raw) }
        var merged = first
        merged.merge(second)
        #expect(throws: FloeError.self) { try merged.schema() }
        #expect(merged.overflow?.key == "z")
        // Nested objects past the struct limit still become maps, not errors.
        options.maxStructFields = 2
        let nested = try linesInfer([#"{"m":{"p":1,"q":2,"r":3,"s":4}}"#], options: options)
        #expect(nested.messageText.contains("optional group m (MAP)"))
    }
}
