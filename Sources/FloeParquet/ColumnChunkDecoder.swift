import FloeCore
import FloeCodecs
import FloeEncodings
import FloeFormat
import FloeColumns

/// Decodes the pages of one column chunk into ``ColumnData``: walks the page headers,
/// decompresses, decodes levels and values, and checks every count against the metadata.
struct ColumnChunkDecoder {
    let descriptor: ColumnDescriptor
    let metadata: ColumnMetaData
    let rowCount: Int
    let limits: ReaderLimits
    private var decompressor = Decompressor()
    private var dictionary: TypedValues?
    private var values: TypedValues
    private var definitionLevels: [UInt8] = []
    private var repetitionLevels: [UInt8] = []
    private var indexScratch: [UInt32] = []
    private var pageBuffer: [UInt8] = []
    private var entries = 0
    /// When true (BYTE_ARRAY columns), dictionary-encoded pages leave their indices in
    /// ``codes`` instead of gathering the values; a page in another encoding ends that (the
    /// codes so far are gathered into the values first).
    var keepsCodes = false
    private var codes: [UInt32] = []

    init(descriptor: ColumnDescriptor, metadata: ColumnMetaData, rowCount: Int, limits: ReaderLimits) {
        self.descriptor = descriptor
        self.metadata = metadata
        self.rowCount = rowCount
        self.limits = limits
        self.values = TypedValues(type: descriptor.physicalType, width: descriptor.typeLength)
    }

