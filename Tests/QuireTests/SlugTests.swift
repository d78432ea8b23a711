import Foundation
import QuireCore
import Testing

/// Slugs name author and organization pages and are what `author:` and `org:`
/// compare (`FilterRule`), so ASCII text (slugged without Foundation's folding)
/// must give exactly what folding gives.
@Suite struct SlugTests {
    /// The same text through Foundation's folding: a leading "€" (not ASCII,
    /// so `make` folds; no letter, so it adds nothing to the slug).
    static func folded(_ text: String, maxLength: Int = 80) -> String {
        Slug.make("€" + text, maxLength: maxLength)
    }

    @Test func asciiTextSlugsAsFoldingWould() {
        let examples = ["Attention Is All You Need!", "Yann LeCun", "S. C. He", "Jean-Luc O'Neil", "  --a__b--  ", "",
                        "\t\n\u{0}\u{7F}", "ABC123xyz", String(repeating: "ab ", count: 60), "x-1f2e"]
        for text in examples {
            #expect(Slug.make(text) == Self.folded(text), "\(text)")
            #expect(Slug.make(text, maxLength: 5) == Self.folded(text, maxLength: 5), "\(text)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...30, using: &generator)).map { _ in UInt8.random(in: 0...0x7F, using: &generator) }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Slug.make(text) == Self.folded(text), "\(bytes)")
        }
    }

    @Test func accentsFoldAndOtherScriptsGetAStableSlug() {
        #expect(Slug.make("Balázs Kégl") == "balazs-kegl")
        #expect(Slug.make("王小明") == "")
        #expect(Slug.stable("王小明").hasPrefix("x-") && Slug.stable("王小明") == Slug.stable("王小明"))
    }
}
