import Foundation

/// BM25 keyword ranking over the FTS5 index, with a bound on its cost.
///
/// FTS5 has no early termination: `ORDER BY rank LIMIT 100` still computes
/// BM25 for every row the expression matches, about 1.5-4 µs each. An OR of a
/// reader's words matches most of the corpus as soon as one word is common
/// ("for", "model"), so an unbounded query costs 100-400 ms at 100,000 papers.
///
/// With a scoring budget, the words are split by document frequency:
/// - words in more than half the rows are left out: FTS5 clamps their IDF to
///   1e-6, so they cannot change a ranking, only slow it down;
/// - the rarest words whose frequencies add up to the budget are the "anchor"
///   words: only papers containing one of them are scored;
/// - the other, common words still count in those papers' scores: the
///   expressions `anchors AND commons` and `anchors NOT commons` name every
///   word once, so FTS5 gives each paper its exact BM25 of the whole query.
/// What can be missed is a paper with common words only. Its score is at most
/// the sum of the common words' largest BM25 terms, so when the 100th score
/// found beats that sum the answer is exact; otherwise the next rarest word
/// becomes an anchor and the query runs again, up to four budgets' worth.
/// `SearchBenchmark` prints how much of the exact top 100 is kept.
enum SQLiteKeywordSearch {
    /// Column weights of `bm25()`: a title word counts twice an abstract word.
    static let rankFunction = "bm25(papers_fts, 2.0, 1.0)"
    /// FTS5's BM25 constant k1: a word adds at most idf × (k1 + 1) to a score.
    static let k1 = 1.2
    /// How many budgets' worth of rows may be scored while looking for an exact answer.
    static let budgetsPerSearch = 4

    /// Papers matching any of `words` and every one of `phrases`, best first.
    /// Without a budget, or when the words together match no more rows than
    /// the budget, every match is scored: the exact BM25 ranking.
    static func search(_ db: SQLiteConnection, words: [String], phrases: [String], limit: Int, scoringBudget: Int?) throws -> [KeywordHit] {
        let terms = words.compactMap(quotedTerm)
        let required = phrases.compactMap(quotedTerm)
        // Phrases must all match, which already narrows the rows; one word leaves
        // nothing to choose between. Both run as written.
        guard let scoringBudget, required.isEmpty, terms.count > 1 else {
            guard let expression = expression(anyOf: terms, allOf: required) else { return [] }
            return try rank(db, expression: expression, limit: limit)
        }
        // `max(seq)` is one B-tree descent where `count(*)` reads every row; it
        // overcounts only deleted papers, which makes fewer words look common.
        let rows = try db.queryOne("SELECT max(seq) FROM papers") { $0.optionalInt(0) }.flatMap { $0 } ?? 0
        // Counting stops just past the budget: beyond it the exact figure changes
        // nothing, and counting a very common word costs as much as ranking it.
        var frequency: [String: Int] = [:]
        for term in Set(terms) {
            frequency[term] = try db.queryOne("SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)",
                                              [term, scoringBudget + 1]) { $0.int(0) } ?? 0
        }
        if terms.reduce(0, { $0 + frequency[$1]! }) <= scoringBudget {
            return try rank(db, expression: expression(anyOf: terms, allOf: [])!, limit: limit)
        }
        // A word past the cap is estimated from the newest tenth of the rows:
        // enough to tell "for" (in most papers, clamped IDF, left out) from "model".
        let window = max(rows / 10, 1)
        for (term, count) in frequency where count > scoringBudget {
            let sampled = try db.queryOne("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ? AND rowid > ?",
                                          [term, rows - window]) { $0.int(0) } ?? 0
            frequency[term] = max(count, sampled * rows / window)
        }
        // Rarest first; in the reader's order within the same frequency, repeats
        // kept (FTS5 scores a repeated word twice, as the exact ranking does).
        let informative = terms.filter { frequency[$0]! > 0 && frequency[$0]! <= rows / 2 }
        guard !informative.isEmpty else { return try rank(db, expression: expression(anyOf: terms, allOf: [])!, limit: limit) }
        let byRarity = informative.enumerated().sorted { (frequency[$0.element]!, $0.offset) < (frequency[$1.element]!, $1.offset) }.map(\.element)

        // Anchors: the rarest words that fit the budget (at least one).
        func cost(_ count: Int) -> Int { byRarity[..<count].reduce(0) { $0 + frequency[$1]! } }
        func canAdd(_ count: Int, within allowance: Int) -> Bool {
            count < byRarity.count && cost(count + 1) <= allowance
        }
        var anchors = 1
        while canAdd(anchors, within: scoringBudget) { anchors += 1 }
        var spent = 0
        while true {
            let anchorTerms = Array(byRarity[..<anchors]), commonTerms = Array(byRarity[anchors...])
            guard !commonTerms.isEmpty else { return try rank(db, expression: expression(anyOf: anchorTerms, allOf: [])!, limit: limit) }
            let hits = try rank(db, anchors: anchorTerms, commons: commonTerms, limit: limit)
            spent += cost(anchors)
            let bestCommonOnly = commonTerms.reduce(0.0) { $0 + largestScore(frequency: frequency[$1]!, rows: rows) }
            if hits.count == limit, hits[limit - 1].score > bestCommonOnly { return hits } // provably exact
            guard canAdd(anchors, within: budgetsPerSearch * scoringBudget - spent) else { return hits } // close enough
            anchors += 1
        }
    }

