"""One file -> its rows in every per-document dataset.

This runs inside a worker process: it only reads the file and returns Arrow
tables; it never writes.  Any failure becomes a ``failed`` documents row.
Officer names are kept as printed here; canonical names are filled in by
`pipeline.officers` once every document of the run is known.
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from extractors.docx_reader import DOCX_MEDIA_TYPE, read_docx
from extractors.headers import clean
from extractors.interpret import interpret_tables, is_header_row
from extractors.metadata import read_metadata
from extractors.model import DocumentMeta, RawAction, RawKpi
from extractors.pdf_reader import PDF_MEDIA_TYPE, read_pdf
from extractors.stitch import stitch_tables
from normalisers.dates import month_of, normalise_due
from normalisers.divisions import learn_glossary, split_divisions
from normalisers.officers import split_officers
from normalisers.progress import progress_status

from .errors import check_bytes, explain
from .flags import record_flags
from .schema import ACTIONS, DOCUMENTS, KPIS, PIPELINE_VERSION

MEDIA_TYPES = {".pdf": PDF_MEDIA_TYPE, ".docx": DOCX_MEDIA_TYPE}
TARGET_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class Source:
    uri: str            # what the user named: a path or URL
    path: str           # local file to read
    name: str

    @property
    def key(self) -> str:
        """Identity of the input across runs: a changed file replaces its old rows."""
        return hashlib.sha256(self.uri.encode()).hexdigest()[:20]


@dataclass
class DocumentResult:
    source: Source
    doc_id: str
    status: str
    pages: int
    tables: dict[str, pa.Table]
    error: str | None = None


def file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def process(source: Source, glossary: dict[str, str] | None = None, max_pages: int | None = None) -> DocumentResult:
    started = time.monotonic()
    suffix = Path(source.name).suffix.lower()
    data = Path(source.path).read_bytes()
    doc_id = hashlib.sha256(data).hexdigest()
    base = _base_row(source, doc_id, len(data))
    try:
        check_bytes(data, suffix)
        doc = read_pdf(source.path, max_pages=max_pages) if suffix == ".pdf" else read_docx(source.path)
    except Exception as exc:   # any parser failure is this file's failure, never the run's
        return failed_result(source, doc_id, explain(exc, suffix), base, time.monotonic() - started)
    tables = stitch_tables(doc.tables, is_header=is_header_row)
    found = interpret_tables(tables)
    raw_actions, raw_kpis = found.actions, found.kpis
    first_plan = min((r.table_index for r in [*raw_actions, *raw_kpis]), default=None)
    meta = read_metadata(doc, first_plan)
    glossary = {**learn_glossary(_division_texts(doc, raw_actions), _codes(raw_actions)), **(glossary or {})}
    actions = [_action_row(a, source, doc_id, meta, glossary, doc.ocr) for a in raw_actions]
    kpis = [row for k in raw_kpis for row in _kpi_rows(k, source, doc_id, meta, doc.ocr)]
    status = "ok" if actions or kpis else "no_records"
    document = {**base, "council": meta.council, "title": meta.title, "report_date": meta.report_date,
                "pages": doc.pages, "status": status, "error": None, "n_actions": len(actions),
                "n_kpis": len(kpis), "n_tables": len(tables), "seconds": time.monotonic() - started,
                "lead_officers": [m.text for lead in found.leads for m in split_officers(lead)]}
    return DocumentResult(source, doc_id, status, doc.pages or 0, {
        "documents": pa.Table.from_pylist([document], schema=DOCUMENTS),
        "actions": pa.Table.from_pylist(actions, schema=ACTIONS),
        "kpis": pa.Table.from_pylist(kpis, schema=KPIS),
    })


def failed_result(source: Source, doc_id: str, reason: str, base: dict | None = None,
                  seconds: float | None = None) -> DocumentResult:
    row = {**(base or _base_row(source, doc_id)), "status": "failed", "error": reason, "n_actions": 0, "n_kpis": 0, "seconds": seconds}
    return DocumentResult(source, doc_id, "failed", 0, {
        "documents": pa.Table.from_pylist([row], schema=DOCUMENTS),
        "actions": ACTIONS.empty_table(), "kpis": KPIS.empty_table(),
    }, error=reason)


def _base_row(source: Source, doc_id: str, size: int | None = None) -> dict:
    return {"doc_id": doc_id, "source_name": source.name, "source_uri": source.uri,
            "media_type": MEDIA_TYPES.get(Path(source.name).suffix.lower()), "pipeline_version": PIPELINE_VERSION,
            "ingested_at": datetime.now(timezone.utc), "source_key": source.key, "bytes": size, "ocr": False}


def _division_texts(doc, actions: list[RawAction]) -> list[str]:
    return [b.text for b in doc.blocks] + [a.divisions_raw for a in actions if a.divisions_raw]


def _codes(actions: list[RawAction]) -> set[str]:
    return {c for a in actions for c in split_divisions(a.divisions_raw)}


def _raw(text: str | None) -> str | None:
    return clean(text) if text and text.strip() else None


def stable_id(*parts: object) -> str:
    """The same input, bytes, version and position give the same id in every run; the
    input's key keeps two copies of one file at two paths apart."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:24]


def _action_row(a: RawAction, source: Source, doc_id: str, meta: DocumentMeta, glossary: dict, ocr: bool) -> dict:
    due = normalise_due(a.due_raw, allow_range=not a.has_start_column)
    start = month_of(a.start_raw).start if a.has_start_column else due.start
    mentions = split_officers(a.officers_raw, with_dates=a.officers_in_due)
    return {
        "action_id": stable_id(source.key, doc_id, PIPELINE_VERSION, a.table_index, a.row_index),
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


def _status(a: RawAction) -> dict:
    """A status/RAG column speaks for the action's progress; else the progress text."""
    printed = a.status_raw if _raw(a.status_raw) else a.progress
    return {"progress_status": progress_status(printed, a.status_fill), "progress_status_raw": _raw(printed),
            "progress_fill": a.status_fill}


def _kpi_rows(k: RawKpi, source: Source, doc_id: str, meta: DocumentMeta, ocr: bool) -> list[dict]:
    found = split_officers(k.officers_raw)
    mentions = [m.text for m in found]
    targets = k.targets or {None: None}
    rows = []
    for period, target in targets.items():
        match = TARGET_NUMBER.match(target or "")
        rows.append({
            "kpi_id": stable_id(source.key, doc_id, PIPELINE_VERSION, k.table_index, k.row_index, period),
            "doc_id": doc_id, "source_name": source.name, "council": meta.council,
            "objective_ref": k.objective_ref, "ref": k.ref, "measure": k.measure, "period": period,
            "target_raw": target, "target_value": float(match.group(1)) if match else None,
            "target_unit": (match.group(2) or None) if match else None, "officers": mentions,
            "page": k.page, "officers_raw": _raw(k.officers_raw), "officers_printed": mentions,
            "officer_kinds": [m.kind for m in found], "table_index": k.table_index, "row_index": k.row_index,
            "flags": record_flags(ocr=ocr, split_across_pages=k.split_across_pages,
                                  roles_from_content=k.roles_from_content),
        })
    return rows
