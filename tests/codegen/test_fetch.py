"""``python -m dicomstd.codegen fetch`` against a real HTTP server on 127.0.0.1 in this process.

The server serves the standard's XML from the standard folder under the published URL layout
(``/<edition>/source/docbook/partNN/partNN.xml``), and misbehaves on request: drops the
connection mid-file, answers 404 or 503, serves a body that is not XML, or another part.
Every test works in its own cache and editions file; the project's own are never touched.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import attrs
import pytest

from dicomstd.codegen import fetch, inputs
from dicomstd.codegen.__main__ import main
from tests.codegen.support import environment
from tests.conftest import require_part

_PATH = re.compile(r"/([^/]+)/source/docbook/part(\d\d)/part\2\.xml")


def url_path(edition: str, part: int) -> str:
    return f"/{edition}/source/docbook/part{part:02d}/part{part:02d}.xml"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class StandardServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.current = "2015b"
        self.behaviours: dict[str, str] = {}
        """URL path -> drop | 404 | 503-once | 503 | not-xml | part06 | edition-2013 | gzip."""
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: StandardServer

    def do_GET(self) -> None:
        server = self.server
        with server.lock:
            server.hits[self.path] += 1
            count = server.hits[self.path]
        behaviour = server.behaviours.get(self.path, "file")
        match = _PATH.fullmatch(self.path)
        if match is None or behaviour == "404":
            self.send_error(404)
            return
        if behaviour == "503" or (behaviour == "503-once" and count == 1):
            self.send_error(503)
            return
        edition = server.current if match.group(1) == "current" else match.group(1)
        name = f"part{match.group(2)}.xml"
        if behaviour == "part06":
            name = "part06.xml"
        if behaviour == "edition-2015b":
            edition = "2015b"
        source = server.root / edition / name
        if not source.is_file():
            self.send_error(404)
            return
        body = source.read_bytes()
        if behaviour == "not-xml":
            body = b"Service moved. Please try again later.\n"
        self.send_response(200)
        if behaviour == "gzip":
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if behaviour == "drop":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(standard_dir: Path) -> Iterator[StandardServer]:
    require_part("2015b", 5)
    require_part("2015b", 6)
    instance = StandardServer(standard_dir)
    thread = threading.Thread(target=instance.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield instance
    finally:
        instance.shutdown()
        instance.server_close()
        thread.join()


@attrs.define
class Workspace:
    server: StandardServer
    cache: Path
    editions: Path
    standard_dir: Path
    capsys: pytest.CaptureFixture[str]

    def fetch(self, *args: str, retries: int = 2) -> tuple[int, str]:
        """Run ``python -m dicomstd.codegen fetch`` here; return (exit code, stderr)."""
        self.capsys.readouterr()
        code = main(
            [
                "fetch",
                "--base-url",
                self.server.url,
                "--cache",
                str(self.cache),
                "--editions-file",
                str(self.editions),
                "--retries",
                str(retries),
                "--backoff",
                "0",
                "--timeout",
                "30",
                *args,
            ]
        )
        return code, self.capsys.readouterr().err

    def files(self) -> list[Path]:
        """Every file in the cache (temporary files included)."""
        return sorted(p for p in self.cache.rglob("*") if p.is_file())


@pytest.fixture
def ws(
    server: StandardServer,
    standard_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Workspace:
    # Nothing may be "already available" from the shared folder, and the project's own cache
    # and editions file are out of reach.
    monkeypatch.delenv("DICOMSTD_STANDARD_DIR", raising=False)
    monkeypatch.setattr(inputs, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(inputs, "EDITIONS_FILE", tmp_path / "editions.toml")
    return Workspace(server, tmp_path / "cache", tmp_path / "editions.toml", standard_dir, capsys)


def pinned(editions: Path) -> dict[str, dict[str, str]]:
    data = tomllib.loads(editions.read_text(encoding="utf-8"))
    parts: dict[str, dict[str, str]] = data["parts"]
    return parts


# -- success ---------------------------------------------------------------------------------------
def test_fetch_downloads_into_the_cache_and_pins(ws: Workspace) -> None:
    code, err = ws.fetch("--edition", "2015b", "--parts", "05,06", "--pin")
    assert code == 0, err
    for part in (5, 6):
        cached = ws.cache / "2015b" / f"part{part:02d}.xml"
        source = ws.standard_dir / "2015b" / f"part{part:02d}.xml"
        assert cached.read_bytes() == source.read_bytes()
        entry = pinned(ws.editions)[f"{part:02d}"]
        assert entry == {
            "edition": "2015b",
            "url": ws.server.url + url_path("2015b", part),
            "sha256": sha256(source),
        }
    assert ws.files() == [ws.cache / "2015b" / "part05.xml", ws.cache / "2015b" / "part06.xml"]
    assert "downloaded" in err and "pinned PS3.5 2015b, PS3.6 2015b" in err


def test_pin_keeps_the_pins_of_parts_not_fetched(ws: Workspace) -> None:
    other = inputs.Pin(3, "2016c", "https://example.org/part03.xml", "ab" * 32)
    inputs.write_pins({3: other}, ws.editions)
    code, err = ws.fetch("--edition", "2015b", "--parts", "05", "--pin")
    assert code == 0, err
    pins = inputs.read_pins(ws.editions)
    assert pins[3] == other
    assert pins[5].edition == "2015b"
    assert pins[5].sha256 == sha256(ws.standard_dir / "2015b" / "part05.xml")


def test_a_second_fetch_does_not_download_again(ws: Workspace) -> None:
    assert ws.fetch("--edition", "2015b", "--parts", "05")[0] == 0
    code, err = ws.fetch("--edition", "2015b", "--parts", "05")  # unpinned: well-formed is enough
    assert code == 0, err
    assert "already in" in err
    assert ws.fetch("--edition", "2015b", "--parts", "05", "--pin")[0] == 0
    code, err = ws.fetch("--edition", "2015b", "--parts", "05")  # pinned: the hash is checked
    assert code == 0, err
    assert ws.server.hits[url_path("2015b", 5)] == 1


def test_current_resolves_to_the_edition_in_the_subtitle(ws: Workspace) -> None:
    ws.server.current = "2015b"
    code, err = ws.fetch("--edition", "current", "--parts", "05", "--pin")
    assert code == 0, err
    assert ws.files() == [ws.cache / "2015b" / "part05.xml"]
    assert not (ws.cache / "current").exists()
    entry = pinned(ws.editions)["05"]
    assert entry["edition"] == "2015b"
    assert entry["url"] == ws.server.url + url_path("2015b", 5)
    assert ws.server.hits[url_path("current", 5)] == 1


def test_current_is_downloaded_again_to_learn_its_name_and_kept_once(ws: Workspace) -> None:
    assert ws.fetch("--edition", "current", "--parts", "05")[0] == 0
    code, err = ws.fetch("--edition", "current", "--parts", "05")
    assert code == 0, err
    assert "PS3.5 2015b: already in" in err
    assert ws.server.hits[url_path("current", 5)] == 2
    assert ws.files() == [ws.cache / "2015b" / "part05.xml"]


def test_a_part_available_in_the_standard_dir_is_pinned_without_download(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DICOMSTD_STANDARD_DIR", str(ws.standard_dir))
    code, err = ws.fetch("--edition", "2015b", "--parts", "05", "--pin")
    assert code == 0, err
    assert sum(ws.server.hits.values()) == 0
    assert ws.files() == []
    assert pinned(ws.editions)["05"]["sha256"] == sha256(ws.standard_dir / "2015b" / "part05.xml")
    assert "already available" in err


def test_a_transient_failure_is_retried(ws: Workspace) -> None:
    ws.server.behaviours[url_path("2015b", 5)] = "503-once"
    code, err = ws.fetch("--edition", "2015b", "--parts", "05")
    assert code == 0, err
    assert ws.server.hits[url_path("2015b", 5)] == 2
    assert ws.files() == [ws.cache / "2015b" / "part05.xml"]


# -- failures: exit 1, the URL and the reason, nothing in the cache --------------------------------
def _assert_failed(ws: Workspace, code: int, err: str, part: int, reason: str) -> None:
    url = ws.server.url + url_path("2015b", part)
    assert code == 1
    assert f"error: {url}: " in err
    assert reason in err
    assert ws.files() == []
    assert not ws.editions.exists()


def test_a_connection_dropped_mid_file_leaves_nothing(ws: Workspace) -> None:
    ws.server.behaviours[url_path("2015b", 5)] = "drop"
    code, err = ws.fetch("--edition", "2015b", "--parts", "05", "--pin", retries=1)
    _assert_failed(ws, code, err, 5, "the connection broke after")
    assert ws.server.hits[url_path("2015b", 5)] == 2  # tried again once, then gave up


def test_http_404(ws: Workspace) -> None:
    ws.server.behaviours[url_path("2015b", 5)] = "404"
    code, err = ws.fetch("--edition", "2015b", "--parts", "05", "--pin")
    _assert_failed(ws, code, err, 5, "HTTP 404")
    assert ws.server.hits[url_path("2015b", 5)] == 1  # a 404 is not retried


def test_http_503_until_the_retries_are_spent(ws: Workspace) -> None:
    ws.server.behaviours[url_path("2015b", 5)] = "503"
    code, err = ws.fetch("--edition", "2015b", "--parts", "05", "--pin", retries=2)
    _assert_failed(ws, code, err, 5, "HTTP 503")
    assert ws.server.hits[url_path("2015b", 5)] == 3


def test_a_body_that_is_not_xml(ws: Workspace) -> None:
    ws.server.behaviours[url_path("2015b", 5)] = "not-xml"
    code, err = ws.fetch("--edition", "2015b", "--parts", "05", "--pin")
    _assert_failed(ws, code, err, 5, "not well-formed XML")


def test_a_document_of_another_part(ws: Workspace) -> None:
    ws.server.behaviours[url_path("2015b", 5)] = "part06"
    code, err = ws.fetch("--edition", "2015b", "--parts", "05", "--pin")
    _assert_failed(ws, code, err, 5, "expected PS3.5 but the document is PS3.6")


@pytest.fixture
def part05_2013() -> Path:
    return require_part("2013", 5)  # before ws hides DICOMSTD_STANDARD_DIR


def test_a_document_of_another_edition(part05_2013: Path, ws: Workspace) -> None:
    path = url_path("2013", 5)
    ws.server.behaviours[path] = "edition-2015b"
    code, err = ws.fetch("--edition", "2013", "--parts", "05")
    assert code == 1
    assert f"error: {ws.server.url}{path}: expected PS3.5 2013 but the document is 2015b" in err
    assert ws.files() == []


def test_a_failure_keeps_earlier_parts_and_pins_nothing(ws: Workspace) -> None:
    ws.server.behaviours[url_path("2015b", 6)] = "404"
    code, err = ws.fetch("--edition", "2015b", "--parts", "05,06", "--pin")
    assert code == 1
    assert "HTTP 404" in err
    assert ws.files() == [ws.cache / "2015b" / "part05.xml"]  # complete and verified
    assert not ws.editions.exists()


def test_offline(ws: Workspace) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, err = ws.fetch(
        "--edition", "2015b", "--parts", "05", "--base-url", f"http://127.0.0.1:{port}", retries=0
    )
    assert code == 1
    assert f"error: http://127.0.0.1:{port}{url_path('2015b', 5)}: download failed:" in err
    assert "cannot connect" in err
    assert ws.files() == []


def test_an_interrupted_download_leaves_no_temporary_file(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Interrupt:
        def __enter__(self) -> Interrupt:
            return self

        def __exit__(self, *args: object) -> None:
            return None

        def update(self, size: int) -> None:
            raise KeyboardInterrupt

    monkeypatch.setattr(fetch, "_progress", lambda length, label: Interrupt())
    code, err = ws.fetch("--edition", "2015b", "--parts", "05", "--pin")
    assert code == 130
    assert "interrupted" in err
    assert ws.files() == []
    assert not ws.editions.exists()


# -- pins ------------------------------------------------------------------------------------------
def test_a_download_that_differs_from_the_pin(ws: Workspace) -> None:
    stale = "0" * 64
    inputs.write_pins(
        {5: inputs.Pin(5, "2015b", "https://example.org/part05.xml", stale)}, ws.editions
    )
    actual = sha256(ws.standard_dir / "2015b" / "part05.xml")
    code, err = ws.fetch("--edition", "2015b", "--parts", "05")
    assert code == 1
    assert f"pinned {stale}, download has {actual}" in err
    assert ws.files() == []
    code, err = ws.fetch("--edition", "2015b", "--parts", "05", "--pin")  # re-pinning accepts it
    assert code == 0, err
    assert inputs.read_pins(ws.editions)[5].sha256 == actual


def test_a_tampered_cached_file_is_downloaded_again(ws: Workspace) -> None:
    assert ws.fetch("--edition", "2015b", "--parts", "05", "--pin")[0] == 0
    cached = ws.cache / "2015b" / "part05.xml"
    cached.write_bytes(cached.read_bytes() + b"\n")
    code, err = ws.fetch("--edition", "2015b", "--parts", "05")
    assert code == 0, err
    assert "not the pinned file" in err
    assert sha256(cached) == sha256(ws.standard_dir / "2015b" / "part05.xml")
    assert ws.server.hits[url_path("2015b", 5)] == 2


def test_a_tampered_cached_file_fails_generation(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ws.fetch("--edition", "2015b", "--parts", "05", "--pin")[0] == 0
    cached = ws.cache / "2015b" / "part05.xml"
    pinned_hash = sha256(ws.standard_dir / "2015b" / "part05.xml")
    cached.write_bytes(
        cached.read_bytes().replace(b"Value Representation", b"Value  Representation")
    )
    tampered_hash = sha256(cached)
    assert tampered_hash != pinned_hash
    monkeypatch.setattr(inputs, "read_pins", functools.partial(inputs.read_pins, ws.editions))
    out = tmp_path / "out"
    code = main(["generate", "--out", str(out), "--quiet"])
    err = ws.capsys.readouterr().err
    assert code == 1
    assert str(cached) in err
    assert f"pinned {pinned_hash}, file has {tampered_hash}" in err
    assert not out.exists()


def test_pinning_a_part_the_generator_does_not_read_is_refused(ws: Workspace) -> None:
    code, err = ws.fetch("--edition", "2015b", "--parts", "99", "--pin")
    assert code == 1
    assert "not pinning PS3.99" in err
    assert sum(ws.server.hits.values()) == 0


@pytest.mark.parametrize("edition", ["../2015b", "2015B", "latest", ""])
def test_an_edition_that_is_not_one_is_a_usage_error(ws: Workspace, edition: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        ws.fetch("--edition", edition, "--parts", "05")
    assert stopped.value.code == 2
    assert sum(ws.server.hits.values()) == 0


def test_parse_parts() -> None:
    assert fetch.parse_parts("03,04, 5,06") == (3, 4, 5, 6)
    with pytest.raises(ValueError):
        fetch.parse_parts("03,x")


# -- bounds: a deadline, a size cap, temporary files, unwritable places ---------------------------
class HostileServer(ThreadingHTTPServer):
    """Serves one hostile response to every request: ``trickle-body``, ``trickle-headers``,
    ``gzip-bomb``, ``large`` or ``slow``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _HostileHandler)
        self.behaviour = "large"
        self.hits = 0
        self.stop = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


