import Foundation
import Storage

/// One of a reader's interests, each with a model of its own: by default
/// one, everything they liked; and each collection they made an interest
/// (`InterestActions`), trained on that collection's papers alone.
public struct ReaderInterest: Sendable, Equatable {
    /// How addresses name an interest (`?interest=`): "liked", or the collection's id.
    public enum ID: Hashable, Sendable, CustomStringConvertible {
        case liked
        case collection(Int)

        /// "liked" or a collection id; nil for anything else.
        public init?(_ text: String) {
            if text == "liked" { self = .liked; return }
            guard text.utf8.count <= 18, text.utf8.allSatisfy({ (48...57).contains($0) }), let id = Int(text), id > 0 else { return nil }
            self = .collection(id)
        }

        /// What an address asks for: nil (or "all") for every interest blended,
        /// else one interest; `.invalid` for anything that names none.
        public static func choice(_ text: String?) throws -> ID? {
            guard let text, text != "all" else { return nil }
            guard let id = ID(text) else {
                throw Refusal.invalid("interest must be 'all', 'liked' or the id of a collection you made an interest, not '\(text.prefix(40))'")
            }
            return id
        }

        public var description: String {
            switch self {
            case .liked: "liked"
            case .collection(let id): String(id)
            }
        }
    }

    public var id: ID
    /// "Everything you liked", or the collection's name.
    public var name: String
    /// Its positives, oldest first: the reader's for `.liked`, the collection's papers for a collection.
    public var positiveIDs: [String]

    public static let likedName = "Everything you liked"

    /// Whether it has the positives a model needs (`ForYouFeed.positivesNeeded`):
    /// until then it picks nothing rather than noise, and says how many it has.
    public var isReady: Bool { positiveIDs.count >= ForYouFeed.positivesNeeded }

    public init(id: ID, name: String, positiveIDs: [String]) {
        self.id = id; self.name = name; self.positiveIDs = positiveIDs
    }

    init(_ collection: CollectionInterest) {
        self.init(id: .collection(collection.collectionID), name: collection.name, positiveIDs: collection.paperIDs)
    }
}
