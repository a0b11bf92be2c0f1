"""Validating many files: one result per file (per instance of a DICOM JSON array), in the order
the files were found, streamed as each is done, in this process, in a pool of processes, or on a
Dask cluster (:mod:`dicomstd.validation.distributed`).

Nothing one file does costs the others their results: an exception while validating a file
becomes an ``internal-error`` finding of that file, a worker process that dies (killed by the
out-of-memory killer, say) a ``worker-died`` finding of the file it was on, and every other file
still gets its own result.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from dicomstd.validation.findings import Code, Finding, ValidationResult
from dicomstd.validation.sources import STDIN, Item, kind_of

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.connection import Connection

__all__ = [
    "BATCH",
    "MIN_FILES_PER_WORKER",
    "batches",
    "failed",
    "plan_workers",
    "reason",
    "results",
    "validate_batch",
    "validate_item",
]

BATCH = 8
"""Files per task sent to a worker: large enough to hide the cost of a task, small enough to keep
results flowing and a lost task cheap to redo."""
MIN_FILES_PER_WORKER = 32
"""Fewer files than this per worker and starting the worker costs more than it saves."""
WINDOW = 4
"""Tasks in flight per worker: the pool never idles and memory stays bounded."""


# -- one item ---------------------------------------------------------------------------------
def validate_item(item: Item, iod: str | None = None) -> list[ValidationResult]:
    """The results of one item; never raises (an exception becomes a finding of the item)."""
    try:
        results = _validate(item, iod)
    except Exception as error:
        return [failed(item, "internal-error", f"validation raised {reason(error)}")]
    if item.label:
        return [_relabel(result, item) for result in results]
    return results


def failed(item: Item, code: Code, message: str) -> ValidationResult:
    """A result for an item that could not be validated: one finding ``code`` saying why."""
    return ValidationResult((Finding.of(code, message),), path=item.name)


def _relabel(result: ValidationResult, item: Item) -> ValidationResult:
    path = result.path or item.path
    return attrs.evolve(result, path=item.label + path[len(item.path) :])


def reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _validate(item: Item, iod: str | None) -> list[ValidationResult]:
    if item.kind == "folder":
        return [failed(item, "unreadable", item.error)]
    if item.kind == "stdin":
        return _stdin(iod)
    if item.kind == "json":
        return _json_file(item.path, iod)
    return [_dicom_file(item.path, iod)]


def _dicom_file(path: str, iod: str | None) -> ValidationResult:
    from dicomstd.validation import validate_file

    return validate_file(path, iod=iod)


def _json_file(path: str, iod: str | None) -> list[ValidationResult]:
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        reason = f"cannot open: {error.strerror or error}"
        return [ValidationResult((Finding.of("unreadable", reason),), path=path)]
    return json_results(data, path, iod)


def json_results(data: bytes, path: str, iod: str | None) -> list[ValidationResult]:
    """One result per instance of a DICOM JSON document (an object, or an array of them as
    WADO-RS metadata is); an instance of an array is named ``path[index]``."""
    from dicomstd.validation import validate_json

    found = validate_json(data, iod=iod)
    if isinstance(found, ValidationResult):
        return [attrs.evolve(found, path=path)]
    return [attrs.evolve(r, path=f"{path}[{index}]") for index, r in enumerate(found)]


def _stdin(iod: str | None) -> list[ValidationResult]:
    data = sys.stdin.buffer.read()
    if kind_of(STDIN, data[:4096]) == "json":
        return json_results(data, STDIN, iod)
    with tempfile.TemporaryDirectory(prefix="dicomstd-stdin-") as folder:
        path = os.path.join(folder, "stdin")
        with open(path, "wb") as file:
            file.write(data)
        return [attrs.evolve(_dicom_file(path, iod), path=STDIN)]


# -- how many workers -----------------------------------------------------------------------------
def usable_cpus() -> int:
    """CPUs this process may run on: its affinity, and a cgroup v2 CPU quota when one is set."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as file:
            quota, period = file.read().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cpus)


