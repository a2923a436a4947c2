import Testing
@testable import FloeThrift

@Suite struct FloeThriftPlaceholder {
    @Test func builds() {}
}
