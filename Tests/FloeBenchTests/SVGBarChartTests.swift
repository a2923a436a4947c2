import Testing
@testable import FloeBench

/// A tiny XML well-formedness check: balanced tags, quoted attributes, no raw `<` or `&` in text.
/// Returns the elements as (name, attributes) in document order.
func parseXML(_ text: String) throws -> [(name: String, attributes: [String: String])] {
    struct Bad: Error { var what: String }
    let b = Array(text.utf8)
    var i = 0, stack: [String] = [], elements: [(String, [String: String])] = []
    func isName(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A || c >= 0x41 && c <= 0x5A || c >= 0x30 && c <= 0x39 || c == 0x2D || c == 0x3A || c == 0x5F }
    func checkText(_ r: Range<Int>) throws {
        var k = r.lowerBound
        while k < r.upperBound {
            if b[k] == UInt8(ascii: "&") {
                let rest = String(decoding: b[k..<min(b.count, k + 6)], as: UTF8.self)
                guard ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(where: { rest.hasPrefix($0) }) else { throw Bad(what: "raw & at \(k)") }
            }
            k += 1
        }
    }
    while i < b.count {
        guard b[i] == UInt8(ascii: "<") else {
            let start = i
            while i < b.count && b[i] != UInt8(ascii: "<") { i += 1 }
            try checkText(start..<i)
            continue
        }
        i += 1
        guard i < b.count else { throw Bad(what: "eof in tag") }
        if b[i] == UInt8(ascii: "?") {  // declaration
            while i + 1 < b.count && !(b[i] == UInt8(ascii: "?") && b[i + 1] == UInt8(ascii: ">")) { i += 1 }
            i += 2; continue
        }
        let closing = b[i] == UInt8(ascii: "/")
        if closing { i += 1 }
        let ns = i
        while i < b.count && isName(b[i]) { i += 1 }
        let name = String(decoding: b[ns..<i], as: UTF8.self)
        guard !name.isEmpty else { throw Bad(what: "empty tag name at \(ns)") }
        var attributes: [String: String] = [:]
        while true {
            while i < b.count && b[i] == 0x20 { i += 1 }
            guard i < b.count else { throw Bad(what: "eof in <\(name)") }
            if b[i] == UInt8(ascii: ">") { i += 1; break }
            if b[i] == UInt8(ascii: "/") && i + 1 < b.count && b[i + 1] == UInt8(ascii: ">") { i += 2; attributes["/"] = ""; break }
            guard !closing else { throw Bad(what: "attribute in closing tag") }
            let an = i
            while i < b.count && isName(b[i]) { i += 1 }
            let key = String(decoding: b[an..<i], as: UTF8.self)
            guard !key.isEmpty, i + 1 < b.count, b[i] == UInt8(ascii: "="), b[i + 1] == UInt8(ascii: "\"") else { throw Bad(what: "bad attribute at \(an)") }
            i += 2
            let vs = i
            while i < b.count && b[i] != UInt8(ascii: "\"") {
                guard b[i] != UInt8(ascii: "<") else { throw Bad(what: "< in attribute") }
                i += 1
            }
            guard i < b.count else { throw Bad(what: "unterminated attribute") }
            try checkText(vs..<i)
            guard attributes[key] == nil else { throw Bad(what: "duplicate attribute \(key)") }
            attributes[key] = String(decoding: b[vs..<i], as: UTF8.self)
            i += 1
        }
        if closing {
            guard stack.last == name else { throw Bad(what: "</\(name)> closes \(stack.last ?? "nothing")") }
            stack.removeLast()
        } else {
            elements.append((name, attributes))
            if attributes["/"] == nil { stack.append(name) }
        }
    }
    guard stack.isEmpty else { throw Bad(what: "unclosed \(stack)") }
    return elements
}

@Suite struct SVGBarChartTests {
    func bars(_ chart: SVGBarChart) throws -> [(series: String, group: String, value: Double, height: Double)] {
        try parseXML(chart.render()).filter { $0.attributes["class"] == "bar" }.map {
            ($0.attributes["data-series"] ?? "", $0.attributes["data-group"] ?? "",
             Double($0.attributes["data-value"] ?? "") ?? -1, Double($0.attributes["height"] ?? "") ?? -1)
        }
    }

    @Test func wellFormedWithEscapedText() throws {
        let chart = SVGBarChart(title: "JSON <&> \"Parquet\"", yLabel: "s", groups: ["Q1", "Q<2>"],
                                series: [.init(name: "a & b", values: [1, 2]), .init(name: "c", values: [3, nil])])
        let elements = try parseXML(chart.render())
        #expect(elements.first?.name == "svg")
        #expect(elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        let found = try bars(chart)
        #expect(found.count == 3)  // the nil value draws no bar
        #expect(found.map(\.series) == ["a &amp; b", "c", "a &amp; b"])
        #expect(found.map(\.group) == ["Q1", "Q1", "Q&lt;2&gt;"])
        #expect(chart.render().contains("JSON &lt;&amp;&gt; &quot;Parquet&quot;"))
        #expect(elements.filter { $0.name == "text" }.count >= 2 + 2 + 2)  // title, axis label, groups, legend, ticks
    }

    @Test func linearBarsAreProportional() throws {
        let chart = SVGBarChart(title: "t", yLabel: "bytes", groups: ["Q1", "Q2", "Q3"],
                                series: [.init(name: "x", values: [10, 20, 40])], unit: .bytes)
        #expect(!chart.usesLogScale)
        #expect(chart.axisRange.high == 50)
        let found = try bars(chart)
        #expect(found.map(\.value) == [10, 20, 40])
        let h = found.map(\.height)
        #expect(abs(h[1] / h[0] - 2) < 0.01 && abs(h[2] / h[0] - 4) < 0.01)
        #expect(abs(h[2] - chart.plotHeight * 40 / 50) < 0.01)
    }

    @Test func logScaleWhenValuesSpanDecades() throws {
        let chart = SVGBarChart(title: "t", yLabel: "seconds", groups: ["Q1", "Q2", "Q3", "Q4"],
                                series: [.init(name: "x", values: [0.001, 0.01, 0.1, 1])], unit: .seconds)
        #expect(chart.usesLogScale)
        #expect(chart.axisRange.low == 0.001 && abs(chart.axisRange.high - 1) < 1e-12)
        let h = try bars(chart).map(\.height)
        // Each decade adds the same height: a third of the plot.
        let step = chart.plotHeight / 3
        #expect(abs(h[0]) < 0.01)
        #expect(abs(h[1] - step) < 0.01 && abs(h[2] - 2 * step) < 0.01 && abs(h[3] - 3 * step) < 0.01)
        #expect(chart.render().contains("(log scale)"))
        #expect(chart.ticks().count == 4)
        // Forced linear: heights proportional again.
        var linear = chart
        linear.logScale = false
        #expect(abs(linear.barHeight(0.5) / linear.barHeight(1) - 0.5) < 1e-9)
    }

    @Test func labels() {
        let chart = SVGBarChart(title: "", yLabel: "", groups: [], series: [], unit: .seconds)
        #expect(chart.label(2.5) == "2.5 s")
        #expect(chart.label(0.0123) == "12.3 ms")
        var bytes = chart
        bytes.unit = .bytes
        #expect(bytes.label(1_500_000) == "1.5 MB")
        #expect(bytes.label(512) == "512 B")
    }
}
