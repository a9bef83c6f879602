"""Fetching committee papers from a ModernGov site served on loopback, through the CLI."""
from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import httpx
import pyarrow as pa
import pytest

from pipeline.storage.lock import hold
from pipeline.fetching.manifest import MANIFEST_NAME, Progress
from pipeline.fetching.publications import expand_sources
from tests.conftest import CASES, run_cli
from tests.httpserver import LoopbackServer, reply
from tests.moderngov_site import Doc, FakeMeeting, FakeModernGov, Item

TODAY = date.today()
PLAN_PDF = (CASES / "ruled-template-a.pdf").read_bytes()
SPLIT_PDF = (CASES / "split-rows-across-pages.pdf").read_bytes()
PLAN_DOCX = (CASES / "merged-cells-template-a.docx").read_bytes()
STATS_DOCX = (CASES / "no-plan-statistics.docx").read_bytes()
POLITE_BUT_QUICK = ["--allow-private-urls", "--delay", "0"]


def _days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def _council() -> FakeModernGov:
    shared = Doc("501", "Equality & diversity action plan", PLAN_PDF)            # mgConvert2PDF, no extension
    return FakeModernGov(
        committees=[("11", "Audit & Governance Committee", False, False), ("12", "Cabinet", False, False),
                    ("13", "Director's Old Panel", False, True), ("14", "Deleted Board", True, False)],
        meetings=[
            FakeMeeting("100", "12", _days_ago(10), [
                Item("Equality & Diversity Action Plan", [shared]),
                Item("Service plan", [Doc("502", "Service plan 2026/27", PLAN_DOCX, "/documents/s502/ServicePlan.docx")])]),
            FakeMeeting("200", "11", _days_ago(5), [
                Item("Action log", [shared, Doc("503", "Audit report", SPLIT_PDF, "/documents/s503/Report.pdf")])]),
            FakeMeeting("300", "13", _days_ago(3), [                                # an expired committee
                Item("Old business", [Doc("599", "Old paper", STATS_DOCX, "/documents/s599/Old.docx")])]),
            FakeMeeting("400", "12", _days_ago(60), [                               # before a first run's window
                Item("Budget", [Doc("504", "Budget", STATS_DOCX, "/documents/s504/Budget.docx")])]),
        ])


def _fetch(site: FakeModernGov | str, folder: Path, *extra: str):
    url = site if isinstance(site, str) else site.url
    return run_cli("fetch", "--moderngov", url, "--to", str(folder), *POLITE_BUT_QUICK, *extra, timeout=300)


def _documents(out: Path) -> dict[str, dict]:
    rows = duckdb.sql(f"SELECT source_name, status, committee, meeting_date, agenda_item "
                      f"FROM read_parquet('{out}/documents/*.parquet', union_by_name=true)").fetchall()
    return {r[0]: dict(zip(["status", "committee", "meeting_date", "agenda_item"], r[1:])) for r in rows}


