/// What the daily list accepts from readers. The submit page states these rules.
public struct SubmissionRules: Sendable {
    /// Papers one reader may put on the list per day.
    public var dailyCap: Int
    /// Papers first published longer ago than this are refused.
    public var maxAgeDays: Int
    /// A submission's comment, in characters.
    public static let maxCommentLength = 1_000

    public init(dailyCap: Int = 5, maxAgeDays: Int = 14) { self.dailyCap = dailyCap; self.maxAgeDays = maxAgeDays }
}
