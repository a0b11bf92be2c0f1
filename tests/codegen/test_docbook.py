"""The load stage (codegen docbook.py): safe loading and the table reader, a quirk a fixture."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dicomstd.codegen import docbook
from dicomstd.codegen.diagnostics import InputError
from tests.codegen.support import FIXTURES, fixture


def texts(table: docbook.Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table(quirk: str, ident: str) -> docbook.Table:
    found = docbook.load(fixture(quirk)).table(ident)
    assert found is not None, f"{quirk}: no table {ident}"
    return found


# -- what a document is ------------------------------------------------------------------------
def test_subtitle_gives_part_edition_and_title() -> None:
    document = docbook.load(fixture("masks"))
    assert (document.part, document.edition, document.part_title) == (6, "2099a", "Data Dictionary")
    assert document.name == "part06.xml"


def test_a_part_that_is_not_the_expected_one_is_refused() -> None:
    path = fixture("not_ps36")
    assert docbook.load(path).part == 5  # loads fine as what it is
    with pytest.raises(InputError) as caught:
        docbook.load(path, expect_part=6)
    assert caught.value.file == str(path)
    assert "expected PS3.6 but the document is PS3.5" in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_book_without_a_dicom_subtitle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "part06.xml"
    path.write_text(
        '<book xmlns="http://docbook.org/ns/docbook"><title>A Novel</title>'
        "<subtitle>Chapter and Verse</subtitle></book>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="not a DICOM standard part") as caught:
        docbook.load(path)
    assert caught.value.file == str(path)


def test_xml_that_is_not_docbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "part06.xml"
    path.write_text("<html><body>DICOM PS3.6 2099a - Data Dictionary</body></html>")
    with pytest.raises(InputError, match="not a DocBook book"):
        docbook.load(path)


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_a_path_that_is_no_file_is_refused(tmp_path: Path, make: str) -> None:
    path = tmp_path / "part06.xml"
    if make == "folder":
        path.mkdir()
    with pytest.raises(InputError) as caught:
        docbook.load(path)
    assert caught.value.file == str(path)
    assert ("not found" if make == "missing" else "not a regular file") in caught.value.message


def test_malformed_xml_names_the_file_and_line() -> None:
    path = fixture("malformed")
    with pytest.raises(InputError) as caught:
        docbook.load(path)
    message = str(caught.value)
    assert message.startswith(str(path) + ": not well-formed XML (line 16)")
    assert "mismatch" in message


# -- entities and DTDs: never expanded, never fetched ------------------------------------------
def all_text(document: docbook.Document) -> str:
    return "\n".join(cell.text for t in document.tables() for row in t.rows for cell in row.cells)


def test_internal_entity_bomb_is_never_expanded() -> None:
    path = fixture("entity_bomb")
    try:
        document = docbook.load(path)
    except InputError as error:
        # libxml2 >= 2.12 refuses the document outright (entity amplification limit).
        assert error.file == str(path)
        assert "entity" in error.message.lower()
        return
    table = document.table("table_6-1")
    assert table is not None
    assert [row.cells[1].text for row in table.rows] == ["Patient's Name", "Patient ID"]
    assert "lol" not in all_text(document)
    codes = [d.code for d in document.diagnostics]
    assert "entity-not-expanded" in codes


def test_external_system_entities_are_never_read() -> None:
    secret = (FIXTURES / "external_entity" / "secret.txt").read_text().strip()
    document = docbook.load(fixture("external_entity"))
    table = document.table("table_6-1")
    assert table is not None
    assert texts(table) == [
        ["(0010,0010)", "Patient's Name", "PatientName", "PN", "1", ""],
        ["(0010,0020)", "Patient ID", "PatientID", "LO", "1", ""],
    ]
    text = all_text(document)
    assert secret not in text
    assert "root:" not in text  # /etc/passwd
    warnings = [d for d in document.diagnostics if d.code == "entity-not-expanded"]
    assert sorted(d.message.split()[2] for d in warnings) == ["&passwd;", "&secret;"]


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY remote "FETCHED-FROM-THE-NETWORK">')

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _remote_copy(tmp_path: Path, host: str) -> Path:
    text = fixture("remote_dtd").read_text(encoding="utf-8")
    assert "http://dicomstd.invalid/" in text
    path = tmp_path / "part06.xml"
    path.write_text(text.replace("dicomstd.invalid", host), encoding="utf-8")
    return path


def test_a_doctype_with_an_http_dtd_never_reaches_the_network(
    tmp_path: Path, local_server: str
) -> None:
    path = _remote_copy(tmp_path, local_server)
    try:
        document = docbook.load(path)
    except InputError as error:
        assert error.file == str(path)
    else:
        assert "FETCHED" not in all_text(document)
    assert _Recorder.requests == []


def test_a_doctype_with_an_http_dtd_is_ignored(tmp_path: Path, local_server: str) -> None:
    document = docbook.load(_remote_copy(tmp_path, local_server))
    table = document.table("table_6-1")
    assert table is not None
    assert texts(table) == [["(0010,0010)", "Patient's Name", "PatientName", "PN", "1", ""]]
    assert _Recorder.requests == []


# -- the table reader --------------------------------------------------------------------------
def test_rowspan_and_colspan_fill_the_grid() -> None:
    spans = table("spans", "table_X-1")
    assert spans.header == ("AB", "AB", "C", "D")
    assert spans.width == 4
    assert texts(spans) == [
        ["a1", "b1", "cd1", "cd1"],
        ["a1", "b2", "cd1", "cd1"],
        ["a1", "b3", "c3", "d3"],
        ["a4", "bcd4", "bcd4", "bcd4"],
        ["a5", "b5", "c5", "d5"],
    ]
    first, second, third = spans.rows[:3]
    # the spanned cell is one object, owned by the row it starts in
    assert first.cells[0] is second.cells[0] is third.cells[0]
    assert (first.cells[0].rowspan, first.cells[2].rowspan, first.cells[2].colspan) == (3, 2, 2)
    assert [c.text for c in second.distinct() if c.row == second.number] == ["b2"]
    assert [c.text for c in first.distinct()] == ["a1", "b1", "cd1"]
    assert [row.number for row in spans.rows] == [1, 2, 3, 4, 5]


def test_a_rowspan_past_the_last_row_is_reported() -> None:
    document = docbook.load(fixture("spans"))
    assert document.table("table_X-1") is not None
    overflow = [d for d in document.diagnostics if d.code == "rowspan-overflow"]
    assert [(d.table, d.row, d.file) for d in overflow] == [("table_X-1", 5, "part06.xml")]


def test_registry_rowspans_repeat_the_cell_in_the_rows_below() -> None:
    registry = table("spans", "table_6-1")
    assert registry.header == ("Tag", "Name", "Keyword", "VR", "VM", "")
    rows = texts(registry)
    assert rows[0] == ["(0008,0001)", "Length to End", "LengthToEnd", "UL", "1", "RET"]
    assert rows[1] == ["(0008,0010)", "Recognition Code", "RecognitionCode", "SH", "1", "RET"]
    assert rows[3] == [
        "(0028,0107)",
        "Largest Image Pixel Value",
        "LargestImagePixelValue",
        "US or SS",
        "1",
        "",
    ]
    # the colspan row: the spanned name fills the keyword column too
    assert rows[4] == ["(0010,0020)", "Patient ID", "Patient ID", "LO", "1", ""]
    assert rows[5][0] == "(0010,0030)"


def test_th_body_cells_are_cells_marked_as_header() -> None:
    registry = table("th_cells", "table_6-1")
    assert texts(registry)[1] == ["(0010,0020)", "Patient ID", "PatientID", "LO", "1", ""]
    assert [cell.header for cell in registry.rows[0].cells] == [True] + [False] * 5
    assert all(cell.header for cell in registry.rows[1].cells)
    assert not any(cell.header for cell in registry.rows[2].cells)


def test_header_is_read_without_the_body() -> None:
    document = docbook.load(fixture("th_cells"))
    assert document.header("table_6-1") == ("Tag", "Name", "Keyword", "VR", "VM", "")
    assert document.header("no_such_table") == ()
    assert document.table("no_such_table") is None
    assert document.table("chapter_6") is None  # an id, but not a table


def test_cell_text_drops_zero_width_characters_and_folds_spaces() -> None:
    registry = table("keyword_whitespace", "table_6-1")
    assert [(row.cells[1].text, row.cells[2].text) for row in registry.rows] == [
        ("Patient's Name", "PatientName"),
        ("Float Pixel Data", "FloatPixelData"),
        ("Patient ID", "PatientID"),
        ("Study Date", "Study Date"),
        ("Study Time", "Study Time"),
        ("Accession Number", "Accession-Number"),
    ]


def test_empty_cells_read_as_empty_text() -> None:
    registry = table("empty_cells", "table_6-1")
    assert texts(registry)[0] == ["(0028,0020)", "", "", "", "", "RET"]
    assert texts(registry)[3][4] == ""  # a cell holding only a zero-width space


def test_cross_references_become_links_with_text() -> None:
    registry = table("retired", "table_6-1")
    note_cell = registry.rows[2].cells[5]
    assert note_cell.text == "RET - See Note 3"
    assert [(link.kind, link.target, link.resolved) for link in note_cell.links] == [
        ("xref", "note_6_3", True)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Patient\u200bName", "PatientName"),
        ("Float\u200b\u200bPixel\u200b\u200bData", "FloatPixelData"),
        ("\ufeffa\u2060b\u200cc\u200dd\u00ade", "abcde"),
        ("  a \n\t b\u00a0\u2009c\u3000d  ", "a b c d"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert docbook.normalize(text) == expected


_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


@given(
    st.text(
        st.one_of(
            st.characters(),
            st.sampled_from(" \t\n\r\u00a0\u2009\u3000\u2028\x1c\x85" + _ZERO_WIDTH),
        )
    )
)
def test_normalize_folds_what_a_regular_expression_folds(text: str) -> None:
    """The definition: zero-width characters dropped, runs of ``\\s`` one space, ends trimmed."""
    expected = re.sub(r"\s+", " ", re.sub(f"[{_ZERO_WIDTH}]", "", text)).strip()
    assert docbook.normalize(text) == expected


# -- limits: what the standard never needs is refused, naming file, table and row -------------
# PS3.6 Table 6-1 "Registry of DICOM Data Elements" has six columns (Tag, Name, Keyword, VR, VM,
# and the retired note); the second body row below is the one each test makes hostile.
_HEAD = """<?xml version="1.0" encoding="utf-8"?>
<book xmlns="http://docbook.org/ns/docbook" xml:id="PS3.6" label="PS3.6" version="5.0">
<title>PS3.6</title><subtitle>DICOM PS3.6 2099a - Data Dictionary</subtitle>
<chapter label="6" xml:id="chapter_6"><title>Registry of DICOM Data Elements</title>
<table xml:id="table_6-1" label="6-1"><caption>{caption}</caption>
<thead><tr>{header}</tr></thead>
<tbody>
<tr><td><para>(0010,0010)</para></td><td><para>Patient's Name</para></td>
<td><para>PatientName</para></td><td><para>PN</para></td><td><para>1</para></td><td/></tr>
"""
_HEADER = "<th>Tag</th><th>Name</th><th>Keyword</th><th>VR</th><th>VM</th><th/>"
_TAIL = "</tbody></table></chapter></book>\n"


def hostile(
    tmp_path: Path,
    second_row: str,
    *,
    caption: str = "Registry of DICOM Data Elements",
    header: str = _HEADER,
) -> Path:
    """A PS3.6 with table 6-1 of two body rows, the second one ``second_row`` (``<td>``s)."""
    path = tmp_path / "part06.xml"
    path.write_text(
        _HEAD.format(caption=caption, header=header) + f"<tr>{second_row}</tr>\n" + _TAIL,
        encoding="utf-8",
    )
    return path


def refused(path: Path) -> InputError:
    """The error reading table 6-1 of ``path`` gives (at load or when the table is read)."""
    with pytest.raises(InputError) as caught:
        docbook.load(path).table("table_6-1")
    return caught.value


def nested(open_tag: str, close_tag: str, depth: int, inner: str = "x") -> str:
    return open_tag * depth + inner + close_tag * depth


_OTHER_CELLS = "<td><para>PatientID</para></td><td>LO</td><td>1</td><td/>"


def test_nesting_1500_deep_is_refused_by_the_parser_naming_table_and_row(tmp_path: Path) -> None:
    # Before: RecursionError out of the table reader.
    cell = "<td>" + nested("<para>", "</para>", 1500) + "</td>"
    path = hostile(tmp_path, "<td>(0010,0020)</td>" + cell + _OTHER_CELLS)
    error = refused(path)
    assert (error.file, error.table, error.row) == (str(path), "table_6-1", 2)
    assert error.message.startswith(f"elements nested more than {docbook.PARSER_DEPTH} deep")
    assert "line 10" in error.message


@pytest.mark.parametrize(
    ("open_tag", "close_tag"),
    [
        ("<itemizedlist><listitem>", "</listitem></itemizedlist>"),  # blocks
        ("<phrase><superscript>", "</superscript></phrase>"),  # inline text
    ],
    ids=["lists", "inline"],
)
def test_nesting_past_the_reader_limit_is_refused_naming_table_and_row(
    tmp_path: Path, open_tag: str, close_tag: str
) -> None:
    # Under the parser's 256 but past MAX_NESTING (the standard nests at most 4 deep in a cell).
    inner = '<para>see <xref linkend="table_6-1"/></para>'  # not plain text: the full reader
    cell = "<td>" + nested(open_tag, close_tag, 50, inner) + "</td>"
    path = hostile(tmp_path, "<td>(0010,0020)</td>" + cell + _OTHER_CELLS)
    error = refused(path)
    assert (error.file, error.table, error.row) == (str(path), "table_6-1", 2)
    assert error.message.startswith(f"elements nested more than {docbook.MAX_NESTING} deep")
    assert "docbook.MAX_NESTING" in error.message


def test_nesting_well_within_the_limits_reads(tmp_path: Path) -> None:
    open_tag, close_tag = "<itemizedlist><listitem>", "</listitem></itemizedlist>"
    cell = "<td>" + nested(open_tag, close_tag, 10, "<para>Patient ID</para>") + "</td>"
    found = docbook.load(hostile(tmp_path, "<td>(0010,0020)</td>" + cell + _OTHER_CELLS))
    table = found.table("table_6-1")
    assert table is not None
    assert texts(table)[1][:3] == ["(0010,0020)", "Patient ID", "PatientID"]


def test_a_colspan_of_100000000_is_refused_naming_table_and_row(tmp_path: Path) -> None:
    # Before: 39 s and 1.6 GB building a row of 100,000,000 cells from a 525-byte file.
    path = hostile(tmp_path, '<td colspan="100000000"><para>x</para></td>')
    error = refused(path)
    assert (error.file, error.table, error.row) == (str(path), "table_6-1", 2)
    assert error.message.startswith(
        f"a row wider than {docbook.MAX_COLUMNS} columns (colspan 100000000 at column 1)"
    )
    assert "docbook.MAX_COLUMNS" in error.message


def test_a_row_of_more_cells_than_the_column_limit_is_refused(tmp_path: Path) -> None:
    cells = "<td>x</td>" * (docbook.MAX_COLUMNS + 1)
    error = refused(hostile(tmp_path, cells))
    assert (error.table, error.row) == ("table_6-1", 2)
    assert error.message.startswith(f"a row wider than {docbook.MAX_COLUMNS} columns (line")


def test_a_row_as_wide_as_the_column_limit_reads(tmp_path: Path) -> None:
    path = hostile(tmp_path, f'<td>(0010,0020)</td><td colspan="{docbook.MAX_COLUMNS - 1}"/>')
    table = docbook.load(path).table("table_6-1")
    assert table is not None
    assert table.width == docbook.MAX_COLUMNS


def test_a_wide_header_row_is_named_as_the_header(tmp_path: Path) -> None:
    path = hostile(tmp_path, _OTHER_CELLS, header='<th colspan="1000">Tag</th>')
    error = refused(path)
    assert (error.table, error.row) == ("table_6-1", None)
    assert error.message.startswith("header row 1: a row wider than")
    with pytest.raises(InputError, match="header row 1: a row wider than"):
        docbook.load(path).header("table_6-1")


def test_a_text_node_past_the_parser_limit_is_refused_naming_table_and_row(
    tmp_path: Path,
) -> None:
    # Before: a 150 MB text node was read whole and became 300 MB of generated code.
    big = "a" * (docbook.PARSER_TEXT + 1)
    path = hostile(tmp_path, f"<td>(0010,0020)</td><td><para>{big}</para></td>" + _OTHER_CELLS)
    error = refused(path)
    assert (error.file, error.table, error.row) == (str(path), "table_6-1", 2)
    assert error.message.startswith("a text node longer than 10,000,000 characters (line 10)")


def test_a_cell_longer_than_the_cell_limit_is_refused(tmp_path: Path) -> None:
    # Every text node is short; together they are past MAX_CELL_TEXT.
    paragraphs = "".join(f"<para>{'b' * 999}</para>" for _ in range(70))
    path = hostile(tmp_path, f"<td>(0010,0020)</td><td>{paragraphs}</td>" + _OTHER_CELLS)
    error = refused(path)
    assert (error.file, error.table, error.row) == (str(path), "table_6-1", 2)
    assert error.message.startswith("a cell of 69,930 characters (line 10)")
    assert "docbook.MAX_CELL_TEXT" in error.message


def test_a_caption_longer_than_the_limit_is_refused_naming_the_table(tmp_path: Path) -> None:
    path = hostile(tmp_path, _OTHER_CELLS, caption="c" * (docbook.MAX_CELL_TEXT + 1))
    error = refused(path)
    assert (error.table, error.row) == ("table_6-1", None)
    assert error.message.startswith("a title of 65,537 characters")


def test_a_long_chain_of_titles_referring_to_each_other_renders_from_the_id(
    tmp_path: Path,
) -> None:
    # Section k's title refers to section k+1: the cell's reference renders through the chain
    # up to MAX_XREF_CHAIN titles deep, then from the id (before: one Python frame per link).
    count = 200
    sections = (
        "".join(
            f'<section xml:id="sect_{k}" label="{k}"><title>T{k} '
            f'<xref linkend="sect_{k + 1}" xrefstyle="select: title"/></title></section>'
            for k in range(count)
        )
        + f'<section xml:id="sect_{count}" label="{count}"><title>End</title></section>'
    )
    cell = '<td><para>See <xref linkend="sect_0" xrefstyle="select: title"/></para></td>'
    path = hostile(tmp_path, "<td>(0010,0020)</td>" + cell + _OTHER_CELLS)
    path.write_text(
        path.read_text(encoding="utf-8").replace("</chapter>", sections + "</chapter>"),
        encoding="utf-8",
    )
    document = docbook.load(path)
    table = document.table("table_6-1")
    assert table is not None
    text = table.rows[1].cells[1].text
    expected = " ".join(f"T{k}" for k in range(docbook.MAX_XREF_CHAIN))
    assert text == f"See {expected} Section {docbook.MAX_XREF_CHAIN}"
    chained = [d for d in document.diagnostics if d.code == "xref-chain"]
    assert [(d.table, d.row) for d in chained] == [("table_6-1", 2)]
