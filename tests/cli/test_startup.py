"""What a run of ``dicomstd validate`` loads: its own command, not the others' modules, no
process pool for one process, no TOML reader without a settings file (start-up time is measured
by ``tests/bench/run.py --only startup``, not here)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dicomstd.cli import main
from tests.validate.conftest import pydicom_file

NOT_NEEDED = (
    "dicomstd.skeleton",
    "dicomstd.standard",
    "concurrent.futures.process",
    "tomllib",
    "requests",
)
PROBE = (
    "import json, sys\n"
    "from dicomstd.cli import main\n"
    "code = main(sys.argv[1:])\n"
    f"print(json.dumps(sorted(m for m in {NOT_NEEDED!r} if sys.modules.get(m))))\n"
)


def test_a_validate_run_loads_only_what_it_uses(tmp_path: Path) -> None:
    path = pydicom_file("CT_small.dcm")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "validate", "--no-notices", str(path)],
        cwd=tmp_path,  # no pyproject.toml or settings file here
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("lookup", "validate", "skeleton", "standard"):
        assert command in out


def test_an_unknown_command_is_a_usage_error_naming_the_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'frobnicate'" in err and "skeleton" in err


@pytest.mark.parametrize("on", [True, False])
def test_a_validate_run_leaves_the_collector_as_it_found_it(on: bool, tmp_path: Path) -> None:
    """The command turns Python's cyclic collector off while it loads what the first file
    needs, and back on after it: a caller's setting is what it was, whatever the run gives."""
    path = pydicom_file("CT_small.dcm")
    was = gc.isenabled()
    (gc.enable if on else gc.disable)()
    try:
        assert main(["validate", "--no-notices", str(path)]) in (0, 1)
        assert gc.isenabled() is on
        assert main(["validate", str(tmp_path)]) == 2  # no DICOM file: ends before any file
        assert gc.isenabled() is on
    finally:
        (gc.enable if was else gc.disable)()
