import Foundation
import QuireCore

extension SearchQuery {
    /// The query written out as a reader would type it, so that parsing it
    /// gives this query back: links that change one part of a search (the
    /// suggestions shown when nothing matches) are made from it.
    public var typed: String {
        func quotedIfSpaced(_ value: String) -> String { value.contains(where: \.isWhitespace) ? "\"\(value)\"" : value }
        var parts = words
        parts += phrases.map { "\"\($0)\"" }
        parts += excluded.map { "-" + quotedIfSpaced($0) }
        if let author = filters.author { parts.append("author:" + quotedIfSpaced(author)) }
        if let category = filters.category { parts.append("cat:" + category) }
        if let organization = filters.organization { parts.append("org:" + quotedIfSpaced(organization)) }
        if let after = filters.after { parts.append("after:\(after)") }
        if let before = filters.before { parts.append("before:\(before)") }
        return parts.joined(separator: " ")
    }
}
