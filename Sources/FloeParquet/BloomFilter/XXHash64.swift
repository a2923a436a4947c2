/// XXH64 (xxHash, 64-bit variant, specification 0.1.1) with seed 0: the hash function of
/// Parquet's split block bloom filters.
///
/// Input bytes are read as little-endian words whatever the host's byte order, so the results
/// are those of the reference implementation on x86-64, as the Parquet specification requires.
///
/// ```swift
/// XXHash64.hash([UInt8]("abc".utf8)) // 0x44BC2CF5AD770999
/// ```
public enum XXHash64 {
    @usableFromInline static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The hash of the bytes in `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return avalanche(prime5) }
        var p = 0
        var h: UInt64
        if count >= 32 {
            var v1 = prime1 &+ prime2
            var v2 = prime2
            var v3: UInt64 = 0
            var v4 = 0 &- prime1
            let stripesEnd = count & ~31
            while p < stripesEnd {
                v1 = round(v1, load64(base, p))
                v2 = round(v2, load64(base, p &+ 8))
                v3 = round(v3, load64(base, p &+ 16))
                v4 = round(v4, load64(base, p &+ 24))
                p &+= 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = mergeRound(h, v1)
            h = mergeRound(h, v2)
            h = mergeRound(h, v3)
            h = mergeRound(h, v4)
        } else {
            h = prime5
        }
        h &+= UInt64(truncatingIfNeeded: count)
        while p &+ 8 <= count {
            h = mix8(h, load64(base, p))
            p &+= 8
        }
        if p &+ 4 <= count {
            h = mix4(h, load32(base, p))
            p &+= 4
        }
        while p < count {
            h ^= UInt64(base.load(fromByteOffset: p, as: UInt8.self)) &* prime5
            h = rotl(h, 11) &* prime1
            p &+= 1
        }
        return avalanche(h)
    }

    /// The hash of the bytes of an array.
    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The hash of the 4 little-endian bytes of `value` (a fast path for INT32 and FLOAT).
    @inlinable
    public static func hash(uint32 value: UInt32) -> UInt64 {
        avalanche(mix4(prime5 &+ 4, value))
    }

    /// The hash of the 8 little-endian bytes of `value` (a fast path for INT64 and DOUBLE).
    @inlinable
    public static func hash(uint64 value: UInt64) -> UInt64 {
        avalanche(mix8(prime5 &+ 8, value))
    }

    // MARK: - The pieces of the algorithm

    @inlinable @inline(__always)
    static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* prime2, 31) &* prime1
    }

    @inlinable @inline(__always)
    static func mergeRound(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        (acc ^ round(0, value)) &* prime1 &+ prime4
    }

    /// Consumes one 8-byte lane of the tail.
    @inlinable @inline(__always)
    static func mix8(_ h: UInt64, _ lane: UInt64) -> UInt64 {
        rotl(h ^ round(0, lane), 27) &* prime1 &+ prime4
    }

    /// Consumes one 4-byte lane of the tail.
    @inlinable @inline(__always)
    static func mix4(_ h: UInt64, _ lane: UInt32) -> UInt64 {
        rotl(h ^ (UInt64(lane) &* prime1), 23) &* prime2 &+ prime3
    }

    @inlinable @inline(__always)
    static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
        (x &<< n) | (x &>> (64 &- n))
    }

    @inlinable @inline(__always)
    static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= prime2
        h ^= h >> 29
        h &*= prime3
        h ^= h >> 32
        return h
    }

    @inline(__always)
    static func load64(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    static func load32(_ base: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
