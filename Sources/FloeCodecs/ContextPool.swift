import FloeCore
import Synchronization

/// Compression contexts shared by every compressor of the process, per level: a context is
/// taken for one page and given back, so memory follows the pages compressed at once (the
/// threads) rather than the number of column chunks open (thousands with many partitions).
final class ContextPool: Sendable {
    /// A C context, by address.
    struct Resource: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    private let idle = Mutex<[Int: [Resource]]>([:])
    private let make: @Sendable (Int) throws(FloeError) -> Resource
    private let free: @Sendable (Resource) -> Void
    /// The most idle contexts kept per level (more are freed when given back).
    let keep: Int

    init(keep: Int = 16, make: @escaping @Sendable (Int) throws(FloeError) -> Resource,
         free: @escaping @Sendable (Resource) -> Void) {
        self.keep = keep
        self.make = make
        self.free = free
    }

    /// Runs `body` with a context of `level`, taken from the idle ones or made.
    func with<T>(level: Int, _ body: (Resource) throws(FloeError) -> T) throws(FloeError) -> T {
        let taken = idle.withLock { contexts -> Resource? in contexts[level]?.popLast() }
        let resource: Resource
        if let taken { resource = taken } else { resource = try make(level) }
        defer {
            let freed = idle.withLock { contexts -> Resource? in
                if contexts[level, default: []].count >= keep { return resource }
                contexts[level, default: []].append(resource)
                return nil
            }
            if let freed { free(freed) }
        }
        return try body(resource)
    }
}
