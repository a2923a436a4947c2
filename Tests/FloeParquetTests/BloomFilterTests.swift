import Foundation
import Testing
import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

// Expected XXH64 values were computed with the `xxhash` package from PyPI
// (`xxhash.xxh64(data, seed=0).intdigest()`), the reference implementation's Python binding.

/// A deterministic generator (SplitMix64) so failures reproduce.
private struct BloomRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Paths of test inputs: the parquet-testing corpus at `../shared/parquet-testing` from the
/// repository root, and this target's `Fixtures/` folder.
private enum BloomInputs {
    static let repositoryRoot: URL? = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    /// The path of a corpus file, nil (and an issue in CI) when the corpus is missing.
    static func corpus(_ relative: String) -> String? {
        if let root = repositoryRoot {
            let url = root.appendingPathComponent("../shared/parquet-testing").appendingPathComponent(relative)
                .standardizedFileURL
            if FileManager.default.fileExists(atPath: url.path) { return url.path }
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("parquet-testing corpus file \(relative) not found at ../shared/parquet-testing (CI=true)")
        }
        return nil
    }

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .appendingPathComponent(name).path
    }

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "floe-bloom-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }
}

private func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

/// The hashes of a column's values, through the bulk helper.
private func hashes(of values: PhysicalValues) throws -> [UInt64] {
    var out: [UInt64] = []
    try SplitBlockBloomFilter.hash(values, range: 0..<values.count, into: &out)
    return out
}

// MARK: - XXH64

@Suite struct XXHash64Tests {
    @Test(arguments: [
        ("", 0xEF46_DB37_51D8_E999 as UInt64),
        ("a", 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0x44BC_2CF5_AD77_0999),
        ("message digest", 0x066E_D728_FCEE_B3BE),
        ("abcdefghijklmnopqrstuvwxyz", 0xCFE1_F278_FA89_835C),
        ("The quick brown fox jumps over the lazy dog", 0x0B24_2D36_1FDA_71BC),
        ("hello", 0x26C7_827D_889F_6DA3),
        ("parquet", 0x3C9D_2927_5C52_E429),
    ])
    func knownStrings(input: String, expected: UInt64) {
        #expect(XXHash64.hash(utf8(input)) == expected)
        #expect(SplitBlockBloomFilter.hash(string: input) == expected)
        #expect(SplitBlockBloomFilter.hash(bytes: ArraySlice(utf8(input))) == expected)
    }

