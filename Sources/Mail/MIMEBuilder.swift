import Foundation

/// Builds RFC 5322 / MIME text: headers folded to 78 columns, non-ASCII header
/// text as RFC 2047 encoded-words, bodies in UTF-8 as quoted-printable (mostly
/// ASCII text) or base64 (mostly non-ASCII text), so every line stays short
/// and 7-bit whatever the input.
public enum MIMEBuilder {
    public static let lineLimit = 78

    /// Renders the message with CRLF line endings. A message without an id gets one.
    public static func render(_ message: MailMessage, boundary: String? = nil) -> String {
        let message = message.withMessageID()
        var out: [String] = []
        out.append(header("Date", rfc5322Date(message.date)))
        out.append(addressHeader("From", [message.from]))
        if !message.to.isEmpty { out.append(addressHeader("To", message.to)) }
        if !message.cc.isEmpty { out.append(addressHeader("Cc", message.cc)) }
        if let replyTo = message.replyTo { out.append(addressHeader("Reply-To", [replyTo])) }
        out.append(header("Subject", message.subject))
        out.append(header("Message-ID", message.messageID!))
        out.append("MIME-Version: 1.0")
        let reserved: Set<String> = ["date", "from", "to", "cc", "bcc", "reply-to", "subject", "message-id",
                                     "mime-version", "content-type", "content-transfer-encoding"]
        for extra in message.headers where !reserved.contains(extra.name.lowercased()) {
            let name = sanitizeHeaderName(extra.name)
            if !name.isEmpty { out.append(header(name, extra.value)) }
        }

        if let html = message.html {
            let boundary = boundary ?? "=_quire_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            out.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
            out.append("")
            out.append("This is a multi-part message in MIME format.")
            out.append("")
            out.append("--\(boundary)")
            out.append(contentsOf: part(contentType: "text/plain", body: message.text))
            out.append("")
            out.append("--\(boundary)")
            out.append(contentsOf: part(contentType: "text/html", body: html))
            out.append("")
            out.append("--\(boundary)--")
        } else {
            out.append(contentsOf: part(contentType: "text/plain", body: message.text))
        }
        return out.joined(separator: "\r\n") + "\r\n"
    }

    /// A body part: its Content-Type and Content-Transfer-Encoding headers,
    /// a blank line, and the encoded body (lines without terminators).
    static func part(contentType: String, body: String) -> [String] {
        let bytes = unixNewlineBytes(body)
        let nonASCII = bytes.lazy.filter { $0 >= 0x80 }.count
        let useBase64 = nonASCII * 3 > bytes.count  // quoted-printable would triple most bytes
        var lines = ["Content-Type: \(contentType); charset=utf-8",
                     "Content-Transfer-Encoding: \(useBase64 ? "base64" : "quoted-printable")", ""]
        lines.append(contentsOf: useBase64 ? base64Lines(bytes) : quotedPrintable(bytes))
        return lines
    }

    // MARK: Headers

    /// Whether every word fits after the header name on a line of at most
    /// RFC 5322's 998 characters. Relays may cut or refuse longer lines, so
    /// text with a longer word is sent as encoded-words, which split anywhere.
    static func fitsOnALine(_ tokens: [String], name: String) -> Bool {
        tokens.allSatisfy { name.count + 2 + $0.utf8.count <= 998 }
    }

