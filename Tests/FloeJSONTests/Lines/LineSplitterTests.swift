import Testing
import FloeCore
@testable import FloeJSON

/// Splits `text` fed in chunks of `chunk` bytes; returns (text, number, offset) per line.
func splitLines(_ text: String, chunk: Int) -> [(String, Int, Int)] {
    var out: [(String, Int, Int)] = []
    let bytes = Array(text.utf8)
    var splitter = JSONLineSplitter()
    var start = 0
    let collect: (JSONLine) -> Void = { line in
        out.append((String(decoding: line.bytes, as: UTF8.self), line.number, line.offset))
    }
    while start < bytes.count {
        let end = min(bytes.count, start + chunk)
        Array(bytes[start..<end]).withUnsafeBytes { splitter.feed($0, collect) }
        start = end
    }
    splitter.finish(collect)
    return out
}

@Suite struct LineSplitterTests {
    @Test(arguments: [1, 2, 3, 4, 5, 7, 64])
    func linesSurviveEveryChunking(_ chunk: Int) {
        let lines = splitLines("a\nbb\r\ncc", chunk: chunk)
        #expect(lines.map(\.0) == ["a", "bb", "cc"])
        #expect(lines.map(\.1) == [1, 2, 3])
        #expect(lines.map(\.2) == [0, 2, 6])
    }

    @Test(arguments: [1, 3, 100])
    func blankLinesCountAndTrailingNewlineAddsNothing(_ chunk: Int) {
        let lines = splitLines("\n\n x\n{}\n", chunk: chunk)
        #expect(lines.map(\.0) == ["", "", " x", "{}"])
        #expect(lines.map(\.1) == [1, 2, 3, 4])
        #expect(lines.map(\.2) == [0, 1, 2, 5])
    }

    @Test func crlfSplitAcrossChunks() {
        var out: [String] = []
        var splitter = JSONLineSplitter()
        for part in ["{\"a\":1}\r", "\n{\"b\"", ":2}\r\n", "\r\n"] {
            Array(part.utf8).withUnsafeBytes { splitter.feed($0) { out.append(String(decoding: $0.bytes, as: UTF8.self)) } }
        }
        splitter.finish { out.append(String(decoding: $0.bytes, as: UTF8.self)) }
        #expect(out == ["{\"a\":1}", "{\"b\":2}", ""])
        #expect(splitter.bytesFed == 20)
        #expect(splitter.nextLineNumber == 4)
    }

    @Test func emptyStreamHasNoLines() {
        #expect(splitLines("", chunk: 4).isEmpty)
        #expect(splitLines("\n", chunk: 4).map(\.0) == [""])
    }

    @Test func lastLineWithoutNewlineAtOffsetZero() {
        let lines = splitLines("{\"only\":true}", chunk: 5)
        #expect(lines.count == 1)
        #expect(lines.first?.0 == "{\"only\":true}")
        #expect(lines.first?.2 == 0)
    }

    @Test func errorsFromTheCallbackPropagate() {
        var splitter = JSONLineSplitter()
        let result: Result<Void, FloeError> = Array("a\nb\n".utf8).withUnsafeBytes { raw in
            do throws(FloeError) {
                try splitter.feed(raw) { (line: JSONLine) throws(FloeError) in
                    if line.number == 2 { throw FloeError(.corrupt, "stop", at: Location(line: line.number)) }
                }
                return .success(())
            } catch { return .failure(error) }
        }
        guard case .failure(let error) = result else { Issue.record("no error"); return }
        #expect(error.location.line == 2)
    }

    @Test func forEachLineOverAWholeBuffer() {
        var seen: [Int] = []
        Array("{}\n\n{}".utf8).withUnsafeBytes { raw in
            JSONLineSplitter.forEachLine(in: raw) { line in
                if !JSONLineScanner.isBlank(line.bytes) { seen.append(line.number) }
            }
        }
        #expect(seen == [1, 3])
    }
}
