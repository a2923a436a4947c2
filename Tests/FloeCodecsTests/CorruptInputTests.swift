import FloeCore
import Testing
@testable import FloeCodecs

/// Malformed input must throw `.corrupt` or decode to the requested size — never crash, hang,
/// write out of bounds (the address sanitizer would see it) or leave the decompressor broken.
@Suite struct CorruptInputTests {
    static let mutantsPerCodec = 3000

    enum Mutation: CaseIterable { case bitFlips, byteOverwrite, truncation, insertion, deletion, headerSizeEdit }

    static func mutate(_ data: [UInt8], _ rng: inout SplitMix64) -> (Mutation, [UInt8]) {
        var m = data
        let mutation = Mutation.allCases[Int(rng.next() % UInt64(Mutation.allCases.count))]
        switch mutation {
        case .bitFlips:
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let i = Int(rng.next() % UInt64(m.count))
                m[i] ^= 1 << UInt8(rng.next() % 8)
            }
        case .byteOverwrite:
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                m[Int(rng.next() % UInt64(m.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
        case .truncation:
            m.removeLast(1 + Int(rng.next() % UInt64(m.count)))
        case .insertion:
            let at = Int(rng.next() % UInt64(m.count + 1))
            m.insert(contentsOf: (0..<(1 + Int(rng.next() % 8))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        case .deletion:
            let at = Int(rng.next() % UInt64(m.count))
            m.removeSubrange(at..<min(m.count, at + 1 + Int(rng.next() % 16)))
        case .headerSizeEdit:
            // Headers and length prefixes sit at the front: hit them specifically.
            let i = Int(rng.next() % UInt64(min(m.count, 12)))
            m[i] = [0x00, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
        }
        return (mutation, m)
    }

    @Test(arguments: supportedKinds)
    func mutantsNeverCrash(_ kind: CompressionKind) throws {
        let original = TestData.columnLike(6000, seed: 50)
        let valid = try compressed(kind, original)
        var rng = SplitMix64(seed: 0xC0DEC + UInt64(kind.rawValue))
        var decompressor = Decompressor()
        var failures = 0
        for i in 0..<Self.mutantsPerCodec {
            let (mutation, mutant) = Self.mutate(valid, &rng)
            do throws(FloeError) {
                let out = try decompressed(kind, mutant, size: original.count, using: &decompressor)
                #expect(mutation != .truncation, "a truncated \(kind.name) stream decoded")
                #expect(out.count == original.count)
            } catch {
                failures += 1
                #expect(error.code == .corrupt, "\(error)")
            }
            if i % 250 == 0 {
                // Failures leave the contexts usable.
                #expect(try decompressed(kind, valid, size: original.count, using: &decompressor) == original)
            }
        }
        // Most mutants of real compressed data are caught (for uncompressed data only the
        // size-changing ones can be).
        #expect(failures > Self.mutantsPerCodec / 4)
    }

    @Test(arguments: supportedKinds)
    func randomBytesNeverCrash(_ kind: CompressionKind) {
        var rng = SplitMix64(seed: 0xBAD + UInt64(kind.rawValue))
        var decompressor = Decompressor()
        for _ in 0..<1000 {
            let length = 1 + Int(rng.next() % 300)
            let garbage = TestData.random(length, seed: rng.next())
            // Ask for far more output than the input holds, and for a little.
            for size in [1 + Int(rng.next() % 64), 1 << 20] {
                do throws(FloeError) {
                    let out = try decompressed(kind, garbage, size: size, using: &decompressor)
                    #expect(out.count == size)
                } catch {
                    #expect(error.code == .corrupt, "\(error)")
                }
            }
        }
    }

    @Test(arguments: supportedKinds)
    func everyTruncationThrows(_ kind: CompressionKind) throws {
        let original = TestData.compressible(3000) + TestData.random(500, seed: 51)
        let valid = try compressed(kind, original)
        var decompressor = Decompressor()
        for length in 0..<valid.count {
            let error = thrownError { _ = try decompressed(kind, Array(valid.prefix(length)), size: original.count, using: &decompressor) }
            #expect(error?.code == .corrupt, "prefix of \(length) of \(valid.count) bytes")
        }
    }

    @Test func lzoIsUnsupported() {
        var decompressor = Decompressor()
        #expect(thrownError { _ = try decompressed(.lzo, [1, 2, 3], size: 10, using: &decompressor) }?.code == .unsupported)
        #expect(thrownError { _ = try decompressor.decompress(.lzo, [1, 2, 3], uncompressedSize: 10) }?.code == .unsupported)
        #expect(thrownError { _ = try Compressor(kind: .lzo) }?.code == .unsupported)
    }
}
