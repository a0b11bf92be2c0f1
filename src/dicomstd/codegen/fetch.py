"""Download parts of the DICOM standard into the cache, check them, and pin them.

``python -m dicomstd.codegen fetch --edition EDITION [--parts 05,06] [--base-url URL] [--pin]``

Each part comes from ``<base-url>/<edition>/source/docbook/partNN/partNN.xml`` and lands in
``standard/cache/<edition>/partNN.xml``. A download is written to a temporary file in the cache
and moved into place only when it is complete, well-formed DocBook of the expected part and
edition, and (when that edition of the part is pinned) has the pinned SHA-256: an interrupted or
refused download leaves nothing behind.

A part that is already available where generation looks for it (``$DICOMSTD_STANDARD_DIR``, then
the cache) is not downloaded again when it is verified: it has the pinned SHA-256, or, for an
edition not pinned, it is well-formed DocBook of that part and edition. ``current`` is the
edition the server calls current; it is always downloaded (that is how its name is learnt: the
document's subtitle) and cached under that name. ``--pin`` records edition, URL and SHA-256 of
every fetched part in ``standard/editions.toml`` and keeps the pins of other parts.

A download is bounded in time and size: it fails when ``--timeout`` seconds pass without a byte,
or with less than :data:`MIN_RATE` bytes a second (a server that sends a byte now and then), or
after ``--deadline`` seconds in all, retries included (the connection is shut down: no read can
hold it); and when its body is larger than ``--max-size`` MiB after decompression, or a
compressed body grows more than :data:`MAX_RATIO` times. Temporary files of downloads
(``.partNN-<pid>-….xml.tmp`` in the cache) are removed on failure, and those of killed runs by
the next fetch. A cache or editions file that cannot be written is a usage error (exit status 2)
naming it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, NoReturn, TypeGuard

import attrs

from dicomstd.codegen import inputs, output
from dicomstd.codegen.diagnostics import InputError
from dicomstd.codegen.docbook import sha256_of
from dicomstd.codegen.output import OutputError

if TYPE_CHECKING:
    import requests
    from tqdm import tqdm

CURRENT = "current"
EDITION = re.compile(r"^\d{4}[a-z]?$")
CHUNK = 1 << 16
RETRY_STATUSES = (429, 500, 502, 503, 504)
MIB = 1 << 20
MAX_RATIO = 100
MIN_RATE = 1024
"""Bytes per second a download must at least get, over each ``--timeout`` seconds."""
"""How many times its size on the wire a compressed body may grow (the standard's XML parts
compress 6-30 times; a decompression bomb about 1,000)."""
_TEMPORARY = re.compile(r"^\.part\d\d-(\d+)-.*\.xml\.tmp$")


@attrs.frozen
class HttpSettings:
    """Timeouts (seconds) and retries of every request; tests make them small."""

    connect_timeout: float = 15.0
    read_timeout: float = 60.0
    retries: int = 3
    """Further attempts after a connection error, an HTTP 429/5xx or a download cut short."""
    backoff: float = 1.0
    """Back-off factor: the waits between attempts are ``backoff * 2 ** (attempt - 1)``."""
    deadline: float = 1800.0
    """Seconds one part's download may take in all, its retries included."""
    max_size: int = 1024 * MIB
    """Bytes of one part's body at most, after decompression."""


@attrs.frozen
class Fetched:
    """One part that is in place and verified."""

    part: int
    edition: str
    url: str
    """The edition's own URL of the part (what a pin records, also for ``current``)."""
    path: Path
    sha256: str
    action: Literal["downloaded", "cached", "available"]
    """``downloaded`` now, already in the ``cached`` folder, or ``available`` elsewhere."""


class _BrokenDownload(Exception):
    """The body of a response stopped before its end (worth another attempt)."""


def parse_parts(text: str) -> tuple[int, ...]:
    """``03,04,5`` -> (3, 4, 5)."""
    numbers: set[int] = set()
    for item in text.split(","):
        item = item.strip()
        if not item.isdigit() or not 1 <= int(item) <= 99:
            raise ValueError(f"--parts takes part numbers separated by commas, got {text!r}")
        numbers.add(int(item))
    return tuple(sorted(numbers))


