"""Render filters (codegen render.py): literals that round-trip, lines that fit in 100 columns."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dicomstd.codegen import render

LINE = 100

# Text as the standard has it: any printable character, including quotes, backslashes, non-ASCII
# and line breaks (but no NUL, which no source file may hold).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00", codec="utf-8"),
    max_size=300,
)
# Prose: words of at most 40 characters, separated by single spaces or newlines.
WORD = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cs", "Z", "Cc"], blacklist_characters="\x00", codec="utf-8"
    ),
    min_size=1,
    max_size=40,
)
PROSE = st.lists(st.tuples(WORD, st.sampled_from([" ", " ", "\n"])), max_size=60).map(
    lambda pairs: "".join(word + gap for word, gap in pairs).strip()
)


def evaluate(source: str) -> object:
    return eval(compile(source.strip(), "<filter>", "eval"), {})


def lines_fit(source: str) -> bool:
    return all(len(line) <= LINE for line in source.splitlines())


# -- py ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        'He said "hi"',
        "it's",
        "back\\slash \\n not a newline",
        "µAs – Ångström – 日本語",
        "two\nlines\r\nand a tab\t",
        "\u2028\u2029\x7f\x1b",
        "",
        0,
        0xFFFFFFFF,
        -5,
        True,
        False,
        None,
        (),
        ("one",),
        (1, "two", None, (True, "nested")),
    ],
)
def test_py_round_trips(value: object) -> None:
    source = render.py(value)
    assert evaluate(source) == value
    assert type(evaluate(source)) is type(value)


@given(TEXT)
def test_py_round_trips_any_text(text: str) -> None:
    source = render.py(text)
    assert ast.literal_eval(source) == text
    assert "\n" not in source  # one line, whatever the text


def test_py_strings_are_double_quoted() -> None:
    assert render.py("it's") == '"it\'s"'
    assert render.py(True) == "True" and render.py(1) == "1"


@pytest.mark.parametrize("value", [1.5, ["list"], {"a": 1}, b"bytes"])
def test_py_refuses_what_it_cannot_write(value: object) -> None:
    with pytest.raises(TypeError):
        render.py(value)


def test_hex8() -> None:
    assert render.hex8(0x00100010) == "0x00100010"
    assert render.hex8(0x7FE0000A) == "0x7FE0000A"


# -- fit ---------------------------------------------------------------------------------------
def test_fit_on_one_line_when_it_fits() -> None:
    assert render.fit(["1", '"a"'], indent=4) == '    (1, "a"),'


def test_fit_one_item_per_line_otherwise() -> None:
    items = [render.py("x" * 30) for _ in range(4)]
    out = render.fit(items, indent=4)
    assert out.splitlines() == ["    ("] + [f"        {item}," for item in items] + ["    ),"]
    assert evaluate(out) == (("x" * 30,) * 4,)
    assert lines_fit(out)


def test_fit_with_other_brackets() -> None:
    out = render.fit(["1", "2"], indent=0, open_="[", close="]", suffix="")
    assert out == "[1, 2]"


# -- wrapped_string ----------------------------------------------------------------------------
def test_wrapped_string_short_stays_one_literal() -> None:
    assert render.wrapped_string("short", indent=8, lead=5) == '"short"'


@pytest.mark.parametrize("indent", [0, 4, 8, 12])
@pytest.mark.parametrize(
    "text",
    [
        "A string of characters that identifies an Application Entity with leading and trailing "
        'spaces being non-significant. The "quotes" and the \\ backslash are escaped; '
        "non-ASCII like µ and Å is kept; and there is\na newline in the middle of it all.",
        "word " * 80,
    ],
)
def test_wrapped_string_lines_fit_and_round_trip(text: str, indent: int) -> None:
    out = render.wrapped_string(text, indent=indent, lead=12)
    assert evaluate(out) == text
    assert all(len(" " * indent + line) <= LINE for line in out.splitlines()[:1])
    assert all(len(line) <= LINE for line in out.splitlines()[1:])


@given(PROSE, st.integers(min_value=0, max_value=16))
def test_wrapped_string_property(text: str, indent: int) -> None:
    out = render.wrapped_string(text, indent=indent, lead=12)
    assert evaluate(out) == text
    # the literal either fits after its lead on the first line, or every line fits
    if out.startswith("("):
        assert all(len(line) <= LINE for line in out.splitlines()[1:])
    else:
        assert indent + 12 + len(out) + 1 <= LINE


# -- row ---------------------------------------------------------------------------------------
def test_row_short_is_one_line_with_hex_tags() -> None:
    values = (0x00100010, 0xFFFFFFFF, "Patient's Name", "PatientName", "PN", "1", False)
    out = render.row(values, indent=4)
    assert out == (
        '    (0x00100010, 0xFFFFFFFF, "Patient\'s Name", "PatientName", "PN", "1", False),'
    )
    assert evaluate(out) == (values,)


def test_row_long_is_one_item_per_line_with_wrapped_strings() -> None:
    values = (
        0x300A0131,
        0xFFFFFFFF,
        "Average Beam Dose Point Source to External Contour Surface Distance " * 2,
        "AverageBeamDosePointSourceToExternalContourSurfaceDistance",
        "FL",
        "1",
        True,
        "table_6-1",
        "",
    )
    out = render.row(values, indent=4)
    assert lines_fit(out)
    assert evaluate(out) == (values,)
    assert out.splitlines()[1] == "        0x300A0131,"


@given(
    st.lists(st.one_of(PROSE, st.integers(0, 0xFFFFFFFF), st.booleans()), min_size=2, max_size=9)
)
def test_row_property(values: list[str | int | bool]) -> None:
    out = render.row(tuple(values), indent=4)
    assert evaluate(out) == (tuple(values),)
    assert lines_fit(out)


def test_row_of_one_value_is_still_a_tuple() -> None:
    assert evaluate(render.row(("only",), indent=4)) == (("only",),)


# -- docstring ---------------------------------------------------------------------------------
def docstring_value(source: str) -> str:
    value = ast.literal_eval(source.strip())
    assert isinstance(value, str)
    return value


def same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


@pytest.mark.parametrize(
    "text",
    [
        "(0010,0010) Patient's Name: PN, VM 1.",
        'Ends with a quote "',
        'Holds """ three quotes and a \\ backslash\\',
        "Non-ASCII: µAs, Ångström.",
        "A long one. " * 30,
        "Two\nparagraphs\n\nwith a blank line",
    ],
)
@pytest.mark.parametrize("indent", [0, 4])
def test_docstring_round_trips_and_fits(text: str, indent: int) -> None:
    out = render.docstring(text, indent=indent)
    assert same_words(docstring_value(out), text)
    assert lines_fit(out)
    assert out.startswith(" " * indent + '"""')


