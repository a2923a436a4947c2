import Testing
@testable import FloeEncodings

@Suite struct FloeEncodingsPlaceholder {
    @Test func builds() {}
}
