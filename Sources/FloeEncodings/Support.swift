import FloeCore

/// Limits on what one decoding call may produce where the output can legitimately be much larger
/// than the input (dictionary gathers, front-coded strings).
public enum DecodeLimits {
    /// The default cap on the value bytes one call may produce: 4 GiB.
    public static let defaultMaxBytes = 1 << 32
}

// Small internal helpers shared by the encodings: bounds-checked varints over raw memory,
// appending uninitialised room to arrays and writers, and little-endian loads.

/// Reads an unsigned LEB128 varint of at most 10 bytes at `pos` (advancing it); `end` is one
/// past the last readable byte. Throws with the varint's offset when it is cut short or too long.
@inline(__always)
func readULEB128(_ base: UnsafeRawPointer, _ end: Int, _ pos: inout Int) throws(FloeError) -> UInt64 {
    let start = pos
    guard pos < end else { throw FloeError.corrupt("unexpected end of data in varint", offset: start) }
    let first = base.load(fromByteOffset: pos, as: UInt8.self)
    if first < 0x80 { pos &+= 1; return UInt64(first) }
    var result: UInt64 = 0
    var shift: UInt64 = 0
    var p = pos
    for _ in 0..<10 {
        guard p < end else { throw FloeError.corrupt("unexpected end of data in varint", offset: start) }
        let b = base.load(fromByteOffset: p, as: UInt8.self)
        p &+= 1
        result |= UInt64(b & 0x7f) &<< shift
        if b < 0x80 { pos = p; return result }
        shift &+= 7
    }
    throw FloeError.corrupt("varint longer than 10 bytes", offset: start)
}

/// Reads a zigzag varint (see ``readULEB128(_:_:_:)``).
@inline(__always)
func readZigZag64(_ base: UnsafeRawPointer, _ end: Int, _ pos: inout Int) throws(FloeError) -> Int64 {
    let u = try readULEB128(base, end, &pos)
    return Int64(bitPattern: (u &>> 1) ^ (0 &- (u & 1)))
}

/// Loads `n` (0...8) bytes little-endian from `p` without reading past them.
@inline(__always)
func loadPartialLE(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
    var v: UInt64 = 0
    var i = 0
    while i < n {
        v |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) &<< UInt64(i &* 8)
        i &+= 1
    }
    return v
}

/// Loads 8 bytes little-endian from an unaligned address.
@inline(__always)
func loadLE64(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
}

/// Stores 8 bytes little-endian at an unaligned address.
@inline(__always)
func storeLE64(_ p: UnsafeMutableRawPointer, _ offset: Int, _ v: UInt64) {
    p.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt64.self)
}

extension Array where Element: BitwiseCopyable {
    /// Appends `n` elements set to `zero`, lets `body` overwrite them through a pointer to the
    /// first new element, and removes them again if `body` throws, leaving the array as it was.
    @inline(__always)
    mutating func appendFilling(_ n: Int, zero: Element,
                                _ body: (UnsafeMutablePointer<Element>) throws(FloeError) -> Void) throws(FloeError) {
        guard n > 0 else { return }
        if isEmpty && capacity < n {
            // A fresh array: no need to zero-fill first.
            var failure: FloeError?
            let fresh = [Element](unsafeUninitializedCapacity: n) { buf, initialized in
                guard let base = buf.baseAddress else { return }
                do throws(FloeError) { try body(base); initialized = n } catch { failure = error }
            }
            if let failure { throw failure }
            self = fresh
            return
        }
        let old = count
        append(contentsOf: repeatElement(zero, count: n))
        var failure: FloeError?
        withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            do throws(FloeError) { try body(base + old) } catch { failure = error }
        }
        if let failure {
            removeLast(n)
            throw failure
        }
    }
}

extension ByteWriter {
    /// Appends `n` zero bytes and lets `body` write them through a raw pointer.
    @inline(__always)
    mutating func appendZeroed(_ n: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        guard n > 0 else { return }
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: n))
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { body(base + old) }
        }
    }
}

/// Checks a caller-provided value count.
@inline(__always)
func checkCount(_ count: Int) throws(FloeError) {
    guard count >= 0 else { throw FloeError.invalidArgument("negative value count \(count)") }
}