def test_docstring_short_is_one_line() -> None:
    assert render.docstring("Short.", indent=4) == '    """Short."""'


@given(PROSE, st.sampled_from([0, 4, 8]))
def test_docstring_property(text: str, indent: int) -> None:
    out = render.docstring(text, indent=indent)
    assert same_words(docstring_value(out), text)
    assert lines_fit(out)


def test_comment_wraps() -> None:
    out = render.comment("word " * 50, indent=4)
    assert lines_fit(out)
    assert all(line.startswith("    # ") for line in out.splitlines())


def test_filters_are_registered_in_one_place() -> None:
    environment = render.environment()
    # (``row`` is no filter since the data tables are one entry per line)
    for name in ("py", "fit", "wrapped_string", "docstring", "hex8", "python_type"):
        assert environment.filters[name] is render.FILTERS[name]


def test_the_registered_filters_are_the_ones_the_templates_use() -> None:
    text = "".join(path.read_text(encoding="utf-8") for path in render.TEMPLATES.glob("*.j2"))
    used = set(re.findall(r"\|\s*([a-z_0-9]+)", text)) - set(jinja2.defaults.DEFAULT_FILTERS)
    assert used == set(render.FILTERS)


# -- writing: staging folder, import check from memory, formatter, swap ----------------------------
PACKAGE = {
    "__init__.py": '"""A package."""\n\nfrom .sub import VALUE\n\n__all__ = ["VALUE"]\n',
    "sub/__init__.py": "from .leaf import VALUE as VALUE\n",
    "sub/leaf.py": "VALUE   =  (1,2)\n",
    **{f"m{index}.py": f"from . import VALUE\n\nX{index} = VALUE\n" for index in range(8)},
}


