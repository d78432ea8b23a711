/// Zero-padded decimal numbers written straight into UTF-8 bytes, for the
/// days and timestamps written with every paper of an import:
/// `String(format:)` goes through Foundation's formatter, a few percent of
/// an import's database writes.
enum PaddedDigits {
    /// Appends `value` as exactly `count` digits, zero-padded on the left.
    /// Callers pass values that fit (a year of 1...9999 in four); a negative
    /// value or one too wide is cut to its last `count` digits rather than trap.
    static func append(_ value: Int, count: Int, to text: inout [UInt8]) {
        let magnitude = value.magnitude
        var divisor: UInt = 1
        for _ in 1..<max(count, 1) { divisor &*= 10 }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
