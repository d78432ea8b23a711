import Foundation
import QuireCore

/// One element of Hugging Face's daily-papers list (`/api/daily_papers`),
/// `{"paper": {...}, "publishedAt", "title", "submittedBy", ...}`, as a
/// `Paper`: the one reading of that format, shared by `quire import` (a saved
/// list) and the harvester (the live list). Every refusal is a `RecordError`
/// naming the field.
///
/// The rules, decided once (where the importer and the harvester used to
/// differ, the stricter or more correct one holds):
/// - **id**: `paper.id` must be an arXiv id, old ("hep-th/9901001") or new
///   style; a version ("v2") is split off into `version`. Hugging Face lists
///   only arXiv papers, so anything else is a broken entry, refused, rather
///   than a paper given an id made from its title (the harvester's old rule).
/// - **title, abstract, author names**: cleaned like every arXiv source
///   (`HarvestText`: whitespace folded, TeX accents decoded), so the same paper
///   read from Hugging Face and from arXiv compares equal. The title is the
///   paper's, else the entry's; one is required. An absent `paper.summary`
///   gives an empty abstract: the harvester has always kept such entries (the
///   list names the paper; arXiv fills the abstract in later by merging).
/// - **hidden authors** (`"hidden": true`, authors who asked Hugging Face not
///   to be shown) are left out, as the importer did; the harvester kept them.
/// - **URLs** (`githubRepo`, `projectPage`, on the paper or the entry) must be
///   http(s) URLs: anything else refuses the entry with the field named.
/// - **timestamps**: `paper.publishedAt` (first submission to arXiv) must be an
///   ISO 8601 instant (`Timestamp.parseInstant`); a bad one refuses the entry
///   (the harvester used to drop it silently). The daily day is the day of the
///   list the entry was read from when the caller knows it (the harvester asks
///   for a date), else the day of the entry's own `publishedAt` (the moment it
///   was put on the list: a saved file does not say which list it was).
/// - **counts** (`upvotes`, `githubStars`): a JSON number, or a number in a
///   string; a fraction or other text is refused. Out-of-range values are
///   clamped (`ClampedCount`: below zero is 0, past the ceiling is the
///   ceiling), so a huge count cannot trap; NaN counts as absent.
/// - **organization**: the entry's, else the paper's; an object
///   (`fullname`, else `name`) or a bare handle string.
/// - **submitted by**: the entry's `submittedBy`, else the paper's
///   `submittedOnDailyBy`; its `name` (the Hugging Face handle).
enum HFDailyPaperDecoder {
    /// Decodes one element given as JSON text (the importer's records).
    static func paper(fromJSON data: Data, listDay: Day?) throws -> Paper {
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            if String(data: data, encoding: .utf8) == nil { throw RecordError("the record is not valid UTF-8") }
            throw RecordError(JSONSyntax.check(data) ?? "invalid JSON")
        }
        guard let entry = value as? [String: Any] else {
            throw RecordError("expected an object, found \(JSONField.kind(value))")
        }
        return try paper(from: entry, listDay: listDay)
    }

    /// Decodes one element already parsed (the harvester reads the whole list at once).
    static func paper(from entry: [String: Any], listDay: Day?) throws -> Paper {
        let item = JSONField(entry, path: "")
        guard let p = try item.object("paper") else { throw RecordError("missing field `paper`") }
        let paper = JSONField(p, path: "paper")

        guard let rawID = try paper.string("id") else { throw RecordError("missing field `paper.id`") }
        guard let arxivID = ArxivID.parse(rawID.trimmingCharacters(in: .whitespaces)) else {
            throw RecordError("field `paper.id`: \"\(rawID)\" is not an arXiv id")
        }

        let rawTitle = try paper.string("title") ?? item.string("title")
        let title = HarvestText.title(rawTitle ?? "")
        guard !title.isEmpty else {
            throw RecordError(rawTitle == nil ? "missing field `title`" : "field `title` is empty")
        }
        let abstract = HarvestText.abstract(try paper.string("summary") ?? "")

        var submittedAt: Date?
        if let text = try paper.string("publishedAt") {
            guard let date = Timestamp.parseInstant(text) else {
                throw RecordError("field `paper.publishedAt`: \"\(text)\" is not an ISO 8601 timestamp")
            }
            submittedAt = date
        }
        var dailyDate = listDay
        if let text = try item.string("publishedAt") {
            guard let date = Timestamp.parseInstant(text) else {
                throw RecordError("field `publishedAt`: \"\(text)\" is not an ISO 8601 timestamp")
            }
            dailyDate = dailyDate ?? Day(date: date)
        }

        var authors: [String] = []
        for (k, author) in (try paper.objects("authors")).enumerated() {
            let fields = JSONField(author, path: "paper.authors[\(k)]")
            guard try fields.bool("hidden") != true, let name = try fields.string("name") else { continue }
            let cleaned = HarvestText.name(name)
            if !cleaned.isEmpty { authors.append(cleaned) }
        }

        let submitter = try item.object("submittedBy").map { JSONField($0, path: "submittedBy") }
            ?? paper.object("submittedOnDailyBy").map { JSONField($0, path: "paper.submittedOnDailyBy") }

        return Paper(
            id: arxivID.base,
            version: arxivID.version,
            submittedAt: submittedAt,
            title: title,
            abstract: abstract,
            authors: authors,
            githubRepo: try url("githubRepo", paper, item),
            githubStars: try paper.count("githubStars") ?? item.count("githubStars"),
            projectPage: try url("projectPage", paper, item),
            organization: try item.organization("organization") ?? paper.organization("organization"),
            upvotes: try paper.count("upvotes") ?? item.count("upvotes") ?? 0,
            dailyDate: dailyDate,
            submittedBy: try submitter.flatMap { try $0.string("name") })
    }

    /// A URL on the paper, else on the entry, checked where it was found.
    private static func url(_ key: String, _ paper: JSONField, _ item: JSONField) throws -> String? {
        if let text = try paper.string(key) { return try FieldChecks.url(text, field: "paper.\(key)") }
        return try FieldChecks.url(try item.string(key), field: key)
    }
}
