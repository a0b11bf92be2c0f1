"""Output stage: a generated package put in its folder, and the generation report beside it.

The one function a command calls is :func:`write_package`::

    output.check_target(out, report)            # optional: fail fast, before generating
    output.write_package(files, out, before_swap=lambda: output.write_text(report, text))

:func:`write_package` refuses an ``out`` that is a file, or a folder holding anything but a
generated package (its ``__init__.py`` carries the ``@generated`` header), with an
:class:`OutputError`. It writes the files into a staging folder next to ``out``, formats and
import-checks them there (:func:`dicomstd.codegen.render.stage`), calls ``before_swap`` (where
the reports are written, each with :func:`write_text`: a temporary file moved into place) and
only then swaps the staging folder in. So a broken package or an unwritable report leaves ``out``
exactly as it was.

The swap leaves no moment without ``out``: on Linux ``renameat2(RENAME_EXCHANGE)`` exchanges the
two folders in one step. Elsewhere (or on a file system without it) ``out`` is renamed to
``.previous-<name>`` and the staging folder to ``out``; a run killed between the two renames is
recovered by the next one, which puts ``.previous-<name>`` back. Staging folders are named
``.generating-<pid>-…``; a run removes those left by killed runs (their process is gone), and
its worker processes (:func:`process_pool`, :func:`die_with_parent`) end when it ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from dicomstd.codegen.diagnostics import InputError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

MARKER = "@generated"
"""What the header of a generated package's ``__init__.py`` says (in its first lines)."""
STAGING_PREFIX = ".generating-"
BACKUP_PREFIX = ".previous-"
_STAGING = re.compile(re.escape(STAGING_PREFIX) + r"(\d+)-")


class OutputError(InputError):
    """``--out`` or ``--report`` cannot be written as asked (a usage error: nothing changed)."""


# -- what may be replaced ----------------------------------------------------------------------
def is_generated_package(folder: Path) -> bool:
    """Whether ``folder`` holds a generated package: its ``__init__.py`` starts with comment
    lines, one of them carrying :data:`MARKER`, or lists the parts it was generated from
    (``PARTS``, its manifest)."""
    try:
        with (folder / "__init__.py").open(encoding="utf-8", errors="replace") as stream:
            head = [stream.readline() for _ in range(5)]
    except OSError:
        return False
    for line in head:
        if not line.startswith("#"):
            break
        if MARKER in line:
            return True
    from dicomstd.codegen import diff

    return bool(diff.generated_parts(folder))


def check_target(out: Path, report: Path | None = None) -> None:
    """Raise :class:`OutputError` unless ``out`` may be replaced by a generated package and
    ``report`` (when given) can be written: ``out`` is missing, an empty folder or a generated
    package; ``report`` is outside ``out`` in a folder this process can create a file in."""
    out = out.resolve()
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise OutputError(
                str(out), "--out is not a folder; give a new folder or a generated package"
            )
        if not is_generated_package(out) and _has_entries(out):
            raise OutputError(
                str(out),
                f"--out holds files that are not a generated package (no __init__.py with the "
                f"{MARKER} header); refusing to replace them: give a new or empty folder",
            )
    if report is not None:
        report = report.absolute()
        if report.resolve().is_relative_to(out.resolve()):
            raise OutputError(
                str(report),
                "--report is inside --out, which the generated package replaces whole; "
                "write it outside",
            )
        if report.is_dir():
            raise OutputError(str(report), "--report is a folder; give a file name")
        check_writable_folder(report.parent, "--report")


def _has_entries(folder: Path) -> bool:
    try:
        return any(entry.name != "__pycache__" for entry in os.scandir(folder))
    except OSError as error:
        raise OutputError(str(folder), f"cannot read --out: {_reason(error)}") from None


