import FloeEncodings

/// `lower()` and `upper()` over UTF-8 strings, one code point at a time, as DuckDB maps case:
/// Unicode's simple (one-to-one) case mappings, so that a string keeps its number of
/// characters (`upper('straße')` is `STRAẞE`, not `STRASSE`).
///
/// ASCII text takes a byte loop; other strings are mapped scalar by scalar. Bytes that are not
/// valid UTF-8 are kept as they are, with only their ASCII letters mapped.
enum CaseMapping {
    /// Every value of `values` in upper (`upper` true) or lower case.
    static func map(_ values: BinaryValues, upper: Bool) -> BinaryValues {
        if !values.bytes.contains(where: { $0 >= 0x80 }) {
            var out = values
            mapASCII(&out.bytes[...], upper: upper)
            return out
        }
        var out = BinaryValues()
        out.reserve(values: values.count, bytes: values.bytes.count)
        for i in 0..<values.count {
            var value = Array(values[i])
            if value.contains(where: { $0 >= 0x80 }), let mapped = mapScalars(value, upper: upper) {
                value = mapped
            } else {
                mapASCII(&value[...], upper: upper)
            }
            out.append(value)
        }
        return out
    }

    private static func mapASCII(_ bytes: inout ArraySlice<UInt8>, upper: Bool) {
        for k in bytes.indices {
            let c = bytes[k]
            if upper { if c &- 0x61 < 26 { bytes[k] = c &- 32 } } else if c &- 0x41 < 26 { bytes[k] = c &+ 32 }
        }
    }

    /// The mapped UTF-8 of `bytes`, or nil when they are not valid UTF-8.
    private static func mapScalars(_ bytes: [UInt8], upper: Bool) -> [UInt8]? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        for scalar in text.unicodeScalars {
            let mapped = upper ? upperScalar(scalar) : lowerScalar(scalar)
            out.append(contentsOf: String(mapped).utf8)
        }
        return out
    }

    /// The simple lowercase of a scalar: its full mapping when that is one scalar; U+0130 (İ,
    /// whose full mapping adds a combining dot) is `i`; otherwise the scalar itself.
    static func lowerScalar(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.value == 0x130 { return "i" }
        return single(s.properties.lowercaseMapping) ?? s
    }

    /// The simple uppercase of a scalar: its full mapping when that is one scalar, else its
    /// titlecase when that is one (ᾳ → ᾼ); ß becomes ẞ as in DuckDB; otherwise the scalar itself
    /// (ligatures such as ﬀ stay).
    static func upperScalar(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.value == 0xDF { return "\u{1E9E}" }
        return single(s.properties.uppercaseMapping) ?? single(s.properties.titlecaseMapping) ?? s
    }

    private static func single(_ mapping: String) -> Unicode.Scalar? {
        var scalars = mapping.unicodeScalars.makeIterator()
        guard let first = scalars.next(), scalars.next() == nil else { return nil }
        return first
    }
}