    /// Every length 0..<80 of the bytes `(7i + 3) mod 256`: covers the 32-byte stripes and every
    /// combination of 8-byte, 4-byte and single-byte tails.
    @Test func everyTailLength() {
        let expected: [UInt64] = [
            0xEF46DB3751D8E999, 0x1F25C8D0BC1F4BB6, 0xF5BEDEC232706303, 0x31D2363F52E564C9, 0x9BB64B7D66EE9FDA,
            0xC7608EFDDB7051FE, 0x61436FB28D5CE4C4, 0x9A7B149959CE60D8, 0xDAB99D95C6F90092, 0x170BB6BF975B4C02,
            0xBD7277D7E2D8A98C, 0x7A52CC9457CF1A1F, 0xD52E407833AF5133, 0xF78B031308F5BFC8, 0xC7F1D4D0ACFA5A14,
            0x1B47CB8243CC8E32, 0x434850232B787BE2, 0x1EFA7025F1B97A7A, 0x28791D24C4CF5E78, 0x3E91F7C3171250D0,
            0x18AE385ADA6B00CB, 0xC075185602AF71EB, 0xB2CEB44AA258FF36, 0x36A34F92FB0205C0, 0xC47C71BD4694FF81,
            0xB13F23E884186902, 0x76A5852D6E1CAB15, 0x9AB0B90755292FC8, 0x729299F92FF25C75, 0x6CD01834BE7D2537,
            0x4BDD83B2B139424F, 0xA2AA5F33CC4A6119, 0x23C3C17EF790FD97, 0x50A7CFC7BA588784, 0xC3E49B08A6AAD624,
            0xA5B3456011D2913B, 0xC0B52B0DCC5E3F7F, 0xE32EF63802F5A3FD, 0xA4696F18F9ACCE05, 0x880BBEEA606E4B37,
            0xB620306B253D76B6, 0x8D56B39A38735FA8, 0xD50FB183D9C4F252, 0x71784BDF7CC20CEE, 0xA4B19436AB40EDB0,
            0x86FAEE00897C4B41, 0xD524C35B647262AC, 0xA7C5465CC5AD205E, 0xDA76BBB3544338EE, 0x756D92B5FF28E5BC,
            0x3FEB2F60DD4D0DBD, 0xF1639A50DBA4740B, 0xE3BBA384BC67D6EE, 0x84A096F591E6F04E, 0x6A7E7D3192910190,
            0x0A815463DD86507A, 0xED350C04E51A88E9, 0xE1D288E4DE03CB88, 0xF6E789B251EA5E64, 0xC7A61C29CFAFE592,
            0x00F7F0730E736D93, 0xEA5D9295B669D981, 0xF1A1A311AD02B5B1, 0x5E3E54B431C7493C, 0x0EB64B3EF6EEB01F,
            0xA383B724B2BD12F1, 0xB6D55F01384314C2, 0x36C3014E8CF0EF72, 0x69569D3F713F823E, 0x57793F2C918C48A5,
            0x9CC0BDC853243C07, 0xFDB8DFC5700141A7, 0xFD91A561882D1FF7, 0x8A834ABCF2F8B93C, 0xD340158F8CF0FB15,
            0xA0BD9A2DB08E831F, 0x40AB8C3070928BCC, 0xC4E0603B2473C094, 0xC64CB670798A0216, 0x47689D5802EF60F9,
        ]
        let data = (0..<80).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        for n in 0..<80 {
            #expect(XXHash64.hash(Array(data[0..<n])) == expected[n], "length \(n)")
            // Unaligned start: the same bytes one position into a larger buffer.
            let shifted = [0xAA] + data[0..<n]
            let h = shifted.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[1...])) }
            #expect(h == expected[n], "length \(n), unaligned")
        }
    }

    @Test(arguments: [
        (0 as Int32, 0x3AEF_A6FD_5CF2_DEB4 as UInt64), (1, 0xF42F_9400_1FCB_5351), (-1, 0x7F78_E4BD_A3AD_DF93),
        (42, 0xD756_D7B6_2FC5_0BF1), (.max, 0x293B_B5F3_6EDF_E474), (.min, 0x822E_5121_1BF0_8373),
    ])
    func int32FastPath(value: Int32, expected: UInt64) {
        #expect(SplitBlockBloomFilter.hash(int32: value) == expected)
        #expect(withUnsafeBytes(of: value.littleEndian) { XXHash64.hash($0) } == expected)
    }

    @Test(arguments: [
        (0 as Int64, 0x34C9_6ACD_CADB_1BBB as UInt64), (1, 0x9F29_CB17_A2A4_9995), (-1, 0x85D1_36AD_B773_C6C9),
        (42, 0xB556_806F_B6D1_4353), (.max, 0xFF70_CC60_366E_770C), (.min, 0x3F42_5EAC_F015_44E0),
    ])
    func int64FastPath(value: Int64, expected: UInt64) {
        #expect(SplitBlockBloomFilter.hash(int64: value) == expected)
        #expect(withUnsafeBytes(of: value.littleEndian) { XXHash64.hash($0) } == expected)
    }

    @Test func floatingPointHashesTheBitPattern() {
        #expect(SplitBlockBloomFilter.hash(float: 1.5) == 0x4F2D_8259_5C48_3A0D)
        #expect(SplitBlockBloomFilter.hash(double: 1.5) == 0x49F7_B96B_6B5C_CAF9)
        // -0.0 has the bit pattern of Int32.min / Int64.min.
        #expect(SplitBlockBloomFilter.hash(float: -0.0) == 0x822E_5121_1BF0_8373)
        #expect(SplitBlockBloomFilter.hash(double: -0.0) == 0x3F42_5EAC_F015_44E0)
        #expect(SplitBlockBloomFilter.hash(double: 0.0) == SplitBlockBloomFilter.hash(int64: 0))
    }
}

// MARK: - Value hashing

@Suite struct BloomValueHashingTests {
    @Test func bulkHashingMatchesSingleValues() throws {
        var rng = BloomRandom(state: 7)
        let ints32 = (0..<300).map { _ in Int32(truncatingIfNeeded: rng.next()) }
        let ints64 = (0..<300).map { _ in Int64(bitPattern: rng.next()) }
        let floats = (0..<300).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }
        let doubles = (0..<300).map { _ in Double(bitPattern: rng.next()) }
        let strings = (0..<300).map { i in utf8(String(repeating: "x", count: i % 41) + "\(i)") } + [[]]
        let fixed = (0..<300 * 12).map { _ in UInt8(truncatingIfNeeded: rng.next()) }

