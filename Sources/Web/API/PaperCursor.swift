import Foundation

/// Where a walk through `/api/papers` got to: the store position of the last
/// paper served (`PaperStore.papers(storedAfter:limit:)`), written opaquely
/// (base64url of "seq:N") so clients pass it back rather than build one, and
/// the server stays free to change what is inside.
struct PaperCursor: Equatable {
    var seq: Int

    var text: String {
        Data("seq:\(seq)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Nil for anything this server did not write.
    init?(_ text: String) {
        guard text.count <= 64 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8),
              decoded.hasPrefix("seq:"), let seq = Int(decoded.dropFirst(4)), seq >= 0 else { return nil }
        self.seq = seq
    }

    init(seq: Int) { self.seq = seq }
}
