"""OCR slips mended before words leave the OCR stage.

A digit between a letter and a lower-case letter is a letter the engine
misread in a word (``Si1vera``, ``C0uncil``): no English word or name has a
digit there, while refs, dates and codes (``2.1``, ``Q3``, ``1st``, ``H1N1``)
never put one there.  The letters such digits stand for are data.
"""
from __future__ import annotations

import re

LOOKALIKES = {"1": "l", "0": "o", "5": "s"}     # digit -> the lower-case letter it is mistaken for
INSIDE = re.compile(r"(?<=[A-Za-z])[0-9](?=[a-z])")


def mend(text: str) -> str:
    """``text`` with each digit that sits inside a word replaced by the letter it resembles.

    >>> mend("Si1vera")
    'Silvera'
    >>> mend("2.1 Q3 1st H1N1")
    '2.1 Q3 1st H1N1'
    """
    return INSIDE.sub(lambda m: LOOKALIKES.get(m.group(), m.group()), text)
