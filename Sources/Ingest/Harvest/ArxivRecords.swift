import Foundation
import QuireCore

/// Turns the records of arXiv's API, OAI-PMH interface and announcement feed
/// into `Paper`s, cleaning text the same way for every source so that the same
/// paper seen twice compares equal.
enum HarvestText {
    static func title(_ raw: String) -> String { TeXAccents.clean(Whitespace.fold(raw)) }
    static func name(_ raw: String) -> String { TeXAccents.clean(Whitespace.fold(raw)) }
    static func abstract(_ raw: String) -> String { TeXAccents.decodeAccents(Whitespace.fold(raw)) }
    static func optional(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let folded = Whitespace.fold(raw)
        return folded.isEmpty ? nil : folded
    }

    /// Categories with the primary first and no repeats.
    static func categories(primary: String?, all: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for c in ([primary].compactMap { $0 } + all) where !c.isEmpty && seen.insert(c).inserted { out.append(c) }
        return out
    }

    /// Author names from one string: "A. One, B. Two and C. Three".
    static func splitAuthors(_ raw: String) -> [String] {
        let folded = Whitespace.fold(raw)
        guard !folded.isEmpty else { return [] }
        var parts = folded.components(separatedBy: ", ").flatMap { $0.components(separatedBy: ",") }
        if let last = parts.last, last.contains(" and ") {
            parts.removeLast()
            parts += last.components(separatedBy: " and ")
        }
        return parts.map { name(String($0)) }.filter { !$0.isEmpty }
    }
}

/// An Atom feed from the arXiv API or the announcement feed.
struct AtomFeed {
    var totalResults: Int?
    var startIndex: Int?
    var itemsPerPage: Int?
    var updated: String?
    var entries: [XMLTree]

    init(_ data: Data, url: URL) throws {
        let root = try XMLTree.parse(data, url: url)
        guard root.name == "feed" else {
            throw HarvestError.malformed(url: url, reason: "expected an Atom <feed>, got <\(root.qualifiedName)>")
        }
        totalResults = root.value("totalResults").flatMap { Int($0) }
        startIndex = root.value("startIndex").flatMap { Int($0) }
        itemsPerPage = root.value("itemsPerPage").flatMap { Int($0) }
        updated = root.value("updated")
        entries = root.all("entry")
        // The API reports a bad query as a feed holding one error entry.
        if entries.count == 1, let id = entries[0].value("id"), id.contains("/api/errors") {
            throw HarvestError.apiError(url: url, message: entries[0].value("summary") ?? id)
        }
    }

    /// The message of an error feed, for a 400 answer.
    static func errorMessage(_ data: Data) -> String? {
        guard let root = try? XMLTree.parse(data, url: URL(string: "about:blank")!),
              let entry = root.first("entry"), let id = entry.value("id"), id.contains("/api/errors") else { return nil }
        return entry.value("summary") ?? id
    }
}

enum AtomEntryError: Error, CustomStringConvertible {
    case missing(String, entry: String)
    var description: String {
        switch self { case .missing(let field, let entry): return "entry \(entry): no usable \(field)" }
    }
}

extension Paper {
    /// A paper from an arXiv API Atom entry.
    static func fromArxivAPI(_ e: XMLTree) throws -> Paper {
        let rawID = e.value("id") ?? "?"
        guard let id = ArxivID.parse(rawID) else { throw AtomEntryError.missing("arXiv id", entry: rawID) }
        let title = HarvestText.title(e.value("title") ?? "")
        guard !title.isEmpty else { throw AtomEntryError.missing("title", entry: rawID) }
        let abstract = HarvestText.abstract(e.value("summary") ?? "")
        let comments = HarvestText.optional(e.value("comment"))
        let authors = e.all("author").compactMap { $0.value("name") }.map(HarvestText.name)
        let categories = HarvestText.categories(primary: e.first("primary_category")?.attributes["term"],
                                                all: e.all("category").compactMap { $0.attributes["term"] })
        return Paper(
            id: id.base, version: id.version,
            submittedAt: e.value("published").flatMap(Timestamp.parse),
            updatedAt: e.value("updated").flatMap(Timestamp.parse),
            title: title, abstract: abstract, authors: authors, categories: categories,
            comments: comments, journalRef: HarvestText.optional(e.value("journal_ref")),
            doi: HarvestText.optional(e.value("doi")),
            withdrawn: Withdrawal.isWithdrawn(comments: comments, abstract: abstract))
    }

