"""``python -m dicomstd.codegen generate`` on the quirk fixtures: exit status, messages, report,
--out.

Unusable input exits 1 with a message naming the file (and table and row where there is one) and
leaves ``--out`` exactly as it was. Usable input writes the package and the JSON report.
"""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.codegen.support import (
    body_row_count,
    fixture,
    require_pinned_parts,
    run_codegen,
    snapshot,
)

VR_TABLE = fixture("vr_table", 5)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder that already holds something, to prove a failure leaves it alone."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "sentinel.txt").write_text("left alone\n", encoding="utf-8")
    return folder


def generate(part06: Path, out: Path, *, part05: Path = VR_TABLE) -> tuple[int, str, Path]:
    require_pinned_parts(except_parts=(5, 6))
    report = out / "r.json"
    result = run_codegen(
        "generate",
        "--part",
        f"05={part05}",
        "--part",
        f"06={part06}",
        "--out",
        str(out),
        "--report",
        str(report),
    )
    return result.returncode, result.stderr, report


def assert_refused(out: Path, before: dict[str, bytes], code: int, stderr: str) -> None:
    assert code == 1, stderr
    assert stderr.startswith("error: "), stderr
    assert "Traceback" not in stderr
    assert snapshot(out) == before
    assert not (out / "r.json").exists()


# -- unusable input ----------------------------------------------------------------------------
def test_malformed_xml(out: Path) -> None:
    before = snapshot(out)
    path = fixture("malformed")
    code, stderr, _ = generate(path, out)
    assert_refused(out, before, code, stderr)
    assert f"{path}: not well-formed XML (line 16)" in stderr


def test_a_part_that_is_not_ps36(out: Path) -> None:
    before = snapshot(out)
    path = fixture("not_ps36")
    code, stderr, _ = generate(path, out)
    assert_refused(out, before, code, stderr)
    assert f"{path}: expected PS3.6 but the document is PS3.5" in stderr


def test_a_ps36_given_as_ps35(out: Path) -> None:
    before = snapshot(out)
    path = fixture("masks")
    code, stderr, _ = generate(path, out, part05=path)
    assert_refused(out, before, code, stderr)
    assert f"{path}: expected PS3.5 but the document is PS3.6" in stderr


def test_a_missing_file(out: Path, tmp_path: Path) -> None:
    before = snapshot(out)
    path = tmp_path / "nowhere" / "part06.xml"
    code, stderr, _ = generate(path, out)
    assert_refused(out, before, code, stderr)
    assert f"{path}: file not found" in stderr


def test_a_registry_table_that_cannot_be_read_names_table_and_row(
    out: Path, tmp_path: Path
) -> None:
    text = fixture("th_cells").read_text(encoding="utf-8")
    path = tmp_path / "part06.xml"
    # every tag cell loses its closing parenthesis and comma: no row is readable any more
    path.write_text(text.replace(",00", " 00"), encoding="utf-8")
    before = snapshot(out)
    code, stderr, _ = generate(path, out)
    assert_refused(out, before, code, stderr)
    assert f"{path}, table_6-1, row 1: none of the 3 rows of registry table 6-1" in stderr


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("<para>" * 1500 + "x" + "</para>" * 1500, "elements nested more than 256 deep"),
        ('<para>x</para></td><td colspan="100000000">', "a row wider than 64 columns"),
    ],
    ids=["nested-1500-deep", "colspan-100000000"],
)
def test_input_past_the_reader_limits_is_refused_naming_table_and_row(
    out: Path, tmp_path: Path, cell: str, message: str
) -> None:
    text = fixture("th_cells").read_text(encoding="utf-8")
    path = tmp_path / "part06.xml"
    first_row = text.index("<tr>", text.index("<tbody>"))
    path.write_text(text[:first_row] + f"<tr><td>{cell}</td></tr>" + text[first_row:])
    before = snapshot(out)
    code, stderr, _ = generate(path, out)
    assert_refused(out, before, code, stderr)
    assert stderr.startswith(f"error: {path}, table_6-1, row 1: {message}"), stderr


def test_an_entity_bomb_is_refused_or_left_unexpanded(out: Path) -> None:
    before = snapshot(out)
    path = fixture("entity_bomb")
    code, stderr, report = generate(path, out)
    if code == 1:  # libxml2 >= 2.12: entity amplification limit
        assert_refused(out, before, code, stderr)
        assert f"{path}: " in stderr
        assert "entity" in stderr.lower()
    else:
        assert code == 0, stderr
        assert "lollol" not in (out / "dictionary.py").read_text(encoding="utf-8")
        codes = {d["code"] for d in json.loads(report.read_text())["diagnostics"]}
        assert "entity-not-expanded" in codes


def test_a_remote_dtd_is_refused_or_ignored(out: Path) -> None:
    before = snapshot(out)
    path = fixture("remote_dtd")
    code, stderr, _ = generate(path, out)
    if code == 1:  # today: libxml2 refuses to load the DTD and the loader gives up
        assert_refused(out, before, code, stderr)
        assert f"{path}: " in stderr
    else:
        assert code == 0, stderr
        assert (out / "dictionary.py").is_file()


