"""DICOMSTD_BUILD: the runtime uses another generated build for the whole process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json
from pydicom.data import get_testdata_file
from dicomstd import spec, validate_file
import dicomstd._generated as build
result = validate_file(get_testdata_file("MR_small.dcm"))
print(json.dumps({"build": build.__file__, "iod": result.iod,
                  "has_mr": any(s.name == "MR Image" for s in spec.iods())}))
"""


def _run(build: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DICOMSTD_BUILD"}
    if build is not None:
        env["DICOMSTD_BUILD"] = build
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=False
    )


def test_the_whole_standard_build_checks_an_mr_file_against_mr_image(full_build: Path) -> None:
    # PS3.3 A.4: the MR Image IOD; the pinned 4-IOD excerpt does not have it.
    done = _run(str(full_build))
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert Path(found["build"]).parent == full_build
    assert found["has_mr"] is True
    assert found["iod"] == "MR Image"


def test_the_installed_build_is_used_without_the_variable() -> None:
    done = _run(None)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert Path(found["build"]).parent.name == "_generated"
    assert found["has_mr"] is False
    assert found["iod"] is None


def test_a_folder_that_is_not_a_build_is_a_clear_error(tmp_path: Path) -> None:
    done = _run(str(tmp_path))
    assert done.returncode != 0
    assert "is not a generated dicomstd package" in done.stderr


def test_the_command_names_a_bad_build_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "DICOMSTD_BUILD": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "dicomstd", "lookup", "PatientName"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert "is not a generated dicomstd package" in done.stderr
    assert "Traceback" not in done.stderr