    /// The most one word can add to a BM25 score: idf × (k1 + 1), with the idf
    /// of a word in `frequency` rows.
    static func largestScore(frequency: Int, rows: Int) -> Double {
        let idf = log((Double(rows - frequency) + 0.5) / (Double(frequency) + 0.5))
        return max(idf, 1e-6) * (k1 + 1)
    }

    /// The best `limit` papers with at least one anchor word, scored by every
    /// word: each expression names each word once, so FTS5's BM25 of it is the
    /// paper's BM25 for the whole query.
    static func rank(_ db: SQLiteConnection, anchors: [String], commons: [String], limit: Int) throws -> [KeywordHit] {
        let anchor = "(" + anchors.joined(separator: " OR ") + ")", common = "(" + commons.joined(separator: " OR ") + ")"
        return try db.query("""
            SELECT p.id, f.score FROM (
                SELECT rowid, \(rankFunction) AS score FROM papers_fts WHERE papers_fts MATCH ?
                UNION ALL
                SELECT rowid, \(rankFunction) AS score FROM papers_fts WHERE papers_fts MATCH ?
                ORDER BY score LIMIT ?
            ) f JOIN papers p ON p.seq = f.rowid ORDER BY f.score
            """, [anchor + " AND " + common, anchor + " NOT " + common, limit]) { KeywordHit(id: $0.string(0), score: -$0.double(1)) }
    }

    /// The best `limit` rows by BM25. Only those rows are joined to `papers`:
    /// joining inside the ranking would look up every matching row.
    static func rank(_ db: SQLiteConnection, expression: String, limit: Int) throws -> [KeywordHit] {
        try db.query("""
            SELECT p.id, f.score FROM (
                SELECT rowid, \(rankFunction) AS score FROM papers_fts WHERE papers_fts MATCH ? ORDER BY score LIMIT ?
            ) f JOIN papers p ON p.seq = f.rowid ORDER BY f.score
            """, [expression, limit]) { KeywordHit(id: $0.string(0), score: -$0.double(1)) }
    }

    /// An FTS5 expression: (any of the words) AND every phrase.
    static func expression(anyOf words: [String], allOf phrases: [String]) -> String? {
        var clauses: [String] = []
        if !words.isEmpty { clauses.append("(" + words.joined(separator: " OR ") + ")") }
        clauses += phrases
        return clauses.isEmpty ? nil : clauses.joined(separator: " AND ")
    }

    /// Everything a reader typed is quoted, so nothing is read as FTS5 syntax;
    /// a word with inner punctuation ("GPT-4") becomes the phrase of its parts.
    /// Cut by Unicode scalars, not `Character`s: a grapheme such as a Prepend
    /// letter followed by `"` is one `Character` that counts as a letter, and
    /// would carry the quote into the FTS5 query.
    static func quotedTerm(_ text: String) -> String? {
        let parts = text.unicodeScalars.split(whereSeparator: { !isWordScalar($0) }).map { String(String.UnicodeScalarView($0)) }
        return parts.isEmpty ? nil : "\"" + parts.joined(separator: " ") + "\""
    }

    /// Letters, numbers and the marks that go with them (as FTS5's unicode61 tokenizer keeps them).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }
}
