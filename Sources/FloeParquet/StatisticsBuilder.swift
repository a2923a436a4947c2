#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns

/// How min/max of a column compare, from its physical type and annotation.
enum StatisticsOrder {
    case boolean
    case signedInt32, unsignedInt32
    case signedInt64, unsignedInt64
    case float, double
    /// IEEE half precision in 2 bytes (little-endian), compared as numbers.
    case float16
    /// Unsigned lexicographic bytes (strings, binary, UUID, fixed).
    case unsignedBytes
    /// Big-endian two's complement integers of any length (decimals on byte arrays).
    case signedBigEndian
    /// No defined order (INT96, intervals): only the null count is written.
    case none

    init(_ d: ColumnDescriptor) {
        switch d.physicalType {
        case .boolean: self = .boolean
        case .int32:
            if case .integer(_, false) = d.kind { self = .unsignedInt32 } else { self = .signedInt32 }
        case .int64:
            if case .integer(_, false) = d.kind { self = .unsignedInt64 } else { self = .signedInt64 }
        case .float: self = .float
        case .double: self = .double
        case .byteArray, .fixedLenByteArray:
            switch d.kind {
            case .decimal: self = .signedBigEndian
            case .float16: self = .float16
            default: self = d.convertedType == .interval ? .none : .unsignedBytes
            }
        default: self = .none
        }
    }
}

extension StatisticsOrder {
    /// True when statistics value `a` sorts before `b` in this order.
    func less(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        switch self {
        case .boolean: return (a.first ?? 0) < (b.first ?? 0)
        case .signedInt32:
            return (Int32.fromLittleEndianBytes(Array(a)) ?? 0) < (Int32.fromLittleEndianBytes(Array(b)) ?? 0)
        case .unsignedInt32:
            return (UInt32.fromLittleEndianBytes(Array(a)) ?? 0) < (UInt32.fromLittleEndianBytes(Array(b)) ?? 0)
        case .signedInt64:
            return (Int64.fromLittleEndianBytes(Array(a)) ?? 0) < (Int64.fromLittleEndianBytes(Array(b)) ?? 0)
        case .unsignedInt64:
            return (UInt64.fromLittleEndianBytes(Array(a)) ?? 0) < (UInt64.fromLittleEndianBytes(Array(b)) ?? 0)
        case .float:
            return Float(bitPattern: UInt32.fromLittleEndianBytes(Array(a)) ?? 0) < Float(bitPattern: UInt32.fromLittleEndianBytes(Array(b)) ?? 0)
        case .double:
            return Double(bitPattern: UInt64.fromLittleEndianBytes(Array(a)) ?? 0) < Double(bitPattern: UInt64.fromLittleEndianBytes(Array(b)) ?? 0)
        case .float16: return Half(a).value < Half(b).value
        case .unsignedBytes, .none: return a.lexicographicallyPrecedes(b)
        case .signedBigEndian: return StatisticsBuilder.signedBigEndianLess(a, b)
        }
    }

}

/// Min, max and null count of a run of values, in the column's sort order; produces the
/// Thrift `Statistics` with PLAIN-encoded `min_value`/`max_value`.
///
/// NaN is never a min or max; a zero min is written as -0.0 and a zero max as +0.0, as the
/// spec asks. Byte arrays longer than `truncateLength` are truncated (min to a prefix, max to an
/// incremented prefix) and flagged inexact.
struct StatisticsBuilder {
    let order: StatisticsOrder
    let truncateLength: Int
    let isString: Bool
    private(set) var nullCount: Int64 = 0
    private var minBytes: [UInt8]?
    private var maxBytes: [UInt8]?

    init(descriptor: ColumnDescriptor, truncateLength: Int) {
        order = StatisticsOrder(descriptor)
        self.truncateLength = truncateLength
        if case .string = descriptor.kind { isString = true } else { isString = false }
    }

    mutating func addNulls(_ n: Int) { nullCount += Int64(n) }

    /// Folds `values[range]` into the running min and max.
    mutating func add(_ values: PhysicalValues, range: Range<Int>) {
        if range.isEmpty || order == .none { return }
        switch values {
        case .boolean(let v): addBooleans(v[range])
        case .int32(let v):
            if order == .unsignedInt32 {
                foldInteger(v[range], as: UInt32.self) { UInt32(bitPattern: $0) }
            } else {
                foldInteger(v[range], as: Int32.self) { $0 }
            }
        case .int64(let v):
            if order == .unsignedInt64 {
                foldInteger(v[range], as: UInt64.self) { UInt64(bitPattern: $0) }
            } else {
                foldInteger(v[range], as: Int64.self) { $0 }
            }
        case .float(let v): addFloats(v[range])
        case .double(let v): addDoubles(v[range])
        case .byteArray(let v):
            if order == .unsignedBytes {
                addUnsignedBytes(v, range)
            } else {
                for i in range { addBytes(v[i]) }
            }
        case .fixedLenByteArray(let v):
            for i in range { addBytes(v[i]) }
        case .int96: break
        }
    }

