import Foundation
import QuireCore

/// Papers in Hugging Face's JSON shape (the `/api/daily_papers` and
/// `/api/papers/...` responses), so clients written for it work unchanged.
/// Field names are Hugging Face's; absent values are left out, as it does.
struct HFPaper: Encodable {
    struct Author: Encodable {
        var _id: String
        var name: String
        var hidden = false
    }
    struct Organization: Encodable {
        var _id: String
        var name: String
        var fullname: String
        var avatar: String?
    }

    var id: String
    var authors: [Author]
    var publishedAt: String?
    var submittedOnDailyAt: String?
    var title: String
    var summary: String
    var upvotes: Int
    var discussionId: String
    var submittedOnDailyBy: HFUser?
    var organization: Organization?
    var githubRepo: String?
    var githubStars: Int?
    var projectPage: String?
    /// Hugging Face's names for the summary and keywords Quire's model made (left out until made).
    var ai_summary: String?
    var ai_keywords: [String]?
    // Quire's additions: ignored by Hugging Face clients, useful to others.
    var categories: [String]?
    var withdrawn: Bool?
    var version: Int?
    var doi: String?
    var journalRef: String?
    var comments: String?
    var license: String?
    var numAuthors: Int?

    init(_ paper: Paper) {
        id = paper.id
        authors = paper.authors.enumerated().map { Author(_id: "\(paper.id)-a\($0.offset)", name: $0.element) }
        publishedAt = paper.submittedAt.map(Timestamp.formatMilliseconds)
        submittedOnDailyAt = paper.dailyDate.map { Timestamp.formatMilliseconds($0.start) }
        title = paper.title
        summary = paper.abstract
        upvotes = paper.upvotes
        discussionId = paper.id
        submittedOnDailyBy = paper.submittedBy.map(HFUser.init)
        organization = paper.organization.map {
            Organization(_id: Slug.stable($0), name: Slug.stable($0), fullname: $0)
        }
        githubRepo = paper.githubRepo
        githubStars = paper.githubStars
        projectPage = paper.projectPage
        ai_summary = paper.summary?.text
        ai_keywords = paper.summary?.keyphrases
        categories = paper.categories.isEmpty ? nil : paper.categories
        withdrawn = paper.withdrawn ? true : nil
        version = paper.version
        doi = paper.doi
        journalRef = paper.journalRef
        comments = paper.comments
        license = paper.license
        numAuthors = paper.displayAuthorCount
    }
}

/// A user as Hugging Face sends it. It writes the handle as `name` in daily
/// papers and the client reads `user`, so both carry it.
struct HFUser: Encodable {
    var name: String
    var user: String
    var fullname: String
    var type = "user"
    var avatarUrl = ""

    init(_ handle: String) { name = handle; user = handle; fullname = handle }
}

/// One entry of `/api/daily_papers` and `/api/papers/search`: the paper plus
/// its place on the daily list.
struct HFDailyEntry: Encodable {
    struct Span: Encodable {
        var text: String
        var highlighted: Bool
    }

    var paper: HFPaper
    var publishedAt: String?
    var title: String
    var summary: String
    var thumbnail: String
    var numComments = 0
    var submittedBy: HFUser?
    var organization: HFPaper.Organization?
    var isAuthorParticipating = false
    var highlightedTitle: [Span]?
    var highlightedSummary: [Span]?
    /// Beside the paper's own: `huggingface_hub` reads an entry's fields, not its paper's.
    var ai_summary: String?
    var ai_keywords: [String]?

    init(_ paper: Paper, baseURL: String = "") {
        let hf = HFPaper(paper)
        self.paper = hf
        publishedAt = hf.submittedOnDailyAt ?? hf.publishedAt
        title = paper.title
        summary = paper.abstract
        thumbnail = paper.isArxiv ? "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/\(paper.id).png" : ""
        submittedBy = hf.submittedOnDailyBy
        organization = hf.organization
        ai_summary = hf.ai_summary
        ai_keywords = hf.ai_keywords
    }
}
