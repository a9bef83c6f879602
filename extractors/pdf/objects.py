"""A page's objects as pdfplumber gives them, with its characters converted faster.

pdfplumber turns every pdfminer layout object into a dict through a generic
path (a closure, a filter and a recursive resolve per attribute) that costs
as much as a third of reading a page; characters are nearly all of a page's
objects.  `parse_objects` gives the very dicts `pdfplumber.page.Page.parse_objects`
gives (a test compares them on real files), converting characters directly:
their attributes are numbers, strings and tuples of numbers, which resolve
to themselves.  Every other object goes through pdfplumber's own code.
Filling the page's cache with it means every later ``page.chars``,
``page.rects`` or ``page.extract_words`` reads the same objects.
"""
from __future__ import annotations

from functools import lru_cache
from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar, LTContainer
from pdfplumber.page import ALL_ATTRS, fix_fontname_bytes
from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

PLAIN = (float, int, str, bool, type(None))


def parse_objects(page) -> dict[str, list[dict]]:
    """``page.objects``, computed once and kept where pdfplumber caches it."""
    if not hasattr(page, "_objects"):
        objects: dict[str, list[dict]] = {}
        for obj in _walk(page, page.layout._objs):
            if obj["object_type"] != "anno":
                objects.setdefault(obj["object_type"], []).append(obj)
        page._objects = objects
    return page._objects


def _walk(page, items):
    """pdfplumber's `iter_layout_objects`, with characters converted here."""
    for obj in items:
        if isinstance(obj, LTContainer):
            if page.pdf.laparams is not None:
                yield page.process_object(obj)
            yield from _walk(page, obj._objs)
        elif type(obj) is LTChar:
            yield _char(page, obj)
        else:
            yield page.process_object(obj)


def _char(page, obj: LTChar) -> dict:
    """pdfplumber's `process_object` for one character, step for step."""
    attr = {k: v if type(v) in PLAIN or (type(v) is tuple and all(type(x) in PLAIN for x in v))
            else resolve_all(v)
            for k, v in obj.__dict__.items() if k in ALL_ATTRS}
    attr["object_type"] = "char"
    attr["page_number"] = page.page_number
    for space in ("ncs", "scs"):
        if hasattr(obj, space):
            attr[space] = _colour_space(getattr(obj, space).name)
    text = obj.get_text()
    attr["text"] = text if page.pdf.unicode_norm is None else normalize_unicode(page.pdf.unicode_norm, text)
    state = obj.graphicstate
    attr["stroking_color"] = state.scolor if isinstance(state.scolor, tuple) else (state.scolor,)
    attr["non_stroking_color"] = state.ncolor if isinstance(state.ncolor, tuple) else (state.ncolor,)
    if isinstance(attr["fontname"], bytes):      # rare
        attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    mb_x0, mb_top = page.mediabox[:2]
    attr["top"] = (page.height - attr["y1"]) + mb_top
    attr["bottom"] = (page.height - attr["y0"]) + mb_top
    attr["doctop"] = page.initial_doctop + attr["top"]
    if mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


@lru_cache(maxsize=64)
def _colour_space(name) -> str:
    return resolve_and_decode(name)

