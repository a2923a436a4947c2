import Dispatch
import FloeCore

/// A serial worker thread with a bounded backlog: the converting thread hands it batches to
/// encode and write while it goes on parsing. The first error stops later work and is
/// rethrown by the next ``submit(_:)`` or by ``drain()``.
final class BackgroundQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "floe.convert.writer")
    private let slots: DispatchSemaphore
    private let lock = DispatchSemaphore(value: 1)
    private var failure: FloeError?

    /// A queue that holds at most `backlog` pending jobs.
    init(backlog: Int) { slots = DispatchSemaphore(value: max(1, backlog)) }

    private var currentFailure: FloeError? {
        lock.wait()
        defer { lock.signal() }
        return failure
    }

    /// Runs `job` on the worker, waiting while the backlog is full.
    func submit(_ job: @escaping @Sendable () throws(FloeError) -> Void) throws(FloeError) {
        if let failure = currentFailure { throw failure }
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard currentFailure == nil else { return }
            do throws(FloeError) {
                try job()
            } catch {
                lock.wait()
                if failure == nil { failure = error }
                lock.signal()
            }
        }
    }

    /// Waits for every submitted job; rethrows the first failure.
    func drain() throws(FloeError) {
        queue.sync {}
        if let failure = currentFailure { throw failure }
    }
}
