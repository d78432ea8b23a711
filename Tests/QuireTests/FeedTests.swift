import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import QuireCore
import Testing
@testable import Web

private let base = "https://quire.example"

private func feedDescription() -> FeedDescription {
    FeedDescription(title: "Quire — daily papers & <more>", selfURL: "\(base)/feeds/daily.atom",
                    pageURL: "\(base)/daily", baseURL: base + "/", description: "Papers \"of the day\"")
}

/// Papers with everything that tends to break feeds.
private func trickyPapers() -> [Paper] {
    let submitted = Date(timeIntervalSince1970: 1_741_000_000)  // 2025-03-03T11:06:40Z
    return [
        Paper(id: "2503.01234", version: 2, submittedAt: submitted, updatedAt: Date(timeIntervalSince1970: 1_741_700_000),
              title: "Attention & <Transformers> are \"all\" you need\u{0001}\u{000B}",
              abstract: "We show a < b && c > d.\u{0000}\u{FFFE} Also ]]> and &amp; literally.\nSecond line.",
              authors: ["Zoë Ångström", "李 雷", "O'Brien & Sons"], categories: ["cs.CL", "cs.LG"],
              dailyDate: Day("2025-03-10")),
        Paper(id: "hep-th/9901001", submittedAt: Date(timeIntervalSince1970: 915_148_800),
              title: "Old-style id \u{0085}with C1 control", abstract: "Plain abstract."),
        Paper(id: "a-paper-without-dates", title: "Emoji 🚀 and ‘quotes’", abstract: "",
              authors: (1...30).map { "Author \($0)" }),
    ]
}

private func forbiddenXMLCharacters(_ text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.filter { s in
        (s.value < 0x20 && s.value != 0x09 && s.value != 0x0A && s.value != 0x0D)
            || (0x7F...0x9F).contains(s.value) || s.value == 0xFFFE || s.value == 0xFFFF
    }
}

private func isWellFormedXML(_ text: String) -> Bool {
    let parser = XMLParser(data: Data(text.utf8))
    return parser.parse()
}

@Suite struct FeedTests {
    @Test func rssStructureAndEscaping() {
        let rss = FeedRenderer.rss(feed: feedDescription(), papers: trickyPapers())
        #expect(rss.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\""))
        #expect(rss.components(separatedBy: "<item>").count == 4)
        #expect(rss.contains("<title>Attention &amp; &lt;Transformers&gt; are &quot;all&quot; you need</title>"))
        #expect(rss.contains("<guid isPermaLink=\"true\">https://quire.example/papers/2503.01234</guid>"))
        #expect(rss.contains("<link>https://quire.example/papers/hep-th/9901001</link>"))
        #expect(rss.contains("<pubDate>Mon, 10 Mar 2025 00:00:00 +0000</pubDate>"))
        #expect(rss.contains("<pubDate>Fri, 01 Jan 1999 00:00:00 +0000</pubDate>"))
        #expect(rss.contains("<dc:creator>O&apos;Brien &amp; Sons</dc:creator>"))
        #expect(rss.contains("<category>cs.LG</category>"))
        // The abstract is HTML inside XML: escaped twice.
        #expect(rss.contains("We show a &amp;lt; b &amp;amp;&amp;amp; c &amp;gt; d."))
        #expect(rss.contains("<atom:link href=\"https://quire.example/feeds/daily.atom\" rel=\"self\""))
        #expect(rss.contains("<dc:creator>and 10 more</dc:creator>"))
        #expect(forbiddenXMLCharacters(rss).isEmpty)
        #expect(isWellFormedXML(rss))
    }

