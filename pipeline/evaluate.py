"""Score extracted records against the gold corpus (``shared/corpus/gold``).

Predicted actions are matched to gold actions per file by text similarity
(one-to-one, best pairs first); the report gives, per template layout and per
format, action precision and recall, the share of matched actions with each
field right, strict recall (every field right) and KPI recall, plus pairwise
precision and recall of officer reconciliation, and the recall of every
document.  Scanned PDFs (``*-scanned.pdf``) are their own format, ``scanned``,
so ``pdf`` figures are born-digital ones.  A score over nothing (precision
with no predictions, a field with no matched action) is blank, not 1.0.
Gold fields the scorer does not know are ignored.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import duckdb
from rapidfuzz import fuzz

from normalisers.officers import split_officers

FIELDS = ("ref", "text", "start", "due", "due_status", "officers", "divisions")
MATCH_THRESHOLD = 80.0
KPI_THRESHOLD = 90.0


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    strict: int = 0
    fields: dict = field(default_factory=lambda: defaultdict(int))
    kpi_gold: int = 0
    kpi_found: int = 0
    kpi_predicted: int = 0
    kpi_true: int = 0        # predicted measures that are gold measures

    def add(self, other: "Score") -> None:
        for name in ("gold", "predicted", "matched", "strict", "kpi_gold", "kpi_found", "kpi_predicted", "kpi_true"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k, v in other.fields.items():
            self.fields[k] += v

    def row(self) -> dict:
        return {"gold": self.gold, "pred": self.predicted, "precision": ratio(self.matched, self.predicted),
                "recall": ratio(self.matched, self.gold), "strict_recall": ratio(self.strict, self.gold),
                **{f: ratio(self.fields[f], self.matched) for f in FIELDS},
                "kpi_precision": ratio(self.kpi_true, self.kpi_predicted),
                "kpi_recall": ratio(self.kpi_found, self.kpi_gold)}


def ratio(a: int, b: int) -> float | None:
    """None for a score over nothing, so a miss never reads as perfect."""
    return round(a / b, 3) if b else None


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lstrip(".").lower()
    return "scanned" if suffix == "pdf" and Path(name).stem.endswith("-scanned") else suffix


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


def _month(value) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _load(data: Path, dataset: str) -> list[dict]:
    pattern = str(data / dataset / "*.parquet")
    if not list((data / dataset).glob("*.parquet")):
        return []
    return duckdb.sql(f"SELECT * FROM read_parquet('{pattern}', union_by_name = true)").to_arrow_table().to_pylist()


def _match(gold: list[dict], predicted: list[dict]) -> list[tuple[dict, dict]]:
    scored = sorted(((fuzz.ratio(_norm(g["action"]), _norm(p["action"])), i, j)
                     for i, g in enumerate(gold) for j, p in enumerate(predicted)), reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for score, i, j in scored:
        if score < MATCH_THRESHOLD:
            break
        if i not in used_g and j not in used_p:
            used_g.add(i), used_p.add(j)
            pairs.append((gold[i], predicted[j]))
    return pairs


def _field_results(g: dict, p: dict) -> dict[str, bool]:
    return {
        "ref": "ref" not in g or (g["ref"] or None) == (p["ref"] or None),   # gold may leave a ref unscored
        "text": _norm(g["action"]) == _norm(p["action"]),
        "start": g.get("start") == _month(p["start_month"]),
        "due": g.get("due") == _month(p["due_month"]),
        "due_status": g.get("due_status") == p["due_status"],
        "officers": list(g.get("officers") or []) == list(p["officers"] or []),
        "divisions": list(g.get("divisions") or []) == list(p["divisions"] or []),
    }


def _score_file(gold: dict, actions: list[dict], kpis: list[dict]) -> Score:
    score = Score(gold=len(gold["actions"]), predicted=len(actions), kpi_gold=len(gold.get("kpis", [])))
    for g, p in _match(gold["actions"], actions):
        score.matched += 1
        results = _field_results(g, p)
        score.strict += all(results.values())
        for name, ok in results.items():
            score.fields[name] += ok
    by_measure = defaultdict(dict)
    for k in kpis:
        targets = by_measure[(_norm(k["measure"]), k["ref"])]   # a measure with no target is {}
        if k["period"]:
            targets[k["period"]] = k["target_raw"]
    for g in gold.get("kpis", []):
        score.kpi_found += any(_same_measure(g["measure"], m) and targets == g["targets"]
                               for (m, _), targets in by_measure.items())
    score.kpi_predicted = len(by_measure)
    score.kpi_true = sum(any(_same_measure(g["measure"], m) for g in gold.get("kpis", [])) for m, _ in by_measure)
    return score


def _same_measure(gold_measure: str, measure: str) -> bool:
    return fuzz.ratio(_norm(gold_measure), measure) >= KPI_THRESHOLD


def evaluate(gold_dir: str | Path, data: str | Path) -> dict:
    data = Path(data)
    actions, kpis = defaultdict(list), defaultdict(list)
    for row in _load(data, "actions"):
        actions[row["source_name"]].append(row)
    for row in _load(data, "kpis"):
        kpis[row["source_name"]].append(row)
    table: dict[tuple[str, str], Score] = defaultdict(Score)
    golds = [json.loads(p.read_text()) for p in sorted(Path(gold_dir).glob("*.json"))]
    seen = {r["source_name"] for r in _load(data, "documents")}
    documents = {}
    for gold in golds:
        for name in gold.get("source_names") or [gold["source_name"]]:
            if name not in seen:
                continue
            fmt = file_format(name)
            file_score = _score_file(gold, actions[name], kpis[name])
            for key in ((gold["template"], fmt), ("all", fmt)):
                table[key].add(file_score)
            documents[name] = {"layout": gold["template"], "format": fmt, "gold": file_score.gold,
                               "pred": file_score.predicted, "recall": ratio(file_score.matched, file_score.gold),
                               "precision": ratio(file_score.matched, file_score.predicted)}
    return {"layouts": {f"{t}/{f}": s.row() for (t, f), s in sorted(table.items())},
            "documents": dict(sorted(documents.items())),
            "officers": _officer_pairs(golds, [*actions.values(), *kpis.values()])}


def _officer_pairs(golds: list[dict], owned: list[list[dict]]) -> dict:
    """Pairs of printed spellings the gold puts under one person, found together or
    apart; ``owned`` are the action and KPI rows, which carry printed and canonical owners."""
    predicted: dict[tuple, str] = {}
    for rows in owned:
        for r in rows:
            for printed, name in zip(r["officers_printed"] or [], r["officers"] or []):
                predicted[(r["council"], printed)] = name
    councils = {(r["source_name"]): r["council"] for rows in owned for r in rows}
    gold_of: dict[tuple, str] = {}
    pred_of: dict[tuple, str | None] = {}
    for gold in golds:
        council = next((councils[n] for n in gold["source_names"] if n in councils), None)
        for canonical, spellings in gold.get("officers", {}).items():
            for spelling in spellings:
                key = (gold["council"], spelling)
                gold_of[key] = canonical
                found = split_officers(spelling)
                pred_of[key] = predicted.get((council, found[0].text)) if found else None
    tp = fp = fn = 0
    for a, b in combinations(sorted(gold_of), 2):
        if a[0] != b[0]:
            continue
        same_gold = gold_of[a] == gold_of[b]
        same_pred = pred_of[a] is not None and pred_of[a] == pred_of[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return {"pair_precision": ratio(tp, tp + fp), "pair_recall": ratio(tp, tp + fn), "pairs": tp + fn}


def format_report(report: dict) -> str:
    columns = ["gold", "pred", "precision", "recall", "strict_recall", *FIELDS, "kpi_precision", "kpi_recall"]
    lines = ["layout/fmt  " + " ".join(f"{c[:9]:>9}" for c in columns)]
    for key, row in report["layouts"].items():
        lines.append(f"{key:<11} " + " ".join(f"{_cell(row[c]):>9}" for c in columns))
    lines.append("")
    lines.append(f"{'document':<60} {'layout':>7} {'format':>8} {'gold':>5} {'pred':>5} {'recall':>7} {'precision':>9}")
    for name, d in report["documents"].items():
        lines.append(f"{name[:60]:<60} {d['layout'][:7]:>7} {d['format']:>8} {d['gold']:>5} {d['pred']:>5} "
                     f"{_cell(d['recall']):>7} {_cell(d['precision']):>9}")
    o = report["officers"]
    lines.append(f"officer reconciliation: pairwise precision {o['pair_precision']}, "
                 f"recall {o['pair_recall']} over {o['pairs']} gold pairs")
    return "\n".join(lines)


def _cell(value) -> str:
    return "" if value is None else str(value)
