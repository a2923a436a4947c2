import FloeCore
import FloeColumns
import FloeJSON

/// A line skipped under `--on-error skip`, numbered within its chunk.
struct RejectedLine: Sendable {
    var error: FloeError
    /// The 1-based line number inside the chunk.
    var relativeLine: Int
    /// The byte offset of the line in the stream.
    var offset: Int
    var raw: [UInt8]
}

/// The rows of one partition shredded from one chunk.
struct ShreddedPart: Sendable {
    var value: String
    var columns: [ColumnData]
    var rows: Int
}

/// What a worker made of one chunk.
struct ChunkConversion: Sendable {
    var parts: [ShreddedPart] = []
    var lines = 0
    var blanks = 0
    var rejects: [RejectedLine] = []
    /// The first bad line under `--on-error fail` (its line number is within the chunk: see
    /// ``failureLine``); the chunk's rows are then dropped.
    var failure: FloeError?
    var failureLine = 0
    /// Under a sampled schema: the inference over the chunk's lines.
    var inference: SchemaInference?
    /// Under a sampled schema: a line that scanned but did not fit the schema (the sample
    /// was not representative; the chunk's rows are dropped).
    var misfit = false
}

/// The per-thread state of the conversion pass: scans, routes (partitions) and shreds the lines
/// of a chunk into column buffers.
struct ConvertWorker: Sendable {
    let input: String
    let template: JSONShredder
    /// The last time bucket of a partitioned conversion (see ``PartitionSpec/directValue(line:columnKey:isFirstLine:memo:)``).
    private var bucketMemo = PartitionSpec.BucketMemo()
    let spec: PartitionSpec?
    let columnKey: [UInt8]
    let policy: ErrorPolicy
    /// True when the schema comes from a sample: every line is also fed to an inference (see
    /// ``ChunkConversion/inference``) so that the converter can tell whether the sample's
    /// schema is the whole input's.
    let infers: Bool
    private var scanner = JSONLineScanner()
    private var tape = JSONTape()
    private var single: JSONShredder
    private var shredders: [String: JSONShredder] = [:]

    init(input: String, template: JSONShredder, spec: PartitionSpec?, policy: ErrorPolicy, infers: Bool = false) {
        self.input = input
        self.infers = infers
        self.template = template
        self.single = template
        self.spec = spec
        self.columnKey = Array((spec?.column ?? "").utf8)
        self.policy = policy
    }

