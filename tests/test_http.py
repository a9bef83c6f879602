"""The one HTTP client against a real server on loopback, started here."""
from __future__ import annotations

import io
import socket
import time
import zipfile
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from pipeline.intake import http
from pipeline.intake.http import (BlockedAddress, ConnectionFailed, DeadlineExceeded, HttpClient, HttpSettings,
                           NotADocument, StatusError, TooLarge)
from tests.httpserver import LoopbackServer, reply, trickle

CASES = Path(__file__).parent / "cases"
PDF = (CASES / "ruled-template-a.pdf").read_bytes()
DOCX = (CASES / "merged-cells-template-a.docx").read_bytes()
# loopback is allowed unless a test is about the guard; retries wait a moment, not seconds
FAST = HttpSettings(allow_private=True, backoff=0.01, timeout=10, deadline=60)


def _client(**changes) -> HttpClient:
    return HttpClient(HttpSettings(**{**FAST.__dict__, **changes}))


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def public_loopback(monkeypatch):
    """The test server's 127.0.0.1 counts as a public address, so the guard's decision on a
    redirect can be seen; every other host resolves as usual."""
    resolve = http._resolve
    monkeypatch.setattr(http, "_resolve", lambda host, port: ["93.184.216.34"] if host == "127.0.0.1"
                        else resolve(host, port))


@pytest.mark.parametrize("location", [
    "http://169.254.169.254/latest/meta-data/",   # link-local: cloud metadata
    "http://10.1.2.3/paper.pdf",                   # private
    "http://localhost:{port}/secret",              # a name that resolves to loopback
    "http://[::1]:{port}/secret",                   # IPv6 loopback
    "http://0.0.0.0:{port}/secret",                # unspecified
    "ftp://127.0.0.1/paper.pdf",                   # not http(s)
    "file:///etc/passwd",
])
def test_redirects_to_private_addresses_and_other_schemes_are_refused(tmp_path, public_loopback, location):
    with LoopbackServer() as server:
        port = server.url.rsplit(":", 1)[1]
        server.routes["/paper"] = lambda h: reply(h, 302, headers={"Location": location.format(port=port)})
        server.routes["/secret"] = lambda h: reply(h, 200, PDF)
        with _client(allow_private=False) as client, pytest.raises(BlockedAddress, match="refused"):
            client.download(server.url + "/paper", tmp_path, "paper")
        assert server.hits["/paper"] == 1 and server.hits["/secret"] == 0
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("allow_private, refused", [(False, True), (True, False)])
def test_a_loopback_first_url_needs_allow_private(tmp_path, allow_private, refused):
    with LoopbackServer({"/paper.pdf": lambda h: reply(h, 200, PDF)}) as server, \
            _client(allow_private=allow_private) as client:
        if refused:
            with pytest.raises(BlockedAddress, match="--allow-private-urls"):
                client.download(server.url + "/paper.pdf", tmp_path, "paper")
            assert server.hits["/paper.pdf"] == 0
        else:
            assert client.download(server.url + "/paper.pdf", tmp_path, "paper").path.read_bytes() == PDF


def test_other_schemes_are_refused_even_when_private_addresses_are_allowed(tmp_path):
    with _client() as client, pytest.raises(BlockedAddress, match="only http and https"):
        client.download("ftp://127.0.0.1/paper.pdf", tmp_path, "paper")


def _unsized(body: bytes):
    """A body with no Content-Length: the limit must hold while streaming."""
    def route(handler):
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True
    return route


@pytest.mark.parametrize("route", [
    lambda h: reply(h, 200, PDF),      # declared length over the limit: refused before reading
    _unsized(PDF),                     # no length: stopped once the limit is passed
])
def test_size_limit_stops_the_download_and_leaves_no_partial(tmp_path, route):
    with LoopbackServer({"/big": route}) as server, _client(max_bytes=len(PDF) // 2) as client:
        with pytest.raises(TooLarge, match="limit"):
            client.download(server.url + "/big", tmp_path, "big")
    assert _leftovers(tmp_path) == []


def test_a_slow_trickle_hits_the_deadline(tmp_path):
    # the server would take 500 s; the client has 1 s in all, however often bytes arrive
    with LoopbackServer({"/slow": trickle}) as server, _client(deadline=1.0) as client:
        with pytest.raises(DeadlineExceeded, match="gave up .* after 1 s"):
            client.download(server.url + "/slow", tmp_path, "slow")
    assert _leftovers(tmp_path) == []


def _fails_then_serves(failures: int, status: int = 503):
    def route(handler):
        if route.calls < failures:
            route.calls += 1
            reply(handler, status, b"busy")
        else:
            reply(handler, 200, PDF)
    route.calls = 0
    return route


@pytest.mark.parametrize("failures, status, retries, served, hits", [
    (1, 503, 3, True, 2),       # one 503, then the paper
    (2, 502, 3, True, 3),       # a proxy's 502 is retried too
    (5, 503, 2, False, 3),      # still failing after every retry: the last status is the reason
    (1, 404, 3, False, 1),      # a 404 is an answer, not a hiccup: never retried
])
def test_server_errors_are_retried_with_back_off(tmp_path, failures, status, retries, served, hits):
    with LoopbackServer({"/p": _fails_then_serves(failures, status)}) as server, _client(retries=retries) as client:
        if served:
            assert client.download(server.url + "/p", tmp_path, "p").path.read_bytes() == PDF
        else:
            with pytest.raises(StatusError, match=f"HTTP {status}") as error:
                client.download(server.url + "/p", tmp_path, "p")
            assert error.value.status == status
        assert server.hits["/p"] == hits


@pytest.mark.parametrize("retry_after", ["1", "{http_date}"])
def test_a_server_that_asks_for_a_pause_gets_it(tmp_path, retry_after):
    def route(handler):
        if route.calls == 0:
            route.calls += 1
            later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=2), usegmt=True)
            reply(handler, 503, b"busy", {"Retry-After": retry_after.format(http_date=later)})
        else:
            reply(handler, 200, PDF)
    route.calls = 0
    with LoopbackServer({"/p": route}) as server, _client() as client:
        started = time.monotonic()
        assert client.download(server.url + "/p", tmp_path, "p").path.read_bytes() == PDF
    assert time.monotonic() - started >= 0.9          # not the 0.01 s back-off


