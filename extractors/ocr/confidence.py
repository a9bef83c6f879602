"""How surely the words of a record were read."""
from __future__ import annotations

from statistics import mean

LOW = 80.0      # mean word confidence below which a record's text is worth checking by eye
# (clean scans read at 95 on average here; a record at 80 usually holds a misread word)


def box_confidence(words: list, bbox) -> float | None:
    """Mean confidence of the OCR'd words whose centre lies in ``bbox``; None when none does."""
    if not words or not bbox:
        return None
    x0, top, x1, bottom = bbox
    inside = [w.confidence for w in words
              if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom]
    return round(mean(inside), 1) if inside else None


def low_confidence_warnings(records: list[tuple[int | None, float | None]]) -> list[str]:
    """``records``: (page, OCR confidence) of each action of a file; one warning naming the
    pages whose actions were read with low confidence, if any were."""
    low = [page for page, confidence in records if confidence is not None and confidence < LOW]
    if not low:
        return []
    pages = ", ".join(str(p) for p in sorted({p for p in low if p is not None}))
    return [f"page(s) {pages}: {len(low)} of {len(records)} actions read by OCR with low confidence "
            f"(mean word confidence below {LOW:.0f}); check them against the scan"]