def check_edition(text: str) -> str:
    if text != CURRENT and not EDITION.match(text):
        raise ValueError(f"--edition takes an edition like 2025b or 'current', got {text!r}")
    return text


def generator_parts() -> tuple[int, ...]:
    """The parts a generation reads (those with a parser)."""
    from dicomstd.codegen import pipeline

    return tuple(sorted(pipeline.parsers()))


def _within(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _pin_for(pins: dict[int, inputs.Pin], part: int, edition: str) -> inputs.Pin | None:
    pin = pins.get(part)
    return pin if pin is not None and pin.edition == edition else None


# -- checking a file -----------------------------------------------------------------------------
def document_edition(path: Path, part: int, *, where: str) -> str:
    """Load ``path`` as DocBook of PS3.``part``; return its edition. Errors name ``where``."""
    from dicomstd.codegen import docbook

    try:
        return docbook.load(path, expect_part=part).edition
    except InputError as error:
        raise InputError(where, error.message) from None


def _existing_is_usable(
    path: Path, part: int, edition: str, pin: inputs.Pin | None, *, in_cache: bool
) -> bool:
    """Whether an existing file can be used as is. A bad file outside the cache is an error."""
    if pin is not None:
        if sha256_of(path) == pin.sha256:
            return True
        if not in_cache:
            inputs.verify(path, pin)  # raises the mismatch error naming both hashes
        where = inputs.display(path)
        _note(f"PS3.{part} {edition}: {where} is not the pinned file; downloading again")
        return False
    try:
        found = document_edition(path, part, where=str(path))
    except InputError as error:
        if not in_cache:
            raise
        _note(f"PS3.{part} {edition}: {error}; downloading again")
        return False
    if found != edition:
        message = f"expected PS3.{part} {edition} but the document is edition {found}"
        if not in_cache:
            raise InputError(str(path), message)
        _note(f"PS3.{part} {edition}: {inputs.display(path)}: {message}; downloading again")
        return False
    return True


def _note(message: str) -> None:
    print(message, file=sys.stderr)


# -- HTTP ----------------------------------------------------------------------------------------
def make_session(settings: HttpSettings) -> requests.Session:
    """A session that retries connection errors and HTTP 429/5xx with exponential back-off."""
    import requests
    from urllib3.util.retry import Retry

    retry = Retry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        other=0,
        backoff_factor=settings.backoff,
        backoff_max=60.0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
        respect_retry_after_header=False,
    )
    session = requests.Session()
    adapter = _watched_adapter()(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = f"dicomstd-codegen-fetch python-requests/{requests.__version__}"
    return session


# A download's limits in time are kept by shutting down the sockets it reads from: a read blocked
# in the middle of a line of headers or of a body (each byte arriving within the read timeout)
# then returns at once. The connections of the session register their socket with the watchdog
# of the download running in their thread.
_ACTIVE = threading.local()


class Watchdog:
    """The time limits of one download, kept by a thread that shuts its sockets down.

    * the deadline: ``deadline`` seconds for the whole download, retries included;
    * a stall: an attempt that receives fewer than ``MIN_RATE * window`` bytes in a window of
      ``window`` seconds (the first window of an attempt, which includes connecting and the
      headers, is twice as long). A server that sends a byte now and then is a stalled one.
    """

    def __init__(self, deadline: float, window: float) -> None:
        self.deadline = deadline
        self.window = window
        self.reason: str | None = None
        self._end = time.monotonic() + deadline
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._active = False
        self._received = 0
        self._window_start = 0.0
        self._window_bytes = 0
        self._thread = threading.Thread(target=self._run, name="fetch-watchdog", daemon=True)

    @property
    def expired(self) -> bool:
        return self.reason is not None

    def __enter__(self) -> Watchdog:
        _ACTIVE.watchdog = self
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        with self._lock:
            self._sockets.clear()
        _ACTIVE.watchdog = None
        self._thread.join()

    @contextlib.contextmanager
    def attempt(self) -> Iterator[None]:
        """Watch for a stall while the block runs (not during the waits between attempts)."""
        with self._lock:
            self._active = True
            self._window_start = time.monotonic() + self.window  # the first window is longer
            self._window_bytes = self._received
        try:
            yield
        finally:
            with self._lock:
                self._active = False
                self._sockets.clear()

    def received(self, count: int) -> None:
        self._received += count

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            if self.expired:
                _shut_down(sock)
            else:
                self._sockets.append(sock)

    def _run(self) -> None:
        poll = min(0.25, self.window / 4)
        while not self._stop.wait(poll):
            now = time.monotonic()
            with self._lock:
                if now >= self._end:
                    self._expire(
                        f"not complete after {self.deadline:g} seconds "
                        "(the deadline; --deadline gives more)"
                    )
                    return
                if not self._active or now - self._window_start < self.window:
                    continue
                if self._received - self._window_bytes < MIN_RATE * self.window:
                    self._expire(
                        f"stalled: less than {int(MIN_RATE * self.window):,} bytes in "
                        f"{self.window:g} seconds (--timeout waits longer)"
                    )
                    return
                self._window_start, self._window_bytes = now, self._received

    def _expire(self, reason: str) -> None:
        self.reason = reason
        for sock in self._sockets:
            _shut_down(sock)

    def check(self, url: str) -> None:
        """InputError when a limit is passed."""
        if self.reason is not None:
            raise InputError(url, f"download failed: {self.reason}")


def _shut_down(sock: socket.socket) -> None:
    # socket.socket's own shutdown: an SSLSocket's would drop its TLS state under a running read
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watch(sock: object) -> None:
    watchdog: Watchdog | None = getattr(_ACTIVE, "watchdog", None)
    if watchdog is not None and isinstance(sock, socket.socket):
        watchdog.watch(sock)


@functools.cache
def _watched_adapter() -> type[Any]:
    """An HTTPAdapter whose connections register their sockets with the running watchdog."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class WatchedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            _watch(sock)
            return sock

        def getresponse(self) -> Any:
            _watch(self.sock)  # a kept-alive connection, or the TLS socket
            return super().getresponse()

    class WatchedHTTPSConnection(WatchedHTTPConnection, HTTPSConnection):
        """HTTPS through the same watched methods (HTTPSConnection extends HTTPConnection)."""

    class WatchedHTTPPool(HTTPConnectionPool):
        ConnectionCls = WatchedHTTPConnection

    class WatchedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = WatchedHTTPSConnection

    class WatchedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {
                "http": WatchedHTTPPool,
                "https": WatchedHTTPSPool,
            }

    return WatchedAdapter


def _reason(error: BaseException) -> str:
    """A short, readable reason for a failed request."""
    import requests

    if isinstance(error, requests.exceptions.ConnectTimeout):
        return "timed out while connecting"
    if isinstance(error, requests.exceptions.ReadTimeout):
        return "timed out waiting for data"
    if isinstance(error, requests.exceptions.SSLError):
        return f"TLS error: {_innermost(error)}"
    if isinstance(error, requests.exceptions.ConnectionError):
        return f"cannot connect: {_innermost(error)}"
    return str(error) or type(error).__name__


def _innermost(error: BaseException) -> str:
    """The root cause of a urllib3/requests error chain, without object reprs."""
    cause: BaseException = error
    for _ in range(6):
        reason = getattr(cause, "reason", None)
        if isinstance(reason, BaseException) and reason is not cause:
            cause = reason
        elif cause.args and isinstance(cause.args[0], BaseException):
            cause = cause.args[0]
        else:
            break
    text = cause.args[0] if cause.args and isinstance(cause.args[0], str) else str(cause)
    text = re.sub(r"^<[^>]*>:\s*", "", text)  # "<urllib3...Connection object at 0x..>: "
    text = re.sub(r"^\w*Connection(Pool)?\([^)]*\):\s*", "", text)  # "HTTPSConnection(host=…): "
    text = re.sub(r"\s*\(Caused by [^)]*\)+$", "", text).strip()
    return text or type(cause).__name__


def download(
    session: requests.Session,
    url: str,
    folder: Path,
    part: int,
    settings: HttpSettings,
    *,
    label: str,
) -> tuple[Path, str]:
    """Download ``url`` into a new temporary file in ``folder``; return (path, SHA-256).

    Retries (with back-off) a body cut short; connection errors and HTTP 429/5xx are retried by
    the session; all within ``settings.deadline``. On failure the temporary file is gone and
    InputError names the URL and why; OutputError when ``folder`` cannot be written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            prefix=f".part{part:02d}-{os.getpid()}-", suffix=".xml.tmp", dir=folder
        )
    except OSError as error:
        raise OutputError(
            str(folder), f"cannot write the download cache: {error.strerror or error}"
        ) from None
    temp = Path(name)
    try:
        watchdog = Watchdog(settings.deadline, settings.read_timeout)
        with os.fdopen(handle, "wb") as out, watchdog:
            for attempt in range(settings.retries + 1):
                if attempt:
                    time.sleep(settings.backoff * 2 ** (attempt - 1))
                watchdog.check(url)
                try:
                    with watchdog.attempt():
                        digest = _attempt(session, url, out, settings, label, watchdog)
                except InputError:
                    watchdog.check(url)  # a reply cut short by the watchdog says so
                    raise
                except _BrokenDownload as error:
                    watchdog.check(url)
                    if attempt == settings.retries:
                        raise InputError(url, f"download failed: {error}") from None
                    _note(f"{label}: {error}; trying again")
                    continue
                out.flush()
                os.fsync(out.fileno())
                return temp, digest
        raise AssertionError("unreachable")  # pragma: no cover
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if _writing_error(error):  # a full disk ...
            raise OutputError(
                str(temp), f"cannot write the download: {error.strerror or error}"
            ) from None
        raise


