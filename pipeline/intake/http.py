"""The project's one HTTP client: every download (URL inputs, ModernGov) goes
through here, so the limits hold everywhere.

- an address guard on the first URL and on every redirect: http(s) only, and no
  loopback, private, link-local or reserved address unless ``allow_private``;
- retries with exponential back-off on 5xx, timeouts and connection errors, all
  inside one deadline per request (a trickling server cannot hold a run);
- a size limit enforced while streaming, into a hidden temporary file beside the
  destination that is removed in every case;
- the media type from the bytes, never from the URL;
- credentials stripped from every URL that is stored, logged or shown;
- conditional GET (ETag / Last-Modified) that reports "not modified".
Every failure is an `HttpError` whose message a user can act on.
"""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import socket
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

import httpx

from pipeline.errors import PDF_MAGIC, ZIP_MAGIC, IngestError, _describe
from extractors.model import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from pipeline.schema import PIPELINE_VERSION

PROJECT_URL = "https://github.com/council-plans/pipeline"
DEFAULT_USER_AGENT = f"council-plans/{PIPELINE_VERSION} (+{PROJECT_URL})"
SUFFIXES = {PDF_MEDIA_TYPE: ".pdf", DOCX_MEDIA_TYPE: ".docx"}
RETRY_STATUSES = {429, 500, 502, 503, 504}
PARTIAL_SUFFIX = ".part"

# httpx logs every request URL at INFO, credentials included; our own messages redact.
logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass(frozen=True)
class HttpSettings:
    timeout: float = 30.0            # seconds to connect, and between two reads
    deadline: float = 300.0          # seconds for a whole request, retries and body included
    max_bytes: int = 200 * 1024 * 1024
    retries: int = 3                 # further attempts after a 5xx, timeout or connection error
    backoff: float = 1.0             # first wait before a retry; doubles each time
    interval: float = 0.0            # least seconds between two requests of one client (politeness)
    allow_private: bool = False      # loopback, private and link-local addresses (tests, intranets)
    user_agent: str = DEFAULT_USER_AGENT
    max_redirects: int = 10


class HttpError(IngestError):
    """A request that could not be completed; the message names the (redacted) URL."""


class BlockedAddress(HttpError):
    """The URL or a redirect points somewhere this client does not go."""


class TooLarge(HttpError):
    pass


class DeadlineExceeded(HttpError):
    pass


class StatusError(HttpError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class ConnectionFailed(HttpError):
    """Timeouts or connection errors on every attempt."""


class NotADocument(HttpError):
    """The bytes are neither a PDF nor a DOCX, whatever the URL says."""


@dataclass(frozen=True)
class Download:
    url: str                         # the final URL after redirects, redacted
    path: Path | None                # None when the server said "not modified"
    media_type: str | None = None
    sha256: str | None = None
    size: int = 0
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.path is None


def redact(url: str) -> str:
    """The URL without ``user:password@``, for storage and logs.

    >>> redact("https://ann:s3cret@example.org:8443/a.pdf?x=1")
    'https://example.org:8443/a.pdf?x=1'
    >>> redact("https://example.org/a.pdf")
    'https://example.org/a.pdf'
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def check_url(url: str, allow_private: bool = False) -> None:
    """Refuse a URL this client must not fetch: a scheme other than http(s), or (unless
    ``allow_private``) a host that is or resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedAddress(f"refused {redact(url)}: only http and https URLs are fetched")
    if not parts.hostname:
        raise BlockedAddress(f"refused {redact(url)}: no host name")
    if allow_private:
        return
    for address in _resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)):
        if not _is_public(address):
            raise BlockedAddress(f"refused {redact(url)}: {parts.hostname} is a private, loopback or reserved "
                                 f"address ({address}); pass --allow-private-urls to allow it")


