"""``python -m pipeline review OUT_DIR --out report.html``: one self-contained page
on which a reviewer checks each action against the row it was read from.

Per document, each action sits beside the image of its table row cropped from
the PDF page (``row_bbox``), with every value as printed beside its normalised
form; then the document's KPIs, value beside value (KPIs keep no row box);
flagged records come first, and a filter box hides the rows that do not match.  Images are inline PNG (base64) and the style and script are inline,
so the page opens offline and can be mailed as one file.
"""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.audit.query import connect
from pipeline.intake.kept_files import local_file

RESOLUTION = 90         # dpi of the row images: legible, and small enough for thousands of rows
PAD = 2.0               # points around the row box
PAIRS = [("ref", None), ("action", None), ("start_raw", "start_month"), ("due_raw", "due_month"),
         (None, "due_status"), ("officers_raw", "officers"), ("divisions_raw", "divisions"),
         ("progress_status_raw", "progress_status")]
KPI_PAIRS = [("ref", None), ("measure", None), ("period", None), ("target_raw", "target_value"),
             (None, "target_unit"), ("baseline_raw", "baseline_value"), ("officers_raw", "officers"),
             ("progress_status_raw", "progress_status"), ("previous_progress_status_raw", "previous_progress_status")]


@dataclass
class ReviewSummary:
    documents: int
    actions: int
    kpis: int
    flagged: int
    images: int


def write_review(out_dir: str | Path, target: str | Path) -> ReviewSummary:
    root = Path(out_dir)
    con = connect(root)
    docs = _rows(con, "SELECT doc_id, source_name, source_uri, council, title, media_type FROM documents "
                      "WHERE status = 'ok' ORDER BY source_name")
    actions = _rows(con, "SELECT * FROM all_actions ORDER BY source_name, table_index, row_index")
    kpis = _rows(con, "SELECT * FROM all_kpis ORDER BY source_name, table_index, row_index")
    con.close()
    by_doc, kpis_by_doc = _by_doc(actions), _by_doc(kpis)
    sections, images = [], 0
    ordered = sorted(docs, key=lambda d: (-_n_flagged(by_doc.get(d["doc_id"], [])), d["source_name"]))
    for doc in ordered:
        rows = sorted(by_doc.get(doc["doc_id"], []), key=lambda a: not a["flags"])
        crops = _crops(root, doc, rows)
        images += sum(1 for c in crops.values() if c)
        measures = sorted(kpis_by_doc.get(doc["doc_id"], []), key=lambda k: not k["flags"])
        sections.append(_section(doc, rows, crops, measures))
    flagged = _n_flagged(actions) + _n_flagged(kpis)
    summary = f"{len(docs)} documents, {len(actions)} actions, {len(kpis)} KPIs, {flagged} flagged"
    Path(target).write_text(PAGE.format(style=STYLE, script=SCRIPT, body="\n".join(sections), summary=summary),
                            encoding="utf-8")
    return ReviewSummary(len(docs), len(actions), len(kpis), flagged, images)


def _by_doc(rows: list[dict]) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)
    return by_doc


def _rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _n_flagged(rows: list[dict]) -> int:
    return sum(1 for r in rows if r["flags"])


def _crops(root: Path, doc: dict, rows: list[dict]) -> dict[str, str | None]:
    """action_id -> PNG as a data URL, for rows with a page and box in a PDF we can find."""
    placed = [r for r in rows if r["page"] and r["row_bbox"]]
    path = local_file(root, doc["doc_id"], doc["source_uri"] or "") if placed else None
    if path is None or path.suffix.lower() != ".pdf":
        return {}
    import pdfplumber
    crops = {}
    with pdfplumber.open(path) as pdf:
        for number in sorted({r["page"] for r in placed}):
            if not 1 <= number <= len(pdf.pages):
                continue
            page = pdf.pages[number - 1]
            for row in (r for r in placed if r["page"] == number):
                crops[row["action_id"]] = _crop(page, row["row_bbox"])
            page.close()
    return crops


def _crop(page, bbox) -> str | None:
    x0, top, x1, bottom = bbox
    px0, ptop, px1, pbottom = page.bbox
    box = (max(px0, x0 - PAD), max(ptop, top - PAD), min(px1, x1 + PAD), min(pbottom, bottom + PAD))
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    image = page.crop(box).to_image(resolution=RESOLUTION).original.convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _section(doc: dict, rows: list[dict], crops: dict[str, str | None], kpis: list[dict]) -> str:
    title = " · ".join(html.escape(str(v)) for v in (doc["source_name"], doc["council"], doc["title"]) if v)
    body = "\n".join(_row(r, crops.get(r["action_id"])) for r in rows) or \
        '<tr class="rec"><td colspan="3">no actions</td></tr>'
    measures = "\n".join(_kpi_row(k) for k in kpis)
    if measures:
        body += f'\n<tr class="part"><th colspan="3">KPIs</th></tr>\n{measures}'
    return (f'<section class="doc"><h2>{title}</h2><table><thead><tr><th>row as printed</th>'
            f'<th>printed → read</th><th>flags</th></tr></thead><tbody>{body}</tbody></table></section>')


