import Hummingbird
import QuireCore

/// The citation formats Quire serves as files, for one paper
/// (`/papers/{id}.bib`) and for a collection (`/collections/{id}/bibtex`):
/// the rendering lives in QuireCore's `BibTeX`, `RIS` and `CSLJSON`, this is
/// only how each travels over HTTP.
enum CitationDownload: CaseIterable {
    case bibtex, ris, cslJSON

    /// What ends a paper's address for this format: `/papers/2401.00001.bib`.
    var fileExtension: String {
        switch self {
        case .bibtex: ".bib"
        case .ris: ".ris"
        case .cslJSON: ".csl.json"
        }
    }

    /// The last segment of a collection's export address: `/collections/3/ris`.
    var collectionPath: String {
        switch self {
        case .bibtex: "bibtex"
        case .ris: "ris"
        case .cslJSON: "csl-json"
        }
    }

    var name: String {
        switch self {
        case .bibtex: "BibTeX"
        case .ris: "RIS"
        case .cslJSON: "CSL-JSON"
        }
    }

    /// The types reference managers register for: Zotero's connector and
    /// browsers hand a `.ris` or `.bib` download to it by these.
    var contentType: String {
        switch self {
        case .bibtex: "text/x-bibtex; charset=utf-8"
        case .ris: "application/x-research-info-systems; charset=utf-8"
        case .cslJSON: "application/vnd.citationstyles.csl+json; charset=utf-8"
        }
    }

    func render(_ papers: [Paper]) -> String {
        switch self {
        case .bibtex: BibTeX.file(papers)
        case .ris: RIS.file(papers)
        case .cslJSON: CSLJSON.file(papers)
        }
    }

    /// The file, named `filename` + the format's extension when saved.
    /// `attachment` because a browser would otherwise show it as text (or not
    /// at all, for RIS) where a reader wants a file to import.
    func response(_ papers: [Paper], filename: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: contentType,
            .contentDisposition: "attachment; filename=\"\(Self.safeFilename(filename))\(fileExtension)\"",
        ], body: .init(byteBuffer: ByteBuffer(string: render(papers))))
    }

    /// The format a paper address asks for, and the address without its
    /// extension; nil when it names no citation format.
    static func split(_ path: String) -> (rest: String, format: CitationDownload)? {
        // ".csl.json" before anything shorter it might end with.
        for format in [CitationDownload.cslJSON, .bibtex, .ris] where path.hasSuffix(format.fileExtension) {
            return (String(path.dropLast(format.fileExtension.count)), format)
        }
        return nil
    }

    /// A filename a header can carry: old-style ids have a slash
    /// ("hep-th/9901001" saves as "hep-th_9901001"), and only plain ASCII
    /// letters, digits and `.-_` are kept (nothing can end the quoted string).
    static func safeFilename(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { c in
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "-" ? c : "_"
        }))
    }
}
