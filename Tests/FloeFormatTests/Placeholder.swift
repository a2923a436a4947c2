import Testing
@testable import FloeFormat

@Suite struct FloeFormatPlaceholder {
    @Test func builds() {}
}
