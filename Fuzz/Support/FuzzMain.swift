// The libFuzzer entry points shared by every Floe fuzz target. Each target executable is this
// file plus one file of Fuzz/Targets defining `enum FuzzTarget` with
//   static func run(_ data: [UInt8])                 — one input; must never trap
//   static func seeds(from files: [String]) -> [[UInt8]]   — initial inputs
// Built by scripts/fuzz.sh (see Fuzz/README.md).
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func floeFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.run(bytes)
    return 0
}

/// With FLOE_FUZZ_SEED_DIR set, writes the target's seeds there (made from the files listed,
/// one per line, in FLOE_FUZZ_SEED_LIST) and exits instead of fuzzing.
@_cdecl("LLVMFuzzerInitialize")
public func floeFuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?,
                               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    guard let dirC = getenv("FLOE_FUZZ_SEED_DIR") else { return 0 }
    let dir = String(cString: dirC)
    var files: [String] = []
    if let listC = getenv("FLOE_FUZZ_SEED_LIST"), let text = FuzzIO.read(String(cString: listC)) {
        files = String(decoding: text, as: UTF8.self).split(separator: "\n").map(String.init)
    }
    let seeds = FuzzTarget.seeds(from: files)
    for (i, seed) in seeds.enumerated() {
        FuzzIO.write(seed, to: dir + "/seed-" + String(i))
    }
    print("wrote \(seeds.count) seeds to \(dir)")
    exit(0)
}

/// Small file helpers (no Foundation).
enum FuzzIO {
    static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    static func write(_ bytes: [UInt8], to path: String) {
        guard let f = fopen(path, "wb") else { return }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    /// A per-process scratch path for targets that need a file.
    static let scratchPath = "/tmp/floe-fuzz-\(getpid()).parquet"
}

/// A little-endian reader over the head of a fuzz input (missing bytes read as 0).
struct FuzzHeader {
    let bytes: [UInt8]
    var position = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }

    mutating func u16() -> Int { Int(byte()) | Int(byte()) << 8 }
    mutating func u32() -> Int { u16() | u16() << 16 }

    /// Everything after the header.
    var rest: [UInt8] { position < bytes.count ? Array(bytes[position...]) : [] }
}