def _resolve(host: str, port: int) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})
    except socket.gaierror as exc:
        raise ConnectionFailed(f"cannot resolve {host}: {exc.strerror}") from exc


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def sniff_media_type(path: Path) -> str | None:
    """PDF or DOCX from the file's own bytes; None for anything else."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if PDF_MAGIC in head:       # the PDF spec allows junk before the header
        return PDF_MEDIA_TYPE
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX_MEDIA_TYPE
        except zipfile.BadZipFile:
            return None
    return None


def remove_partials(folder: Path) -> int:
    """Delete temporaries a killed download left in ``folder`` and below; returns how many."""
    stale = list(Path(folder).rglob(f".*{PARTIAL_SUFFIX}"))
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


class _Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def timeout(self, per_read: float) -> httpx.Timeout:
        return httpx.Timeout(max(0.01, min(per_read, self.remaining())))


class HttpClient:
    """One connection pool with one set of settings; use as a context manager."""

    def __init__(self, settings: HttpSettings | None = None):
        self.settings = settings or HttpSettings()
        self._last_request = 0.0
        self._client = httpx.Client(
            # identity: a trickle of compressed bytes could hide from the deadline check
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": "identity"},
            follow_redirects=True,
            max_redirects=self.settings.max_redirects,
            event_hooks={"request": [self._guard]})

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get_bytes(self, url: str, headers: dict[str, str] | None = None) -> bytes:
        """The body of a GET, within the size limit (for small answers such as XML)."""
        def consume(response: httpx.Response, deadline: _Deadline) -> bytes:
            body = bytearray()
            self._read(response, url, deadline, body.extend)
            return bytes(body)
        return self._with_retries(url, headers or {}, consume)

    def download(self, url: str, folder: Path, stem: str, etag: str | None = None,
                 last_modified: str | None = None) -> Download:
        """Stream ``url`` into ``folder/stem.pdf`` or ``.docx`` (by its bytes). With an ETag or
        Last-Modified from an earlier fetch, a "not modified" answer downloads nothing."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        def consume(response: httpx.Response, deadline: _Deadline) -> Download:
            found = dict(url=redact(str(response.url)), etag=response.headers.get("ETag"),
                         last_modified=response.headers.get("Last-Modified"))
            if response.status_code == 304:
                return Download(path=None, **{**found, "etag": found["etag"] or etag,
                                   "last_modified": found["last_modified"] or last_modified})
            path, media_type, digest, size = self._save(response, url, deadline, Path(folder), stem)
            return Download(path=path, media_type=media_type, sha256=digest, size=size, **found)
        return self._with_retries(url, headers, consume)

    def _guard(self, request: httpx.Request) -> None:
        # runs before the first request and before every redirect
        check_url(str(request.url), self.settings.allow_private)

    def _pace(self) -> None:
        wait = self._last_request + self.settings.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request = time.monotonic()

    def _with_retries(self, url: str, headers: dict[str, str], consume: Callable):
        s = self.settings
        deadline = _Deadline(s.deadline)
        failure: HttpError | None = None
        tries, asked_to_wait = 0, 0.0
        for attempt in range(s.retries + 1):
            if attempt:
                wait = max(s.backoff * 2 ** (attempt - 1), asked_to_wait)
                if wait >= deadline.remaining():
                    break
                time.sleep(wait)
            self._pace()
            tries += 1
            last_chance = deadline.remaining() <= s.timeout
            try:
                with self._client.stream("GET", url, headers=headers, timeout=deadline.timeout(s.timeout)) as response:
                    if response.status_code in RETRY_STATUSES:
                        failure = _status_error(url, response)
                        asked_to_wait = _retry_after(response)
                        continue
                    if response.status_code >= 400:
                        raise _status_error(url, response)
                    return consume(response, deadline)
            except httpx.TimeoutException:
                if last_chance:
                    raise DeadlineExceeded(f"gave up on {redact(url)} after {s.deadline:g} s") from None
                failure = ConnectionFailed(f"timed out fetching {redact(url)} (no answer within {s.timeout:g} s)")
            except httpx.TooManyRedirects:
                raise HttpError(f"more than {s.max_redirects} redirects from {redact(url)}") from None
            except httpx.TransportError as exc:
                failure = ConnectionFailed(f"could not fetch {redact(url)}: {_transport_reason(exc)}")
        failure.args = (f"{failure} ({tries} attempt{'s' if tries > 1 else ''})",)
        raise failure

    def _read(self, response: httpx.Response, url: str, deadline: _Deadline, sink: Callable[[bytes], object]) -> int:
        limit = self.settings.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(f"{redact(url)} is {_mib(int(declared))}, over the {_mib(limit)} limit")
        total = 0
        for chunk in response.iter_bytes():    # as it arrives, so the deadline is checked per read
            total += len(chunk)
            if total > limit:
                raise TooLarge(f"{redact(url)} is larger than the {_mib(limit)} limit")
            if deadline.remaining() <= 0:
                raise DeadlineExceeded(f"gave up on {redact(url)} after {self.settings.deadline:g} s "
                                       f"({_mib(total)} received)")
            sink(chunk)
        return total

    def _save(self, response: httpx.Response, url: str, deadline: _Deadline, folder: Path, stem: str):
        handle, partial = tempfile.mkstemp(dir=folder, prefix=f".{stem}.", suffix=PARTIAL_SUFFIX)
        partial = Path(partial)
        digest = hashlib.sha256()
        try:
            with os.fdopen(handle, "wb") as out:
                size = self._read(response, url, deadline, lambda chunk: (digest.update(chunk), out.write(chunk)))
            media_type = sniff_media_type(partial)
            if media_type is None:
                with open(partial, "rb") as head:
                    raise NotADocument(f"{redact(url)} is not a PDF or DOCX (starts with {_describe(head.read(1024).lstrip())})")
            target = folder / f"{stem}{SUFFIXES[media_type]}"
            os.replace(partial, target)
            return target, media_type, digest.hexdigest(), size
        finally:
            partial.unlink(missing_ok=True)


def download(url: str, folder: Path, stem: str, settings: HttpSettings | None = None, **conditional) -> Download:
    """One download with its own client (a worker fetching a URL input)."""
    with HttpClient(settings) as client:
        return client.download(url, folder, stem, **conditional)


def _status_error(url: str, response: httpx.Response) -> StatusError:
    return StatusError(f"{redact(url)} answered HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                       response.status_code)


def _retry_after(response: httpx.Response) -> float:
    """Seconds a 429 or 503 asks the client to wait (a number or an HTTP date); 0 if it does not say."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _transport_reason(exc: httpx.TransportError) -> str:
    cause = exc.__cause__ or exc.__context__
    text = str(exc) or str(cause) or type(exc).__name__
    return text.split("] ", 1)[-1]     # drop "[Errno 111] " style prefixes


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"
