import Foundation
import QuireCore

/// What a feed is about: its channel-level metadata.
public struct FeedDescription: Sendable, Equatable {
    public var title: String
    /// The feed's own URL (Atom rel="self", JSON Feed feed_url).
    public var selfURL: String
    /// The HTML page the feed mirrors.
    public var pageURL: String
    /// The server's public base URL without trailing slash; entries link to `\(baseURL)/papers/\(id)`.
    public var baseURL: String
    /// When the feed last changed; the newest paper's date when nil.
    public var updated: Date?
    public var description: String
    /// Names the feed in Atom (`<id>`); the self URL when nil.
    public var id: String?
    /// Largest number of author names written per entry; the rest are summarised.
    public var maxAuthors: Int

    public init(title: String, selfURL: String, pageURL: String, baseURL: String,
                updated: Date? = nil, description: String = "", id: String? = nil, maxAuthors: Int = 20) {
        self.title = title; self.selfURL = selfURL; self.pageURL = pageURL
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.updated = updated; self.description = description; self.id = id; self.maxAuthors = max(1, maxAuthors)
    }
}

public enum FeedFormat: String, Sendable, CaseIterable {
    case rss, atom, json

    public var contentType: String {
        switch self {
        case .rss: "application/rss+xml; charset=utf-8"
        case .atom: "application/atom+xml; charset=utf-8"
        case .json: "application/feed+json; charset=utf-8"
        }
    }

    public var fileExtension: String {
        switch self { case .rss: "rss"; case .atom: "atom"; case .json: "json" }
    }
}

/// Pure functions turning papers into RSS 2.0, Atom 1.0 and JSON Feed 1.1.
public enum FeedRenderer {
    public static func render(_ format: FeedFormat, feed: FeedDescription, papers: [Paper]) -> String {
        switch format {
        case .rss: rss(feed: feed, papers: papers)
        case .atom: atom(feed: feed, papers: papers)
        case .json: jsonFeed(feed: feed, papers: papers)
        }
    }

    // MARK: Entry data shared by the formats

