import CZlib

/// CRC-32 (ISO-HDLC, the polynomial zlib's `crc32` computes), as Parquet page checksums use.
/// Incremental: feed bytes with ``update(_:)-(UnsafeRawBufferPointer)`` and read ``value``.
public struct CRC32: Sendable, Equatable {
    /// The checksum of the bytes fed so far (0 for none).
    public private(set) var value: UInt32 = 0

    /// Starts a checksum over no bytes.
    public init() {}

    /// Adds `bytes` to the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var remaining = bytes.count
        var crc = UInt(value)
        // crc32_z takes a size_t length, but keep pieces modest so the loop is portable.
        while remaining > 0 {
            let n = min(remaining, 1 << 30)
            crc = crc32_z(crc, p, numericCast(n))
            p += n
            remaining -= n
        }
        value = UInt32(truncatingIfNeeded: crc)
    }

    /// Adds `bytes` to the checksum.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = CRC32()
        c.update(bytes)
        return c.value
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
