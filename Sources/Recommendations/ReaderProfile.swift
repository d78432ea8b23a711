import Foundation

/// What a reader's model is trained from: the papers they liked and disliked
/// (paper ids), and the papers they showed a weaker interest in (opened,
/// by an author they follow). One line of `quire recommend --profiles`:
/// `{"_id": "...", "liked": ["paper id", ...], "disliked": ["paper id", ...]}`,
/// with `"weakly_liked": [...]` optional.
public struct ReaderProfile: Sendable, Equatable {
    /// A weak positive counts for this much of a like in training: it says
    /// something (the reader looked, or follows the author) but less than a
    /// click that says "I like this".
    public static let weakWeight: Float = 0.25

    public var id: String
    public var liked: [String]
    public var disliked: [String]
    /// Positives with `weakWeight`; they never train a model alone (`liked` must not be empty).
    public var weaklyLiked: [String]

    public init(id: String, liked: [String], disliked: [String] = [], weaklyLiked: [String] = []) {
        self.id = id
        self.liked = liked
        self.disliked = disliked
        self.weaklyLiked = weaklyLiked
    }
}

/// Why a profile line was refused, said so that the line can be fixed.
public struct ProfileLineError: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension ReaderProfile {
    /// One JSON line as a profile. `_id` is a string (a number is taken as its
    /// text, as `quire search --queries` does); `liked` is required (it may be
    /// empty here: the recommender says why that cannot be ranked) and
    /// `disliked` and `weakly_liked` are optional; all are arrays of strings.
    public static func parse(jsonLine line: some StringProtocol) throws(ProfileLineError) -> ReaderProfile {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ProfileLineError(reason: "expected a JSON object {\"_id\": ..., \"liked\": [...], \"disliked\": [...]}")
            }
            object = parsed
        } catch let error as ProfileLineError {
            throw error
        } catch {
            throw ProfileLineError(reason: "not valid JSON")
        }
        let id: String
        switch object["_id"] {
        case let text as String: id = text
        case let number as NSNumber: id = number.stringValue
        case nil: throw ProfileLineError(reason: "missing field `_id`")
        default: throw ProfileLineError(reason: "field `_id`: expected a string")
        }
        guard let liked = object["liked"] else { throw ProfileLineError(reason: "missing field `liked`") }
        return ReaderProfile(id: id, liked: try paperIDs(liked, field: "liked"),
                             disliked: try object["disliked"].map { v throws(ProfileLineError) in try paperIDs(v, field: "disliked") } ?? [],
                             weaklyLiked: try object["weakly_liked"].map { v throws(ProfileLineError) in try paperIDs(v, field: "weakly_liked") } ?? [])
    }

    private static func paperIDs(_ value: Any, field: String) throws(ProfileLineError) -> [String] {
        guard let array = value as? [Any] else { throw ProfileLineError(reason: "field `\(field)`: expected an array of paper ids") }
        var ids: [String] = []
        for (position, item) in array.enumerated() {
            guard let text = item as? String else {
                throw ProfileLineError(reason: "field `\(field)`: element \(position + 1) is not a string")
            }
            ids.append(text)
        }
        return ids
    }
}
