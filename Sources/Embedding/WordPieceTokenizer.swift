import Foundation

/// BERT WordPiece tokenizer (uncased), matching Hugging Face's `BertTokenizer`
/// / `BertTokenizerFast` as configured for all-MiniLM-L6-v2:
///
/// 1. clean text: drop U+0000, U+FFFD and control characters (general category
///    C*, except tab/newline/CR); map whitespace to a space;
/// 2. put spaces around CJK ideographs;
/// 3. strip accents: NFD, then drop non-spacing marks (Mn);
/// 4. lower-case (per scalar, no context-dependent rules, like `tokenizers`);
/// 5. split on whitespace and isolate every punctuation character;
/// 6. greedy longest-match-first WordPiece with the `##` continuation prefix;
///    a word longer than 100 scalars, or one that cannot be fully covered,
///    becomes `[UNK]`;
/// 7. `[CLS] … [SEP]`, truncated to `maxLength` ids in total.
///
/// Vocabulary look-ups work on raw UTF-8 bytes through a byte trie, so no
/// Swift `String` canonical-equivalence rules can make a string match a
/// vocabulary entry that HF would not match.
public struct WordPieceTokenizer: Sendable {
    public let clsID: Int32
    public let sepID: Int32
    public let padID: Int32
    public let unkID: Int32
    public let maxLength: Int
    public let maxInputCharsPerWord = 100
    public let vocabularySize: Int

    private let trie: ByteTrie          // word-initial pieces
    private let contTrie: ByteTrie      // "##" continuation pieces (stored without "##")

    public enum Error: Swift.Error, CustomStringConvertible {
        case unreadableVocabulary(String)
        case missingSpecialToken(String)
        public var description: String {
            switch self {
            case .unreadableVocabulary(let p): return "cannot read WordPiece vocabulary at \(p)"
            case .missingSpecialToken(let t): return "vocabulary has no \(t) token"
            }
        }
    }

    public init(vocabURL: URL, maxLength: Int = 256) throws {
        guard let data = try? Data(contentsOf: vocabURL) else {
            throw Error.unreadableVocabulary(vocabURL.path)
        }
        try self.init(vocabData: data, maxLength: maxLength)
    }

    /// `vocabData`: the contents of `vocab.txt`, one token a line, id = line number.
    public init(vocabData: Data, maxLength: Int = 256) throws {
        var trie = ByteTrie()
        var cont = ByteTrie()
        var special: [String: Int32] = [:]
        var id: Int32 = 0
        let bytes = [UInt8](vocabData)
        var start = 0
        var i = 0
        func addLine(_ s: Int, _ e: Int) {
            var end = e
            if end > s && bytes[end - 1] == 0x0D { end -= 1 }   // tolerate CRLF
            let line = bytes[s..<end]
            if line.count >= 2 && line[line.startIndex] == 0x23 && line[line.startIndex + 1] == 0x23 && line.count > 2 {
                cont.insert(line.dropFirst(2), id: id)
            } else {
                trie.insert(line, id: id)
            }
            if line.first == 0x5B, let s = String(bytes: line, encoding: .utf8),
               ["[CLS]", "[SEP]", "[PAD]", "[UNK]"].contains(s) {
                special[s] = id
            }
            id += 1
        }
        while i < bytes.count {
            if bytes[i] == 0x0A {
                addLine(start, i)
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { addLine(start, bytes.count) }
        guard let cls = special["[CLS]"] else { throw Error.missingSpecialToken("[CLS]") }
        guard let sep = special["[SEP]"] else { throw Error.missingSpecialToken("[SEP]") }
        guard let unk = special["[UNK]"] else { throw Error.missingSpecialToken("[UNK]") }
        self.clsID = cls
        self.sepID = sep
        self.unkID = unk
        self.padID = special["[PAD]"] ?? 0
        self.trie = trie
        self.contTrie = cont
        self.maxLength = maxLength
        self.vocabularySize = Int(id)
    }

    /// Token ids including `[CLS]` and `[SEP]`, at most `maxLength` of them.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [clsID]
        let budget = maxLength - 2
        var words: [[Unicode.Scalar]] = []
        Self.preTokenize(text, into: &words)
        var pieceBuf: [UInt8] = []
        for w in words {
            wordPiece(w, into: &ids, scratch: &pieceBuf)
            if ids.count - 1 >= budget {
                // HF tokenises everything, then truncates: same result.
                if ids.count - 1 > budget { ids.removeLast(ids.count - 1 - budget) }
                break
            }
        }
        ids.append(sepID)
        return ids
    }

    /// The normalised, pre-tokenised words (for debugging and tests).
    public func basicTokens(_ text: String) -> [String] {
        var words: [[Unicode.Scalar]] = []
        Self.preTokenize(text, into: &words)
        return words.map { w in
            var s = String.UnicodeScalarView()
            s.append(contentsOf: w)
            return String(s)
        }
    }

    // MARK: - Normalisation and pre-tokenisation

    static func preTokenize(_ text: String, into words: inout [[Unicode.Scalar]]) {
        // 1 + 2: clean text, isolate CJK ideographs.
        var cleaned = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            let v = u.value
            if v == 0 || v == 0xFFFD || isControl(u) { continue }
            if isWhitespace(u) {
                cleaned.append(" ")
            } else if isCJK(v) {
                cleaned.append(" "); cleaned.append(u); cleaned.append(" ")
            } else {
                cleaned.append(u)
            }
        }
        // 3: NFD, drop Mn. Only needed when something is not plain ASCII.
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(cleaned.count)
        let ascii = cleaned.allSatisfy { $0.isASCII }
        if ascii {
            scalars.append(contentsOf: cleaned)
        } else {
            let nfd = String(cleaned).decomposedStringWithCanonicalMapping
            for u in nfd.unicodeScalars where u.properties.generalCategory != .nonspacingMark {
                scalars.append(u)
            }
        }
        // 4 + 5: lower-case per scalar; split on whitespace and punctuation.
        var current: [Unicode.Scalar] = []
        func flush() {
            if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
        }
        for u in scalars {
            if u.isASCII {
                var v = u.value
                if v >= 0x41 && v <= 0x5A { v += 32 }
                let c = Unicode.Scalar(v)!
                if v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D || v == 0x0B || v == 0x0C {
                    flush()
                } else if isASCIIPunctuation(v) {
                    flush(); words.append([c])
                } else {
                    current.append(c)
                }
                continue
            }
            // Lower-casing a scalar can yield several scalars (e.g. U+0130).
            let lowered = u.properties.lowercaseMapping.unicodeScalars
            for l in lowered {
                if l.properties.isWhitespace {
                    flush()
                } else if isPunctuation(l) {
                    flush(); words.append([l])
                } else {
                    current.append(l)
                }
            }
        }
        flush()
    }