        #expect(try hashes(of: .int32(ints32)) == ints32.map { SplitBlockBloomFilter.hash(int32: $0) })
        #expect(try hashes(of: .int64(ints64)) == ints64.map { SplitBlockBloomFilter.hash(int64: $0) })
        #expect(try hashes(of: .float(floats)) == floats.map { SplitBlockBloomFilter.hash(float: $0) })
        #expect(try hashes(of: .double(doubles)) == doubles.map { SplitBlockBloomFilter.hash(double: $0) })
        #expect(try hashes(of: .byteArray(BinaryValues(strings))) == strings.map { XXHash64.hash($0) })
        let int96 = FixedWidthValues(width: 12, bytes: fixed)
        let expected96 = (0..<300).map { XXHash64.hash(Array(fixed[($0 * 12)..<($0 * 12 + 12)])) }
        #expect(try hashes(of: .int96(int96)) == expected96)
        let flba = FixedWidthValues(width: 3, bytes: fixed)
        let expectedFlba = (0..<1200).map { XXHash64.hash(Array(fixed[($0 * 3)..<($0 * 3 + 3)])) }
        #expect(try hashes(of: .fixedLenByteArray(flba)) == expectedFlba)

        // A sub-range appends after what is already there.
        var out: [UInt64] = [1, 2]
        try SplitBlockBloomFilter.hash(.byteArray(BinaryValues(strings)), range: 10..<20, into: &out)
        #expect(out == [1, 2] + strings[10..<20].map { XXHash64.hash($0) })
        try SplitBlockBloomFilter.hash(.int64(ints64), range: 5..<5, into: &out)
        #expect(out.count == 12)
    }

    @Test func badArgumentsThrowAndLeaveTheOutputAlone() {
        var out: [UInt64] = [9]
        #expect(throws: FloeError.self) { try SplitBlockBloomFilter.hash(.boolean([true]), range: 0..<1, into: &out) }
        #expect(throws: FloeError.self) { try SplitBlockBloomFilter.hash(.int32([1, 2]), range: 1..<3, into: &out) }
        #expect(throws: FloeError.self) { try SplitBlockBloomFilter.hash(.int32([1, 2]), range: -1..<1, into: &out) }
        // Offsets that run past the bytes are reported, not followed.
        let broken = BinaryValues(offsets: [0, 2, 50], bytes: [1, 2, 3])
        #expect(throws: FloeError.self) { try SplitBlockBloomFilter.hash(.byteArray(broken), range: 0..<2, into: &out) }
        let backwards = BinaryValues(offsets: [0, 3, 1], bytes: [1, 2, 3])
        #expect(throws: FloeError.self) { try SplitBlockBloomFilter.hash(.byteArray(backwards), range: 0..<2, into: &out) }
        #expect(out == [9])
        #expect(!SplitBlockBloomFilter.supports(.boolean))
        #expect(SplitBlockBloomFilter.supports(.fixedLenByteArray))
    }
}

// MARK: - The filter

@Suite struct SplitBlockBloomFilterTests {
    @Test func sizesArePowersOfTwoWithinBounds() {
        #expect(SplitBlockBloomFilter(numBytes: 0).numBytes == 32)
        #expect(SplitBlockBloomFilter(numBytes: -5).numBytes == 32)
        #expect(SplitBlockBloomFilter(numBytes: 32).numBytes == 32)
        #expect(SplitBlockBloomFilter(numBytes: 33).numBytes == 64)
        #expect(SplitBlockBloomFilter(numBytes: 1000).numBytes == 1024)
        #expect(SplitBlockBloomFilter(numBytes: 1024).numBlocks == 32)
        #expect(SplitBlockBloomFilter.powerOfTwoSize(atLeast: .max) == 128 << 20)
        #expect(SplitBlockBloomFilter.powerOfTwoSize(atMost: 1000) == 512)
        #expect(SplitBlockBloomFilter.powerOfTwoSize(atMost: 1 << 40) == 128 << 20)
    }

    /// Expected sizes from the specification's formula `-8 n / ln(1 - p^(1/8))` bits, rounded up
    /// to a power of two of bytes (computed independently in Python).
    @Test(arguments: [
        (10_000, 0.01, 16_384), (10_000, 0.1, 8_192), (100_000, 0.1, 131_072), (100_000, 0.01, 131_072),
        (1_000_000, 0.01, 2_097_152), (1_000_000, 0.001, 2_097_152), (1_800_000, 0.001, 4_194_304), (1, 0.01, 32), (0, 0.01, 32),
        (10_000_000_000, 0.01, 128 << 20), (1000, 1.0, 32), (1000, 0.0, 128 << 20), (1000, .nan, 128 << 20),
    ])
    func optimalSize(distinct: Int, p: Double, expected: Int) {
        #expect(SplitBlockBloomFilter.optimalNumBytes(distinctValues: distinct, falsePositiveProbability: p) == expected)
    }

