"""Shared fixtures.

``standard_dir`` is the folder of the standard's XML (``<dir>/<edition>/partNN.xml``): the
``DICOMSTD_STANDARD_DIR`` environment variable, else the download cache. Tests that need it skip
with a reason when it is absent, except under ``CI=true``, where its absence is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "codegen" / "fixtures"


def _standard_dir() -> Path | None:
    env = os.environ.get("DICOMSTD_STANDARD_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT / "standard" / "cache")
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*/part*.xml")):
            return candidate
    return None


def unavailable(reason: str) -> NoReturn:
    """Skip a test whose input is missing; under CI=true, fail it."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " (required under CI=true)")
    pytest.skip(reason)


def require_part(edition: str, part: int) -> Path:
    """The path of one part of one edition, or skip (fail under CI=true) when it is absent."""
    base = _standard_dir()
    path = base / edition / f"part{part:02d}.xml" if base else None
    if path is None or not path.is_file():
        reason = (
            f"PS3.{part} {edition} XML not available: set DICOMSTD_STANDARD_DIR to a folder "
            f"holding {edition}/part{part:02d}.xml"
        )
        unavailable(reason)
    return path


@pytest.fixture(scope="session")
def standard_dir() -> Path:
    base = _standard_dir()
    if base is None:
        unavailable("the standard's XML is not available: set DICOMSTD_STANDARD_DIR")
    return base


# The whole standard, for scale and breadth: the full-size PS3.3 stand-in (see
# ../shared/standard/README.md) with the real PS3.4/PS3.5 2020c and PS3.6 2015b.
FULL_STANDARD = {3: "full-2020-reconstructed", 4: "2020c", 5: "2020c", 6: "2015b"}


@pytest.fixture(scope="session")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated package of the whole standard (once per session); use it in a subprocess
    with ``DICOMSTD_BUILD`` set to this folder."""
    parts = {number: require_part(edition, number) for number, edition in FULL_STANDARD.items()}
    out = tmp_path_factory.mktemp("full-build") / "_generated"
    command = [sys.executable, "-m", "dicomstd.codegen", "generate", "--quiet", "--out", str(out)]
    for number, path in sorted(parts.items()):
        command += ["--part", f"{number:02d}={path}"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


def validate_with_build(build: Path, paths: list[Path]) -> list[dict[str, Any]]:
    """The JSON results of ``dicomstd validate`` run on ``paths`` with the generated package
    ``build`` (``DICOMSTD_BUILD``), in a new process; exit 0 or 1 (findings), nothing else."""
    environment = dict(os.environ, DICOMSTD_BUILD=str(build))
    done = subprocess.run(
        [sys.executable, "-m", "dicomstd", "validate", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    files: list[dict[str, Any]] = json.loads(done.stdout)["files"]
    return files