def _writing_error(error: BaseException) -> TypeGuard[OSError]:
    """An OSError of our own file operations (requests' errors are OSErrors too)."""
    import requests

    return isinstance(error, OSError) and not isinstance(
        error, requests.exceptions.RequestException
    )


def _attempt(
    session: requests.Session,
    url: str,
    out: BinaryIO,
    settings: HttpSettings,
    label: str,
    watchdog: Watchdog,
) -> str:
    """One GET of ``url`` streamed into ``out`` (emptied first); return the body's SHA-256."""
    import hashlib

    import requests
    from urllib3.exceptions import HTTPError as Urllib3Error

    read_errors = (OSError, ValueError, Urllib3Error)  # requests' are OSErrors
    out.seek(0)
    out.truncate()
    digest = hashlib.sha256()
    try:
        with session.get(
            url, stream=True, timeout=(settings.connect_timeout, settings.read_timeout)
        ) as response:
            if response.status_code != 200:
                status = f"HTTP {response.status_code} {response.reason or ''}".strip()
                raise InputError(url, f"download failed: {status}")
            length = _content_length(response)
            encoded = length is None and _encoded(response)
            next_chunk = _reader(response)
            with _progress(length, label) as bar:
                while True:
                    try:
                        chunk = next_chunk()
                    except read_errors as error:
                        watchdog.check(url)
                        raise _BrokenDownload(
                            _broken(out.tell(), length, _innermost(error))
                        ) from None
                    if not chunk:
                        break
                    watchdog.received(len(chunk))
                    out.write(chunk)
                    digest.update(chunk)
                    bar.update(len(chunk))
                    _check_size(url, out.tell(), response, encoded, settings)
                    watchdog.check(url)
    except requests.exceptions.RequestException as error:
        watchdog.check(url)
        raise InputError(url, f"download failed: {_reason(error)}") from None
    watchdog.check(url)
    size = out.tell()
    if length is not None and size != length:
        raise _BrokenDownload(_broken(size, length, "the body ended early"))
    if size == 0:
        raise InputError(url, "download failed: the server sent an empty body")
    return digest.hexdigest()


