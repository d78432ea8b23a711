import Foundation

/// So many events per so many seconds.
public struct RateLimit: Sendable {
    public var count: Int
    public var seconds: TimeInterval
    public init(_ count: Int, per seconds: TimeInterval) { self.count = count; self.seconds = seconds }
}
