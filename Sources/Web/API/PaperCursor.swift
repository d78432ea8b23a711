/// Where a walk through `/api/papers` got to: the store position of the last
/// paper served (`PaperStore.papers(storedAfter:limit:)`). Clients pass back
/// the one in a `Link` header and build none (the API document calls it
/// opaque, so what is inside may change). Written in base 36, so that every
/// value the document's pattern admits is a cursor: one past the last paper
/// is simply an empty page, never an error a schema could not predict.
struct PaperCursor: Equatable {
    /// The document's pattern: up to 12 base-36 digits, below 36^12 < Int64.max.
    static let pattern = "^[0-9a-z]{1,12}$"

    var seq: Int

    var text: String { String(seq, radix: 36) }

    /// Nil for anything the pattern does not admit.
    init?(_ text: String) {
        guard (1...12).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }),
              let seq = Int(text, radix: 36) else { return nil }
        self.seq = seq
    }

    init(seq: Int) { self.seq = seq }
}
