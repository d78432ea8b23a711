import ArgumentParser
import Foundation

/// `--public-url` (or `QUIRE_PUBLIC_URL`): the address readers reach Quire at.
/// Every absolute link Quire writes (mail, feeds) starts with it; no link is
/// ever built from a request's `Host` header.
struct PublicURLOption: ParsableArguments {
    @Option(name: .customLong("public-url"),
            help: "The address readers reach Quire at, for links in mail and feeds, e.g. https://papers.example.org (env QUIRE_PUBLIC_URL).")
    var publicURL: String?

    func validate() throws {
        if let given { _ = try Self.checked(given) }
    }

    /// The flag, else the environment; nil when neither is set.
    var given: String? {
        publicURL ?? ProcessInfo.processInfo.environment["QUIRE_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The public URL to use, or `fallback` (and whether it was the fallback).
    func resolve(fallback: String) throws -> (url: String, isFallback: Bool) {
        guard let given else { return (fallback, true) }
        return (try Self.checked(given), false)
    }

    /// An http(s) address with a host and nothing after the path, without a final slash.
    static func checked(_ text: String) throws -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil else {
            throw ValidationError("the public URL must look like https://papers.example.org (http or https, a host, no query), not '\(text.prefix(200))'")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