    mutating func run(_ chunk: InputChunk) -> ChunkConversion {
        var out = ChunkConversion()
        var order: [String] = []
        var seen: Set<String> = []
        var inference = SchemaInference()
        let infers = self.infers
        chunk.bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            do throws(FloeError) {
                try JSONLineSplitter.forEachLine(in: raw) { (line: JSONLine) throws(FloeError) in
                    out.lines += 1
                    if JSONLineScanner.isBlank(line.bytes, isFirstLine: chunk.offset == 0 && line.number == 1) {
                        out.blanks += 1
                        return
                    }
                    let isFirstLine = chunk.offset == 0 && line.number == 1
                    // Common records go straight from their bytes to the columns.
                    if let novel = appendDirect(line, isFirstLine, &order, &seen) {
                        if infers && novel {
                            // Only a novel line can change the schema; the inference reads a tape.
                            do throws(FloeError) {
                                try scanner.scan(line.bytes, lineNumber: line.number, isFirstLine: isFirstLine, into: &tape)
                                try inference.add(tape, line: line.bytes)
                            } catch {}
                        }
                        return
                    }
                    do throws(FloeError) {
                        try scanner.scan(line.bytes, lineNumber: line.number, isFirstLine: isFirstLine, into: &tape)
                        if infers {
                            let novel: Bool
                            do throws(FloeError) {
                                novel = try shred(line, &order, &seen)
                            } catch {
                                out.misfit = true
                                throw error
                            }
                            // Only a line novel to the sample's inference can change the schema
                            // (the speculation starts from that inference). As in the inference
                            // pass, a line the inference refuses adds nothing.
                            if novel {
                                do throws(FloeError) { try inference.add(tape, line: line.bytes) } catch {}
                            }
                            return
                        }
                        try shred(line, &order, &seen)
                    } catch {
                        if out.misfit { throw error }
                        let offset = chunk.offset + line.offset
                        let located = error.at(Location(file: input, offset: offset, line: line.number))
                        guard policy == .skip, located.isDataError else {
                            out.failure = located
                            out.failureLine = line.number
                            throw located
                        }
                        out.rejects.append(RejectedLine(error: located, relativeLine: line.number, offset: offset,
                                                        raw: Array(line.bytes)))
                    }
                }
            } catch {
                // Stopped at the failure recorded above.
            }
        }
        if infers { out.inference = inference }
        if out.misfit { return out }
        if spec == nil {
            let rows = single.rowCount
            if rows > 0 { out.parts.append(ShreddedPart(value: "", columns: single.take(), rows: rows)) }
        } else {
            for value in order {
                guard var shredder = shredders.removeValue(forKey: value) else { continue }
                let rows = shredder.rowCount
                if rows > 0 { out.parts.append(ShreddedPart(value: value, columns: shredder.take(), rows: rows)) }
                shredders[value] = shredder
            }
        }
        if out.failure != nil { out.parts = [] }
        return out
    }

    /// Shreds a line in one pass (``JSONShredder/appendDirect(line:isFirstLine:)``) into its
    /// partition's shredder (found by ``PartitionSpec/directValue(line:columnKey:isFirstLine:memo:)``);
    /// returns whether the line is novel to the watched inference, or nil, having appended
    /// nothing, when the line needs the tape path.
    private mutating func appendDirect(_ line: JSONLine, _ isFirstLine: Bool, _ order: inout [String],
                                       _ seen: inout Set<String>) -> Bool? {
        guard let spec else {
            return single.appendDirect(line: line.bytes, isFirstLine: isFirstLine) ? single.lastRecordIsNovel : nil
        }
        guard let value = spec.directValue(line: line.bytes, columnKey: columnKey, isFirstLine: isFirstLine, memo: &bucketMemo) else {
            return nil
        }
        var shredder = shredders.removeValue(forKey: value) ?? template
        defer { shredders[value] = shredder }
        guard shredder.appendDirect(line: line.bytes, isFirstLine: isFirstLine) else { return nil }
        if seen.insert(value).inserted { order.append(value) }
        return shredder.lastRecordIsNovel
    }

    /// Routes a scanned line (in ``tape``) to its partition's shredder; returns whether the line
    /// is novel to the watched inference (``JSONShredder/lastRecordIsNovel``).
    @discardableResult
    private mutating func shred(_ line: JSONLine, _ order: inout [String], _ seen: inout Set<String>) throws(FloeError) -> Bool {
        if let spec {
            let value = try spec.value(in: tape, line: line.bytes, columnKey: columnKey)
            if seen.insert(value).inserted { order.append(value) }
            try shredders[value, default: template].append(tape, line: line.bytes)
            return shredders[value]?.lastRecordIsNovel ?? true
        }
        try single.append(tape, line: line.bytes)
        return single.lastRecordIsNovel
    }
}

/// The per-thread state of the inference pass: infers over the lines of one chunk (bad lines
/// are left to the conversion pass).
struct InferWorker: Sendable {
    private var scanner = JSONLineScanner()
    private var tape = JSONTape()

    init() {}

    mutating func run(_ chunk: InputChunk) -> SchemaInference {
        var inference = SchemaInference()
        chunk.bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            JSONLineSplitter.forEachLine(in: raw) { (line: JSONLine) in
                if JSONLineScanner.isBlank(line.bytes, isFirstLine: chunk.offset == 0 && line.number == 1) { return }
                do throws(FloeError) {
                    try scanner.scan(line.bytes, lineNumber: line.number, isFirstLine: chunk.offset == 0 && line.number == 1,
                                     into: &tape)
                    try inference.add(tape, line: line.bytes)
                } catch {}
            }
        }
        return inference
    }
}
