"""What a run of ``dicomstd validate`` loads: its own command, not the others' modules, no
process pool for one process, no TOML reader without a settings file, none of what pydicom
loads to download test data or for its examples (start-up time is measured by
``tests/bench/run.py --only startup``, not here)."""

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
    "urllib.request",
    "http.client",
    "ssl",
    "pydicom.examples",
)
# A module whose code ran has a __file__ (a stand-in of dicomstd._pydicom_import has none; its
# __dict__ is read directly, as asking the module for __file__ would import the real one).
PROBE = (
    "import json, sys\n"
    "from dicomstd.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "ran = lambda m: '__file__' in getattr(sys.modules.get(m), '__dict__', {})\n"
    f"print(json.dumps(sorted(m for m in {NOT_NEEDED!r} if ran(m))))\n"
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


STAND_INS = """
import sys, urllib
from dicomstd._pydicom_import import import_pydicom
import_pydicom()
finders = [type(f).__name__ for f in sys.meta_path]
held = sys.modules["urllib.request"]
ran = lambda m: "__file__" in getattr(sys.modules.get(m), "__dict__", {})
before = [m for m in ("urllib.request", "pydicom.examples", "http.client") if ran(m)]
import pydicom, pydicom.examples, urllib.request
from pydicom.data import get_testdata_file
from urllib.request import Request
real = sys.modules["urllib.request"]
ct = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
print(before, "_StandIns" in finders,
      real.__file__.endswith("request.py"), urllib.request is real, held.urlopen is real.urlopen,
      Request is real.Request, "http.client" in sys.modules,
      pydicom.examples.ct.SOPInstanceUID == ct.SOPInstanceUID,
      pydicom.examples.__file__.endswith("__init__.py"))
"""


def test_stand_ins_import_the_real_module_on_first_use() -> None:
    """The modules pydicom loads for downloads and examples are stand-ins after the command
    imported pydicom; the first use of one gives the real module, in sys.modules and on its
    package, and code that held the stand-in gets the real attributes."""
    result = subprocess.run(
        [sys.executable, "-c", STAND_INS], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "False"] + ["True"] * 7


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
