"""The resource cases of the fuzz suite, each validated in a process of its own whose peak
resident memory must stay under 200 MB: a 4 GB Pixel Data (a sparse file), 1,000,000 empty
sequence items, a 1 MB deflate bomb (1 GiB inflated)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.fuzz.cases import PEAK_SCRIPT, RESOURCE_CASES, available, peak_of

GOAL_MB = 200

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
    done = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    megabytes, result = peak_of(done.stdout)
    assert codes <= set(result.split()), result
    assert megabytes < GOAL_MB
