"""``fetch --moderngov SITE --to DIR``: download the committee papers published since
the last run, each once, into DIR with its manifest (`pipeline.fetching.manifest`).

Politeness: one request at a time (sites are taken in turn, papers one by one),
a delay between requests, at most ``--max-files`` new files a run, a size limit
per file.  A paper that cannot be fetched is named with its reason and is tried
again next run; the meetings after it are fetched meanwhile.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.intake.http import Download, HttpClient, HttpError, HttpSettings, NotADocument, redact, remove_partials
from pipeline.intake.inputs import UsageError
from pipeline.storage.lock import hold
from pipeline.fetching.manifest import Manifest, Publication
from pipeline.fetching.moderngov import Committee, Meeting, ModernGovSite, Paper, ServiceUnavailable

log = logging.getLogger("pipeline.fetching.fetch")
LOCK_NAME = ".fetch.lock"


class Unwritable(RuntimeError):
    """The download folder cannot be written (exit code 3)."""


@dataclass(frozen=True)
class FetchOptions:
    committees: tuple[str, ...] = ()           # titles or ids; deleted and expired ones only when named
    start: date | None = None                  # meeting dates; None: from where the last run got to
    until: date | None = None
    look_back: timedelta = timedelta(weeks=4)  # papers and minutes are published weeks after a meeting
    ahead: timedelta = timedelta(weeks=1)      # agendas are published before the meeting
    max_files: int | None = None
    http: HttpSettings = field(default_factory=lambda: HttpSettings(interval=1.0))


@dataclass
class FetchSummary:
    folder: str
    meetings: int = 0
    papers: int = 0                             # listed, counted once per meeting they are attached to
    downloaded: int = 0
    unchanged: int = 0
    stopped: bool = False                       # --max-files reached; the rest comes next run
    skipped: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "exit_code": self.exit_code}, indent=2, default=str)

    def text(self) -> str:
        lines = [f"{self.meetings} meetings, {self.papers} papers: {self.downloaded} downloaded, "
                 f"{self.unchanged} unchanged, "
                 f"{len(self.skipped)} skipped, {len(self.failures)} failed"
                 + (" (stopped at --max-files; the rest next run)" if self.stopped else "")]
        lines += [f"  skipped: {s['paper']}: {s['reason']}" for s in self.skipped]
        lines += [f"  failed: {_where(f)}: {f['error']}" for f in self.failures]
        return "\n".join(lines)


def fetch(sites: list[str], folder: str | Path, options: FetchOptions = FetchOptions(),
          today: date | None = None) -> FetchSummary:
    folder = Path(folder)
    _ensure_writable(folder)
    summary = FetchSummary(str(folder))
    with hold(folder / LOCK_NAME, f"download folder {folder}"):
        remove_partials(folder)          # a killed run's half downloads
        run = _Run(Manifest(folder), folder, options, today or date.today(), summary)
        with ExitStack() as clients:
            listed = run.list_committees([ModernGovSite(s, clients.enter_context(HttpClient(options.http)))
                                          for s in sites])
            check_names(options.committees, listed)      # before anything is downloaded
            for site, committees in listed.items():
                run.site(site, choose_committees(committees, options.committees))
                if summary.stopped:
                    break
    return summary


@dataclass
class _Run:
    manifest: Manifest
    folder: Path
    options: FetchOptions
    today: date
    summary: FetchSummary

    def list_committees(self, sites: list[ModernGovSite]) -> dict[ModernGovSite, list[Committee]]:
        """Each answering site's committees; a site that does not answer is named as a failure."""
        listed = {}
        for site in sites:
            try:
                listed[site] = site.committees()
            except ServiceUnavailable as exc:
                self._site_failed(site, exc)
        return listed

    def site(self, site: ModernGovSite, committees: list[Committee]) -> None:
        try:
            for committee in committees:
                self.committee(site, committee)
                if self.summary.stopped:
                    return
        except ServiceUnavailable as exc:
            self._site_failed(site, exc)

    def _site_failed(self, site: ModernGovSite, exc: ServiceUnavailable) -> None:
        self.summary.failures.append({"site": site.name, "error": str(exc)})
        log.warning("%s", exc)

    def committee(self, site: ModernGovSite, committee: Committee) -> None:
        progress = self.manifest.progress_of(site.name, committee.id)
        start = self.options.start or progress.start(self.today, self.options.look_back)
        end = self.options.until or self.today + self.options.ahead
        unfinished, finished = None, []
        for meeting in site.meetings(committee.id, start, end):
            self.summary.meetings += 1
            if not self.summary.stopped and self.meeting(site, committee, meeting):
                finished.append(meeting.date)
            elif unfinished is None:
                unfinished = meeting.date            # meetings come in date order
        progress.advance(start, min(end, self.today), max((d for d in finished if d <= self.today), default=None),
                         unfinished)
        self.manifest.save()

    def meeting(self, site: ModernGovSite, committee: Committee, meeting: Meeting) -> bool:
        try:
            papers = site.papers(meeting.id)
        except ServiceUnavailable as exc:
            self._fail(site, committee, meeting, None, str(exc))
            return False
        self.summary.papers += len(papers)
        done = [self.paper(site, committee, meeting, paper) for paper in papers]
        return all(done)

    def paper(self, site: ModernGovSite, committee: Committee, meeting: Meeting, paper: Paper) -> bool:
        """Fetch one paper unless it is already here; False when it must be tried again."""
        if self.summary.stopped:
            return False
        place = dict(site=site.name, committee_id=committee.id, committee=committee.title, meeting_id=meeting.id,
                     meeting_date=meeting.date, agenda_item=paper.agenda_item, attachment_id=paper.attachment_id,
                     title=paper.title, url=redact(paper.url), published=paper.published)
        known = self.manifest.of_attachment(site.name, paper.attachment_id)
        if known and not (known.skipped or (known.file and (self.folder / known.file).exists())):
            known = None                         # its file was removed: fetch it again
        if known and (known.skipped or not (known.etag or known.last_modified)):
            self.manifest.record(Publication(**{**_saved(known), **place}))    # nothing to ask the server
            self.summary.unchanged += 1
            return True
        if not known and self.options.max_files is not None and self.summary.downloaded >= self.options.max_files:
            self.summary.stopped = True
            return False
        target = self.folder / known.file if known else self._new_path(site, committee, meeting, paper)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            got = site.client.download(paper.url, target.parent, target.stem,
                                       **({"etag": known.etag, "last_modified": known.last_modified} if known else {}))
        except NotADocument as exc:
            self.manifest.record(Publication(**place, file=None, skipped=str(exc), fetched_at=_now()))
            self.summary.skipped.append({"paper": paper.title, "url": redact(paper.url), "reason": str(exc)})
            return True
        except HttpError as exc:
            self._fail(site, committee, meeting, paper, str(exc))
            return False
        except OSError as exc:
            raise Unwritable(f"cannot write the download folder {self.folder}: {exc.strerror or exc}") from exc
        self._keep(got, place, known, target)
        return True

    def _keep(self, got: Download, place: dict, known: Publication | None, target: Path) -> None:
        if got.not_modified:
            self.manifest.record(Publication(**{**_saved(known), **place, "etag": got.etag,
                                                "last_modified": got.last_modified}))
            self.summary.unchanged += 1
            return
        if known and got.path != target:
            target.unlink(missing_ok=True)      # the paper changed type: keep only the new file
        self.manifest.record(Publication(
            **place, file=got.path.relative_to(self.folder).as_posix(), media_type=got.media_type, etag=got.etag,
            last_modified=got.last_modified, sha256=got.sha256, bytes=got.size, fetched_at=_now()))
        self.manifest.save()                     # a kill later in the run keeps what was fetched
        self.summary.downloaded += 1
        log.info("fetched %s", _where({**place, "paper": place["title"]}))

    def _new_path(self, site: ModernGovSite, committee: Committee, meeting: Meeting, paper: Paper) -> Path:
        host = urlsplit(site.name).hostname or "site"
        return (self.folder / _slug(host) / _slug(committee.title) / meeting.date.isoformat()
                / f"{paper.attachment_id}-{_slug(paper.title)[:60]}")

    def _fail(self, site: ModernGovSite, committee: Committee, meeting: Meeting, paper: Paper | None,
              error: str) -> None:
        failure = {"site": site.name, "committee": committee.title, "meeting_date": meeting.date,
                   "paper": paper.title if paper else None, "url": redact(paper.url) if paper else None,
                   "error": error}
        self.summary.failures.append(failure)
        log.warning("could not fetch %s: %s", _where(failure), error)


