""""My own papers" and "don't use this" (issue 14) in a real headless
Chromium at a phone's width (390 px), over a server with the sample papers'
vectors: a new reader claims papers by their arXiv author name, by a BibTeX
file and by a list of ids, each through the same confirmation list (with
what could not be found said), and the feed changes after each; then they
take a paper out of the reasons, and back. The same through the API, with
bad input, the data export and the opened-page signal.

Set QUIRE_SCREENSHOTS to a folder to keep the screenshots.

Run: QUIRE_BIN=$PWD/.build/debug/quire python3 -m pytest -q tests/e2e/test_own_papers.py
"""
import uuid

import pytest

from cdp import Browser
from readers import Reader
from test_for_you import foryou_server, ids, keep  # noqa: F401 (a fixture)
from test_reader_walkthrough import PASSWORD, dark, no_sideways_scroll, path, pixels, shot, text, visible_box

# In ../shared/fixtures/arxiv-snapshot/first200.jsonl: I. Grabec wrote six papers.
GRABEC = ["0704.0047", "0704.0050", "0704.0089", "0704.0107", "0704.0151", "0704.0162"]


def picks_and_reasons(b):
    return ids(b, "picks"), b.evaluate("[...document.querySelectorAll('#picks > li .reason')].map(p => p.innerText)")


def candidates(b):
    return b.evaluate("[...document.querySelectorAll('#own-candidates input[name=paper]')].map(i => [i.value, i.checked])")


def look_at_confirmation(b, tmp_path, name):
    """The confirmation list at 390 px: no sideways scroll, the first entry drawn inside the window."""
    assert path(b) == "/for-you/own-papers/find" and b.status == 200
    no_sideways_scroll(b)
    image = shot(b, tmp_path, name)
    keep(tmp_path / f"{b.label}-{name}.png")
    b.scroll_to("#own-candidates > li:first-child")
    image = shot(b, tmp_path, name + "-first")
    assert dark(pixels(image, visible_box(b, "#own-candidates > li:first-child"), inset=0)) > 0.02, "the first candidate is drawn"


def test_a_reader_claims_their_papers_three_ways_and_leaves_one_out_of_the_reasons(foryou_server, tmp_path):
    base = foryou_server
    with Browser(390, 844, True) as b:
        b.label = "phone"
        username = f"own_{uuid.uuid4().hex[:8]}"
        b.navigate(base + "/signup")
        b.fill("input[name=username]", username)
        b.fill("input[name=email]", f"{username}@example.org")
        b.fill("input[name=password]", PASSWORD)
        b.click("form[action='/signup'] button[type=submit]")
        b.navigate(base + "/for-you")
        assert "0 of 5 so far" in text(b, "#warming-up")

        # 1. By name, written "Surname, Initial": all six found and ticked; one unticked.
        b.fill("#own-by-name input[name=name]", "Grabec, I.")
        b.click("#own-by-name button[type=submit]")
        assert sorted(candidates(b)) == [[i, True] for i in GRABEC]
        look_at_confirmation(b, tmp_path, "1-by-name")
        b.evaluate("document.querySelector('#own-candidates input[value=\"0704.0162\"]').checked = false")
        b.click("#own-confirm button[type=submit]")
        assert (path(b), b.status) == ("/for-you", 200)
        assert len(b.evaluate("[...document.querySelectorAll('#own-list li')]")) == 5
        # Five own papers start the feed: picks, each because the reader wrote something.
        assert b.evaluate("document.querySelector('#warming-up')") is None
        first_picks, reasons = picks_and_reasons(b)
        assert len(first_picks) >= 10 and not set(first_picks) & set(GRABEC[:5])
        assert all(r.startswith("Because you wrote “") for r in reasons), reasons[:3]
        shot(b, tmp_path, "1-picks")
        keep(tmp_path / "phone-1-picks.png")

        # 2. A BibTeX file: ids from eprint and a DOI; an entry without an id and an unknown id are said.
        bib = tmp_path / "mine.bib"
        bib.write_text("""@article{yurkin1, title={Light scattering}, eprint={0704.0033}, archivePrefix={arXiv}}
@misc{yurkin2, doi={10.48550/arXiv.0704.0035}}
@article{journalonly, title={In a journal only}, journal={Optics}}
@misc{elsewhere, eprint={2412.99999}}
""")
        b.set_files("#own-by-bibtex input[type=file]", [bib])
        b.click("#own-by-bibtex button[type=submit]")
        assert candidates(b) == [["0704.0033", True], ["0704.0035", True]]
        unknown = b.evaluate("[...document.querySelectorAll('#own-unknown li')].map(li => li.innerText)")
        assert unknown == ["journalonly (line 3): no arXiv id, “In a journal only”", "2412.99999: not on this server"], unknown
        look_at_confirmation(b, tmp_path, "2-bibtex")
        b.click("#own-confirm button[type=submit]")
        second_picks, reasons = picks_and_reasons(b)
        assert second_picks != first_picks and not {"0704.0033", "0704.0035"} & set(second_picks)

        # A broken file: the page says where, and nothing is lost.
        broken = tmp_path / "broken.bib"
        broken.write_text("@misc{oops, title={never closed}\n")
        b.set_files("#own-by-bibtex input[type=file]", [broken])
        b.click("#own-by-bibtex button[type=submit]")
        assert b.status == 400
        assert "line 2, column 1: the entry “oops” opened on line 1 is never closed" in text(b, "#own-papers .error")
        assert len(b.evaluate("[...document.querySelectorAll('#own-list li')]")) == 7

        # 3. A pasted list of ids and addresses, with one that is not an id.
        b.fill("#own-by-ids textarea[name=ids]", "0704.0041\nhttps://arxiv.org/abs/0704.0110v1\nnot-an-id")
        b.click("#own-by-ids button[type=submit]")
        assert candidates(b) == [["0704.0041", True], ["0704.0110", True]]
        assert b.evaluate("[...document.querySelectorAll('#own-unknown li')].map(li => li.innerText)") == ["not-an-id: not an arXiv id"]
        look_at_confirmation(b, tmp_path, "3-ids")
        b.click("#own-confirm button[type=submit]")
        third_picks, _ = picks_and_reasons(b)
        assert third_picks != second_picks

        # 4. "Don't use" beside the first pick's reason: that paper is named nowhere now, and listed to undo.
        named = b.evaluate("document.querySelector('#picks > li:first-child .reason-exclude').closest('form').querySelector('input[name=paper]').value")
        b.scroll_to("#picks > li:first-child .reason-exclude")
        image = shot(b, tmp_path, "4-reason")
        keep(tmp_path / "phone-4-reason.png")
        assert dark(pixels(image, visible_box(b, "#picks > li:first-child .reason"), inset=0)) > 0.02
        b.click("#picks > li:first-child .reason-exclude")
        assert (path(b), b.status) == ("/for-you", 200)
        still_named = b.evaluate("[...document.querySelectorAll('#picks .reason-exclude')].map(button => button.closest('form').querySelector('input[name=paper]').value)")
        assert named not in still_named
        assert b.evaluate(f"!!document.querySelector('#not-used-list input[value=\"{named}\"]')")
        fourth_picks, _ = picks_and_reasons(b)
        assert fourth_picks != third_picks
        b.click("#not-used-list button.feed-excluded")  # "Use it again"
        assert b.evaluate("document.querySelector('#not-used-list')") is None

        # Taking an own paper back.
        b.click("#own-list li:first-child button.own-remove")
        assert len(b.evaluate("[...document.querySelectorAll('#own-list li')]")) == 8
        no_sideways_scroll(b)


