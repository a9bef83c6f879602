"""Pairing the records of two copies of one plan, as a person comparing them would.

Records pair one to one by text, with spacing, punctuation, case and line-end
hyphenation squashed out (a narrow column prints ``co-ordinate`` as
``co- ordinate``, a scan reads ``1 0`` for ``10``).  A text read short (a row
split in two, a cell cut at a page end) pairs with the text it is most of.
The best pairs are taken first; a tie goes to the record at the same place in
its table.  A pair *contradicts* when both copies print a field and the
prints disagree: another ref, another due month (not one cell read short:
``June 2011 / March`` of ``June 2011 / March 2012``), owners with no one in
common; for KPIs also another period or target.  A field one copy lost is no
contradiction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
from rapidfuzz import fuzz, process

TEXT_SIMILARITY = 90.0   # ratio of two squashed texts for the same record
PART_SIMILARITY = 95.0   # a text read short lies (nearly) whole inside the other ...
PART_LENGTH = 0.5        # ... and is at least half as long
MIN_CHARS = 12           # shorter texts ("Review", a lone ref) say too little to pair on
SQUASH = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class RecordKind:
    dataset: str
    id: str
    columns: tuple[str, ...]
    text: Callable[[dict], str]
    contradicts: Callable[[dict, dict], bool]


def squash(text: str | None) -> str:
    return SQUASH.sub("", (text or "").lower())


def _differ(a: str | None, b: str | None) -> bool:
    a, b = squash(a), squash(b)
    return bool(a and b and a != b)


def _owners_differ(a: dict, b: dict) -> bool:
    x, y = set(a["officers"] or []), set(b["officers"] or [])
    return bool(x and y and not x & y)


def _dues_differ(a: dict, b: dict) -> bool:
    if a["due_month"] is None or b["due_month"] is None or a["due_month"] == b["due_month"]:
        return False
    x, y = sorted((squash(a["due_raw"]), squash(b["due_raw"])), key=len)
    return not (x and y.startswith(x))


def _action_contradicts(a: dict, b: dict) -> bool:
    return _differ(a["ref"], b["ref"]) or _dues_differ(a, b) or _owners_differ(a, b)


def _kpi_contradicts(a: dict, b: dict) -> bool:
    return (_differ(a["ref"], b["ref"]) or _differ(a["period"], b["period"])
            or _differ(a["target_raw"], b["target_raw"]) or _owners_differ(a, b))


ACTION = RecordKind(
    "actions", "action_id",
    ("action_id", "doc_id", "action", "ref", "due_raw", "due_month", "officers", "table_index", "row_index"),
    lambda r: r["action"], _action_contradicts)
KPI = RecordKind(
    "kpis", "kpi_id",
    ("kpi_id", "doc_id", "measure", "ref", "period", "target_raw", "officers", "table_index", "row_index"),
    # a measure has a row per target year: the period is part of what pairs
    lambda r: f"{r['measure'] or ''} {r['period'] or ''}", _kpi_contradicts)


def pair_records(a: list[dict], b: list[dict], kind: RecordKind) -> list[tuple[dict, dict]]:
    """One to one: the best text pairs first, whole texts before texts read short."""
    if not a or not b:
        return []
    texts_a, texts_b = [squash(kind.text(r)) for r in a], [squash(kind.text(r)) for r in b]
    whole = process.cdist(texts_a, texts_b, scorer=fuzz.ratio, score_cutoff=TEXT_SIMILARITY, workers=1)
    part = process.cdist(texts_a, texts_b, scorer=fuzz.partial_ratio, score_cutoff=PART_SIMILARITY, workers=1)
    length_a = np.array([len(t) for t in texts_a], dtype=float)[:, None]
    length_b = np.array([len(t) for t in texts_b], dtype=float)[None, :]
    shorter, longer = np.minimum(length_a, length_b), np.maximum(length_a, length_b)
    part[(shorter < PART_LENGTH * longer)] = 0
    usable = shorter >= MIN_CHARS
    candidates = []
    for tier, scores in enumerate((whole, part)):
        for i, j in zip(*np.nonzero((scores > 0) & usable)):
            gap = abs(i / len(a) - j / len(b))
            candidates.append((tier, -float(scores[i, j]), gap, int(i), int(j)))
    used_a, used_b, pairs = set(), set(), []
    for _, _, _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((a[i], b[j]))
    return pairs


def agreeing_pairs(pairs: list[tuple[dict, dict]], kind: RecordKind) -> list[tuple[dict, dict]]:
    return [(x, y) for x, y in pairs if not kind.contradicts(x, y)]
