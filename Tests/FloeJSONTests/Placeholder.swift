import Testing
@testable import FloeJSON

@Suite struct FloeJSONPlaceholder {
    @Test func builds() {}
}