def choose_committees(committees: list[Committee], wanted: tuple[str, ...]) -> list[Committee]:
    """The committees named (by id or title, any case; deleted and expired ones too), else
    every current one."""
    if not wanted:
        return [c for c in committees if not (c.deleted or c.expired)]
    return [c for c in committees if any(_names(c, name) for name in wanted)]


def check_names(wanted: tuple[str, ...], listed: dict[ModernGovSite, list[Committee]]) -> None:
    """A --committee that no answering site has is a usage error (one site may lack it)."""
    for name in wanted:
        if listed and not any(_names(c, name) for committees in listed.values() for c in committees):
            site, committees = next(iter(listed.items()))
            current = ", ".join(sorted(c.title for c in committees if not (c.deleted or c.expired))[:12])
            raise UsageError(f"no site has a committee {name!r}; {site.name}'s current committees include: {current}")


def _names(committee: Committee, name: str) -> bool:
    return committee.id == name.strip() or _fold(committee.title) == _fold(name)


def _saved(known: Publication) -> dict:
    keys = ("file", "media_type", "etag", "last_modified", "sha256", "bytes", "fetched_at", "skipped")
    return {k: getattr(known, k) for k in keys}


def _ensure_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{datetime.now().timestamp()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise Unwritable(f"cannot write the download folder {folder}: {exc.strerror or exc}") from exc


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _slug(text: str) -> str:
    """A file-name-safe form.

    >>> _slug("Audit & Governance Committee")
    'audit-governance-committee'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "untitled"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _where(item: dict) -> str:
    parts = [redact(item["site"]), item.get("committee"), str(item.get("meeting_date") or "") or None,
             f"\"{item['paper']}\"" if item.get("paper") else None]
    return " ".join(p for p in parts if p)


# --- command line ------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    """The fetch options, on ``fetch`` (where --moderngov and --to are required) and ``ingest``
    (which has --allow-private-urls already)."""
    parser.add_argument("--moderngov", action="append", required=required, metavar="SITE",
                        help="ModernGov site root, e.g. https://democracy.example.gov.uk (repeatable)")
    parser.add_argument("--to", required=required, metavar="DIR", help="download folder (with its manifest)")
    parser.add_argument("--committee", action="append", default=[], metavar="NAME_OR_ID",
                        help="only this committee (repeatable); default: every current committee")
    parser.add_argument("--from", dest="start", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="meetings from this date (default: the last meeting fetched, less the look-back)")
    parser.add_argument("--until", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="meetings up to this date (default: a week ahead)")
    parser.add_argument("--look-back-weeks", type=float, default=4,
                        help="weeks before the last meeting fetched to look again for late papers (default 4)")
    parser.add_argument("--max-files", type=int, help="download at most this many new files per run")
    parser.add_argument("--max-mb", type=float, default=200, help="size limit per file in MiB (default 200)")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to a site (default 1)")
    parser.add_argument("--request-timeout", type=float, default=300,
                        help="seconds allowed per request, retries included (default 300)")
    parser.add_argument("--read-timeout", type=float, default=30,
                        help="seconds to wait for a server to connect or send more before retrying (default 30)")
    parser.add_argument("--user-agent", default=HttpSettings.user_agent, help="User-Agent header to send")
    if required:      # ingest has its own, for URL inputs too
        parser.add_argument("--allow-private-urls", action="store_true",
                            help="allow loopback and private addresses (tests, intranet sites)")


def options_from(args: argparse.Namespace) -> FetchOptions:
    if args.start and args.until and args.start > args.until:
        raise UsageError(f"--from {args.start} is after --until {args.until}")
    if args.max_files is not None and args.max_files < 1:
        raise UsageError("--max-files must be at least 1")
    http = HttpSettings(deadline=args.request_timeout, timeout=min(args.read_timeout, args.request_timeout),
                        max_bytes=int(args.max_mb * 2**20), interval=args.delay,
                        allow_private=args.allow_private_urls, user_agent=args.user_agent)
    return FetchOptions(committees=tuple(args.committee), start=args.start, until=args.until,
                        look_back=timedelta(weeks=args.look_back_weeks), max_files=args.max_files, http=http)