    /// One insert sets exactly one bit in each word of the block the upper 32 bits select.
    @Test func insertSetsOneBitPerWordOfTheSelectedBlock() {
        var filter = SplitBlockBloomFilter(numBytes: 128) // 4 blocks
        // Upper bits 0xC0000000 select block (0xC0000000 * 4) >> 32 = 3; lower bits 1 make each
        // word's bit index salt[i] >> 27.
        filter.insert(hash: 0xC000_0000_0000_0001)
        let words: [UInt32] = filter.bitset.withUnsafeBytes { raw in
            (0..<32).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
        }
        let salt: [UInt32] = [0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31]
        #expect(Array(words[0..<24]) == Array(repeating: 0, count: 24))
        #expect(Array(words[24..<32]) == salt.map { 1 << ($0 >> 27) })
        #expect(filter.setBitCount == 8)
        #expect(filter.mightContain(hash: 0xC000_0000_0000_0001))
        #expect(filter.mightContain(hash: 0xFFFF_FFFF_0000_0001)) // same block, same bits
        #expect(!filter.mightContain(hash: 0x0000_0000_0000_0001)) // block 0 is empty
    }

    @Test func bitsetRoundTripAndValidation() throws {
        var filter = SplitBlockBloomFilter(numBytes: 256)
        for i in 0..<50 { filter.insert(hash: SplitBlockBloomFilter.hash(int64: Int64(i))) }
        let copy = try SplitBlockBloomFilter(bitset: filter.bitset)
        #expect(copy == filter)
        // Any positive multiple of 32 is a valid size, not only powers of two.
        #expect(try SplitBlockBloomFilter(bitset: [UInt8](repeating: 0, count: 96)).numBlocks == 3)
        #expect(throws: FloeError.self) { try SplitBlockBloomFilter(bitset: []) }
        #expect(throws: FloeError.self) { try SplitBlockBloomFilter(bitset: [UInt8](repeating: 0, count: 33)) }
    }

    /// A three-block filter (not a power of two) still selects blocks by multiply-shift.
    @Test func nonPowerOfTwoBlockCounts() throws {
        var filter = try SplitBlockBloomFilter(bitset: [UInt8](repeating: 0, count: 96))
        var rng = BloomRandom(state: 3)
        let inserted = (0..<40).map { _ in rng.next() }
        filter.insert(hashes: inserted)
        #expect(inserted.allSatisfy { filter.mightContain(hash: $0) })
        filter.insert(hash: 0xFFFF_FFFF_0000_0000) // the last block
        #expect(filter.mightContain(hash: 0xFFFF_FFFF_0000_0000))
    }

    @Test func foldingEqualsBuildingSmaller() throws {
        var rng = BloomRandom(state: 11)
        let hashes = (0..<3000).map { _ in rng.next() }
        var large = SplitBlockBloomFilter(numBytes: 8192)
        large.insert(hashes: hashes)
        for size in [8192, 4096, 512, 32] {
            var small = SplitBlockBloomFilter(numBytes: size)
            small.insert(hashes: hashes)
            #expect(large.folded(toNumBytes: size) == small, "size \(size)")
        }
        #expect(large.folded(toNumBytes: 16384) == nil)
        #expect(large.folded(toNumBytes: 96) == nil)
    }

    /// The false positive rate of a filter sized by the formula lands near the target.
    @Test(arguments: [0.01, 0.05])
    func falsePositiveRateNearTarget(target: Double) {
        var rng = BloomRandom(state: 99)
        // Just below a power-of-two size, so rounding up adds little room.
        let bytes = 1 << 16
        let bitsPerValue = -8 / log(1 - pow(target, 1.0 / 8))
        let n = Int(Double(bytes * 8) / bitsPerValue) - 10
        #expect(SplitBlockBloomFilter.optimalNumBytes(distinctValues: n, falsePositiveProbability: target) == bytes)
        var filter = SplitBlockBloomFilter(numBytes: bytes)
        let inserted = (0..<n).map { _ in SplitBlockBloomFilter.hash(int64: Int64(bitPattern: rng.next())) }
        filter.insert(hashes: inserted)
        #expect(inserted.allSatisfy { filter.mightContain(hash: $0) })
        var positives = 0
        for _ in 0..<100_000 where filter.mightContain(hash: SplitBlockBloomFilter.hash(int64: Int64(bitPattern: rng.next()))) {
            positives += 1
        }
        let rate = Double(positives) / 100_000
        #expect(rate > target * 0.5 && rate < target * 1.6, "false positive rate \(rate) for target \(target)")
    }
}

// MARK: - Builder

