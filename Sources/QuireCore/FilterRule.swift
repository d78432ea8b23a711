import Foundation

/// What the search filters `author:`, `org:` and `cat:` match: the one
/// definition for every path a search takes. A search of filters alone is
/// answered by the store (SQL over the author, organization and category
/// tables); a search with words ranks papers first and then checks each one
/// (`SearchFilters.accepts`). Both read their patterns and comparisons from
/// here, so `author:x` and `author:x words` find the same papers
/// (`SearchFilterPathTests` holds them to it).
public enum FilterRule {
    /// How an `author:` or `org:` value finds names. Names are compared by
    /// slug (`Slug`: lower case, accents and punctuation gone), so "Yann LeCun",
    /// "yann_lecun", "LeCun" and "lecun" all find "Yann LeCun", "Balazs" finds
    /// "Balázs" and "S C He" finds "S. C. He": readers paste a name as they
    /// saw it or type part of it, and neither should depend on the spelling
    /// one paper used.
    public enum NamePattern: Equatable, Sendable {
        /// A name matches when its slug contains this one.
        case slugContaining(String)
        /// A value with no Latin letter or digit ("王小明") has no slug to
        /// search inside; it finds the name whose stable slug (`Slug.stable`,
        /// a hash of the text) is the same: that name exactly.
        case stableSlug(String)
    }

    public static func namePattern(_ value: String) -> NamePattern {
        let slug = Slug.make(value)
        return slug.isEmpty ? .stableSlug(Slug.stable(value)) : .slugContaining(slug)
    }

    /// Whether a name (an author as a paper spells it, an organization)
    /// matches. The store keeps `Slug.stable(name)` for every author and
    /// organization, so its SQL compares the same two slugs.
    public static func name(_ name: String, matches pattern: NamePattern) -> Bool {
        switch pattern {
        case .slugContaining(let slug): Slug.stable(name).contains(slug)
        case .stableSlug(let slug): Slug.stable(name) == slug
        }
    }

    /// A `cat:` value as it is compared: lower case, ASCII letters only (what
    /// SQLite's `lower()` does too; arXiv categories are ASCII).
    public static func categoryPattern(_ value: String) -> String { asciiLowercased(value) }

    /// "cs" matches cs and every cs.* category ("cs.CL", "cs.CV"); "cs.CL"
    /// matches cs.CL only (not "cs.CLX"); both without case.
    public static func category(_ category: String, matches pattern: String) -> Bool {
        // Compared as bytes, as SQLite compares text.
        let lower = asciiLowercased(category).utf8
        return lower.elementsEqual(pattern.utf8) || lower.starts(with: (pattern + ".").utf8)
    }

    private static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
