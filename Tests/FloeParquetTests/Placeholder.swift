import Testing
@testable import FloeParquet

@Suite struct FloeParquetPlaceholder {
    @Test func builds() {}
}
