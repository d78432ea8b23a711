import Foundation
import FuzzTargets

// The libFuzzer shell around `FuzzTargets`. `scripts/fuzz.sh` builds it with
// `-sanitize=fuzzer -DQUIRE_FUZZER` and picks the target with the
// environment variable QUIRE_FUZZ_TARGET; `main` then hands control to
// libFuzzer's driver (SwiftPM links executables with their own entry point,
// so libFuzzer's `main` cannot be used). Without those flags (a plain
// `swift build`) it is a replayer: `QuireFuzz TARGET FILE...` runs files
// through a target, which is how a crash input is debugged.

#if QUIRE_FUZZER
/// libFuzzer's entry point for programs that have their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

nonisolated(unsafe) private var selected: FuzzTarget?

@main struct QuireFuzz {
    static func main() {
        let name = ProcessInfo.processInfo.environment["QUIRE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget.named(name) else {
            print("set QUIRE_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: " "))")
            exit(2)
        }
        selected = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}

/// One input. Exported under libFuzzer's usual name too, which the linker
/// looks for when it pulls in libFuzzer's own `main`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
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
