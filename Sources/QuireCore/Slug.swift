import Foundation

public enum Slug {
    /// A URL-safe, lower-case slug: "Attention Is All You Need!" → "attention-is-all-you-need".
    /// Letters are folded to ASCII where they have an ASCII base ("Balázs" → "balazs").
    public static func make(_ text: String, maxLength: Int = 80) -> String {
        // Folding goes through Foundation and is slow (an import makes a slug
        // per new author); to ASCII text it does nothing that lowercasing doesn't.
        let folded = text.utf8.allSatisfy { $0 < 0x80 }
            ? text.lowercased()
            : text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
        var out = ""
        var length = 0 // `out` is ASCII: one character per scalar appended
        var lastWasDash = true
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar); lastWasDash = false; length += 1
            } else if !lastWasDash {
                out.append("-"); lastWasDash = true; length += 1
            }
            if length >= maxLength { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// Like `make`, but never empty: text with no Latin letters at all (a
    /// Chinese name, say) gets "x-" and a stable hash of the text (FNV-1a).
    public static func stable(_ text: String, maxLength: Int = 80) -> String {
        let slug = make(text, maxLength: maxLength)
        if !slug.isEmpty { return slug }
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return "x-" + String(hash, radix: 16)
    }
}
