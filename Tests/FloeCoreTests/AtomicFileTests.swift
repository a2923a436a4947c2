#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import FloeCore

/// Files appear under their names only when committed; sealed ones wait closed.
@Suite struct AtomicFileTests {
    static func directory(_ name: String) -> String {
        let path = "/tmp/floe-atomic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
        _ = mkdir(path, 0o755)
        return path
    }

    @Test func aSealedFileWaitsUnderItsTemporaryName() throws {
        let dir = Self.directory("seal")
        let file = try AtomicFile(path: dir + "/a.bin")
        try file.write([1, 2, 3])
        try file.seal()
        #expect(!FileSystem.exists(dir + "/a.bin") && FileSystem.exists(file.temporaryPath))
        #expect(throws: FloeError.self) { try file.write([4]) }
        try file.commit()
        try file.commit()  // once is enough; again does nothing
        #expect(FileSystem.exists(dir + "/a.bin") && !FileSystem.exists(file.temporaryPath))
        let back = try RandomAccessFile(path: dir + "/a.bin")
        #expect(try back.read(offset: 0, count: back.size) == [1, 2, 3])
    }

    @Test func aDroppedFileLeavesNothing() throws {
        let dir = Self.directory("drop")
        var temporary = ""
        do {
            let file = try AtomicFile(path: dir + "/b.bin")
            try file.write([9])
            try file.seal()
            temporary = file.temporaryPath
            #expect(FileSystem.exists(temporary))
        }
        #expect(!FileSystem.exists(temporary) && !FileSystem.exists(dir + "/b.bin"))
    }

    @Test func canonicalPathsNameTheSameFile() throws {
        let dir = Self.directory("paths")
        let file = try AtomicFile(path: dir + "/c.bin")
        try file.commit()
        #expect(FileSystem.sameFile(dir + "/c.bin", dir + "/./c.bin"))
        #expect(FileSystem.sameFile(dir + "/missing.bin", dir + "/../" + String(dir.split(separator: "/").last!) + "/missing.bin"))
        #expect(!FileSystem.sameFile(dir + "/c.bin", dir + "/missing.bin"))
        #expect(FileSystem.canonicalPath(dir + "/nope/x") == nil)
        #expect(FileSystem.raiseOpenFileLimit() >= 64)
    }
}
