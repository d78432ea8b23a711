import Foundation
import Testing
import QuireCore

/// Slugs are stored (author and organization pages are found by them), so
/// the shortcut for ASCII text must give exactly what folding gives.
@Suite struct SlugTests {
    /// `Slug.make` as it was before the ASCII shortcut: Foundation folding for every text.
    static func folded(_ text: String, maxLength: Int = 80) -> String {
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

    @Test(arguments: [
        "Attention Is All You Need!", "C.-P. Yuan", "  E. L. Berger ", "O'Neil, J. R. (MIT)", "a--b__c~~d^e`f",
        "UPPER lower 123 !@#$%^&*()[]{}|;:,.<>?/\\\"'", "", "---", "x", String(repeating: "Ab1 ", count: 40),
        "Balázs", "Müller Jr", "Šrámek", "Øbro", "ＦＵＬＬ ｗｉｄｔｈ", "Łukasz Ćwik", "李明",
    ])
    func sameAsFolding(_ text: String) {
        #expect(Slug.make(text) == Self.folded(text))
        #expect(Slug.make(text, maxLength: 7) == Self.folded(text, maxLength: 7))
    }

    @Test func examples() {
        #expect(Slug.make("Attention Is All You Need!") == "attention-is-all-you-need")
        #expect(Slug.make("Balázs") == "balazs")
        #expect(Slug.make(String(repeating: "ab ", count: 50)).count == 80)
        #expect(Slug.stable("李明").hasPrefix("x-"))
    }
}
