import FloeCore
import FloeThrift

/// The bloom filter algorithm (thrift union `BloomFilterAlgorithm`).
public enum BloomFilterAlgorithm: ThriftCodable, Hashable {
    /// `BLOCK` (1): the split block bloom filter.
    case splitBlock
    /// A member this code does not know (0 for an empty union).
    case unrecognized(fieldId: Int16)

    public static func decode(from r: inout CompactReader) throws(FloeError) -> BloomFilterAlgorithm {
        let id = try decodeEmptyMemberUnion(&r)
        return id == 1 ? .splitBlock : .unrecognized(fieldId: id)
    }

    public func encode(to w: inout CompactWriter) {
        switch self {
        case .splitBlock: w.writeEmptyUnion(memberId: 1)
        case let .unrecognized(id): w.writeEmptyUnion(memberId: id)
        }
    }
}

/// The hash function of a bloom filter (thrift union `BloomFilterHash`).
public enum BloomFilterHash: ThriftCodable, Hashable {
    /// `XXHASH` (1): xxHash64 with seed 0.
    case xxHash
    /// A member this code does not know (0 for an empty union).
    case unrecognized(fieldId: Int16)

    public static func decode(from r: inout CompactReader) throws(FloeError) -> BloomFilterHash {
        let id = try decodeEmptyMemberUnion(&r)
        return id == 1 ? .xxHash : .unrecognized(fieldId: id)
    }

    public func encode(to w: inout CompactWriter) {
        switch self {
        case .xxHash: w.writeEmptyUnion(memberId: 1)
        case let .unrecognized(id): w.writeEmptyUnion(memberId: id)
        }
    }
}

/// The compression of a bloom filter's bitset (thrift union `BloomFilterCompression`).
public enum BloomFilterCompression: ThriftCodable, Hashable {
    /// `UNCOMPRESSED` (1).
    case uncompressed
    /// A member this code does not know (0 for an empty union).
    case unrecognized(fieldId: Int16)

    public static func decode(from r: inout CompactReader) throws(FloeError) -> BloomFilterCompression {
        let id = try decodeEmptyMemberUnion(&r)
        return id == 1 ? .uncompressed : .unrecognized(fieldId: id)
    }

    public func encode(to w: inout CompactWriter) {
        switch self {
        case .uncompressed: w.writeEmptyUnion(memberId: 1)
        case let .unrecognized(id): w.writeEmptyUnion(memberId: id)
        }
    }
}

/// Decodes a union whose members are all structs; returns the first member's id (0 if none).
private func decodeEmptyMemberUnion(_ r: inout CompactReader) throws(FloeError) -> Int16 {
    try r.enterStruct()
    var id: Int16 = 0
    var last: Int16 = 0
    while let f = try r.readFieldHeader(lastId: &last) {
        if id == 0 && f.type == .struct && f.id != 0 { id = f.id }
        try r.skipField(f)
    }
    r.exitStruct()
    return id
}

/// The header in front of a bloom filter's bitset (thrift `BloomFilterHeader`).
///
/// `BloomFilterHeader.decode(bytes, at: offset)` returns the header and its length; the
/// `numBytes`-byte bitset follows it.
public struct BloomFilterHeader: ThriftCodable {
    /// The size of the bitset in bytes (field 1).
    public var numBytes: Int32
    /// The algorithm (field 2).
    public var algorithm: BloomFilterAlgorithm
    /// The hash function (field 3).
    public var hash: BloomFilterHash
    /// The compression of the bitset (field 4).
    public var compression: BloomFilterCompression

    /// Creates a bloom filter header.
    public init(numBytes: Int32, algorithm: BloomFilterAlgorithm = .splitBlock, hash: BloomFilterHash = .xxHash,
                compression: BloomFilterCompression = .uncompressed) {
        self.numBytes = numBytes
        self.algorithm = algorithm
        self.hash = hash
        self.compression = compression
    }

    public static func decode(from r: inout CompactReader) throws(FloeError) -> BloomFilterHeader {
        let start = r.fileOffset
        try r.enterStruct()
        var numBytes: Int32?, algorithm: BloomFilterAlgorithm?, hash: BloomFilterHash?
        var compression: BloomFilterCompression?
        var last: Int16 = 0
        while let f = try r.readFieldHeader(lastId: &last) {
            switch (f.id, f.type) {
            case (1, .i32): numBytes = try r.readI32()
            case (2, .struct): algorithm = try BloomFilterAlgorithm.decode(from: &r)
            case (3, .struct): hash = try BloomFilterHash.decode(from: &r)
            case (4, .struct): compression = try BloomFilterCompression.decode(from: &r)
            default: try r.skipField(f)
            }
        }
        r.exitStruct()
        guard let numBytes else { throw missingField("BloomFilterHeader", "numBytes", at: start) }
        guard let algorithm else { throw missingField("BloomFilterHeader", "algorithm", at: start) }
        guard let hash else { throw missingField("BloomFilterHeader", "hash", at: start) }
        guard let compression else { throw missingField("BloomFilterHeader", "compression", at: start) }
        return BloomFilterHeader(numBytes: numBytes, algorithm: algorithm, hash: hash, compression: compression)
    }

    public func encode(to w: inout CompactWriter) {
        w.beginStruct()
        w.writeI32Field(1, numBytes)
        w.writeStructField(2, algorithm)
        w.writeStructField(3, hash)
        w.writeStructField(4, compression)
        w.endStruct()
    }
}
