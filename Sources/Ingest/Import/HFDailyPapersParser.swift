import Foundation
import QuireCore

/// One element of a Hugging Face `/api/daily_papers` array.
struct HFDailyPapersParser: RecordParser {
    private let decoder = RecordDecoder()

    struct Entry: Decodable {
        let paper: HFPaper
        let title: String?
        let publishedAt: String?
        let submittedBy: User?
        let organization: Organization?
    }

    struct HFPaper: Decodable {
        let id: String
        let title: String?
        let summary: String?
        let authors: [Author]?
        let publishedAt: String?
        let upvotes: Double?
        let organization: Organization?
        let githubRepo: String?
        let githubStars: Double?
        let projectPage: String?
        let submittedOnDailyBy: User?
    }

    struct Author: Decodable {
        let name: String?
        let hidden: Bool?
    }

    struct User: Decodable {
        let name: String?
    }

    struct Organization: Decodable {
        let name: String?
        let fullname: String?
    }

    func paper(from json: Data) throws -> Paper {
        let e = try decoder.decode(Entry.self, from: json)
        let p = e.paper

        guard let arxivID = ArxivID.parse(p.id) else {
            throw RecordError("field `paper.id`: \"\(p.id)\" is not an arXiv id")
        }
        guard let rawTitle = e.title ?? p.title else { throw RecordError("missing field `title`") }
        let title = try FieldChecks.requiredText(rawTitle, field: e.title != nil ? "title" : "paper.title")
        guard let summary = p.summary else { throw RecordError("missing field `paper.summary`") }
        let abstract = try FieldChecks.requiredText(summary, field: "paper.summary")

        var submittedAt: Date?
        if let text = p.publishedAt {
            guard let date = Timestamps.iso8601(text) else {
                throw RecordError("field `paper.publishedAt`: \"\(text)\" is not an ISO 8601 timestamp")
            }
            submittedAt = date
        }
        var dailyDate: Day?
        if let text = e.publishedAt {
            guard let date = Timestamps.iso8601(text) else {
                throw RecordError("field `publishedAt`: \"\(text)\" is not an ISO 8601 timestamp")
            }
            dailyDate = Day(date: date)
        }

        let authors = (p.authors ?? []).compactMap { a -> String? in
            guard a.hidden != true, let name = a.name.map(Whitespace.fold), !name.isEmpty else { return nil }
            return name
        }
        let org = e.organization ?? p.organization
        let organization = FieldChecks.optionalText(org?.fullname) ?? FieldChecks.optionalText(org?.name)

        return Paper(
            id: arxivID.base,
            version: arxivID.version,
            submittedAt: submittedAt,
            title: title,
            abstract: abstract,
            authors: authors,
            githubRepo: try FieldChecks.url(p.githubRepo, field: "paper.githubRepo"),
            githubStars: try FieldChecks.count(p.githubStars, field: "paper.githubStars"),
            projectPage: try FieldChecks.url(p.projectPage, field: "paper.projectPage"),
            organization: organization,
            upvotes: try FieldChecks.count(p.upvotes, field: "paper.upvotes") ?? 0,
            dailyDate: dailyDate,
            submittedBy: FieldChecks.optionalText(e.submittedBy?.name ?? p.submittedOnDailyBy?.name)
        )
    }
}
