import Foundation
import Testing
import FuzzTargets

/// Replays every input the fuzzers found a bug with (fuzz/regressions/<target>/)
/// and every committed seed (fuzz/corpus/<target>/) through the same target
/// functions libFuzzer runs, so a fixed crash stays fixed in `swift test`.
@Suite struct FuzzRegressionTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func inputs(_ folder: String, _ target: String) -> [URL] {
        let dir = repoRoot.appendingPathComponent("fuzz/\(folder)/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func replay(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let files = Self.inputs("regressions", name) + Self.inputs("corpus", name)
        #expect(!Self.inputs("corpus", name).isEmpty, "every target has committed seeds")
        for file in files {
            let bytes = Array(try Data(contentsOf: file))
            #expect(throws: Never.self, "\(file.lastPathComponent)") { try target.run(bytes) }
        }
    }

    /// Every folder under fuzz/ names a target, so no input is silently skipped.
    @Test func foldersNameTargets() throws {
        for folder in ["corpus", "regressions"] {
            let dir = Self.repoRoot.appendingPathComponent("fuzz/\(folder)")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
                #expect(FuzzTarget.named(name) != nil, "fuzz/\(folder)/\(name) names no target")
            }
        }
    }
}
