import Foundation

extension Paper {
    /// The paper a store should hold after `incoming` arrives for the same id.
    ///
    /// Sources know different things (the arXiv snapshot has authors and
    /// categories, Hugging Face has upvotes and the daily-list date), so a field
    /// the incoming record leaves empty keeps what is stored. An older arXiv
    /// version never overwrites the metadata of a newer one, but its community
    /// fields (upvotes, daily list, repository) are still taken.
    public func merged(with incoming: Paper) -> Paper {
        var result = self
        let olderVersion = (incoming.version ?? Int.max) < (version ?? 0)
        if !olderVersion {
            result.version = incoming.version ?? version
            result.updatedAt = incoming.updatedAt ?? updatedAt
            if !incoming.title.isEmpty { result.title = incoming.title }
            if !incoming.abstract.isEmpty { result.abstract = incoming.abstract }
            if !incoming.authors.isEmpty { result.authors = incoming.authors }
            result.authorCount = incoming.authorCount ?? authorCount
            if !incoming.categories.isEmpty { result.categories = incoming.categories }
            result.comments = incoming.comments ?? comments
            result.journalRef = incoming.journalRef ?? journalRef
            result.doi = incoming.doi ?? doi
            result.license = incoming.license ?? license
            result.withdrawn = incoming.withdrawn || (withdrawn && incoming.version == version)
        }
        // The first submission date only ever moves earlier.
        if let s = incoming.submittedAt { result.submittedAt = min(s, submittedAt ?? s) }
        result.githubRepo = incoming.githubRepo ?? githubRepo
        result.githubStars = incoming.githubStars ?? githubStars
        result.projectPage = incoming.projectPage ?? projectPage
        result.organization = incoming.organization ?? organization
        // The source's count only grows; readers' upvotes stay the store's own.
        result.sourceUpvotes = max(sourceUpvotes, incoming.sourceUpvotes)
        result.dailyDate = dailyDate ?? incoming.dailyDate
        result.submittedBy = submittedBy ?? incoming.submittedBy
        return result
    }

    /// A stable id for a paper that has no arXiv id: the slug of its title.
    public static func derivedID(title: String) -> String { Slug.stable(title) }
}
