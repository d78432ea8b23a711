import Foundation

/// Why a paper was picked, in the reader's own terms: the one to three of
/// their positive papers it is closest to by vector, and the title words it
/// shares with those.
extension Recommender {
    /// For each pick, the positives closest to it, closest first: always the
    /// nearest, and up to `limit` in all of those nearly as near (within
    /// `margin` of its cosine similarity), so a pick close to one paper names
    /// one and a pick between two interests names both.
    public func closestPositives(to picks: [String], among positives: [String], limit: Int = 3,
                                 margin: Float = 0.05) -> [String: [String]] {
        let dimension = index.dimension
        return index.withVectors { _, rows, matrix in
            let positiveRows = positives.compactMap { id in rows[id].map { (id, $0) } }
            var reasons: [String: [String]] = [:]
            for pick in picks {
                guard let row = rows[pick], !positiveRows.isEmpty else { continue }
                let similarities = positiveRows.map { positive -> (id: String, similarity: Float) in
                    var dot: Float = 0
                    for j in 0..<dimension { dot += matrix[row * dimension + j] * matrix[positive.1 * dimension + j] }
                    return (positive.0, dot)
                }.sorted { ($0.similarity, $1.id) > ($1.similarity, $0.id) }
                guard let nearest = similarities.first else { continue }
                reasons[pick] = similarities.prefix(max(limit, 1)).filter { $0.similarity >= nearest.similarity - margin }.map(\.id)
            }
            return reasons
        }
    }
}

/// The words of titles a reason can name: lower-cased, without stop words
/// and words too short or too common in paper titles to say anything.
public enum TitleWords {
    public static func words(_ title: String) -> [String] {
        var seen = Set<String>(), words: [String] = []
        for word in title.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }) {
            let word = String(word).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
            guard word.count >= 3, !stopWords.contains(word), !word.allSatisfy(\.isNumber), seen.insert(word).inserted else { continue }
            words.append(word)
        }
        return words
    }

    /// Up to `limit` words of `title` that one of `others` has too, in the title's order.
    public static func shared(_ title: String, with others: [String], limit: Int = 3) -> [String] {
        let theirs = Set(others.flatMap(words))
        return Array(words(title).filter(theirs.contains).prefix(limit))
    }

    static let stopWords: Set<String> = [
        "a", "about", "above", "across", "after", "against", "all", "also", "among", "an", "and", "any", "are", "as", "at",
        "be", "been", "before", "being", "beyond", "both", "but", "by", "can", "could", "do", "does", "during", "each",
        "for", "from", "has", "have", "how", "if", "in", "into", "is", "it", "its", "just", "less", "more", "most", "new",
        "no", "not", "of", "on", "one", "only", "or", "other", "our", "out", "over", "own", "same", "should", "so", "some",
        "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
        "too", "toward", "towards", "two", "under", "until", "up", "using", "use", "very", "via", "vs", "versus", "was",
        "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "within", "without", "you",
        "your", "based", "approach", "paper", "study", "method", "methods", "via", "make", "makes", "made", "way", "ways",
        "better", "good", "improving", "improved", "improve", "efficient", "effective", "simple", "novel", "toward",
    ]
}
