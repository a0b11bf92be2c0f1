"""Helpers of the generator tests: fixture paths, an independent XML reader, running the CLI.

The raw readers here use plain lxml and XPath, never
``dicomstd.codegen.docbook``, so that counts and
values they give are an independent check of our reader.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from dicomstd.codegen import docbook, inputs, part05, part06
from dicomstd.codegen.model import Part05, Part06
from tests.conftest import ROOT, require_part

FIXTURES = ROOT / "tests" / "codegen" / "fixtures"
NS = {"d": "http://docbook.org/ns/docbook"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def fixture(quirk: str, part: int = 6) -> Path:
    path = FIXTURES / quirk / f"part{part:02d}.xml"
    assert path.is_file(), f"missing fixture {path}"
    return path


# -- an independent reader ---------------------------------------------------------------------
@functools.cache
def raw_tree(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.parse(str(path), parser)


def body_row_count(path: Path, table_id: str) -> int:
    """``count(tbody/tr)`` of one table, by XPath."""
    count = raw_tree(path).xpath(
        "count(//d:table[@xml:id=$ident]/d:tbody/d:tr)", namespaces=NS, ident=table_id
    )
    assert isinstance(count, float)
    return int(count)


def _elements(found: object) -> list[etree._Element]:
    assert isinstance(found, list)
    return [item for item in found if isinstance(item, etree._Element)]


def raw_text(element: etree._Element) -> str:
    """The text of a cell as a person reads it: zero-width spaces dropped, white space folded."""
    text = "".join(t for t in element.itertext() if isinstance(t, str))
    return " ".join(text.replace("\u200b", "").split())


@functools.cache
def raw_registry_rows(path: Path) -> dict[str, tuple[str, list[str]]]:
    """Tag text as printed, upper-cased -> (table id, cell texts) of tables 6-1, 7-1 and 8-1."""
    rows: dict[str, tuple[str, list[str]]] = {}
    for table_id in ("table_6-1", "table_7-1", "table_8-1"):
        found = raw_tree(path).xpath(
            "//d:table[@xml:id=$ident]/d:tbody/d:tr", namespaces=NS, ident=table_id
        )
        for tr in _elements(found):
            cells = [raw_text(td) for td in tr]
            rows[cells[0].upper()] = (table_id, cells)
    return rows


# -- our pipeline, cached per file -------------------------------------------------------------
@functools.cache
def parsed_part06(path: Path) -> Part06:
    return part06.parse(docbook.load(path, expect_part=6))


@functools.cache
def parsed_part05(path: Path) -> Part05:
    return part05.parse(docbook.load(path, expect_part=5))


def real_part06(edition: str) -> Part06:
    return parsed_part06(require_part(edition, 6))


# -- the generator's command line --------------------------------------------------------------
def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def require_pinned_parts(except_parts: Sequence[int] = ()) -> None:
    """Skip (fail under CI=true) unless every pinned part not given explicitly is available.

    A generation reads every pinned part; an explicit ``--part`` only replaces its own part.
    """
    for number, pin in sorted(inputs.read_pins().items()):
        if number not in except_parts:
            require_part(pin.edition, number)


def run_codegen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dicomstd.codegen", *args],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative path -> bytes), to prove a folder did not change."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
