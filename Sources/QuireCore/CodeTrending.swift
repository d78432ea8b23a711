import Foundation

/// "Trending code": papers ranked by how many GitHub stars their repository
/// gained lately, the formula stated on the page (`explanation`) as the
/// trending list states its own.
public enum CodeTrending {
    /// Stars gained over this many days.
    public static let windowDays = 7

    public static let explanation =
        "Trending code ranks papers with a GitHub repository by the stars it gained in the last \(windowDays) days "
        + "(its newest count minus its count \(windowDays) days before; a repository first counted within the week counts from then), "
        + "then by its stars in all. Counts are refreshed by quire ingest github."
}

/// A GitHub repository named by a paper's `githubRepo` address:
/// `https://github.com/owner/name` (with or without `www.`, `.git`, a
/// trailing path such as `/tree/main`). Anything else is not one.
public struct GitHubRepository: Hashable, Sendable {
    public let owner: String
    public let name: String

    public init?(address: String) {
        guard let components = URLComponents(string: address.trimmingCharacters(in: .whitespaces)),
              components.scheme?.lowercased() == "https" || components.scheme?.lowercased() == "http",
              let host = components.host?.lowercased(), host == "github.com" || host == "www.github.com" else { return nil }
        let parts = components.path.split(separator: "/").map(String.init)
        guard parts.count >= 2 else { return nil }
        var name = parts[1]
        if name.lowercased().hasSuffix(".git") { name = String(name.dropLast(4)) }
        // GitHub's own rules: letters, digits, '-', '_' and '.'; never "." or "..".
        let allowed = { (text: String) in
            !text.isEmpty && text.count <= 100 && text != "." && text != ".."
                && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
        }
        guard allowed(parts[0]), allowed(name) else { return nil }
        owner = parts[0]; self.name = name
    }

    /// "owner/name".
    public var fullName: String { "\(owner)/\(name)" }
}
