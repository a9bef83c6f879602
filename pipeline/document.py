"""One file -> its rows in every per-document dataset.

This runs inside a worker process: it only reads the file and returns its rows
(`DocumentResult`); it never writes.  Any failure becomes a ``failed`` documents row.
Officer names are kept as printed here; canonical names are filled in by
`pipeline.derived.officers` once every document of the run is known.
"""
from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Callable

from extractors.docx_reader import read_docx
from extractors.interpret.headers import clean
from extractors.interpret import interpret_tables, is_header_row
from extractors.losses import plan_warnings
from extractors.metadata import read_metadata
from extractors.model import DocumentMeta, RawAction, RawKpi
from extractors.ocr import OcrSettings
from extractors.ocr.confidence import box_confidence, low_confidence_warnings
from extractors.pdf import PdfSettings, read_pdf
from extractors.pdf.stitch import stitch_tables
from normalisers.dates import month_of, normalise_due
from normalisers.divisions import learn_glossary, split_divisions
from normalisers.measures import Quantity, parse_measure
from normalisers.officers import split_officers, use_user_posts
from normalisers.progress import progress_status

from pipeline.errors import check_bytes, explain
from pipeline.derived.flags import record_flags
from pipeline.intake.sniff import check_zip_members, count_pages, kind_of
from pipeline.results import DocumentResult, Source, base_row, failed_result
from pipeline.schema import PIPELINE_VERSION

TARGET_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(%?)\s*$")


def process(source: Source, glossary: dict[str, str] | None = None, max_pages: int | None = None,
            on_pages: Callable[[int | None], None] | None = None, settings_key: str | None = None,
            posts: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()), ocr: bool = True,
            screen: bool = True) -> DocumentResult:
    started = time.monotonic()
    use_user_posts(*posts)          # the user's posts and groups, for every owner cell of this document
    data = Path(source.path).read_bytes()
    suffix = kind_of(data, source.name)
    doc_id = hashlib.sha256(data).hexdigest()
    base = {**base_row(source, doc_id, len(data), suffix), "settings_key": settings_key}
    try:
        check_bytes(data, suffix)
        if suffix == ".docx":
            check_zip_members(source.path)
        if on_pages:
            on_pages(count_pages(source.path) if suffix == ".pdf" else None)
        doc = (read_pdf(source.path, PdfSettings(ocr=OcrSettings(enabled=ocr), screen=screen), max_pages=max_pages, on_pages=on_pages)
               if suffix == ".pdf" else read_docx(source.path))
    except Exception as exc:   # any parser failure is this file's failure, never the run's
        return failed_result(source, doc_id, explain(exc, suffix), base, time.monotonic() - started)
    tables = stitch_tables(doc.tables, is_header=is_header_row)
    found = interpret_tables(tables)
    raw_actions, raw_kpis = found.actions, found.kpis
    first_plan = min((r.table_index for r in [*raw_actions, *raw_kpis]), default=None)
    meta = read_metadata(doc, first_plan)
    glossary = {**learn_glossary(_division_texts(doc, raw_actions), _codes(raw_actions)), **(glossary or {})}
    # a row read from an OCR'd page is flagged ocr_text (its words' confidence is ocr_confidence)
    actions = [{**_action_row(a, source, doc_id, meta, glossary, a.page in doc.ocr_words),
                "ocr_confidence": box_confidence(doc.ocr_words.get(a.page), a.bbox)} for a in raw_actions]
    kpis = [row for k in raw_kpis for row in _kpi_rows(k, source, doc_id, meta, k.page in doc.ocr_words)]
    status = "ok" if actions or kpis else "no_records"
    document = {**base, "council": meta.council, "title": meta.title, "report_date": meta.report_date,
                "pages": doc.pages, "ocr": doc.ocr, "status": status, "error": None, "n_actions": len(actions),
                "n_kpis": len(kpis), "n_tables": len(tables), "seconds": time.monotonic() - started,
                "lead_officers": [m.text for lead in found.leads for m in split_officers(lead)],
                "warnings": plan_warnings(doc, tables, found)
                + low_confidence_warnings([(a["page"], a["ocr_confidence"]) for a in actions]),
                "pages_read": doc.pages_read, "pages_screened_out": doc.pages_screened_out}
    return DocumentResult(source, doc_id, status, doc.pages or 0, {
        "documents": [document], "actions": actions, "kpis": kpis,
        "table_columns": _column_rows(found.columns, source, doc_id),
    })


def _division_texts(doc, actions: list[RawAction]) -> list[str]:
    return [b.text for b in doc.blocks] + [a.divisions_raw for a in actions if a.divisions_raw]


def _codes(actions: list[RawAction]) -> set[str]:
    return {c for a in actions for c in split_divisions(a.divisions_raw)}


def _raw(text: str | None) -> str | None:
    return clean(text) if text and text.strip() else None