    /// A paper from an entry of the announcement feed (rss.arxiv.org/atom/CAT).
    /// Returns the announce type too ("new", "cross", "replace", "replace-cross").
    static func fromArxivFeed(_ e: XMLTree) throws -> (Paper, String?) {
        let rawID = e.value("id") ?? "?"
        var idText = rawID
        if idText.hasPrefix("oai:arXiv.org:") { idText = String(idText.dropFirst("oai:arXiv.org:".count)) }
        guard let id = ArxivID.parse(idText) ?? e.first("link")?.attributes["href"].flatMap(ArxivID.parse) else {
            throw AtomEntryError.missing("arXiv id", entry: rawID)
        }
        let title = HarvestText.title(e.value("title") ?? "")
        guard !title.isEmpty else { throw AtomEntryError.missing("title", entry: rawID) }
        // "arXiv:2508.13426v1 Announce Type: cross \nAbstract: As large ..."
        var summary = e.value("summary") ?? ""
        if let r = summary.range(of: "Abstract:"), summary[..<r.lowerBound].contains("Announce Type") {
            summary = String(summary[r.upperBound...])
        }
        let abstract = HarvestText.abstract(summary)
        let announceType = e.value("announce_type")?.lowercased()
        let announced = e.value("published").flatMap(Timestamp.parse)
        // The feed gives the announcement date, not the submission date. A
        // first version is announced a day or two after submission, which is
        // close enough for browsing by day until the API or OAI-PMH tells the
        // exact date (merging keeps the earliest). A replacement only dates
        // the new version.
        let firstVersion = (id.version ?? 1) == 1 && announceType != "replace" && announceType != "replace-cross"
        return (Paper(
            id: id.base, version: id.version,
            submittedAt: firstVersion ? announced : nil,
            updatedAt: announced,
            title: title, abstract: abstract,
            authors: HarvestText.splitAuthors(e.all("creator").map(\.text).joined(separator: ", ")),
            categories: HarvestText.categories(primary: nil, all: e.all("category").compactMap { $0.attributes["term"] }),
            license: HarvestText.optional(e.value("rights")),
            withdrawn: Withdrawal.isWithdrawn(comments: nil, abstract: abstract)), announceType)
    }

    /// A paper from an OAI-PMH record in `metadataPrefix=arXiv` format.
    static func fromOAI(_ metadata: XMLTree, identifier: String) throws -> Paper {
        let rawID = metadata.value("id") ?? identifier.replacingOccurrences(of: "oai:arXiv.org:", with: "")
        guard let id = ArxivID.parse(rawID) else { throw AtomEntryError.missing("arXiv id", entry: identifier) }
        let title = HarvestText.title(metadata.value("title") ?? "")
        guard !title.isEmpty else { throw AtomEntryError.missing("title", entry: identifier) }
        let abstract = HarvestText.abstract(metadata.value("abstract") ?? "")
        let comments = HarvestText.optional(metadata.value("comments"))
        let authors: [String] = metadata.first("authors")?.all("author").compactMap { a in
            let parts = [a.value("forenames"), a.value("keyname"), a.value("suffix")].compactMap { $0 }
            let name = HarvestText.name(parts.joined(separator: " "))
            return name.isEmpty ? nil : name
        } ?? []
        let categories = (metadata.value("categories") ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        let created = metadata.value("created").flatMap(Timestamp.parse)
        return Paper(
            id: id.base, version: id.version,
            submittedAt: created,
            updatedAt: metadata.value("updated").flatMap(Timestamp.parse) ?? created,
            title: title, abstract: abstract, authors: authors,
            categories: HarvestText.categories(primary: nil, all: categories),
            comments: comments, journalRef: HarvestText.optional(metadata.value("journal-ref")),
            doi: HarvestText.optional(metadata.value("doi")), license: HarvestText.optional(metadata.value("license")),
            withdrawn: Withdrawal.isWithdrawn(comments: comments, abstract: abstract))
    }
}

/// Merges repeated ids of one batch into one paper each, keeping first-seen order.
func mergeDuplicates(_ papers: [Paper]) -> [Paper] {
    var index: [String: Int] = [:]
    var out: [Paper] = []
    for p in papers {
        if let i = index[p.id] { out[i] = out[i].merged(with: p) } else { index[p.id] = out.count; out.append(p) }
    }
    return out
}

/// A stable hash of a batch's entry ids (sorted, each ended by a line
/// break, as stored checkpoints were written), to recognise a repeated batch.
func fingerprint(_ ids: [String]) -> String {
    String(stableHash(ids.sorted().map { $0 + "\n" }.joined()), radix: 16)
}
