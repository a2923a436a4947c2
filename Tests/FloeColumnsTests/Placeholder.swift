import Testing
@testable import FloeColumns

@Suite struct FloeColumnsPlaceholder {
    @Test func builds() {}
}
