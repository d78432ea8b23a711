import Foundation
import QuireCore

/// A search to try instead of one that matched nothing: the same query with
/// one restriction loosened, and how many papers it finds.
public struct SearchSuggestion: Sendable, Equatable {
    /// What was loosened, for the reader: "without the filters".
    public var change: String
    public var query: SearchQuery
    public var total: Int
}

extension SearchService {
    /// When a query matches nothing, the loosened forms of it that do match:
    /// without its filters, without its exclusions, with its phrases as plain
    /// words, or with one word fewer. Each is a real search, so "finds 12
    /// papers" is true; they cost searches only when the answer was empty.
    public func suggestions(for query: SearchQuery, limit: Int = 3) async throws -> [SearchSuggestion] {
        var candidates: [(String, SearchQuery)] = []
        if query.hasTerms && !query.filters.isEmpty {
            var loosened = query
            loosened.filters = SearchFilters()
            candidates.append(("without the filters", loosened))
        }
        if !query.excluded.isEmpty {
            var loosened = query
            loosened.excluded = []
            candidates.append(("without the exclusions", loosened))
        }
        if !query.phrases.isEmpty {
            var loosened = query
            loosened.words += loosened.phrases.flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
            loosened.phrases = []
            candidates.append(("with the phrases as words", loosened))
        }
        if query.words.count > 1 && query.words.count <= 8 {
            for index in query.words.indices {
                var loosened = query
                let dropped = loosened.words.remove(at: index)
                candidates.append(("without “\(dropped)”", loosened))
            }
        }
        var found: [SearchSuggestion] = []
        for (change, loosened) in candidates where found.count < limit {
            let total = try await search(loosened, limit: 1).total
            if total > 0 { found.append(SearchSuggestion(change: change, query: loosened, total: total)) }
        }
        return found
    }
}
