/// arXiv's subject taxonomy (https://arxiv.org/category_taxonomy): the one
/// list of the categories Quire knows, for validating `category=` and the
/// readers' default categories. Categories are compared without case
/// (`FilterRule.category`); this list gives each its canonical spelling.
public enum ArxivCategories {
    /// Archives with subject classes: "cs" → "cs.AI", "cs.AR", …
    static let subjects: [String: [String]] = [
        "astro-ph": ["CO", "EP", "GA", "HE", "IM", "SR"],
        "cond-mat": ["dis-nn", "mes-hall", "mtrl-sci", "other", "quant-gas", "soft", "stat-mech", "str-el", "supr-con"],
        "cs": ["AI", "AR", "CC", "CE", "CG", "CL", "CR", "CV", "CY", "DB", "DC", "DL", "DM", "DS", "ET", "FL", "GL", "GR", "GT",
               "HC", "IR", "IT", "LG", "LO", "MA", "MM", "MS", "NA", "NE", "NI", "OH", "OS", "PF", "PL", "RO", "SC", "SD", "SE",
               "SI", "SY"],
        "econ": ["EM", "GN", "TH"],
        "eess": ["AS", "IV", "SP", "SY"],
        "math": ["AC", "AG", "AP", "AT", "CA", "CO", "CT", "CV", "DG", "DS", "FA", "GM", "GN", "GR", "GT", "HO", "IT", "KT", "LO",
                 "MG", "MP", "NA", "NT", "OA", "OC", "PR", "QA", "RA", "RT", "SG", "SP", "ST"],
        "nlin": ["AO", "CD", "CG", "PS", "SI"],
        "physics": ["acc-ph", "ao-ph", "app-ph", "atm-clus", "atom-ph", "bio-ph", "chem-ph", "class-ph", "comp-ph", "data-an",
                    "ed-ph", "flu-dyn", "gen-ph", "geo-ph", "hist-ph", "ins-det", "med-ph", "optics", "plasm-ph", "pop-ph",
                    "soc-ph", "space-ph"],
        "q-bio": ["BM", "CB", "GN", "MN", "NC", "OT", "PE", "QM", "SC", "TO"],
        "q-fin": ["CP", "EC", "GN", "MF", "PM", "PR", "RM", "ST", "TR"],
        "stat": ["AP", "CO", "ME", "ML", "OT", "TH"],
    ]

    /// Archives that are one category each ("hep-th"), and the retired
    /// archives older papers still carry ("cmp-lg", "alg-geom"): their badges
    /// link somewhere too.
    static let singleArchives = [
        "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph", "nucl-ex", "nucl-th", "quant-ph",
        "acc-phys", "adap-org", "alg-geom", "ao-sci", "atom-ph", "bayes-an", "chao-dyn", "chem-ph", "cmp-lg", "comp-gas",
        "dg-ga", "funct-an", "mtrl-th", "patt-sol", "plasm-ph", "q-alg", "solv-int", "supr-con",
    ]

    /// Every category and archive, canonical spelling, sorted.
    public static let all: [String] = {
        var names = Set(singleArchives)
        for (archive, codes) in subjects {
            names.insert(archive)
            for code in codes { names.insert(archive + "." + code) }
        }
        return names.sorted()
    }()

    private static let byLowercased: [String: String] = Dictionary(
        all.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })

    /// The canonical spelling of a category ("cs.CL") or archive ("cs"),
    /// whatever its case; nil when arXiv has no such category.
    public static func canonical(_ text: String) -> String? {
        byLowercased[text.lowercased()]
    }

    /// How to write one, for the error that refuses an unknown one.
    public static let validForm = "an arXiv category such as cs.CL, or a whole archive such as cs (every cs.* category); the list is arXiv's, https://arxiv.org/category_taxonomy"
}
