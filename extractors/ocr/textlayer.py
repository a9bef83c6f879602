"""Does a PDF page carry text a reader can use, or must it be OCR'd?

A page needs OCR when something is drawn on it (an image, or vector shapes
such as text turned into outlines) but its text layer is missing, invisible
(a scanner's hidden layer, whose words and boxes come from an engine of
unknown quality), or garbage: glyphs with no Unicode mapping (``(cid:12)``),
private-use or replacement characters, or letters that do not make words
(a font whose mapping is shifted reads ``Wkh`` for ``The``).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

MIN_READABLE = 0.8          # share of a page's characters that must be real characters
MIN_WORDLIKE = 0.7          # share of its longer words that must hold a vowel, as English words do
VOWEL = re.compile(r"[aeiouyAEIOUY]")
LONG_WORD = re.compile(r"[A-Za-z]{3,}")
MIN_WORDS = 10              # fewer words are too few to judge
# printable ASCII, Latin-1 to Latin Extended-B, general punctuation, euro and trade mark signs
MAPPED = re.compile(r"[\x20-\x7e\xa0-\u024f\u2010-\u203a\u20ac\u2122]*")


def needs_ocr(page, words: list[str], all_invisible: Callable[[], bool]) -> bool:
    """``page`` is a pdfplumber page and ``words`` the words of its text layer;
    ``all_invisible()`` tells whether every text object on it is drawn invisibly, and
    is asked only when the page holds text over an image."""
    if not page.chars:
        return bool(page.images or page.curves or page.rects or page.lines)
    return garbage([c["text"] for c in page.chars], words) or (bool(page.images) and all_invisible())


def garbage(chars: list[str], words: list[str]) -> bool:
    """Characters, and the words they make, that do not read as text."""
    chars = [c for c in chars if not c.isspace()]
    if len(chars) - _unmapped_count(chars) < MIN_READABLE * len(chars):
        return True
    long = [w for w in words if LONG_WORD.fullmatch(w)]
    return len(long) >= MIN_WORDS and sum(bool(VOWEL.search(w)) for w in long) < MIN_WORDLIKE * len(long)


def _unmapped_count(chars: list[str]) -> int:
    """Checked character by character only when some character lies outside the
    common printable ranges, which are all assigned and mapped (most pages)."""
    joined = "".join(chars)
    if "(cid:" not in joined and MAPPED.fullmatch(joined):
        return 0
    return sum(map(_unmapped, chars))


def _unmapped(char: str) -> bool:
    if char.startswith("(cid:") or "\ufffd" in char:
        return True
    return any(unicodedata.category(c) in ("Co", "Cc", "Cn") for c in char)
