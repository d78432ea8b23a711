import Foundation

/// A URL-encoded form body, read leniently (browsers send `+` for spaces)
/// and strictly sized. Public so the form decoder can be fuzzed on its own.
public struct FormFields: Sendable {
    public private(set) var values: [String: String] = [:]
    /// Every name=value pair in the order sent, repeats included: what a
    /// repeatable field (`category=cs.CL&category=cs.LG`) and a cache key read.
    public private(set) var pairs: [(name: String, value: String)] = []

    public init() {}

    public init(urlEncoded body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // A malformed escape (`%` not followed by two hex digits) keeps
            // the text as typed, but `+` is a space either way.
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            pairs.append((key, value))
            // The first value wins: a repeated field cannot override a checked one.
            if values[key] == nil { values[key] = value }
        }
    }

    /// Fields already split (a multipart body's), the first value of a name winning.
    public init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
        for pair in pairs where values[pair.name] == nil { values[pair.name] = pair.value }
    }

    public subscript(_ name: String) -> String? { values[name] }

    /// Every value sent under `name`, in order.
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// The value with surrounding whitespace removed, nil if empty.
    func trimmed(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func flag(_ name: String) -> Bool { ["1", "on", "true", "yes"].contains(values[name]?.lowercased() ?? "") }
}