@Suite struct BloomFilterBuilderTests {
    @Test func roundTripThroughSerializedBytes() throws {
        var builder = BloomFilterBuilder()
        let words = (0..<5000).map { "word-\($0 * 7919 % 100_003)" }
        // Every value twice: duplicates are counted once.
        let values = BinaryValues((words + words).map { utf8($0) })
        try builder.insert(.byteArray(values), range: 0..<values.count)
        #expect(builder.distinctCount == 5000)
        #expect(!builder.isSaturated)
        let bytes = builder.serialized(falsePositiveProbability: 0.01)
        let expectedSize = SplitBlockBloomFilter.optimalNumBytes(distinctValues: 5000, falsePositiveProbability: 0.01)
        let (numBytes, headerLength) = try SplitBlockBloomFilter.readHeader(from: bytes)
        #expect(numBytes == expectedSize)
        #expect(bytes.count == headerLength + numBytes)
        let header = try BloomFilterHeader.decode(bytes).value
        #expect(header == BloomFilterHeader(numBytes: Int32(expectedSize), algorithm: .splitBlock, hash: .xxHash,
                                            compression: .uncompressed))

        let filter = try SplitBlockBloomFilter.read(from: bytes, baseOffset: 1000)
        #expect(filter.numBytes == expectedSize)
        #expect(words.allSatisfy { filter.mightContain(hash: SplitBlockBloomFilter.hash(string: $0)) })
        let falsePositives = (0..<10_000).filter { filter.mightContain(hash: SplitBlockBloomFilter.hash(string: "other-\($0)")) }
        #expect(falsePositives.count < 200)
        // The builder's filter is the filter of the distinct values at that size.
        var direct = SplitBlockBloomFilter(numBytes: expectedSize)
        for w in words { direct.insert(hash: SplitBlockBloomFilter.hash(string: w)) }
        #expect(direct == filter)
    }

    @Test func everyPhysicalTypeButBoolean() throws {
        var builder = BloomFilterBuilder(maxBytes: 4096)
        try builder.insert(.int32([1, 2, 3, 2]), range: 0..<4)
        try builder.insert(.double([0.5, -0.0]), range: 0..<2)
        try builder.insert(.fixedLenByteArray(FixedWidthValues(width: 2, bytes: [1, 2, 3, 4])), range: 1..<2)
        #expect(builder.distinctCount == 6)
        #expect(throws: FloeError.self) { try builder.insert(.boolean([true]), range: 0..<1) }
        #expect(throws: FloeError.self) { try builder.insert(.int32([1]), range: 0..<2) }
        let filter = builder.filter()
        for h in [SplitBlockBloomFilter.hash(int32: 3), SplitBlockBloomFilter.hash(double: -0.0),
                  SplitBlockBloomFilter.hash(bytes: [3, 4])] {
            #expect(filter.mightContain(hash: h))
        }
        #expect(!filter.mightContain(hash: SplitBlockBloomFilter.hash(bytes: [1, 2]))) // not in the range
        #expect(filter.numBytes == 32)
    }

    @Test func emptyBuilderGivesTheSmallestEmptyFilter() throws {
        let builder = BloomFilterBuilder()
        let filter = try SplitBlockBloomFilter.read(from: builder.serialized())
        #expect(filter.numBytes == 32)
        #expect(filter.setBitCount == 0)
    }

    @Test func zeroHashIsKept() {
        var builder = BloomFilterBuilder()
        builder.insert(hash: 0)
        builder.insert(hash: 0)
        builder.insert(hash: 5)
        #expect(builder.distinctCount == 2)
        #expect(builder.filter().mightContain(hash: 0))
    }

    /// Past the distinct limit the builder fills a `maxBytes` filter and folds it down at the end:
    /// the result equals the filter built directly at the chosen size.
    @Test func saturationKeepsMemoryBoundedAndResultsExact() throws {
        var builder = BloomFilterBuilder(maxBytes: 1 << 18, distinctLimit: 1000)
        var rng = BloomRandom(state: 5)
        let values = (0..<20_000).map { _ in Int64(bitPattern: rng.next()) }
        try builder.insert(.int64(values), range: 0..<values.count)
        try builder.insert(.int64(values), range: 0..<500) // duplicates after saturation
        #expect(builder.isSaturated)
        // The estimate from the fill is close to the truth.
        let estimate = builder.distinctCount
        #expect(abs(estimate - 20_000) < 600, "estimated \(estimate) distinct values")
        let filter = builder.filter(falsePositiveProbability: 0.01)
        let expectedSize = SplitBlockBloomFilter.optimalNumBytes(distinctValues: 20_000, falsePositiveProbability: 0.01)
        #expect(filter.numBytes == expectedSize)
        var direct = SplitBlockBloomFilter(numBytes: expectedSize)
        direct.insert(hashes: values.map { SplitBlockBloomFilter.hash(int64: $0) })
        #expect(filter == direct)
        // A tighter target never exceeds maxBytes.
        #expect(builder.filter(falsePositiveProbability: 1e-9).numBytes == 1 << 18)
    }

    @Test func maxBytesCapsTheSize() {
        var builder = BloomFilterBuilder(maxBytes: 3000) // rounded down to 2048
        #expect(builder.maxBytes == 2048)
        for i in 0..<10_000 { builder.insert(hash: SplitBlockBloomFilter.hash(int64: Int64(i))) }
        let filter = builder.filter()
        #expect(filter.numBytes == 2048)
        #expect((0..<10_000).allSatisfy { filter.mightContain(hash: SplitBlockBloomFilter.hash(int64: Int64($0))) })
    }
}

