import Foundation
import QuireCore
import Search

/// `/search?q=`: results with the query kept in the box, matched words
/// marked, and sorting, filters and paging as plain links.
struct SearchPage {
    static let pageSize = 25

    var query: String
    var sort: SearchSort = .relevance
    var page = 0
    var results: SearchResults?
    /// Results of this page the reader's mutes hid.
    var muted = 0
    /// Shown when nothing matches (`SearchService.suggestions`).
    var suggestions: [SearchSuggestion] = []
    var message: String?
    var marks = ReaderMarks()
    /// `category=`: results only in these (kept in every link).
    var categories: CategorySelection = .everything
    /// Just saved by "Save this search": say so, and where it went.
    var justSaved = false

    /// "&category=cs.CL&category=cs.LG" for links, "" for every category.
    private var categoryQuery: String {
        categories.isEverything ? "" : "&" + ListCategories.query(categories)
    }

    func render() -> String {
        let saveSearch = Viewer.current.user == nil ? ""
            : justSaved ? "<p class=\"ok\" role=\"status\">Saved to your searches on your <a href=\"/account/digest\">digest page</a>: "
                + "while its alert is on, new matches go into your email digest.</p>"
            : Forms.post("/searches", button: "Save this search", fields: ["q": query, "categories": categories.categories.joined(separator: " ")],
                         style: "save-search", title: "New matches go into your email digest")
        var body = "<h1>Search</h1>"
        if let message {
            body += "<p class=\"notice\">\(esc(message))</p>" + help
        } else if let results {
            let sorts = SearchSort.allCases.map { option in
                option == sort ? "<b>\(option.rawValue)</b>" : "<a href=\"\(link(sort: option, page: 0))\">\(option.rawValue)</a>"
            }.joined(separator: " · ")
            body = """
            <h1>Results for “\(esc(query))”</h1>
            <p class="meta">\(results.total) paper\(results.total == 1 ? "" : "s") · sort by \(sorts)</p>
            \(ListCategories(selection: categories, source: .address).note(showAll: link(sort: sort, page: 0, everyCategory: true)))
            \(FeedsController.feedLinks("/feeds/search?q=\(urlPart(query))\(categoryQuery)"))
            \(saveSearch)
            \(filterLinks(results))
            \(MutedNote.render(muted))
            """
            if results.total == 0 {
                body += "<p class=\"notice\">No papers match.</p>" + suggestionList + help
            } else if results.hits.isEmpty {
                body += "<p class=\"notice\">This page is past the last of the \(results.total) results.</p>"
            } else {
                body += "<ol class=\"papers\">" + results.hits.map(entry).joined(separator: "\n") + "</ol>"
            }
            var pager: [String] = []
            if page > 0 { pager.append("<a rel=\"prev\" href=\"\(link(sort: sort, page: page - 1))\">← Previous</a>") }
            if results.total > (page + 1) * Self.pageSize { pager.append("<a rel=\"next\" href=\"\(link(sort: sort, page: page + 1))\">Next →</a>") }
            if !pager.isEmpty { body += "<div class=\"pager\">\(pager.joined())</div>" }
        }
        let head = results == nil ? "" : FeedsController.discoveryLinks("/feeds/search?q=\(urlPart(query))\(categoryQuery)", title: "Quire search: \(query)")
        return Layout.page(title: query.isEmpty ? "Search" : "Search: \(query)", query: query, head: head, body: body)
    }

    /// Loosened forms of a query that matched nothing, with what each finds;
    /// without any, the reader is told what else to try.
    private var suggestionList: String {
        guard !suggestions.isEmpty else {
            return "<p class=\"suggestion\">Try fewer or other words, an author's full name, or describe the idea in your own words.</p>"
        }
        let items = suggestions.map { suggestion in
            let text = suggestion.query.typed
            return "<li><a href=\"\(link(sort: sort, page: 0, query: text))\">\(esc(text))</a> (\(esc(suggestion.change))): "
                + "\(suggestion.total) paper\(suggestion.total == 1 ? "" : "s")</li>"
        }
        return "<p class=\"suggestion\">Did you mean:</p><ul class=\"suggestions\">\(items.joined())</ul>"
    }

    private var help: String {
        """
        <p class="explain">Describe what you are looking for in your own words, give a few words of a title, or paste an arXiv link.
        Narrow with <code>"exact phrase"</code>, <code>-word</code>, <code>author:name</code>, <code>cat:cs.CL</code>, <code>org:name</code>,
        <code>after:2025-01-01</code>, <code>before:2025-12-31</code>.</p>
        """
    }

    private func link(sort: SearchSort, page: Int, query text: String? = nil, everyCategory: Bool = false) -> String {
        var link = "/search?q=\(urlPart(text ?? query))"
        if sort != .relevance { link += "&sort=\(sort.rawValue)" }
        if page > 0 { link += "&p=\(page)" }
        return link + (everyCategory ? "" : categoryQuery)
    }

    /// "Narrow to" links: the commonest categories and organizations among the results.
    private func filterLinks(_ results: SearchResults) -> String {
        func top(_ values: [String], _ n: Int) -> [String] {
            Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +).sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(n).map(\.key)
        }
        let categories = query.contains("cat:") ? [] : top(results.hits.compactMap { $0.paper.categories.first }, 4).map { ("cat:" + $0, $0) }
        let organizations = query.contains("org:") ? [] : top(results.hits.compactMap(\.paper.organization), 3)
            .map { ("org:" + $0.replacingOccurrences(of: " ", with: "_"), $0) }
        let links = (categories + organizations).map { "<a href=\"\(link(sort: sort, page: 0, query: query + " " + $0.0))\">\(esc($0.1))</a>" }
        return links.isEmpty ? "" : "<p class=\"meta periods\">Narrow to: \(links.joined(separator: " "))</p>"
    }

    private func entry(_ hit: SearchHit) -> String {
        func marked(_ spans: [HighlightSpan]) -> String {
            spans.map { $0.highlighted ? "<mark>\(esc($0.text))</mark>" : esc($0.text) }.joined()
        }
        var paper = hit.paper
        // Cut the abstract's spans to an excerpt, keeping the marks.
        var summary: [HighlightSpan] = []
        var length = 0
        for span in hit.highlightedSummary where length < 300 {
            summary.append(span); length += span.text.count
        }
        paper.abstract = ""
        var html = PaperListView.entry(paper, marks: marks)
        html = html.replacingOccurrences(of: ">\(esc(paper.title))</a></h2>", with: ">\(marked(hit.highlightedTitle))</a></h2>")
        html = html.replacingOccurrences(of: "<p class=\"abstract\"></p>", with: "<p class=\"abstract\">\(marked(summary))\(length >= 300 ? "…" : "")</p>")
        return html
    }
}
