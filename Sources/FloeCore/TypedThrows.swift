// The standard library's `withUnsafe…` methods on Array are `rethrows`, which erases a typed
// error to `any Error`. These shims keep `throws(FloeError)` intact through the closure.

extension Array {
    /// `withUnsafeBytes` that preserves the closure's typed error.
    @inlinable
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { raw in
            do throws(E) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// `withUnsafeBufferPointer` that preserves the closure's typed error.
    @inlinable
    public func withBuffer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBufferPointer { buffer in
            do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// `withUnsafeMutableBufferPointer` that preserves the closure's typed error.
    @inlinable
    public mutating func withMutableBuffer<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeMutableBufferPointer { buffer in
            do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
