"""The resource cases of the fuzz suite, each validated in a process of its own whose peak
resident memory must stay under 200 MB: a 4 GB Pixel Data (a sparse file), 1,000,000 empty
sequence items, a 1 MB deflate bomb (1 GiB inflated)."""

from __future__ import annotations

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
    "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
    "print('peak-kib', status.split()[0])\n"
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
    process = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    output = process.stdout.decode()
    assert process.returncode == 0, output
    found = set(output.split())
    assert codes <= found, output
    # The peak resident memory of the validating process itself (VmHWM, reset at exec): the
    # rusage of a child also counts the memory of this process at the time of the fork.
    peak_kib = int(output.split("peak-kib")[1].split()[0])
    assert peak_kib // 1024 < GOAL_MB, output