def _row(action: dict, crop: str | None) -> str:
    image = (f'<img alt="row image" src="{crop}">' if crop else '<span class="none">no image (not a PDF row)</span>')
    marked = " flagged" if action["flags"] else ""
    return f'<tr class="rec{marked}"><td class="img">{image}{_record_cells(action, PAIRS)}</tr>'


def _kpi_row(kpi: dict) -> str:
    marked = " flagged" if kpi["flags"] else ""
    return f'<tr class="rec kpi{marked}"><td class="img"><span class="none">KPI</span>{_record_cells(kpi, KPI_PAIRS)}</tr>'


def _record_cells(record: dict, pairs: list[tuple[str | None, str | None]]) -> str:
    """Where the record was read, the rest of its image cell, and its values and flags."""
    where = f'page {record["page"]}, ' if record["page"] else ""
    where += f'table {record["table_index"]}, row {record["row_index"]}'
    values = "".join(_pair(record, raw, read) for raw, read in pairs)
    flags = "".join(f'<span class="flag">{html.escape(f)}</span>' for f in record["flags"] or [])
    if record.get("duplicate_of"):
        flags += '<span class="dup">repeats another copy</span>'
    return (f'<div class="where">{html.escape(where)}</div></td>'
            f'<td><table class="kv">{values}</table></td><td>{flags}</td>')


def _pair(action: dict, raw: str | None, read: str | None) -> str:
    printed = _show(action.get(raw)) if raw else ""
    if read is None:
        return f'<tr><th>{raw}</th><td colspan="2">{printed}</td></tr>'
    return f'<tr><th>{read}</th><td class="raw">{printed}</td><td>{_show(action.get(read))}</td></tr>'


def _show(value) -> str:
    if value is None or value == []:
        return '<span class="none">—</span>'
    if isinstance(value, list):
        return html.escape("; ".join(map(str, value)))
    return html.escape(str(value))


STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222}
#filter{font-size:16px;width:30em;padding:.3em}
section.doc{margin-top:2em}
table{border-collapse:collapse;width:100%}
td,th{border-top:1px solid #ddd;padding:.3em;vertical-align:top;text-align:left}
td.img{width:55%}
td.img img{max-width:100%;border:1px solid #ccc}
table.kv th{width:9em;color:#555;font-weight:normal}
td.raw{color:#555;font-family:monospace;width:40%}
.flag{background:#fde2c4;border-radius:3px;padding:0 .4em;margin:0 .2em .2em 0;display:inline-block}
.dup{background:#dde;border-radius:3px;padding:0 .4em;display:inline-block}
tr.flagged>td:first-child{border-left:4px solid #e8912d}
tr.part th{background:#f3f3f3}
.none,.where{color:#999;font-size:12px}
"""

SCRIPT = """
function applyFilter(text){
  var q=text.trim().toLowerCase(), shown=0;
  document.querySelectorAll('tr.rec').forEach(function(tr){
    var hit=!q||tr.textContent.toLowerCase().indexOf(q)>=0; tr.hidden=!hit; if(hit)shown++;});
  document.querySelectorAll('tr.part').forEach(function(tr){
    tr.hidden=!tr.parentNode.querySelector('tr.kpi:not([hidden])');});
  document.querySelectorAll('section.doc').forEach(function(s){
    s.hidden=!s.querySelector('tr.rec:not([hidden])');});
  document.getElementById('shown').textContent=shown+' rows shown';
}
window.addEventListener('load',function(){
  var box=document.getElementById('filter');
  box.addEventListener('input',function(){applyFilter(box.value);});
  var m=location.hash.match(/^#filter=(.*)$/); if(m){box.value=decodeURIComponent(m[1]);}
  applyFilter(box.value);
  var imgs=[].slice.call(document.images);
  document.body.dataset.imagesLoaded=imgs.filter(function(i){return i.complete&&i.naturalWidth>0;}).length;
  document.body.dataset.images=imgs.length;
});
"""

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Review: actions beside their rows</title>
<style>{style}</style></head>
<body><h1>Review: actions beside their rows</h1>
<p>{summary}. Flagged records first. <input id="filter" type="search" placeholder="filter: any word, flag, owner or file">
<span id="shown"></span></p>
{body}
<script>{script}</script>
</body></html>
"""
