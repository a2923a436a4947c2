import FloeCore

/// Deterministic Segment-spec analytics events as JSON lines: the default data of Floe's
/// benchmarks and its bundled sample.
///
/// The same seed gives the same bytes on every machine. Events mix the six Segment call types
/// (track, page, identify, screen, group, alias), span several weeks, carry a nested `context`
/// (library, page, userAgent, ip, locale), `properties` that vary by event (products with a
/// numeric `position`, promotions with a string one, as real data has), `traits` on identify,
/// an always-empty `integrations` object, and a `userId` that is sometimes null.
public struct EventGenerator {
    /// How event timestamps are placed over the span.
    public enum TimeOrder: Sendable, Equatable {
        /// Drawn at random over the whole span (the default, and the bundled sample's order).
        case random
        /// Ascending, as real logs arrive: event `i` of `count` falls at a random instant of the
        /// `i`-th of `count` equal slices of the span, so timestamps never decrease. The other
        /// fields are those of the `.random` order with the same seed.
        case ascending(count: Int)
    }

    private var rng: SplitMix64
    private let start: Int64
    private let span: Int64
    private let slice: Int64?
    private var index = 0
    private let users: Int
    private var line: [UInt8] = []

    /// A generator of events starting at `startMicros` (default 2019-05-20T00:00:00Z) and
    /// spread over `weeks` weeks, in the time `order` given (random by default).
    public init(seed: UInt64, startMicros: Int64 = 1_558_310_400_000_000, weeks: Int = 4, users: Int = 5000,
                order: TimeOrder = .random) {
        rng = SplitMix64(seed: seed)
        start = startMicros
        span = max(1, Int64(max(1, weeks))) * 7 * 86_400_000_000
        self.users = max(1, users)
        switch order {
        case .random: slice = nil
        case .ascending(let count): slice = max(1, span / Int64(max(1, count)))
        }
    }

    /// Appends the next event and a newline to `out`.
    public mutating func appendEvent(to out: inout [UInt8]) {
        index += 1
        let type = pickType()
        let user = Int(rng.next() % UInt64(users))
        let draw = rng.next()
        let micros: Int64
        if let slice {
            micros = start &+ slice &* Int64(index - 1) &+ Int64(draw % UInt64(slice))
        } else {
            micros = start + Int64(draw % UInt64(span))
        }
        let page = EventGenerator.pages[Int(rng.next() % UInt64(EventGenerator.pages.count))]
        w(&out, "{\"anonymousId\":\"")
        uuid(&out, UInt64(user) &* 0x9E3779B97F4A7C15, 0xA5A5_5A5A_0000_0000 | UInt64(user))
        w(&out, "\",\"channel\":\"")
        w(&out, type == "screen" ? "mobile" : "client")
        w(&out, "\",\"context\":{\"ip\":\"")
        ip(&out, user)
        w(&out, "\",\"library\":{\"name\":\"")
        let library = type == "screen" ? ("analytics-ios", "4.1.3") : ("analytics.js", "3.11.4")
        w(&out, library.0); w(&out, "\",\"version\":\""); w(&out, library.1)
        w(&out, "\"},\"locale\":\"")
        w(&out, EventGenerator.locales[user % EventGenerator.locales.count])
        if type != "screen" {
            w(&out, "\",\"page\":{\"path\":\""); w(&out, page.path)
            w(&out, "\",\"referrer\":\""); w(&out, EventGenerator.referrers[Int(rng.next() % 4)])
            w(&out, "\",\"search\":\"\",\"title\":\""); w(&out, page.title)
            w(&out, "\",\"url\":\"https://www.example.com"); w(&out, page.path)
            w(&out, "\"}")
        } else {
            w(&out, "\",\"app\":{\"name\":\"Example\",\"version\":\"2.3.1\",\"build\":\"231\"}")
        }
        w(&out, ",\"userAgent\":\"")
        w(&out, EventGenerator.agents[user % EventGenerator.agents.count])
        w(&out, "\"},\"integrations\":{},\"messageId\":\"")
        uuid(&out, rng.next(), rng.next())
        w(&out, "\",\"originalTimestamp\":\"")
        timestamp(&out, micros - 250_000)
        w(&out, "\",\"receivedAt\":\"")
        timestamp(&out, micros + 120_000)
        w(&out, "\",\"sentAt\":\"")
        timestamp(&out, micros - 1_000)
        w(&out, "\",\"sourceId\":\"")
        w(&out, EventGenerator.sources[Int(rng.next() % UInt64(EventGenerator.sources.count))])
        w(&out, "\",\"timestamp\":\"")
        timestamp(&out, micros)
        w(&out, "\",\"type\":\""); w(&out, type); w(&out, "\",\"userId\":")
        if rng.next() % 10 < 3 {
            w(&out, "null")
        } else {
            w(&out, "\"user_"); int(&out, Int64(user)); w(&out, "\"")
        }
        switch type {
        case "track": track(&out)
        case "page":
            w(&out, ",\"name\":\""); w(&out, page.title)
            w(&out, "\",\"properties\":{\"path\":\""); w(&out, page.path)
            w(&out, "\",\"title\":\""); w(&out, page.title); w(&out, "\"}")
        case "screen":
            w(&out, ",\"name\":\""); w(&out, EventGenerator.screens[Int(rng.next() % UInt64(EventGenerator.screens.count))])
            w(&out, "\",\"properties\":{\"variation\":\"")
            w(&out, rng.next() & 1 == 0 ? "blue signup button" : "green signup button"); w(&out, "\"}")
        case "identify":
            w(&out, ",\"traits\":{\"createdAt\":\"")
            timestamp(&out, start - Int64(user) * 3_600_000_000)
            w(&out, "\",\"email\":\"user"); int(&out, Int64(user)); w(&out, "@example.com\",\"name\":\"")
            w(&out, EventGenerator.names[user % EventGenerator.names.count])
            w(&out, "\",\"plan\":\""); w(&out, EventGenerator.plans[user % EventGenerator.plans.count])
            w(&out, "\",\"logins\":"); int(&out, Int64(rng.next() % 200)); w(&out, "}")
        case "group":
            w(&out, ",\"groupId\":\"group_"); int(&out, Int64(user % 97))
            w(&out, "\",\"traits\":{\"name\":\"Initech\",\"industry\":\"Technology\",\"employees\":")
            int(&out, Int64(50 + user % 900)); w(&out, ",\"plan\":\"enterprise\"}")
        default:
            w(&out, ",\"previousId\":\"")
            uuid(&out, rng.next(), rng.next()); w(&out, "\"")
        }
        w(&out, ",\"version\":2}\n")
    }

