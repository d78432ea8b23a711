import Foundation

/// How the trending list ranks papers. The formula is shown on the trending
/// page as `Trending.explanation`, so readers can see why a paper is there.
public enum Trending {
    /// Papers count as candidates for this many days back from the newest list day.
    public static let windowDays = 30
    public static let gravity = 1.5

    /// (upvotes + 1) / (hours since listed + 2)^1.5: votes lift a paper, age
    /// pulls it down (Hacker News' ranking, with +1 so unvoted papers still order by age).
    public static func score(upvotes: Int, listedAt: Date, now: Date) -> Double {
        let hours = max(0, now.timeIntervalSince(listedAt) / 3600)
        return (Double(ClampedCount.clamp(upvotes)) + 1) / pow(hours + 2, gravity)
    }

    public static let explanation =
        "Trending ranks papers listed in the last \(windowDays) days of the list by (upvotes + 1) ÷ (hours since listed + 2)^\(gravity): every upvote lifts a paper, every hour pulls it down."

    /// Ids of `signals` from the highest score down.
    public static func rank(_ signals: [(id: String, upvotes: Int, listedAt: Date)], now: Date) -> [String] {
        signals.map { ($0.id, score(upvotes: $0.upvotes, listedAt: $0.listedAt, now: now)) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .map(\.0)
    }
}
