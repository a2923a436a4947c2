import Testing
import FloeCore
import FloeFormat
@testable import FloeColumns

@Suite struct SchemaTests {
    @Test func levelsOfNestedLeaves() throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("id", .int64, .required),
            .group("ctx", [.leaf("ip", .byteArray, .optional, logicalType: .string)], .optional),
            .group("tags", [.group("list", [.leaf("element", .byteArray, .optional, logicalType: .string)], .repeated)],
                   .optional, logicalType: .list),
        ]))
        #expect(schema.leaves.map(\.dottedPath) == ["id", "ctx.ip", "tags.list.element"])
        #expect(schema.leaves.map(\.maxDefinitionLevel) == [0, 2, 3])
        #expect(schema.leaves.map(\.maxRepetitionLevel) == [0, 0, 1])
        #expect(!schema.isFlat)
        // Flattening and rebuilding gives the same schema.
        #expect(try Schema(elements: schema.elements) == schema)
        #expect(schema.elements[4].convertedType == .list)
    }

    @Test func invalidElementsAreRejected() {
        // A group claiming more children than follow.
        #expect(throws: FloeError.self) {
            try Schema(elements: [SchemaElement(name: "schema", numChildren: 3),
                                  SchemaElement(type: .int32, repetitionType: .required, name: "a")])
        }
        // An unknown physical type.
        #expect(throws: FloeError.self) {
            try Schema(elements: [SchemaElement(name: "schema", numChildren: 1),
                                  SchemaElement(type: PhysicalType(rawValue: -7), repetitionType: .required, name: "a")])
        }
        // A fixed-length column without a length.
        #expect(throws: FloeError.self) {
            try Schema(elements: [SchemaElement(name: "schema", numChildren: 1),
                                  SchemaElement(type: .fixedLenByteArray, repetitionType: .required, name: "a")])
        }
    }

    @Test func valueKindsFromLogicalAndConvertedTypes() {
        #expect(ValueKind(physicalType: .int32, typeLength: nil, logicalType: .integer(bitWidth: 16, isSigned: false),
                          convertedType: nil, scale: nil, precision: nil) == .integer(bitWidth: 16, signed: false))
        #expect(ValueKind(physicalType: .int64, typeLength: nil, logicalType: nil, convertedType: .timestampMillis,
                          scale: nil, precision: nil) == .timestamp(unit: .millis, adjustedToUTC: true))
        #expect(ValueKind(physicalType: .fixedLenByteArray, typeLength: 16, logicalType: .uuid, convertedType: nil,
                          scale: nil, precision: nil) == .uuid)
        #expect(ValueKind(physicalType: .byteArray, typeLength: nil, logicalType: nil, convertedType: .decimal,
                          scale: 2, precision: 9) == .decimal(scale: 2, precision: 9))
        // An unknown logical type falls back to the physical type.
        #expect(ValueKind(physicalType: .int32, typeLength: nil, logicalType: .unrecognized(fieldId: 2555), convertedType: nil,
                          scale: nil, precision: nil) == .integer(bitWidth: 32, signed: true))
    }
}

@Suite struct LogicalShapeTests {
    func shape(_ nodes: [SchemaNode]) throws -> [(name: String, shape: LogicalShape)] {
        try Schema(root: .group("schema", nodes)).logicalFields()
    }

    @Test func standardListAndMap() throws {
        let fields = try shape([
            .group("l", [.group("list", [.leaf("element", .int32, .optional)], .repeated)], .optional, logicalType: .list),
            .group("m", [.group("key_value", [.leaf("key", .byteArray, .required, logicalType: .string),
                                              .leaf("value", .int64, .optional)], .repeated)], .optional, logicalType: .map),
        ])
        guard case .list(let element, let levels) = fields[0].shape, case .primitive(0, let leafLevels) = element else {
            Issue.record("not a list of a primitive"); return
        }
        #expect(levels.definition == 1 && levels.elementDefinition == 2 && levels.repetition == 1 && levels.nullable)
        #expect(leafLevels.definition == 3)
        guard case .map(let key, let value, let mapLevels) = fields[1].shape else { Issue.record("not a map"); return }
        #expect(mapLevels.leaves == [1, 2])
        if case .primitive(1, _) = key {} else { Issue.record("key is not leaf 1") }
        if case .primitive(2, _) = value {} else { Issue.record("value is not leaf 2") }
    }

    @Test func legacyListForms() throws {
        // 2-level: the repeated field is the element.
        let twoLevel = try shape([.group("a", [.leaf("array", .int32, .repeated)], .optional, logicalType: .list)])
        guard case .list(.primitive(0, _), _) = twoLevel[0].shape else { Issue.record("2-level list"); return }
        // A repeated group named "array" with one field is the element (a struct).
        let arrayNamed = try shape([.group("a", [.group("array", [.leaf("x", .int32, .required)], .repeated)], .optional, logicalType: .list)])
        guard case .list(.structure(let fields, _), _) = arrayNamed[0].shape else { Issue.record("array-named element"); return }
        #expect(fields.map(\.name) == ["x"])
        // An unannotated repeated field is a list of required elements.
        let bare = try shape([.leaf("r", .int32, .repeated)])
        guard case .list(.primitive(0, let leaf), let levels) = bare[0].shape else { Issue.record("bare repeated"); return }
        #expect(!levels.nullable && levels.elementDefinition == 1 && leaf.definition == 1)
    }

    @Test func mapWithoutValuesIsAListOfKeys() throws {
        let fields = try shape([.group("m", [.group("key_value", [.leaf("key", .int32, .required)], .repeated)],
                                       .optional, logicalType: .map)])
        guard case .list(.primitive(0, _), _) = fields[0].shape else { Issue.record("key-only map"); return }
    }
}