// MARK: - Reading corpus and fixture files

@Suite struct BloomFilterReadingTests {
    /// `bloom_filter.xxhash.bin` holds a header and a 1024-byte bitset with four strings.
    @Test func corpusBinaryFilter() throws {
        guard let path = BloomInputs.corpus("data/bloom_filter.xxhash.bin") else { return }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let filter = try SplitBlockBloomFilter.read(from: bytes)
        #expect(filter.numBytes == 1024)
        let members = ["hello", "parquet", "bloom", "filter"]
        for word in members { #expect(filter.mightContain(hash: SplitBlockBloomFilter.hash(string: word)), "\(word)") }
        let falsePositives = (0..<1000).filter { filter.mightContain(hash: SplitBlockBloomFilter.hash(string: "absent-\($0)")) }
        #expect(falsePositives.count < 20)
        // Byte-exact: the same four strings inserted here give the same bitset.
        var rebuilt = SplitBlockBloomFilter(numBytes: 1024)
        for word in members { rebuilt.insert(hash: SplitBlockBloomFilter.hash(string: word)) }
        #expect(rebuilt.bitset == Array(bytes[(bytes.count - 1024)...]))
        // Serializing it again gives the file's bytes.
        #expect(rebuilt.serialized() == bytes)
    }

    /// The corpus files with a bloom filter on their STRING column, with and without
    /// `bloom_filter_length`.
    @Test(arguments: ["data/data_index_bloom_encoding_stats.parquet", "data/data_index_bloom_encoding_with_length.parquet"])
    func corpusParquetFiles(relative: String) throws {
        guard let path = BloomInputs.corpus(relative) else { return }
        let file = try ParquetFile(path: path)
        let filter = try #require(try file.bloomFilter(rowGroup: 0, column: 0))
        let column = try file.readColumn(rowGroup: 0, column: 0)
        guard case .byteArray(let strings) = column.values else {
            Issue.record("expected BYTE_ARRAY values"); return
        }
        #expect(strings.count == 14)
        for i in 0..<strings.count {
            #expect(filter.mightContain(hash: SplitBlockBloomFilter.hash(bytes: strings[i])),
                    "\(String(decoding: strings[i], as: UTF8.self))")
        }
        #expect(filter.mightContain(hash: SplitBlockBloomFilter.hash(string: "Hello")))
        #expect(filter.mightContain(hash: SplitBlockBloomFilter.hash(string: "the lazy")))
        let absent = (0..<500).filter { filter.mightContain(hash: SplitBlockBloomFilter.hash(string: "nope \($0)")) }
        #expect(absent.count < 10)
        #expect(!filter.mightContain(hash: SplitBlockBloomFilter.hash(string: "Goodbye")))
        // The bitset is exactly the filter of the column's distinct values at the same size.
        var rebuilt = SplitBlockBloomFilter(numBytes: filter.numBytes)
        rebuilt.insert(hashes: try hashes(of: column.values))
        #expect(rebuilt == filter)
    }

    /// A file whose chunks have no bloom filter answers nil.
    @Test func chunkWithoutFilter() throws {
        let file = try ParquetFile(path: BloomInputs.fixture("duckdb_bloom.parquet"))
        #expect(throws: FloeError.self) { try file.bloomFilter(rowGroup: 1, column: 0) }
        #expect(throws: FloeError.self) { try file.bloomFilter(rowGroup: 0, column: 9) }
        guard let path = BloomInputs.corpus("data/alltypes_plain.parquet") else { return }
        let plain = try ParquetFile(path: path)
        #expect(try plain.bloomFilter(rowGroup: 0, column: 0) == nil)
    }

