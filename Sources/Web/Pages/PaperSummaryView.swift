import MathMarkup
import QuireCore

/// A paper's summary and keyphrases (`Paper.summary`, made by Quire's model):
/// on lists one line of summary and the keyphrases as small chips, each a
/// search for that phrase; on the paper page the whole summary. TeX in the
/// summary shows as math, as in the abstract. Nothing before one is made.
enum PaperSummaryView {
    /// Under a list entry's abstract: the summary cut to one line by the
    /// page's style (the whole of it in the tooltip), then the chips.
    static func listLines(_ paper: Paper) -> String {
        guard let summary = paper.summary else { return "" }
        let line = summary.text.isEmpty ? "" : """

            <p class="ai-summary" title="\(esc(summary.text))"><span class="ai-label">In short</span> \(MathMarkup.html(summary.text))</p>
            """
        return line + chips(summary.keyphrases)
    }

    /// Above the paper page's abstract.
    static func block(_ paper: Paper) -> String {
        guard let summary = paper.summary else { return "" }
        let text = summary.text.isEmpty ? "" : "<p class=\"ai-summary full\"><span class=\"ai-label\">In short</span> \(MathMarkup.html(summary.text))</p>"
        return """
        <section class="summary" aria-label="Summary and keyphrases picked by Quire's model">\(text)\(chips(summary.keyphrases))</section>
        """
    }

    static func chips(_ keyphrases: [String]) -> String {
        guard !keyphrases.isEmpty else { return "" }
        let items = keyphrases.map { "<li><a href=\"/search?q=\(urlPart("\"\($0)\""))\">\(esc($0))</a></li>" }
        return "\n<ul class=\"keyphrases\" aria-label=\"Keyphrases\">\(items.joined())</ul>"
    }
}
