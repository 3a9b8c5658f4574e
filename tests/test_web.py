"""Tests for search.web: the local web page and its JSON, through Flask's test client and a
real server on loopback. The browser tests are in test_browser.py, the load test in
test_web_load.py."""

from __future__ import annotations

import html
import http.client
import io
import json
import threading
import time
from pathlib import Path

import pytest

from search.web import make_server, server_url, stop
from search.web.app import MAX_UPLOAD_BYTES, create_app

DRAFT = Path(__file__).resolve().parents[1] / "docs" / "draft.md"
RIVER = "not only a bloody line but a whole river of blood"


@pytest.fixture(scope="module")
def client(seed_index):  # type: ignore[no-untyped-def]
    app = create_app(seed_index)
    yield app.test_client()
    app.config["POOL"].close()


def test_the_api_serves_what_the_library_returns(client, seed_library):
    response = client.get("/api/search?q=trotsky+exile+mexico&limit=3&style=chicago")
    assert response.status_code == 200
    expected = seed_library.search("trotsky exile mexico", limit=3).to_dict("chicago")
    assert response.get_json() == json.loads(json.dumps(expected))
    cite = client.get("/api/cite", query_string={"quote": RIVER}).get_json()
    assert cite == json.loads(json.dumps(seed_library.verify(RIVER).to_dict("apa")))
    checked = client.post("/api/check", data={"draft": (DRAFT.open("rb"), "draft.md")}).get_json()
    assert [q["verdict"] for q in checked["quotations"]] == [
        "exact", "edited", "variant", "not_found"]


def test_the_search_page_shows_ranked_passages_with_highlights_and_citations(client):
    page = client.get("/search?q=kronstadt&style=apa").get_data(as_text=True)
    assert page.count('<article class="hit">') == 10
    assert "<em>Kronstadt</em>" in page
    assert 'href="/doc/' in page and "#p" in page
    assert "<summary>MLA</summary>" in page and "<summary>CHICAGO</summary>" in page
    assert 'class="copy"' in page


def test_a_quotation_check_shows_the_verdict_sources_and_citation(client):
    page = client.post("/check", data={"quote": RIVER, "style": "apa"}).get_data(as_text=True)
    assert 'data-verdict="exact"' in page
    assert "(Narai, 2022, para. 18)" in page
    assert 'href="/doc/000_ee2ff855b77098e1?style=apa#p18"' in page


def test_an_article_page_anchors_every_paragraph(client):
    page = client.get("/doc/001").get_data(as_text=True)
    assert '<p class="para" id="p10"><a class="num" href="#p10" title="line 41">¶10</a>' in page
    assert "Permanent Revolution section" not in page  # the article's citation has no pinpoint


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/search?q=trotsky&limit=abc", 400, "limit must be a whole number from 1 to 100, not 'abc'."),
    ("/search?q=trotsky&style=harvard", 400, "Unknown citation style 'harvard'"),
    ("/api/search?q=", 400, "Give the query as ?q=..."),
    ("/api/search?q=" + "a" * 2001, 400, "The query is 2001 characters long; the most is 2000."),
    ("/api/cite?quote=the+of+and", 400, ""),
    ("/api/cite?quote=river+of+blood&max_sources=0", 400,
     "max_sources must be a whole number from 1 to 100, not '0'."),
    ("/check?quote=river+of+blood&max_sources=-1", 400,
     "max_sources must be a whole number from 1 to 100, not '-1'."),
    ("/api/doc/nothing", 404, "No indexed article is called 'nothing'"),
])
def test_bad_requests_get_a_clear_message_and_a_4xx(client, path, status, message):
    response = client.get(path)
    assert response.status_code == status
    text = html.unescape(response.get_data(as_text=True))
    assert message in (response.get_json()["error"] if path.startswith("/api/") else text)
    assert "Traceback" not in text and 'File "' not in text


def test_a_malformed_query_on_the_page_says_so_and_still_searches(client):
    response = client.get('/search?q=%22left+opposition+AND')
    assert response.status_code == 200
    assert "Note:" in response.get_data(as_text=True)


