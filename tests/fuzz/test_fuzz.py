"""Fuzzing the validator with pydicom's real files, mutated (``tests/fuzz/cases.py``).

Whatever the bytes: no exception escapes, the validator itself raises nowhere (no
``internal-error``), each input gives exactly one result, the JSON report is valid JSON with one
result per file, and the exit status is 0 or 1 (findings), 2 only for a usage error.

CI runs a bounded sample (``DICOMSTD_FUZZ_EXAMPLES``, 2,000 by default); ``make fuzz`` runs a
long one (``tests/fuzz/run.py``).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dicomstd.cli import main
from dicomstd.validation import validate_file
from dicomstd.validation.findings import CODES
from tests.fuzz.cases import MUTATIONS, available, mutated, random_case

EXAMPLES = int(os.environ.get("DICOMSTD_FUZZ_EXAMPLES", "2000"))

pytestmark = [
    pytest.mark.skipif(not available(), reason="pydicom's test files are not installed"),
    # pydicom warns about the invalid values it converts; they are findings here.
    pytest.mark.filterwarnings("ignore::UserWarning"),
]


@pytest.fixture(scope="module")
def case_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "case.dcm"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    name=st.sampled_from(available()),
    kinds=st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_mutated_file_gives_one_result_and_no_exception(
    case_path: Path, name: str, kinds: list[str], seed: int
) -> None:
    case_path.write_bytes(mutated(name, kinds, seed))
    result = validate_file(case_path)  # an exception escaping fails the test
    assert result.path == str(case_path)
    faults = [f.message for f in result.findings if f.code == "internal-error"]
    assert not faults, (name, kinds, seed, faults)
    assert all(f.code in CODES for f in result.findings)
    json.dumps(result.as_json())


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """200 mutated files, named .dcm so that a folder walk validates every one."""
    folder = tmp_path_factory.mktemp("batch")
    rng = random.Random(20240601)
    paths = []
    for index in range(200):
        path = folder / f"case{index:03d}.dcm"
        path.write_bytes(random_case(rng))
        paths.append(path)
    return paths


def test_the_json_report_has_one_result_per_mutated_file(
    batch: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["validate", "--format", "json", str(batch[0].parent)])
    document = json.loads(capsys.readouterr().out)
    assert status in (0, 1)
    assert sorted(r["path"] for r in document["files"]) == sorted(str(p) for p in batch)


def test_the_command_in_two_processes_reports_every_mutated_file(batch: list[Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dicomstd", "validate", "--format", "jsonl", "--jobs", "2"]
        + [str(p) for p in batch],
        capture_output=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    # JSON Lines are separated by "\n" alone: a string may hold U+2028 or U+0085.
    lines = [json.loads(line) for line in done.stdout.decode("utf-8").split("\n") if line]
    results = [line for line in lines if "path" in line]
    assert [r["path"] for r in results] == [str(p) for p in batch]
    faults = [f for r in results for f in r["findings"] if f["code"] == "internal-error"]
    assert not faults


def test_only_a_usage_error_exits_2(batch: list[Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dicomstd", "validate", "--format", "nonsense", str(batch[0])],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2
