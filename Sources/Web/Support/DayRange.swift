import QuireCore

/// A half-open range of days, `first` up to (not including) `end`: what a
/// day, week or month selects, and what several of them select together.
struct DayRange: Equatable {
    var first: Day
    var end: Day

    init(_ period: Period) { first = period.firstDay; end = period.endDay }

    /// The days in both; empty (first == end) when they do not overlap.
    func intersection(_ other: DayRange) -> DayRange {
        var range = self
        range.first = max(first, other.first)
        range.end = max(range.first, min(end, other.end))
        return range
    }
}