TRICKLE_BYTES = 40  # one every TRICKLE_PAUSE seconds: 10 s in all, far past the deadlines below
TRICKLE_PAUSE = 0.25
BOMB_MEMBER = gzip.compress(b"\0" * (1 << 20), compresslevel=9)  # 1 MiB of zeros, ~1 KiB


class _HostileHandler(BaseHTTPRequestHandler):
    server: HostileServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        server = self.server
        server.hits += 1
        if server.behaviour == "trickle-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            self._trickle()
            return
        if server.behaviour == "trickle-body":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self._trickle()
            return
        if server.behaviour == "gzip-bomb":  # 1 MiB on the wire, 1 GiB decompressed
            body = BOMB_MEMBER * 1024
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self._send(body)
            return
        if server.behaviour == "slow":  # 5 KiB a second, 8 KiB in all: slow, but no stall
            self.send_response(200)
            self.send_header("Content-Length", str(8 << 10))
            self.end_headers()
            for _ in range(16):
                self.wfile.write(b"<" * 512)
                self.wfile.flush()
                time.sleep(0.1)
            return
        body = b"<" * (3 << 20)  # 3 MiB, not compressed
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._send(body)

    def _trickle(self) -> None:
        for _ in range(TRICKLE_BYTES):
            if self.server.stop.is_set():
                break
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:  # the client shut the connection down
                break
            time.sleep(TRICKLE_PAUSE)
        self.close_connection = True

    def _send(self, body: bytes) -> None:
        with contextlib.suppress(OSError):  # the client stops reading and closes
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hostile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[HostileServer]:
    monkeypatch.delenv("DICOMSTD_STANDARD_DIR", raising=False)
    monkeypatch.setattr(inputs, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(inputs, "EDITIONS_FILE", tmp_path / "editions.toml")
    instance = HostileServer()
    thread = threading.Thread(target=instance.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield instance
    finally:
        instance.stop.set()
        instance.shutdown()
        instance.server_close()
        thread.join()


def fetch_from(
    server: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    capsys.readouterr()
    code = main(
        [
            "fetch",
            *("--edition", "2099a", "--parts", "05"),
            *("--base-url", server.url, "--backoff", "0"),
            *("--cache", str(tmp_path / "cache"), "--editions-file", str(tmp_path / "e.toml")),
            *args,
        ]
    )
    return code, capsys.readouterr().err


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "cache").rglob("*") if p.is_file())


@pytest.mark.parametrize("behaviour", ["trickle-body", "trickle-headers"])
def test_a_server_that_sends_a_byte_now_and_then_cannot_hold_a_download_past_its_deadline(
    hostile: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], behaviour: str
) -> None:
    # Before: each byte came within the 3 s read timeout, so a download lasted as long as the
    # server went on (91 s); the deadline is now kept by shutting the connection down.
    hostile.behaviour = behaviour
    url = hostile.url + url_path("2099a", 5)
    code, err = fetch_from(
        hostile, tmp_path, capsys, "--timeout", "3", "--deadline", "1.5", "--retries", "2"
    )
    assert code == 1, err
    assert err.startswith(
        f"error: {url}: download failed: not complete after 1.5 seconds (the deadline"
    ), err
    assert hostile.hits == 1  # no retry once the deadline is past
    assert cache_files(tmp_path) == []