def stable_id(*parts: object) -> str:
    """The same bytes, version and position give the same id in every run, wherever the
    file was found: a document is its bytes."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:24]


def _action_row(a: RawAction, source: Source, doc_id: str, meta: DocumentMeta, glossary: dict, ocr: bool) -> dict:
    due = normalise_due(a.due_raw, allow_range=not a.has_start_column)
    start = month_of(a.start_raw).start if a.has_start_column else due.start
    mentions = split_officers(a.officers_raw, with_dates=a.officers_in_due, acronyms=True)
    return {
        "action_id": stable_id(doc_id, PIPELINE_VERSION, a.table_index, a.row_index,
                               *([a.sub_index] if a.sub_index else [])),
        "doc_id": doc_id, "source_name": source.name, "council": meta.council,
        "section": a.section, "objective_ref": a.objective_ref, "objective": a.objective,
        "ref": a.ref, "action": a.action, "outcome": _raw(a.outcome), "progress": _raw(a.progress),
        "start_raw": _raw(a.start_raw), "start_month": start,
        "due_raw": _raw(a.due_raw), "due_month": due.due, "due_status": due.status,
        "officers_raw": _raw(a.officers_raw), "officers": [m.text for m in mentions],
        "divisions_raw": _raw(a.divisions_raw), "divisions": list(split_divisions(a.divisions_raw, glossary)),
        "page": a.page, "table_index": a.table_index, "row_index": a.row_index,
        "officers_printed": [m.text for m in mentions], "officer_kinds": [m.kind for m in mentions],
        "date_note": due.reason, "pipeline_version": PIPELINE_VERSION,
        "row_bbox": [round(v, 1) for v in a.bbox] if a.bbox else None,
        **_status(a),
        "flags": record_flags(due_raw=a.due_raw, due_month=due.due, due_status=due.status, ocr=ocr,
                              split_across_pages=a.split_across_pages, roles_from_content=a.roles_from_content),
    }


def _column_rows(blocks, source: Source, doc_id: str) -> list[dict]:
    return [{"doc_id": doc_id, "page": b.page, "table_index": b.table_index, "column_index": c.column,
             "header_raw": c.header_raw or None, "role": c.role, "role_score": c.score, "runner_up": c.runner_up,
             "runner_up_score": c.runner_up_score, "source_name": source.name, "row_index": b.row_index,
             "column_span": c.span, "block_kind": b.assignment.kind, "reading_score": b.assignment.score}
            for b in blocks for c in b.assignment.columns]


def _status(a: RawAction) -> dict:
    """A status/RAG column speaks for the action's progress; else the progress text."""
    return _rating(a.status_raw if _raw(a.status_raw) else a.progress, a.status_fill)


def _rating(printed: str | None, fill: str | None, prefix: str = "") -> dict:
    return {f"{prefix}progress_status": progress_status(printed, fill), f"{prefix}progress_status_raw": _raw(printed),
            f"{prefix}progress_fill": fill}


def _kpi_rows(k: RawKpi, source: Source, doc_id: str, meta: DocumentMeta, ocr: bool) -> list[dict]:
    """One row per target: per period-headed target column, else the target of a
    Target cell or of the measure sentence (``... from 65.8% in 2021/22 to at least 70%``)."""
    found = split_officers(k.officers_raw)
    mentions = [m.text for m in found]
    reading = parse_measure(k.measure, baseline=k.baseline_raw, target=k.target_raw, period=k.period_raw)
    if k.targets:
        targets = {period: _cell_quantity(target) for period, target in k.targets.items()}
    elif reading.target is not None:
        targets = {reading.period: reading.target}
    else:
        targets = {None: None}
    base = reading.baseline
    rows = []
    for period, target in targets.items():
        rows.append({
            "kpi_id": stable_id(doc_id, PIPELINE_VERSION, k.table_index, k.row_index, period),
            "doc_id": doc_id, "source_name": source.name, "council": meta.council,
            "objective_ref": k.objective_ref, "ref": k.ref, "measure": k.measure, "period": period,
            "target_raw": target.raw if target else None, "target_value": target.value if target else None,
            "target_unit": target.unit if target else None, "officers": mentions,
            "page": k.page, "officers_raw": _raw(k.officers_raw), "officers_printed": mentions,
            "officer_kinds": [m.kind for m in found], "table_index": k.table_index, "row_index": k.row_index,
            "baseline_raw": base.raw if base else None, "baseline_value": base.value if base else None,
            "baseline_period": base.period if base else None,
            "flags": record_flags(ocr=ocr, split_across_pages=k.split_across_pages,
                                  roles_from_content=k.roles_from_content),
            **_rating(k.status_raw, k.status_fill),
            **_rating(k.previous_status_raw, k.previous_status_fill, "previous_"),
        })
    return rows


def _cell_quantity(text: str) -> Quantity:
    """A period-headed target cell: ``75%`` -> 75 and ``%``; other wordings keep only their text."""
    match = TARGET_NUMBER.match(text or "")
    return Quantity(text, float(match.group(1)) if match else None, (match.group(2) or None) if match else None)