    @Test func atomStructureAndDates() {
        let atom = FeedRenderer.atom(feed: feedDescription(), papers: trickyPapers())
        #expect(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"))
        #expect(atom.components(separatedBy: "<entry>").count == 4)
        #expect(atom.contains("<id>https://quire.example/papers/2503.01234</id>"))
        #expect(atom.contains("<published>2025-03-10T00:00:00Z</published>"))
        #expect(atom.contains("<updated>2025-03-11T13:33:20Z</updated>"))  // updatedAt is the newest date
        // Feed updated = newest date among the papers.
        #expect(atom.contains("  <updated>2025-03-11T13:33:20Z</updated>\n  <link rel=\"self\""))
        #expect(atom.contains("<category term=\"cs.CL\"/>"))
        #expect(atom.contains("<name>Zoë Ångström</name>"))
        #expect(atom.contains("<title type=\"text\">Emoji 🚀 and ‘quotes’</title>"))
        #expect(atom.contains("Also ]]&gt; and &amp;amp; literally."))
        #expect(forbiddenXMLCharacters(atom).isEmpty)
        #expect(isWellFormedXML(atom))
    }

    @Test func jsonFeedStructure() throws {
        let json = FeedRenderer.jsonFeed(feed: feedDescription(), papers: trickyPapers())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect(object["feed_url"] as? String == "https://quire.example/feeds/daily.atom")
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(items.count == 3)
        #expect(items[0]["id"] as? String == "https://quire.example/papers/2503.01234")
        #expect(items[0]["title"] as? String == "Attention & <Transformers> are \"all\" you need")
        #expect(items[0]["date_published"] as? String == "2025-03-10T00:00:00Z")
        #expect(items[0]["date_modified"] as? String == "2025-03-11T13:33:20Z")
        #expect(items[0]["tags"] as? [String] == ["cs.CL", "cs.LG"])
        #expect((items[0]["authors"] as? [[String: String]])?.map { $0["name"]! } == ["Zoë Ångström", "李 雷", "O'Brien & Sons"])
        #expect(items[2]["date_published"] == nil)
        #expect(forbiddenXMLCharacters(json).isEmpty)
    }

