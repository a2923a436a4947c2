/// Deterministic Segment-style analytics events for tests: track/page/identify/screen/group/alias
/// calls with nested context, varying properties (including the real-world clash of `position`,
/// a number on products and a string on promotions), nulls and empty objects.
struct SegmentEvents {
    var rng: SplitMix

    init(seed: UInt64) { rng = SplitMix(seed: seed) }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }

    mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        var s = ""
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { s += "-" }
            s.append(hex[Int(rng.next() % 16)])
        }
        return s
    }

    mutating func timestamp(_ base: Int) -> String {
        let day = 1 + (base / 86_400) % 28
        let secondOfDay = base % 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = Int(rng.next() % 1000)
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "2019-05-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)).\(msText)Z"
    }

    mutating func product() -> String {
        let price = Double(Int(rng.next() % 10_000)) / 100
        return #"{"product_id":"\#(uuid().prefix(8))","sku":"SKU-\#(rng.next() % 9999)","category":"\#(pick(["Games", "Books", "Toys \\u0026 Kids"]))","name":"\#(pick(["Monopoly: 3rd Edition", "Uno", "Snakes \\\"and\\\" Ladders"]))","brand":"Hasbro","price":\#(price),"quantity":\#(rng.next() % 5 + 1),"position":\#(rng.next() % 20)}"#
    }

    /// The `i`-th event line.
    mutating func line(_ i: Int) -> String {
        let type = pick(["track", "track", "track", "page", "identify", "screen", "group", "alias"])
        let t = 1_000 + i * 37
        let user = rng.next() % 3 == 0 ? "null" : "\"user_\(rng.next() % 5000)\""
        var fields = [
            #""anonymousId":"\#(uuid())""#, #""messageId":"\#(uuid())""#, #""type":"\#(type)""#, #""userId":\#(user)"#,
            #""timestamp":"\#(timestamp(t))""#, #""sentAt":"\#(timestamp(t + 1))""#, #""sourceId":"src_\#(rng.next() % 4)""#,
            #""context":{"library":{"name":"analytics.js","version":"3.11.\#(rng.next() % 9)"},"page":{"path":"/p/\#(rng.next() % 100)","referrer":"","title":"Shop — \#(pick(["Home", "Cart", "日本語"]))","url":"https://example.com/p"},"userAgent":"Mozilla/5.0 (X11; Linux x86_64)","ip":"10.0.\#(rng.next() % 255).\#(rng.next() % 255)","locale":"en-US"}"#,
            #""integrations":{}"#,
        ]
        switch type {
        case "track":
            let event = pick(["Product Added", "Order Completed", "Promotion Viewed", "Signed Up"])
            fields.append(#""event":"\#(event)""#)
            switch event {
            case "Product Added": fields.append(#""properties":\#(product())"#)
            case "Order Completed":
                let products = (0..<Int(rng.next() % 3)).map { _ in product() }.joined(separator: ",")
                fields.append(#""properties":{"order_id":"\#(uuid())","total":\#(Double(rng.next() % 100_000) / 100),"currency":"USD","products":[\#(products)]}"#)
            case "Promotion Viewed":
                fields.append(#""properties":{"promotion_id":"promo_\#(rng.next() % 10)","creative":"banner","position":"\#(pick(["top", "side"]))"}"#)
            default:
                fields.append(#""properties":{}"#)
            }
        case "page", "screen":
            fields.append(#""name":"\#(pick(["Home", "Checkout"]))","properties":{"path":"/","title":"Home","url":"https://example.com/"}"#)
        case "identify":
            fields.append(#""traits":{"email":"u\#(rng.next() % 100)@example.com","name":"Ada\nLovelace","plan":\#(pick(["\"pro\"", "null"])),"logins":\#(rng.next() % 50)}"#)
        case "group":
            fields.append(#""groupId":"g\#(rng.next() % 10)","traits":{"name":"Acme","employees":\#(rng.next() % 500)}"#)
        default:
            fields.append(#""previousId":"\#(uuid())""#)
        }
        // Shuffle the key order a little, as real producers do.
        if rng.next() % 4 == 0 { fields.swapAt(0, fields.count - 1) }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
