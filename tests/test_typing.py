"""mypy over tests/typing: the usage examples pass, every example under fail/ fails as expected."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

TYPING = ROOT / "tests" / "typing"
FAIL = TYPING / "fail"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for this module's runs, apart from the project's."""
    return tmp_path_factory.mktemp("mypy-cache")


def mypy(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(cache),
            "--no-color-output",
            "--no-error-summary",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def fail_examples() -> list[Path]:
    return sorted(path for path in FAIL.iterdir() if path.is_file() and ".py" in path.name)


def test_usage_examples_pass_and_fail_examples_stay_out(cache_dir: Path) -> None:
    result = mypy("tests/typing", cache=cache_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert fail_examples(), "no example under tests/typing/fail"


@pytest.mark.parametrize("example", fail_examples(), ids=lambda path: path.name)
def test_fail_example_fails_with_the_expected_errors(example: Path, cache_dir: Path) -> None:
    expected = re.findall(r"^# expect: (.+)$", example.read_text(encoding="utf-8"), re.MULTILINE)
    assert expected, f"{example.name} has no '# expect:' line"
    result = mypy(str(example.relative_to(ROOT)), cache=cache_dir)
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(errors) == len(expected), result.stdout
    for fragment, error in zip(expected, errors, strict=True):
        assert fragment in error, f"expected {fragment!r} in {error!r}"
