import Foundation

/// Time zones as readers type them into the digest form: any case, spaces
/// for underscores, or just the city.
public enum TimeZoneName {
    /// The identifiers offered as suggestions, UTC first.
    public static let known: [String] = ["UTC"] + TimeZone.knownTimeZoneIdentifiers.filter { $0 != "UTC" }.sorted()

    /// The IANA identifier `text` names ("utc" → "UTC", "europe/paris" →
    /// "Europe/Paris", "new york" → "America/New_York"); nil when it names
    /// none, or a city that several zones share.
    public static func resolve(_ text: String) -> String? {
        let typed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_")
        guard !typed.isEmpty, typed.count <= 64 else { return nil }
        if ["utc", "gmt", "z", "zulu", "universal", "etc/utc"].contains(typed.lowercased()) { return "UTC" }
        func same(_ a: Substring, _ b: String) -> Bool { a.caseInsensitiveCompare(b) == .orderedSame }
        if let exact = known.first(where: { same($0[...], typed) }) { return exact }
        let byCity = known.filter { same($0.split(separator: "/").last ?? "", typed) }
        return byCity.count == 1 ? byCity[0] : nil
    }
}
