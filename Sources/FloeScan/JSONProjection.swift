#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import FloeCore
import FloeCodecs
import FloeJSON

/// One batch of projected lines of one file.
struct ProjectedBatch {
    var file: Int
    var rows: Int
    var columns: [ProjectedColumn]
}

/// The projected values and statistics of a set of JSON-lines files.
struct ProjectedRead {
    var batches: [ProjectedBatch] = []
    var statistics: ProjectionStatistics
    var bytesRead = 0
}

/// Reads JSON-lines files with a ``ProjectedLineScanner``, using both cores: a plain file is
/// memory-mapped and cut at line boundaries into ranges scanned in parallel; a gzip or zstd
/// file is decompressed on one thread while another scans the decompressed blocks.
///
/// Errors name the file, the line number, the line's byte offset and the byte column, and are
/// the first malformed line of the file in file order.
enum JSONProjection {
    /// Bytes per parallel range of a plain file.
    static let rangeBytes = 8 << 20
    /// Decompressed bytes per block handed to the scanning thread.
    static let blockBytes = 4 << 20

    /// Reads `files` (all of them, in order) for `paths`.
    static func read(_ files: [SourceFile], paths: ProjectionPaths, batchRows: Int) throws(FloeError) -> ProjectedRead {
        var out = ProjectedRead(statistics: ProjectedLineScanner(paths: paths).statistics)
        for (i, file) in files.enumerated() {
            try readFile(file.path, index: i, paths: paths, batchRows: batchRows, into: &out)
        }
        return out
    }

    /// Reads one file, appending its batches and statistics to `out`.
    static func readFile(_ path: String, index: Int, paths: ProjectionPaths, batchRows: Int,
                         into out: inout ProjectedRead) throws(FloeError) {
        let file = try MappedFile(path: path)
        if file.isCompressed {
            try readStream(path, index: index, paths: paths, batchRows: batchRows, into: &out)
            return
        }
        out.bytesRead += file.count
        guard let base = file.base, file.count > 0 else { return }
        let ranges = lineRanges(base, file.count)
        let results = UnsafeMutableBufferPointer<RangeResult?>.allocate(capacity: ranges.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let shared = SharedResults(results)
        let mapped = MappedBytes(base: base)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { r in
            let base = mapped.base
            var scanner = ProjectedLineScanner(paths: paths)
            var result = RangeResult()
            do throws(FloeError) {
                try scanLines(base, ranges[r].lowerBound, ranges[r].upperBound, lineBase: 0, &scanner, batchRows: batchRows) { rows, columns in
                    result.batches.append((rows, columns))
                }
                if scanner.rowCount > 0 { result.batches.append((scanner.rowCount, scanner.takeColumns())) }
            } catch {
                result.error = error
            }
            result.statistics = scanner.statistics
            shared.results[r] = result
        }
        for r in 0..<ranges.count {
            guard let result = results[r] else { continue }
            if var error = result.error {
                // Range-local line numbers become file line numbers.
                let lineStart = error.location.offset ?? ranges[r].lowerBound
                error.location.line = 1 + countNewlines(base, min(max(0, lineStart), file.count))
                throw error.at(Location(file: path))
            }
        }
        for r in 0..<ranges.count {
            guard let result = results[r] else { continue }
            if let s = result.statistics { out.statistics.merge(s) }
            for (rows, columns) in result.batches {
                out.batches.append(ProjectedBatch(file: index, rows: rows, columns: columns))
            }
        }
        _ = file
    }

    /// A gzip or zstd file: decompression here, scanning on a second thread.
    static func readStream(_ path: String, index: Int, paths: ProjectionPaths, batchRows: Int,
                           into out: inout ProjectedRead) throws(FloeError) {
        let reader = try DecodingReader(path: path)
        let worker = StreamScan(paths: paths, batchRows: batchRows)
        let queue = DispatchQueue(label: "floe.scan.json")
        let slots = DispatchSemaphore(value: 2)
        var carry: [UInt8] = []
        var readError: FloeError?
        while !worker.failed {
            var block = carry
            carry = []
            let have = block.count
            block.reserveCapacity(have + blockBytes)
            block.append(contentsOf: repeatElement(0, count: blockBytes))
            let n: Int
            do throws(FloeError) {
                n = try block.withMutableBuffer { (b: UnsafeMutableBufferPointer<UInt8>) throws(FloeError) -> Int in
                    try reader.read(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: b[have...])))
                }
            } catch {
                readError = error
                break
            }
            block.removeLast(blockBytes - n)
            let last = n == 0
            if !last {
                // Hand out whole lines; keep the incomplete last line for the next block.
                guard let nl = block.lastIndex(of: 0x0A) else { carry = block; continue }
                carry = Array(block[(nl + 1)...])
                block.removeLast(block.count - nl - 1)
            }
            slots.wait()
            let job = block
            queue.async { worker.scan(job); slots.signal() }
            if last { break }
        }
        queue.sync {}
        out.bytesRead += reader.input.bytesRead
        if let readError { throw readError.at(Location(file: path)) }
        if let error = worker.error { throw error.at(Location(file: path)) }
        out.statistics.merge(worker.scanner.statistics)
        for (rows, columns) in worker.batches {
            out.batches.append(ProjectedBatch(file: index, rows: rows, columns: columns))
        }
        let rest = worker.scanner.rowCount
        if rest > 0 { out.batches.append(ProjectedBatch(file: index, rows: rest, columns: worker.scanner.takeColumns())) }
    }

    /// Cuts `base[0..<count]` into ranges that start at line starts.
    static func lineRanges(_ base: UnsafePointer<UInt8>, _ count: Int) -> [Range<Int>] {
        let pieces = max(1, min(256, count / rangeBytes))
        var starts = [0]
        for k in 1..<max(1, pieces) {
            let guess = count / pieces * k
            guard guess > starts[starts.count - 1], guess < count,
                  let hit = memchr(base + guess - 1, 0x0A, count - guess + 1) else { continue }
            let start = UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
            if start > starts[starts.count - 1], start < count { starts.append(start) }
        }
        var out: [Range<Int>] = []
        for (i, s) in starts.enumerated() { out.append(s..<(i + 1 < starts.count ? starts[i + 1] : count)) }
        return out
    }

    /// The line feeds in `base[0..<end]`.
    static func countNewlines(_ base: UnsafePointer<UInt8>, _ end: Int) -> Int {
        var n = 0
        var p = 0
        while p < end, let hit = memchr(base + p, 0x0A, end - p) {
            n += 1
            p = UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
        }
        return n
    }

    /// Scans the lines of `base[from..<to]` (which starts at a line start); `lineBase` lines
    /// precede it. Full batches of `batchRows` rows go to `emit`; the rest stays in `scanner`.
    /// An error's location has the line number (counted from `lineBase`) and, as `offset`, the
    /// offset of the line's first byte in `base`.
    static func scanLines(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int, lineBase: Int,
                          _ scanner: inout ProjectedLineScanner, batchRows: Int,
                          emit: (Int, [ProjectedColumn]) -> Void) throws(FloeError) {
        var s = from
        var number = lineBase
        while s < to {
            let e: Int
            if let hit = memchr(base + s, 0x0A, to - s) { e = UnsafeRawPointer(hit) - UnsafeRawPointer(base) } else { e = to }
            var end = e
            if end > s, base[end - 1] == 0x0D { end -= 1 }
            number += 1
            let line = UnsafeRawBufferPointer(start: base + s, count: end - s)
            if !JSONLineScanner.isBlank(line, isFirstLine: s == 0 && lineBase == 0) {
                do throws(FloeError) {
                    try scanner.scan(line, lineNumber: number, isFirstLine: s == 0 && lineBase == 0)
                } catch {
                    var located = error
                    located.location.offset = s
                    throw located
                }
                if scanner.rowCount >= batchRows { emit(scanner.rowCount, scanner.takeColumns()) }
            }
            s = e + 1
        }
    }
}

