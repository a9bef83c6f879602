"""What runs in the file's own process (see `pipeline.execution.limits`): fetch a URL
into the process's temporary folder, hash the bytes, and read the document
unless its bytes are already held; its documents row carries where the file was
published (`pipeline.fetching.publications`).  The forkserver the reader processes fork
from has imported this module, and the readers with it, before any file's clock starts."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import extractors.docx_reader  # noqa: F401  (imported here so every reader process has them)
import extractors.pdf  # noqa: F401

from pipeline.intake.kept_files import keep_copy
from pipeline.document import process
from pipeline.execution.tasks import Task, Unchanged
from pipeline.fetching.publications import latest_columns
from pipeline.results import DocumentResult, Source, failed_result, file_digest
from pipeline.errors import IngestError
from pipeline.execution.limits import Progress


def read_task(task: Task, progress: Progress, folder: str) -> DocumentResult | Unchanged:
    source = task.source
    if source.url:
        from pipeline.intake import http    # httpx: a twentieth of a second no local file needs
        try:
            got = http.download(source.url, Path(folder), "download",
                                http.HttpSettings(deadline=task.download_seconds,
                                                  allow_private=task.allow_private_urls))
        except IngestError as exc:
            return failed_result(source, None, str(exc))
        source = replace(source, path=str(got.path))
    doc_id = file_digest(source.path)
    if doc_id in task.skip_if:
        _keep(task, source, doc_id)
        return Unchanged(source, doc_id)
    result = process(source, task.glossary, task.max_pages, on_pages=progress.pages,
                     settings_key=task.settings_key, posts=task.posts, ocr=task.ocr,
                     screen=task.screen)
    if result.status != "failed":
        _keep(task, source, doc_id)
        published = latest_columns(source.path)
        result.rows["documents"] = [{**row, **published} for row in result.rows["documents"]]
    return result


def _keep(task: Task, source: Source, doc_id: str) -> None:
    """Keep a URL's bytes here, in the file's own process: its download folder is gone
    by the time the run publishes the result."""
    if task.keep_root:
        keep_copy(Path(task.keep_root), source.uri, source.path, doc_id)