@pytest.mark.parametrize("behaviour", ["trickle-body", "trickle-headers"])
def test_a_server_that_sends_a_byte_now_and_then_is_a_stalled_one(
    hostile: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], behaviour: str
) -> None:
    # Without --deadline: the download must get MIN_RATE bytes a second over each --timeout.
    hostile.behaviour = behaviour
    code, err = fetch_from(hostile, tmp_path, capsys, "--timeout", "1", "--retries", "0")
    assert code == 1, err
    assert "download failed: stalled: less than 1,024 bytes in 1 seconds" in err, err
    assert cache_files(tmp_path) == []


def test_a_slow_steady_download_is_not_a_stalled_one(
    hostile: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.behaviour = "slow"
    code, err = fetch_from(hostile, tmp_path, capsys, "--timeout", "1", "--retries", "0")
    assert code == 1, err
    # complete (8 KiB of "<"), then checked: not XML
    assert "the download is unusable: not well-formed XML" in err, err
    assert cache_files(tmp_path) == []


def test_a_gzip_bomb_is_refused_long_before_it_is_unpacked(
    hostile: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: 1 MiB of gzip became a 1 GiB temporary file.
    hostile.behaviour = "gzip-bomb"
    code, err = fetch_from(hostile, tmp_path, capsys, "--retries", "0")
    assert code == 1, err
    found = re.search(
        r"download failed: ([\d,]+) compressed bytes gave more than ([\d,]+) bytes", err
    )
    assert found is not None, err
    wire, written = (int(group.replace(",", "")) for group in found.groups())
    assert written <= fetch.MAX_RATIO * wire + 2 * fetch.CHUNK
    assert written < 1 << 30
    assert "refused as a decompression bomb" in err
    assert cache_files(tmp_path) == []


def test_a_body_larger_than_max_size_is_refused(
    hostile: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.behaviour = "large"  # 3 MiB
    code, err = fetch_from(hostile, tmp_path, capsys, "--max-size", "1", "--retries", "0")
    assert code == 1, err
    assert "download failed: the body is larger than 1 MiB (--max-size allows more)" in err
    assert cache_files(tmp_path) == []


def test_a_compressed_standard_part_is_not_taken_for_a_bomb(ws: Workspace) -> None:
    # PS3.6 compresses about 30 times: well within MAX_RATIO.
    ws.server.behaviours[url_path("2015b", 6)] = "gzip"
    code, err = ws.fetch("--edition", "2015b", "--parts", "06")
    assert code == 0, err
    cached = ws.cache / "2015b" / "part06.xml"
    assert sha256(cached) == sha256(ws.standard_dir / "2015b" / "part06.xml")


_FETCH_UNTIL_KILLED = """
import sys
from dicomstd.codegen.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_temporary_file_of_a_killed_download_is_removed_by_the_next_fetch(
    hostile: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.behaviour = "trickle-body"
    cache = tmp_path / "cache"
    command = [sys.executable, "-c", _FETCH_UNTIL_KILLED, "fetch", "--edition", "2099a"]
    command += ["--parts", "05", "--base-url", hostile.url, "--cache", str(cache)]
    child = subprocess.Popen(command, env=environment(), stderr=subprocess.DEVNULL)
    try:
        for _ in range(400):
            if cache_files(tmp_path):
                break
            time.sleep(0.025)
    finally:
        child.kill()
        child.wait()
    left = cache_files(tmp_path)
    assert [p.name.startswith(f".part05-{child.pid}-") for p in left] == [True]
    # One of a process still running (this one) and one that is no temporary file stay.
    running = cache / f".part05-{os.getpid()}-abcd.xml.tmp"
    running.write_bytes(b"")
    other = cache / "notes.txt"
    other.write_bytes(b"")
    hostile.behaviour = "large"
    code, err = fetch_from(hostile, tmp_path, capsys, "--max-size", "1", "--retries", "0")
    assert code == 1
    assert f"removed {left[0]}, left by a stopped download" in err
    assert cache_files(tmp_path) == sorted([running, other])


def test_an_unwritable_cache_is_a_usage_error(
    hostile: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    capsys.readouterr()
    code = main(
        [
            "fetch",
            *("--edition", "2099a", "--parts", "05", "--base-url", hostile.url),
            *("--cache", str(blocker / "cache")),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"error: {blocker / 'cache'}: cannot write the download cache: "), err
    assert "Traceback" not in err
    assert hostile.hits == 0


@pytest.mark.parametrize("where", ["under-a-file", "a-folder"])
def test_an_unwritable_editions_file_is_a_usage_error_before_any_download(
    hostile: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    if where == "under-a-file":
        editions, expected = blocker / "editions.toml", f"error: {blocker}: cannot write"
    else:
        editions, expected = tmp_path, f"error: {tmp_path}: --editions-file is a folder"
    capsys.readouterr()
    code = main(
        [
            "fetch",
            *("--edition", "2099a", "--parts", "05", "--pin", "--base-url", hostile.url),
            *("--cache", str(tmp_path / "cache"), "--editions-file", str(editions)),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(expected), err
    assert "Traceback" not in err
    assert hostile.hits == 0