def check_writable_folder(folder: Path, option: str) -> None:
    """Make ``folder`` and a file in it (removed again): the only sure test of writability."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".probe-", dir=folder)
        os.close(handle)
        os.unlink(name)
    except OSError as error:
        raise OutputError(str(folder), f"cannot write {option} here: {_reason(error)}") from None


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


# -- writing files -----------------------------------------------------------------------------
def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a temporary file beside it, flushed, then moved
    into place. Raises :class:`OutputError` naming ``path`` when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(str(path), f"cannot write: {_reason(error)}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(name, 0o644)
        os.replace(name, path)
    except OSError as error:
        raise OutputError(str(path), f"cannot write: {_reason(error)}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def write_package(
    files: Mapping[str, str],
    out: Path,
    *,
    before_swap: Callable[[], object] | None = None,
    refuse_foreign: bool = True,
) -> None:
    """Write the generated package ``files`` (relative path -> text) into ``out``, whole.

    ``before_swap`` runs once the package is staged and checked, before ``out`` changes: it
    writes the reports (an exception from it leaves ``out`` as it was). ``refuse_foreign=False``
    replaces whatever folder ``out`` is (for callers that chose a scratch folder themselves).
    Raises :class:`OutputError` (``out`` cannot be written or may not be replaced) or
    :class:`~dicomstd.codegen.render.GeneratedCodeError` (the package does not import).
    """
    from dicomstd.codegen import render

    out = out.resolve()  # a symbolic link: its target is replaced
    if refuse_foreign:
        check_target(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(str(out), f"cannot make the folder: {_reason(error)}") from None
    recover(out)
    with _locked(out.parent):
        staging = _make_staging(out)
    try:
        render.stage(dict(files), staging, out)
        if before_swap is not None:
            before_swap()
        staging.chmod(0o755)
        with _locked(out.parent):
            if refuse_foreign:
                check_target(out)  # unchanged while we generated
            _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _make_staging(out: Path) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out.parent))
    except OSError as error:
        raise OutputError(str(out), f"cannot write next to --out: {_reason(error)}") from None


# -- the swap ----------------------------------------------------------------------------------
def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` at ``out``; what was at ``out`` ends at ``staging`` (or is removed)."""
    if not (out.exists() or out.is_symlink()):
        os.rename(staging, out)
        return
    if exchange(staging, out):
        return
    backup = out.parent / f"{BACKUP_PREFIX}{out.name}"
    if backup.exists():
        shutil.rmtree(backup)
    os.rename(out, backup)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(backup, out)
        raise
    os.rename(backup, staging)  # removed with the staging folder


def exchange(first: Path, second: Path) -> bool:
    """Exchange two existing paths in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``).

    False when the system or file system cannot (then nothing changed); OSError on other
    failures."""
    function = _renameat2()
    if function is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = function(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):  # a C library without the wrapper (glibc < 2.28)
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    result: Callable[..., int] = function
    return result


def recover(out: Path) -> list[str]:
    """Repair what killed runs left next to ``out``; return what was done, one line each.

    ``.previous-<name>`` without ``out`` (a kill between the two renames of the fallback swap)
    is put back; beside an ``out`` it is a finished swap's leftover and removed. Staging folders
    whose process is gone are removed."""
    out = out.resolve()
    if not out.parent.is_dir():
        return []
    with _locked(out.parent):
        done = _recover(out)
    for line in done:
        print(f"note: {line}", file=sys.stderr)
    return done


def _recover(out: Path) -> list[str]:
    done: list[str] = []
    backup = out.parent / f"{BACKUP_PREFIX}{out.name}"
    if backup.is_dir():
        if not (out.exists() or out.is_symlink()):
            os.rename(backup, out)
            done.append(f"restored {out} from {backup.name} (a run was stopped while swapping)")
        else:
            shutil.rmtree(backup, ignore_errors=True)
            done.append(f"removed {backup}")
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        entries = []
    for entry in entries:
        match = _STAGING.match(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False):
            continue
        if not process_alive(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
            done.append(f"removed {entry.path} (left by a stopped run)")
    return done


def process_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (unsure counts as alive: nothing of it is removed)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32" or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` itself (``flock``; no lock file), so two runs never
    swap or recover beside the same ``out`` at once. Nothing where ``flock`` is not."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


# -- worker processes --------------------------------------------------------------------------
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Make this process end (SIGKILL) when the process that started it ends: Linux
    ``prctl(PR_SET_PDEATHSIG)``, called in the child. ``parent`` is the pid it was started from:
    if that one is already gone, this process ends now. Nothing elsewhere."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` forked processes (spawned on Windows) that end with this one."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def child_setup() -> Callable[[], None] | None:
    """A ``preexec_fn`` for :class:`subprocess.Popen` making the child end with this process
    (None where that is not possible). Everything it calls is resolved before the fork."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    kill = int(signal.SIGKILL)
    parent = os.getpid()

    def setup() -> None:
        prctl(_PR_SET_PDEATHSIG, kill, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return setup


__all__ = [
    "MARKER",
    "OutputError",
    "check_target",
    "check_writable_folder",
    "child_setup",
    "die_with_parent",
    "exchange",
    "is_generated_package",
    "process_alive",
    "process_pool",
    "recover",
    "write_package",
    "write_text",
]