    /// Merges another builder's result (a page's) into this one (the chunk's).
    mutating func merge(_ other: StatisticsBuilder) {
        nullCount += other.nullCount
        if let m = other.minBytes, minBytes == nil || less(m, minBytes!) { minBytes = m }
        if let m = other.maxBytes, maxBytes == nil || less(maxBytes!, m) { maxBytes = m }
    }

    /// True when a min and max were found.
    var hasMinMax: Bool { minBytes != nil }

    /// The Thrift statistics. Legacy `min`/`max` are written too where their (signed) order
    /// agrees with the type's order.
    func statistics() -> Statistics {
        var s = Statistics()
        s.nullCount = nullCount
        guard var lo = minBytes, var hi = maxBytes else { return s }
        if order == .float || order == .double || order == .float16 { fixZeros(&lo, &hi) }
        var loExact = true, hiExact = true
        if order == .unsignedBytes || order == .signedBigEndian, truncateLength > 0 {
            if lo.count > truncateLength { lo = truncatedMin(lo); loExact = false }
            if hi.count > truncateLength, let t = truncatedMax(hi) { hi = t; hiExact = false }
        }
        s.minValue = lo
        s.maxValue = hi
        s.isMinValueExact = loExact
        s.isMaxValueExact = hiExact
        switch order {
        case .boolean, .signedInt32, .signedInt64, .float, .double:
            s.min = lo
            s.max = hi
        default: break
        }
        return s
    }

    // MARK: - Folding

    private mutating func addBooleans(_ v: ArraySlice<Bool>) {
        var sawFalse = false, sawTrue = false
        for b in v { if b { sawTrue = true } else { sawFalse = true } }
        let lo: UInt8 = sawFalse ? 0 : 1, hi: UInt8 = sawTrue ? 1 : 0
        if minBytes == nil || lo < minBytes![0] { minBytes = [lo] }
        if maxBytes == nil || hi > maxBytes![0] { maxBytes = [hi] }
    }

    private mutating func foldInteger<T: FixedWidthInteger, S: FixedWidthInteger>(
        _ v: ArraySlice<S>, as: T.Type, _ convert: (S) -> T
    ) {
        guard let first = v.first else { return }
        var lo = convert(first), hi = lo
        for x in v {
            let c = convert(x)
            if c < lo { lo = c }
            if c > hi { hi = c }
        }
        if minBytes.flatMap(T.fromLittleEndianBytes).map({ lo < $0 }) ?? true { minBytes = lo.littleEndianBytes }
        if maxBytes.flatMap(T.fromLittleEndianBytes).map({ hi > $0 }) ?? true { maxBytes = hi.littleEndianBytes }
    }

    private mutating func addFloats(_ v: ArraySlice<Float>) {
        var lo = Float.infinity, hi = -Float.infinity, any = false
        for x in v where !x.isNaN {
            any = true
            if x < lo || (x == 0 && lo == 0 && x.sign == .minus) { lo = x }
            if x > hi || (x == 0 && hi == 0 && x.sign == .plus) { hi = x }
        }
        guard any else { return }
        let curLo = minBytes.map { Float(bitPattern: UInt32.fromLittleEndianBytes($0) ?? 0) }
        let curHi = maxBytes.map { Float(bitPattern: UInt32.fromLittleEndianBytes($0) ?? 0) }
        if curLo == nil || lo < curLo! { minBytes = lo.bitPattern.littleEndianBytes }
        if curHi == nil || hi > curHi! { maxBytes = hi.bitPattern.littleEndianBytes }
    }

    private mutating func addDoubles(_ v: ArraySlice<Double>) {
        var lo = Double.infinity, hi = -Double.infinity, any = false
        for x in v where !x.isNaN {
            any = true
            if x < lo { lo = x }
            if x > hi { hi = x }
        }
        guard any else { return }
        let curLo = minBytes.map { Double(bitPattern: UInt64.fromLittleEndianBytes($0) ?? 0) }
        let curHi = maxBytes.map { Double(bitPattern: UInt64.fromLittleEndianBytes($0) ?? 0) }
        if curLo == nil || lo < curLo! { minBytes = lo.bitPattern.littleEndianBytes }
        if curHi == nil || hi > curHi! { maxBytes = hi.bitPattern.littleEndianBytes }
    }

