/// Words that end a candidate keyphrase (KeyphraseCandidates): English
/// function words, and the verbs, adverbs and adjectives abstracts use to
/// talk about their work ("we propose", "significantly", "novel"), which
/// name no topic.
enum KeyphraseStopWords {
    static let all: Set<String> = function.union(abstractTalk).union(verbs).union(verbForms)

    static let function: Set<String> = [
        "a", "about", "above", "across", "after", "again", "against", "all", "almost", "along", "also", "although",
        "always", "am", "among", "an", "and", "another", "any", "are", "around", "as", "at", "be", "because", "been",
        "before", "being", "below", "between", "both", "but", "by", "can", "cannot", "could", "did", "do", "does",
        "doing", "done", "down", "due", "during", "each", "either", "else", "enough", "etc", "even", "ever", "every",
        "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
        "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less", "like",
        "many", "may", "me", "might", "more", "most", "much", "must", "my", "neither", "no", "nor", "not", "now", "of",
        "off", "often", "on", "once", "one", "only", "onto", "or", "other", "others", "otherwise", "our", "ours",
        "out", "over", "own", "per", "rather", "same", "she", "should", "since", "so", "some", "still", "such", "than",
        "that", "the", "their", "theirs", "them", "themselves", "then", "there", "thereby", "therefore", "these",
        "they", "this", "those", "though", "thus", "to", "too", "toward", "towards", "two", "three", "under", "unlike",
        "until", "up", "upon", "us", "very", "via", "vs", "was", "we", "well", "were", "what", "whatever", "when",
        "where", "whereas", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
        "without", "would", "yet", "you", "your", "first", "second", "third", "i.e", "e.g", "et", "al", "versus",
        "http", "https", "www", "com", "github", "io", "org", "html", "code", "available", "publicly", "project",
        "page", "url", "see", "ii", "iii", "iv", "through", "throughout", "whereby", "thereof",
    ]

    static let abstractTalk: Set<String> = [
        "propose", "proposes", "proposed", "proposing", "present", "presents", "presented", "presenting", "introduce",
        "introduces", "introduced", "introducing", "show", "shows", "showed", "shown", "showing", "demonstrate",
        "demonstrates", "demonstrated", "demonstrating", "achieve", "achieves", "achieved", "achieving", "outperform",
        "outperforms", "outperformed", "outperforming", "improve", "improves", "improved", "improving", "enable",
        "enables", "enabled", "enabling", "allow", "allows", "allowed", "allowing", "use", "uses", "used", "using",
        "make", "makes", "made", "making", "provide", "provides", "provided", "providing", "study", "studies",
        "studied", "investigate", "investigates", "investigated", "explore", "explores", "explored", "exploring",
        "develop", "develops", "developed", "design", "designed", "leverage", "leverages", "leveraging",
        "leveraged", "require", "requires", "required", "requiring", "remain", "remains", "remaining", "consider",
        "considered", "evaluate", "evaluates", "evaluated", "evaluating", "conduct", "conducted", "perform",
        "performs", "performed", "yield", "yields", "yielding", "obtain", "obtained", "find", "finds", "found",
        "reveal", "reveals", "observe", "observed", "suggest", "suggests", "address", "addresses", "addressing",
        "tackle", "aim", "aims", "focus", "focuses", "based", "given", "called", "named", "termed", "known", "new",
        "novel", "existing", "extensive", "various", "several", "different", "key", "main", "recent", "recently",
        "current", "previous", "prior", "state-of-the-art", "sota", "significant", "substantial", "superior",
        "strong", "effective", "efficient", "simple", "general", "specific", "respectively", "furthermore",
        "moreover", "additionally", "finally", "notably", "particular", "paper", "work", "works", "results",
        "result", "experiments", "experimental", "findings", "contribution", "contributions",
        "compared", "comparable", "competitive", "better", "best", "high", "higher", "low", "lower", "large-scale",
        "wide", "range", "variety", "number", "able", "set", "sets", "way", "ways", "lead", "leads",
        "leading", "help", "helps", "effectively", "significantly", "consistently", "substantially",
        "release", "released", "benchmarks", "benchmark",
    ]

