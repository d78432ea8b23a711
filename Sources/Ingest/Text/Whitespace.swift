import Foundation

public enum Whitespace {
    /// Folds the hard line breaks of arXiv metadata ("...at Tevatron and\n  LHC
    /// energies"): every run of white space (spaces, tabs, line breaks) becomes
    /// one space, and the ends are trimmed.
    public static func fold(_ text: String) -> String {
        var needsWork = false
        var previousSpace = true
        for byte in text.utf8 {
            let space = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
            if space && (previousSpace || byte != 0x20) { needsWork = true; break }
            previousSpace = space
        }
        if !needsWork && !previousSpace { return text }
        if !needsWork && text.isEmpty { return text }

        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