    /// Byte arrays in unsigned lexicographic order: finds the smallest and largest value of the
    /// range over raw pointers (no slice per value), then folds those two.
    private mutating func addUnsignedBytes(_ v: BinaryValues, _ range: Range<Int>) {
        guard range.lowerBound >= 0, range.upperBound < v.offsets.count, !range.isEmpty else { return }
        var lo = range.lowerBound, hi = range.lowerBound
        v.bytes.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            v.offsets.withUnsafeBufferPointer { (offsets: UnsafeBufferPointer<Int>) in
                guard let base = bytes.baseAddress else { return }  // every value is empty
                @inline(__always) func less(_ a: Int, _ b: Int) -> Bool {
                    let sa = offsets[a], la = offsets[a &+ 1] &- sa
                    let sb = offsets[b], lb = offsets[b &+ 1] &- sb
                    let c = memcmp(base + sa, base + sb, Swift.min(la, lb))
                    return c != 0 ? c < 0 : la < lb
                }
                var i = range.lowerBound &+ 1
                while i < range.upperBound {
                    if less(i, lo) { lo = i } else if less(hi, i) { hi = i }
                    i &+= 1
                }
            }
        }
        addBytes(v[lo])
        if hi != lo { addBytes(v[hi]) }
    }

    /// Byte arrays in unsigned lexicographic order given as dictionary entries: the min and max
    /// of the entries `indices` name, each distinct entry compared once.
    mutating func addUnsignedBytes(dictionary v: BinaryValues, indices: [UInt32], marks: inout DistinctMarks) {
        let count = v.count
        guard !indices.isEmpty, count > 0 else { return }
        let stamp = marks.next(count: count)
        var lo = -1, hi = -1
        v.bytes.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            v.offsets.withUnsafeBufferPointer { (offsets: UnsafeBufferPointer<Int>) in
                indices.withUnsafeBufferPointer { (ids: UnsafeBufferPointer<UInt32>) in
                    marks.seen.withUnsafeMutableBufferPointer { (seen: inout UnsafeMutableBufferPointer<UInt32>) in
                        guard let base = bytes.baseAddress else {
                            // Every entry is empty: min and max are the empty value.
                            if let first = ids.first, Int(first) < count { lo = Int(first); hi = lo }
                            return
                        }
                        @inline(__always) func less(_ a: Int, _ b: Int) -> Bool {
                            let sa = offsets[a], la = offsets[a &+ 1] &- sa
                            let sb = offsets[b], lb = offsets[b &+ 1] &- sb
                            let c = memcmp(base + sa, base + sb, Swift.min(la, lb))
                            return c != 0 ? c < 0 : la < lb
                        }
                        for id in ids {
                            let i = Int(id)
                            guard i < count, seen[i] != stamp else { continue }
                            seen[i] = stamp
                            if lo < 0 {
                                lo = i; hi = i
                            } else if less(i, lo) {
                                lo = i
                            } else if less(hi, i) {
                                hi = i
                            }
                        }
                    }
                }
            }
        }
        guard lo >= 0 else { return }
        addBytes(v[lo])
        if hi != lo { addBytes(v[hi]) }
    }

    private mutating func addBytes(_ v: ArraySlice<UInt8>) {
        if order == .float16 {
            guard v.count == 2, !Half(v).isNaN else { return }
        }
        if minBytes == nil || less(v, minBytes![...]) { minBytes = Array(v) }
        if maxBytes == nil || less(maxBytes![...], v) { maxBytes = Array(v) }
    }

    // MARK: - Ordering

    private func less(_ a: [UInt8], _ b: [UInt8]) -> Bool { less(a[...], b[...]) }

    private func less(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool { order.less(a, b) }

    /// Compares two big-endian two's complement integers of possibly different lengths.
    static func signedBigEndianLess(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        let aNeg = (a.first ?? 0) & 0x80 != 0
        let bNeg = (b.first ?? 0) & 0x80 != 0
        if aNeg != bNeg { return aNeg }
        let n = max(a.count, b.count)
        let pad: UInt8 = aNeg ? 0xFF : 0
        for i in 0..<n {
            let ai = i - (n - a.count), bi = i - (n - b.count)
            let x = ai >= 0 ? a[a.startIndex + ai] : pad
            let y = bi >= 0 ? b[b.startIndex + bi] : pad
            if x != y { return x < y }
        }
        return false
    }

    /// A zero min is written as -0.0 and a zero max as +0.0.
    private func fixZeros(_ lo: inout [UInt8], _ hi: inout [UInt8]) {
        switch order {
        case .float:
            if let b = UInt32.fromLittleEndianBytes(lo), Float(bitPattern: b) == 0 { lo = (-Float(0)).bitPattern.littleEndianBytes }
            if let b = UInt32.fromLittleEndianBytes(hi), Float(bitPattern: b) == 0 { hi = Float(0).bitPattern.littleEndianBytes }
        case .double:
            if let b = UInt64.fromLittleEndianBytes(lo), Double(bitPattern: b) == 0 { lo = (-Double(0)).bitPattern.littleEndianBytes }
            if let b = UInt64.fromLittleEndianBytes(hi), Double(bitPattern: b) == 0 { hi = Double(0).bitPattern.littleEndianBytes }
        case .float16:
            if Half(lo[...]).value == 0 { lo = [0x00, 0x80] }
            if Half(hi[...]).value == 0 { hi = [0x00, 0x00] }
        default: break
        }
    }

    // MARK: - Truncation

    /// A prefix of at most `truncateLength` bytes (cut at a UTF-8 boundary for strings).
    private func truncatedMin(_ v: [UInt8]) -> [UInt8] {
        var n = truncateLength
        if isString { while n > 0, n < v.count, v[n] & 0xC0 == 0x80 { n -= 1 } }
        return Array(v[0..<n])
    }

    /// The smallest value above every value starting with `v`'s prefix, at most
    /// `truncateLength` bytes; nil when none exists (the max is kept whole).
    private func truncatedMax(_ v: [UInt8]) -> [UInt8]? {
        if isString {
            var scalars = Array(String(decoding: truncatedMin(v), as: UTF8.self).unicodeScalars)
            while let last = scalars.popLast() {
                var next = last.value + 1
                if next == 0xD800 { next = 0xE000 }
                if next <= 0x10FFFF, let s = Unicode.Scalar(next) {
                    scalars.append(s)
                    var out: [UInt8] = []
                    for sc in scalars { out.append(contentsOf: String(sc).utf8) }
                    return out.count <= truncateLength ? out : nil
                }
            }
            return nil
        }
        var prefix = Array(v[0..<truncateLength])
        while let last = prefix.popLast() {
            if last < 0xFF { prefix.append(last + 1); return prefix }
        }
        return nil
    }
}