def _reader(response: requests.Response) -> Callable[[], bytes]:
    """A function giving the next piece of the (decoded) body, b"" at its end: what one read
    from the socket gives (urllib3 >= 2.1), so that a slow body still counts as progress."""
    raw = response.raw
    read1 = getattr(raw, "read1", None)
    if read1 is not None:
        return functools.partial(read1, CHUNK, decode_content=True)
    chunks = response.iter_content(4096)
    return lambda: next(chunks, b"")


def _encoded(response: requests.Response) -> bool:
    return response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")


def _check_size(
    url: str, size: int, response: requests.Response, encoded: bool, settings: HttpSettings
) -> None:
    """InputError when the body written so far is past ``settings.max_size``, or a compressed
    body grew more than :data:`MAX_RATIO` times its bytes on the wire."""
    if size > settings.max_size:
        raise InputError(
            url,
            f"download failed: the body is larger than {settings.max_size / MIB:g} MiB "
            "(--max-size allows more)",
        )
    if encoded:
        wire = int(response.raw.tell())
        if size > MAX_RATIO * wire + CHUNK:
            raise InputError(
                url,
                f"download failed: {wire:,} compressed bytes gave more than {size:,} bytes, "
                f"over {MAX_RATIO} times their size: refused as a decompression bomb",
            )


