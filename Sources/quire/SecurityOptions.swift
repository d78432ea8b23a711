import ArgumentParser
import Foundation
import Web

/// The account and write limits of `quire serve` (see `SecurityConfig`).
struct SecurityOptions: ParsableArguments {
    @Option(help: "Days a login lasts.") var sessionDays: Double = 30
    @Option(help: "bcrypt work factor for passwords (4 to 31; each step doubles the time).") var bcryptCost = 12
    @Option(help: "Papers one reader may submit to the daily list per day.") var submissionsPerDay = 5
    @Option(help: "Refuse submissions of papers first published more than this many days ago.") var submissionMaxAgeDays = 14
    @Option(help: "Writes (upvotes, comments, saves) one reader may make per minute.") var writesPerMinute = 120
    @Option(help: "Login attempts per client address, and per account, every 5 minutes.") var loginsPerFiveMinutes = 20
    @Option(help: "Sign-ups and password-reset mails per client address per hour.") var signupsPerHour = 10
    @Option(help: "Searches and feed reads per client address per minute.") var searchesPerMinute = 120
    @Flag(help: "Behind your own proxy: take the client address from the last X-Forwarded-For entry (the one your proxy appends) and HTTPS from X-Forwarded-Proto.")
    var trustProxy = false

    func validate() throws {
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be from 4 to 31") }
        guard sessionDays > 0 else { throw ValidationError("--session-days must be more than 0") }
        for (name, value) in [("--submissions-per-day", submissionsPerDay), ("--submission-max-age-days", submissionMaxAgeDays),
                              ("--writes-per-minute", writesPerMinute), ("--logins-per-five-minutes", loginsPerFiveMinutes),
                              ("--signups-per-hour", signupsPerHour), ("--searches-per-minute", searchesPerMinute)] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
    }

    var config: SecurityConfig {
        var config = SecurityConfig()
        config.sessionLifetime = sessionDays * 86_400
        config.bcryptCost = UInt8(bcryptCost)
        config.submissionRules.dailyCap = submissionsPerDay
        config.submissionRules.maxAgeDays = submissionMaxAgeDays
        config.writeLimitPerUser = RateLimit(writesPerMinute, per: 60)
        config.loginLimit = RateLimit(loginsPerFiveMinutes, per: 300)
        config.signupLimit = RateLimit(signupsPerHour, per: 3600)
        config.searchAndFeedLimitPerAddress = RateLimit(searchesPerMinute, per: 60)
        config.trustForwardedFor = trustProxy
        return config
    }
}
