/// Counts that come from outside Quire (a source's upvotes, a repository's
/// stars, an author count) are held within `ClampedCount.range`, whatever a
/// file, an API answer or an old database row says: then no sum, sort or
/// formula over them can overflow. A billion is beyond any real count and far
/// from Int's limit, so a source's count plus readers' always fits.
public enum ClampedCount {
    public static let range = 0...1_000_000_000

    public static func clamp(_ count: Int) -> Int {
        min(max(count, range.lowerBound), range.upperBound)
    }

    /// A count read as a number that may not fit an Int (JSON's 1e30, say):
    /// clamped the same way, the fraction dropped; nil for NaN.
    public static func clamp(_ number: Double) -> Int? {
        guard !number.isNaN else { return nil }
        if number <= Double(range.lowerBound) { return range.lowerBound }
        if number >= Double(range.upperBound) { return range.upperBound }
        return Int(number)
    }
}

/// A stored property that is a count from outside: clamped by
/// `ClampedCount` when set, in an initializer, by assignment or by decoding.
@propertyWrapper
public struct Clamped<Value: ClampableCount>: Equatable, Sendable, Codable {
    private var value: Value

    public init(wrappedValue: Value) { value = wrappedValue.clampedCount }

    public var wrappedValue: Value {
        get { value }
        set { value = newValue.clampedCount }
    }

    public init(from decoder: Decoder) throws {
        self.init(wrappedValue: try decoder.singleValueContainer().decode(Value.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// What `@Clamped` can hold: a count, or an optional count.
public protocol ClampableCount: Equatable, Sendable, Codable {
    var clampedCount: Self { get }
}

extension Int: ClampableCount {
    public var clampedCount: Int { ClampedCount.clamp(self) }
}

extension Optional: ClampableCount where Wrapped == Int {
    public var clampedCount: Int? { map(ClampedCount.clamp) }
}
