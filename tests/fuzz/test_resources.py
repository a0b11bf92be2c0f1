"""The resource cases of the fuzz suite, each validated in a process of its own whose peak
resident memory must stay under 200 MB: a 4 GB Pixel Data (a sparse file), 1,000,000 empty
sequence items, a 1 MB deflate bomb (1 GiB inflated)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fuzz.cases import RESOURCE_CASES, available

GOAL_MB = 200
_PEAK = (
    "import sys\n"
    "from dicomstd.validation import validate_file\n"
    "result = validate_file(sys.argv[1])\n"
    "print(' '.join(sorted(result.codes())))\n"
)

pytestmark = pytest.mark.skipif(not available(), reason="pydicom's test files are not installed")


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("4 GB sparse Pixel Data", {"pixel-data-length"}),
        ("1,000,000 empty items", {"limit-exceeded"}),
        ("1 MB deflate bomb", {"limit-exceeded", "truncated"}),
    ],
)
def test_peak_memory_of_a_resource_case(tmp_path: Path, name: str, codes: set[str]) -> None:
    path = tmp_path / "case.dcm"
    RESOURCE_CASES[name](path)
    process = subprocess.Popen(
        [sys.executable, "-c", _PEAK, str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)  # the peak RSS of this process alone
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, output
    found = set(output.split())
    assert codes <= found, output
    assert usage.ru_maxrss // 1024 < GOAL_MB
