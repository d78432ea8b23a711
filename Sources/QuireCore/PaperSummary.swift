/// What Quire's model says a paper is about: one or two sentences of its
/// abstract, as written (TeX included), and 3–10 keyphrases. The API shows
/// them as Hugging Face names them, `ai_summary` and `ai_keywords`.
public struct PaperSummary: Equatable, Sendable, Codable {
    public var text: String
    public var keyphrases: [String]
    public init(text: String, keyphrases: [String]) { self.text = text; self.keyphrases = keyphrases }
}