def plan_workers(requested: int | None, files: int | None) -> int:
    """Worker processes for a run: ``requested`` (None: as many as useful), never more than the
    usable CPUs, nor than the files can keep busy (``files`` None: more than a few)."""
    workers = usable_cpus() if requested is None else min(requested, usable_cpus())
    if files is not None:
        workers = min(workers, files // MIN_FILES_PER_WORKER)
    return max(1, workers)


# -- running ------------------------------------------------------------------------------------
def results(
    items: Iterable[Item], *, iod: str | None, jobs: int | None, client: Any = None
) -> Iterator[ValidationResult]:
    """The results of ``items`` in their order, on a Dask ``client`` or in local processes."""
    if client is not None:
        from dicomstd.validation.distributed import dask_results

        return dask_results(items, iod, client)
    return _local(iter(items), iod, jobs)


def _local(items: Iterator[Item], iod: str | None, jobs: int | None) -> Iterator[ValidationResult]:
    if jobs == 1:
        for item in items:
            yield from validate_item(item, iod)
        return
    # The first item is validated here: it loads what every worker needs (pydicom, the tables
    # of the standard, the plan of its IOD) once, before the workers are forked.
    first = next(items, None)
    if first is None:
        return
    yield from validate_item(first, iod)
    lookahead: list[Item] = []
    for item in items:
        lookahead.append(item)
        if len(lookahead) >= 2 * MIN_FILES_PER_WORKER * usable_cpus():
            break
    known = None if len(lookahead) >= 2 * MIN_FILES_PER_WORKER * usable_cpus() else len(lookahead)
    workers = plan_workers(jobs, known)
    rest = _chain(lookahead, items)
    if workers == 1:
        for item in rest:
            yield from validate_item(item, iod)
        return
    yield from _Pool(workers, iod).run(rest)


def _chain(first: list[Item], rest: Iterator[Item]) -> Iterator[Item]:
    yield from first
    yield from rest


def batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        if item.kind == "stdin":  # a batch of its own: it is read in this process
            if batch:
                yield batch
            yield [item]
            batch = []
            continue
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def validate_batch(batch: list[Item], iod: str | None) -> list[list[ValidationResult]]:
    """The results of each item of a batch (what a worker runs)."""
    return [validate_item(item, iod) for item in batch]


class _Pool:
    """Worker processes fed batches in order, ``WINDOW`` per worker in flight. When a worker
    dies every batch in flight is lost with the pool: each of their items is then validated
    alone in a process of its own, so that only the item that kills its process is reported as
    such, and a new pool goes on with the rest."""

    def __init__(self, workers: int, iod: str | None) -> None:
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.workers = workers
        self.iod = iod

    def _executor(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor  # a run of one process needs none

        return ProcessPoolExecutor(
            self.workers, mp_context=self.context, initializer=worker_init, initargs=(os.getpid(),)
        )

    def run(self, items: Iterator[Item]) -> Iterator[ValidationResult]:
        from concurrent.futures.process import BrokenProcessPool

        queue = batches(items, BATCH)
        pending: deque[tuple[list[Item], Future[list[list[ValidationResult]]] | None]] = deque()
        executor = self._executor()
        try:
            while True:
                while len(pending) < self.workers * WINDOW:
                    batch = next(queue, None)
                    if batch is None:
                        break
                    local = batch[0].kind == "stdin"  # standard input is this process's own
                    future = None if local else executor.submit(validate_batch, batch, self.iod)
                    pending.append((batch, future))
                if not pending:
                    return
                batch, future = pending.popleft()
                if future is None:
                    for outcome in validate_batch(batch, self.iod):
                        yield from outcome
                    continue
                try:
                    done = future.result()
                except BrokenProcessPool:
                    executor.shutdown(wait=True, cancel_futures=True)
                    lost = [batch, *(b for b, f in pending if f is not None)]
                    kept = [(b, None) for b, f in pending if f is None]
                    pending.clear()
                    for item in (item for b in lost for item in b):
                        yield from self.alone(item)
                    pending.extend(kept)
                    executor = self._executor()
                    continue
                for outcome in done:
                    yield from outcome
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    def alone(self, item: Item) -> list[ValidationResult]:
        """Validate one item in a process of its own; a ``worker-died`` result if it dies."""
        receive, send = self.context.Pipe(duplex=False)
        process = self.context.Process(
            target=_alone, args=(send, item, self.iod, os.getpid()), daemon=True
        )
        process.start()
        send.close()
        try:
            found: list[ValidationResult] = receive.recv()
        except EOFError:
            process.join()
            return [failed(item, "worker-died", _death(process.exitcode))]
        finally:
            receive.close()
        process.join()
        return found


def _alone(send: Connection, item: Item, iod: str | None, parent: int) -> None:
    worker_init(parent)
    send.send(validate_item(item, iod))
    send.close()


def _death(exitcode: int | None) -> str:
    import signal

    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        why = f"was killed by {name}" + (
            " (as the out-of-memory killer does)" if name == "SIGKILL" else ""
        )
    else:
        why = f"exited with status {exitcode}"
    return f"the process validating this file {why} before giving a result"


def worker_init(parent: int) -> None:
    """Set up a worker process: interrupts are the parent's to handle, and the worker ends when
    the parent does, however the parent ends (even killed outright); its cyclic collector is
    on, whatever the parent's was when it was forked."""
    import gc
    import signal
    import threading

    gc.enable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="dicomstd-parent-watch", daemon=True).start()


def _die_with_parent() -> None:
    """On Linux, ask the kernel to kill this process when its parent ends (PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
