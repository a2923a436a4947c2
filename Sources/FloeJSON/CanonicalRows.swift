import FloeCore
import FloeEncodings
import FloeColumns

/// Writes rows as JSON lines from per-column canonical texts: `{"a":1,"b":"x"}` per row, fields
/// in the given order.
public struct CanonicalRowWriter {
    private let keys: [[UInt8]]

    /// Creates a writer for fields named `names`, in order.
    public init(names: [String]) {
        keys = names.map { name in
            var k: [UInt8] = []
            CanonicalJSON.appendKey(name, to: &k)
            return k
        }
    }

    /// Appends `rows` lines to `out`, taking entry `r` of each column for row `r`.
    public func appendRows(_ columns: [BinaryValues], rows: Range<Int>, to out: inout [UInt8]) {
        for r in rows {
            out.append(UInt8(ascii: "{"))
            for c in columns.indices {
                if c > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: keys[c])
                out.append(contentsOf: columns[c][r])
            }
            out.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
        }
    }
}
