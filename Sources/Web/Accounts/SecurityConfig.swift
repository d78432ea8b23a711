import Foundation
import ReaderActions

/// The knobs of accounts and writes. Defaults suit a public server; tests
/// and `quire serve` flags change them.
public struct SecurityConfig: Sendable {
    /// How long a login lasts.
    public var sessionLifetime: TimeInterval = 30 * 86_400
    /// bcrypt's work factor (each step doubles the time).
    public var bcryptCost: UInt8 = 12
    /// Wrong passwords in a row before the account is locked, and for how long.
    public var lockAfterFailures = 5
    public var lockDuration: TimeInterval = 15 * 60
    /// Login attempts per client address and per account.
    public var loginLimit = RateLimit(20, per: 300)
    /// Sign-ups and reset mails per client address.
    public var signupLimit = RateLimit(10, per: 3600)
    /// Writes (upvotes, comments, saves...) per account and per client address.
    public var writeLimitPerUser = RateLimit(120, per: 60)
    public var writeLimitPerAddress = RateLimit(600, per: 60)
    /// Searches and feed reads per client address: each search ranks the
    /// whole corpus, so one address may not keep both cores busy.
    public var searchAndFeedLimitPerAddress = RateLimit(120, per: 60)
    /// Read the client address from the last X-Forwarded-For entry (only behind a proxy you run).
    public var trustForwardedFor = false
    public var submissionRules = SubmissionRules()
    /// One-time links in mails.
    public var resetLinkLifetime: TimeInterval = 3600
    public var confirmLinkLifetime: TimeInterval = 7 * 86_400

    public init() {}
}