    @inline(__always)
    static func isASCIIPunctuation(_ v: UInt32) -> Bool {
        (v >= 33 && v <= 47) || (v >= 58 && v <= 64) || (v >= 91 && v <= 96) || (v >= 123 && v <= 126)
    }

    static func isPunctuation(_ u: Unicode.Scalar) -> Bool {
        if u.isASCII { return isASCIIPunctuation(u.value) }
        switch u.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    static func isWhitespace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        default:
            if u.isASCII { return u.value == 0x0B || u.value == 0x0C }
            return u.properties.isWhitespace
        }
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09, 0x0A, 0x0D: return false
        default: break
        }
        if u.isASCII { return u.value < 0x20 || u.value == 0x7F }
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    @inline(__always)
    static func isCJK(_ cp: UInt32) -> Bool {
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
            || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
            || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
            || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F)
    }

    // MARK: - WordPiece

    private func wordPiece(_ word: [Unicode.Scalar], into ids: inout [Int32], scratch bytes: inout [UInt8]) {
        if word.count > maxInputCharsPerWord { ids.append(unkID); return }
        bytes.removeAll(keepingCapacity: true)
        for u in word { bytes.append(contentsOf: UTF8.encode(u)!) }
        let mark = ids.count
        var start = 0
        while start < bytes.count {
            let t = start == 0 ? trie : contTrie
            guard let (id, end) = t.longestMatch(bytes, from: start) else {
                ids.removeLast(ids.count - mark)
                ids.append(unkID)
                return
            }
            ids.append(id)
            start = end
        }
    }
}

/// A byte trie stored in flat arrays; `longestMatch` returns the id and end
/// offset of the longest vocabulary entry that starts at `from`.
struct ByteTrie: Sendable {
    private var edges: [UInt64: Int32] = [:]   // (node << 8 | byte) -> child
    private var terminal: [Int32] = [-1]        // node -> token id or -1

    mutating func insert<C: Collection>(_ key: C, id: Int32) where C.Element == UInt8 {
        var node: Int32 = 0
        for b in key {
            let k = UInt64(node) << 8 | UInt64(b)
            if let child = edges[k] {
                node = child
            } else {
                let child = Int32(terminal.count)
                terminal.append(-1)
                edges[k] = child
                node = child
            }
        }
        if terminal[Int(node)] < 0 { terminal[Int(node)] = id }   // first occurrence wins, like HF
    }

    func longestMatch(_ bytes: [UInt8], from: Int) -> (Int32, Int)? {
        var node: Int32 = 0
        var best: (Int32, Int)? = nil
        var i = from
        while i < bytes.count {
            guard let child = edges[UInt64(node) << 8 | UInt64(bytes[i])] else { break }
            node = child
            i += 1
            let t = terminal[Int(node)]
            if t >= 0 { best = (t, i) }
        }
        return best
    }
}
