import Dispatch
import FloeCore
import FloeColumns
import FloeJSON

/// The full-schema side of JSON-lines scans (`SELECT *` and the cases the projected scan
/// leaves): schema inference over plain files in parallel ranges, and the lines that may pass
/// a selective filter, found with a projected scan so that only they are shredded in full.
enum JSONFullScan {
    /// Infers the schema of a plain (uncompressed) file's lines into `inference`, in parallel
    /// ranges merged in file order (the result equals a sequential inference). Returns false,
    /// doing nothing, for a compressed file.
    ///
    /// With a `probe` (a range on a string path), the same pass also keeps the lines whose
    /// value there lies in the range — what ``candidates(_:_:maxBytes:bytesRead:)`` would find
    /// — into `probed` (nil when they would take more than `maxBytes`).
    static func infer(_ path: String, into inference: inout SchemaInference, bytesRead: inout Int,
                      probe: ColumnRange? = nil, maxBytes: Int = 0, probed: inout CandidateLines?) throws(FloeError) -> Bool {
        let file = try MappedFile(path: path)
        if file.isCompressed { return false }
        bytesRead += file.count
        guard let base = file.base, file.count > 0 else { return true }
        let ranges = JSONProjection.lineRanges(base, file.count)
        let slots = UnsafeMutableBufferPointer<(SchemaInference?, FloeError?)>.allocate(capacity: ranges.count)
        slots.initialize(repeating: (nil, nil))
        defer { slots.deinitialize(); slots.deallocate() }
        let kept = UnsafeMutableBufferPointer<CandidateLines?>.allocate(capacity: ranges.count)
        kept.initialize(repeating: nil)
        defer { kept.deinitialize(); kept.deallocate() }
        let shared = InferenceSlots(slots)
        let sharedKept = CandidateSlots(kept)
        let mapped = MappedBytes(base: base)
        let probePath = probe.map { $0.path.map { Array($0.utf8) } }
        DispatchQueue.concurrentPerform(iterations: ranges.count) { r in
            let base = mapped.base
            var local = SchemaInference()
            var scanner = JSONLineScanner()
            var tape = JSONTape()
            var lines = CandidateLines()
            var scratch: [UInt8] = []
            var s = ranges[r].lowerBound
            let to = ranges[r].upperBound
            var number = 0
            do throws(FloeError) {
                while s < to {
                    let e: Int
                    if let hit = memchr(base + s, 0x0A, to - s) { e = UnsafeRawPointer(hit) - UnsafeRawPointer(base) } else { e = to }
                    var end = e
                    if end > s, base[end - 1] == 0x0D { end -= 1 }
                    number += 1
                    let line = UnsafeRawBufferPointer(start: base + s, count: end - s)
                    if !JSONLineScanner.isBlank(line, isFirstLine: s == 0) {
                        do throws(FloeError) {
                            try scanner.scan(line, lineNumber: number, isFirstLine: s == 0, into: &tape)
                            try local.add(tape, line: line)
                        } catch {
                            var located = error
                            located.location.offset = s
                            throw located
                        }
                        if let probe, let probePath, !lines.overflow,
                           JSONFullScan.probeAccepts(tape, line, probePath, probe, &scratch) {
                            lines.starts.append(lines.bytes.count)
                            lines.bytes.append(contentsOf: line)
                            lines.numbers.append(number)
                            lines.offsets.append(s)
                            if lines.bytes.count > maxBytes { lines.overflow = true }
                        }
                    }
                    s = e + 1
                }
                lines.lines = number
                shared.slots[r] = (local, nil)
                sharedKept.slots[r] = lines
            } catch {
                shared.slots[r] = (nil, error)
            }
        }
        for r in 0..<ranges.count {
            if var error = slots[r].1 {
                let lineStart = min(max(0, error.location.offset ?? ranges[r].lowerBound), file.count)
                error.location.line = 1 + JSONProjection.countNewlines(base, lineStart)
                throw error.at(Location(file: path))
            }
        }
        for r in 0..<ranges.count { if let local = slots[r].0 { inference.merge(local) } }
        if probe != nil { probed = merged(kept, maxBytes: maxBytes) }
        return true
    }

