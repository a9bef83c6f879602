"""Lettered sub-items in one row of an action log: ``a. ... b. ...``.

Every letter is its own action.  The owner and date cells either letter
their lines the same way (``c. Clerk / d. Clerk``), giving each sub-item its
own value, or hold one value shared by all.

>>> [(s.letter, s.action, s.owner, s.due) for s in split_lettered(
...     "c. Circulate the notes.\\nd. Redate the objectives", "c. Clerk\\nd. Simon\\nBarnes", "asap")]
[('c', 'Circulate the notes.', 'Clerk', 'asap'), ('d', 'Redate the objectives', 'Simon Barnes', 'asap')]
>>> split_lettered("Review the policy", "Clerk", "asap")
[]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LETTER = re.compile(r"(?:^|\n)\s*\(?([a-z])[.)]\s+", re.IGNORECASE)


@dataclass(frozen=True)
class SubItem:
    letter: str
    action: str
    owner: str | None
    due: str | None


def lettered(text: str | None) -> dict[str, str]:
    """Letter -> its text, when ``text`` is two or more consecutive lettered lines."""
    if not text:
        return {}
    marks = list(LETTER.finditer(text))
    letters = [m.group(1).lower() for m in marks]
    if len(marks) < 2 or marks[0].start() > 0 and text[:marks[0].start()].strip() or not _consecutive(letters):
        return {}
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return {letter: " ".join(text[m.end():end].split()) for letter, m, end in zip(letters, marks, ends)}


def split_lettered(action: str, owner: str | None, due: str | None) -> list[SubItem]:
    items = lettered(action)
    if not items:
        return []
    owners, dues = lettered(owner), lettered(due)
    return [SubItem(letter, text, owners.get(letter, _shared(owner, owners)), dues.get(letter, _shared(due, dues)))
            for letter, text in items.items()]


def next_letter(previous: str | None, letter: str | None) -> bool:
    """``b`` follows ``a``: a lettered row carrying on the row above."""
    return (bool(previous and letter) and previous.isalpha() and letter.isalpha() and len(previous) == 1
            and ord(letter.lower()) == ord(previous.lower()) + 1)


def _shared(cell: str | None, per_letter: dict[str, str]) -> str | None:
    return None if per_letter else cell


def _consecutive(letters: list[str]) -> bool:
    return all(ord(b) == ord(a) + 1 for a, b in zip(letters, letters[1:]))
