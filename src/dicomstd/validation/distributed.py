"""Validating on a Dask cluster (``dask.distributed``; ``pip install 'dicomstd[dask]'``).

Files go to the workers in batches by their absolute path (every worker must see them at that
path) and results come back in the order the files were found, the same results a local run
gives — each worker checks that it runs the same dicomstd build as this process. A batch whose
worker dies is retried by the scheduler; one that keeps killing workers
(``distributed.scheduler.allowed-failures``) is split, each file sent alone, so that only the
file that kills its worker gets a ``worker-died`` finding. Any other failure of a task becomes an
``internal-error`` finding of each of its files. The run goes on.

::

    from distributed import Client
    from dicomstd import validate_many

    with Client("tcp://scheduler:8786") as client:
        for result in validate_many(["/archive"], client=client):
            print(result.path, result.status)
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import attrs

from dicomstd.validation.findings import ValidationResult
from dicomstd.validation.run import WINDOW, batches, failed, reason, validate_batch
from dicomstd.validation.sources import Item

__all__ = [
    "ALONE_TIMEOUT",
    "BATCH_TIMEOUT",
    "DASK_BATCH",
    "build_identity",
    "dask_results",
    "remote_batch",
]

DASK_BATCH = 64
"""Files per Dask task: a task costs the scheduler and the network milliseconds, far more than a
local pool's, so a batch is larger than :data:`~dicomstd.validation.run.BATCH` (over 1,000 small
files on a 2-worker LocalCluster, 64 files a task ran 1.4x as many files/s as 8)."""

BATCH_TIMEOUT = 3600.0
"""Seconds to wait for a batch before its files are sent alone."""
ALONE_TIMEOUT = 600.0
"""Seconds to wait for one file sent alone before it is reported without a result. A future
whose worker was killed can wait forever (dask/distributed issue 3196): a run never does."""


@cache
def build_identity() -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """The dicomstd version and the standard's parts (edition, SHA-256) of this process (the
    build a process uses is chosen once, when dicomstd is imported; the package metadata is read
    once, not for every task)."""
    from importlib.metadata import PackageNotFoundError, version

    from dicomstd._generated import PARTS

    try:
        package = version("dicomstd")
    except PackageNotFoundError:
        package = "unknown"
    return package, tuple((str(a), str(b), str(c)) for a, b, c in PARTS)


def remote_batch(
    batch: list[Item], iod: str | None, expected: tuple[str, tuple[tuple[str, str, str], ...]]
) -> list[list[ValidationResult]]:
    """What a worker runs: the batch's results, or a finding on each file when the worker's
    dicomstd is not the client's (its results could differ)."""
    found = build_identity()
    if found != expected:
        message = (
            f"the Dask worker runs dicomstd {found[0]} built from {_parts(found[1])}, "
            f"this run dicomstd {expected[0]} built from {_parts(expected[1])}: not validated"
        )
        return [[failed(item, "internal-error", message)] for item in batch]
    return validate_batch(batch, iod)


def _parts(parts: tuple[tuple[str, str, str], ...]) -> str:
    return ", ".join(f"{part} {edition}" for part, edition, _ in parts) or "no parts"


def _sent(item: Item) -> Item:
    """The item as a worker reads it: by absolute path, reported by the path it was named."""
    if item.kind in ("folder", "stdin"):
        return item
    return attrs.evolve(item, path=os.path.abspath(item.path), label=item.name)


def dask_results(items: Iterable[Item], iod: str | None, client: Any) -> Iterator[ValidationResult]:
    """The results of ``items`` in order, validated on the cluster of ``client``."""
    from distributed import KilledWorker

    expected = build_identity()
    workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
    pending_batches = batches(iter(items), DASK_BATCH)
    pending: deque[tuple[list[Item], Any]] = deque()
    while True:
        while len(pending) < workers * WINDOW:
            batch = next(pending_batches, None)
            if batch is None:
                break
            local = batch[0].kind == "stdin"  # standard input is this process's own
            future = (
                None
                if local
                else client.submit(
                    remote_batch, [_sent(i) for i in batch], iod, expected, pure=False
                )
            )
            pending.append((batch, future))
        if not pending:
            return
        batch, future = pending.popleft()
        if future is None:
            for outcome in validate_batch(batch, iod):
                yield from outcome
            continue
        try:
            done: list[list[ValidationResult]] = future.result(timeout=BATCH_TIMEOUT)
        except (KilledWorker, TimeoutError):
            for item in batch:
                yield from _alone(client, item, iod, expected)
            continue
        except Exception as error:
            for item in batch:
                yield _task_failed(item, error)
            continue
        finally:
            future.release()
        for outcome in done:
            yield from outcome


def _alone(client: Any, item: Item, iod: str | None, expected: Any) -> list[ValidationResult]:
    """One file of a batch that kept killing workers, sent alone."""
    from distributed import KilledWorker

    future = client.submit(remote_batch, [_sent(item)], iod, expected, pure=False)
    try:
        found: list[list[ValidationResult]] = future.result(timeout=ALONE_TIMEOUT)
    except TimeoutError:
        future.cancel()
        return [
            failed(
                item,
                "worker-died",
                f"no Dask worker gave a result for this file within {ALONE_TIMEOUT:g} s "
                "(its workers died or were lost)",
            )
        ]
    except KilledWorker as error:
        return [
            failed(
                item,
                "worker-died",
                "the Dask workers validating this file died each time it was tried "
                f"({reason(error)})",
            )
        ]
    except Exception as error:
        return [_task_failed(item, error)]
    finally:
        future.release()
    return found[0]


def _task_failed(item: Item, error: BaseException) -> ValidationResult:
    return failed(item, "internal-error", f"the Dask task failed: {reason(error)}")