    /// Verbs abstracts use, which end a noun phrase ("… that learns
    /// informative modulations"). Not those that are nouns as often
    /// ("process", "support", "train", "face", "capture", "estimate").
    static let verbs: Set<String> = [
        "learn", "learns", "learned", "predict", "predicts", "utilize", "utilizes", "utilizing", "extract", "extracts",
        "tackle", "tackles", "tackling", "enhance", "enhances", "enhancing", "mimic", "mimics", "lack", "lacks", "keep",
        "keeps", "maintain", "maintains", "assist", "assists", "optimize", "optimizes", "tailor", "tailored", "serve",
        "serves", "employ", "employs", "employing", "produce", "produces", "depend", "depends", "reduce", "reduces",
        "reducing", "increase", "increases", "generate", "generates", "generating", "mitigate", "mitigates",
        "mitigating", "preserve", "preserves", "boost", "boosts", "surpass", "surpasses", "surpassing", "deliver",
        "delivers", "offer", "offers", "offering", "exhibit", "exhibits", "rely", "relies", "relying", "struggle",
        "struggles", "fail", "fails", "suffer", "suffers", "become", "becomes", "include", "includes", "including",
        "involve", "involves", "exploit", "exploits", "exploiting", "ensure", "ensures", "ensuring", "integrate",
        "integrates", "integrating", "combine", "combines", "combining", "incorporate", "incorporates",
        "incorporating", "facilitate", "facilitates", "overcome", "overcomes", "identify", "identifies", "apply",
        "applies", "applying", "adopt", "adopts", "build", "builds", "construct", "constructs", "encode", "encodes",
        "guide", "guides", "push", "pushes", "handle", "handles", "reach", "reaches", "attain", "attains", "explain",
        "explains", "emphasize", "emphasizes", "impede", "impedes", "reap", "corresponding", "dedicated", "trained",
        "updated", "accelerate", "accelerates", "accelerating", "capturing", "compare", "compares", "operate",
        "operates", "emerge", "emerges", "emerged", "occur", "occurs", "contain", "contains", "containing", "describe",
        "describes", "represent", "represents", "solve", "solves", "solving", "outline", "outlines", "highlight",
        "highlights", "establish", "establishes", "exceed", "exceeds", "match", "matches", "requires", "select",
        "selects", "determine", "determines", "measure", "measures", "quantify", "quantifies", "analyze", "analyzes",
        "analyse", "analyses", "examine", "examines", "propose", "remains", "persist", "persists", "self-teach",
        "retain", "retains", "adapt", "adapts", "scale", "scales", "transfer", "transfers", "gain", "gains",
        "decrease", "decreases", "share", "shares", "create", "creates", "refine", "refines", "refining",
    ]

    /// More verb forms and the adverbs without "-ly" that abstracts use in
    /// their opening claims ("diffusion models have revolutionized
    /// high-fidelity synthesis", "… remains largely unexplored"): a phrase
    /// that starts or ends with one ("revolutionized high-fidelity") names
    /// no topic, so they end a candidate as the other stop words do. Not
    /// those that are nouns as often ("transform", "pose", "limit", "lag").
    static let verbForms: Set<String> = [
        "revolutionize", "revolutionizes", "revolutionized", "revolutionizing", "transformed", "dominate", "dominates",
        "dominated", "unlock", "unlocks", "unlocked", "unlocking", "showcase", "showcases", "showcased", "showcasing",
        "underscore", "underscores", "underscored", "validate", "validates", "validated", "verify", "verifies",
        "verified", "confirm", "confirms", "confirmed", "excel", "excels", "excelled", "lags", "lagged", "underperform",
        "underperforms", "benefited", "benefiting", "hinder", "hinders", "hindered", "limited", "posed", "raise",
        "raises", "raised", "emerge", "gained", "garnered", "witnessed", "attracted", "sparked", "spurred", "drawn",
        "drew", "become", "became", "becoming", "brings", "brought", "bridged", "boosted", "surpassed", "achieves",
        "already", "instead", "together", "alone", "hence", "meanwhile", "nonetheless", "nevertheless", "likewise",
        "somewhat", "quite", "again", "afterwards", "beforehand", "thereafter", "nowadays", "increasingly",
    ]

    /// Words that say nothing as a keyphrase alone, but do inside one
    /// ("language models", "reinforcement learning").
    static let genericAlone: Set<String> = [
        "model", "models", "method", "methods", "approach", "approaches", "framework", "frameworks", "data", "task",
        "tasks", "performance", "system", "systems", "problem", "problems", "analysis", "learning", "training",
        "network", "networks", "quality", "accuracy", "information", "process", "level", "time", "tool", "tools",
        "setting", "settings", "capabilities", "capability", "ability", "abilities", "generation", "evaluation",
        "dataset", "datasets", "technique", "techniques", "strategy", "strategies", "mechanism", "module", "modules",
        "pipeline", "baseline", "baselines", "improvement", "improvements", "gains", "challenge", "challenges",
    ]

    /// Nouns ending in "ly", which the adverb rule would cut.
    static let nounsInLy: Set<String> = [
        "anomaly", "family", "assembly", "supply", "monopoly", "butterfly", "italy", "jelly", "poly",
        "rally", "ally", "reply", "homily"
    ]
}