/// What one range of a plain file gave.
struct RangeResult {
    var batches: [(Int, [ProjectedColumn])] = []
    var statistics: ProjectionStatistics?
    var error: FloeError?
}

/// The mapped bytes, shared read-only by the workers.
struct MappedBytes: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
}

/// The per-range result slots, written by the parallel workers (each its own slot).
final class SharedResults: @unchecked Sendable {
    let results: UnsafeMutableBufferPointer<RangeResult?>
    init(_ results: UnsafeMutableBufferPointer<RangeResult?>) { self.results = results }
}

/// The scanning side of a compressed file: blocks of whole lines, in order, on one queue.
final class StreamScan: @unchecked Sendable {
    var scanner: ProjectedLineScanner
    let batchRows: Int
    var batches: [(Int, [ProjectedColumn])] = []
    var error: FloeError?
    private var lines = 0
    private var offset = 0
    private let lock = DispatchSemaphore(value: 1)
    private var stop = false

    init(paths: ProjectionPaths, batchRows: Int) {
        scanner = ProjectedLineScanner(paths: paths)
        self.batchRows = batchRows
    }

    /// True once scanning failed (the reader stops).
    var failed: Bool {
        lock.wait()
        defer { lock.signal() }
        return stop
    }

    func scan(_ block: [UInt8]) {
        if error != nil { return }
        block.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            do throws(FloeError) {
                try JSONProjection.scanLines(base, 0, b.count, lineBase: lines, &scanner, batchRows: batchRows) { rows, columns in
                    batches.append((rows, columns))
                }
                lines += JSONProjection.countNewlines(base, b.count)
            } catch {
                var located = error
                located.location.offset = offset + (error.location.offset ?? 0)
                self.error = located
                lock.wait()
                stop = true
                lock.signal()
            }
        }
        offset += block.count
    }
}

/// A read-only memory map of a whole file (empty files map nothing).
final class MappedFile {
    let base: UnsafePointer<UInt8>?
    let count: Int
    /// True when the file starts with the gzip or zstd magic bytes.
    let isCompressed: Bool

    init(path: String) throws(FloeError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FloeError(.io, "cannot open the file", at: Location(file: path)) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FloeError(.io, "cannot stat the file", at: Location(file: path)) }
        let size = Int(st.st_size)
        count = max(0, size)
        guard size > 0 else { base = nil; isCompressed = false; return }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw FloeError(.io, "cannot map the file", at: Location(file: path))
        }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        let bytes = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self))
        base = bytes
        isCompressed = size >= 4 && ((bytes[0] == 0x1F && bytes[1] == 0x8B)
            || (bytes[0] == 0x28 && bytes[1] == 0xB5 && bytes[2] == 0x2F && bytes[3] == 0xFD))
    }

    deinit {
        if let base, count > 0 { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }
}
