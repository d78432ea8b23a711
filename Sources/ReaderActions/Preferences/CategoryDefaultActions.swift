import QuireCore
import Storage

/// A reader's default categories: the arXiv categories their list pages
/// (home, day, week, month, trending) show when the address names none.
public struct CategoryDefaultActions: Sendable {
    /// Enough for a few fields and their neighbours; a list narrowed to more
    /// is nearly the whole list.
    public static let maxCategories = 20

    let store: any DigestStore

    public init(store: any DigestStore) { self.store = store }

    /// The reader's defaults; `everything` for nobody or none set.
    public func defaults(for user: User?) async throws -> CategorySelection {
        guard let user else { return .everything }
        // Stored values were checked when set; one the taxonomy no longer
        // knows is skipped rather than breaking every list page.
        let stored = try await store.defaultCategories(userID: user.id).filter { ArxivCategories.canonical($0) != nil }
        return (try? CategorySelection(parsing: stored)) ?? .everything
    }

    /// Sets them from what the reader typed: categories or archives
    /// separated by spaces or commas ("cs.CL cs.LG, stat.ML"); nothing
    /// typed clears them. An unknown one is refused, saying the valid form.
    @discardableResult
    public func set(_ text: String, for user: User) async throws -> CategorySelection {
        let values = text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        let selection: CategorySelection
        do { selection = try CategorySelection(parsing: values) } catch { throw Refusal.invalid(error.message) }
        guard selection.categories.count <= Self.maxCategories else {
            throw Refusal.invalid("Choose at most \(Self.maxCategories) categories (an archive such as cs counts once and holds all of its own).")
        }
        try await store.setDefaultCategories(selection.categories, userID: user.id)
        return selection
    }
}
