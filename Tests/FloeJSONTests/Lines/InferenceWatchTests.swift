import Testing
import FloeCore
import FloeColumns
@testable import FloeJSON

/// The inference of `lines` (small options: maps after 4 distinct keys).
private func inference(_ lines: [String]) throws(FloeError) -> SchemaInference {
    var inference = SchemaInference(options: watchOptions)
    try linesFeed(lines) { (tape: JSONTape, raw: UnsafeRawBufferPointer) throws(FloeError) in
        try inference.add(tape, line: raw)
    }
    return inference
}

private var watchOptions: SchemaInference.Options {
    var options = SchemaInference.Options()
    options.maxStructFields = 4
    return options
}

/// For each probe line: nil when shredding it fails, else whether it is novel to the
/// inference of `sample` (the shredder built on that inference's schema).
private func novelty(sample: [String], probes: [String]) throws -> [Bool?] {
    let seen = try inference(sample)
    var shredder = try JSONShredder(schema: try seen.schema(), watching: seen)
    var out: [Bool?] = []
    for (i, probe) in probes.enumerated() {
        do {
            try Array(probe.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
                try shredder.append(line: raw, lineNumber: i + 1)
            }
            out.append(shredder.lastRecordIsNovel)
        } catch {
            out.append(nil)
        }
    }
    return out
}

@Suite struct InferenceWatchTests {
    @Test func valuesOfKindsTheSampleHadAreQuiet() throws {
        let sample = [
            #"{"id":1,"price":2.5,"ok":true,"name":"a","ts":"2024-01-02T03:04:05Z","tags":["x"],"ctx":{"ip":"1.2.3.4"},"mixed":1}"#,
            #"{"id":2,"price":3,"mixed":"two","empty":{}}"#,
        ]
        let probes = [
            #"{"id":7,"price":9,"ok":false,"name":"b","ts":"2025-06-07T08:09:10.123456+02:00","tags":[],"ctx":{"ip":"5.6.7.8"}}"#,
            #"{"id":null,"price":null,"ctx":null,"tags":null,"empty":{}}"#,
            #"{}"#,
            // A STRING field of mixed kinds stays a STRING whatever comes.
            #"{"mixed":{"deep":[1,2]}}"#,
            #"{"mixed":false}"#,
            // Keys in another order.
            #"{"name":"c","id":3}"#,
        ]
        #expect(try novelty(sample: sample, probes: probes) == [false, false, false, false, false, false])
    }