    @Test func emptyFeedIsValid() {
        for format in FeedFormat.allCases {
            let body = FeedRenderer.render(format, feed: feedDescription(), papers: [])
            #expect(!body.isEmpty)
            if format != .json { #expect(isWellFormedXML(body)) }
        }
        #expect(FeedRenderer.atom(feed: feedDescription(), papers: []).contains("<updated>1970-01-01T00:00:00Z</updated>"))
    }

    @Test func dateFormats() {
        let date = Date(timeIntervalSince1970: 1_741_600_000)
        #expect(FeedRenderer.rfc822(date) == "Mon, 10 Mar 2025 09:46:40 +0000")
        #expect(FeedRenderer.rfc3339(date) == "2025-03-10T09:46:40Z")
        #expect(FeedRenderer.httpDate(date) == "Mon, 10 Mar 2025 09:46:40 GMT")
        #expect(FeedValidators.parseHTTPDate("Mon, 10 Mar 2025 09:46:40 GMT") == date)
    }

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8))
            == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func validatorsAndConditionalRequests() {
        let papers = trickyPapers()
        let body = FeedRenderer.atom(feed: feedDescription(), papers: papers)
        let validators = FeedValidators(body: body, papers: papers)
        #expect(validators == FeedValidators(body: body, papers: papers))
        #expect(validators.etag.hasPrefix("\"") && validators.etag.hasSuffix("\"") && validators.etag.count == 34)
        #expect(validators.etag != FeedValidators(body: body + " ", papers: papers).etag)
        #expect(validators.lastModifiedHeader == "Tue, 11 Mar 2025 13:33:20 GMT")
        #expect(validators.isNotModified(ifNoneMatch: validators.etag, ifModifiedSince: nil))
        #expect(validators.isNotModified(ifNoneMatch: "\"x\", W/\(validators.etag)", ifModifiedSince: nil))
        #expect(!validators.isNotModified(ifNoneMatch: "\"other\"", ifModifiedSince: "Tue, 11 Mar 2025 13:33:20 GMT"))
        #expect(validators.isNotModified(ifNoneMatch: nil, ifModifiedSince: "Tue, 11 Mar 2025 13:33:20 GMT"))
        #expect(!validators.isNotModified(ifNoneMatch: nil, ifModifiedSince: "Tue, 11 Mar 2025 13:33:19 GMT"))
        #expect(!validators.isNotModified(ifNoneMatch: nil, ifModifiedSince: "garbage"))
    }

    /// The three feeds, parsed by Python's feedparser (PyPI `feedparser`): no
    /// bozo flag, and the expected ids, titles and links.
    @Test func feedparserAcceptsAllFormats() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quire-feeds-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for format in FeedFormat.allCases {
            let url = dir.appendingPathComponent("feed.\(format.fileExtension)")
            try Data(FeedRenderer.render(format, feed: feedDescription(), papers: trickyPapers()).utf8).write(to: url)
            paths.append(url.path)
        }
        // feedparser 6.0 reads RSS and Atom but not JSON Feed: that one is checked
        // against the JSON Feed 1.1 rules with the json module, in the same shape.
        let script = """
        import datetime, json, sys, feedparser
        def rfc3339(s):
            assert s is None or s.endswith("Z"), s
            return s and list(datetime.datetime.fromisoformat(s[:-1]).timetuple())[:6]
        def json_feed(path):
            f = json.load(open(path, encoding="utf-8"))
            try:
                assert f["version"] == "https://jsonfeed.org/version/1.1"
                assert isinstance(f["title"], str) and isinstance(f["items"], list)
                for key in ("home_page_url", "feed_url"):
                    assert f[key].startswith("https://")
                for i in f["items"]:
                    assert isinstance(i["id"], str) and ("content_text" in i or "content_html" in i)
                    for a in i.get("authors", []):
                        assert isinstance(a["name"], str)
                bozo, error = 0, ""
            except Exception as e:
                bozo, error = 1, repr(e)
            return dict(path=path, bozo=bozo, error=error, version="json11", title=f.get("title"),
                        entries=[dict(id=i.get("id"), title=i.get("title"), link=i.get("url"),
                                      published=rfc3339(i.get("date_published")),
                                      authors=[a["name"] for a in i.get("authors", [])], tags=i.get("tags", []))
                                 for i in f.get("items", [])])
        out = []
        for path in sys.argv[1:]:
            if path.endswith(".json"):
                out.append(json_feed(path))
                continue
            d = feedparser.parse(path)
            out.append(dict(path=path, bozo=int(d.bozo), error=str(d.get("bozo_exception", "")), version=d.version,
                            title=d.feed.get("title"),
                            entries=[dict(id=e.get("id"), title=e.get("title"), link=e.get("link"),
                                          published=e.get("published_parsed") and list(e.published_parsed)[:6],
                                          authors=[a.get("name") for a in e.get("authors", [])],
                                          tags=[t.get("term") for t in e.get("tags", [])])
                                     for e in d.entries]))
        json.dump(out, sys.stdout)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + paths
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with feedparser failed (pip install feedparser?): \(errors)")
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        try #require(results.count == 3)
        let expectedVersions = ["rss20", "atom10", "json11"]
        for (result, version) in zip(results, expectedVersions) {
            #expect(result["bozo"] as? Int == 0, "\(result["path"] ?? ""): \(result["error"] ?? "")")
            #expect(result["version"] as? String == version)
            #expect(result["title"] as? String == "Quire — daily papers & <more>")
            let entries = try #require(result["entries"] as? [[String: Any]])
            #expect(entries.map { $0["id"] as? String } == [
                "https://quire.example/papers/2503.01234", "https://quire.example/papers/hep-th/9901001",
                "https://quire.example/papers/a-paper-without-dates",
            ])
            #expect(entries.map { $0["link"] as? String } == entries.map { $0["id"] as? String })
            #expect(entries[0]["title"] as? String == "Attention & <Transformers> are \"all\" you need")
            #expect(entries[1]["title"] as? String == "Old-style id with C1 control")
            #expect(entries[2]["title"] as? String == "Emoji 🚀 and ‘quotes’")
            #expect(entries[0]["published"] as? [Int] == [2025, 3, 10, 0, 0, 0])
            #expect(entries[0]["tags"] as? [String] == ["cs.CL", "cs.LG"])
            #expect((entries[0]["authors"] as? [String])?.contains("Zoë Ångström") == true)
        }
    }
}
