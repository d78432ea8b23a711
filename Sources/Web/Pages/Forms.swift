import Foundation

/// Pieces of HTML forms. Every POST form carries the viewer's CSRF token;
/// building them here means no form can forget it.
enum Forms {
    static func csrfField() -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(esc(Viewer.current.csrfToken))\">"
    }

    /// A one-button form, e.g. "Upvote" or "Log out", with hidden fields.
    /// `inPlace`: with JavaScript, `InPlaceScript` sends it and swaps in the
    /// HTML the server answers (`InPlace`) instead of loading a page.
    static func post(_ action: String, button: String, fields: [String: String] = [:], style: String? = nil, title: String? = nil,
                     inPlace: Bool = false) -> String {
        let hidden = fields.sorted { $0.key < $1.key }.map { "<input type=\"hidden\" name=\"\(esc($0.key))\" value=\"\(esc($0.value))\">" }.joined()
        let classAttribute = style.map { " class=\"\(esc($0))\"" } ?? ""
        let titleAttribute = title.map { " title=\"\(esc($0))\"" } ?? ""
        let inPlaceAttribute = inPlace ? " data-in-place" : ""
        return "<form class=\"inline\" method=\"post\" action=\"\(esc(action))\"\(inPlaceAttribute)>\(csrfField())\(hidden)<button type=\"submit\"\(classAttribute)\(titleAttribute)>\(esc(button))</button></form>"
    }

    /// A message box above a form: an error, or a confirmation.
    static func message(_ text: String?, ok: Bool = false) -> String {
        guard let text else { return "" }
        return "<p class=\"\(ok ? "ok" : "error")\" role=\"\(ok ? "status" : "alert")\">\(esc(text))</p>"
    }
}
