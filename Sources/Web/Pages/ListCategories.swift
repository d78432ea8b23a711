import QuireCore

/// The categories a list page shows, and where that choice came from: the
/// address (`category=`, `category=all`) or the signed-in reader's default
/// categories (set on `/account`, used when the address names none).
struct ListCategories {
    enum Source { case everything, address, readerDefaults }

    var selection: CategorySelection
    var source: Source

    static let everything = ListCategories(selection: .everything, source: .everything)

    /// `category=` when given; else the reader's defaults (none for nobody).
    static func choose(fromAddress given: CategorySelection?, readerDefaults: CategorySelection) -> ListCategories {
        if let given { return ListCategories(selection: given, source: .address) }
        return readerDefaults.isEverything ? .everything : ListCategories(selection: readerDefaults, source: .readerDefaults)
    }

    /// What links to other pages of the same list carry so they stay narrowed
    /// the same way ("" when defaults apply: they apply there too; "category=all"
    /// when the reader set theirs aside).
    var query: String {
        switch source {
        case .everything, .readerDefaults: ""
        case .address: selection.isEverything ? "category=all" : Self.query(selection)
        }
    }

    static func query(_ selection: CategorySelection) -> String {
        selection.categories.map { "category=" + urlPart($0) }.joined(separator: "&")
    }

    /// `path` with this choice's query, and `more` (e.g. "p=2") after it.
    func link(_ path: String, _ more: String? = nil) -> String {
        let parts = [query, more ?? ""].filter { !$0.isEmpty }
        return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
    }

    /// "Showing cs.CL, cs.LG — show all" above a narrowed list, linking each
    /// category to its own page; nothing above a whole one. On a list page
    /// "show all" is `path?category=all`, which sets a reader's defaults aside.
    func note(path: String) -> String {
        note(showAll: path + "?category=all")
    }

    func note(showAll href: String) -> String {
        guard !selection.isEverything else { return "" }
        let names = selection.categories.map(CategoryBadge.link).joined()
        let whose = source == .readerDefaults ? " (your <a href=\"/account#categories\">default categories</a>)" : ""
        return "<p class=\"notice categories\">Showing \(names)\(whose) — <a href=\"\(esc(href))\">show all</a></p>"
    }
}

/// A category as a badge that links to its page (`/categories/cs.CL`); a
/// category outside arXiv's taxonomy stays a plain badge.
enum CategoryBadge {
    static func link(_ category: String) -> String {
        guard let known = ArxivCategories.canonical(category) else { return "<span class=\"badge\">\(esc(category))</span>" }
        return "<a class=\"badge\" href=\"/categories/\(urlPart(known))\">\(esc(category))</a>"
    }
}
