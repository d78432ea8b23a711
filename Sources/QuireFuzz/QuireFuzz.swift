import Foundation
import FuzzTargets

// The libFuzzer shell around `FuzzTargets`: `scripts/fuzz.sh` builds this
// with `-sanitize=fuzzer -DQUIRE_FUZZER` and picks the target with the
// environment variable QUIRE_FUZZ_TARGET. Without those flags (a plain
// `swift build`) it is a replayer: `QuireFuzz TARGET FILE...` runs files
// through a target, which is how a crash input is debugged.

#if QUIRE_FUZZER
nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    if selected == nil {
        let name = ProcessInfo.processInfo.environment["QUIRE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget.named(name) else {
            let names = FuzzTarget.all.map(\.name).joined(separator: " ")
            fatalError("set QUIRE_FUZZ_TARGET to one of: \(names)")
        }
        selected = target
    }
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    do { try selected?.run(bytes) } catch {
        fatalError("\(selected?.name ?? "?"): \(error)")
    }
    return 0
}
#else
@main struct QuireFuzz {
    static func main() throws {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzTarget.named(name) else {
            print("usage: QuireFuzz TARGET FILE...  (targets: \(FuzzTarget.all.map(\.name).joined(separator: " ")))")
            exit(2)
        }
        for path in args.dropFirst() {
            try target.run(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            print("\(path): ok")
        }
    }
}
#endif
