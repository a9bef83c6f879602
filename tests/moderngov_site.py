"""A ModernGov site on loopback, shaped like the real web service: XML with entities
encoded twice, papers behind ``mgConvert2PDF.aspx?ID=`` with no extension, ETags on
``/documents/`` only, and a 403 for user agents that look like a bare HTTP library."""
from __future__ import annotations

import hashlib
import html
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlsplit

from tests.httpserver import LoopbackServer, reply

LIBRARY_AGENTS = ("python-", "curl/", "wget/", "go-http-client", "java/", "okhttp")


def twice(text: str) -> str:
    """Escaped for XML, then escaped again, as ModernGov installs send titles."""
    return html.escape(html.escape(text))


@dataclass
class Doc:
    attachment_id: str
    title: str
    body: bytes
    path: str = ""            # "" serves it as mgConvert2PDF.aspx?ID=<attachment_id>


@dataclass
class Item:
    title: str
    docs: list[Doc] = field(default_factory=list)


@dataclass
class FakeMeeting:
    id: str
    committee_id: str
    date: date
    items: list[Item] = field(default_factory=list)


class FakeModernGov:
    def __init__(self, committees: list[tuple[str, str, bool, bool]], meetings: list[FakeMeeting]):
        self.committees = committees          # id, title, deleted, expired
        self.meetings = meetings
        self.served: Counter[str] = Counter()  # document bodies sent (200), by attachment id
        self.slow_calls: Counter[str] = Counter()   # operation -> how many first answers to hold back
        self.release = threading.Event()
        self.server = LoopbackServer()
        routes = self.server.routes
        routes["/mgWebService.asmx/GetCommittees"] = self._guarded(self._committees)
        routes["/mgWebService.asmx/GetMeetings"] = self._guarded(self._meetings)
        routes["/mgWebService.asmx/GetMeeting"] = self._guarded(self._meeting)
        routes["/mgConvert2PDF.aspx"] = self._guarded(self._document)
        self._route_documents()

    @property
    def url(self) -> str:
        return self.server.url

    def __enter__(self) -> FakeModernGov:
        self.server.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.__exit__(*exc)

    def publish(self, meeting_id: str, item: Item) -> None:
        next(m for m in self.meetings if m.id == meeting_id).items.append(item)
        self._route_documents()

    def _route_documents(self) -> None:
        for doc in self._docs():
            if doc.path:
                self.server.routes[doc.path] = self._guarded(self._document)

    def _docs(self) -> list[Doc]:
        return [d for m in self.meetings for i in m.items for d in i.docs]

    def _guarded(self, route):
        def guarded(handler):
            agent = handler.headers.get("User-Agent", "").lower()
            if not agent or agent.startswith(LIBRARY_AGENTS):
                return reply(handler, 403, b"<html><body>Forbidden</body></html>")
            operation = urlsplit(handler.path).path.rsplit("/", 1)[-1]
            if self.slow_calls[operation]:
                self.slow_calls[operation] -= 1
                self.release.wait(30)             # longer than the client waits: it gives up and retries
                return
            route(handler, {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()})
        return guarded

    def _xml(self, handler, body: str) -> None:
        reply(handler, 200, f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode(),
              {"Content-Type": "text/xml; charset=utf-8"})

    def _committees(self, handler, query) -> None:
        rows = "".join(f"<committee><committeeid>{cid}</committeeid><committeetitle>{twice(title)}</committeetitle>"
                       f"<committeedeleted>{deleted}</committeedeleted><committeeexpired>{expired}</committeeexpired>"
                       f"</committee>" for cid, title, deleted, expired in self.committees)
        self._xml(handler, f'<committees xmlns="http://moderngov.co.uk/namespaces">{rows}</committees>')

    def _meetings(self, handler, query) -> None:
        start, end = (_day(query[k]) for k in ("sFromDate", "sToDate"))
        rows = "".join(f"<meeting><meetingid>{m.id}</meetingid><meetingdate>{m.date:%d/%m/%Y} 18:30:00</meetingdate>"
                       f"<meetingstatus>Agenda published</meetingstatus></meeting>"
                       for m in self.meetings if m.committee_id == query["lCommitteeId"] and start <= m.date <= end)
        self._xml(handler, f"<getmeetings><committee><meetings>{rows}</meetings></committee></getmeetings>")

    def _meeting(self, handler, query) -> None:
        meeting = next(m for m in self.meetings if m.id == query["lMeetingId"])
        items = ""
        for item in meeting.items:
            docs = "".join(f"<linkeddoc><attachmentid>{d.attachment_id}</attachmentid><title>{twice(d.title)}</title>"
                           f"<url>{self._doc_url(d)}</url><publicationdate>{meeting.date:%d/%m/%Y}</publicationdate>"
                           f"</linkeddoc>" for d in item.docs)
            items += (f"<agendaitem><agendaitemtitle>{twice(item.title)}</agendaitemtitle>"
                      f"<linkeddocuments>{docs}</linkeddocuments></agendaitem>")
        self._xml(handler, f"<meeting><meetingid>{meeting.id}</meetingid><meetingdate>{meeting.date:%d/%m/%Y}"
                           f"</meetingdate><agendaitems>{items}</agendaitems></meeting>")

    def _doc_url(self, doc: Doc) -> str:
        # relative and absolute links both occur in the wild
        return html.escape(doc.path.lstrip("/") if doc.path else f"{self.url}/mgConvert2PDF.aspx?ID={doc.attachment_id}")

    def _document(self, handler, query) -> None:
        path = urlsplit(handler.path).path
        doc = next((d for d in self._docs() if (d.path == path if d.path else d.attachment_id == query.get("ID"))),
                   None)
        if doc is None:
            return reply(handler, 404, b"gone")
        if not doc.path:                  # mgConvert2PDF: no validators, so the client skips by attachment id
            self.served[doc.attachment_id] += 1
            return reply(handler, 200, doc.body, {"Content-Type": "application/octet-stream"})
        etag = '"%s"' % hashlib.sha256(doc.body).hexdigest()[:16]
        if handler.headers.get("If-None-Match") == etag:
            return reply(handler, 304, headers={"ETag": etag})
        self.served[doc.attachment_id] += 1
        reply(handler, 200, doc.body, {"ETag": etag, "Content-Type": "application/pdf"})


def _day(text: str) -> date:
    day, month, year = map(int, text.split("/"))
    return date(year, month, day)