def test_write_formats_and_swaps_in_a_package_whose_modules_import_each_other(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.py").write_text("OLD = 1\n", encoding="utf-8")
    render.write(dict(PACKAGE), out)
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.py"))
    assert written == sorted(PACKAGE)  # the old content is gone, nothing else appeared
    assert (out / "sub" / "leaf.py").read_text(encoding="utf-8") == "VALUE = (1, 2)\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left


@pytest.mark.parametrize(
    ("relative", "source", "message"),
    [
        ("m3.py", "X = (\n", r"^m3\.py:1: '\(' was never closed$"),
        ("sub/leaf.py", "VALUE = 1 / 0\n", r"^sub/leaf\.py:1: does not import: ZeroDivisionError"),
        ("m7.py", "from .missing import Y\n", r"^m7\.py:1: does not import: ModuleNotFoundError"),
    ],
)
def test_write_refuses_code_that_does_not_import_and_leaves_the_target_alone(
    tmp_path: Path, relative: str, source: str, message: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.py").write_text("OLD = 1\n", encoding="utf-8")
    broken = {**PACKAGE, relative: source}
    with pytest.raises(render.GeneratedCodeError, match=message):
        render.write(broken, out)
    assert [p.name for p in out.iterdir()] == ["old.py"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert not [name for name in sys.modules if name.startswith("_dicomstd_generated_check")]


# -- typing decisions (filters) ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("vrs", "vm", "item", "annotation"),
    [
        # PS3.6 2015b table 6-1 rows; PS3.5 table 6.2-1 for what each VR holds
        (("CS",), "2-n", None, "tuple[str, ...] | None"),  # (0008,0008) Image Type
        (("DS",), "2", None, "tuple[float, ...] | None"),  # (0028,0030) Pixel Spacing
        (("IS",), "1", None, "int | None"),  # (0020,0013) Instance Number
        (("US", "SS"), "1", None, "int | None"),  # (0028,0106) Smallest Image Pixel Value
        (("OB", "OW"), "1", None, "bytes | None"),  # (7FE0,0010) Pixel Data
        (("OB",), "1-n", None, "bytes | None"),  # one binary VR: the bytes of every value
        (("US", "OW"), "1-n", None, "tuple[(bytes | int), ...] | None"),  # (0028,3006) LUT Data
        ((), "", None, "object | None"),  # not in the dictionary: VR and VM unknown
        (("SQ",), "1", "CodeSequenceMacro", "tuple[CodeSequenceMacro, ...] | None"),
    ],
)
def test_python_type_of_a_field(
    vrs: tuple[str, ...], vm: str, item: str | None, annotation: str
) -> None:
    assert render.python_type(vrs, vm, item) == annotation
    assert render.FILTERS["python_type"] is render.python_type


def test_a_value_is_multiple_when_the_vm_allows_more_than_one() -> None:
    assert render.is_multiple(("CS",), "1-n")
    assert render.is_multiple(("FD",), "3")
    assert render.is_multiple(("CS",), "1-n or 1")
    assert not render.is_multiple(("CS",), "1")
    assert not render.is_multiple(("CS",), "")  # VM not given
    assert not render.is_multiple(("OW",), "1-n")  # one binary VR holds every value as bytes