    /// Fixtures written by DuckDB and pyarrow with bloom filters on every column.
    ///
    /// Generated with the interop virtualenv (DuckDB 2.0.1, pyarrow 26.0.1):
    /// ```python
    /// duckdb.connect().execute("""COPY (SELECT 'v' || (i % 50)::VARCHAR AS s,
    ///     (i % 40)::INTEGER * 7 AS i32, (i % 30)::BIGINT * 1000003 AS i64,
    ///     (i % 20)::DOUBLE / 4 AS d, ((i % 25)::FLOAT) / 8 AS f
    ///     FROM range(300) t(i)) TO 'duckdb_bloom.parquet' (FORMAT parquet)""")
    /// n = 200
    /// t = pa.table({
    ///   's': pa.array([None if i % 7 == 0 else f'key-{i*13 % 97}' for i in range(n)], pa.string()),
    ///   'i32': pa.array([(i * 37) % 101 - 50 for i in range(n)], pa.int32()),
    ///   'i64': pa.array([(i * 1_000_000_007) ^ 0x5555 for i in range(n)], pa.int64()),
    ///   'f': pa.array([i / 3 for i in range(n)], pa.float32()),
    ///   'd': pa.array([-i * 0.125 for i in range(n)], pa.float64()),
    ///   'fb': pa.array([bytes([i % 256, (i*3) % 256, 7, 9]) for i in range(n)], pa.binary(4)),
    ///   'ts': pa.array([datetime.datetime(2020,1,1) + datetime.timedelta(seconds=i*3601, microseconds=i)
    ///                   for i in range(n)], pa.timestamp('ns')),
    /// })
    /// pq.write_table(t, 'pyarrow_bloom.parquet', compression='snappy', use_deprecated_int96_timestamps=True,
    ///                bloom_filter_options={c: {'ndv': 256, 'fpp': 0.01} for c in t.column_names})
    /// ```
    @Test(arguments: [("duckdb_bloom.parquet", 5), ("pyarrow_bloom.parquet", 7)])
    func filtersWrittenByOtherTools(name: String, columns: Int) throws {
        let file = try ParquetFile(path: BloomInputs.fixture(name))
        #expect(file.schema.leaves.count == columns)
        for c in 0..<columns {
            let leaf = file.schema.leaves[c].dottedPath
            let filter = try #require(try file.bloomFilter(rowGroup: 0, column: c), "column \(leaf)")
            let values = try file.readColumn(rowGroup: 0, column: c).values
            let all = try hashes(of: values)
            #expect(values.count > 100)
            #expect(all.allSatisfy { filter.mightContain(hash: $0) }, "column \(leaf)")
            // Byte-exact: our hashing and bit layout reproduce the writer's bitset.
            var rebuilt = SplitBlockBloomFilter(numBytes: filter.numBytes)
            rebuilt.insert(hashes: all)
            #expect(rebuilt == filter, "column \(leaf)")
            let present = Set(all)
            var rng = BloomRandom(state: UInt64(c))
            let others = (0..<2000).map { _ in rng.next() }.filter { !present.contains($0) }
            let falsePositives = others.filter { filter.mightContain(hash: $0) }.count
            #expect(falsePositives < others.count / 10, "column \(leaf): \(falsePositives) false positives")
        }
        // Spot checks of values the generators wrote.
        let strings = try #require(try file.bloomFilter(rowGroup: 0, column: 0))
        let word = name.hasPrefix("duckdb") ? "v49" : "key-13"
        #expect(strings.mightContain(hash: SplitBlockBloomFilter.hash(string: word)))
        let ints = try #require(try file.bloomFilter(rowGroup: 0, column: 1))
        #expect(ints.mightContain(hash: SplitBlockBloomFilter.hash(int32: name.hasPrefix("duckdb") ? 273 : -50)))
    }
}

// MARK: - Corrupt input

@Suite struct BloomFilterCorruptInputTests {
    private func header(numBytes: Int32, algorithm: BloomFilterAlgorithm = .splitBlock,
                        hash: BloomFilterHash = .xxHash, compression: BloomFilterCompression = .uncompressed) -> [UInt8] {
        BloomFilterHeader(numBytes: numBytes, algorithm: algorithm, hash: hash, compression: compression).encoded()
    }

    /// The error code reading `bytes` throws, nil when it reads.
    private func code(_ bytes: [UInt8]) -> FloeError.Code? {
        do throws(FloeError) { _ = try SplitBlockBloomFilter.read(from: bytes); return nil } catch { return error.code }
    }