    /// Decodes every page of `chunk` (the chunk's bytes, which start at file offset `baseOffset`).
    /// With `partial`, `chunk` holds a selection of whole pages (the dictionary page, then a run
    /// of data pages) and decoding stops at its end.
    mutating func decode(chunk: [UInt8], baseOffset: Int, partial: Bool = false) throws(FloeError) -> ColumnData {
        guard let codec = CompressionKind(rawValue: metadata.codec.rawValue) else {
            throw FloeError.unsupported("compression codec \(metadata.codec)")
        }
        let expected = Int(metadata.numValues)
        // Pre-size once, trusting the footer's count only as far as the chunk's bytes could
        // plausibly hold (a hostile count must not become a huge allocation).
        let hint = min(expected, max(chunk.count, 1 << 12) * 16)
        if descriptor.maxDefinitionLevel > 0 { definitionLevels.reserveCapacity(hint) }
        if descriptor.maxRepetitionLevel > 0 { repetitionLevels.reserveCapacity(hint) }
        values.reserve(total: hint)
        var position = 0
        var page = 0
        while partial ? position < chunk.count : entries < expected {
            guard position < chunk.count else {
                throw FloeError(.corrupt, "column chunk ends after \(entries) of its \(expected) values",
                                at: Location(offset: baseOffset + position))
            }
            let pageStart = position
            do throws(FloeError) {
                let (header, headerLength) = try PageHeader.decode(chunk, at: position, baseOffset: baseOffset)
                position += headerLength
                let compressed = Int(header.compressedPageSize)
                let uncompressed = Int(header.uncompressedPageSize)
                guard compressed >= 0, uncompressed >= 0 else {
                    throw FloeError.corrupt("negative page size (compressed \(compressed), uncompressed \(uncompressed))")
                }
                guard compressed <= chunk.count - position else {
                    throw FloeError.corrupt("page of \(compressed) bytes runs past the end of the column chunk (\(chunk.count - position) bytes left)")
                }
                guard uncompressed <= limits.maxPageSize else {
                    throw FloeError(.limitExceeded, "page claims \(uncompressed) uncompressed bytes, over the limit of \(limits.maxPageSize)")
                }
                let body = position..<(position + compressed)
                position += compressed
                if limits.verifyChecksums, let expected = header.crc {
                    let actual = chunk.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[body])) }
                    guard actual == UInt32(bitPattern: expected) else {
                        throw FloeError(.checksumMismatch, "page CRC-32 is \(hex(actual)) but the header says \(hex(UInt32(bitPattern: expected)))")
                    }
                }
                try chunk.withBytes { (all: UnsafeRawBufferPointer) throws(FloeError) in
                    let raw = UnsafeRawBufferPointer(rebasing: all[body])
                    switch header.type {
                    case .dictionaryPage:
                        try decodeDictionaryPage(header, raw, codec: codec)
                    case .dataPage:
                        try decodeDataPageV1(header, raw, codec: codec)
                    case .dataPageV2:
                        try decodeDataPageV2(header, raw, codec: codec)
                    default:
                        break  // index pages and unknown page types carry no values
                    }
                }
            } catch {
                throw error.at(Location(offset: baseOffset + pageStart, page: page))
            }
            page += 1
        }
        if let first = repetitionLevels.first, first != 0 {
            throw FloeError(.corrupt, "the column chunk starts with repetition level \(first): its first entry does not start a record",
                            at: Location(offset: baseOffset, page: 0))
        }
        let data = ColumnData(values: values.finish(), definitionLevels: definitionLevels,
                              repetitionLevels: repetitionLevels)
        // A required column's rows are its values, or its codes when they are kept.
        let rows = descriptor.maxDefinitionLevel == 0 && descriptor.maxRepetitionLevel == 0
            ? data.values.count + codes.count : data.rowCount(maxRepetitionLevel: descriptor.maxRepetitionLevel)
        guard rows == rowCount else {
            throw FloeError.corrupt("column chunk holds \(rows) rows but the row group has \(rowCount)")
        }
        return data
    }

    // MARK: - Pages

    /// Decompresses a page body into the reused page buffer and runs `body` over the result
    /// (uncompressed bodies are used in place).
    private mutating func withDecompressed<R>(_ raw: UnsafeRawBufferPointer, codec: CompressionKind, size: Int,
                                              _ body: (inout Self, UnsafeRawBufferPointer) throws(FloeError) -> R) throws(FloeError) -> R {
        if codec == .uncompressed {
            guard raw.count == size else {
                throw FloeError.corrupt("uncompressed page body of \(raw.count) bytes, header says \(size)")
            }
            return try body(&self, raw)
        }
        if pageBuffer.count < size { pageBuffer = [UInt8](repeating: 0, count: max(size, pageBuffer.count * 2)) }
        var buffer: [UInt8] = []
        swap(&buffer, &pageBuffer)
        defer { swap(&buffer, &pageBuffer) }
        try buffer.withMutableBuffer { (out: UnsafeMutableBufferPointer<UInt8>) throws(FloeError) in
            try decompressor.decompress(codec, raw, into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(out)[0..<size]))
        }
        return try buffer.withBytes { (all: UnsafeRawBufferPointer) throws(FloeError) -> R in
            try body(&self, UnsafeRawBufferPointer(rebasing: all[0..<size]))
        }
    }

    private mutating func decodeDictionaryPage(_ header: PageHeader, _ raw: UnsafeRawBufferPointer,
                                               codec: CompressionKind) throws(FloeError) {
        guard let dph = header.dictionaryPageHeader else { throw FloeError.corrupt("dictionary page without its header") }
        guard dictionary == nil else { throw FloeError.corrupt("a second dictionary page in one column chunk") }
        guard dph.encoding == .plain || dph.encoding == .plainDictionary else {
            throw FloeError.unsupported("dictionary page encoding \(dph.encoding)")
        }
        let count = Int(dph.numValues)
        guard count >= 0 else { throw FloeError.corrupt("negative dictionary size \(count)") }
        let dict = try withDecompressed(raw, codec: codec, size: Int(header.uncompressedPageSize)) {
            (me: inout Self, src: UnsafeRawBufferPointer) throws(FloeError) -> TypedValues in
            var dict = TypedValues(type: me.descriptor.physicalType, width: me.descriptor.typeLength)
            _ = try dict.appendPlain(src, count: count)
            return dict
        }
        dictionary = dict
    }

    private mutating func decodeDataPageV1(_ header: PageHeader, _ raw: UnsafeRawBufferPointer,
                                           codec: CompressionKind) throws(FloeError) {
        guard let dph = header.dataPageHeader else { throw FloeError.corrupt("data page without its header") }
        let count = Int(dph.numValues)
        try checkEntryCount(count)
        try withDecompressed(raw, codec: codec, size: Int(header.uncompressedPageSize)) {
            (me: inout Self, src: UnsafeRawBufferPointer) throws(FloeError) in
            var offset = 0
            let maxRep = me.descriptor.maxRepetitionLevel, maxDef = me.descriptor.maxDefinitionLevel
            if maxRep > 0 {
                var levels: [UInt8] = []
                swap(&levels, &me.repetitionLevels)
                defer { swap(&levels, &me.repetitionLevels) }
                offset += try me.decodeLevelsV1(src, from: offset, count: count, max: maxRep,
                                                encoding: dph.repetitionLevelEncoding, into: &levels, what: "repetition")
            }
            if maxDef > 0 {
                var levels: [UInt8] = []
                swap(&levels, &me.definitionLevels)
                defer { swap(&levels, &me.definitionLevels) }
                offset += try me.decodeLevelsV1(src, from: offset, count: count, max: maxDef,
                                                encoding: dph.definitionLevelEncoding, into: &levels, what: "definition")
            }
            let present = me.presentCount(lastEntries: count)
            try me.decodeValues(UnsafeRawBufferPointer(rebasing: src[offset...]), encoding: dph.encoding, count: present)
        }
        entries += count
    }

    private mutating func decodeDataPageV2(_ header: PageHeader, _ raw: UnsafeRawBufferPointer,
                                           codec: CompressionKind) throws(FloeError) {
        guard let dph = header.dataPageHeaderV2 else { throw FloeError.corrupt("data page v2 without its header") }
        let count = Int(dph.numValues)
        try checkEntryCount(count)
        let repLength = Int(dph.repetitionLevelsByteLength)
        let defLength = Int(dph.definitionLevelsByteLength)
        guard repLength >= 0, defLength >= 0, repLength <= raw.count, defLength <= raw.count - repLength else {
            throw FloeError.corrupt("level lengths \(repLength)+\(defLength) exceed the page body of \(raw.count) bytes")
        }
        let uncompressedValues = Int(header.uncompressedPageSize) - repLength - defLength
        guard uncompressedValues >= 0 else {
            throw FloeError.corrupt("uncompressed page size \(header.uncompressedPageSize) is smaller than its levels")
        }
        if descriptor.maxRepetitionLevel > 0 {
            try decodeLevels(UnsafeRawBufferPointer(rebasing: raw[0..<repLength]), count: count,
                             max: descriptor.maxRepetitionLevel, into: &repetitionLevels, what: "repetition")
        }
        if descriptor.maxDefinitionLevel > 0 {
            try decodeLevels(UnsafeRawBufferPointer(rebasing: raw[repLength..<(repLength + defLength)]), count: count,
                             max: descriptor.maxDefinitionLevel, into: &definitionLevels, what: "definition")
        }
        let present = presentCount(lastEntries: count)
        let body = UnsafeRawBufferPointer(rebasing: raw[(repLength + defLength)...])
        if dph.isCompressed ?? true, codec != .uncompressed {
            try withDecompressed(body, codec: codec, size: uncompressedValues) {
                (me: inout Self, src: UnsafeRawBufferPointer) throws(FloeError) in
                try me.decodeValues(src, encoding: dph.encoding, count: present)
            }
        } else {
            try decodeValues(body, encoding: dph.encoding, count: present)
        }
        entries += count
    }

    private func checkEntryCount(_ count: Int) throws(FloeError) {
        guard count >= 0 else { throw FloeError.corrupt("negative value count \(count) in a page header") }
        guard count <= Int(metadata.numValues) - entries else {
            throw FloeError.corrupt("page holds \(count) values but only \(Int(metadata.numValues) - entries) of the column chunk's \(metadata.numValues) remain")
        }
    }

    /// The number of non-null values among the last `lastEntries` level entries.
    private func presentCount(lastEntries: Int) -> Int {
        let maxDef = descriptor.maxDefinitionLevel
        if maxDef == 0 { return lastEntries }
        let top = UInt8(truncatingIfNeeded: maxDef)
        var n = 0
        definitionLevels.withUnsafeBufferPointer { levels in
            for i in (levels.count - lastEntries)..<levels.count where levels[i] == top { n &+= 1 }
        }
        return n
    }

    // MARK: - Levels

    /// Decodes v1 levels (4-byte length + RLE, or the deprecated BIT_PACKED); returns bytes used.
    private func decodeLevelsV1(_ src: UnsafeRawBufferPointer, from offset: Int, count: Int, max: Int,
                                encoding: Encoding, into levels: inout [UInt8], what: String) throws(FloeError) -> Int {
        let rest = UnsafeRawBufferPointer(rebasing: src[offset...])
        let bitWidth = RLEHybrid.bitWidth(forMax: UInt64(max))
        switch encoding {
        case .rle:
            guard rest.count >= 4 else { throw FloeError.corrupt("\(what) levels: missing the 4-byte length") }
            let length = Int(rest.loadUnaligned(as: UInt32.self).littleEndian)
            guard length <= rest.count - 4 else {
                throw FloeError.corrupt("\(what) levels claim \(length) bytes but \(rest.count - 4) remain", offset: offset)
            }
            try decodeLevels(UnsafeRawBufferPointer(rebasing: rest[4..<(4 + length)]), count: count, max: max,
                             into: &levels, what: what)
            return 4 + length
        case .bitPacked:
            let length = (count * bitWidth + 7) / 8
            guard length <= rest.count else {
                throw FloeError.corrupt("\(what) levels need \(length) bytes but \(rest.count) remain", offset: offset)
            }
            let start = levels.count
            levels.append(contentsOf: repeatElement(0, count: count))
            try levels.withMutableBuffer { (out: UnsafeMutableBufferPointer<UInt8>) throws(FloeError) in
                guard let base = out.baseAddress else { return }
                try BitPacking.unpackMSBFirst(UnsafeRawBufferPointer(rebasing: rest[0..<length]), bitWidth: bitWidth,
                                              count: count, into: base + start)
            }
            try checkLevels(levels, from: start, max: max, what: what)
            return length
        default:
            throw FloeError.unsupported("\(what) level encoding \(encoding)")
        }
    }

    /// Decodes `count` RLE/bit-packed levels from `src` and appends them.
    private func decodeLevels(_ src: UnsafeRawBufferPointer, count: Int, max: Int, into levels: inout [UInt8],
                              what: String) throws(FloeError) {
        let bitWidth = RLEHybrid.bitWidth(forMax: UInt64(max))
        let start = levels.count
        levels.append(contentsOf: repeatElement(0, count: count))
        try levels.withMutableBuffer { (out: UnsafeMutableBufferPointer<UInt8>) throws(FloeError) in
            guard let base = out.baseAddress, count > 0 else { return }
            _ = try RLEHybrid.decodeLevels(src, bitWidth: bitWidth, count: count, into: base + start)
        }
        try checkLevels(levels, from: start, max: max, what: what)
    }

    private func checkLevels(_ levels: [UInt8], from start: Int, max: Int, what: String) throws(FloeError) {
        let top = UInt8(truncatingIfNeeded: max)
        var bad = -1
        levels.withUnsafeBufferPointer { l in
            for i in start..<l.count where l[i] > top { bad = i; break }
        }
        if bad >= 0 {
            throw FloeError.corrupt("\(what) level \(levels[bad]) at entry \(bad) exceeds the maximum \(max)")
        }
    }

    // MARK: - Values

    private mutating func decodeValues(_ src: UnsafeRawBufferPointer, encoding: Encoding, count: Int) throws(FloeError) {
        if count == 0 { return }
        if keepsCodes && encoding != .plainDictionary && encoding != .rleDictionary { try stopKeepingCodes() }
        switch encoding {
        case .plain:
            _ = try values.appendPlain(src, count: count)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw FloeError.corrupt("dictionary-encoded page but the column chunk has no dictionary page") }
            if keepsCodes {
                try appendCodes(src, count: count, dictionarySize: dictionary.count)
                return
            }
            if indexScratch.count < count { indexScratch = [UInt32](repeating: 0, count: count) }
            try indexScratch.withMutableBuffer { (idx: UnsafeMutableBufferPointer<UInt32>) throws(FloeError) in
                guard let base = idx.baseAddress else { return }
                _ = try DictionaryIndices.decode(src, count: count, into: base)
                try values.appendGathered(from: dictionary, indices: UnsafeBufferPointer(start: base, count: count))
            }
        case .rle where descriptor.physicalType == .boolean:
            _ = try BooleanRLE.decode(src, count: count, appendingTo: &values.booleans)
        default:
            _ = try values.appendEncoded(encoding, src, count: count)
        }
    }
}

