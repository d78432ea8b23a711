import Foundation

public enum Slug {
    /// A URL-safe, lower-case slug: "Attention Is All You Need!" → "attention-is-all-you-need".
    /// Letters are folded to ASCII where they have an ASCII base ("Balázs" → "balazs").
    public static func make(_ text: String, maxLength: Int = 80) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return makeASCII(text, maxLength: maxLength) }
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
        var out = ""
        var lastWasDash = true
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar); lastWasDash = false
            } else if !lastWasDash {
                out.append("-"); lastWasDash = true
            }
            if out.count >= maxLength { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// `make` for ASCII text, where folding only lower-cases: the same slug
    /// without Foundation's folding, which costs microseconds a call (search
    /// filters slug every author of every candidate paper).
    private static func makeASCII(_ text: String, maxLength: Int) -> String {
        var out: [UInt8] = []
        var lastWasDash = true
        for byte in text.utf8 {
            let lower = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            if (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower) {
                out.append(lower); lastWasDash = false
            } else if !lastWasDash {
                out.append(UInt8(ascii: "-")); lastWasDash = true
            }
            if out.count >= maxLength { break }
        }
        while out.last == UInt8(ascii: "-") { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// Like `make`, but never empty: text with no Latin letters at all (a
    /// Chinese name, say) gets "x-" and a stable hash of the text (FNV-1a).
    public static func stable(_ text: String, maxLength: Int = 80) -> String {
        let slug = make(text, maxLength: maxLength)
        if !slug.isEmpty { return slug }
        return "x-" + String(stableHash(text), radix: 16)
    }
}