    @Test func badHeadersAndSizes() {
        let bits = [UInt8](repeating: 0xFF, count: 64)
        #expect(code(header(numBytes: 64) + bits) == nil)
        #expect(code([]) == .corrupt)
        #expect(code([0xFF, 0xFF, 0xFF]) == .corrupt)
        #expect(code(header(numBytes: 48) + bits) == .corrupt)
        #expect(code(header(numBytes: 0) + bits) == .corrupt)
        #expect(code(header(numBytes: -32) + bits) == .corrupt)
        #expect(code(header(numBytes: .max - 31) + bits) == .corrupt)
        #expect(code(header(numBytes: 96) + bits) == .corrupt)
        // Truncated inside the header.
        let full = header(numBytes: 64)
        for n in 0..<full.count {
            #expect(code(Array(full[0..<n])) == .corrupt, "\(n) bytes")
        }
        #expect(code(header(numBytes: 64, algorithm: .unrecognized(fieldId: 2)) + bits)
                == .unsupported)
        #expect(code(header(numBytes: 64, hash: .unrecognized(fieldId: 7)) + bits)
                == .unsupported)
        #expect(code(header(numBytes: 64, compression: .unrecognized(fieldId: 2)) + bits)
                == .unsupported)
        // A header missing a required field.
        #expect(code([0x15, 0x80, 0x01, 0x00] + bits) == .corrupt)
    }

    /// Random mutations of a valid filter either read or throw; they never trap.
    @Test func mutationsNeverTrap() {
        var filter = SplitBlockBloomFilter(numBytes: 128)
        for i in 0..<20 { filter.insert(hash: SplitBlockBloomFilter.hash(int32: Int32(i))) }
        let valid = filter.serialized()
        var rng = BloomRandom(state: 1234)
        var failures = 0
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(min(bytes.count, 24)))
                bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            if rng.next() % 4 == 0 { bytes.removeLast(Int(rng.next() % UInt64(bytes.count))) }
            do throws(FloeError) {
                let f = try SplitBlockBloomFilter.read(from: bytes)
                #expect(f.numBytes % 32 == 0 && f.numBytes > 0)
            } catch {
                failures += 1
                #expect(error.code == .corrupt || error.code == .unsupported)
            }
        }
        #expect(failures > 0)
    }

    /// Rewrites the footer of the corpus file with other bloom filter offsets and lengths.
    private func withRewrittenFooter(_ relative: String, offset: Int64?, length: Int32?,
                                     _ check: (ParquetFile) throws -> Void) throws {
        guard let path = BloomInputs.corpus(relative) else { return }
        let original = try ParquetFile(path: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var metadata = original.metadata
        metadata.rowGroups[0].columns[0].metaData?.bloomFilterOffset = offset
        metadata.rowGroups[0].columns[0].metaData?.bloomFilterLength = length
        let footer = metadata.encoded()
        bytes.removeSubrange(original.footerOffset...)
        bytes += footer
        withUnsafeBytes(of: UInt32(footer.count).littleEndian) { bytes += $0 }
        bytes += utf8("PAR1")
        let out = BloomInputs.temporaryPath("rewritten.parquet")
        defer { unlink(out) }
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        try check(try ParquetFile(path: out))
    }

    @Test func outOfRangeOffsetsAndLengths() throws {
        let withLength = "data/data_index_bloom_encoding_with_length.parquet"
        // The real filter: 253 + 2064.
        try withRewrittenFooter(withLength, offset: 253, length: 2064) { file in
            let size = try file.bloomFilter(rowGroup: 0, column: 0)?.numBytes
            #expect(size == 2048)
        }
        // Without the length the header is read first.
        try withRewrittenFooter(withLength, offset: 253, length: nil) { file in
            let size = try file.bloomFilter(rowGroup: 0, column: 0)?.numBytes
            #expect(size == 2048)
        }
        let cases: [(Int64, Int32?)] = [
            (-8, 2064), (0, 2064), (2, nil), (253, 2063), (253, 0), (253, -1), (253, .max),
            (Int64(Int32.max) * 4, 10), (Int64.max, nil), (Int64.min, nil),
            (4, nil),    // the first page header: not a bloom filter header
            (260, 64),   // inside the bitset
            (2300, nil), // a window that ends at the footer, in the middle of zero bytes
        ]
        for (offset, length) in cases {
            try withRewrittenFooter(withLength, offset: offset, length: length) { file in
                do throws(FloeError) {
                    let filter = try file.bloomFilter(rowGroup: 0, column: 0)
                    Issue.record("offset \(offset) length \(String(describing: length)) read a filter of \(filter?.numBytes ?? -1) bytes")
                } catch {
                    #expect(error.code == .corrupt || error.code == .unsupported, "\(error)")
                    #expect(error.location.rowGroup == 0)
                }
            }
        }
    }
}
