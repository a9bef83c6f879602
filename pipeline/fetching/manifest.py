"""The fetch manifest, ``<DIR>/moderngov-manifest.json``, beside the downloads.

It lists every place a paper was published (site, committee, meeting, agenda
item, attachment id, URL) with the file it was saved as and what the server
said of it (ETag, Last-Modified) and its bytes (sha256), so a paper is fetched
once; and, per site and committee, how far fetching has got, so the next run
knows where to start.  Ingest reads it (`pipeline.fetching.publications`) to say where each
document was published.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from pathlib import Path

MANIFEST_NAME = "moderngov-manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class Publication:
    """One paper in one meeting's agenda, and the file it was saved as."""
    site: str
    committee_id: str
    committee: str
    meeting_id: str
    meeting_date: date
    agenda_item: str | None
    attachment_id: str
    title: str
    url: str                          # redacted
    file: str | None                  # relative to the manifest's folder; None when skipped
    media_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    fetched_at: str | None = None     # ISO 8601, UTC
    published: date | None = None     # the service's publication date
    skipped: str | None = None        # why it was not saved (e.g. not a PDF or DOCX)

    @property
    def place(self) -> tuple[str, str, str]:
        return self.site, self.meeting_id, self.attachment_id

    def to_json(self) -> dict:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, row: dict) -> Publication:
        known = {f.name for f in fields(cls)}
        row = {k: v for k, v in row.items() if k in known}
        for key in ("meeting_date", "published"):
            row[key] = date.fromisoformat(row[key]) if row.get(key) else None
        return cls(**row)


@dataclass
class Progress:
    """How far one committee of one site has been fetched."""
    last_meeting: date | None = None     # the latest meeting whose papers were all fetched
    through: date | None = None          # every meeting up to this day was looked at

    def start(self, today: date, look_back: timedelta) -> date:
        """Where a run without --from begins, less the look-back: the last meeting (its minutes
        come weeks later), or the end of what was looked at when that is earlier (a gap a run
        with --from left open), else today.

        >>> Progress(date(2026, 9, 2), date(2026, 10, 1)).start(date(2026, 11, 20), timedelta(weeks=4))
        datetime.date(2026, 8, 5)
        >>> Progress(None, date(2026, 6, 1)).start(date(2026, 11, 20), timedelta(weeks=4))
        datetime.date(2026, 5, 4)
        >>> Progress().start(date(2026, 11, 20), timedelta(weeks=4))
        datetime.date(2026, 10, 23)
        """
        return min(filter(None, [self.last_meeting, self.through]), default=today) - look_back

    def advance(self, start: date, done_until: date, last_meeting: date | None, unfinished: date | None) -> None:
        """Record a run that looked at ``start``..``done_until``; a meeting left ``unfinished``
        (a failed paper, --max-files) holds both marks back so the next run covers it again."""
        if self.through is None or start <= self.through + timedelta(days=1):
            self.through = max(filter(None, [self.through, done_until]))
        latest = max(filter(None, [self.last_meeting, last_meeting]), default=None)
        if unfinished is not None:
            latest = min(filter(None, [latest, unfinished]))
            self.through = min(self.through, unfinished - timedelta(days=1))
        self.last_meeting = latest


class Manifest:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / MANIFEST_NAME
        self.publications: dict[tuple[str, str, str], Publication] = {}
        self.progress: dict[str, dict[str, Progress]] = {}
        if self.path.exists():
            data = json.loads(self.path.read_text(encoding="utf-8"))
            for row in data.get("papers", []):
                publication = Publication.from_json(row)
                self.publications[publication.place] = publication
            for site, committees in data.get("progress", {}).items():
                self.progress[site] = {cid: Progress(*(date.fromisoformat(v) if v else None
                                                       for v in (p.get("last_meeting"), p.get("through"))))
                                       for cid, p in committees.items()}

    def of_attachment(self, site: str, attachment_id: str) -> Publication | None:
        """The latest record of this paper in any meeting (one attachment, one file)."""
        same = [p for p in self.publications.values() if p.site == site and p.attachment_id == attachment_id]
        return max(same, key=lambda p: p.fetched_at or "", default=None)

    def record(self, publication: Publication) -> None:
        """Add or replace one place, and bring every other place of the same paper up to date
        with the file and validators it now has."""
        self.publications[publication.place] = publication
        shared = dict(file=publication.file, media_type=publication.media_type, etag=publication.etag,
                      last_modified=publication.last_modified, sha256=publication.sha256,
                      bytes=publication.bytes, fetched_at=publication.fetched_at, skipped=publication.skipped)
        for place, other in self.publications.items():
            if other.site == publication.site and other.attachment_id == publication.attachment_id:
                self.publications[place] = replace(other, **shared)

    def progress_of(self, site: str, committee_id: str) -> Progress:
        return self.progress.setdefault(site, {}).setdefault(committee_id, Progress())

    def save(self) -> None:
        """Atomically: a kill mid-run leaves the previous manifest or this one, never half."""
        data = {"format": FORMAT,
                "progress": {site: {cid: {"last_meeting": _iso(p.last_meeting), "through": _iso(p.through)}
                                    for cid, p in committees.items()}
                             for site, committees in self.progress.items()},
                "papers": [p.to_json() for p in sorted(self.publications.values(),
                                                       key=lambda p: (p.site, p.meeting_date, p.meeting_id, p.attachment_id))]}
        handle, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{MANIFEST_NAME}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        finally:
            Path(tmp).unlink(missing_ok=True)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