    /// `count` events as JSON lines.
    public mutating func events(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count * 1000)
        for _ in 0..<count { appendEvent(to: &out) }
        return out
    }

    // MARK: - Event bodies

    private mutating func pickType() -> String {
        let r = rng.next() % 100
        switch r {
        case 0..<60: return "track"
        case 60..<80: return "page"
        case 80..<88: return "identify"
        case 88..<95: return "screen"
        case 95..<98: return "group"
        default: return "alias"
        }
    }

    private mutating func track(_ out: inout [UInt8]) {
        let e = EventGenerator.trackEvents[Int(rng.next() % UInt64(EventGenerator.trackEvents.count))]
        w(&out, ",\"event\":\""); w(&out, e); w(&out, "\",\"properties\":{")
        switch e {
        case "Order Completed", "Checkout Started", "Cart Viewed":
            w(&out, "\"order_id\":\"")
            int(&out, Int64(rng.next() % 1_000_000))
            w(&out, "\",\"currency\":\"USD\",\"revenue\":")
            cents(&out, Int64(rng.next() % 50_000))
            w(&out, ",\"products\":[")
            let n = 1 + Int(rng.next() % 4)
            for i in 0..<n {
                if i > 0 { w(&out, ",") }
                product(&out, position: i + 1)
            }
            w(&out, "]}")
        case "Product Viewed", "Product Added", "Product Clicked":
            w(&out, "\"product_id\":\"p")
            int(&out, Int64(rng.next() % 500))
            w(&out, "\",\"category\":\""); w(&out, EventGenerator.categories[Int(rng.next() % 5)])
            w(&out, "\",\"price\":"); cents(&out, Int64(rng.next() % 20_000))
            w(&out, ",\"position\":"); int(&out, Int64(1 + rng.next() % 20)); w(&out, "}")
        case "Promotion Viewed", "Promotion Clicked":
            w(&out, "\"promotion_id\":\"promo_"); int(&out, Int64(rng.next() % 30))
            w(&out, "\",\"creative\":\"banner\",\"name\":\"summer sale\",\"position\":\"")
            w(&out, rng.next() & 1 == 0 ? "home_top" : "sidebar"); w(&out, "\"}")
        default:
            w(&out, "\"query\":\""); w(&out, EventGenerator.queries[Int(rng.next() % UInt64(EventGenerator.queries.count))])
            w(&out, "\"}")
        }
    }

    private mutating func product(_ out: inout [UInt8], position: Int) {
        w(&out, "{\"product_id\":\"p"); int(&out, Int64(rng.next() % 500))
        w(&out, "\",\"sku\":\"SKU-"); int(&out, Int64(10_000 + rng.next() % 90_000))
        w(&out, "\",\"name\":\""); w(&out, EventGenerator.productNames[Int(rng.next() % UInt64(EventGenerator.productNames.count))])
        w(&out, "\",\"price\":"); cents(&out, Int64(rng.next() % 20_000))
        w(&out, ",\"quantity\":"); int(&out, Int64(1 + rng.next() % 3))
        w(&out, ",\"position\":"); int(&out, Int64(position)); w(&out, "}")
    }

    // MARK: - Writers

    @inline(__always) private func w(_ out: inout [UInt8], _ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }
    @inline(__always) private func w(_ out: inout [UInt8], _ s: String) { out.append(contentsOf: s.utf8) }

    private func int(_ out: inout [UInt8], _ v: Int64) { CanonicalJSON.appendInt(v, to: &out) }

    /// A price with two decimals, e.g. 12.5 → "12.5", 1999 cents → "19.99".
    private func cents(_ out: inout [UInt8], _ c: Int64) {
        int(&out, c / 100)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(c % 100 / 10))
        out.append(UInt8(ascii: "0") + UInt8(c % 10))
    }

    private func ip(_ out: inout [UInt8], _ user: Int) {
        int(&out, Int64(10 + user % 200)); out.append(UInt8(ascii: "."))
        int(&out, Int64(user / 200 % 256)); out.append(UInt8(ascii: "."))
        int(&out, Int64(user * 7 % 256)); out.append(UInt8(ascii: "."))
        int(&out, Int64(1 + user % 254))
    }

    private func uuid(_ out: inout [UInt8], _ a: UInt64, _ b: UInt64) {
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: a >> (56 - 8 * UInt64(i)))) }
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: b >> (56 - 8 * UInt64(i)))) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)]); out.append(hex[Int(byte & 15)])
        }
    }

    /// "YYYY-MM-DDTHH:MM:SS.mmmZ".
    private func timestamp(_ out: inout [UInt8], _ micros: Int64) {
        var full: [UInt8] = []
        CanonicalJSON.appendTimestamp(micros - micros % 1000, unit: .micros, adjustedToUTC: true, to: &full)
        // Drop the quotes and the last three fraction digits: millisecond precision as Segment sends.
        guard full.count > 5 else { return }
        out.append(contentsOf: full[1..<(full.count - 5)])
        out.append(UInt8(ascii: "Z"))
    }

    // MARK: - Vocabulary

    private static let sources = ["src_4f9ab21c", "src_7d3e0a55", "src_b1c2d3e4", "src_19fe8a7b", "src_c0ffee42"]
    private static let locales = ["en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "ja-JP", "pt-BR"]
    private static let agents = [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.157 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 12_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:67.0) Gecko/20100101 Firefox/67.0",
    ]
    private static let pages: [(path: String, title: String)] = [
        ("/", "Home"), ("/pricing", "Pricing"), ("/docs", "Documentation"), ("/blog/columnar-formats", "Why Columnar"),
        ("/signup", "Sign Up"), ("/products/widget", "Widget"), ("/cart", "Cart"), ("/checkout", "Checkout"),
    ]
    private static let referrers = ["https://www.google.com/", "https://news.ycombinator.com/", "", "https://twitter.com/"]
    private static let trackEvents = ["Product Viewed", "Product Added", "Product Clicked", "Order Completed", "Checkout Started",
                                      "Cart Viewed", "Promotion Viewed", "Promotion Clicked", "Products Searched"]
    private static let categories = ["Games", "Books", "Electronics", "Garden", "Toys"]
    private static let productNames = ["Monopoly: 3rd Edition", "Uno Card Game", "Widget Pro", "Garden Hose \\\"Deluxe\\\"", "Caf\u{e9} Mug"]
    private static let queries = ["blue hotpants", "parquet vs json", "widget", "monopoly", "\u{65e5}\u{672c}\u{8a9e}"]
    private static let screens = ["Home", "Settings", "Product Detail", "Checkout"]
    private static let names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"]
    private static let plans = ["free", "pro", "enterprise"]
}

/// SplitMix64: a small, fast, seedable generator (deterministic across platforms).
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
