import Testing
@testable import FloeCodecs

@Suite struct FloeCodecsPlaceholder {
    @Test func builds() {}
}
