import Foundation
import Storage

/// Readers' collections: what a name and a note may be, who sees a
/// collection and who changes it (its owner), and the collection "Save"
/// puts papers in. The store only persists.
public struct CollectionActions: Sendable {
    public static let maxNameLength = 80
    /// A description or a saved paper's note, in characters.
    public static let maxTextLength = 500
    /// Where "Save" puts a paper when the reader names no collection.
    public static let defaultName = "Saved"

    let store: any SignalStore
    let now: @Sendable () -> Date

    public init(store: any SignalStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// A collection name: at most `maxNameLength` characters as sent, not blank; stored trimmed.
    public static func name(_ text: String?) throws -> String {
        guard let name = WrittenText.trimmed(text, within: 1...maxNameLength) else {
            throw Refusal.invalid("a collection needs a name of 1 to \(maxNameLength) characters")
        }
        return name
    }

    /// A description or a saved paper's note: at most `maxTextLength` characters.
    public static func text(_ text: String?, field: String) throws -> String? {
        guard let text else { return nil }
        guard WrittenText.length(text) <= maxTextLength else {
            throw Refusal.invalid("the \(field) can be at most \(maxTextLength) characters; this one has \(WrittenText.length(text))")
        }
        return text
    }

    /// A collection `viewer` may see: public ones, and their own private ones.
    /// Someone else's private collection is not told apart from a missing one.
    public func visible(_ id: Int, to viewer: User?) async throws -> PaperCollection {
        guard let collection = try await store.collection(id: id), collection.isPublic || collection.owner == viewer?.username else {
            throw Refusal.notFound("there is no collection \(id), or it is private")
        }
        return collection
    }

    /// The reader's collection called `name` (checked as `name(_:)`), made private if missing.
    public func named(_ name: String, for user: User) async throws -> PaperCollection {
        let name = try Self.name(name)
        if let existing = try await store.collections(userID: user.id).first(where: { $0.name == name }) { return existing }
        return try await store.createCollection(userID: user.id, name: name, description: "", isPublic: false, now: now())
    }

    public func create(name: String?, description: String?, isPublic: Bool, by user: User) async throws -> PaperCollection {
        try await store.createCollection(userID: user.id, name: Self.name(name), description: Self.text(description, field: "description") ?? "",
                                         isPublic: isPublic, now: now())
    }

    /// The reader's own collection `id`; anyone else's is `.notFound`, as a missing one.
    public func owned(_ id: Int, by user: User) async throws -> PaperCollection {
        guard let collection = try await store.collection(id: id), collection.owner == user.username else {
            throw Refusal.notFound("you have no collection \(id)")
        }
        return collection
    }

    /// Changes the reader's collection `current` (from `owned`); `nil` keeps what it has.
    public func update(_ current: PaperCollection, name: String?, description: String?, isPublic: Bool?) async throws -> PaperCollection {
        try await store.updateCollection(id: current.id, name: Self.name(name ?? current.name),
                                         description: Self.text(description, field: "description") ?? current.description,
                                         isPublic: isPublic ?? current.isPublic)
    }

    public func delete(_ id: Int, by user: User) async throws {
        try await store.deleteCollection(id: owned(id, by: user).id)
    }

    /// Puts a paper in the reader's collection `id`, or changes its note there.
    public func save(_ paperID: String, to id: Int, note: String, by user: User) async throws {
        try await store.saveToCollection(id: owned(id, by: user).id, paperID: paperID, note: note, now: now())
    }

    public func remove(_ paperID: String, from id: Int, by user: User) async throws {
        try await store.removeFromCollection(id: owned(id, by: user).id, paperID: paperID)
    }
}
