import Foundation
import Testing
import QuireCore
import Storage
@testable import Ingest

/// `quire import`: the real fixtures in ../shared, broken inputs in
/// Fixtures/import, and a real SQLite file per test.
@Suite struct ImportTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repoRoot = here.deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let snapshot = shared.appendingPathComponent("fixtures/arxiv-snapshot/first200.jsonl")
    static let hfDaily = shared.appendingPathComponent("fixtures/hf-papers/daily_papers-2024-10-25-first8.json")
    static let seed = shared.appendingPathComponent("data/seed-papers.jsonl")
    static func fixture(_ name: String) -> URL { here.appendingPathComponent("Fixtures/import/\(name)") }

    /// A fresh SQLite database in its own temp folder.
    static func makeStore() throws -> SQLiteStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quire-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try SQLiteStore(path: dir.appendingPathComponent("quire.sqlite").path)
    }

    /// A temp file holding `text`.
    static func tempFile(_ text: String, name: String = "input.jsonl") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quire-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static func date(_ iso: String) -> Date { Timestamp.parse(iso)! }

    // MARK: - Real fixtures

    @Test func arxivSnapshotFixture() async throws {
        let store = try Self.makeStore()
        let importer = Importer(store: store)
        let summary = try await importer.importFile(Self.snapshot)
        #expect(summary.format == .arxivSnapshot)
        #expect(summary.lines == 200)
        #expect(summary.inserted == 200)
        #expect(summary.rejected == 0, "\(summary.rejections)")

        let first = try #require(try await store.paper(id: "0704.0001"))
        #expect(first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
        #expect(first.authors == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"])
        #expect(first.version == 2)
        #expect(first.submittedAt == Self.date("2007-04-02T19:18:42Z"))
        #expect(first.updatedAt == Self.date("2007-07-24T20:10:27Z"))
        #expect(first.categories == ["hep-ph"])
        #expect(first.doi == "10.1103/PhysRevD.76.013009")
        #expect(first.journalRef == "Phys.Rev.D76:013009,2007")
        #expect(first.comments == "37 pages, 15 figures; published version")
        #expect(first.abstract.hasPrefix("A fully differential calculation in perturbative quantum chromodynamics is presented for"))
        #expect(!first.abstract.contains("\n"))
        #expect(!first.withdrawn)

        let second = try #require(try await store.paper(id: "0704.0002"))
        #expect(second.categories == ["math.CO", "cs.CG"])
        #expect(second.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/")
        #expect(second.abstract.contains("$(k,\\ell)$-pebble game"))

        #expect(try await store.paper(id: "0704.0062")?.authors == ["Rastislav Šrámek", "Broňa Brejová", "Tomáš Vinař"])
        #expect(try await store.paper(id: "0704.0049")?.authors == ["Mikkel Øbro"])
        #expect(try await store.paper(id: "0704.0068")?.title == "A Note About the Ki(z) Functions")
        #expect(try await store.paper(id: "0704.0073")?.title == "A transcendental approach to Kollár's injectivity theorem")
        #expect(try await store.paper(id: "0704.0019")?.title == "Approximation for extinction probability of the contact process based on the Gröbner basis")
        #expect(try await store.paper(id: "0704.0005")?.title == "From dyadic $\\Lambda_{\\alpha}$ to $\\Lambda_{\\alpha}$")
        #expect(try await store.paper(id: "0704.0163")?.authors == ["Peter Brommer", "Franz Gähler"])
        let withdrawn = try #require(try await store.paper(id: "0704.0156"))
        #expect(withdrawn.withdrawn)
        #expect(withdrawn.version == 2)

        // Importing the same file again changes nothing.
        let again = try await importer.importFile(Self.snapshot)
        #expect(again.unchanged == 200)
        #expect(again.inserted == 0 && again.updated == 0 && again.rejected == 0)
    }

    @Test func hfDailyPapersFixture() async throws {
        let store = try Self.makeStore()
        let importer = Importer(store: store)
        let summary = try await importer.importFile(Self.hfDaily)
        #expect(summary.format == .hfDaily)
        #expect(summary.lines == 8)
        #expect(summary.inserted == 8)
        #expect(summary.rejected == 0, "\(summary.rejections)")

        let p = try #require(try await store.paper(id: "2410.17243"))
        #expect(p.title == "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss")
        #expect(p.abstract.hasPrefix("Contrastive loss is a powerful approach for representation learning, where larger"))
        #expect(!p.abstract.contains("\n"))
        #expect(p.upvotes == 64)
        #expect(p.dailyDate == Day("2024-10-25"))
        #expect(p.submittedBy == "ClownRat")
        #expect(p.submittedAt == Self.date("2024-10-22T17:59:30Z"))
        #expect(p.authors.count == 9)
        #expect(p.authors.first == "Zesen Cheng")
        #expect(p.authors.last == "Lidong Bing")

        let logo = try #require(try await store.paper(id: "2410.18533"))
        #expect(logo.upvotes == 37)
        #expect(logo.submittedBy == "ZetangForward")
        // Put on the list at 03:55 UTC on the 25th: its daily day is the 25th.
        #expect(try await store.paper(id: "2410.18798")?.dailyDate == Day("2024-10-25"))

        let again = try await importer.importFile(Self.hfDaily)
        #expect(again.unchanged == 8)
        #expect(again.inserted == 0 && again.updated == 0)
    }

    @Test func dailyPapersSeed() async throws {
        let store = try Self.makeStore()
        let importer = Importer(store: store)
        let summary = try await importer.importFile(Self.seed)
        #expect(summary.format == .dailyPapersSeed)
        #expect(summary.lines == 389)
        #expect(summary.inserted == 389)
        #expect(summary.rejected == 0, "\(summary.rejections)")

        let title = "From Reusing to Forecasting: Accelerating Diffusion Models with TaylorSeers"
        let p = try #require(try await store.paper(id: Paper.derivedID(title: title)))
        #expect(p.id == "from-reusing-to-forecasting-accelerating-diffusion-models-with-taylorseers")
        #expect(p.title == title)
        #expect(p.authorCount == 5)
        #expect(p.dailyDate == Day("2025-03-10"))
        #expect(p.submittedAt == Day("2025-03-10")!.start)
        #expect(p.upvotes == 0)

        let tencent = try #require(try await store.paper(id: Paper.derivedID(title: "Single-stream Policy Optimization")))
        #expect(tencent.organization == "Tencent")
        #expect(tencent.upvotes == 3)
        #expect(tencent.dailyDate == Day("2025-09-16"))
        let capital = try #require(try await store.paper(id: Paper.derivedID(title: "FinTRec: Transformer Based Unified Contextual Ads Targeting and Personalization for Financial Applications")))
        #expect(capital.organization == "Capital One")

        let again = try await importer.importFile(Self.seed)
        #expect(again.unchanged == 389)
    }

    // MARK: - Versions and idempotence

    @Test func newerVersionUpdates() async throws {
        let store = try Self.makeStore()
        let importer = Importer(store: store)
        let v1 = try Self.tempFile(#"{"id": "2401.00007v1", "title": "First draft", "abstract": "Old abstract.", "authors": ["A. One"]}"# + "\n")
        let v2 = try Self.tempFile(#"{"id": "2401.00007v2", "title": "Final title", "abstract": "New abstract.", "authors": ["A. One", "B. Two"], "upvotes": 4}"# + "\n")

        #expect(try await importer.importFile(v1).inserted == 1)
        let updated = try await importer.importFile(v2)
        #expect(updated.updated == 1)
        let p = try #require(try await store.paper(id: "2401.00007"))
        #expect(p.version == 2)
        #expect(p.title == "Final title")
        #expect(p.authors == ["A. One", "B. Two"])
        #expect(p.upvotes == 4)

        // The older version arriving again does not bring its metadata back.
        let older = try await importer.importFile(v1)
        #expect(older.unchanged == 1)
        #expect(try await store.paper(id: "2401.00007")?.title == "Final title")
    }

    @Test func snapshotNewerVersionUpdates() async throws {
        let store = try Self.makeStore()
        let importer = Importer(store: store)
        func line(_ versions: Int, title: String) -> String {
            let list = (1...versions).map { #"{"version":"v\#($0)","created":"Mon, \#($0) Jan 2024 10:00:00 GMT"}"# }
            return #"{"id":"2401.00099","title":"\#(title)","abstract":"x","categories":"cs.LG","versions":[\#(list.joined(separator: ","))],"authors_parsed":[["Doe","Jane",""]]}"# + "\n"
        }
        #expect(try await importer.importFile(try Self.tempFile(line(1, title: "One"))).inserted == 1)
        let second = try await importer.importFile(try Self.tempFile(line(3, title: "Three")))
        #expect(second.updated == 1)
        let p = try #require(try await store.paper(id: "2401.00099"))
        #expect(p.version == 3)
        #expect(p.title == "Three")
        #expect(p.submittedAt == Self.date("2024-01-01T10:00:00Z"))
        #expect(p.updatedAt == Self.date("2024-01-03T10:00:00Z"))
    }

    // MARK: - Broken inputs

    @Test func brokenQuireLines() async throws {
        let store = try Self.makeStore()
        let file = Self.fixture("broken-quire.jsonl")
        var streamed: [ImportRejection] = []
        let summary = try await Importer(store: store).importFile(file, onRejection: { streamed.append($0) })
        #expect(summary.format == .quire)
        #expect(summary.lines == 17)
        #expect(summary.inserted == 3)
        #expect(summary.rejected == 13)
        #expect(streamed == summary.rejections)

        let reasons = Dictionary(uniqueKeysWithValues: summary.rejections.map { ($0.line, $0.reason) })
        #expect(reasons[2]?.hasPrefix("truncated JSON: the record ends inside a string") == true, "\(reasons[2] ?? "")")
        #expect(reasons[3] == "field `title`: expected a string, found a number")
        #expect(reasons[4] == "missing field `title`")
        #expect(reasons[5] == #"field `published`: "2025-02-30" is not a valid YYYY-MM-DD date"#)
        #expect(reasons[6]?.hasPrefix(#"field `id`: "2413.99999" is neither an arXiv id"#) == true)
        #expect(reasons[7] == "duplicate id 2401.00001 (already on line 1)")
        #expect(reasons[8] == nil) // a blank line is skipped, not rejected
        #expect(reasons[9] == "field `upvotes` must be a non-negative integer, got -2")
        #expect(reasons[10] == "field `upvotes` must be a non-negative integer, got 3.5")
        #expect(reasons[12] == "expected an object, found an array")
        #expect(reasons[13] == "field `title` is empty")
        #expect(reasons[14] == "field `authors`: expected an array, found a string")
        #expect(reasons[16]?.hasPrefix(#"field `id`: "My Paper!" is neither"#) == true)
        #expect(reasons[17] == #"field `project_page`: "not a url" is not an http(s) URL"#)
        #expect(summary.rejections.first?.description.hasSuffix("broken-quire.jsonl:2: " + (reasons[2] ?? "")) == true)

        let good = try #require(try await store.paper(id: "2401.00001"))
        #expect(good.version == 2)
        #expect(good.title == "A good paper")
        #expect(good.authors == ["Ada Lovelace", "Alan Turing"])
        #expect(good.categories == ["cs.LG", "stat.ML"])
        #expect(good.dailyDate == Day("2025-03-10"))
        #expect(good.submittedAt == Day("2025-03-10")!.start)
        #expect(good.upvotes == 3)
        #expect(good.organization == "Analytical Engines")
        #expect(good.githubRepo == "https://github.com/ada/engine")
        #expect(good.projectPage == "https://example.org/engine")
        #expect(try await store.paper(id: "a-paper-without-an-id")?.abstract == "Its id is derived from the title.")
        #expect(try await store.paper(id: "hep-th/9901001")?.version == 3)

        // Nothing of the rejected lines was stored.
        #expect(try await store.paper(id: "2401.00002") == nil)
        #expect(try await store.paper(id: "bad-date") == nil)
        #expect(try await store.paper(id: "negative") == nil)
        #expect(try await store.paper(id: "fractional") == nil)
        #expect(try await store.paper(id: "bad-page") == nil)
        #expect(try await store.paper(id: "2401.00001")?.title == "A good paper") // not "Same id again"
        #expect(try await store.stats().papers == 3)
    }

    @Test func brokenSnapshotLines() async throws {
        let store = try Self.makeStore()
        let summary = try await Importer(store: store).importFile(Self.fixture("broken-snapshot.jsonl"))
        #expect(summary.format == .arxivSnapshot)
        #expect(summary.lines == 7)
        #expect(summary.inserted == 2)
        let reasons = Dictionary(uniqueKeysWithValues: summary.rejections.map { ($0.line, $0.reason) })
        #expect(reasons.count == 5)
        #expect(reasons[2] == #"field `versions[0].created`: "Fri, 30 Feb 2024 10:00:00 GMT" is not a date like "Mon, 2 Apr 2007 19:18:42 GMT""#)
        #expect(reasons[3] == "missing field `versions`")
        #expect(reasons[4] == #"field `versions[0].version`: "one" is not a version like "v2""#)
        #expect(reasons[5] == #"field `id`: "not-an-id" is not an arXiv id"#)
        #expect(reasons[7]?.hasPrefix("truncated JSON: the record ends inside a string") == true, "\(reasons[7] ?? "")")

        let p = try #require(try await store.paper(id: "2402.01234"))
        #expect(p.title == "Schödinger operators on graphs and $\\alpha$-çones")
        #expect(p.authors == ["C. Balázs", "G. Müller Jr"])
        #expect(p.withdrawn)
        #expect(p.version == 2)
        #expect(p.categories == ["math.SP", "math-ph"])
        #expect(p.abstract == "We study things.")
        #expect(try await store.paper(id: "2402.01238")?.version == 1)
        #expect(try await store.paper(id: "2402.01235") == nil)
        #expect(try await store.stats().papers == 2)
    }

    @Test func brokenHFArray() async throws {
        let store = try Self.makeStore()
        let summary = try await Importer(store: store).importFile(Self.fixture("broken-hf.json"))
        #expect(summary.format == .hfDaily)
        #expect(summary.lines == 5)
        #expect(summary.inserted == 1)
        let reasons = Dictionary(uniqueKeysWithValues: summary.rejections.map { ($0.line, $0.reason) })
        #expect(reasons.count == 4)
        #expect(reasons[10] == #"field `paper.id`: "not-arxiv" is not an arXiv id"#)
        #expect(reasons[14] == "field `paper.upvotes`: expected a number, found a string")
        #expect(reasons[18] == #"field `paper.publishedAt`: "yesterday" is not an ISO 8601 timestamp"#)
        #expect(reasons[22]?.hasPrefix("truncated JSON") == true, "\(reasons[22] ?? "")")

        let p = try #require(try await store.paper(id: "2410.99001"))
        #expect(p.authors == ["Shown"])
        #expect(p.abstract == "A fine one.")
        #expect(p.organization == "Acme Research")
        #expect(p.githubRepo == "https://github.com/acme/fine")
        #expect(p.githubStars == 12)
        #expect(p.projectPage == "https://acme.example/fine")
        #expect(p.dailyDate == Day("2024-10-25"))
        #expect(p.submittedBy == "someone")
        #expect(p.upvotes == 5)
    }

    @Test func fatalErrors() async throws {
        let store = try Self.makeStore()
        let importer = Importer(store: store)
        let missing = URL(fileURLWithPath: "/nonexistent/papers.jsonl")
        await #expect(throws: ImportError.fileNotFound(path: "/nonexistent/papers.jsonl")) {
            try await importer.importFile(missing)
        }
        let directory = FileManager.default.temporaryDirectory
        await #expect(throws: ImportError.self) { try await importer.importFile(directory) }
        let garbage = try Self.tempFile("not json at all\n\n")
        await #expect(throws: ImportError.cannotDetectFormat(path: garbage.path)) {
            try await importer.importFile(garbage)
        }
        let notArray = try Self.tempFile("[", name: "x.json")
        await #expect(throws: ImportError.self) { try await importer.importFile(notArray, format: .hfDaily) }
        // A closing bracket where an element should start used to loop, allocating, forever.
        for text in ["[}]", "[1}]", "[{},}", "[\n}"] {
            let file = try Self.tempFile(text, name: "x.json")
            await #expect(throws: ImportError.self) { try await importer.importFile(file, format: .hfDaily) }
        }
        // A file whose lines are all bad is not fatal: they are rejected.
        let allBad = try Self.tempFile("{\"title\": 1, \"abstract\": \"x\"}\n")
        #expect(try await importer.importFile(allBad).rejected == 1)
    }

    @Test func crlfBOMAndMissingFinalNewline() async throws {
        let store = try Self.makeStore()
        let text = "\u{FEFF}{\"title\": \"One\", \"abstract\": \"a\"}\r\n\r\n{\"title\": \"Two\", \"abstract\": \"b\"}"
        let summary = try await Importer(store: store).importFile(try Self.tempFile(text))
        #expect(summary.format == .quire)
        #expect(summary.inserted == 2)
        #expect(summary.rejected == 0, "\(summary.rejections)")
        #expect(summary.lines == 3)
    }

    @Test func smallBatchesGiveTheSameResult() async throws {
        let store = try Self.makeStore()
        let summary = try await Importer(store: store, batchSize: 7).importFile(Self.snapshot, format: .arxivSnapshot)
        #expect(summary.inserted == 200)
        #expect(try await store.stats().papers == 200)
    }

    @Test func snapshotIDsAndVersionsAreTrimmedAndInitialsJoined() throws {
        let line = #"{"id":" \t2401.00042 ","title":"t","abstract":"a","versions":[{"version":" v1\t","created":"Mon, 1 Jan 2024 10:00:00 GMT"}],"#
            + #""authors_parsed":[["Yuan","C. -P.",""],["Doe","J.",""],["Roe","A.-B.",""]]}"#
        let paper = try ImportFormat.arxivSnapshot.parseRecord(Data(line.utf8))
        #expect(paper.id == "2401.00042")
        #expect(paper.version == 1)
        #expect(paper.authors == ["C.-P. Yuan", "J. Doe", "A.-B. Roe"])
        #expect(ArxivSnapshotParser.trimmed("\u{00A0} x ") == "x")
        #expect(ArxivSnapshotParser.trimmed("x\n") == "x\n") // only spaces and tabs, as before
    }

    @Test func lineReaderLongLinesAndSmallChunks() throws {
        let text = "short\n" + String(repeating: "x", count: 100) + "\nlast"
        let url = try Self.tempFile(text)
        let reader = try LineReader(url: url, chunkSize: 8, maxLineLength: 50)
        var lines: [(Int, String, Bool)] = []
        while let line = try reader.next() { lines.append((line.number, String(decoding: line.bytes, as: UTF8.self), line.tooLong)) }
        #expect(lines.map(\.0) == [1, 2, 3])
        #expect(lines.map(\.1) == ["short", "", "last"])
        #expect(lines.map(\.2) == [false, true, false])
    }

    // MARK: - Format detection

    @Test func detectsFormats() throws {
        #expect(try ImportFormat.detect(Self.snapshot) == .arxivSnapshot)
        #expect(try ImportFormat.detect(Self.hfDaily) == .hfDaily)
        #expect(try ImportFormat.detect(Self.seed) == .dailyPapersSeed)
        #expect(try ImportFormat.detect(Self.fixture("broken-quire.jsonl")) == .quire)
        #expect(try ImportFormat.detect(try Self.tempFile("\n  \n{\"versions\": []}\n")) == .arxivSnapshot)
    }

    // MARK: - Text cleanup

    @Test(arguments: [
        (#"C. Bal\'azs"#, "C. Balázs"),
        (#"Gr\"obner"#, "Gröbner"),
        (#"M{\"u}ller"#, "Müller"),
        (#"M\"{u}ller"#, "Müller"),
        (#"Tom\`as"#, "Tomàs"),
        (#"H\^opital"#, "Hôpital"),
        (#"Espa\~na"#, "España"),
        (#"Gar\c{c}on"#, "Garçon"),
        (#"Gar\c con"#, "Garçon"),
        (#"\v{S}r\'amek"#, "Šrámek"),
        (#"Erd\H{o}s"#, "Erdős"),
        (#"\AA{}ngstr\"om"#, "Ångström"),
        (#"{\aa}rhus"#, "århus"),
        (#"{\O}bro"#, "Øbro"),
        (#"Bj\o rn"#, "Bjørn"),
        (#"Stra\ss e"#, "Straße"),
        (#"{\l}ukasz"#, "łukasz"),
        (#"Mart\'{\i}nez"#, "Martínez"),
        (#"Mart\'\i nez"#, "Martínez"),
        (#"{\i}"#, "ı"),
        (#"A Note About the {Ki(z)} Functions"#, "A Note About the Ki(z) Functions"),
        (#"Fields \& Waves"#, "Fields & Waves"),
        (#"The $\alpha$-{\em model} of \emph{Sch\"onberg}"#, #"The $\alpha$-model of Schönberg"#),
        (#"Math $\"o {x}$ stays"#, #"Math $\"o {x}$ stays"#),
        (#"Unknown \foo{bar} kept"#, #"Unknown \foo{bar} kept"#),
        (#"\cdot and \alpha"#, #"\cdot and \alpha"#),
        ("Plain title", "Plain title"),
    ])
    func texCleanup(input: String, expected: String) {
        #expect(TeXAccents.clean(input) == expected)
    }

    @Test func texAccentsOnlyKeepsBraces() {
        #expect(TeXAccents.decodeAccents(#"Schr\"odinger {\em et al.} $x^{2}$"#) == #"Schrödinger {\em et al.} $x^{2}$"#)
    }

    @Test func whitespaceFolding() {
        #expect(Whitespace.fold("Calculation at Tevatron and\n  LHC energies") == "Calculation at Tevatron and LHC energies")
        #expect(Whitespace.fold("  A fully\ndifferential\n") == "A fully differential")
        #expect(Whitespace.fold("already clean") == "already clean")
        #expect(Whitespace.fold("") == "")
        #expect(Whitespace.fold(" \n ") == "")
        // Control characters are white space too: SQLite cut a text at a NUL, PostgreSQL refused the batch.
        #expect(Whitespace.fold("Nul \u{0}inside\u{7F}") == "Nul inside")
        #expect(Whitespace.fold("a\u{0}b\u{1B}c") == "a b c")
        #expect(Whitespace.fold("\u{0}") == "")
    }

    /// A "\u0000" escape in a record's text is stored as a space, whole, not cut at it.
    @Test func aNulInATitleIsFoldedNotCut() async throws {
        let store = try Self.makeStore()
        let file = try Self.tempFile(#"{"id":"2401.00098","title":"Nul \u0000 inside","abstract":"a\u0000b","categories":"cs.LG","versions":[{"version":"v1","created":"Mon, 1 Jan 2024 10:00:00 GMT"}],"authors_parsed":[["Doe","Jane\u0000",""]]}"# + "\n")
        #expect(try await Importer(store: store).importFile(file, format: .arxivSnapshot).inserted == 1)
        let paper = try #require(try await store.paper(id: "2401.00098"))
        #expect(paper.title == "Nul inside" && paper.abstract == "a b" && paper.authors == ["Jane Doe"])
    }

    @Test func timestamps() {
        #expect(Timestamp.parseRFC2822("Mon, 2 Apr 2007 19:18:42 GMT") == Date(timeIntervalSince1970: 1_175_541_522))
        #expect(Timestamp.parseRFC2822("2 Apr 2007 19:18:42 +0100") == Date(timeIntervalSince1970: 1_175_541_522 - 3600))
        #expect(Timestamp.parseRFC2822("Fri, 30 Feb 2024 10:00:00 GMT") == nil)
        #expect(Timestamp.parseRFC2822("Thu, 29 Feb 2024 10:00:00 GMT") != nil)
        #expect(Timestamp.parseRFC2822("yesterday") == nil)
        #expect(Timestamp.parse("2024-10-22T17:59:30.000Z") == Date(timeIntervalSince1970: 1_729_619_970))
        #expect(Timestamp.parse("2024-10-22T19:59:30+02:00") == Date(timeIntervalSince1970: 1_729_619_970))
        #expect(Timestamp.parse("2024-13-22T17:59:30Z") == nil)
        #expect(Timestamp.parseInstant("2024-10-22") == nil)
    }

    @Test func withdrawnConvention() {
        #expect(Withdrawal.isWithdrawn(comments: "This paper has been withdrawn by the authors.", abstract: nil))
        #expect(Withdrawal.isWithdrawn(comments: "Withdrawn: duplicate of 0704.0001", abstract: nil))
        #expect(!Withdrawal.isWithdrawn(comments: "12 pages; withdrawn-layer model", abstract: nil))
        #expect(!Withdrawal.isWithdrawn(comments: nil, abstract: nil))
    }

    @Test func seedOrganizationDisplayName() {
        #expect(SeedPapersParser.displayName(organization: "tencent Tencent") == "Tencent")
        #expect(SeedPapersParser.displayName(organization: "capitalone Capital One") == "Capital One")
        #expect(SeedPapersParser.displayName(organization: "openai") == "openai")
        #expect(SeedPapersParser.displayName(organization: nil) == nil)
    }
}
