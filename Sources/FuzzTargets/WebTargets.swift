import Foundation
import HummingbirdCore
import Web

/// What the web layer reads from requests: comment markup, form bodies and
/// query strings.
enum WebTargets {
    static let all = [
        FuzzTarget("comment-markup", commentMarkup),
        FuzzTarget("form-fields", formFields),
        FuzzTarget("query-string", queryString),
        FuzzTarget("multipart-form", multipartForm),
    ]

    /// A file upload's body: parsed or refused (nil), never a trap; what is
    /// parsed reads back the same as form fields.
    static func multipartForm(_ bytes: [UInt8]) throws {
        guard let fields = MultipartForm.fields(bytes, boundary: "XyZ") else { return }
        let form = FormFields(pairs: fields)
        for (name, value) in fields { try check(form.all(name).contains(value), "field \(name) reads back differently") }
    }

    /// Comments are shown to other readers: whatever the input, the HTML
    /// holds only the documented tags, and links only to the web or to
    /// Quire's own pages.
    static func commentMarkup(_ bytes: [UInt8]) throws {
        let html = CommentMarkup.html(text(bytes)).lowercased()
        try check(!html.contains("<script"), "a <script> tag in comment HTML")
        for link in html.components(separatedBy: "href=\"").dropFirst() {
            let web = link.hasPrefix("http://") || link.hasPrefix("https://")
            let local = link.hasPrefix("/") && !link.hasPrefix("//") // an arXiv id's paper page
            try check(web || local, "a link to \(link.prefix(40)) in comment HTML")
        }
        for tag in html.split(separator: "<").dropFirst() {
            let name = tag.prefix { $0.isLetter || $0.isNumber || $0 == "/" }
            try check(allowedTags.contains(String(name)), "a <\(name)> tag in comment HTML")
        }
    }

    /// The tags CommentMarkup documents, opening and closing.
    static let allowedTags: Set<String> = Set(
        ["p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "li", "a"].flatMap { [$0, "/" + $0] })

    static func formFields(_ bytes: [UInt8]) throws {
        let form = FormFields(urlEncoded: text(bytes))
        for (key, value) in form.values {
            try check(form[key] == value, "field \(key) reads back differently")
        }
    }

    /// A request target as the server receives it: Hummingbird's URI parser
    /// finds the query, which `QueryReader` decodes as a form (`+` a space).
    static func queryString(_ bytes: [UInt8]) throws {
        let query = URI("/search?" + text(bytes)).query ?? ""
        let fields = FormFields(urlEncoded: query)
        let pairs = query.split(separator: "&").count
        try check(fields.values.count <= pairs, "\(fields.values.count) fields from \(pairs) pairs")
        // Bytes, not Characters: a `%` followed by a combining mark is one
        // Character that is not "%".
        if !query.utf8.contains(UInt8(ascii: "%")) {
            try check(fields.values.values.allSatisfy { !$0.contains("+") }, "a + left in a decoded value")
        }
    }
}
