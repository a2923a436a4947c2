import Dispatch
import FloeCore
import FloeCodecs

/// A piece of one input stream made of whole lines (only the stream's last chunk may end
/// without a line feed).
struct InputChunk: Sendable {
    /// The bytes of the lines, line feeds included.
    var bytes: [UInt8]
    /// The stream offset of the first byte.
    var offset: Int
}

/// Cuts an input stream into chunks of whole lines of about `chunkSize` bytes (a longer line
/// makes a longer chunk). Chunk boundaries depend only on the bytes and the chunk size, so
/// the work done per chunk — and the output — does not depend on the thread count.
final class ChunkReader {
    let reader: DecodingReader
    let chunkSize: Int
    /// Bytes read past the last line feed of the previous chunk.
    private var carry: [UInt8] = []
    /// Bytes replayed before the reader's (standard input read during inference).
    private var prefix: [UInt8]
    private var prefixUsed = 0
    private var offset = 0
    private var finished = false

    init(reader: DecodingReader, chunkSize: Int, prefix: [UInt8] = []) {
        self.reader = reader
        self.chunkSize = max(1, chunkSize)
        self.prefix = prefix
    }

    /// The next chunk, or nil at the end of the stream.
    func next() throws(FloeError) -> InputChunk? {
        if finished { return nil }
        var capacity = chunkSize
        while true {
            var failure: FloeError?
            var atEnd = false
            let carried = carry
            carry = []
            var buffer = [UInt8](unsafeUninitializedCapacity: max(capacity, carried.count + 1)) { buf, count in
                var filled = 0
                if let dst = buf.baseAddress, !carried.isEmpty {
                    carried.withUnsafeBufferPointer { src in
                        if let s = src.baseAddress { dst.update(from: s, count: src.count) }
                    }
                    filled = carried.count
                }
                while filled < buf.count {
                    let room = UnsafeMutableBufferPointer(rebasing: buf[filled...])
                    if prefixUsed < prefix.count {
                        let n = min(room.count, prefix.count - prefixUsed)
                        prefix.withUnsafeBufferPointer { src in
                            if let s = src.baseAddress, let d = room.baseAddress { d.update(from: s + prefixUsed, count: n) }
                        }
                        prefixUsed += n
                        filled += n
                        if prefixUsed == prefix.count { prefix = [] ; prefixUsed = 0 }
                        continue
                    }
                    do throws(FloeError) {
                        let n = try reader.read(into: UnsafeMutableRawBufferPointer(room))
                        if n == 0 { atEnd = true; break }
                        filled += n
                    } catch {
                        failure = error
                        break
                    }
                }
                count = filled
            }
            if let failure { throw failure }
            if atEnd {
                finished = true
                if buffer.isEmpty { return nil }
                let chunk = InputChunk(bytes: buffer, offset: offset)
                offset += buffer.count
                return chunk
            }
            if let newline = ChunkReader.lastNewline(buffer) {
                carry = Array(buffer[(newline + 1)...])
                buffer.removeSubrange((newline + 1)...)
                let chunk = InputChunk(bytes: buffer, offset: offset)
                offset += buffer.count
                return chunk
            }
            // One line longer than the chunk: read on with a larger buffer.
            carry = buffer
            capacity = buffer.count * 2
        }
    }

    static func lastNewline(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b -> Int? in
            guard let base = b.baseAddress else { return nil }
            var i = b.count - 1
            while i >= 0 {
                if base[i] == 0x0A { return i }
                i -= 1
            }
            return nil
        }
    }
}

/// Runs a job per chunk on `threads` serial worker queues (chunk i on queue i mod threads,
/// each queue with its own state) and hands the results back in chunk order, with at most
/// `threads + 2` chunks in flight. With one thread the jobs run inline.
final class ChunkPipeline<State, Result>: @unchecked Sendable {
    private final class Box: @unchecked Sendable {
        var state: State
        init(_ state: State) { self.state = state }
    }

    private final class Slot: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var result: Result?
    }

    private let boxes: [Box]
    private let queues: [DispatchQueue]
    private let work: @Sendable (inout State, InputChunk) -> Result
    private var slots: [Slot] = []
    private var submitted = 0
    private let depth: Int

    /// `states` gives one state per thread.
    init(states: [State], work: @escaping @Sendable (inout State, InputChunk) -> Result) {
        boxes = states.map { Box($0) }
        queues = states.count > 1 ? states.indices.map { DispatchQueue(label: "floe.convert.worker\($0)") } : []
        self.work = work
        depth = states.count + 2
    }

    /// Starts `chunk`; hands `consume` every result that is due, in order.
    func submit(_ chunk: InputChunk, _ consume: (Result) throws(FloeError) -> Void) throws(FloeError) {
        if queues.isEmpty {
            for box in boxes.prefix(1) { try consume(work(&box.state, chunk)) }
            return
        }
        let i = submitted % queues.count
        submitted += 1
        let slot = Slot()
        slots.append(slot)
        let worker = boxes[i], work = self.work
        queues[i].async {
            slot.result = work(&worker.state, chunk)
            slot.done.signal()
        }
        while slots.count >= depth { try takeFirst(consume) }
    }

    /// Hands out every remaining result, in order.
    func finish(_ consume: (Result) throws(FloeError) -> Void) throws(FloeError) {
        while !slots.isEmpty { try takeFirst(consume) }
    }

    /// Waits for the jobs still running (after a failure), dropping their results.
    func cancel() {
        for slot in slots { slot.done.wait() }
        slots.removeAll()
    }

    private func takeFirst(_ consume: (Result) throws(FloeError) -> Void) throws(FloeError) {
        let slot = slots.removeFirst()
        slot.done.wait()
        guard let result = slot.result else { return }
        slot.result = nil
        do throws(FloeError) {
            try consume(result)
        } catch {
            cancel()
            throw error
        }
    }
}
