/// The alphabets of `\mathbf`, `\mathcal`, `\mathbb` and friends.
///
/// MathML Core drops the `mathvariant` values other than "normal": a bold or
/// calligraphic letter is its own Unicode character, from the Mathematical
/// Alphanumeric Symbols block (U+1D400…). A few letters were encoded earlier
/// in Letterlike Symbols and are holes in that block: those are listed.
enum MathFont: Equatable, Sendable {
    case roman, bold, italic, boldItalic, script, fraktur, doubleStruck, sansSerif, monospace

    /// The letter or digit `c` in this alphabet; anything else unchanged.
    func apply(to c: Unicode.Scalar) -> String {
        if self == .roman || self == .italic { return String(c) }
        if let special = exceptions[c] { return String(special) }
        let value = c.value
        let offset: UInt32?
        switch value {
        case 0x41...0x5A: offset = upperStart.map { $0 + value - 0x41 }
        case 0x61...0x7A: offset = lowerStart.map { $0 + value - 0x61 }
        case 0x30...0x39: offset = digitStart.map { $0 + value - 0x30 }
        default: offset = nil
        }
        return offset.flatMap(Unicode.Scalar.init).map(String.init) ?? String(c)
    }

    private var upperStart: UInt32? {
        switch self {
        case .bold: 0x1D400
        case .boldItalic: 0x1D468
        case .script: 0x1D49C
        case .fraktur: 0x1D504
        case .doubleStruck: 0x1D538
        case .sansSerif: 0x1D5A0
        case .monospace: 0x1D670
        case .roman, .italic: nil
        }
    }

    private var lowerStart: UInt32? { upperStart.map { $0 + 26 } }

    private var digitStart: UInt32? {
        switch self {
        case .bold: 0x1D7CE
        case .doubleStruck: 0x1D7D8
        case .sansSerif: 0x1D7E2
        case .monospace: 0x1D7F6
        default: nil
        }
    }

    private var exceptions: [Unicode.Scalar: Unicode.Scalar] {
        switch self {
        case .script: ["B": "\u{212C}", "E": "\u{2130}", "F": "\u{2131}", "H": "\u{210B}", "I": "\u{2110}",
                       "L": "\u{2112}", "M": "\u{2133}", "R": "\u{211B}", "e": "\u{212F}", "g": "\u{210A}", "o": "\u{2134}"]
        case .fraktur: ["C": "\u{212D}", "H": "\u{210C}", "I": "\u{2111}", "R": "\u{211C}", "Z": "\u{2128}"]
        case .doubleStruck: ["C": "\u{2102}", "H": "\u{210D}", "N": "\u{2115}", "P": "\u{2119}", "Q": "\u{211A}",
                             "R": "\u{211D}", "Z": "\u{2124}"]
        default: [:]
        }
    }
}
