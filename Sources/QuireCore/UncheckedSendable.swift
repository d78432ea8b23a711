/// A value handed to `DispatchQueue.concurrentPerform` workers that the
/// compiler cannot prove safe to share: a buffer pointer whose workers each
/// write their own disjoint range, or read-only memory that outlives the call.
/// Safe only under that discipline; every use says which ranges are whose.
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