# -- usable input ------------------------------------------------------------------------------
def entries(path: Path, name: str = "ENTRIES") -> Any:
    """The literal value of one module-level assignment of a generated file, without importing."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
            and node.value is not None
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path}: no {name}")


def test_external_entities_are_not_read_into_the_output(out: Path) -> None:
    code, stderr, report = generate(fixture("external_entity"), out)
    assert code == 0, stderr
    secret = (fixture("external_entity").parent / "secret.txt").read_text().strip()
    for generated in out.rglob("*.py"):
        assert secret not in generated.read_text(encoding="utf-8"), generated
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {d["code"] for d in data["diagnostics"]} >= {"entity-not-expanded"}


def test_masks_end_to_end(out: Path) -> None:
    path = fixture("masks")
    code, stderr, report = generate(path, out)
    assert code == 0, stderr
    assert not (out / "sentinel.txt").exists()  # the folder was replaced as a whole
    rows = {(row[0], row[1]): row for row in entries(out / "dictionary.py")}
    assert rows[(0x60003000, 0xFF00FFFF)][2:8] == (
        "Overlay Data",
        "OverlayData",
        "OB OW",
        "1",
        False,
        "table_6-1",
    )
    assert rows[(0x10000000, 0xFFFF000F)][3] == "EscapeTriplet"
    assert rows[(0x50000000, 0xFF000000)][6] is True
    data = json.loads(report.read_text(encoding="utf-8"))
    # 9 body rows, one of which has a tag that is not a tag
    assert body_row_count(path, "table_6-1") == 9
    assert data["counts"]["table_6-1"] == 8
    bad = [d for d in data["diagnostics"] if d["code"] == "bad-tag"]
    assert bad == [
        {
            "severity": "error",
            "code": "bad-tag",
            "file": "part06.xml",
            "table": "table_6-1",
            "row": 7,
            "message": "tag '(60yy,3001)' is not (gggg,eeee)",
        }
    ]


def test_report_lists_parts_counts_and_diagnostics(out: Path) -> None:
    path = fixture("uids_without_keyword")
    code, stderr, report = generate(path, out)
    assert code == 0, stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    parts = {part["part"]: part for part in data["parts"]}
    for number, source in ((5, VR_TABLE), (6, path)):
        assert parts[number]["edition"] == "2099a"
        assert parts[number]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
        assert Path(parts[number]["path"]).name == source.name
        assert Path(parts[number]["path"]).parent.name == source.parent.name
    counts = data["counts"]
    assert counts["table_6.2-1"] == 27  # 29 body rows: a duplicate AE and a lower-case code
    assert body_row_count(VR_TABLE, "table_6.2-1") == 29
    for table in ("table_6-1", "table_A-2", "table_A-3", "table_A-4"):
        assert counts[table] == body_row_count(path, table), table
    assert counts["table_A-1"] == body_row_count(path, "table_A-1") - 1  # the bad UID value
    for diagnostic in data["diagnostics"]:
        assert set(diagnostic) == {"severity", "code", "file", "table", "row", "message"}
        assert diagnostic["severity"] in ("error", "warning", "info")
    located = {
        (d["file"], d["table"], d["row"], d["code"])
        for d in data["diagnostics"]
        if d["file"] == "part06.xml"
    }
    assert ("part06.xml", "table_A-1", 9, "bad-uid") in located
    assert ("part06.xml", "table_A-4", 1, "uid-name-is-link") in located
    summary = data["summary"]["diagnostics"]
    assert summary["error"] == sum(1 for d in data["diagnostics"] if d["severity"] == "error")
    uid_rows = {row[0]: row for row in entries(out / "uids.py")}
    assert uid_rows["1.2.840.10008.1.2"][2] == "ImplicitVRLittleEndian"
    assert uid_rows["1.2.840.10008.9.1"][2] == ""


# (quirk, generated file, key of the row, index in the row, expected value)
END_TO_END = [
    ("spans", "dictionary.py", (0x00080010, 0xFFFFFFFF), 6, True),  # RET spanned down
    ("th_cells", "dictionary.py", (0x00100020, 0xFFFFFFFF), 3, "PatientID"),
    ("multi_vr", "dictionary.py", (0x00281200, 0xFFFFFFFF), 4, "US SS OW"),
    ("vm_forms", "dictionary.py", (0x00880912, 0xFFFFFFFF), 5, "1-32"),
    ("retired", "dictionary.py", (0x00080010, 0xFFFFFFFF), 8, "RET (2004)"),
    ("empty_cells", "dictionary.py", (0x00280020, 0xFFFFFFFF), 2, ""),
    ("keyword_whitespace", "dictionary.py", (0x7FE00008, 0xFFFFFFFF), 3, "FloatPixelData"),
    ("uids_with_keyword", "uids.py", ("1.2.840.10008.1.2.4.100",), 2, "MPEG2MPML"),
]
DROPPED = {"bad-tag", "row-shape"}  # diagnostics of rows that give no entry


@pytest.mark.parametrize(
    ("quirk", "module", "key", "index", "expected"), END_TO_END, ids=[q[0] for q in END_TO_END]
)
def test_each_quirk_through_the_command_line(
    out: Path, quirk: str, module: str, key: tuple[object, ...], index: int, expected: object
) -> None:
    path = fixture(quirk)
    code, stderr, report = generate(path, out)
    assert code == 0, stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    dropped = sum(
        1
        for d in data["diagnostics"]
        if d["code"] in DROPPED and d["file"] == "part06.xml" and d["table"] == "table_6-1"
    )
    rows = body_row_count(path, "table_6-1")
    assert data["counts"]["table_6-1"] == rows - dropped
    elements = entries(out / "dictionary.py")
    assert len(elements) == rows - dropped
    generated = {tuple(row[: len(key)]): row for row in entries(out / module)}
    assert generated[key][index] == expected
