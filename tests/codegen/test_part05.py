"""The PS3.5 parser (dicomstd.codegen.part05): the VR table and its Length of Value column as
numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dicomstd.codegen import docbook, part05
from dicomstd.codegen.diagnostics import InputError, Severity
from dicomstd.codegen.model import ValueRepresentation
from tests.codegen.support import fixture


def parse_fixture() -> tuple[dict[str, ValueRepresentation], docbook.Document]:
    document = docbook.load(fixture("vr_table", 5))
    result = part05.parse(document)
    return {vr.code: vr for vr in result.vrs}, document


@pytest.mark.parametrize(
    ("expression", "value"),
    [("16", 16), ("2^32-2", 4294967294), ("2^32-8", 2**32 - 8), ("2 ^ 16 + 1", 65537)],
)
def test_evaluate_length(expression: str, value: int) -> None:
    assert part05.evaluate_length(expression) == value


@pytest.mark.parametrize("expression", ["", "two", "2^", "16 bytes"])
def test_evaluate_length_rejects(expression: str) -> None:
    with pytest.raises(ValueError):
        part05.evaluate_length(expression)


def test_is_vr_table() -> None:
    assert part05.is_vr_table(("VR Name", "Definition", "Character Repertoire", "Length of Value"))
    assert not part05.is_vr_table(("Tag", "Name", "Keyword", "VR", "VM"))


def limits(vr: ValueRepresentation) -> tuple[int | None, bool, str | None, bool, int | None]:
    return (
        vr.max_length,
        vr.fixed_length,
        vr.length_unit,
        vr.per_component_group,
        vr.query_max_length,
    )


def test_length_forms() -> None:
    vrs, _ = parse_fixture()
    assert limits(vrs["AE"]) == (16, False, "bytes", False, None)
    assert limits(vrs["DA"]) == (8, True, "bytes", False, 18)
    assert limits(vrs["PN"]) == (64, False, "chars", True, None)
    assert limits(vrs["OD"]) == (2**32 - 8, False, "bytes", False, None)
    assert limits(vrs["UT"]) == (2**32 - 2, False, "bytes", False, None)
    assert limits(vrs["US"]) == (2, True, "bytes", False, None)
    for code in ("OB", "SQ", "UN"):
        assert limits(vrs[code]) == (None, False, None, False, None), code


def test_name_definition_and_source() -> None:
    vrs, _ = parse_fixture()
    pn = vrs["PN"]
    assert (pn.name, pn.source, pn.row) == ("Person Name", "table_6.2-1", 3)
    assert pn.definition == "A character string encoded using a 5 component convention."
    assert vrs["OD"].length_text == "2^32-8 bytes maximum"


def test_odd_rows_are_reported_not_guessed() -> None:
    vrs, document = parse_fixture()
    assert limits(vrs["XQ"]) == (None, False, None, False, None)
    found = {(d.code, d.row, d.severity) for d in document.diagnostics}
    assert ("vr-length-unread", 10, Severity.WARNING) in found
    assert ("duplicate-vr", 11, Severity.WARNING) in found
    assert ("bad-vr", 12, Severity.ERROR) in found
    # the first AE row wins; the lower-case code is not a VR
    assert vrs["AE"].max_length == 16
    assert "ab" not in vrs
    assert len(vrs) == 27


def test_counts_name_the_table() -> None:
    document = docbook.load(fixture("vr_table", 5))
    assert part05.parse(document).counts == {"table_6.2-1": 27}


def test_a_part_that_is_not_ps35_is_refused() -> None:
    document = docbook.load(fixture("masks"))
    with pytest.raises(InputError, match=r"expected PS3\.5 but the document is PS3\.6"):
        part05.parse(document)


def test_a_ps35_without_a_vr_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "part05.xml"
    path.write_text(
        '<book xmlns="http://docbook.org/ns/docbook">'
        "<subtitle>DICOM PS3.5 2099a - Data Structures and Encoding</subtitle></book>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no Value Representation table") as caught:
        part05.parse(docbook.load(path))
    assert caught.value.file == str(path)
