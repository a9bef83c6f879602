"""SQL over an output root: one DuckDB view per dataset plus the auditor's
convenience views, and the result printed as a table, CSV or JSON.

The views are plain SQL (``view_sql``), so the same definitions serve a query
run here and the interactive ``duckdb`` shell.  A dataset folder with no
files yet is an empty view with the dataset's columns, and a column the
schema has but older files lack reads as null: a query never fails because
nothing has been ingested yet.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.schema import ALL

MAX_CELL = 60          # characters of a value shown in the table format; csv and json keep all
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
ONCE = ("actions", "kpis")   # datasets whose view counts a record repeated in another copy of the plan once


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def connect(data: str | Path, today: date | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for statement in view_sql(data, today, con):
        con.execute(statement)
    return con


def run_query(sql: str, data: str | Path, today: date | None = None) -> QueryResult:
    con = connect(data, today)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        return QueryResult(columns, cursor.fetchall() if columns else [])
    finally:
        con.close()


def view_sql(data: str | Path, today: date | None = None, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """``CREATE VIEW`` statements for every dataset and the convenience views."""
    root = Path(data)
    probe = con or duckdb.connect()
    try:
        statements = [f"CREATE OR REPLACE VIEW {name} AS {_dataset_select(root / folder, ALL.get(folder), probe)}"
                      for name, folder in _dataset_views(root).items()]
    finally:
        if con is None:
            probe.close()
    return statements + convenience_views(today or date.today())


def _dataset_views(root: Path) -> dict[str, str]:
    """View name -> dataset folder: every dataset of the schema, and any other
    dataset folder found (one added by a newer version).  ``actions`` and ``kpis`` count
    each record once; ``all_actions`` and ``all_kpis`` keep the rows that repeat another copy's."""
    folders = set(ALL) | {p.name for p in root.glob("*") if p.is_dir() and IDENTIFIER.match(p.name)
                          and any(p.rglob("*.parquet"))}
    views = {name: name for name in sorted(folders)}
    for name in ONCE:
        views[f"all_{name}"] = views.pop(name)
    return views


def _dataset_select(folder: Path, schema: pa.Schema | None, con: duckdb.DuckDBPyConnection) -> str:
    files = sorted(f for f in folder.rglob("*.parquet") if not f.name.startswith((".", "_")))
    if not files:
        return _empty_select(schema or pa.schema([]))
    source = (f"read_parquet('{_quote(folder)}/**/*.parquet', union_by_name = true, "
              f"hive_partitioning = true)")
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    missing = [f for f in (schema or []) if f.name not in present]
    extra = "".join(f", CAST(NULL AS {duckdb_type(f.type)}) AS {f.name}" for f in missing)
    return f"SELECT *{extra} FROM {source}"


def _empty_select(schema: pa.Schema) -> str:
    if not len(schema):
        return "SELECT NULL AS nothing WHERE false"
    columns = ", ".join(f"CAST(NULL AS {duckdb_type(f.type)}) AS {f.name}" for f in schema)
    return f"SELECT {columns} WHERE false"


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def duckdb_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_list(arrow_type):
        return duckdb_type(arrow_type.value_type) + "[]"
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMPTZ" if arrow_type.tz else "TIMESTAMP"
    return {pa.string(): "VARCHAR", pa.int32(): "INTEGER", pa.int64(): "BIGINT", pa.date32(): "DATE",
            pa.bool_(): "BOOLEAN", pa.float64(): "DOUBLE"}[arrow_type]


def convenience_views(today: date) -> list[str]:
    """Open, overdue and per-owner views as of ``today``.  A due month is overdue once
    it has ended: due in March 2012 is overdue from 1 April 2012."""
    month = f"DATE '{today.replace(day=1).isoformat()}'"
    return [
        *(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM all_{name} WHERE duplicate_of IS NULL" for name in ONCE),
        "CREATE OR REPLACE VIEW open_actions AS SELECT * FROM actions "
        "WHERE progress_status IS DISTINCT FROM 'complete'",
        f"CREATE OR REPLACE VIEW overdue_actions AS SELECT * FROM open_actions "
        f"WHERE due_month < {month}",
        "CREATE OR REPLACE VIEW actions_by_owner AS "
        "SELECT o.officer_id, o.name, o.kind, a.council, count(*) AS n_actions, "
        f"count(*) FILTER (WHERE a.action_id IN (SELECT action_id FROM open_actions)) AS n_open, "
        f"count(*) FILTER (WHERE a.action_id IN (SELECT action_id FROM overdue_actions)) AS n_overdue "
        "FROM actions a JOIN action_officers ao USING (action_id) JOIN officers o USING (officer_id) "
        "GROUP BY ALL",
    ]


# -- output ----------------------------------------------------------------------

def format_result(result: QueryResult, fmt: str = "table") -> str:
    return {"table": _table, "csv": _csv, "json": _json}[fmt](result)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


def _short(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def _table(result: QueryResult) -> str:
    cells = [[_short(_text(v)) for v in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    numeric = [bool(result.rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in result.rows)
               for i in range(len(result.columns))]

    def line(values: list[str]) -> str:
        return " | ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric)).rstrip()

    rows = [line(result.columns), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    noun = "row" if len(result.rows) == 1 else "rows"
    return "\n".join(rows + [f"({len(result.rows)} {noun})"])


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([[_text(v) if isinstance(v, (list, tuple)) else ("" if v is None else v) for v in row]
                      for row in result.rows])
    return buffer.getvalue().rstrip("\n")


def _json(result: QueryResult) -> str:
    records = [dict(zip(result.columns, row)) for row in result.rows]
    return json.dumps(records, indent=2, default=str, ensure_ascii=False)


def shell_init(data: str | Path, today: date | None = None) -> str:
    """The views as a script for ``duckdb -init``."""
    return ";\n".join(view_sql(data, today)) + ";\n"


SHELL_MISSING = ("the duckdb shell is not installed: `pip install duckdb-cli` (or a binary from "
                 "duckdb.org) gives it; or pass the SQL here: python -m pipeline query \"SELECT ...\"")


def start_shell(data: str | Path, today: date | None = None) -> int:
    """The interactive ``duckdb`` shell on the same views; the init script lives
    under the output root's hidden temporary names, removed on exit."""
    import shutil
    import subprocess
    import tempfile
    binary = shutil.which("duckdb")
    if binary is None:
        raise FileNotFoundError(SHELL_MISSING)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", prefix="pipeline-views-") as script:
        script.write(shell_init(data, today))
        script.flush()
        return subprocess.call([binary, "-init", script.name, ":memory:"])
