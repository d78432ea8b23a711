/// Why a reader's papers cannot be ranked. The model needs at least one liked
/// paper that has a vector; anything less would rank papers by chance.
public enum RecommendationError: Error, Equatable, CustomStringConvertible {
    /// The profile likes nothing.
    case noLikedPapers
    /// None of the liked ids is a paper with a vector (listed, as given).
    case unknownLikedPapers([String])

    public var description: String {
        switch self {
        case .noLikedPapers:
            return "no liked papers: like at least one paper to get recommendations"
        case .unknownLikedPapers(let ids):
            let shown = ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", …" : "")
            return "none of the liked papers is in the database (or has a vector yet): \(shown)"
        }
    }
}