def test_an_upload_over_the_limit_is_refused_with_413(client):
    big = io.BytesIO(b"word " * (MAX_UPLOAD_BYTES // 5 + 10))
    page = client.post("/check", data={"draft": (big, "big.md")})
    assert page.status_code == 413
    assert "The upload is larger than 2 MB" in page.get_data(as_text=True)
    api = client.post("/api/check", data={"draft": (io.BytesIO(b"x" * (MAX_UPLOAD_BYTES + 1)),
                                                     "big.md")})
    assert api.status_code == 413 and "larger than 2 MB" in api.get_json()["error"]


def test_a_draft_that_is_not_utf8_is_refused_with_400(client):
    latin1 = "Trotsky wrote: « la révolution trahie », voilà.".encode("latin-1")
    page = client.post("/check", data={"draft": (io.BytesIO(latin1), "draft.md")})
    assert page.status_code == 400
    assert "draft.md is not UTF-8 text (byte 15)" in html.unescape(page.get_data(as_text=True))
    api = client.post("/api/check", data={"draft": (io.BytesIO(latin1), "draft.md")})
    assert api.status_code == 400 and api.get_json()["error"].startswith("draft.md is not UTF-8")


def test_an_empty_check_asks_for_input(client):
    response = client.post("/check", data={"text": "  "})
    assert response.status_code == 400
    assert "Paste a draft or choose a file to upload." in response.get_data(as_text=True)


@pytest.fixture(scope="module")
def server(seed_index):  # type: ignore[no-untyped-def]
    running = make_server(seed_index, port=0, threads=4)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    yield running
    stop(running)


def test_the_server_listens_on_loopback_only_by_default(server):
    host, port = server.getsockname()[:2]
    assert host == "127.0.0.1"
    assert server_url(server) == f"http://127.0.0.1:{port}/"


def test_the_page_answers_while_a_long_check_runs(server):
    """A draft check holding one library does not block the page: the home page is served
    before the check is done (an order of events, not a timing)."""
    host, port = server.getsockname()[:2]
    long_draft = DRAFT.read_text(encoding="utf-8") * 30
    done: dict[str, float] = {}

    def check() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=120)
        connection.request("POST", "/api/check", body=f"text={long_draft}".encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        done["status"] = connection.getresponse().status
        done["check"] = time.monotonic()

    worker = threading.Thread(target=check)
    worker.start()
    time.sleep(0.3)
    answered = []  # searches keep being served while the check holds its library
    while worker.is_alive() and len(answered) < 3:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        connection.request("GET", "/search?q=kronstadt")
        assert connection.getresponse().status == 200
        answered.append(time.monotonic())
    worker.join()
    assert done["status"] == 200
    assert answered and answered[0] < done["check"]


def test_the_api_reads_a_json_body_too(client, seed_library):
    response = client.post("/api/cite", json={"quote": RIVER, "style": "mla"})
    assert response.status_code == 200
    assert response.get_json()["matches"][0]["citation"] == "(Narai)"


def test_a_port_in_use_is_a_clear_error(server, seed_index):
    from search.errors import InputError

    port = server.getsockname()[1]
    with pytest.raises(InputError, match=f"Cannot listen on 127.0.0.1 port {port}: "):
        make_server(seed_index, port=port)


@pytest.mark.parametrize(("host", "status"), [
    ("127.0.0.1:8000", 200), ("localhost:8000", 200), ("[::1]:8000", 200), ("localhost", 200),
    ("evil.example:8000", 400), ("127.0.0.1.evil.example", 400)])
def test_only_loopback_host_names_are_answered(client, host, status):
    """A page elsewhere cannot read the index through a name it points at 127.0.0.1."""
    response = client.get("/api/docs", headers={"Host": host})
    assert response.status_code == status
    if status == 400:
        assert response.get_json()["error"].startswith("This page answers only at 127.0.0.1")


CAPTION = "against the bureaucracy and wealthy peasant employers, and for"  # in three captions


def test_the_page_lists_max_sources_and_says_how_many_more(client):
    entry = client.get("/api/cite", query_string={"quote": CAPTION, "max_sources": 1}).get_json()
    assert (len(entry["matches"]), entry["more_sources"]) == (1, 2)
    page = client.get("/check", query_string={"quote": CAPTION, "max_sources": 1})
    text = page.get_data(as_text=True)
    assert '<p class="more">and 2 more verbatim occurrences</p>' in text
