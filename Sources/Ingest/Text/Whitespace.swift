import Foundation

public enum Whitespace {
    /// Folds the hard line breaks of arXiv metadata ("...at Tevatron and\n  LHC
    /// energies"): every run of white space (spaces, tabs, line breaks) becomes
    /// one space, and the ends are trimmed. Other control characters (a JSON
    /// "\u0000", say) count as white space too: no text shows them, SQLite
    /// would cut a text at a NUL and PostgreSQL refuses one outright.
    public static func fold(_ text: String) -> String {
        var needsWork = false
        var previousSpace = true
        for byte in text.utf8 {
            let space = isSpace(byte)
            if space && (previousSpace || byte != 0x20) { needsWork = true; break }
            previousSpace = space
        }
        if !needsWork && !previousSpace { return text }
        if !needsWork && text.isEmpty { return text }

        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if isSpace(byte) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A space or a control character (C0 or DEL; never part of a longer UTF-8 sequence).
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == 0x7F
    }
}