def _progress(length: int | None, label: str) -> tqdm[NoReturn]:
    """A byte progress bar on stderr, shown only when stderr is a terminal."""
    from tqdm import tqdm

    return tqdm(
        total=length,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=label,
        disable=not sys.stderr.isatty(),
        leave=False,
        file=sys.stderr,
    )


def _content_length(response: requests.Response) -> int | None:
    """The body's length when the bytes on the wire are the file's bytes, else None."""
    if response.headers.get("Content-Encoding", "identity").lower() != "identity":
        return None
    text = response.headers.get("Content-Length", "")
    return int(text) if text.isdigit() else None


def _broken(received: int, length: int | None, reason: str) -> str:
    total = f" of {length}" if length is not None else ""
    return f"the connection broke after {received}{total} bytes ({reason})"


# -- fetching ------------------------------------------------------------------------------------
@attrs.frozen
class Fetcher:
    base_url: str
    cache: Path
    pins: dict[int, inputs.Pin]
    settings: HttpSettings
    repin: bool
    """Whether the fetched parts are about to be pinned (a changed file is then accepted)."""
    session_factory: Callable[[HttpSettings], requests.Session] = make_session
    _sessions: list[requests.Session] = attrs.field(factory=list, init=False)

    def session(self) -> requests.Session:
        if not self._sessions:
            self._sessions.append(self.session_factory(self.settings))
        return self._sessions[0]

    def close(self) -> None:
        for session in self._sessions:
            session.close()

    def fetch(self, edition: str, part: int) -> Fetched:
        if edition != CURRENT:
            existing = inputs.locate(edition, part, self.cache)
            if existing is not None:
                in_cache = _within(existing, self.cache)
                pin = _pin_for(self.pins, part, edition)
                if _existing_is_usable(existing, part, edition, pin, in_cache=in_cache):
                    return Fetched(
                        part,
                        edition,
                        inputs.part_url(edition, part, self.base_url),
                        existing,
                        pin.sha256 if pin is not None else sha256_of(existing),
                        "cached" if in_cache else "available",
                    )
        url = inputs.part_url(edition, part, self.base_url)
        label = f"PS3.{part} {edition}"
        temp, digest = download(self.session(), url, self.cache, part, self.settings, label=label)
        try:
            return self._place(temp, digest, edition, part, url)
        finally:
            temp.unlink(missing_ok=True)

    def _place(self, temp: Path, digest: str, edition: str, part: int, url: str) -> Fetched:
        """Check a complete download and move it into ``cache/<edition>/``."""
        try:
            found = document_edition(temp, part, where=url)
        except InputError as error:
            raise InputError(url, f"the download is unusable: {error.message}") from None
        if edition != CURRENT and found != edition:
            raise InputError(url, f"expected PS3.{part} {edition} but the document is {found}")
        edition_url = inputs.part_url(found, part, self.base_url)
        pin = _pin_for(self.pins, part, found)
        if pin is not None and pin.sha256 != digest:
            if not self.repin:
                raise InputError(
                    url,
                    f"SHA-256 mismatch for pinned PS3.{part} {found}: pinned {pin.sha256}, "
                    f"download has {digest}; fetch with --pin to pin the new file",
                )
            _note(f"PS3.{part} {found}: the published file changed since it was pinned")
        target = self.cache / found / f"part{part:02d}.xml"
        located = inputs.locate(found, part, self.cache)
        if located is not None and not _within(located, self.cache):
            theirs = sha256_of(located)
            if theirs != digest:
                raise InputError(
                    url,
                    f"the download (sha256 {digest}) differs from {located} (sha256 {theirs}), "
                    "which generation reads first",
                )
            return Fetched(part, found, edition_url, located, digest, "available")
        if target.is_file() and sha256_of(target) == digest:
            return Fetched(part, found, edition_url, target, digest, "cached")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
        except OSError as error:
            raise OutputError(
                str(target), f"cannot write the download cache: {error.strerror or error}"
            ) from None
        return Fetched(part, found, edition_url, target, digest, "downloaded")


