import Foundation
import QuireCore
import Storage

/// Readers putting papers on the daily list: which papers, how many a day,
/// and what a refusal says.
public struct SubmissionActions: Sendable {
    let store: any SignalStore
    let rules: SubmissionRules
    let now: @Sendable () -> Date

    public init(store: any SignalStore, rules: SubmissionRules, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.rules = rules; self.now = now
    }

    /// Puts a paper on today's list. `paper` finds it (and may fetch it from
    /// arXiv): it is called only once the comment passes, so a refused
    /// request costs no lookup.
    ///
    /// The daily cap and "not on the list already" could be broken by two
    /// requests at once if checked here and then written, so they are decided
    /// here (the numbers, the messages) but enforced by the store's
    /// conditional write (`insertSubmission(…, ifFewerThan:)`), which checks
    /// and inserts in one transaction.
    public func submit(comment: String?, by user: User, paper: () async throws -> Paper) async throws -> Submission {
        let comment = try Self.comment(comment)
        let paper = try await paper()
        let now = now()
        // Checked again by the write; here so a listed paper is reported as such whatever its age.
        if let listed = paper.dailyDate { throw Self.alreadyListed(paper.id, on: listed.description) }
        if let published = paper.submittedAt, now.timeIntervalSince(published) > Double(rules.maxAgeDays) * 86_400 {
            throw Refusal.ruleBroken("\(paper.id) was published on \(Day(date: published)); only papers from the last \(rules.maxAgeDays) days can be submitted")
        }
        switch try await store.insertSubmission(paperID: paper.id, userID: user.id, comment: comment, day: Day(date: now), now: now,
                                                ifFewerThan: rules.dailyCap) {
        case .inserted(let submission):
            return submission
        case .alreadyListed(let day):
            throw Self.alreadyListed(paper.id, on: day)
        case .capReached(let count):
            throw Refusal.ruleBroken("you have submitted \(count) papers today, the most one reader may; try again tomorrow")
        }
    }

    private static func alreadyListed(_ paperID: String, on day: String) -> Refusal {
        .conflict("\(paperID) is already on the daily list of \(day)")
    }

    /// A submission's comment as stored: nil when blank; `.invalid` when too long.
    public static func comment(_ text: String?) throws -> String? {
        guard let text else { return nil }
        guard WrittenText.length(text) <= SubmissionRules.maxCommentLength else {
            throw Refusal.invalid("keep the submission comment to \(SubmissionRules.maxCommentLength) characters")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : text
    }
}
