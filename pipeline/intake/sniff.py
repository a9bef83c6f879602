"""What a file is, from its own bytes, before a parser meets it: PDF or DOCX
(never from the name or URL), how many pages, and whether a DOCX's zip
members would inflate past what a worker may hold."""
from __future__ import annotations

import zipfile
from pathlib import Path

from extractors.model import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from pipeline.errors import PDF_MAGIC, ZIP_MAGIC, IngestError

MEDIA_TYPES = {".pdf": PDF_MEDIA_TYPE, ".docx": DOCX_MEDIA_TYPE}
MAX_MEMBER_BYTES = 256 * 1024 * 1024     # one XML part of a DOCX, uncompressed
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024   # every part together


def kind_of(data: bytes, name: str) -> str:
    """``.pdf`` or ``.docx`` by the bytes; the name's suffix only when the bytes say neither
    (so the error can say what the file claimed to be)."""
    if PDF_MAGIC in data[:1024]:
        return ".pdf"
    if data.startswith(ZIP_MAGIC) and b"word/" in data:
        return ".docx"
    suffix = Path(name).suffix.lower()
    return suffix if suffix in (".pdf", ".docx") else ".pdf"


def check_zip_members(path: str) -> None:
    """Refuse a DOCX whose parts declare more than we may inflate: the declared size is
    also the most `zipfile` will ever produce, so checking it bounds the read."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        return          # the parser says how it is damaged
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES:
            raise IngestError(f"DOCX part {member.filename} inflates to {member.file_size // 2**20} MiB "
                              f"(limit {MAX_MEMBER_BYTES // 2**20} MiB): not read")
    total = sum(m.file_size for m in members)
    if total > MAX_ARCHIVE_BYTES:
        raise IngestError(f"DOCX inflates to {total // 2**20} MiB (limit {MAX_ARCHIVE_BYTES // 2**20} MiB): not read")


def count_pages(path: str) -> int | None:
    """Pages of a PDF from its page tree (pdfium, without building pages); None if unknown."""
    import pypdfium2
    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        return None
    try:
        return len(document)
    finally:
        document.close()
