import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
@testable import FloeCodecs

@Suite struct DecodingReaderTests {
    func writeTemp(_ bytes: [UInt8]) -> String {
        let path = "/tmp/floe-decoding-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let f = fopen(path, "wb")
        bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        return path
    }

    func readAll(_ path: String, chunk: Int = 1000) throws -> [UInt8] {
        let reader = try DecodingReader(path: path, bufferSize: 4096)
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = try buf.withMutableBuffer { (b: UnsafeMutableBufferPointer<UInt8>) throws(FloeError) -> Int in
                try reader.read(into: UnsafeMutableRawBufferPointer(b))
            }
            if n == 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    let text: [UInt8] = Array((0..<20000).map { "{\"line\":\($0),\"text\":\"abc\"}\n" }.joined().utf8)

    @Test(arguments: [CompressionKind.uncompressed, .gzip, .zstd])
    func decodesWholeStreams(kind: CompressionKind) throws {
        var bytes = text
        if kind != .uncompressed {
            var c = try Compressor(kind: kind)
            bytes = try c.compress(text)
        }
        let path = writeTemp(bytes)
        defer { unlink(path) }
        #expect(try readAll(path) == text)
        #expect(try readAll(path, chunk: 7) == text)
    }

    @Test func concatenatedMembersAndFrames() throws {
        for kind in [CompressionKind.gzip, .zstd] {
            var c = try Compressor(kind: kind)
            let half = text.count / 2
            let bytes = try c.compress(Array(text[..<half])) + (try c.compress(Array(text[half...])))
            let path = writeTemp(bytes)
            defer { unlink(path) }
            #expect(try readAll(path) == text, "\(kind)")
        }
    }

    @Test func truncatedAndCorruptStreamsThrow() throws {
        for kind in [CompressionKind.gzip, .zstd] {
            var c = try Compressor(kind: kind)
            let full = try c.compress(text)
            for cut in [full.count / 2, full.count - 3] {
                let path = writeTemp(Array(full[..<cut]))
                defer { unlink(path) }
                #expect(throws: FloeError.self, "\(kind) cut at \(cut)") { _ = try readAll(path) }
            }
            var flipped = full
            flipped[flipped.count / 2] ^= 0xFF
            flipped[flipped.count / 2 + 1] ^= 0x55
            let path = writeTemp(flipped)
            defer { unlink(path) }
            do {
                let out = try readAll(path)
                #expect(out != text, "\(kind): a corrupted stream decoded to the original")
            } catch let error as FloeError {
                #expect(error.code == .corrupt)
            }
        }
    }

    @Test func emptyAndMissingFiles() throws {
        let path = writeTemp([])
        defer { unlink(path) }
        #expect(try readAll(path) == [])
        #expect(throws: FloeError.self) { _ = try DecodingReader(path: "/nonexistent/floe/input.jsonl") }
    }
}
