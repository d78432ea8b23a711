import Foundation
import QuireCore

/// Escapes text for HTML element content and attribute values. Everything
/// that comes from data goes through here.
func esc(_ text: String) -> String { HTML.escape(text) }

/// Percent-encodes a path segment or query value.
func urlPart(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: unreservedInURLs) ?? text
}

/// RFC 3986's unreserved characters; `CharacterSet.alphanumerics` would let
/// every Unicode letter through unencoded.
private let unreservedInURLs = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

/// The frame every page shares: head, header with navigation and search, footer.
enum Layout {
    static func page(title: String, query: String = "", head: String = "", body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title)) · Quire</title>
        \(head)
        <style>\(css)</style>
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/">Quire</a>
          <nav><a href="/">Daily</a><a href="/papers/trending">Trending</a><a href="/submit">Submit</a></nav>
          <form class="search" action="/search" method="get" role="search">
            <input type="search" name="q" value="\(esc(query))" placeholder="Search papers, or paste an arXiv link" aria-label="Search papers">
            <button type="submit">Search</button>
          </form>
          \(accountLinks())
        </header>
        <main>
        \(body)
        </main>
        \(Viewer.current.user == nil ? "" : InPlace.script)
        <footer>Quire — your own daily papers. <a href="/authors">Authors</a> · <a href="/organizations">Organizations</a> · <a href="/openapi.json">API</a></footer>
        </body>
        </html>
        """
    }

    /// "Log in · Sign up", or the reader's name, collections and a log-out button.
    static func accountLinks() -> String {
        guard let user = Viewer.current.user else {
            return "<nav class=\"account\"><a href=\"/login\">Log in</a><a href=\"/signup\">Sign up</a></nav>"
        }
        return """
        <nav class="account"><a href="/for-you">For you</a><a href="/collections">Collections</a><a href="/account" class="me">\(esc(user.username))</a>\
        \(Forms.post("/logout", button: "Log out", style: "link"))</nav>
        """
    }

    static let css = """
    :root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--accent:#0b57d0}
    *{box-sizing:border-box}
    body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
    a{color:var(--accent);text-decoration:none} a:hover{text-decoration:underline}
    header.top{display:flex;flex-wrap:wrap;gap:.75rem 1.25rem;align-items:center;padding:.75rem 1rem;border-bottom:1px solid var(--line)}
    .brand{font-weight:700;font-size:1.25rem;color:var(--fg)}
    nav a{margin-right:1rem;color:var(--fg)}
    form.search{display:flex;flex:1;min-width:14rem;max-width:36rem;gap:.5rem}
    form.search input{flex:1;padding:.45rem .6rem;border:1px solid var(--line);border-radius:6px;font:inherit}
    button{padding:.45rem .8rem;border:1px solid var(--line);border-radius:6px;background:var(--soft);font:inherit;cursor:pointer}
    main{max-width:52rem;margin:0 auto;padding:1rem}
    h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem;overflow-wrap:break-word}
    .pager{display:flex;justify-content:space-between;align-items:center;gap:1rem;margin:.5rem 0 1rem;color:var(--muted)}
    .periods a{margin-right:.75rem}
    ol.papers{list-style:none;padding:0;margin:0}
    ol.papers li{padding:1rem 0;border-bottom:1px solid var(--line);display:flex;gap:1rem}
    .votes{flex:none;min-width:7rem;text-align:center;border:1px solid var(--line);border-radius:8px;padding:.3rem;height:fit-content}
    .votes b{display:block;font-size:1.1rem}
    .votes small{color:var(--muted)}
    .entry h2{font-size:1.1rem;margin:0 0 .25rem;line-height:1.3}
    .meta{color:var(--muted);font-size:.9rem}
    .meta span+span::before{content:" · "}
    .abstract{margin:.4rem 0 0;color:#333}
    .paper .links a{display:inline-block;margin:.25rem .75rem .25rem 0}
    .paper .abstract{font-size:1.02rem;line-height:1.6}
    .badge{display:inline-block;font-size:.8rem;padding:.05rem .45rem;border:1px solid var(--line);border-radius:999px;margin-right:.3rem;background:var(--soft)}
    .withdrawn{background:#fff4e5;border:1px solid #f0c36d;padding:.5rem .75rem;border-radius:6px}
    .notice{padding:2rem 0}
    mark{background:#fff3b0;color:inherit;padding:0 .1em}
    code{background:var(--soft);padding:0 .25em;border-radius:4px;overflow-wrap:anywhere}
    .explain{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;font-size:.95rem}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem} dl.facts dt{color:var(--muted)} dl.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
    nav.account{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;min-width:0} nav.account .me{overflow-wrap:anywhere}
    form.inline{display:inline;margin:0}
    .feed-buttons{display:inline} .feed-state{font-size:.85rem;color:var(--muted);margin:0 .2rem 0 .4rem;white-space:nowrap}
    iframe.digest-mail{width:100%;height:36rem;border:1px solid var(--line);border-radius:6px;background:#fff}
    button.link{border:0;background:none;padding:0;color:var(--accent);font:inherit;cursor:pointer}
    button.on{background:#e8f0fe;border-color:var(--accent)}
    .actions .votes{display:flex;gap:.4rem;align-items:baseline;min-width:0;width:fit-content}
    .votes form{margin:0} .votes button{width:100%;padding:.1rem .3rem} .votes .upvote{display:block;white-space:nowrap}
    .actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.35rem 0 0}
    .reason{margin:.35rem 0 0;font-size:.9rem;color:var(--muted);overflow-wrap:anywhere} .reason b{color:var(--fg);font-weight:600}
    .reason-controls{margin:.1rem 0 0;font-size:.8rem;line-height:1.6} .reason-controls button.reason-exclude{font-size:.8rem;color:var(--muted);text-decoration:underline dotted;margin-right:.6rem;overflow-wrap:anywhere;text-align:left}
    ul.own-candidates{list-style:none;padding:0;margin:.5rem 0 1rem} ul.own-candidates li{padding:.5rem 0;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
    ul.own-candidates input{margin-right:.3rem;transform:scale(1.2)}
    .feed-links{list-style:none;padding:0;margin:.5rem 0} .feed-links li{display:flex;gap:.5rem;align-items:center;margin:.3rem 0}
    .feed-links .meta{flex:0 0 5.5rem} .feed-url{flex:1;min-width:0;font:inherit;font-size:.85rem;padding:.3rem}
    .mute-add,.own-find{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0} .mute-add input[type=text],.own-find input[type=text]{flex:1;min-width:10rem}
    form.stack{display:grid;gap:.6rem;max-width:26rem}
    form.stack label{display:grid;gap:.2rem;font-weight:500}
    input[type=text],input[type=email],input[type=password],input[type=url],textarea,select{padding:.45rem .6rem;border:1px solid var(--line);border-radius:6px;font:inherit;width:100%}
    textarea{min-height:5rem}
    .error{background:#ffebe9;border:1px solid #ff8182;padding:.5rem .75rem;border-radius:6px}
    .ok{background:#dafbe1;border:1px solid #4ac26b;padding:.5rem .75rem;border-radius:6px}
    .comment{border-left:3px solid var(--line);padding:.25rem .75rem;margin:.75rem 0}
    .comment .replies{margin-left:1.25rem}
    .comment .body p{margin:.3rem 0}
    .comment.hidden-comment{opacity:.6}
    pre{background:var(--soft);padding:.5rem;overflow:auto}
    .cite pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem}
    a.badge{color:inherit;text-decoration:none} a.badge:hover{border-color:var(--muted)}
    .entry{min-width:0}
    .ai-summary{margin:.35rem 0 0;font-size:.92rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    .ai-summary.full{white-space:normal;overflow-wrap:anywhere;font-size:1rem}
    .ai-label{font-size:.72rem;font-weight:600;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);margin-right:.3rem}
    ul.keyphrases{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;padding:0;margin:.35rem 0 0}
    ul.keyphrases a{display:inline-block;max-width:100%;font-size:.78rem;padding:0 .5rem;border:1px solid var(--line);border-radius:999px;background:var(--soft);color:inherit;text-decoration:none;overflow-wrap:anywhere}
    ul.keyphrases a:hover{border-color:var(--muted)}
    ol.papers ul.keyphrases li{display:block;padding:0;border:0} /* not a list entry's box */
    table.list{border-collapse:collapse;width:100%} table.list td,table.list th{border-bottom:1px solid var(--line);padding:.35rem;text-align:left;overflow-wrap:anywhere}
    .directory{list-style:none;padding:0;columns:2 16rem}.directory li{padding:.15rem 0;break-inside:avoid;overflow-wrap:anywhere}
    footer{max-width:52rem;margin:2rem auto;padding:1rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
    @media (max-width:600px){ol.papers li{flex-direction:column;gap:.4rem}.votes{display:flex;gap:.4rem;align-items:baseline;width:fit-content}}
    """

    private static let dayFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "MMM d, yyyy"
        return f
    }()
    private static let formatterLock = NSLock()

    /// "Oct 25, 2024"
    static func display(_ day: Day) -> String {
        formatterLock.lock(); defer { formatterLock.unlock() }
        return dayFormatter.string(from: day.start)
    }

    static func display(_ date: Date) -> String { display(Day(date: date)) }

    static func display(_ period: Period) -> String {
        switch period {
        case .day(let d): return display(d)
        case .week(let y, let w): return "Week \(w) of \(y) (from \(display(period.firstDay)))"
        case .month: 
            formatterLock.lock(); defer { formatterLock.unlock() }
            let f = DateFormatter(); f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "MMMM yyyy"
            return f.string(from: period.firstDay.start)
        }
    }
}
