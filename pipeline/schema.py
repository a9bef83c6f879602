"""The Arrow schemas of every dataset: the one source of truth for the contract
(``../shared/spec/CONTRACT.md``).  Columns may be added; none is renamed."""
from __future__ import annotations

import pyarrow as pa

PIPELINE_VERSION = "0.1.0"
SCHEMA_VERSION = 1

_str, _i32, _i64, _date, _bool, _f64 = pa.string(), pa.int32(), pa.int64(), pa.date32(), pa.bool_(), pa.float64()
_ts = pa.timestamp("us", tz="UTC")
_strs = pa.list_(pa.string())

DOCUMENTS = pa.schema([
    ("doc_id", _str), ("source_name", _str), ("source_uri", _str), ("media_type", _str),
    ("council", _str), ("title", _str), ("report_date", _date), ("pages", _i32),
    ("status", _str), ("error", _str), ("n_actions", _i32), ("n_kpis", _i32), ("ocr", _bool),
    ("pipeline_version", _str), ("ingested_at", _ts),
    # additions
    ("source_key", _str), ("n_tables", _i32), ("bytes", _i64), ("seconds", _f64),
    ("lead_officers", _strs),      # owners named beside headings and objectives, as printed
    ("same_as", _strs),            # doc_ids of other files carrying the same plan (pipeline/duplicates.py)
])

ACTIONS = pa.schema([
    ("action_id", _str), ("doc_id", _str), ("source_name", _str), ("council", _str),
    ("section", _str), ("objective_ref", _str), ("objective", _str), ("ref", _str),
    ("action", _str), ("outcome", _str), ("progress", _str),
    ("start_raw", _str), ("start_month", _date), ("due_raw", _str), ("due_month", _date),
    ("due_status", _str), ("officers_raw", _str), ("officers", _strs),
    ("divisions_raw", _str), ("divisions", _strs),
    ("page", _i32), ("table_index", _i32), ("row_index", _i32),
    # additions
    ("officers_printed", _strs), ("officer_kinds", _strs), ("date_note", _str),
    ("pipeline_version", _str), ("row_bbox", pa.list_(_f64)),   # x0, top, x1, bottom in PDF points
    ("progress_status", _str),       # complete, on_track, at_risk, off_track, not_started or unknown
    ("progress_status_raw", _str),   # the status / RAG (else progress) cell as printed
    ("progress_fill", _str),         # that cell's fill colour, #RRGGBB, where it is shaded
    ("flags", _strs),                # what a reviewer should look at (pipeline/flags.py)
    ("duplicate_of", _str),          # the action this one repeats in another copy of the same plan
])

KPIS = pa.schema([
    ("kpi_id", _str), ("doc_id", _str), ("source_name", _str), ("council", _str),
    ("objective_ref", _str), ("ref", _str), ("measure", _str), ("period", _str),
    ("target_raw", _str), ("target_value", _f64), ("target_unit", _str), ("officers", _strs),
    ("page", _i32),
    # additions
    ("officers_raw", _str), ("officers_printed", _strs), ("officer_kinds", _strs),
    ("table_index", _i32), ("row_index", _i32),
    ("flags", _strs),                # what a reviewer should look at (pipeline/flags.py)
])

OFFICERS = pa.schema([
    ("officer_id", _str), ("name", _str), ("kind", _str), ("variants", _strs),
    ("councils", _strs), ("n_actions", _i64),
])

ACTION_OFFICERS = pa.schema([("action_id", _str), ("officer_id", _str), ("doc_id", _str)])

RUNS = pa.schema([
    ("run_id", _str), ("started_at", _ts), ("finished_at", _ts), ("pipeline_version", _str),
    ("inputs_seen", _i64), ("ingested", _i64), ("unchanged", _i64), ("failed", _i64), ("args", _str),
    # additions
    ("schema_version", _i64), ("executor", _str), ("workers", _i64),
])

# The same commitment in a council's successive plans (pipeline/lineage.py), rebuilt whole.
ACTION_LINEAGE = pa.schema([
    ("from_action_id", _str), ("from_doc_id", _str), ("to_action_id", _str), ("to_doc_id", _str),
    ("similarity", _f64), ("same_ref", _bool), ("from_due_month", _date), ("to_due_month", _date),
    ("slipped", _bool),              # the later edition's due month is later
])

# Datasets written one file per document; officers and action_officers are rebuilt whole.
PER_DOCUMENT = {"documents": DOCUMENTS, "actions": ACTIONS, "kpis": KPIS}
ALL = {**PER_DOCUMENT, "officers": OFFICERS, "action_officers": ACTION_OFFICERS, "runs": RUNS,
       "action_lineage": ACTION_LINEAGE}