def fetch(
    edition: str,
    parts: Iterable[int],
    *,
    base_url: str = inputs.DEFAULT_BASE_URL,
    cache: Path | None = None,
    pins: dict[int, inputs.Pin] | None = None,
    settings: HttpSettings | None = None,
    repin: bool = False,
) -> list[Fetched]:
    """Make every part of ``edition`` available and verified; raise InputError on the first
    part that cannot be (parts fetched before it stay, complete and verified, in the cache)."""
    fetcher = Fetcher(
        base_url,
        inputs.CACHE if cache is None else cache,
        pins or {},
        settings or HttpSettings(),
        repin,
    )
    remove_stale_temporaries(fetcher.cache)
    done: list[Fetched] = []
    try:
        for part in parts:
            fetched = fetcher.fetch(edition, part)
            _note(_describe(fetched))
            done.append(fetched)
    finally:
        fetcher.close()
    return done


def remove_stale_temporaries(cache: Path) -> list[Path]:
    """Remove the temporary files of downloads whose process is gone (killed runs); return
    them. Those of running downloads (another fetch into the same cache) stay."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(cache))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or output.process_alive(int(match.group(1))):
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
            _note(f"removed {entry.path}, left by a stopped download")
    return removed


def _describe(fetched: Fetched) -> str:
    where = inputs.display(fetched.path)
    head = f"PS3.{fetched.part} {fetched.edition}"
    if fetched.action == "downloaded":
        return f"{head}: downloaded {fetched.url} into {where} (sha256 {fetched.sha256})"
    if fetched.action == "cached":
        return f"{head}: already in {where}, verified (sha256 {fetched.sha256})"
    return f"{head}: already available at {where}, verified (sha256 {fetched.sha256})"


def pin(fetched: Iterable[Fetched], editions_file: Path) -> dict[int, inputs.Pin]:
    """Record the fetched parts in the editions file, keeping the pins of other parts."""
    pins = inputs.read_pins(editions_file) if editions_file.is_file() else {}
    for item in fetched:
        pins[item.part] = inputs.Pin(item.part, item.edition, item.url, item.sha256)
    try:
        editions_file.parent.mkdir(parents=True, exist_ok=True)
        inputs.write_pins(pins, editions_file)
    except OSError as error:
        raise OutputError(
            str(editions_file), f"cannot write the editions file: {error.strerror or error}"
        ) from None
    return pins


def check_editions_file(path: Path) -> None:
    """OutputError unless ``path`` can be written as the editions file (checked before any
    download: a refusal costs nothing)."""
    if path.is_dir():
        raise OutputError(str(path), "--editions-file is a folder; give a file name")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(str(path), "cannot write the editions file: permission denied")
    output.check_writable_folder(path.parent, "--editions-file")


# -- command line --------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--edition",
        required=True,
        help="edition to fetch, like 2025b, or 'current' (the edition the server calls current)",
    )
    parser.add_argument(
        "--parts",
        metavar="NN,NN",
        help="parts to fetch, like 03,04,05,06 (default: the parts the generator reads)",
    )
    parser.add_argument(
        "--base-url",
        default=inputs.DEFAULT_BASE_URL,
        metavar="URL",
        help=f"where the editions are published (default {inputs.DEFAULT_BASE_URL})",
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="record edition, URL and SHA-256 of the fetched parts in the editions file",
    )
    parser.add_argument(
        "--cache",
        metavar="DIR",
        help=f"download cache (default {inputs.display(inputs.CACHE)})",
    )
    parser.add_argument(
        "--editions-file",
        metavar="PATH",
        help=f"pinned editions file (default {inputs.display(inputs.EDITIONS_FILE)})",
    )
    defaults = HttpSettings()
    parser.add_argument(
        "--timeout",
        type=float,
        default=defaults.read_timeout,
        metavar="SECONDS",
        help="give up when the server sends nothing for this long "
        f"(default {defaults.read_timeout:g})",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=defaults.retries,
        metavar="N",
        help=f"further attempts after a failed request (default {defaults.retries})",
    )
    parser.add_argument(
        "--backoff",
        type=float,
        default=defaults.backoff,
        metavar="SECONDS",
        help=f"back-off factor between attempts (default {defaults.backoff:g})",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=defaults.deadline,
        metavar="SECONDS",
        help="give up on a part whose download, retries included, takes longer "
        f"(default {defaults.deadline:g})",
    )
    parser.add_argument(
        "--max-size",
        type=float,
        default=defaults.max_size / MIB,
        metavar="MIB",
        help="give up on a part larger than this, after decompression "
        f"(default {defaults.max_size / MIB:g})",
    )


def run(args: argparse.Namespace) -> int:
    edition = check_edition(args.edition)
    parts = parse_parts(args.parts) if args.parts else generator_parts()
    if args.retries < 0 or args.backoff < 0:
        raise ValueError("--retries and --backoff take non-negative numbers")
    if min(args.timeout, args.deadline, args.max_size) <= 0:
        raise ValueError("--timeout, --deadline and --max-size take positive numbers")
    editions_file = Path(args.editions_file) if args.editions_file else inputs.EDITIONS_FILE
    cache = Path(args.cache) if args.cache else inputs.CACHE
    if args.pin:
        unread = sorted(set(parts) - set(generator_parts()))
        if unread:
            names = ", ".join(f"PS3.{n}" for n in unread)
            raise InputError(
                str(editions_file),
                f"not pinning {names}: the generator does not read it, so a generation with it "
                "pinned would fail; fetch it without --pin",
            )
        check_editions_file(editions_file)
    try:
        pins = inputs.read_pins(editions_file) if editions_file.is_file() else {}
    except OSError as error:
        raise InputError(str(editions_file), f"cannot read: {error.strerror or error}") from None
    settings = HttpSettings(
        connect_timeout=min(HttpSettings().connect_timeout, args.timeout),
        read_timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
        deadline=args.deadline,
        max_size=int(args.max_size * MIB),
    )
    fetched = fetch(
        edition,
        parts,
        base_url=args.base_url,
        cache=cache,
        pins=pins,
        settings=settings,
        repin=args.pin,
    )
    if args.pin:
        pin(fetched, editions_file)
        names = ", ".join(f"PS3.{f.part} {f.edition}" for f in fetched)
        _note(f"pinned {names} in {inputs.display(editions_file)}")
    return 0


__all__ = ["Fetched", "HttpSettings", "add_arguments", "download", "fetch", "pin", "run"]