    @Test func anythingTheSampleHadNotSeenIsNovel() throws {
        let sample = [
            #"{"id":1,"price":2.5,"ok":true,"name":"a","ts":"2024-01-02T03:04:05Z","tags":["x"],"none":[],"ctx":{"ip":"1.2.3.4"},"nul":null,"empty":{}}"#,
        ]
        let probes: [(String, Bool?)] = [
            (#"{"newKey":1}"#, true),                             // a key the sample never had
            (#"{"ctx":{"ip":"x","port":80}}"#, true),              // a new nested key
            (#"{"id":2.5}"#, nil),                                 // INT64 -> DOUBLE: the shredder refuses it
            (#"{"id":3.0}"#, true),                                // stored as 3, but the inference would widen
            (#"{"ts":"2024-01-02T03:04:05"}"#, true),              // no offset: not a timestamp to the inference
            (#"{"ts":"2024-01-02T03:04:05.1234567Z"}"#, true),    // digits past microseconds
            (#"{"ts":"2024-01-02T03:04:05\u005aZ"}"#, nil),       // an escape: the shredder refuses the text
            (#"{"ts":"2024-01-02T03:04:0\u0035Z"}"#, true),       // an escaped timestamp: a plain string to the inference
            (#"{"nul":"now a string"}"#, true),                    // a field only ever null gets a type
            (#"{"none":[1]}"#, true),                              // a list only ever empty gets elements
            (#"{"empty":{"k":"v"}}"#, true),                       // an always-empty object gets a key
            (#"{"name":"a","name":"b"}"#, true),                   // a repeated key (the inference saw both)
            (#"{"ok":true,"ok":true}"#, true),
            (#"{"name":7}"#, false),                               // STRING of strings: any value keeps it a STRING
            (#"{"tags":["y","z"]}"#, false),
        ]
        let got = try novelty(sample: sample, probes: probes.map(\.0))
        for (i, (probe, expected)) in probes.enumerated() { #expect(got[i] == expected, "\(probe)") }
    }

    @Test func mapsTheInferenceMadeTakeNewKeysButUnstableKeysStayNovel() throws {
        // More than four keys: a map of the inference's own making.
        let sample = [
            #"{"m":{"a":1,"b":2,"c":3,"d":4,"e":5},"u":{"2024-01-01":1,"2024-01-02":2}}"#,
        ]
        let probes: [(String, Bool?)] = [
            (#"{"m":{"zz":9}}"#, false),                           // any key, a value of a seen kind
            (#"{"m":{"zz":3.0}}"#, true),                          // a new kind of value (a double)
            (#"{"u":{}}"#, false),
            (#"{"u":{"2024-01-01":3}}"#, true),                    // keys that looked unstable: the key set decides
        ]
        let got = try novelty(sample: sample, probes: probes.map(\.0))
        for (i, (probe, expected)) in probes.enumerated() { #expect(got[i] == expected, "\(probe)") }
    }

    @Test func withoutAWatchedInferenceOnlyKeysMakeARecordNovel() throws {
        let schema = try linesInfer([#"{"id":1}"#])
        var shredder = try JSONShredder(schema: schema)
        try Array(#"{"id":2}"#.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
            try shredder.append(line: raw, lineNumber: 1)
        }
        #expect(!shredder.lastRecordIsNovel)
        try Array(#"{"id":2,"x":1}"#.utf8).withBytes { (raw: UnsafeRawBufferPointer) throws(FloeError) in
            try shredder.append(line: raw, lineNumber: 2)
        }
        #expect(shredder.lastRecordIsNovel)
    }

    /// The property the converter relies on: the sample's inference plus the novel lines
    /// infers the same schema as every line, over random streams of conflicting values.
    @Test(arguments: 0..<60)
    func observingOnlyNovelLinesInfersTheFullSchema(seed: Int) throws {
        var rng = SplitMix(seed: UInt64(seed))
        let noise = 10 + (seed % 12) * 40
        let lines = (0..<400).map { _ in randomLine(&rng, noise: noise) }
        let sampleCount = 1 + Int(rng.next() % 60)
        let full = try inference(lines).schema()
        var watched = try inference(Array(lines.prefix(sampleCount)))
        let sampleSchema = try watched.schema()
        var shredder = try JSONShredder(schema: sampleSchema, watching: watched)
        var quiet = 0
        try linesFeed(lines) { (tape: JSONTape, raw: UnsafeRawBufferPointer) throws(FloeError) in
            var novel = true
            do throws(FloeError) {
                try shredder.append(tape, line: raw)
                novel = shredder.lastRecordIsNovel
            } catch {}
            if novel { try watched.add(tape, line: raw) } else { quiet += 1 }
        }
        #expect(try watched.schema() == full, "seed \(seed), sample \(sampleCount)")
        // The walk has to leave something out for the check to mean anything.
        #expect(quiet > 0, "seed \(seed)")
    }
}

extension SplitMix {
    mutating func pick(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A line over a few fields whose values are mostly of one kind per field and, about once
/// in `noise` values, of another: every kind the inference tells apart, nested objects,
/// lists, maps, a field that is mostly null, repeated and late keys.
private func randomLine(_ rng: inout SplitMix, noise: Int) -> String {
    let fields = ["a", "b", "c", "obj", "list", "m", "ts", "n"]
    var members: [String] = []
    for (i, field) in fields.enumerated() where rng.pick(3) > 0 {
        let rare = rng.pick(noise) == 0
        let kind = field == "n" ? (rare ? rng.pick(9) : -1) : (rare ? rng.pick(9) : i)
        members.append("\"\(field)\":" + randomValue(&rng, kind, noise: noise, depth: 0))
        if rng.pick(noise * 3) == 0 { members.append("\"\(field)\":" + randomValue(&rng, rng.pick(9), noise: noise, depth: 0)) }
    }
    if rng.pick(noise * 3) == 0 { members.append("\"late\(rng.pick(3))\":1") }
    return "{" + members.joined(separator: ",") + "}"
}

private func randomValue(_ rng: inout SplitMix, _ kind: Int, noise: Int, depth: Int) -> String {
    let timestamps = ["\"2024-01-02T03:04:05Z\"", "\"2024-05-06T07:08:09.5+01:00\"", "\"2024-01-02T03:04:05\"",
                      "\"2024-01-02T03:04:05.1234567Z\"", "\"2024-01-02T03:04:0\\u0035Z\""]
    let rare = rng.pick(noise) == 0
    switch kind {
    case -1: return "null"
    case 0: return rng.pick(8) == 0 ? "null" : "\(rng.pick(100))"
    case 1: return rng.pick(4) == 0 ? "\(rng.pick(100)).5" : "\(rng.pick(100))"
    case 2: return ["\"x\"", "\"y\"", "null"][rng.pick(3)]
    case 3:
        if depth > 1 { return "{}" }
        var members: [String] = []
        for key in ["p", "q", "r"] where rng.pick(2) == 0 {
            members.append("\"\(key)\":" + randomValue(&rng, rare ? rng.pick(9) : 0, noise: noise, depth: depth + 1))
        }
        return "{" + members.joined(separator: ",") + "}"
    case 4:
        let count = rng.pick(3)
        let kind = rare ? rng.pick(9) : 1
        return "[" + (0..<count).map { _ in randomValue(&rng, kind, noise: noise, depth: depth + 1) }.joined(separator: ",") + "]"
    case 5:
        let count = rng.pick(8)
        return "{" + (0..<count).map { _ in "\"k\(rng.pick(12))\":" + (rare ? "\"v\"" : "\(rng.pick(9))") }.joined(separator: ",") + "}"
    case 6: return rare ? timestamps[rng.pick(timestamps.count)] : timestamps[rng.pick(2)]
    case 7: return rng.pick(2) == 0 ? "[]" : "{}"
    default: return "\"s\(rng.pick(5))\""
    }
}
