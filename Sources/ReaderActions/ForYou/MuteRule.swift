import Foundation
import QuireCore
import Storage

/// Which papers a reader's mutes hide: a muted word or phrase in the title
/// or abstract (whole words, in order, ignoring case and accents), a muted
/// author among the paper's (by slug, as author pages match), or a muted
/// category or archive ("cs" mutes every cs.* category) among its categories.
public struct MuteRule: Sendable {
    let phrases: [[Substring]]
    let authors: Set<String>
    let categories: [String]

    public init(_ mutes: [Mute]) {
        phrases = mutes.filter { $0.kind == .phrase }.map { Self.words($0.value) }.filter { !$0.isEmpty }
        authors = Set(mutes.filter { $0.kind == .author }.map(\.value))
        categories = mutes.filter { $0.kind == .category }.map { FilterRule.categoryPattern($0.value) }
    }

    public var isEmpty: Bool { phrases.isEmpty && authors.isEmpty && categories.isEmpty }

    public func hides(_ paper: Paper) -> Bool {
        if isEmpty { return false }
        if !categories.isEmpty, paper.categories.contains(where: { category in categories.contains { FilterRule.category(category, matches: $0) } }) {
            return true
        }
        if !authors.isEmpty, paper.authors.contains(where: { authors.contains(Slug.stable($0)) }) { return true }
        if !phrases.isEmpty {
            for text in [paper.title, paper.abstract] {
                let words = Self.words(text)
                if phrases.contains(where: { Self.contains(words, $0) }) { return true }
            }
        }
        return false
    }

    /// The papers the mutes leave.
    public func filter(_ papers: [Paper]) -> [Paper] { isEmpty ? papers : papers.filter { !hides($0) } }

    /// Lowercased words without accents: "Diffusion-based" → ["diffusion", "based"].
    static func words(_ text: String) -> [Substring] {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
        return folded.split { !$0.isLetter && !$0.isNumber }
    }

    static func contains(_ words: [Substring], _ phrase: [Substring]) -> Bool {
        guard let first = phrase.first, words.count >= phrase.count else { return false }
        for start in 0...(words.count - phrase.count) where words[start] == first {
            if zip(words[start...], phrase).allSatisfy({ $0 == $1 }) { return true }
        }
        return false
    }
}
