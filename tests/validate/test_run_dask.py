"""Validating on a Dask cluster (a LocalCluster of this machine): the results of a local run, in
the same order, through the same outputs; a file that kills its workers gets a finding, the run
goes on."""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from dicomstd.validation import ValidationResult, validate_many

distributed = pytest.importorskip("distributed")

NAMES = ("CT_small.dcm", "rtdose.dcm", "MR_small.dcm", "rtplan.dcm")


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    import dask

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
        distributed.Client(local) as client,
    ):
        yield client


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    for copy in range(5):
        for name in NAMES:
            source = get_testdata_file(name)
            assert source is not None
            shutil.copyfile(source, folder / f"{copy}-{name}")
    (folder / "README.txt").write_text("skipped")
    return folder


def test_results_identical_to_a_local_run(
    cluster: object, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(archive.parent)
    local = list(validate_many(["archive"]))
    remote = list(validate_many(["archive"], client=cluster))
    assert len(local) == 20
    assert remote == local  # same paths (as named), statuses and findings, same order


def test_dask_option_streams_the_same_report(
    cluster: object, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dicomstd.cli import main

    address = cluster.scheduler.address  # type: ignore[attr-defined]
    main(["validate", str(archive), "--format", "jsonl"])
    local = capsys.readouterr().out
    main(["validate", str(archive), "--format", "jsonl", "--dask", address])
    remote = capsys.readouterr().out
    assert remote == local
    assert json.loads(remote.splitlines()[-1])["summary"]["skipped"] == 1


class Killer(distributed.WorkerPlugin):  # type: ignore[misc]
    """Makes every worker (restarted ones too) die, as killed when out of memory, on one file."""

    name = "dicomstd-test-killer"

    def __init__(self, victim: str) -> None:
        self.victim = victim

    def setup(self, worker: object) -> None:
        import dicomstd.validation as validation

        real = validation.validate_file
        victim = self.victim

        def validate_file(path: object, **options: object) -> ValidationResult:
            if str(path).endswith(victim):
                os.kill(os.getpid(), signal.SIGKILL)
            return real(path, **options)  # type: ignore[arg-type]

        validation.validate_file = validate_file  # type: ignore[assignment]


def test_a_file_that_kills_workers_gets_a_finding(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dask

    from dicomstd.validation import distributed as on_dask

    # A future of a killed task may wait forever (dask/distributed issue 3196): the run reports
    # the file rather than hang. Shortened here so that a lost future costs seconds.
    monkeypatch.setattr(on_dask, "ALONE_TIMEOUT", 60.0)

    expected = {r.path: r for r in validate_many([archive])}
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
        distributed.Client(local) as client,
    ):
        client.register_plugin(Killer("2-rtdose.dcm"))
        results = list(validate_many([archive], client=client))
    names = [Path(r.path or "").name for r in results]
    assert names == sorted(names) and len(names) == 20
    (dead,) = [r for r in results if r.path and r.path.endswith("2-rtdose.dcm")]
    assert [f.code for f in dead.findings] == ["worker-died"]
    others = [r for r in results if r is not dead]
    assert others == [expected[r.path] for r in others]
