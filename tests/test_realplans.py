"""Real school documents (../shared/realplans/docs): the pipeline scored through the
CLI against gold labelled by reading the PDFs, in ../shared/realplans/gold and in
tests/gold/realplans (see its README), and the gold here checked for consistency."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import run_cli

GOLD_HERE = Path(__file__).parent / "gold" / "realplans"

# Floors only rise; the target is action precision and recall >= 0.95 and owners and
# due >= 0.9 on both gold sets. Measured on main at addc836, just after this gold was
# committed: the shared gold's minutes give no actions at all (0 of 14 found); the
# gold here has 7 of 110 found (all in the 2020-21 strategy statement), precision
# 1.0, due right for 6 of the 7. A field's share is over matched actions only, so where the
# current figure is above the target the floor is the target, not the figure: finding
# the harder rows may lower it without anything getting worse.
# Re-measured on branch real8 (column-role scorer, action logs, continuations): shared gold
# 14 of 14 with every field right; gold here P 0.972, R 0.955, strict 0.90, due 0.99, owners 0.952.
# Re-measured on branch real8b (objective-labelled rows, owner acronyms; the 5 October 2020 minutes'
# gold given the three p4 rows it had missed, 113 actions): gold here 113 of 113, P 1.0, R 1.0,
# strict 0.965, due 0.991, owners 0.973 (three owner cells cut by a stray rule in one ruled table).
FLOORS = {
    "shared": {"precision": 0.95, "recall": 0.95, "strict_recall": 0.95, "due": 0.9, "officers": 0.9},
    "here": {"precision": 0.95, "recall": 0.95, "strict_recall": 0.95, "text": 0.95, "due": 0.9,
             "officers": 0.9, "ref": 0.95},
}
PROGRESS_STATUSES = {"complete", "on_track", "at_risk", "off_track", "not_started", "unknown"}
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _gold_dirs(shared: Path) -> dict[str, Path]:
    return {"shared": shared / "realplans" / "gold", "here": GOLD_HERE}


def _gold_actions(folder: Path) -> int:
    return sum(len(json.loads(p.read_text())["actions"]) for p in folder.glob("*.json"))


@pytest.fixture(scope="module")
def realplans_out(shared, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("realplans")
    run_cli("ingest", str(shared / "realplans" / "docs"), "--out", str(out), "--quiet", check=True)
    return out


@pytest.fixture(scope="module")
def reports(shared, realplans_out) -> dict[str, dict]:
    return {name: json.loads(run_cli("evaluate", "--gold", str(folder), "--data", str(realplans_out), "--json",
                                     check=True).stdout)
            for name, folder in _gold_dirs(shared).items()}


@pytest.mark.parametrize("gold_set", ["shared", "here"])
def test_every_gold_document_is_scored(shared, reports, gold_set):
    row = reports[gold_set]["layouts"]["all/pdf"]
    assert row["gold"] == _gold_actions(_gold_dirs(shared)[gold_set]), row


@pytest.mark.parametrize("gold_set", ["shared", "here"])
def test_realplans_floors(reports, gold_set):
    row = reports[gold_set]["layouts"]["all/pdf"]
    for metric, floor in FLOORS[gold_set].items():
        value = row[metric]
        if value is None:            # a score over nothing (no prediction or no match) is blank;
            assert metric != "recall", row       # recall has gold under it, so it never is
            continue
        assert value >= floor, (gold_set, metric, row)


@pytest.mark.parametrize("path", sorted(GOLD_HERE.glob("*.json")), ids=lambda p: p.stem)
def test_gold_record_is_consistent(shared, path):
    gold = json.loads(path.read_text())
    assert gold["source_names"] == [gold["source_name"]] == [path.stem + ".pdf"]
    pdf_path = shared / "realplans" / "docs" / gold["source_name"]
    with pdfplumber.open(pdf_path) as pdf:
        pages = len(pdf.pages)
    assert gold["notes"] and gold["actions"] and gold["council"] and gold["template"]
    spelled = set(gold["officers"])
    for action in gold["actions"]:
        assert action["action"] == " ".join(action["action"].split()) != "", action
        assert 1 <= action["page"] <= pages, action
        for key in ("start", "due"):
            assert action[key] is None or MONTH.fullmatch(action[key]), action
        assert action["due_status"] in (None, "ongoing"), action
        assert set(action["officers"]) <= spelled, action        # every owner has its printed spellings
        assert action["divisions"] == [] and "ref" in action, action
        if "progress_status" in action:
            assert action["progress_status"] in PROGRESS_STATUSES and "progress" in action["raw"], action
