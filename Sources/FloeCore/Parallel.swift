#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// A fixed-size pool of workers over a list of independent jobs (row groups to scan, column
/// chunks to encode), with results returned in job order whatever order the jobs finish in.
public enum Parallel {
    /// The processors currently online: the default worker count.
    public static let processorCount: Int = {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? Int(n) : 1
    }()

    /// Runs `job(i)` for every `i` in `0..<count` on `workers` threads (the calling thread is one
    /// of them) and returns the outcomes in index order. Jobs are handed out one at a time, so
    /// uneven jobs balance. `job` must only read shared state.
    public static func map<T>(count: Int, workers: Int, _ job: (Int) throws(FloeError) -> T) -> [Result<T, FloeError>] {
        guard count > 0 else { return [] }
        let threads = max(1, min(workers, count))
        if threads == 1 {
            return (0..<count).map { i in
                do throws(FloeError) { return .success(try job(i)) } catch { return .failure(error) }
            }
        }
        let slots = UnsafeMutablePointer<Result<T, FloeError>?>.allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
        defer {
            slots.deinitialize(count: count)
            slots.deallocate()
        }
        let next = JobCounter()
        let shared = UnsafeSendable(slots)
        withoutActuallyEscaping(job) { job in
            let work = UnsafeSendable(job)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let i = next.take(below: count) {
                    // Each slot is written by exactly one thread and read after all have joined.
                    do throws(FloeError) {
                        shared.value[i] = .success(try work.value(i))
                    } catch {
                        shared.value[i] = .failure(error)
                    }
                }
            }
        }
        return (0..<count).map { slots[$0] ?? .failure(FloeError.invalidArgument("job \($0) did not run")) }
    }
}

/// Hands out job indices under a lock.
private final class JobCounter: @unchecked Sendable {
    private var value = 0
    private let lock = DispatchSemaphore(value: 1)

    func take(below limit: Int) -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Carries a value into the workers of ``Parallel/map(count:workers:_:)``, which only read
/// what they share and write disjoint result slots.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
