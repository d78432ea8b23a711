import Foundation
import QuireCore

/// One line of the Daily Papers seed file: title, abstract, authors_count,
/// organization ("tencent Tencent": handle, then display name), published, upvotes.
struct SeedPapersParser: RecordParser {
    private let decoder = RecordDecoder()

    struct Record: Decodable {
        let title: String
        let abstract: String
        let authorsCount: Double?
        let organization: String?
        let published: String?
        let upvotes: Double?

        enum CodingKeys: String, CodingKey {
            case title, abstract, organization, published, upvotes
            case authorsCount = "authors_count"
        }
    }

    func paper(from json: Data) throws -> Paper {
        let r = try decoder.decode(Record.self, from: json)
        let title = try FieldChecks.requiredText(r.title, field: "title")
        let abstract = try FieldChecks.requiredText(r.abstract, field: "abstract")
        let day = try FieldChecks.day(r.published, field: "published")
        return Paper(
            id: Paper.derivedID(title: title),
            submittedAt: day?.start,
            title: title,
            abstract: abstract,
            authorCount: try FieldChecks.count(r.authorsCount, field: "authors_count"),
            organization: SeedPapersParser.displayName(organization: r.organization),
            upvotes: try FieldChecks.count(r.upvotes, field: "upvotes") ?? 0,
            dailyDate: day
        )
    }

    /// "tencent Tencent" → "Tencent"; a lone word is both handle and name.
    static func displayName(organization: String?) -> String? {
        guard let text = FieldChecks.optionalText(organization) else { return nil }
        guard let space = text.firstIndex(of: " ") else { return text }
        let name = text[text.index(after: space)...].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? text : name
    }
}
