#!/usr/bin/env python3
"""A local stand-in for arXiv and Hugging Face that serves the recorded
responses in ../shared/fixtures, for harvester tests and benchmarks.

    python3 tests/fixture_server.py [--port 0] [--fixtures DIR] [--delay S]

Prints "PORT <n>" on its first line of stdout once it listens (port 0 picks a
free one), then serves until killed. Python standard library only.

Endpoints (what the harvesters call):
  /api/query            arXiv API. id_list=... serves the recorded id lookups
                        (id_abc answers HTTP 400, as recorded); any other
                        search_query serves the 100 recorded "all:testing"
                        results with real paging: start/max_results pages are
                        the recorded files where one was recorded for that
                        start and size, else cut from the 100-result recording;
                        totalResults is the 100 available.
  /oai                  OAI-PMH, metadataPrefix=arXiv: ListRecords over the 19
                        recorded records (set, from, until filters on setSpec and
                        datestamp), pagesize records a page with resumption
                        tokens; GetRecord by identifier; noRecordsMatch when empty.
  /atom/<category>      the recorded cs.AI announcement feed (other categories:
                        an empty feed). Serving it twice is the "repeated feed".
  /api/daily_papers     ?date=2024-10-25 serves the recorded list, other dates [].
  /_log                 JSON list of the requests served so far (path, time, UA).
  /_reset               clears the log and the per-URL counters.

Variants: prefix any path with /x/<options>/, options comma-separated:
  delay=S          sleep S seconds before answering (also --delay)
  503=N            the first N requests of each URL answer 503 (Retry-After)
  429=N            same with 429
  retryafter=S     the Retry-After value (default 1)
  always503        every request answers 503
  pagesize=N       OAI records per page (default 5)
  oaierror=P       OAI page P (0-based) answers <error code="badArgument">
  expiretokens     every OAI resumption token is rejected (badResumptionToken)
  deleted=ID       OAI: record ID has header status="deleted"
  truncate=P       page P (API: start index; OAI: page number; feed/hf: 0) is
                   cut in half (malformed XML / JSON)
  truncateonce=P   the same, only the first time that URL is requested
  emptyat=S        the API page starting at S has no entries (mid-paging gap)
  emptyonce=S      the same, only the first time
  drop=N           the feed omits its first N entries (a new day's batch)
  upvotes=K        daily papers get K more upvotes each (a later refresh)
  total=N          API totalResults (default: the 100 available)
  withdraw=ID      API: paper ID comes back as its next version, withdrawn
                   (comment "This paper has been withdrawn by the author")
  replace=N        feed: the first N entries become replacements (next version,
                   announce_type replace)
"""
import argparse
import glob
import html
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "fixtures"))


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Fixtures:
    def __init__(self, root):
        self.root = root
        api = os.path.join(root, "arxiv-api")
        # The arXiv API: the 100-result recording and the smaller recorded pages.
        big = glob.glob(os.path.join(api, "q_testing_s0_m100_*.xml"))[0]
        text = read(big).decode("utf-8")
        first = text.index("<entry>")
        self.api_head = text[:first]
        self.api_entries = re.findall(r"<entry>.*?</entry>\s*", text, re.S)
        self.api_pages = {}
        for path in glob.glob(os.path.join(api, "q_testing_s*_m*_*.xml")):
            m = re.search(r"q_testing_s(\d+)_m(\d+)_", os.path.basename(path))
            self.api_pages[(int(m.group(1)), int(m.group(2)))] = read(path).decode("utf-8")
        self.api_ids = {}
        for path in glob.glob(os.path.join(api, "id_*.xml")):
            name = os.path.basename(path)[:-4]
            key = name[len("id_list_"):] if name.startswith("id_list_") else re.sub(r"_s\d+_m\d+_[0-9a-f]+$", "", name[3:])
            self.api_ids[key] = read(path)
        self.api_searches = {}
        for path in glob.glob(os.path.join(api, "search_query_*.xml")):
            self.api_searches[os.path.basename(path)[len("search_query_"):-4]] = read(path)
        # OAI-PMH: every recorded record, in file order, deduplicated.
        self.oai_records = []
        seen = set()
        for path in sorted(glob.glob(os.path.join(root, "arxiv-oai", "*.xml"))):
            for rec in re.findall(r"<record>.*?</record>", read(path).decode("utf-8"), re.S):
                ident = re.search(r"<identifier>(.*?)</identifier>", rec).group(1).strip()
                if ident in seen:
                    continue
                seen.add(ident)
                self.oai_records.append({
                    "id": ident,
                    "datestamp": re.search(r"<datestamp>(.*?)</datestamp>", rec).group(1).strip(),
                    "sets": [s.strip() for s in re.findall(r"<setSpec>(.*?)</setSpec>", rec)],
                    "xml": rec,
                })
        self.oai_records.sort(key=lambda r: (r["datestamp"], r["id"]))
        # The announcement feed and Hugging Face's daily list.
        self.feeds = {}
        for path in glob.glob(os.path.join(root, "arxiv-rss", "*.atom.xml")):
            cat = os.path.basename(path).split("-")[0]
            self.feeds[cat] = read(path).decode("utf-8")
        self.daily = {}
        for path in glob.glob(os.path.join(root, "hf-papers", "daily_papers-*.json")):
            m = re.search(r"daily_papers-(\d{4}-\d\d-\d\d)", os.path.basename(path))
            self.daily[m.group(1)] = read(path)