    /// "Name: value", folded; a value with non-ASCII text or an overlong word
    /// becomes encoded-words.
    public static func header(_ name: String, _ value: String) -> String {
        let clean = sanitizeHeaderValue(value)
        let words = clean.split(separator: " ").map(String.init)
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }), fitsOnALine(words, name: name) {
            return fold(name: name, tokens: words)
        }
        return fold(name: name, tokens: encodedWords(clean, firstLinePrefix: name.count + 2))
    }

    /// An address-list header; display names that need it are quoted or encoded.
    public static func addressHeader(_ name: String, _ addresses: [MailAddress]) -> String {
        var tokens: [String] = []
        for (index, address) in addresses.enumerated() {
            var mailbox: [String] = []
            if let display = address.name.map(sanitizeHeaderValue), !display.isEmpty {
                mailbox.append(contentsOf: phrase(display, firstLinePrefix: name.count + 2))
                mailbox.append("<\(address.address)>")
            } else {
                mailbox.append(address.address)
            }
            if index < addresses.count - 1 { mailbox[mailbox.count - 1] += "," }
            tokens.append(contentsOf: mailbox)
        }
        return fold(name: name, tokens: tokens)
    }

    /// A display name as header tokens: atoms, a quoted-string, or encoded-words.
    static func phrase(_ name: String, firstLinePrefix: Int) -> [String] {
        if name.unicodeScalars.allSatisfy({ $0.isASCII }) {
            let tokens: [String]
            let atext = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ "))
            if name.unicodeScalars.allSatisfy({ atext.contains($0) }) && !name.hasPrefix("=?") {
                tokens = name.split(separator: " ").map(String.init)
            } else {
                let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                tokens = ["\"\(escaped)\""]
            }
            if tokens.allSatisfy({ firstLinePrefix + $0.utf8.count <= 998 }) { return tokens }
        }
        return encodedWords(name, firstLinePrefix: firstLinePrefix)
    }

    /// RFC 2047 "B" encoded-words for `text`, split on character boundaries so
    /// that each word is at most 75 characters and the first fits after the
    /// header name. Whitespace between adjacent encoded-words is not part of the
    /// decoded text, so the words may be folded freely.
    public static func encodedWords(_ text: String, firstLinePrefix: Int = 0) -> [String] {
        let overhead = "=?UTF-8?B??=".count
        func capacity(_ available: Int) -> Int { max(3, (available - overhead) / 4 * 3) }
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = capacity(min(75, lineLimit - 2 - firstLinePrefix))
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk = []
            limit = capacity(75)
        }
        func append(_ bytes: [UInt8]) {
            if chunk.count + bytes.count > limit { flush() }
            chunk.append(contentsOf: bytes)
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if bytes.count <= capacity(75) {
                append(bytes)
            } else {
                // A grapheme too long for one word (a letter under hundreds of
                // combining marks) is cut between its scalars, so no word grows
                // past the line limit and each still decodes as UTF-8.
                for scalar in String(character).unicodeScalars { append(Array(String(scalar).utf8)) }
            }
        }
        flush()
        return words.isEmpty ? [""] : words
    }

    /// Joins tokens with single spaces, starting a new (indented) line before a
    /// token that would push the line past 78 characters.
    static func fold(name: String, tokens: [String]) -> String {
        var lines: [String] = []
        var line = name + ":"
        var lineHasToken = false
        for token in tokens where !token.isEmpty {
            if lineHasToken && line.count + 1 + token.count > lineLimit {
                lines.append(line)
                line = " " + token
            } else {
                line += " " + token
            }
            lineHasToken = true
        }
        if !lineHasToken { line += " " }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// Header values cannot contain line breaks (that would inject headers):
    /// every control character becomes a space, and runs of spaces collapse.
    static func sanitizeHeaderValue(_ value: String) -> String {
        let mapped = String(String.UnicodeScalarView(value.unicodeScalars.map {
            ($0.value < 0x20 || $0.value == 0x7F) ? " " : $0
        }))
        return mapped.split(separator: " ").joined(separator: " ")
    }

    static func sanitizeHeaderName(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7F && $0 != ":" }.map(Character.init))
    }

    // MARK: Bodies

    /// CRLF and lone CR become LF. A byte loop: Foundation's
    /// `replacingOccurrences` costs milliseconds per mail on Linux, which
    /// dominated building 10,000 digests.
    public static func unixNewlines(_ text: String) -> String {
        String(decoding: unixNewlineBytes(text), as: UTF8.self)
    }

    static func unixNewlineBytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var afterCR = false
        for byte in text.utf8 {
            if byte == 0x0D { out.append(0x0A); afterCR = true; continue }
            if byte == 0x0A && afterCR { afterCR = false; continue }
            afterCR = false
            out.append(byte)
        }
        return out
    }

    /// RFC 2045 quoted-printable of UTF-8 text with "\n" line breaks: hard line
    /// breaks stay line breaks, encoded lines are at most 76 characters, and
    /// trailing whitespace and a line-initial "From " are encoded.
    public static func quotedPrintable(_ bytes: [UInt8]) -> [String] {
        let hex = Array("0123456789ABCDEF".utf8)
        var result: [String] = []
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let line = Array(line)
            var current: [UInt8] = []
            for (index, byte) in line.enumerated() {
                let isLast = index == line.count - 1
                var token: [UInt8]
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 0x20 || byte == 0x09) && !isLast)
                if literal {
                    token = [byte]
                } else {
                    token = [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                }
                // "From " at the start of a line would be mangled by mbox tools.
                if current.isEmpty && byte == UInt8(ascii: "F") && line[index...].starts(with: Array("From ".utf8)) {
                    token = Array("=46".utf8)
                }
                // Leave room for the soft break "=" (76 characters in all).
                let room = isLast ? 76 : 75
                if current.count + token.count > room {
                    result.append(String(decoding: current + [UInt8(ascii: "=")], as: UTF8.self))
                    current = []
                }
                current.append(contentsOf: token)
            }
            result.append(String(decoding: current, as: UTF8.self))
        }
        // The text's final newline is the message's own line end.
        if result.count > 1 && result.last == "" { result.removeLast() }
        return result
    }

    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    // MARK: Dates

    /// RFC 5322 date-time in UTC: "Tue, 01 Jul 2025 08:05:09 +0000".
    public static func rfc5322Date(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[c.weekday! - 1]), \(two(c.day!)) \(months[c.month! - 1]) \(c.year!) "
            + "\(two(c.hour!)):\(two(c.minute!)):\(two(c.second!)) +0000"
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