def test_first_run_fetches_and_ingests_a_second_fetches_nothing_a_new_paper_is_picked_up(tmp_path):
    papers, out = tmp_path / "papers", tmp_path / "out"
    with _council() as site:
        first = run_cli("ingest", "--moderngov", site.url, "--to", str(papers), "--out", str(out),
                        *POLITE_BUT_QUICK, "--workers", "1", "--quiet", timeout=600)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "4 papers: 3 downloaded, 1 unchanged" in first.stdout
        # each paper once, though 501 is in two meetings; nothing of expired committees or old meetings
        assert site.served == {"501": 1, "502": 1, "503": 1}
        documents = _documents(out)
        assert set(documents) == {"501-equality-diversity-action-plan.pdf", "502-service-plan-2026-27.docx",
                                  "503-audit-report.pdf"}
        # the shared paper carries its latest publication; titles lose their second layer of entities
        assert documents["501-equality-diversity-action-plan.pdf"] == {
            "status": "ok", "committee": "Audit & Governance Committee", "meeting_date": _days_ago(5),
            "agenda_item": "Action log"}
        assert documents["502-service-plan-2026-27.docx"]["agenda_item"] == "Service plan"

        second = _fetch(site, papers)
        assert second.returncode == 0 and "4 papers: 0 downloaded, 4 unchanged" in second.stdout, second.stdout
        assert site.served == {"501": 1, "502": 1, "503": 1}          # ETags answered 304; 501 skipped by id

        sources = duckdb.sql(f"SELECT doc_id, source_name, committee, meeting_date, agenda_item "
                             f"FROM read_parquet('{out}/document_sources/*.parquet')").fetchall()
        shared = sorted(r[2:] for r in sources if r[1].startswith("501-"))
        assert len({r[0] for r in sources if r[1].startswith("501-")}) == 1
        assert shared == [("Audit & Governance Committee", _days_ago(5), "Action log"),      # one document,
                          ("Cabinet", _days_ago(10), "Equality & Diversity Action Plan")]    # two sources

        site.publish("200", Item("Minutes of the previous meeting",
                                 [Doc("505", "Minutes", STATS_DOCX, "/documents/s505/Minutes.docx")]))
        audit_report = site.meetings[1].items[0].docs[1]
        site.meetings.append(FakeMeeting("250", "12", _days_ago(1), [Item("Audit report to Cabinet", [audit_report])]))
        third = run_cli("ingest", "--moderngov", site.url, "--to", str(papers), "--out", str(out),
                        *POLITE_BUT_QUICK, "--workers", "1", "--quiet", "--json", timeout=600)
    assert third.returncode == 0, third.stdout + third.stderr
    report = json.loads(third.stdout)           # one JSON object for both steps, for schedulers
    assert (report["fetch"]["downloaded"], report["fetch"]["unchanged"], report["ingested"]) == (1, 5, 1)
    assert site.served["505"] == 1
    documents = _documents(out)
    assert documents["505-minutes.docx"]["agenda_item"] == "Minutes of the previous meeting"
    # an unchanged paper put on a newer agenda: not read again, but its row follows
    assert (documents["503-audit-report.pdf"]["committee"], documents["503-audit-report.pdf"]["meeting_date"]) == (
        "Cabinet", _days_ago(1))


def test_the_manifest_lists_every_place_a_paper_was_published(tmp_path):
    with _council() as site:
        assert _fetch(site, tmp_path).returncode == 0
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    places = sorted((p["attachment_id"], p["meeting_id"]) for p in manifest["papers"])
    assert places == [("501", "100"), ("501", "200"), ("502", "100"), ("503", "200")]
    for paper in manifest["papers"]:
        saved = tmp_path / paper["file"]
        assert paper["sha256"] == hashlib.sha256(saved.read_bytes()).hexdigest()
        assert paper["fetched_at"] and paper["url"].startswith(site.url) and paper["meeting_date"]
    assert {p["etag"] is not None for p in manifest["papers"] if p["attachment_id"] == "503"} == {True}


def test_the_window_starts_at_the_last_meeting_less_the_look_back(tmp_path):
    def starts(site) -> dict[str, str]:
        asked = [q for q, _ in site.server.requests if "GetMeetings" in q]
        return {q.split("lCommitteeId=")[1].split("&")[0]: q.split("sFromDate=")[1].split("&")[0] for q in asked}
    with _council() as site:
        assert _fetch(site, tmp_path).returncode == 0
        first = starts(site)
        site.server.requests.clear()
        assert _fetch(site, tmp_path).returncode == 0
        second = starts(site)
    four_weeks = timedelta(weeks=4)
    assert first == {c: f"{TODAY - four_weeks:%d%%2F%m%%2F%Y}" for c in ("11", "12")}     # a first run: 4 weeks
    assert second == {"11": f"{_days_ago(5) - four_weeks:%d%%2F%m%%2F%Y}",
                      "12": f"{_days_ago(10) - four_weeks:%d%%2F%m%%2F%Y}"}


