"""`python -m pipeline query`: views over real output, read back through real CLI runs."""
import csv
from datetime import date
import io
import json
import shutil
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.audit.query import format_result, run_query, QueryResult
from pipeline.schema import ACTIONS, ALL

from .conftest import ROOT, run_cli


def test_every_dataset_is_a_view(cases_out):
    for dataset in ALL:
        name = f"all_{dataset}" if dataset in ("actions", "kpis") else dataset
        result = run_query(f"SELECT * FROM {name} LIMIT 0", cases_out)
        assert set(ALL[dataset].names) <= set(result.columns), dataset


def test_query_cli_formats(cases_out):
    sql = "SELECT source_name, count(*) AS n FROM actions GROUP BY 1 ORDER BY 1"
    expected = run_query(sql, cases_out).rows
    assert expected
    table = run_cli("query", sql, "--data", str(cases_out), check=True).stdout
    assert table.splitlines()[0].split() == ["source_name", "|", "n"]
    assert table.rstrip().endswith(f"({len(expected)} rows)")
    as_csv = list(csv.reader(io.StringIO(run_cli("query", sql, "--data", str(cases_out), "--format", "csv",
                                                 check=True).stdout)))
    assert [(name, int(n)) for name, n in as_csv[1:]] == expected
    as_json = json.loads(run_cli("query", sql, "--data", str(cases_out), "--format", "json", check=True).stdout)
    assert [(r["source_name"], r["n"]) for r in as_json] == expected


def test_overdue_depends_on_today(cases_out):
    sql = "SELECT count(*) FROM overdue_actions"
    dated = run_query("SELECT count(*) FROM open_actions WHERE due_month IS NOT NULL", cases_out).rows[0][0]
    assert dated > 0
    assert run_query(sql, cases_out, today=date(1990, 1, 1)).rows[0][0] == 0
    assert run_query(sql, cases_out, today=date(2100, 1, 1)).rows[0][0] == dated
    early = run_cli("query", sql, "--data", str(cases_out), "--today", "1990-01-01", "--format", "csv", check=True)
    assert early.stdout.splitlines()[1] == "0"


def test_actions_by_owner_counts_links(cases_out):
    by_owner = run_query("SELECT sum(n_actions) FROM actions_by_owner", cases_out).rows[0][0]
    links = run_query("SELECT count(*) FROM action_officers JOIN actions USING (action_id)", cases_out).rows[0][0]
    assert by_owner == links > 0


def test_empty_and_older_datasets(cases_out, tmp_path):
    """A dataset folder with no files is an empty view; a column the files lack reads as null."""
    shutil.copytree(cases_out / "documents", tmp_path / "documents")
    (tmp_path / "kpis").mkdir()
    older = ACTIONS.empty_table().drop_columns(["row_bbox", "date_note"])
    (tmp_path / "actions").mkdir()
    pq.write_table(pa.Table.from_pylist([{"action_id": "x", "action": "Do a thing"}], schema=older.schema),
                   tmp_path / "actions" / "part-old.parquet")
    assert run_query("SELECT count(*) FROM kpis", tmp_path).rows == [(0,)]
    assert run_query("SELECT count(*) FROM overdue_actions", tmp_path).rows == [(0,)]
    assert run_query("SELECT action, row_bbox FROM actions", tmp_path).rows == [("Do a thing", None)]


def test_bad_sql_and_missing_root_are_usage_errors(cases_out, tmp_path):
    bad = run_cli("query", "SELECT * FROM no_such_view", "--data", str(cases_out))
    assert bad.returncode == 2 and "no_such_view" in bad.stderr
    missing = run_cli("query", "SELECT 1", "--data", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "ingest" in missing.stderr


def test_shell_gets_the_same_views(cases_out):
    if shutil.which("duckdb") is None:
        pytest.skip("the duckdb shell is not installed (pip install duckdb-cli): shell test skipped")
    result = subprocess.run([sys.executable, "-m", "pipeline", "query", "--data", str(cases_out)], cwd=ROOT,
                            input="SELECT count(*) AS n FROM actions;\n", capture_output=True, text=True, timeout=120)
    expected = run_query("SELECT count(*) FROM actions", cases_out).rows[0][0]
    assert result.returncode == 0, result.stderr
    assert str(expected) in result.stdout


@pytest.mark.parametrize("value, shown", [(None, ""), (["a", "b"], "[a, b]"), (2.5, "2.5"), ("x\n  y", "x y"),
                                          ("w" * 80, "w" * 59 + "…")])
def test_table_cells(value, shown):
    assert format_result(QueryResult(["c"], [(value,)])).splitlines()[2] == shown