def bump(entry):
    """The entry as its next version: every "vN" after the id becomes "vN+1"."""
    return re.sub(r"(\d{4}\.\d{4,5}|[a-z-]+/\d{7})v(\d+)", lambda m: "%sv%d" % (m.group(1), int(m.group(2)) + 1), entry)


def withdrawn(entry):
    entry = re.sub(r"\s*<arxiv:comment>.*?</arxiv:comment>", "", bump(entry), flags=re.S)
    return entry.replace("</summary>", "</summary>\n    <arxiv:comment>This paper has been withdrawn by the author</arxiv:comment>", 1)


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.log = []

    def hit(self, key):
        with self.lock:
            n = self.counts.get(key, 0)
            self.counts[key] = n + 1
            return n


def parse_options(path):
    """Splits '/x/delay=1,503=2/api/query' into ({'delay': '1', '503': '2'}, '/api/query')."""
    opts = {}
    if path.startswith("/x/"):
        rest = path[3:]
        spec, _, path = rest.partition("/")
        path = "/" + path
        for item in spec.split(","):
            if not item:
                continue
            k, _, v = item.partition("=")
            opts[k] = v
    return opts, path


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "QuireFixtures/1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fixture: " + fmt % args + "\n")

    def send(self, status, body, ctype="application/atom+xml; charset=utf-8", headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        fx, state = self.server.fixtures, self.server.state
        url = urlsplit(self.path)
        opts, path = parse_options(url.path)
        q = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        ukey = self.path
        n = state.hit(ukey)
        with state.lock:
            state.log.append({"path": self.path, "time": time.time(), "ua": self.headers.get("User-Agent", ""),
                              "auth": self.headers.get("Authorization", ""), "etag": self.headers.get("If-None-Match", "")})
        if path == "/_log":
            return self.send(200, json.dumps(state.log), "application/json")
        if path == "/_reset":
            with state.lock:
                state.log.clear()
                state.counts.clear()
            return self.send(200, "{}", "application/json")
        delay = float(opts.get("delay", self.server.delay))
        if delay > 0:
            time.sleep(delay)
        retry = {"Retry-After": opts.get("retryafter", "1")}
        if "always503" in opts:
            return self.send(503, "<html><body>Service temporarily unavailable</body></html>", "text/html", retry)
        for code in ("503", "429"):
            if code in opts and n < int(opts[code]):
                return self.send(int(code), "<html><body>Too many requests; slow down</body></html>", "text/html", retry)
        self.opts, self.n = opts, n
        if path == "/api/query":
            return self.api(q)
        if path in ("/oai", "/oai2"):
            return self.oai(q)
        m = re.match(r"^/(?:atom|rss)/(.+)$", path)
        if m:
            return self.feed(m.group(1))
        if path == "/api/daily_papers":
            return self.daily(q)
        m = re.match(r"^/repos/([^/]+)/([^/]+)$", path)
        if m:
            return self.github(m.group(1), m.group(2))
        return self.send(404, "not found: " + path, "text/plain")

    def truncated(self, page, body):
        opts = self.opts
        if opts.get("truncate") == str(page) or (opts.get("truncateonce") == str(page) and self.n == 0):
            return body[: len(body) // 2]
        return body

    # arXiv API ---------------------------------------------------------------
    def api(self, q):
        fx, opts = self.server.fixtures, self.opts
        if q.get("id_list"):
            key = "_".join(i.replace("/", "_") for i in q["id_list"].split(","))
            if key == "abc":
                return self.send(400, fx.api_ids["abc"])
            body = fx.api_ids.get(key)
            if body is None:
                body = (fx.api_head.replace("<opensearch:totalResults>214881", "<opensearch:totalResults>0") + "</feed>\n").encode()
            return self.send(200, body)
        search = q.get("search_query", "")
        recorded = re.sub(r"[^A-Za-z0-9]+", "_", search).strip("_")
        for name, body in fx.api_searches.items():
            if name.strip("_") == recorded:
                return self.send(200, body)
        start = int(q.get("start", "0") or 0)
        size = int(q.get("max_results", "10") or 10)
        total = int(opts.get("total", len(fx.api_entries)))
        if opts.get("emptyat") == str(start) or (opts.get("emptyonce") == str(start) and self.n == 0):
            entries = []
            text = None
        else:
            text = fx.api_pages.get((start, size))
            entries = fx.api_entries[start:start + size]
        if "withdraw" in opts:
            target = opts["withdraw"]
            entries = [withdrawn(e) if ("/abs/%sv" % target) in e else e for e in entries]
            if text is not None and ("/abs/%sv" % target) in text:
                text = None
        if text is None:
            head = fx.api_head
            head = re.sub(r"<opensearch:itemsPerPage>\d+", "<opensearch:itemsPerPage>%d" % size, head)
            head = re.sub(r"<opensearch:startIndex>\d+", "<opensearch:startIndex>%d" % start, head)
            text = head + "".join(entries) + "</feed>\n"
        text = re.sub(r"<opensearch:totalResults>\d+", "<opensearch:totalResults>%d" % total, text)
        self.send(200, self.truncated(start, text.encode("utf-8")))

    # OAI-PMH -------------------------------------------------------------------
    OAI_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
                '<responseDate>2017-12-14T13:00:41Z</responseDate>\n')

    def oai_error(self, q, code, message):
        attrs = "".join(' %s="%s"' % (k, html.escape(v)) for k, v in q.items())
        body = self.OAI_HEAD + '<request%s>http://export.arxiv.org/oai2</request>\n<error code="%s">%s</error>\n</OAI-PMH>\n' % (
            attrs, code, html.escape(message))
        self.send(200, body, "text/xml; charset=utf-8")

    def oai(self, q):
        fx, opts = self.server.fixtures, self.opts
        verb = q.get("verb")
        records = fx.oai_records
        deleted = opts.get("deleted")

        def render(rec):
            xml = rec["xml"]
            if deleted and rec["id"].endswith(":" + deleted):
                header = re.search(r"<header>.*?</header>", xml, re.S).group(0)
                xml = "<record>" + header.replace("<header>", '<header status="deleted">', 1) + "</record>"
            return xml

        if verb == "GetRecord":
            for rec in records:
                if rec["id"] == q.get("identifier"):
                    body = self.OAI_HEAD + '<request verb="GetRecord">x</request>\n<GetRecord>\n%s\n</GetRecord>\n</OAI-PMH>\n' % render(rec)
                    return self.send(200, body, "text/xml; charset=utf-8")
            return self.oai_error(q, "idDoesNotExist", "no such identifier")
        if verb != "ListRecords":
            return self.oai_error(q, "badVerb", "illegal verb")
        size = int(opts.get("pagesize", "5"))
        if "resumptionToken" in q:
            if "expiretokens" in opts:
                return self.oai_error(q, "badResumptionToken", "the token has expired")
            parts = q["resumptionToken"].split("!")
            if len(parts) != 4 or not parts[0].isdigit():
                return self.oai_error(q, "badResumptionToken", "malformed token")
            offset, set_, from_, until = int(parts[0]), parts[1], parts[2], parts[3]
        else:
            if q.get("metadataPrefix") != "arXiv":
                return self.oai_error(q, "cannotDisseminateFormat", "unknown metadataPrefix")
            offset, set_, from_, until = 0, q.get("set", ""), q.get("from", ""), q.get("until", "")
        chosen = [r for r in records
                  if (not set_ or any(s == set_ or s.startswith(set_ + ":") for s in r["sets"]))
                  and (not from_ or r["datestamp"] >= from_)
                  and (not until or r["datestamp"] <= until)]
        if not chosen:
            return self.oai_error(q, "noRecordsMatch", "no records match")
        page_no = offset // size
        if opts.get("oaierror") == str(page_no):
            return self.oai_error(q, "badArgument", "simulated failure on page %d" % page_no)
        page = chosen[offset:offset + size]
        nxt = offset + size
        token = ""
        if nxt < len(chosen):
            token = "%d!%s!%s!%s" % (nxt, set_, from_, until)
        attrs = "".join(' %s="%s"' % (k, html.escape(v)) for k, v in q.items())
        body = (self.OAI_HEAD + '<request%s>http://export.arxiv.org/oai2</request>\n<ListRecords>\n' % attrs
                + "\n".join(render(r) for r in page)
                + '\n<resumptionToken cursor="%d" completeListSize="%d">%s</resumptionToken>\n' % (offset, len(chosen), html.escape(token))
                + "</ListRecords>\n</OAI-PMH>\n")
        self.send(200, self.truncated(page_no, body.encode("utf-8")), "text/xml; charset=utf-8")

    # Announcement feed ----------------------------------------------------------
    def feed(self, category):
        fx, opts = self.server.fixtures, self.opts
        text = fx.feeds.get(category)
        if text is None:
            text = next(iter(fx.feeds.values()))
            first = text.index("<entry>")
            text = text[:first].replace("cs.AI", category) + "</feed>\n"
        replace = int(opts.get("replace", "0"))
        if replace:
            entries = re.findall(r"  <entry>.*?</entry>\n", text, re.S)
            for e in entries[:replace]:
                text = text.replace(e, bump(e).replace("Announce Type: new", "Announce Type: replace")
                                    .replace("Announce Type: cross", "Announce Type: replace")
                                    .replace(">new</arxiv:announce_type>", ">replace</arxiv:announce_type>")
                                    .replace(">cross</arxiv:announce_type>", ">replace</arxiv:announce_type>"), 1)
        drop = int(opts.get("drop", "0"))
        if drop:
            entries = re.findall(r"  <entry>.*?</entry>\n", text, re.S)
            for e in entries[:drop]:
                text = text.replace(e, "", 1)
        self.send(200, self.truncated(0, text.encode("utf-8")))

    # Hugging Face ---------------------------------------------------------------
    def daily(self, q):
        fx, opts = self.server.fixtures, self.opts
        body = fx.daily.get(q.get("date", ""), b"[]")
        if "upvotes" in opts:
            items = json.loads(body)
            for item in items:
                item["paper"]["upvotes"] += int(opts["upvotes"])
            body = json.dumps(items).encode("utf-8")
        self.send(200, self.truncated(0, body), "application/json; charset=utf-8")


    def github(self, owner, name):
        """GitHub's GET /repos/{owner}/{name}: stars are 100 per letter of the
        name plus the variant option stars=N (so a test can make them grow);
        grow_NAME=N adds N to one repository only. The ETag names the count,
        and If-None-Match with it answers 304.
        Names starting with "gone" are 404; the option ratelimit answers 403
        as GitHub does when the hourly allowance is spent."""
        if "ratelimit" in self.opts:
            return self.send(403, json.dumps({"message": "API rate limit exceeded"}), "application/json",
                             {"X-RateLimit-Remaining": "0"})
        if name.startswith("gone"):
            return self.send(404, json.dumps({"message": "Not Found"}), "application/json")
        stars = 100 * len(name) + int(self.opts.get("stars", "0")) + int(self.opts.get("grow_" + name, "0"))
        etag = '"s%d"' % stars
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = {"full_name": f"{owner}/{name}", "stargazers_count": stars, "forks_count": 3}
        return self.send(200, json.dumps(body), "application/json; charset=utf-8", {"ETag": etag})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--fixtures", default=DEFAULT_FIXTURES)
    ap.add_argument("--delay", type=float, default=0.0, help="seconds to wait before every answer")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--exit-on-stdin-eof", action="store_true",
                    help="stop when standard input closes (the test process that started it ended)")
    args = ap.parse_args()
    if args.exit_on_stdin_eof:
        # Stop with the process that started us: when our standard input
        # closes, or when we are handed to another parent (it died).
        parent = os.getppid()

        def watch_stdin():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            finally:
                os._exit(0)

        def watch_parent():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)
        threading.Thread(target=watch_stdin, daemon=True).start()
        threading.Thread(target=watch_parent, daemon=True).start()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.fixtures = Fixtures(args.fixtures)
    server.state = State()
    server.delay = args.delay
    server.verbose = args.verbose
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
