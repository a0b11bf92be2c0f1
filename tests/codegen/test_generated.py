"""The generated package from the pinned inputs: deterministic, headed, and what is committed.

Also the generation report of a real run: inputs with their SHA-256, counts per source table
(checked against an XPath count of the XML) and located diagnostics.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dicomstd.codegen import inputs
from tests.codegen.support import (
    body_row_count,
    require_pinned_parts,
    run_codegen,
    snapshot,
)
from tests.conftest import ROOT, require_part

pytestmark = pytest.mark.standard

COMMITTED = ROOT / "src" / "dicomstd" / "_generated"
HEADER_PART = re.compile(r"^# (PS3\.(\d+)) (\S+): sha256 ([0-9a-f]{64})$")


@dataclass(frozen=True)
class Generation:
    first: Path
    second: Path
    report: dict[str, Any]


@pytest.fixture(scope="module")
def generation(tmp_path_factory: pytest.TempPathFactory) -> Generation:
    """Two generations from the pinned inputs into two folders; the first with a report."""
    require_pinned_parts()
    base = tmp_path_factory.mktemp("generations")
    first, second, report = base / "one", base / "two", base / "report.json"
    result = run_codegen("generate", "--out", str(first), "--report", str(report))
    assert result.returncode == 0, result.stderr
    result = run_codegen("generate", "--out", str(second), "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # --quiet
    return Generation(first, second, json.loads(report.read_text(encoding="utf-8")))


def python_files(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(folder).items() if "__pycache__" not in name}


def test_two_generations_are_byte_identical(generation: Generation) -> None:
    first, second = python_files(generation.first), python_files(generation.second)
    assert sorted(first) == sorted(second)
    assert {"__init__.py", "dictionary.py", "tags.py", "uids.py", "vrs.py"} <= set(first)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def pinned_hashes() -> dict[int, tuple[str, str]]:
    """Part number -> (edition, SHA-256 computed here from the file a generation reads)."""
    out: dict[int, tuple[str, str]] = {}
    for number, pin in inputs.read_pins().items():
        path = require_part(pin.edition, number)
        out[number] = (pin.edition, hashlib.sha256(path.read_bytes()).hexdigest())
    return out


def header_parts(text: str) -> dict[int, tuple[str, str, str]]:
    """Part number -> (title, edition, sha256) named in the leading comment block."""
    named: dict[int, tuple[str, str, str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER_PART.match(line)
        if match:
            named[int(match.group(2))] = (match.group(1), match.group(3), match.group(4))
    return named


def test_every_generated_file_has_a_header_naming_its_inputs(generation: Generation) -> None:
    hashes = pinned_hashes()
    files = python_files(generation.first)
    for name, data in files.items():
        text = data.decode("utf-8")
        first_line = text.splitlines()[0]
        assert "@generated" in first_line and "DO NOT EDIT" in first_line, name
        named = header_parts(text)
        assert named, f"{name} names no input"
        for number, (title, edition, digest) in named.items():
            assert title == f"PS3.{number}", name
            assert (edition, digest) == hashes[number], f"{name}: {title}"
        head = "\n".join(line for line in text.splitlines() if line.startswith("#"))
        assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b|\b\d\d:\d\d(:\d\d)?\b", head), name
    assert set(header_parts(files["vrs.py"].decode())) == {5}
    for name in ("dictionary.py", "tags.py", "uids.py"):
        assert set(header_parts(files[name].decode())) == {6}, name
    assert set(header_parts(files["__init__.py"].decode())) == set(hashes)


def test_generated_code_stays_within_the_line_length(generation: Generation) -> None:
    # Data tables are one entry per line (a changed value is a one-line diff showing its tag):
    # longer lines only between "# fmt: off" and "# fmt: on" of a file that tells the linter.
    tables = 0
    for name, data in python_files(generation.first).items():
        lines = data.decode().splitlines()
        table = (
            range(lines.index("# fmt: off"), lines.index("# fmt: on"))
            if "# ruff: noqa: E501" in lines and "# fmt: off" in lines
            else range(0)
        )
        tables += bool(table)
        long = [n for n, line in enumerate(lines, 1) if len(line) > 100 and n - 1 not in table]
        assert long == [], f"{name}: lines {long[:5]} are longer than 100 characters"
    assert tables >= 1  # dictionary.py at least


def test_committed_package_equals_a_fresh_generation(generation: Generation) -> None:
    committed, fresh = python_files(COMMITTED), python_files(generation.first)
    assert sorted(committed) == sorted(fresh), "run `make generate`"
    assert [name for name in fresh if committed[name] != fresh[name]] == [], "run `make generate`"


def test_check_generated_succeeds_on_the_committed_package() -> None:
    require_pinned_parts()
    result = run_codegen("check-generated")
    assert result.returncode == 0, result.stderr
    assert "equals a fresh generation" in result.stderr


def test_check_generated_reports_a_tampered_copy(generation: Generation, tmp_path: Path) -> None:
    copy = tmp_path / "_generated"
    shutil.copytree(generation.first, copy)
    dictionary = copy / "dictionary.py"
    dictionary.write_text(
        dictionary.read_text(encoding="utf-8").replace('"Patient\'s Name"', '"Patient Name"', 1),
        encoding="utf-8",
    )
    (copy / "uids.py").unlink()
    (copy / "extra.py").write_text("X = 1\n", encoding="utf-8")
    result = run_codegen("check-generated", "--out", str(copy))
    assert result.returncode == 1
    assert "differs from a fresh generation" in result.stderr
    lines = {line.strip() for line in result.stderr.splitlines()}
    assert {
        "differs: dictionary.py",
        "missing: uids.py",
        "not generated any more: extra.py",
    } <= lines
    assert not any(line.startswith("differs: tags.py") for line in lines)


# -- the generation report ---------------------------------------------------------------------
def test_report_names_every_input_with_its_hash(generation: Generation) -> None:
    hashes = pinned_hashes()
    parts = {part["part"]: part for part in generation.report["parts"]}
    assert set(parts) == set(hashes)
    for number, (edition, digest) in hashes.items():
        part = parts[number]
        assert (part["edition"], part["sha256"]) == (edition, digest)
        path = Path(part["path"])
        path = path if path.is_absolute() else ROOT / path
        assert path.resolve() == require_part(edition, number).resolve()


def test_report_counts_equal_the_body_rows_of_each_table(generation: Generation) -> None:
    counts = generation.report["counts"]
    part06 = require_part("2015b", 6)
    part05 = require_part("2015b", 5)
    assert counts["table_6-1"] == body_row_count(part06, "table_6-1") == 3879
    for table in ("table_7-1", "table_8-1", "table_A-1", "table_A-2", "table_A-3", "table_A-4"):
        assert counts[table] == body_row_count(part06, table), table
    assert counts["table_6.2-1"] == body_row_count(part05, "table_6.2-1") == 30


def test_report_diagnostics_are_located(generation: Generation) -> None:
    diagnostics = generation.report["diagnostics"]
    assert diagnostics
    for diagnostic in diagnostics:
        assert set(diagnostic) == {"severity", "code", "file", "table", "row", "message"}
        assert diagnostic["severity"] in ("error", "warning", "info")
        assert diagnostic["code"] and diagnostic["message"] and diagnostic["file"]
    found = {(d["file"], d["table"], d["row"], d["code"]) for d in diagnostics}
    # table_6-1 row 1045 of 2015b: (0018,9445), retired, every other cell empty
    assert ("part06.xml", "table_6-1", 1045, "unnamed-element") in found
    # table_6-1 row 3877: (FFFE,E000) Item, VR "See Note 2"
    assert ("part06.xml", "table_6-1", 3877, "vr-not-given") in found
    # table_A-4 row 1: the name only links to PS3.20
    assert ("part06.xml", "table_A-4", 1, "uid-name-is-link") in found
    summary = generation.report["summary"]["diagnostics"]
    for severity in ("error", "warning", "info"):
        assert summary[severity] == sum(1 for d in diagnostics if d["severity"] == severity)
    assert summary["error"] == 0
