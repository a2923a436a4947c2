import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns

extension DeepChecks {
    /// Reads the chunk's bloom filter (if it has one) and checks that it contains every
    /// decoded value: a filter that lacks a value makes readers skip row groups that hold it.
    func checkBloomFilter(_ data: ColumnData, into sink: inout FindingSink) {
        guard let offset64 = plan.meta.bloomFilterOffset else { return }
        let at = location.merged(into: Location(offset: Int(clamping: offset64)))
        guard SplitBlockBloomFilter.supports(plan.leaf.physicalType) else {
            sink.warning(.corrupt, "a \(plan.leaf.physicalType) column has a bloom filter; readers ignore it", at: at)
            return
        }
        guard let filter = readBloomFilter(offset64, at: at, into: &sink) else { return }
        var hashes: [UInt64] = []
        do {
            try SplitBlockBloomFilter.hash(data.values, range: 0..<data.values.count, into: &hashes)
        } catch {
            sink.error(error, context: location)
            return
        }
        var missing = 0, first = -1
        hashes.withUnsafeBufferPointer { h in
            for i in h.indices where !filter.mightContain(hash: h[i]) {
                if first < 0 { first = i }
                missing &+= 1
            }
        }
        if missing > 0 {
            sink.error(.corrupt, "bloom filter lacks \(missing) of the column chunk's \(hashes.count) values (the first is value \(first): \(stats.render(plainBytes(data.values, first))))",
                       at: at)
        }
    }

    private func readBloomFilter(_ offset64: Int64, at: Location, into sink: inout FindingSink) -> SplitBlockBloomFilter? {
        guard offset64 >= 4, offset64 < Int64(footerOffset) else {
            sink.error(.corrupt, "bloom filter offset \(offset64) lies outside the data area 4..<\(footerOffset)", at: at)
            return nil
        }
        let offset = Int(offset64)
        let room = footerOffset - offset
        do {
            if let length32 = plan.meta.bloomFilterLength {
                let length = Int(length32)
                guard length > 0, length <= room else {
                    sink.error(.corrupt, "bloom filter bytes \(offset)+\(length) lie outside the data area 4..<\(footerOffset)", at: at)
                    return nil
                }
                return try SplitBlockBloomFilter.read(from: try file.read(offset: offset, count: length), baseOffset: offset)
            }
            let window = try file.read(offset: offset, count: min(room, 256))
            let (numBytes, headerLength) = try SplitBlockBloomFilter.readHeader(from: window, baseOffset: offset)
            guard numBytes <= room - headerLength else {
                sink.error(.corrupt, "bloom filter bitset of \(numBytes) bytes runs past the data area end \(footerOffset)", at: at)
                return nil
            }
            let total = headerLength + numBytes
            let bytes = total <= window.count ? window : try file.read(offset: offset, count: total)
            return try SplitBlockBloomFilter.read(from: bytes, baseOffset: offset)
        } catch {
            sink.error(.init(error.code, "bloom filter: \(error.message)", at: error.location), context: at)
            return nil
        }
    }

    /// Value `i` as statistics bytes (PLAIN without a length prefix), for messages.
    func plainBytes(_ values: PhysicalValues, _ i: Int) -> [UInt8] {
        guard i >= 0, i < values.count else { return [] }
        switch values {
        case .boolean(let v): return [v[i] ? 1 : 0]
        case .int32(let v): return v[i].littleEndianBytes
        case .int64(let v): return v[i].littleEndianBytes
        case .float(let v): return v[i].bitPattern.littleEndianBytes
        case .double(let v): return v[i].bitPattern.littleEndianBytes
        case .byteArray(let v): return Array(v[i])
        case .int96(let v), .fixedLenByteArray(let v): return Array(v[i])
        }
    }
}
