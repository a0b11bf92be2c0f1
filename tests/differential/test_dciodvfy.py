"""Differential test: dicomstd's errors against dciodvfy's, per file and tag, on pydicom's files.

Both validate every file of pydicom's test folder; dicomstd with the build of the whole standard
(the ``full_build`` fixture, used in a subprocess through ``DICOMSTD_BUILD``). An error is keyed
by file and tag; one reported by only one side is a disagreement, and every disagreement must be
listed in ``dciodvfy_allowlist.toml`` with its reason read from the standard. The test fails on a
disagreement not listed and on a listed one that no longer occurs. dciodvfy is Debian's
dicom3tools (``.ci/run`` installs it); without it the test skips, except under ``CI=true``.
"""

from __future__ import annotations

import fnmatch
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydicom.data import get_testdata_file

from tests.conftest import unavailable
from tests.differential.dciodvfy import Comparison, compare, dciodvfy_errors, dicomstd_errors

ALLOWLIST = Path(__file__).with_name("dciodvfy_allowlist.toml")
SIDES = ("ours", "theirs")
STATUSES = ("settled", "open", "not-checked")


def _dciodvfy() -> str:
    found = shutil.which("dciodvfy")
    if found is None:
        unavailable("dciodvfy (Debian package dicom3tools) is not installed")
    return found


def _corpus() -> tuple[Path, list[Path]]:
    sample = get_testdata_file("CT_small.dcm")
    assert sample is not None
    root = Path(sample).parent
    # DICOM JSON (PS3.18 F) is validated by dicomstd but not read by dciodvfy: nothing to compare.
    return root, sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".json")


@pytest.fixture(scope="module")
def comparison(full_build: Path) -> Comparison:
    executable = _dciodvfy()
    root, files = _corpus()
    ours = dicomstd_errors(full_build, files)
    return compare(
        (str(f.relative_to(root)), ours[str(f)], dciodvfy_errors(executable, f)) for f in files
    )


def _allowlist() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads(ALLOWLIST.read_text(encoding="utf-8"))
    for entry in data["disagreement"]:
        assert entry["side"] in SIDES, entry
        assert entry["status"] in STATUSES, entry
        assert entry["reason"].strip() and entry["tags"] and entry["files"], entry
    assert data["aborted"]["files"] and data["aborted"]["reason"].strip()
    return data


def _matches(entry: dict[str, Any], side: str, name: str, tag: str) -> bool:
    return (
        entry["side"] == side
        and tag in entry["tags"]
        and any(fnmatch.fnmatchcase(name, pattern) for pattern in entry["files"])
    )


def test_every_disagreement_with_dciodvfy_is_listed(comparison: Comparison) -> None:
    data = _allowlist()
    entries: list[dict[str, Any]] = data["disagreement"]
    used = [0] * len(entries)
    unlisted: list[str] = []
    for side, found in (("ours", comparison.ours), ("theirs", comparison.theirs)):
        for name, tag in found:
            hits = [i for i, entry in enumerate(entries) if _matches(entry, side, name, tag)]
            for index in hits:
                used[index] += 1
            if not hits:
                unlisted.append(f"only {side}: {name} {tag}")
    stale = [
        f"{e['side']} {e['tags']} {e['files']}" for e, n in zip(entries, used, strict=True) if not n
    ]
    print(
        f"\ndciodvfy differential: {len(comparison.agree)} agree, {len(comparison.ours)} only "
        f"dicomstd, {len(comparison.theirs)} only dciodvfy (file, tag); dciodvfy aborted on "
        f"{len(comparison.aborted)} files; open: "
        f"{sum(n for e, n in zip(entries, used, strict=True) if e['status'] == 'open')}"
    )
    assert not unlisted, "disagreements not in the allowlist:\n" + "\n".join(unlisted)
    assert not stale, "allowlist entries that no longer occur:\n" + "\n".join(stale)


def test_files_dciodvfy_aborts_on_are_listed(comparison: Comparison) -> None:
    listed = set(_allowlist()["aborted"]["files"])
    assert set(comparison.aborted) == listed
