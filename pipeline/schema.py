"""The Arrow schemas of every dataset: the one source of truth for the contract
(``../shared/spec/CONTRACT.md``).  Columns may be added; none is renamed."""
from __future__ import annotations

import pyarrow as pa

from pipeline import __version__ as PIPELINE_VERSION

SCHEMA_VERSION = 6       # bump with every column change; tests/test_schema_version.py holds each version's fingerprint

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
    ("settings_key", _str),        # hash of the version and settings that shaped the rows (incremental runs)
    ("last_error", _str),          # the latest failed re-read, while the rows of the last good read stay
    ("last_attempt_at", _ts),      # when the file was last tried, successfully or not
    ("committee", _str), ("meeting_date", _date), ("agenda_item", _str),   # latest publication (fetch manifest)
    ("warnings", _strs),           # where something looked like a plan but gave few or no records
    ("pages_read", pa.list_(_i32)),          # PDF pages read for tables: the page screen's choice
    ("pages_screened_out", pa.list_(_i32)),  # PDF pages the screen found no plan evidence on
    ("same_as", _strs),            # doc_ids of other files carrying the same plan (pipeline/derived/duplicates.py)
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
    ("ocr_confidence", _f64),      # mean OCR confidence (0-100) of the row's words; null when not OCR'd
    ("progress_status", _str),       # complete, on_track, at_risk, off_track, not_started or unknown
    ("progress_status_raw", _str),   # the status / RAG (else progress) cell as printed
    ("progress_fill", _str),         # that cell's fill colour, #RRGGBB, where it is shaded
    ("flags", _strs),                # what a reviewer should look at (pipeline/derived/flags.py)
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
    ("baseline_raw", _str), ("baseline_value", _f64), ("baseline_period", _str),   # from a Baseline cell or the measure sentence
    ("flags", _strs),                # what a reviewer should look at (pipeline/derived/flags.py)
    ("duplicate_of", _str),          # the KPI this one repeats in another copy of the same plan
    ("progress_status", _str),       # the Status / RAG rating: complete, on_track, at_risk, off_track, not_started or unknown
    ("progress_status_raw", _str),   # that cell as printed
    ("progress_fill", _str),         # its fill colour, #RRGGBB, where it is shaded
    ("previous_progress_status", _str),       # the rating at the last report (a Previous RAG column), same values
    ("previous_progress_status_raw", _str),
    ("previous_progress_fill", _str),
])

# Why each column of each table was read as it was: the role the column-role
# scorer chose from header and cells, its score, and the runner-up role.
TABLE_COLUMNS = pa.schema([
    ("doc_id", _str), ("page", _i32), ("table_index", _i32), ("column_index", _i32),
    ("header_raw", _str), ("role", _str), ("role_score", _f64), ("runner_up", _str), ("runner_up_score", _f64),
    ("source_name", _str), ("row_index", _i32), ("column_span", _i32), ("block_kind", _str), ("reading_score", _f64),
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

DOCUMENT_SOURCES = pa.schema([
    ("doc_id", _str), ("source_uri", _str), ("source_name", _str), ("first_seen", _ts), ("last_seen", _ts),
    # where a fetched paper was published (pipeline.fetching.publications): one row per agenda it is on
    ("paper_url", _str), ("site", _str), ("committee", _str), ("meeting_id", _str), ("meeting_date", _date),
    ("agenda_item", _str), ("attachment_id", _str),
])

# The same commitment in a council's successive plans (pipeline/derived/lineage.py), rebuilt whole.
ACTION_LINEAGE = pa.schema([
    ("from_action_id", _str), ("from_doc_id", _str), ("to_action_id", _str), ("to_doc_id", _str),
    ("similarity", _f64), ("same_ref", _bool), ("from_due_month", _date), ("to_due_month", _date),
    ("slipped", _bool),              # the later edition's due month is later
])

# Datasets written one file per document; officers and action_officers are rebuilt whole.
PER_DOCUMENT = {"documents": DOCUMENTS, "actions": ACTIONS, "kpis": KPIS, "table_columns": TABLE_COLUMNS}
ALL = {**PER_DOCUMENT, "officers": OFFICERS, "action_officers": ACTION_OFFICERS,
       "document_sources": DOCUMENT_SOURCES, "runs": RUNS, "action_lineage": ACTION_LINEAGE}