def test_own_papers_in_the_api_with_bad_input_and_in_the_export(foryou_server):
    base = foryou_server
    reader = Reader(base).signup()
    api = reader.api(reader.token())
    claimed = api.post(base + "/api/me/own-papers", json={"ids": GRABEC[:4] + ["arXiv:0704.0162v1", "2412.99999", "nonsense"]})
    assert claimed.status_code == 200, claimed.text
    assert claimed.json() == {"claimed": GRABEC[:4] + ["0704.0162"],
                              "unknown": ["nonsense: not an arXiv id", "2412.99999: not on this server"]}
    assert sorted(p["id"] for p in api.get(base + "/api/me/own-papers").json()) == sorted(GRABEC[:4] + ["0704.0162"])
    picks = api.get(base + "/api/me/feed?limit=10").json()
    assert not any(p["trending"] for p in picks) and all(p["reason"].startswith("Because you wrote") for p in picks)
    assert all(b["liking"] == "mine" for p in picks for b in p["because"])

    from_bibtex = api.post(base + "/api/me/own-papers", json={"bibtex": "@misc{a, eprint={0704.0033}}\n@misc{b, title={x}}"})
    assert from_bibtex.json() == {"claimed": ["0704.0033"], "unknown": ["b (line 2): no arXiv id, “x”"]}
    after = api.get(base + "/api/me/feed?limit=10").json()
    assert [p["id"] for p in after] != [p["id"] for p in picks]

    # "Don't use this" by API: the paper is named in no reason.
    named = after[0]["because"][0]["paperId"]
    assert api.post(f"{base}/api/me/excluded/{named}").json() == {"paperId": named, "kind": "excluded", "on": True}
    assert not any(b["paperId"] == named for p in api.get(base + "/api/me/feed?limit=30").json() for b in p["because"])

    # Bad input: a clear 4xx with a JSON error.
    for body in [{"ids": "0704.0033"}, {"ids": [1]}, {}, {"ids": []}, {"bibtex": ""}, {"ids": ["0704.0033"], "bibtex": None}]:
        response = api.post(base + "/api/me/own-papers", json=body)
        assert 400 <= response.status_code < 500 and "error" in response.json(), (body, response.text)
    # A BibTeX file that cannot be read is said where, beside what the ids claimed.
    broken = api.post(base + "/api/me/own-papers", json={"ids": ["0704.0050"], "bibtex": "@misc{a, title={x}"})
    assert broken.json() == {"claimed": ["0704.0050"], "unknown": [
        "This BibTeX file cannot be read: line 1, column 19: the entry “a” opened on line 1 is never closed"]}, broken.text
    assert api.delete(base + "/api/me/own-papers/2412.99999").status_code == 404
    assert api.delete(base + "/api/me/own-papers/0704.0033").status_code == 204

    # Opening a paper's page while signed in is noted once; all of it is in the export.
    assert reader.get("/papers/0704.0001").status_code == 200
    assert reader.get("/papers/0704.0001").status_code == 200
    signals = api.get(base + "/api/me/export").json()["feedSignals"]
    kinds = sorted((s["paperId"], s["kind"]) for s in signals)
    assert ("0704.0001", "opened") in kinds and kinds.count(("0704.0001", "opened")) == 1
    assert {(i, "mine") for i in GRABEC[:4]} <= set(kinds) and ("0704.0033", "mine") not in kinds
    assert (named, "excluded") in kinds
    account = reader.get("/account").text
    assert "opened-note" in account and "(1 so far)" in account
    # Keep-alive connections left open would hold up the server's graceful stop.
    api.close()
    reader.session.close()
