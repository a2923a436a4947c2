#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FloeJSON

/// A grouped bar chart as a standalone SVG document (no scripts, no external resources), with
/// a title, a labelled y axis (linear or log scale), group labels under the x axis and a legend.
///
/// Each bar is a `<rect class="bar">` carrying `data-series`, `data-group` and `data-value`, and
/// a `<title>` tooltip with its value.
public struct SVGBarChart: Sendable {
    /// One series: a name for the legend and one value per group (nil: no bar).
    public struct Series: Sendable {
        public var name: String
        public var values: [Double?]
        /// The fill (a CSS colour); nil picks one from the palette by position.
        public var color: String?
        public init(name: String, values: [Double?], color: String? = nil) {
            self.name = name; self.values = values; self.color = color
        }
    }

    public var title: String
    public var yLabel: String
    public var groups: [String]
    public var series: [Series]
    /// Log scale: nil chooses it when the positive values span more than two orders of magnitude.
    public var logScale: Bool?
    /// Formats a value for tooltips and tick labels.
    public var unit: Unit
    public var width = 960
    public var height = 480

    /// How values are printed.
    public enum Unit: Sendable { case seconds, bytes, plain }

    public init(title: String, yLabel: String, groups: [String], series: [Series], logScale: Bool? = nil, unit: Unit = .plain) {
        self.title = title; self.yLabel = yLabel; self.groups = groups; self.series = series
        self.logScale = logScale; self.unit = unit
    }

    // Plot area.
    let left = 90.0, top = 50.0, bottom = 60.0, legendWidth = 210.0
    var plotWidth: Double { Double(width) - left - legendWidth - 20 }
    var plotHeight: Double { Double(height) - top - bottom }

    var positives: [Double] { series.flatMap { $0.values.compactMap { $0 } }.filter { $0 > 0 && $0.isFinite } }

    /// Whether the chart draws a log scale.
    public var usesLogScale: Bool {
        if let logScale { return logScale }
        guard let lo = positives.min(), let hi = positives.max() else { return false }
        return hi / lo > 100
    }

    /// The axis range: powers of ten around the values (log) or zero to a round maximum (linear).
    public var axisRange: (low: Double, high: Double) {
        let values = positives
        guard let lo = values.min(), let hi = values.max() else { return (usesLogScale ? 1 : 0, 1) }
        if usesLogScale {
            let a = (log10(lo)).rounded(.down), b = (log10(hi)).rounded(.up)
            return (pow10(a), pow10(b == a ? a + 1 : b))
        }
        return (0, niceCeiling(hi))
    }

    /// The height in pixels of a bar of `value` (0 for values outside the scale).
    public func barHeight(_ value: Double) -> Double {
        guard value.isFinite, value > 0 else { return 0 }
        let (lo, hi) = axisRange
        let fraction: Double
        if usesLogScale {
            fraction = (log10(value) - log10(lo)) / (log10(hi) - log10(lo))
        } else {
            fraction = value / hi
        }
        return max(0, min(1, fraction)) * plotHeight
    }

    /// The SVG document.
    public func render() -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>\n"
        s += "<text x=\"\(Double(width) / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(escape(title))</text>\n"
        let baseY = top + plotHeight
        // Grid and ticks.
        for tick in ticks() {
            let y = baseY - barHeight(tick)
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y))\" x2=\"\(fmt(left + plotWidth))\" y2=\"\(fmt(y))\" stroke=\"#dddddd\"/>\n"
            s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y + 4))\" text-anchor=\"end\">\(escape(label(tick)))</text>\n"
        }
        // Axes.
        s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top))\" x2=\"\(fmt(left))\" y2=\"\(fmt(baseY))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(baseY))\" x2=\"\(fmt(left + plotWidth))\" y2=\"\(fmt(baseY))\" stroke=\"black\"/>\n"
        let scaleNote = usesLogScale ? " (log scale)" : ""
        s += "<text x=\"18\" y=\"\(fmt(top + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(fmt(top + plotHeight / 2)))\">\(escape(yLabel + scaleNote))</text>\n"
        // Bars.
        let groupWidth = plotWidth / Double(max(1, groups.count))
        let barWidth = groupWidth * 0.8 / Double(max(1, series.count))
        for (g, group) in groups.enumerated() {
            let x0 = left + Double(g) * groupWidth + groupWidth * 0.1
            for (i, one) in series.enumerated() {
                guard g < one.values.count, let value = one.values[g] else { continue }
                let h = barHeight(value)
                let x = x0 + Double(i) * barWidth
                s += "<rect class=\"bar\" data-series=\"\(escape(one.name))\" data-group=\"\(escape(group))\" data-value=\"\(value)\" "
                s += "x=\"\(fmt(x))\" y=\"\(fmt(baseY - h))\" width=\"\(fmt(max(1, barWidth - 1)))\" height=\"\(fmt(h))\" fill=\"\(one.color ?? color(i))\">"
                s += "<title>\(escape("\(one.name), \(group): \(label(value))"))</title></rect>\n"
            }
            s += "<text x=\"\(fmt(x0 + groupWidth * 0.4))\" y=\"\(fmt(baseY + 20))\" text-anchor=\"middle\" font-size=\"14\">\(escape(group))</text>\n"
        }
        s += "<text x=\"\(fmt(left + plotWidth / 2))\" y=\"\(fmt(Double(height) - 12))\" text-anchor=\"middle\">scenario</text>\n"
        // Legend.
        let lx = left + plotWidth + 20
        for (i, one) in series.enumerated() {
            let y = top + Double(i) * 18
            s += "<rect x=\"\(fmt(lx))\" y=\"\(fmt(y))\" width=\"12\" height=\"12\" fill=\"\(one.color ?? color(i))\"/>"
            s += "<text x=\"\(fmt(lx + 18))\" y=\"\(fmt(y + 10))\">\(escape(one.name))</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    func ticks() -> [Double] {
        let (lo, hi) = axisRange
        if usesLogScale {
            var out: [Double] = []
            var t = lo
            while t <= hi * 1.0001 { out.append(t); t *= 10 }
            return out
        }
        return (0...5).map { hi * Double($0) / 5 }
    }

    func label(_ v: Double) -> String {
        switch unit {
        case .seconds:
            if v >= 1 { return short(v) + " s" }
            if v >= 0.001 { return short(v * 1000) + " ms" }
            return short(v * 1_000_000) + " µs"
        case .bytes:
            let units = ["B", "KB", "MB", "GB", "TB"]
            var x = v, i = 0
            while x >= 1000 && i < units.count - 1 { x /= 1000; i += 1 }
            return short(x) + " " + units[i]
        case .plain: return short(v)
        }
    }

    func short(_ v: Double) -> String {
        if v == 0 { return "0" }
        let digits = v >= 100 ? 0 : v >= 10 ? 1 : 2
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (v * scale).rounded() / scale
        var text = "\(r)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    func color(_ i: Int) -> String {
        let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                       "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf"]
        return palette[i % palette.count]
    }

    /// A coordinate with two decimals.
    func fmt(_ x: Double) -> String {
        var text = "\((x * 100).rounded() / 100)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    func niceCeiling(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let p = pow10(log10(v).rounded(.down))
        for m in [1.0, 2, 2.5, 5, 10] where m * p >= v { return m * p }
        return 10 * p
    }
}

/// 10^e.
func pow10(_ e: Double) -> Double { pow(10, e) }