extension ColumnChunkDecoder {
    /// The chunk's dictionary and the index of every value when every data page was
    /// dictionary-encoded (after ``decode(chunk:baseOffset:partial:)`` with ``keepsCodes``);
    /// nil otherwise (the values are then in the decoded ``ColumnData``).
    mutating func takeCodes() -> DictionaryCodes? {
        guard keepsCodes, let dictionary, descriptor.physicalType == .byteArray else { return nil }
        keepsCodes = false
        let out = DictionaryCodes(dictionary: dictionary.binary, codes: codes)
        codes = []
        return out
    }

    /// Decodes a page's dictionary indices onto ``codes``, each checked against the dictionary.
    fileprivate mutating func appendCodes(_ src: UnsafeRawBufferPointer, count: Int, dictionarySize: Int) throws(FloeError) {
        let start = codes.count
        codes.append(contentsOf: repeatElement(0, count: count))
        try codes.withMutableBuffer { (all: UnsafeMutableBufferPointer<UInt32>) throws(FloeError) in
            guard let base = all.baseAddress else { return }
            _ = try DictionaryIndices.decode(src, count: count, into: base + start)
            var bad = -1
            for i in start..<(start + count) where Int(base[i]) >= dictionarySize { bad = i; break }
            if bad >= 0 {
                throw FloeError.corrupt("dictionary index \(base[bad]) out of range (the dictionary holds \(dictionarySize) values)")
            }
        }
    }

    /// Gathers the codes kept so far into the values and stops keeping codes.
    fileprivate mutating func stopKeepingCodes() throws(FloeError) {
        keepsCodes = false
        guard let dictionary, !codes.isEmpty else { return }
        let kept = codes
        codes = []
        try kept.withUnsafeBufferPointer { (idx: UnsafeBufferPointer<UInt32>) throws(FloeError) in
            try values.appendGathered(from: dictionary, indices: idx)
        }
    }
}

/// A dictionary-encoded BYTE_ARRAY column chunk left encoded: the dictionary, and one index
/// into it per non-null value.
public struct DictionaryCodes: Sendable {
    /// The chunk's dictionary page values.
    public var dictionary: BinaryValues
    /// One dictionary index per non-null value, each checked to be in range.
    public var codes: [UInt32]

    /// Codes into `dictionary` (the caller vouches that each is in range).
    public init(dictionary: BinaryValues, codes: [UInt32]) {
        self.dictionary = dictionary
        self.codes = codes
    }
}

/// `0x` and 8 hex digits.
func hex(_ v: UInt32) -> String {
    let digits = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
