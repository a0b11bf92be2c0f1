"""Running many files: results in order and identical however they are run, one file's crash or
dead worker never costs the others their results, workers end with their parent, the pool is
sized to the CPUs and the work."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

import dicomstd.validation as validation
from dicomstd.validation import ValidationResult, run, validate_many

NAMES = ("CT_small.dcm", "rtdose.dcm", "MR_small.dcm", "rtplan.dcm", "waveform_ecg.dcm")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """40 files: 8 copies of 5 of pydicom's files, one of them named to be killed."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for copy in range(8):
        for name in NAMES:
            source = get_testdata_file(name)
            assert source is not None
            shutil.copyfile(source, folder / f"{copy}-{name}")
    return folder


def _summary(results: list[ValidationResult]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(Path(r.path or "").name, r.status, tuple(f.code for f in r.findings)) for r in results]


def test_same_results_serial_and_in_processes(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "MIN_FILES_PER_WORKER", 4)
    monkeypatch.setattr(run, "usable_cpus", lambda: 2)
    serial = list(validate_many([archive], jobs=1))
    parallel = list(validate_many([archive], jobs=2))
    assert len(serial) == 40
    assert parallel == serial


def _kill_on(name: str) -> object:
    real = validation.validate_file

    def validate_file(path: object, **options: object) -> ValidationResult:
        if str(path).endswith(name) and os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
        return real(path, **options)  # type: ignore[arg-type]

    return validate_file


PARENT = os.getpid()


def test_a_killed_worker_costs_only_its_file(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "MIN_FILES_PER_WORKER", 4)
    monkeypatch.setattr(run, "usable_cpus", lambda: 2)
    expected = _summary(list(validate_many([archive], jobs=1)))
    monkeypatch.setattr(validation, "validate_file", _kill_on("3-rtdose.dcm"))
    found = _summary(list(validate_many([archive], jobs=2)))
    assert [name for name, _, _ in found] == [name for name, _, _ in expected]
    for (name, status, codes), (_, status_before, codes_before) in zip(
        found, expected, strict=True
    ):
        if name == "3-rtdose.dcm":
            assert (status, codes) == ("errors", ("worker-died",))
        else:
            assert (status, codes) == (status_before, codes_before)


def test_an_exception_is_a_finding_of_its_file(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = validation.validate_file

    def validate_file(path: object, **options: object) -> ValidationResult:
        if str(path).endswith("5-MR_small.dcm"):
            raise MemoryError("cannot allocate")
        return real(path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "validate_file", validate_file)
    results = list(validate_many([archive], jobs=1))
    assert len(results) == 40
    (broken,) = [r for r in results if r.path and r.path.endswith("5-MR_small.dcm")]
    assert [f.code for f in broken.findings] == ["internal-error"]
    assert "MemoryError: cannot allocate" in broken.findings[0].message
    others = [r for r in results if r is not broken]
    assert not any(f.code == "internal-error" for r in others for f in r.findings)
    assert {r.iod for r in others} >= {"CT Image", "RT Dose"}


def test_killing_the_parent_ends_the_workers(archive: Path, tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    script = textwrap.dedent(
        f"""
        import os, sys, time
        import dicomstd.validation as validation
        from dicomstd.validation import run
        run.MIN_FILES_PER_WORKER = 1
        run.usable_cpus = lambda: 2
        parent, real = os.getpid(), validation.validate_file
        def validate_file(path, **options):
            if os.getpid() == parent:  # the first file, validated before the workers start
                return real(path, **options)
            open(os.path.join({str(pids)!r}, str(os.getpid())), "w").close()
            time.sleep(60)
        validation.validate_file = validate_file
        for result in validation.validate_many([{str(archive)!r}], jobs=2):
            pass
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = {int(p.name) for p in pids.iterdir()} - {parent.pid}
        assert workers, "no worker started"
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_workers_are_sized_to_cpus_and_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "usable_cpus", lambda: 2)
    assert run.plan_workers(100, None) == 2  # --jobs 100 on two cores: two workers
    assert run.plan_workers(None, None) == 2  # auto
    assert run.plan_workers(None, 10) == 1  # too few files to pay for a second process
    assert run.plan_workers(None, 2 * run.MIN_FILES_PER_WORKER) == 2
    assert run.plan_workers(1, 10_000) == 1


def test_jobs_100_starts_no_more_processes_than_cpus(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    monkeypatch.setattr(run, "MIN_FILES_PER_WORKER", 1)
    real = run._Pool.__init__

    def pool(self: run._Pool, workers: int, iod: str | None) -> None:
        started.append(workers)
        real(self, workers, iod)

    monkeypatch.setattr(run._Pool, "__init__", pool)
    list(validate_many([archive], jobs=100))
    assert started and max(started) <= run.usable_cpus()
