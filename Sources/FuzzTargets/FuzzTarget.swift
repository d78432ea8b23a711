import Foundation

/// One fuzz target: a parser of outside input, fed one input at a time.
///
/// `run` must return for every input. Bad input is expected and must end in
/// the parser's own error, which the target catches; a crash, a hang, or a
/// thrown `InvariantViolation` (the parser answered, but wrongly) is a
/// finding. The libFuzzer shell (`QuireFuzz`) and the regression tests
/// (`FuzzRegressionTests`) both run inputs through these same functions.
public struct FuzzTarget: Sendable {
    public let name: String
    public let run: @Sendable ([UInt8]) throws -> Void

    public init(_ name: String, _ run: @escaping @Sendable ([UInt8]) throws -> Void) {
        self.name = name
        self.run = run
    }

    /// Every target, in the order `make fuzz TARGET=all` runs them.
    public static let all: [FuzzTarget] = ImportTargets.all + HarvestTargets.all + TextTargets.all + WebTargets.all

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// A parser accepted an input but broke a promise it makes about its output.
public struct InvariantViolation: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Throws `InvariantViolation` unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw InvariantViolation(message()) }
}

/// Input bytes as text the way the server sees a request or file: invalid
/// UTF-8 is repaired to U+FFFD rather than refused.
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