    /// The candidate lines of consecutive ranges as one list (line numbers made file-wide), or
    /// nil when one overflowed or together they take more than `maxBytes`.
    static func merged(_ parts: UnsafeMutableBufferPointer<CandidateLines?>, maxBytes: Int) -> CandidateLines? {
        var total = CandidateLines()
        var linesBefore = 0
        for case let part? in parts {
            if part.overflow || total.bytes.count + part.bytes.count > maxBytes { return nil }
            let shift = total.bytes.count
            total.bytes.append(contentsOf: part.bytes)
            total.starts.append(contentsOf: part.starts.map { $0 + shift })
            total.numbers.append(contentsOf: part.numbers.map { $0 + linesBefore })
            total.offsets.append(contentsOf: part.offsets)
            linesBefore += part.lines
        }
        total.lines = linesBefore
        return total
    }

    /// True when the value at `path` of a scanned line lies in `range`, with the values of
    /// ``ProjectedLineScanner``: the last of repeated keys wins, a string is its decoded
    /// content, any other value its JSON text; missing or null values are not kept.
    static func probeAccepts(_ tape: JSONTape, _ line: UnsafeRawBufferPointer, _ path: [[UInt8]],
                             _ range: ColumnRange, _ scratch: inout [UInt8]) -> Bool {
        guard tape.count > 0, !path.isEmpty else { return false }
        var t = 0
        for name in path {
            guard tape[t].kind == .objectStart else { return false }
            let end = tape[t].partner
            var found = -1
            var i = t + 1
            while i < end {
                if keyEquals(tape[i], name, line, &scratch) { found = i + 1 }
                i = tape.next(after: i + 1)
            }
            guard found >= 0 else { return false }
            t = found
        }
        let v = tape[t]
        switch v.kind {
        case .null: return false
        case .string where v.hasEscapes:
            scratch = JSONStringDecoding.decoded(v, in: line)
            return scratch.withUnsafeBytes { accepts(range, $0) }
        case .string: return accepts(range, UnsafeRawBufferPointer(rebasing: line[v.range]))
        default: return accepts(range, UnsafeRawBufferPointer(rebasing: line[v.textRange]))
        }
    }

    /// True when a key token (decoded) is `name`.
    private static func keyEquals(_ key: JSONToken, _ name: [UInt8], _ line: UnsafeRawBufferPointer, _ scratch: inout [UInt8]) -> Bool {
        if !key.hasEscapes {
            guard key.range.count == name.count else { return false }
            return name.withUnsafeBytes { n in
                guard let a = line.baseAddress, let b = n.baseAddress else { return name.isEmpty }
                return memcmp(a + Int(key.start), b, name.count) == 0
            }
        }
        scratch = JSONStringDecoding.decoded(key, in: line)
        return scratch == name
    }

    /// A selective conjunct usable before shredding: the schema leaf of a string column (by its
    /// path) and the range its values must fall in.
    struct Prefilter {
        var leafPath: [String]
        var range: ColumnRange
    }

    /// The first range of `plan` on a top-level or nested STRING leaf with string bounds.
    static func prefilter(_ plan: Plan, _ binder: SchemaBinder) -> Prefilter? {
        for range in plan.ranges {
            guard case .leaf(let l)? = binder.bind(range.path), l < binder.schema.leaves.count else { continue }
            let leaf = binder.schema.leaves[l]
            guard case .string = leaf.kind, leaf.maxRepetitionLevel == 0 else { continue }
            guard range.hasTextBounds else { continue }
            return Prefilter(leafPath: leaf.path, range: range)
        }
        return nil
    }

    /// True when the text `value` lies in `range` (strings compare as unsigned bytes).
    static func accepts(_ range: ColumnRange, _ value: UnsafeRawBufferPointer) -> Bool {
        func compare(_ literal: String) -> Int {
            var l = literal
            return l.withUTF8 { lit in
                let n = min(value.count, lit.count)
                if n > 0, let a = value.baseAddress, let b = lit.baseAddress {
                    let c = memcmp(a, b, n)
                    if c != 0 { return c < 0 ? -1 : 1 }
                }
                return value.count == lit.count ? 0 : (value.count < lit.count ? -1 : 1)
            }
        }
        if case .string(let low)? = range.low {
            let c = compare(low)
            if c < 0 || (c == 0 && !range.lowInclusive) { return false }
        }
        if case .string(let high)? = range.high {
            let c = compare(high)
            if c > 0 || (c == 0 && !range.highInclusive) { return false }
        }
        return true
    }

