"""The ModernGov web service (``{site}/mgWebService.asmx/{operation}``): committees,
their meetings between two dates, and the papers linked from each meeting's agenda.

Quirks of real installs handled here: entities encoded twice (``&amp;amp;``),
relative document links, dates with or without a time, and a service that is
switched off (it answers with an HTML page, or an error status).
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode, urljoin

from pipeline.intake.http import HttpClient, HttpError, redact

SERVICE = "mgWebService.asmx"


class ServiceUnavailable(HttpError):
    """The site's web service is unreachable, switched off or answering something other than XML."""


@dataclass(frozen=True)
class Committee:
    id: str
    title: str
    deleted: bool = False
    expired: bool = False


@dataclass(frozen=True)
class Meeting:
    id: str
    date: date
    status: str | None = None


@dataclass(frozen=True)
class Paper:
    attachment_id: str
    title: str
    url: str                          # absolute; may have no file extension (mgConvert2PDF.aspx?ID=)
    agenda_item: str | None
    published: date | None


def clean_text(text: str | None) -> str | None:
    """Element text with the second layer of entities decoded and spaces collapsed.

    >>> clean_text("Audit &amp;amp; Governance  Committee")
    'Audit & Governance Committee'
    >>> clean_text("Director&amp;#39;s report")
    "Director's report"
    >>> clean_text("  ") is None
    True
    """
    if text is None:
        return None
    while (decoded := html.unescape(text)) != text:    # some installs encode more than twice
        text = decoded
    text = " ".join(text.split())
    return text or None


def parse_date(text: str | None) -> date | None:
    """A ModernGov date: ``dd/mm/yyyy``, optionally with a time, or ISO.

    >>> parse_date("07/10/2026 18:30:00")
    datetime.date(2026, 10, 7)
    >>> parse_date("2026-10-07T18:30:00")
    datetime.date(2026, 10, 7)
    >>> parse_date("") is None
    True
    """
    text = (text or "").strip()
    for pattern, form in ((r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"), (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d")):
        match = re.match(pattern, text)
        if match:
            return datetime.strptime(match.group(0), form).date()
    return None


def service_date(day: date) -> str:
    """The service's date form.

    >>> service_date(date(2026, 3, 1))
    '01/03/2026'
    """
    return day.strftime("%d/%m/%Y")


class ModernGovSite:
    """One council's web service, spoken to through one polite `HttpClient`."""

    def __init__(self, site: str, client: HttpClient):
        self.site = site.rstrip("/")          # as given: credentials, if any, authenticate requests
        self.name = redact(self.site)         # what is stored and shown
        self.client = client

    def committees(self) -> list[Committee]:
        root = self._call("GetCommittees", lDummy=0)     # some installs refuse the call without lDummy
        return [Committee(id=_text(c, "committeeid"), title=_text(c, "committeetitle") or "",
                          deleted=_flag(c, "committeedeleted"), expired=_flag(c, "committeeexpired"))
                for c in _all(root, "committee") if _text(c, "committeeid")]

    def meetings(self, committee_id: str, start: date, end: date) -> list[Meeting]:
        root = self._call("GetMeetings", lCommitteeId=committee_id, sFromDate=service_date(start),
                          sToDate=service_date(end))
        found = [Meeting(id=_text(m, "meetingid"), date=parse_date(_text(m, "meetingdate")),
                         status=_text(m, "meetingstatus")) for m in _all(root, "meeting")]
        return sorted((m for m in found if m.id and m.date), key=lambda m: (m.date, m.id))

    def papers(self, meeting_id: str) -> list[Paper]:
        root = self._call("GetMeeting", lMeetingId=meeting_id)
        papers = []
        for item in _all(root, "agendaitem"):
            title = _text(item, "agendaitemtitle")
            for doc in _children(item, "linkeddocuments", "linkeddoc"):
                url = _text(doc, "url")
                attachment = _text(doc, "attachmentid")
                if url and attachment:
                    papers.append(Paper(attachment_id=attachment, title=_text(doc, "title") or attachment,
                                        url=urljoin(self.site + "/", url), agenda_item=title,
                                        published=parse_date(_text(doc, "publicationdate"))))
        return papers

    def _call(self, operation: str, **params) -> ET.Element:
        url = f"{self.site}/{SERVICE}/{operation}?{urlencode(params)}"
        try:
            body = self.client.get_bytes(url)
        except HttpError as exc:
            raise ServiceUnavailable(f"the ModernGov web service of {self.name} is not answering "
                                     f"({operation}): {exc}") from exc
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            root = None
        if root is None or _local(root.tag) == "html":
            raise ServiceUnavailable(
                f"the ModernGov web service of {self.name} is switched off or not at {SERVICE} "
                f"({operation} answered {_kind_of(body)}, not XML); ask the council to enable it")
        return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _all(element: ET.Element, name: str) -> list[ET.Element]:
    """Descendants named ``name`` in any namespace (installs differ)."""
    return [e for e in element.iter() if _local(e.tag) == name]


def _children(element: ET.Element, *path: str) -> list[ET.Element]:
    """Direct descendants along ``path``: an item's own papers, never those of a sub-item."""
    found = [element]
    for name in path:
        found = [c for e in found for c in e if _local(c.tag) == name]
    return found


def _text(element: ET.Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return clean_text(child.text)
    return None


def _flag(element: ET.Element, name: str) -> bool:
    return (_text(element, name) or "").lower() in ("true", "1", "yes")


def _kind_of(body: bytes) -> str:
    head = body[:512].lstrip().lower()
    if not head:
        return "nothing"
    return "an HTML page" if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head else "text"
