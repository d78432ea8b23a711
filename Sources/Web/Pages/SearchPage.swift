import Search

/// `/search?q=`: results with the query kept in the box.
struct SearchPage {
    var query: String
    var hits: [SearchHit]
    var message: String?

    func render() -> String {
        let body: String
        if let message {
            body = "<h1>Search</h1><p class=\"notice\">\(esc(message))</p>"
        } else {
            body = """
            <h1>Results for “\(esc(query))”</h1>
            <p class="meta">\(hits.count) paper\(hits.count == 1 ? "" : "s")</p>
            \(PaperListView.render(hits.map(\.paper), emptyMessage: "No paper matches these words. Try fewer or different words."))
            """
        }
        return Layout.page(title: query.isEmpty ? "Search" : "Search: \(query)", query: query, body: body)
    }
}