    /// The lines of a plain file whose value at `filter.leafPath` lies in its range (every line
    /// validated), or nil when the file is compressed or the lines would take more than
    /// `maxBytes`.
    static func candidates(_ path: String, _ filter: Prefilter, maxBytes: Int,
                           bytesRead: inout Int) throws(FloeError) -> CandidateLines? {
        let file = try MappedFile(path: path)
        if file.isCompressed { return nil }
        bytesRead += file.count
        guard let base = file.base, file.count > 0 else { return CandidateLines() }
        let ranges = JSONProjection.lineRanges(base, file.count)
        let slots = UnsafeMutableBufferPointer<CandidateLines?>.allocate(capacity: ranges.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        let shared = CandidateSlots(slots)
        let mapped = MappedBytes(base: base)
        let paths = ProjectionPaths([filter.leafPath])
        DispatchQueue.concurrentPerform(iterations: ranges.count) { r in
            let base = mapped.base
            var out = CandidateLines()
            var scanner = ProjectedLineScanner(paths: paths)
            var s = ranges[r].lowerBound
            let to = ranges[r].upperBound
            do throws(FloeError) {
                while s < to {
                    let e: Int
                    if let hit = memchr(base + s, 0x0A, to - s) { e = UnsafeRawPointer(hit) - UnsafeRawPointer(base) } else { e = to }
                    var end = e
                    if end > s, base[end - 1] == 0x0D { end -= 1 }
                    out.lines += 1
                    let line = UnsafeRawBufferPointer(start: base + s, count: end - s)
                    if !JSONLineScanner.isBlank(line, isFirstLine: s == 0) {
                        do throws(FloeError) {
                            try scanner.scan(line, lineNumber: out.lines, isFirstLine: s == 0)
                        } catch {
                            var located = error
                            located.location.offset = s
                            throw located
                        }
                        let keep = scanner.withLastValue(of: 0) { kind, value in
                            kind != nil && kind != .null && accepts(filter.range, value)
                        }
                        if keep {
                            out.starts.append(out.bytes.count)
                            out.bytes.append(contentsOf: line)
                            out.numbers.append(out.lines)
                            out.offsets.append(s)
                            if out.bytes.count > maxBytes { out.overflow = true; break }
                        }
                        if scanner.rowCount >= 4096 { _ = scanner.takeColumns() }
                    }
                    s = e + 1
                }
            } catch {
                out.error = error
            }
            shared.slots[r] = out
        }
        for r in 0..<ranges.count {
            if var error = slots[r]?.error {
                let lineStart = min(max(0, error.location.offset ?? ranges[r].lowerBound), file.count)
                error.location.line = 1 + JSONProjection.countNewlines(base, lineStart)
                throw error.at(Location(file: path))
            }
        }
        return merged(slots, maxBytes: maxBytes)
    }
}

/// Lines kept by a prefilter: their bytes, one after another.
struct CandidateLines {
    var bytes: [UInt8] = []
    /// Where each line starts in `bytes` (it ends where the next starts).
    var starts: [Int] = []
    /// Each line's 1-based number in its file, and its byte offset.
    var numbers: [Int] = []
    var offsets: [Int] = []
    /// Lines seen (kept or not).
    var lines = 0
    var overflow = false
    var error: FloeError?

    var count: Int { starts.count }
}

final class InferenceSlots: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<(SchemaInference?, FloeError?)>
    init(_ slots: UnsafeMutableBufferPointer<(SchemaInference?, FloeError?)>) { self.slots = slots }
}

final class CandidateSlots: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<CandidateLines?>
    init(_ slots: UnsafeMutableBufferPointer<CandidateLines?>) { self.slots = slots }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