def test_connection_errors_are_retried_then_named(tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]        # bound, never listening: connection refused
        with _client(retries=2) as client, pytest.raises(ConnectionFailed, match=r"3 attempts"):
            client.download(f"http://127.0.0.1:{port}/p", tmp_path, "p")


@pytest.mark.parametrize("path, body, suffix", [
    ("/mgConvert2PDF.aspx", PDF, ".pdf"),               # no extension at all
    ("/download", b"\r\n" + PDF, ".pdf"),                # junk before the header is still a PDF
    ("/report.pdf", DOCX, ".docx"),                      # the URL lies: the bytes decide
])
def test_the_media_type_comes_from_the_bytes(tmp_path, path, body, suffix):
    with LoopbackServer({path: lambda h: reply(h, 200, body)}) as server, _client() as client:
        got = client.download(server.url + path + "?ID=123", tmp_path, "paper-123")
    assert got.path == tmp_path / f"paper-123{suffix}" and got.path.read_bytes() == body
    assert http.SUFFIXES[got.media_type] == suffix
    assert _leftovers(tmp_path) == [got.path.name]


@pytest.mark.parametrize("body, shown", [
    (b"<!DOCTYPE html><html>Sign in</html>", "<html>"),        # a login page served with 200
    (_zip(["xl/workbook.xml"]), "'PK"),                        # a spreadsheet, not a Word document
])
def test_bytes_that_are_neither_pdf_nor_docx_are_refused(tmp_path, body, shown):
    with LoopbackServer({"/paper.pdf": lambda h: reply(h, 200, body)}) as server, _client() as client:
        with pytest.raises(NotADocument, match=f"not a PDF or DOCX \\(starts with {shown}"):
            client.download(server.url + "/paper.pdf", tmp_path, "paper")
    assert _leftovers(tmp_path) == []


def test_credentials_never_reach_results_or_messages(tmp_path):
    with LoopbackServer({"/p.pdf": lambda h: reply(h, 200, PDF), "/gone": lambda h: reply(h, 410)}) as server, \
            _client() as client:
        secret = server.url.replace("http://", "http://ann:s3cret@")
        got = client.download(secret + "/p.pdf", tmp_path, "p")
        with pytest.raises(StatusError) as error:
            client.download(secret + "/gone", tmp_path, "gone")
        sent = server.requests[0][1]
    assert "s3cret" not in got.url and got.url == server.url + "/p.pdf"
    assert "s3cret" not in str(error.value) and "HTTP 410" in str(error.value)
    assert sent.get("Authorization", "").startswith("Basic ")     # still used to authenticate


@pytest.mark.parametrize("validator, header, condition", [
    ("ETag", '"v1"', "If-None-Match"),
    ("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT", "If-Modified-Since"),
])
def test_conditional_get_reports_not_modified(tmp_path, validator, header, condition):
    def route(handler):
        if handler.headers.get(condition) == header:
            reply(handler, 304, headers={validator: header})
        else:
            reply(handler, 200, PDF, headers={validator: header})
    with LoopbackServer({"/p": route}) as server, _client() as client:
        first = client.download(server.url + "/p", tmp_path, "p")
        key = "etag" if validator == "ETag" else "last_modified"
        again = client.download(server.url + "/p", tmp_path, "p", **{key: getattr(first, key)})
    assert not first.not_modified and getattr(first, key) == header
    assert again.not_modified and again.path is None and getattr(again, key) == header
    assert _leftovers(tmp_path) == ["p.pdf"]


def test_requests_carry_the_descriptive_user_agent(tmp_path):
    with LoopbackServer({"/x": lambda h: reply(h, 200, b"<ok/>")}) as server, _client() as client:
        assert client.get_bytes(server.url + "/x") == b"<ok/>"
    agent = server.requests[0][1]["User-Agent"]
    assert agent == http.DEFAULT_USER_AGENT and agent.startswith("council-plans/")


def test_partials_of_a_killed_download_are_swept(tmp_path):
    (tmp_path / ".paper.x1.part").write_bytes(b"%PDF-half")
    (tmp_path / "kept.pdf").write_bytes(PDF)
    assert http.remove_partials(tmp_path) == 1
    assert _leftovers(tmp_path) == ["kept.pdf"]
