import Foundation
import QuireCore

/// One line of Quire's own import format (docs/import-format.md).
struct QuireJSONLParser: RecordParser {
    private let decoder = RecordDecoder()

    struct Record: Decodable {
        let id: String?
        let title: String
        let abstract: String
        let authors: [String]?
        let categories: [String]?
        let published: String?
        let upvotes: Double?
        let organization: String?
        let githubRepo: String?
        let projectPage: String?

        enum CodingKeys: String, CodingKey {
            case id, title, abstract, authors, categories, published, upvotes, organization
            case githubRepo = "github_repo"
            case projectPage = "project_page"
        }
    }

    func paper(from json: Data) throws -> Paper {
        let r = try decoder.decode(Record.self, from: json)
        let title = try FieldChecks.requiredText(r.title, field: "title")
        let abstract = try FieldChecks.requiredText(r.abstract, field: "abstract")

        var id = Paper.derivedID(title: title)
        var version: Int?
        if let raw = r.id {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if let arxiv = ArxivID.parse(text) {
                id = arxiv.base
                version = arxiv.version
            } else if QuireJSONLParser.isSlug(text) {
                id = text
            } else {
                throw RecordError("field `id`: \"\(raw)\" is neither an arXiv id (2410.17243, hep-th/9901001, optionally with a version) nor a slug (lower-case letters, digits and single dashes)")
            }
        }

        let day = try FieldChecks.day(r.published, field: "published")
        let categories = (r.categories ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for c in categories where c.contains(" ") {
            throw RecordError("field `categories`: \"\(c)\" contains a space (give one category per array element)")
        }

        return Paper(
            id: id,
            version: version,
            submittedAt: day?.start,
            title: title,
            abstract: abstract,
            authors: (r.authors ?? []).compactMap(FieldChecks.optionalText),
            categories: categories,
            githubRepo: try QuireJSONLParser.githubRepo(r.githubRepo),
            projectPage: try FieldChecks.url(r.projectPage, field: "project_page"),
            organization: FieldChecks.optionalText(r.organization),
            upvotes: try FieldChecks.count(r.upvotes, field: "upvotes") ?? 0,
            dailyDate: day
        )
    }

    /// Lower-case ASCII letters and digits in groups joined by single dashes, at most 100 characters.
    static func isSlug(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 100, !text.hasPrefix("-"), !text.hasSuffix("-"),
              !text.contains("--") else { return false }
        return text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// A repository URL, or "owner/name" for GitHub.
    static func githubRepo(_ text: String?) throws -> String? {
        guard let text = FieldChecks.optionalText(text) else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if !text.contains(":"), parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) {
            return "https://github.com/" + text
        }
        return try FieldChecks.url(text, field: "github_repo")
    }
}