/// Marks of dictionary entries already seen in the current page: `seen[i] == stamp` for
/// the entries met since the last ``next(count:)``.
struct DistinctMarks {
    var seen: [UInt32] = []
    var stamp: UInt32 = 0

    /// Starts a new page over a dictionary of `count` entries; returns its stamp.
    mutating func next(count: Int) -> UInt32 {
        if seen.count < count { seen.append(contentsOf: repeatElement(0, count: count - seen.count)) }
        if stamp == .max {
            for i in seen.indices { seen[i] = 0 }
            stamp = 0
        }
        stamp &+= 1
        return stamp
    }
}

/// An IEEE 754 half-precision value read from 2 little-endian bytes.
struct Half {
    let bits: UInt16
    init(_ b: ArraySlice<UInt8>) {
        let lo = b.first ?? 0
        let hi = b.count > 1 ? b[b.startIndex + 1] : 0
        bits = UInt16(lo) | UInt16(hi) << 8
    }
    var isNaN: Bool { bits & 0x7C00 == 0x7C00 && bits & 0x03FF != 0 }
    /// The value as a Float (exact: every half is a float).
    var value: Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exp = Int((bits >> 10) & 0x1F)
        let frac = Float(bits & 0x3FF)
        if exp == 0 { return sign * frac * Float(sign: .plus, exponent: -24, significand: 1) }
        if exp == 31 { return frac == 0 ? sign * .infinity : .nan }
        return sign * (1 + frac / 1024) * Float(sign: .plus, exponent: exp - 15, significand: 1)
    }
}

extension FixedWidthInteger {
    /// The value's little-endian bytes.
    var littleEndianBytes: [UInt8] {
        withUnsafeBytes(of: self.littleEndian) { Array($0) }
    }
    /// Reads a value from exactly `MemoryLayout<Self>.size` little-endian bytes.
    static func fromLittleEndianBytes(_ b: [UInt8]) -> Self? {
        guard b.count == MemoryLayout<Self>.size else { return nil }
        var v: Self = 0
        for (i, x) in b.enumerated() { v |= Self(truncatingIfNeeded: x) << (8 * i) }
        return v
    }
}
