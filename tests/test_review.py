"""The review page: written from real output by the CLI, then opened in headless Chromium."""
import html
import re
import subprocess

import pytest
from PIL import Image

from pipeline.audit.query import run_query
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def review(cases_out, tmp_path_factory):
    page = tmp_path_factory.mktemp("review") / "report.html"
    result = run_cli("review", str(cases_out), "--out", str(page), check=True)
    assert str(page) in result.stdout
    return page


def _browser(chromium: str, tmp_path, url: str, *extra: str) -> str:
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000", *extra, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=True).stdout


def test_page_is_self_contained(review):
    text = review.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text)
    assert "<link" not in text and "<script src" not in text


def test_every_flagged_action_is_shown_first_with_its_crop(review, cases_out):
    text = review.read_text()
    flagged = run_query("SELECT count(*) FROM all_actions WHERE len(flags) > 0", cases_out).rows[0][0]
    flagged_pdf = run_query("SELECT count(*) FROM all_actions WHERE len(flags) > 0 AND row_bbox IS NOT NULL",
                            cases_out).rows[0][0]
    rows = re.findall(r'<tr class="rec( flagged)?">(.*?)</td>', text)
    assert sum(1 for marked, _ in rows if marked) == flagged > 0
    assert sum(1 for marked, cell in rows if marked and "data:image/png;base64," in cell) == flagged_pdf > 0
    for section in text.split('<section class="doc">')[1:]:
        marks = [bool(m) for m in re.findall(r'<tr class="rec( flagged)?">', section)]
        assert marks == sorted(marks, reverse=True)


def _count(where: str, out) -> int:
    """Actions and KPIs: the page shows both."""
    return sum(run_query(f"SELECT count(*) FROM all_{d} WHERE {where}", out).rows[0][0] for d in ("actions", "kpis"))


def test_kpis_are_shown_after_the_actions(review, cases_out):
    text = review.read_text()
    kpis = run_query("SELECT count(*) FROM all_kpis", cases_out).rows[0][0]
    assert len(re.findall(r'<tr class="rec kpi( flagged)?">', text)) == kpis > 0
    measure = run_query("SELECT measure FROM all_kpis WHERE measure IS NOT NULL LIMIT 1", cases_out).rows[0][0]
    assert html.escape(measure) in text
    for section in text.split('<section class="doc">')[1:]:
        kinds = [bool(k) for k in re.findall(r'<tr class="rec( kpi)?[^"]*">', section)]
        assert kinds == sorted(kinds)


def test_in_a_browser_the_filter_hides_rows_and_images_load(review, cases_out, chromium, tmp_path):
    total = _count("true", cases_out)
    split = _count("list_contains(flags, 'row_split_across_pages')", cases_out)
    dom = _browser(chromium, tmp_path, f"file://{review}", "--dump-dom")
    assert f"{total} rows shown" in dom
    loaded = re.search(r'data-images-loaded="(\d+)"', dom).group(1)
    assert int(loaded) == int(re.search(r'data-images="(\d+)"', dom).group(1)) > 0
    filtered = _browser(chromium, tmp_path, f"file://{review}#filter=row_split_across_pages", "--dump-dom")
    assert f"{split} rows shown" in filtered and 0 < split < total
    visible = re.findall(r'<tr class="rec[^"]*">', filtered)          # hidden rows carry hidden=""
    assert len(visible) == split


def test_screenshot_shows_the_row_images(review, chromium, tmp_path):
    """The left column, where the row images are, has far more ink than the same page without them."""
    bare = tmp_path / "bare.html"
    bare.write_text(re.sub(r'src="data:image/png;base64,[^"]*"', 'src=""', review.read_text()))
    ink = []
    for page in (review, bare):
        shot = tmp_path / f"{page.stem}.png"
        _browser(chromium, tmp_path, f"file://{page}", f"--screenshot={shot}", "--window-size=1400,1400")
        image = Image.open(shot).convert("L")
        left = image.crop((0, 200, image.width // 2, image.height))
        ink.append(sum(left.histogram()[:160]))
    assert ink[0] > 3 * ink[1] + 500, ink


def test_corpus_review_shows_every_flagged_pdf_action_with_its_crop(corpus_out, tmp_path):
    page = tmp_path / "corpus.html"
    run_cli("review", str(corpus_out), "--out", str(page), check=True)
    text = page.read_text()
    flagged_pdf = run_query("SELECT count(*) FROM all_actions a JOIN documents USING (doc_id) WHERE len(flags) > 0 "
                            "AND row_bbox IS NOT NULL AND status = 'ok'", corpus_out).rows[0][0]
    rows = re.findall(r'<tr class="rec flagged">(.*?)</td>', text)
    assert sum(1 for cell in rows if "data:image/png;base64," in cell) == flagged_pdf > 0


def test_a_file_read_from_a_url_is_kept_for_its_row_images(tmp_path):
    import functools
    import http.server
    import threading

    from tests.conftest import CASES
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(CASES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/ruled-template-a.pdf"
        run_cli("ingest", url, "--out", str(tmp_path / "out"), "--quiet", "--allow-private-urls", check=True)
    finally:
        server.shutdown()
    doc_id = run_query("SELECT doc_id FROM documents", tmp_path / "out").rows[0][0]
    kept = tmp_path / "out" / "sources" / f"{doc_id}.pdf"
    assert kept.read_bytes() == (CASES / "ruled-template-a.pdf").read_bytes()
    page = tmp_path / "report.html"
    run_cli("review", str(tmp_path / "out"), "--out", str(page), check=True)
    assert page.read_text().count("data:image/png;base64,") == run_query(
        "SELECT count(*) FROM all_actions WHERE row_bbox IS NOT NULL", tmp_path / "out").rows[0][0]
