"""Per-file failures in words a user can act on."""
from __future__ import annotations

import zipfile

from extractors.errors import UnreadableFile


class IngestError(UnreadableFile):
    """A file that cannot be ingested; the message is what the user sees."""


PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # Office encryption wraps a DOCX in OLE2


def check_bytes(data: bytes, suffix: str) -> None:
    """Reject what is plainly not the file its name says, before a parser meets it."""
    if not data:
        raise IngestError("zero bytes: the file is empty")
    head = data[:1024].lstrip()
    if suffix == ".pdf":
        if not head.startswith(PDF_MAGIC) and PDF_MAGIC not in data[:1024]:
            raise IngestError(f"not a PDF (starts with {_describe(head)})")
        if b"%%EOF" not in data[-2048:]:
            raise IngestError("truncated file: the PDF has no end-of-file marker")
    elif suffix == ".docx":
        if data.startswith(OLE_MAGIC):
            raise IngestError("password-protected or encrypted DOCX: no password")
        if not data.startswith(ZIP_MAGIC):
            raise IngestError(f"not a DOCX (starts with {_describe(head)})")


def _describe(head: bytes) -> str:
    text = head[:16].decode("latin-1", "replace")
    if text.lower().startswith(("<!doctype", "<html")):
        return "<html>"
    printable = "".join(ch if ch.isprintable() else "." for ch in text[:8])
    return repr(printable)


def explain(exc: BaseException, suffix: str, internal: bool = False) -> str:
    """Turn an exception into a reason a user can act on; ``internal`` marks one that
    escaped our own extraction code rather than the file's parser."""
    if isinstance(exc, UnreadableFile):
        return str(exc)
    # pdfplumber wraps pdfminer's error: look at what it wraps too
    inner = [a for a in exc.args if isinstance(a, BaseException)]
    name = " ".join(type(e).__name__ for e in [exc, *inner])
    text = " ".join(str(e) for e in [exc, *inner])
    if "Password" in name or "password" in text.lower() or "encrypt" in text.lower():
        return "encrypted PDF: no password" if suffix == ".pdf" else "password-protected DOCX"
    if isinstance(exc, zipfile.BadZipFile) or "zip" in text.lower():
        return "truncated file: the DOCX archive is damaged"
    if isinstance(exc, MemoryError):
        return "out of memory: the file needs more than the per-file memory limit"
    if "PSEOF" in name or "EOF" in text or "startxref" in text.lower():
        return "truncated file: the PDF ends early"
    if internal:
        return f"internal error while extracting ({name}: {text[:200]}); please report this file"
    return f"unreadable {suffix.lstrip('.').upper()} ({name}: {text[:200]})"