def test_a_slow_answer_is_retried(tmp_path):
    with _council() as site:
        site.slow_calls["GetMeetings"] = 1        # the first listing never comes
        result = _fetch(site, tmp_path, "--read-timeout", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 downloaded" in result.stdout
    assert site.server.hits["/mgWebService.asmx/GetMeetings"] == 3      # two committees, one asked twice


def test_library_user_agents_are_refused_but_ours_is_served(tmp_path):
    with _council() as site:
        bare = httpx.get(site.url + "/mgWebService.asmx/GetCommittees?lDummy=0")
        assert bare.status_code == 403
        assert _fetch(site, tmp_path, "--committee", "Cabinet").returncode == 0
        agents = {headers["User-Agent"] for _, headers in site.server.requests[1:]}
    assert len(agents) == 1 and agents.pop().startswith("council-plans/")


@pytest.mark.parametrize("status, body, says", [
    (200, b"<html><body>The web service is disabled</body></html>", "switched off"),
    (404, b"<html>not found</html>", "not answering"),
])
def test_a_disabled_service_is_named_and_the_other_site_still_fetched(tmp_path, status, body, says):
    with LoopbackServer({"/mgWebService.asmx/GetCommittees": lambda h: reply(h, status, body)}) as off, \
            _council() as site:
        result = run_cli("fetch", "--moderngov", off.url, "--moderngov", site.url, "--to", str(tmp_path),
                         *POLITE_BUT_QUICK, timeout=300)
    assert result.returncode == 1
    assert f"failed: {off.url}: the ModernGov web service of {off.url}" in result.stdout
    assert says in result.stdout and "3 downloaded" in result.stdout


def test_a_paper_that_cannot_be_fetched_is_named_and_tried_again_next_run(tmp_path):
    with _council() as site:
        site.publish("100", Item("Appendix", [Doc("506", "Appendix A", PLAN_PDF, "/documents/s506/AppendixA.pdf")]))
        site.publish("100", Item("Figures", [Doc("507", "Figures", b"PK\x03\x04 a spreadsheet", "/documents/s507/F.xlsx")]))
        appendix = site.server.routes.pop("/documents/s506/AppendixA.pdf")
        first = _fetch(site, tmp_path)
        site.server.routes["/documents/s506/AppendixA.pdf"] = appendix
        second = _fetch(site, tmp_path)
    assert first.returncode == 1
    assert 'failed: ' in first.stdout and '"Appendix A": ' in first.stdout and "HTTP 404" in first.stdout
    assert "skipped: Figures:" in first.stdout and "not a PDF or DOCX" in first.stdout    # not a failure
    assert second.returncode == 0 and "1 downloaded" in second.stdout, second.stdout
    assert site.served["506"] == 1 and site.served["507"] == 1                           # skipped once, not again


def test_max_files_and_the_size_limit(tmp_path):
    with _council() as site:
        limited = _fetch(site, tmp_path / "a", "--max-files", "1")
        rest = _fetch(site, tmp_path / "a")
        small = _fetch(site, tmp_path / "b", "--max-mb", "0.001")
    assert limited.returncode == 0 and "1 downloaded" in limited.stdout and "--max-files" in limited.stdout
    assert rest.returncode == 0 and "2 downloaded" in rest.stdout
    assert small.returncode == 1 and "limit" in small.stdout
    assert not list((tmp_path / "b").rglob("*.part"))


@pytest.mark.parametrize("extra, code, says", [
    (["--committee", "Planning"], 2, "no site has a committee 'Planning'; http://127.0.0.1"),
    (["--from", "2026-05-01", "--until", "2026-04-01"], 2, "is after --until"),
    (["--to-file"], 3, "cannot write the download folder"),
    (["--locked"], 4, "is locked by another run"),
])
def test_exit_codes(tmp_path, extra, code, says):
    folder = tmp_path / "papers"
    if extra == ["--to-file"]:
        (tmp_path / "a-file").write_text("")
        folder, extra = tmp_path / "a-file" / "papers", []
    with _council() as site:
        if extra == ["--locked"]:
            folder.mkdir()
            with hold(folder / ".fetch.lock", "test"):
                result = _fetch(site, folder)
        else:
            result = _fetch(site, folder, *extra)
    assert result.returncode == code and says in result.stderr, result.stderr


D = date(2026, 10, 1)
WEEK = timedelta(weeks=1)


@pytest.mark.parametrize("before, run, after", [
    # (last_meeting, through) before; (start, done_until, last finished meeting, first unfinished); after
    ((None, None), (D - 4 * WEEK, D, D - WEEK, None), (D - WEEK, D)),                  # a first run
    ((None, None), (D - 4 * WEEK, D, None, None), (None, D)),                          # no meetings yet: the end still counts
    ((D - WEEK, D), (D - 5 * WEEK, D + 9 * WEEK, D + 8 * WEEK, None),                  # months later: from the last meeting,
     (D + 8 * WEEK, D + 9 * WEEK)),                                                    # so the gap was covered
    ((D - WEEK, D), (D - 5 * WEEK, D + WEEK, D + WEEK, D - WEEK), (D - WEEK, D - WEEK - timedelta(days=1))),  # a failure holds both back
    ((D - WEEK, D), (D + 3 * WEEK, D + 4 * WEEK, D + 4 * WEEK, None), (D + 4 * WEEK, D)),  # --from past a gap: the gap stays open
])
def test_progress_never_skips_a_meeting(before, run, after):
    progress = Progress(*before)
    progress.advance(*run)
    assert (progress.last_meeting, progress.through) == after


@pytest.mark.parametrize("last_meeting, through, start", [
    (None, date(2026, 4, 30), date(2026, 4, 2)),                 # no run since the spring: start there
    (date(2026, 9, 2), date(2026, 10, 1), date(2026, 8, 5)),     # the last meeting's late minutes
    (date(2026, 11, 1), date(2026, 6, 30), date(2026, 6, 2)),    # a gap a --from run left open
    (None, None, date(2026, 10, 23)),                            # a first run: the last four weeks
])
def test_a_gap_between_runs_is_covered_by_the_next_window(last_meeting, through, start):
    assert Progress(last_meeting, through).start(date(2026, 11, 20), timedelta(weeks=4)) == start


def test_every_place_a_file_was_published_is_a_source_row(tmp_path):
    with _council() as site:
        assert _fetch(site, tmp_path).returncode == 0
    shared, other = next(tmp_path.rglob("501-*.pdf")), CASES / "ruled-template-a.pdf"
    places = pa.Table.from_pylist([{"doc_id": "a", "source_uri": str(shared)},
                                   {"doc_id": "b", "source_uri": str(other)}])      # a file no manifest lists
    rows = expand_sources(places).to_pylist()
    assert sorted((r["doc_id"], r["committee"], r["meeting_date"], r["agenda_item"]) for r in rows) == [
        ("a", "Audit & Governance Committee", _days_ago(5), "Action log"),
        ("a", "Cabinet", _days_ago(10), "Equality & Diversity Action Plan"),
        ("b", None, None, None)]
    assert {r["paper_url"] for r in rows if r["doc_id"] == "a"} == {f"{site.url}/mgConvert2PDF.aspx?ID=501"}
    assert expand_sources(expand_sources(places)).to_pylist() == rows      # the same every run


def test_credentials_in_the_site_address_are_used_but_never_stored_or_shown(tmp_path):
    with _council() as site:
        result = _fetch(site.url.replace("http://", "http://ann:s3cret@"), tmp_path, "--committee", "12")
        sent = {headers.get("Authorization") for path, headers in site.server.requests if "mgWebService" in path}
    assert result.returncode == 0 and "2 downloaded" in result.stdout, result.stdout + result.stderr
    assert sent == {"Basic YW5uOnMzY3JldA=="}
    stored = (tmp_path / MANIFEST_NAME).read_text()
    assert "s3cret" not in stored + result.stdout + result.stderr and site.url in stored


def test_a_committee_one_of_two_sites_lacks_is_fetched_from_the_other(tmp_path):
    with _council() as first, _council() as second:
        second.committees = [c for c in second.committees if c[1] != "Cabinet"]
        result = run_cli("fetch", "--moderngov", first.url, "--moderngov", second.url, "--committee", "cabinet",
                         "--to", str(tmp_path), *POLITE_BUT_QUICK, timeout=300)
    assert result.returncode == 0 and "2 downloaded" in result.stdout, result.stdout + result.stderr
    assert first.served == {"501": 1, "502": 1} and not second.served


def test_a_revised_paper_replaces_its_file_and_a_removed_file_is_fetched_again(tmp_path):
    with _council() as site:
        assert _fetch(site, tmp_path).returncode == 0
        revised = next(d for m in site.meetings for i in m.items for d in i.docs if d.attachment_id == "503")
        revised.body = STATS_DOCX                      # the council re-published it, as a Word file
        next(tmp_path.rglob("502-*.docx")).unlink()    # and someone tidied a file away
        again = _fetch(site, tmp_path)
    assert again.returncode == 0 and "2 downloaded" in again.stdout, again.stdout
    assert [p.read_bytes() == STATS_DOCX for p in tmp_path.rglob("503-*")] == [True]    # the old PDF is gone
    assert next(tmp_path.rglob("502-*.docx")).read_bytes() == PLAN_DOCX
