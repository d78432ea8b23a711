import Foundation

/// A `multipart/form-data` body (RFC 7578), the one way a browser without
/// JavaScript uploads a file (a BibTeX file of one's own papers). Each part's
/// name and text; a file's content is its text (invalid UTF-8 repaired).
/// Anything malformed ends in `nil`, which the caller answers with a 400.
public enum MultipartForm {
    /// The boundary of a `multipart/form-data; boundary=…` content type, nil for any other type.
    public static func boundary(contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            var value = part.dropFirst("boundary=".count)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            // RFC 2046: 1 to 70 characters.
            return (1...70).contains(value.count) ? String(value) : nil
        }
        return nil
    }

    /// The fields in the order sent, or nil when the body is not well formed.
    public static func fields(_ body: [UInt8], boundary: String) -> [(name: String, value: String)]? {
        let delimiter = Array(("--" + boundary).utf8)
        guard var start = find(delimiter, in: body, from: 0) else { return nil }
        var fields: [(name: String, value: String)] = []
        while true {
            start += delimiter.count
            // "--" after the delimiter closes the body.
            if body.count >= start + 2, body[start] == UInt8(ascii: "-"), body[start + 1] == UInt8(ascii: "-") { return fields }
            guard body.count >= start + 2, body[start] == 0x0D, body[start + 1] == 0x0A else { return nil }
            let partStart = start + 2
            guard let next = find([0x0D, 0x0A] + delimiter, in: body, from: partStart),
                  let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: partStart), headerEnd <= next else { return nil }
            let headers = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            guard let name = fieldName(headers) else { return nil }
            // A part whose blank line is the delimiter's own CRLF has no value
            // (found by the fuzzer: the value would start past its end).
            fields.append((name, String(decoding: body[min(headerEnd + 4, next)..<next], as: UTF8.self)))
            start = next + 2
        }
    }

    /// `name` of the part's `Content-Disposition: form-data; name="…"`.
    static func fieldName(_ headers: String) -> String? {
        for line in headers.split(separator: "\r\n") {
            let lower = line.lowercased()
            guard lower.hasPrefix("content-disposition:") else { continue }
            for parameter in line.split(separator: ";").dropFirst() {
                let pair = parameter.trimmingCharacters(in: .whitespaces)
                guard pair.lowercased().hasPrefix("name=") else { continue }
                var value = pair.dropFirst(5)
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
                return String(value)
            }
        }
        return nil
    }

    /// Where `needle` first occurs in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        var i = from
        while i <= haystack.count - needle.count {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