    /// The stable entry id and link: `\(baseURL)/papers/\(id)`.
    public static func paperURL(_ paper: Paper, baseURL: String) -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#"))
        return base + "/papers/" + (paper.id.addingPercentEncoding(withAllowedCharacters: allowed) ?? paper.id)
    }

    /// When the paper appeared: the day it was put on the daily list, else its first submission.
    public static func published(_ paper: Paper) -> Date? {
        paper.dailyDate?.start ?? paper.submittedAt
    }

    /// When the paper last changed as far as a feed reader cares.
    public static func updated(_ paper: Paper) -> Date? {
        [published(paper), paper.updatedAt].compactMap { $0 }.max()
    }

    /// The newest date among the papers (for Last-Modified and the feed's own updated date).
    public static func newestDate(_ papers: [Paper]) -> Date? {
        papers.compactMap(updated).max()
    }

    static func feedUpdated(_ feed: FeedDescription, _ papers: [Paper]) -> Date {
        feed.updated ?? newestDate(papers) ?? Date(timeIntervalSince1970: 0)
    }

    static func authorNames(_ paper: Paper, max limit: Int) -> [String] {
        let names = paper.authors.map(clean).filter { !$0.isEmpty }
        if names.count <= limit { return names }
        return Array(names.prefix(limit)) + ["and \(names.count - limit) more"]
    }

    // MARK: RSS 2.0

    public static func rss(feed: FeedDescription, papers: [Paper]) -> String {
        var x = XMLWriter()
        x.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
        x.raw("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n")
        x.raw("<channel>\n")
        x.element("title", feed.title, indent: 1)
        x.element("link", feed.pageURL, indent: 1)
        x.element("description", feed.description.isEmpty ? feed.title : feed.description, indent: 1)
        x.raw("  <atom:link href=\"\(XMLWriter.escape(feed.selfURL))\" rel=\"self\" type=\"application/rss+xml\"/>\n")
        x.element("lastBuildDate", rfc822(feedUpdated(feed, papers)), indent: 1)
        x.element("generator", "Quire", indent: 1)
        for paper in papers {
            let url = paperURL(paper, baseURL: feed.baseURL)
            x.raw("  <item>\n")
            x.element("title", paper.title, indent: 2)
            x.element("link", url, indent: 2)
            x.raw("    <guid isPermaLink=\"true\">\(XMLWriter.escape(url))</guid>\n")
            // RSS descriptions are HTML: the plain-text abstract is escaped as HTML first.
            x.element("description", HTML.escape(paper.abstract), indent: 2)
            if let date = published(paper) { x.element("pubDate", rfc822(date), indent: 2) }
            for name in authorNames(paper, max: feed.maxAuthors) { x.element("dc:creator", name, indent: 2) }
            for category in paper.categories { x.element("category", category, indent: 2) }
            x.raw("  </item>\n")
        }
        x.raw("</channel>\n</rss>\n")
        return x.output
    }

    // MARK: Atom 1.0

    public static func atom(feed: FeedDescription, papers: [Paper]) -> String {
        let feedUpdated = feedUpdated(feed, papers)
        var x = XMLWriter()
        x.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
        x.raw("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n")
        x.element("id", feed.id ?? feed.selfURL, indent: 1)
        x.element("title", feed.title, indent: 1, attributes: "type=\"text\"")
        if !feed.description.isEmpty { x.element("subtitle", feed.description, indent: 1, attributes: "type=\"text\"") }
        x.element("updated", rfc3339(feedUpdated), indent: 1)
        x.raw("  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(XMLWriter.escape(feed.selfURL))\"/>\n")
        x.raw("  <link rel=\"alternate\" type=\"text/html\" href=\"\(XMLWriter.escape(feed.pageURL))\"/>\n")
        // A feed-level author makes entries without author names valid Atom.
        x.raw("  <author>\n")
        x.element("name", "Quire", indent: 2)
        x.raw("  </author>\n")
        x.element("generator", "Quire", indent: 1)
        for paper in papers {
            let url = paperURL(paper, baseURL: feed.baseURL)
            x.raw("  <entry>\n")
            x.element("id", url, indent: 2)
            x.element("title", paper.title, indent: 2, attributes: "type=\"text\"")
            x.raw("    <link rel=\"alternate\" type=\"text/html\" href=\"\(XMLWriter.escape(url))\"/>\n")
            if let date = published(paper) { x.element("published", rfc3339(date), indent: 2) }
            x.element("updated", rfc3339(updated(paper) ?? feedUpdated), indent: 2)
            for name in authorNames(paper, max: feed.maxAuthors) {
                x.raw("    <author>\n")
                x.element("name", name, indent: 3)
                x.raw("    </author>\n")
            }
            for category in paper.categories {
                x.raw("    <category term=\"\(XMLWriter.escape(category))\"/>\n")
            }
            x.element("summary", paper.abstract, indent: 2, attributes: "type=\"text\"")
            x.raw("  </entry>\n")
        }
        x.raw("</feed>\n")
        return x.output
    }

    // MARK: JSON Feed 1.1

    public static func jsonFeed(feed: FeedDescription, papers: [Paper]) -> String {
        struct Author: Encodable { var name: String }
        struct Item: Encodable {
            var id: String
            var url: String
            var title: String
            var content_text: String
            var summary: String?
            var date_published: String?
            var date_modified: String?
            var authors: [Author]?
            var tags: [String]?
        }
        struct Feed: Encodable {
            var version = "https://jsonfeed.org/version/1.1"
            var title: String
            var home_page_url: String
            var feed_url: String
            var description: String?
            var authors: [Author]
            var items: [Item]
        }
        let items = papers.map { paper -> Item in
            let url = paperURL(paper, baseURL: feed.baseURL)
            let names = authorNames(paper, max: feed.maxAuthors)
            let categories = paper.categories.map(clean)
            return Item(
                id: url, url: url, title: clean(paper.title), content_text: clean(paper.abstract),
                summary: nil,
                date_published: published(paper).map(rfc3339),
                date_modified: updated(paper).map(rfc3339),
                authors: names.isEmpty ? nil : names.map { Author(name: $0) },
                tags: categories.isEmpty ? nil : categories)
        }
        let document = Feed(
            title: clean(feed.title), home_page_url: feed.pageURL, feed_url: feed.selfURL,
            description: feed.description.isEmpty ? nil : clean(feed.description),
            authors: [Author(name: "Quire")], items: items)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: Text

    /// Removes what must not appear in XML 1.0 (C0 controls but tab, newline and
    /// carriage return; U+FFFE, U+FFFF) and what is discouraged (DEL, C1 controls).
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnwanted) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isUnwanted($0) }))
    }

    static func isUnwanted(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
        return (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF
    }

    // MARK: Dates

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func four(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 822 (as updated by RFC 1123) for RSS: "Mon, 10 Mar 2025 00:00:00 +0000".
    public static func rfc822(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        return "\(weekdays[c.weekday! - 1]), \(two(c.day!)) \(months[c.month! - 1]) \(four(c.year!)) "
            + "\(two(c.hour!)):\(two(c.minute!)):\(two(c.second!)) +0000"
    }

    /// RFC 3339 in UTC for Atom and JSON Feed: "2025-03-10T00:00:00Z".
    public static func rfc3339(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return "\(four(c.year!))-\(two(c.month!))-\(two(c.day!))T\(two(c.hour!)):\(two(c.minute!)):\(two(c.second!))Z"
    }

    /// The HTTP date (RFC 9110 IMF-fixdate): "Mon, 10 Mar 2025 00:00:00 GMT".
    public static func httpDate(_ date: Date) -> String {
        String(rfc822(date).dropLast(5)) + "GMT"
    }
}

/// Builds XML text; everything passed as content is cleaned and escaped.
struct XMLWriter {
    var output = ""

    mutating func raw(_ text: String) { output += text }

    mutating func element(_ name: String, _ content: String, indent: Int, attributes: String? = nil) {
        output += String(repeating: "  ", count: indent) + "<" + name
        if let attributes { output += " " + attributes }
        output += ">" + XMLWriter.escape(content) + "</" + name + ">\n"
    }

    /// Escapes for element content and double-quoted attributes, after removing
    /// characters XML cannot carry. A carriage return becomes &#13; so that it
    /// survives XML's line-end normalisation.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars where !FeedRenderer.isUnwanted(ch) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
