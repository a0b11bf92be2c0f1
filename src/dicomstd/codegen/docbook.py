"""Load stage: safe DocBook loading and a table reader.

Everything that touches XML lives here. A DocBook table becomes a :class:`Table` of :class:`Row`
objects whose cells are laid out on a grid (rowspan and colspan filled, ``<th>`` and ``<td>``
alike), whose text is normalised (zero-width characters dropped, odd spaces folded) and whose
cross-references are kept as structured :class:`Link` objects and rendered from their targets.
No stage after this one sees XML.

Loading is hardened: no network, no DTD loading, no entity expansion (an entity reference is left
out of the text and reported), duplicate ``xml:id`` values tolerated (the first wins; every
duplicate is reported), and input is bounded by what the standard needs (see :data:`LIMITS`):
libxml2's own limits without ``XML_PARSE_HUGE`` (elements nested at most 256 deep, a text node at
most 10,000,000 characters) and the table reader's (a row of at most :data:`MAX_COLUMNS` columns,
a cell or caption of at most :data:`MAX_CELL_TEXT` characters, elements nested at most
:data:`MAX_NESTING` deep inside one). Input past a limit is an :class:`InputError` naming the file,
table and row, never a ``RecursionError`` or memory that grows with a span attribute.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, NoReturn

import attrs
from lxml import etree

from dicomstd.codegen.diagnostics import Diagnostics, InputError, Severity

DOCBOOK = "http://docbook.org/ns/docbook"
_D = "{" + DOCBOOK + "}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

_SUBTITLE = re.compile(r"DICOM\s+PS\s?3\.(\d+)\s+(\d{4}[a-z]?)\s*[-–]\s*(.+)", re.IGNORECASE)

# Characters that only help line breaking in the published HTML/PDF, never content.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

# Block-level DocBook elements that may occur inside a table cell.
_LISTS = {_D + "itemizedlist", _D + "orderedlist", _D + "simplelist"}
_BLOCKS = {
    _D + "para",
    _D + "note",
    _D + "variablelist",
    _D + "informaltable",
    _D + "table",
} | _LISTS
_PROSE = _BLOCKS - {_D + "informaltable", _D + "table"}
_SECTIONS = frozenset({_D + "section", _D + "chapter", _D + "appendix"})
_TH = _D + "th"
_CELL_TAGS = {_D + "td", _D + "th", _D + "entry"}
_PLAIN_INLINE = {_D + "emphasis", _D + "literal", _D + "phrase", _D + "code"}
_SKIPPED_INLINE = {_D + "footnote", _D + "indexterm", _D + "remark"}

# -- limits ------------------------------------------------------------------------------------
# What the standard needs, with a wide margin (measured on PS3.3-PS3.6 of the 2013-2020 editions:
# rows of at most 14 columns, a colspan of at most 10, cells of at most about 3,000 characters,
# elements nested at most 4 deep inside a cell and 17 deep in a document). To read a document
# past them, raise the constant here.
MAX_COLUMNS = 64
"""Columns of one table row, spans included."""
MAX_CELL_TEXT = 65_536
"""Characters of the text of one table cell or one caption or title."""
MAX_NESTING = 64
"""Elements nested inside one table cell or title (lists in paragraphs in notes ...)."""
MAX_XREF_CHAIN = 8
"""Cross-references followed through the titles they render (a title naming a table whose
caption names another table ...); a longer chain renders from the id and is reported."""
PARSER_DEPTH = 256
PARSER_TEXT = 10_000_000
"""libxml2's own limits without ``XML_PARSE_HUGE``: element depth and characters of a text node."""
LIMITS = {
    "columns per table row": MAX_COLUMNS,
    "characters per table cell, caption or title": MAX_CELL_TEXT,
    "elements nested in a table cell or title": MAX_NESTING,
    "elements nested in a document": PARSER_DEPTH,
    "characters per XML text node": PARSER_TEXT,
}


_LABEL_WORDS = {
    "section": "Section",
    "table": "Table",
    "figure": "Figure",
    "chapter": "Chapter",
    "appendix": "Annex",
    "example": "Example",
    "equation": "Equation",
}


def text_of(element: etree._Element) -> str:
    """All text inside an element (libxml2's text serialisation: the fastest way there)."""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def normalize(text: str) -> str:
    """Drop zero-width characters and fold any run of white space into one space.

    White space is what ``str.isspace`` says it is (the ``\\s`` of ``re``: ASCII white space,
    NO-BREAK SPACE, the Unicode spaces); ``str.split`` folds it several times faster than a
    regular expression.
    """
    if text.isascii():
        return " ".join(text.split())
    return " ".join(text.translate(_INVISIBLE).split())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@attrs.frozen
class Link:
    """A cross-reference: ``xref`` (same document) or ``olink`` (another part)."""

    kind: Literal["xref", "olink"]
    target: str
    document: str | None
    text: str
    resolved: bool


@attrs.frozen
class Paragraph:
    text: str
    links: tuple[Link, ...] = ()
    note: bool = False


@attrs.frozen
class ListEntry:
    term: str
    text: str


@attrs.frozen
class VariableList:
    """A DocBook ``variablelist``: a titled list of terms (Enumerated Values, Defined Terms …)."""

    title: str
    entries: tuple[ListEntry, ...]
    links: tuple[Link, ...] = ()


Block = Paragraph | VariableList


@attrs.frozen
class Cell:
    """One table cell, placed at its origin row/column; spanned positions repeat the same cell."""

    text: str
    blocks: tuple[Block, ...]
    links: tuple[Link, ...]
    header: bool
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1


@attrs.frozen
class Row:
    number: int
    """1-based body row number, as a person counts rows in the published table."""
    cells: tuple[Cell, ...]

    def distinct(self) -> tuple[Cell, ...]:
        """Cells of this row in column order, a spanned cell once."""
        seen: list[Cell] = []
        for cell in self.cells:
            if not any(cell is other for other in seen):
                seen.append(cell)
        return tuple(seen)


@attrs.frozen
class Table:
    id: str
    label: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    section: str | None
    width: int


@attrs.frozen
class Section:
    id: str
    title: str
    tables: tuple[str, ...]
    """Ids of the tables inside this section and its subsections, in document order."""
    parent: str | None


class Document:
    """A loaded DocBook part of the standard."""

    def __init__(self, path: Path, root: etree._Element, diagnostics: Diagnostics) -> None:
        self.path = path
        self.root = root
        self.diagnostics = diagnostics
        subtitle = root.find(_D + "subtitle")
        title_text = normalize(text_of(subtitle)) if subtitle is not None else ""
        match = _SUBTITLE.search(title_text)
        if match is None:
            raise InputError(
                str(path), f"not a DICOM standard part: subtitle {title_text!r} does not name one"
            )
        self.subtitle = title_text
        self.part = int(match.group(1))
        self.edition = match.group(2)
        self.part_title = match.group(3).strip()
        self._ids: dict[str, etree._Element] = {}
        self._index_ids()
        self._tables: dict[str, Table] = {}
        self._section_tables: dict[etree._Element, tuple[str, ...]] | None = None
        self._rendering: set[str] = set()
        self._where: tuple[str | None, int | None, bool] = (None, None, False)
        """(table id, row number, header row) of what the reader reads, for errors."""
        self.unresolved: Counter[str] = Counter()

    @property
    def name(self) -> str:
        return self.path.name

    def _refuse(self, what: str, limit: str, element: etree._Element) -> NoReturn:
        """Stop reading: ``element`` is ``what``, past ``limit`` (one of the :data:`LIMITS`)."""
        table, row, header = self._where
        line = f" (line {element.sourceline})" if element.sourceline else ""
        if header:
            what = f"header row {row}: {what}"
            row = None
        raise InputError(str(self.path), f"{what}{line}; {limit}", table=table, row=row)

    def require_part(self, number: int) -> None:
        """:class:`InputError` unless this document is PS3.<number>."""
        if self.part != number:
            raise InputError(
                str(self.path),
                f"expected PS3.{number} but the document is PS3.{self.part} ({self.subtitle})",
            )

    def report_unresolved(self) -> None:
        """One diagnostic per link target the document lacks; each part's parser calls it once
        it has read the tables it needs."""
        for target, count in sorted(self.unresolved.items()):
            self.diagnostics.info(
                "unresolved-reference",
                f"{count} cross-reference(s) to {target!r}, which is not in this document; "
                "rendered from the id",
            )

    # -- ids -----------------------------------------------------------------------------------
    def _index_ids(self) -> None:
        duplicates: dict[str, list[etree._Element]] = {}
        for element in self.root.iter(tag=etree.Element):
            ident = element.get(XML_ID)
            if ident is None:
                continue
            first = self._ids.setdefault(ident, element)
            if first is not element:
                duplicates.setdefault(ident, [first]).append(element)
        paragraphs = 0
        for ident, copies in sorted(duplicates.items()):
            kind = etree.QName(copies[0]).localname
            if kind == "para":
                paragraphs += 1
                continue
            identical = len({etree.tostring(copy, with_tail=False) for copy in copies}) == 1
            how = "identical copies" if identical else "copies that differ"
            self.diagnostics.add(
                "duplicate-id",
                f"xml:id {ident!r} ({kind}) occurs {len(copies)} times, {how}; the first is used",
                table=ident if kind == "table" else None,
                severity=Severity.INFO if identical else Severity.WARNING,
            )
        if paragraphs:
            self.diagnostics.info(
                "duplicate-id",
                f"{paragraphs} paragraph xml:id values occur more than once (paragraph ids are "
                "never link targets of tables; the first copy is used)",
            )

    # -- sections and tables -------------------------------------------------------------------
    def table_ids(self) -> list[str]:
        """Ids of all tables, in document order, each once."""
        seen: dict[str, None] = {}
        for element in self.root.iter(_D + "table"):
            ident = element.get(XML_ID)
            if ident is not None:
                seen.setdefault(ident)
        return list(seen)

    def table(self, ident: str) -> Table | None:
        cached = self._tables.get(ident)
        if cached is not None:
            return cached
        element = self._ids.get(ident)
        if element is None or element.tag != _D + "table":
            return None
        table = self._read_table(element, ident)
        self._tables[ident] = table
        return table

    def header(self, ident: str) -> tuple[str, ...]:
        """The first header row of a table, read without reading its body."""
        cached = self._tables.get(ident)
        if cached is not None:
            return cached.header
        element = self._ids.get(ident)
        if element is None or element.tag != _D + "table":
            return ()
        head_rows = element.findall(f"{_D}thead/{_D}tr")
        try:
            grid = self._grid(head_rows[:1], ident, header=True)
        finally:
            self._where = (None, None, False)
        return tuple(cell.text for cell in grid[0]) if grid else ()

    def tables(self) -> Iterator[Table]:
        for ident in self.table_ids():
            table = self.table(ident)
            if table is not None:
                yield table

    def section_ids(self) -> list[str]:
        """Ids of all sections (chapters and appendices too), in document order, each once."""
        return [ident for ident, element in self._ids.items() if element.tag in _SECTIONS]

    def section(self, ident: str) -> Section | None:
        element = self._ids.get(ident)
        if element is None or element.tag not in _SECTIONS:
            return None
        return Section(
            id=ident,
            title=self._title_of(element),
            tables=self._tables_by_section().get(element, ()),
            parent=self._enclosing_section(element),
        )

    def _tables_by_section(self) -> dict[etree._Element, tuple[str, ...]]:
        """Ids of the tables inside each section (at any depth), in document order, each once:
        one walk of the document, not one per section asked for."""
        if self._section_tables is None:
            found: dict[etree._Element, dict[str, None]] = {}
            for table in self.root.iter(_D + "table"):
                ident = table.get(XML_ID)
                if not ident:
                    continue
                parent = table.getparent()
                while parent is not None:
                    if parent.tag in _SECTIONS:
                        found.setdefault(parent, {}).setdefault(ident)
                    parent = parent.getparent()
            self._section_tables = {section: tuple(ids) for section, ids in found.items()}
        return self._section_tables

    def section_blocks(self, ident: str) -> tuple[Block, ...]:
        """The paragraphs, notes and variable lists of a section itself: not its title, its
        tables or its subsections (empty when the document has no such section)."""
        element = self._ids.get(ident)
        if element is None or element.tag not in _SECTIONS:
            return ()
        out: list[Block] = []
        for child in element:
            if isinstance(child.tag, str) and child.tag in _PROSE:
                container = child.tag != _D + "para"
                out.extend(self._blocks_of(child, note=False, container=container, depth=0))
        return tuple(out)

    def _enclosing_section(self, element: etree._Element) -> str | None:
        parent = element.getparent()
        while parent is not None:
            if parent.tag in _SECTIONS:
                return parent.get(XML_ID)
            parent = parent.getparent()
        return None

    def _title_of(self, element: etree._Element, depth: int = 0) -> str:
        title = element.find(_D + "caption")
        if title is None:
            title = element.find(_D + "title")
        if title is None:
            return ""
        self._check_length(title, "a title")
        text, _ = self._inline(title, depth)
        return text

    def _check_length(self, element: etree._Element, what: str) -> str:
        """The text of ``element`` (white space as written), refused past :data:`MAX_CELL_TEXT`."""
        raw = text_of(element)
        if len(raw) > MAX_CELL_TEXT:
            self._refuse(
                f"{what} of {len(raw):,} characters",
                f"the generator reads at most {MAX_CELL_TEXT:,} (docbook.MAX_CELL_TEXT)",
                element,
            )
        return raw

    # -- the table reader ----------------------------------------------------------------------
    def _read_table(self, element: etree._Element, ident: str) -> Table:
        try:
            return self._read_table_at(element, ident)
        finally:
            self._where = (None, None, False)

    def _read_table_at(self, element: etree._Element, ident: str) -> Table:
        self._where = (ident, None, False)
        head_rows = element.findall(f"{_D}thead/{_D}tr")
        body_rows = element.findall(f"{_D}tbody/{_D}tr")
        if not body_rows and not head_rows:
            body_rows = element.findall(f"{_D}tr") or element.findall(
                f"{_D}tgroup/{_D}tbody/{_D}row"
            )
        header_grid = self._grid(head_rows[:1], ident, header=True) if head_rows else []
        grid = self._grid(body_rows, ident, header=False)
        width = max((len(r) for r in header_grid + grid), default=0)
        header = tuple(cell.text for cell in header_grid[0]) if header_grid else ()
        rows = tuple(Row(number=index + 1, cells=tuple(cells)) for index, cells in enumerate(grid))
        self._where = (ident, None, False)
        return Table(
            id=ident,
            label=element.get("label") or _label_from_id(ident),
            caption=self._title_of(element),
            header=header,
            rows=rows,
            section=self._enclosing_section(element),
            width=width,
        )

    def _grid(self, rows: list[etree._Element], table: str, *, header: bool) -> list[list[Cell]]:
        grid: list[list[Cell]] = []
        pending: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows still to fill)
        for number, tr in enumerate(rows, start=1):
            self._where = (table, number, header)
            cells: list[Cell] = []
            column = 0
            for td in tr:
                tag = td.tag
                if tag not in _CELL_TAGS:
                    continue
                if pending:
                    column = _fill_pending(cells, column, pending)
                rowspan = _span(td.get("rowspan"), td.get("morerows"))
                colspan = _span(td.get("colspan"), None)
                if column + colspan > MAX_COLUMNS:
                    spans = f" (colspan {colspan} at column {column + 1})" if colspan > 1 else ""
                    self._refuse(
                        f"a row wider than {MAX_COLUMNS} columns{spans}",
                        f"the generator reads at most {MAX_COLUMNS} (docbook.MAX_COLUMNS)",
                        td,
                    )
                text, blocks, links = self._cell_content(td)
                cell = Cell(
                    text, blocks, links, header or tag == _TH, number, column, rowspan, colspan
                )
                for offset in range(colspan):
                    cells.append(cell)
                    if rowspan > 1:
                        pending[column + offset] = (cell, rowspan - 1)
                column += colspan
            if pending:
                _fill_pending(cells, column, pending)
            grid.append(cells)
        if pending:
            self.diagnostics.warn(
                "rowspan-overflow",
                "a rowspan reaches past the last row of the table",
                table=table,
                row=len(rows),
            )
        return grid

    def _cell_content(self, td: etree._Element) -> tuple[str, tuple[Block, ...], tuple[Link, ...]]:
        raw = self._check_length(td, "a cell")
        # Fast path: at most one paragraph of plain (possibly emphasised) text, the common case.
        paragraphs = 0
        for element in td.iterdescendants():
            tag = element.tag
            if tag == _D + "para":
                paragraphs += 1
            elif tag not in _PLAIN_INLINE:
                break
        else:
            if paragraphs <= 1:
                text = normalize(raw)
                return text, ((Paragraph(text),) if text else ()), ()
        blocks = self._blocks_of(td, note=False, container=True, depth=0)
        links = tuple(link for block in blocks for link in block.links)
        text = "\n".join(_block_text(block) for block in blocks if _block_text(block))
        return text, tuple(blocks), links

    def _nested(self, element: etree._Element, depth: int) -> int:
        """``depth + 1``, refused past :data:`MAX_NESTING`."""
        if depth >= MAX_NESTING:
            self._refuse(
                f"elements nested more than {MAX_NESTING} deep",
                f"the generator reads at most {MAX_NESTING} (docbook.MAX_NESTING)",
                element,
            )
        return depth + 1

    def _blocks_of(
        self, element: etree._Element, *, note: bool, container: bool = False, depth: int = 0
    ) -> list[Block]:
        """Split an element into paragraphs and variable lists (lists nested in paragraphs too)."""
        depth = self._nested(element, depth)
        tag = element.tag
        if tag == _D + "variablelist":
            return [self._variable_list(element, depth)]
        if tag in _LISTS:
            out: list[Block] = []
            for item in element:
                if isinstance(item.tag, str):
                    out.extend(self._blocks_of(item, note=note, container=True, depth=depth))
            return out
        if tag == _D + "note":
            note = True
            container = True
        if tag in (_D + "informaltable", _D + "table"):
            text, links = self._inline(element, depth)
            return [Paragraph(text, links, note)] if text else []
        out = []
        inline_parts: list[etree._Element | str] = []
        if (element.text and not container) or (element.text and element.text.strip()):
            inline_parts.append(element.text)

        def flush() -> None:
            if not inline_parts:
                return
            text, links = self._inline_parts(inline_parts, depth)
            inline_parts.clear()
            if text:
                out.append(Paragraph(text, links, note))

        for child in element:
            if isinstance(child.tag, str) and (
                child.tag in _BLOCKS or child.tag == _D + "listitem"
            ):
                flush()
                out.extend(
                    self._blocks_of(
                        child, note=note, container=child.tag != _D + "para", depth=depth
                    )
                )
                if child.tail and child.tail.strip():
                    inline_parts.append(child.tail)
            elif isinstance(child.tag, str) and child.tag == _D + "title" and container:
                continue
            else:
                inline_parts.append(child)
        flush()
        return out

    def _variable_list(self, element: etree._Element, depth: int) -> VariableList:
        title_element = element.find(_D + "title")
        title, links = self._inline(title_element, depth) if title_element is not None else ("", ())
        entries: list[ListEntry] = []
        all_links = list(links)
        for entry in element.findall(_D + "varlistentry"):
            terms = []
            for term in entry.findall(_D + "term"):
                text, term_links = self._inline(term, depth)
                terms.append(text)
                all_links.extend(term_links)
            item = entry.find(_D + "listitem")
            body = ""
            if item is not None:
                blocks = self._blocks_of(item, note=False, container=True, depth=depth)
                body = " ".join(_block_text(block) for block in blocks)
                all_links.extend(link for block in blocks for link in block.links)
            for term_text in terms:
                entries.append(ListEntry(term_text, body))
        return VariableList(title, tuple(entries), tuple(all_links))

    # -- inline text ---------------------------------------------------------------------------
    def _inline(self, element: etree._Element, depth: int = 0) -> tuple[str, tuple[Link, ...]]:
        parts: list[etree._Element | str] = []
        if element.text:
            parts.append(element.text)
        parts.extend(element)
        return self._inline_parts(parts, self._nested(element, depth))

    def _inline_parts(
        self, parts: list[etree._Element | str], depth: int
    ) -> tuple[str, tuple[Link, ...]]:
        out: list[str] = []
        links: list[Link] = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            else:
                self._render_inline(part, out, links, depth)
                if part.tail:
                    out.append(part.tail)
        return normalize("".join(out)), tuple(links)

    def _render_inline(
        self, element: etree._Element, out: list[str], links: list[Link], depth: int
    ) -> None:
        if isinstance(element, etree._Entity):
            self.diagnostics.warn(
                "entity-not-expanded",
                f"entity reference {element.text} is left out: entities are never expanded",
            )
            return
        if isinstance(element, etree._Comment | etree._ProcessingInstruction):
            return
        tag = element.tag
        if tag in _SKIPPED_INLINE:
            return
        depth = self._nested(element, depth)
        if tag == _D + "xref":
            link = self._xref(element, depth)
            links.append(link)
            out.append(link.text)
            return
        if tag == _D + "olink":
            link = self._olink(element)
            links.append(link)
            out.append(link.text)
            return
        if tag == _D + "superscript":
            out.append("^")
        elif tag == _D + "subscript":
            out.append("_")
        elif tag in _BLOCKS or tag == _D + "listitem":
            out.append(" ")
        if element.text:
            out.append(element.text)
        for child in element:
            self._render_inline(child, out, links, depth)
            if child.tail:
                out.append(child.tail)
        if tag in _BLOCKS:
            out.append(" ")

    def _xref(self, element: etree._Element, depth: int) -> Link:
        target = element.get("linkend") or ""
        style = element.get("xrefstyle") or ""
        node = self._ids.get(target)
        if node is None:
            self.unresolved[target] += 1
            return Link("xref", target, None, _fallback_text(target, style), False)
        if target in self._rendering:  # a title that refers to itself
            return Link("xref", target, None, _fallback_text(target, style), True)
        if len(self._rendering) >= MAX_XREF_CHAIN:
            table, row, _ = self._where
            self.diagnostics.warn(
                "xref-chain",
                f"the cross-reference to {target!r} is the {MAX_XREF_CHAIN + 1}th in a chain of "
                "titles that refer to each other; rendered from the id",
                table=table,
                row=row,
            )
            return Link("xref", target, None, _fallback_text(target, style), True)
        self._rendering.add(target)
        try:
            text = self._xref_text(node, target, style, depth)
        finally:
            self._rendering.discard(target)
        return Link("xref", target, None, text, True)

    def _xref_text(self, node: etree._Element, target: str, style: str, depth: int) -> str:
        kind = etree.QName(node).localname
        parent = node.getparent()
        if kind == "listitem" and parent is not None and parent.tag == _D + "orderedlist":
            items = [item for item in parent if item.tag == _D + "listitem"]
            return str(items.index(node) + 1)
        label = node.get("label") or _label_from_id(target)
        word = _LABEL_WORDS.get(kind, "")
        title = self._title_of(node, depth)
        reflabel = node.get("xreflabel")
        if reflabel:
            return normalize(reflabel)
        if kind in ("bibliomixed", "biblioentry", "bibliomset"):
            abbrev = node.find(_D + "abbrev")
            return f"[{normalize(text_of(abbrev))}]" if abbrev is not None else f"[{label}]"
        return _styled(style, word, label, title)

    def _olink(self, element: etree._Element) -> Link:
        text = normalize(text_of(element))
        document = element.get("targetdoc")
        target = element.get("targetptr") or ""
        if not text:
            style = element.get("xrefstyle") or ""
            if document and target == document:
                text = document
            elif target.startswith("sect_CID_"):
                text = "CID " + target.removeprefix("sect_CID_")
            elif target.startswith("sect_TID_"):
                text = "TID " + target.removeprefix("sect_TID_")
            else:
                text = _fallback_text(target, style)
                if document and "labelnumber" not in style:
                    text = f"{document} {text}"
        return Link("olink", target, document, text, False)


def _styled(style: str, word: str, label: str, title: str) -> str:
    """Render a reference the way DocBook's ``xrefstyle="select: …"`` asks for it."""
    number = label if "labelnumber" in style else f"{word} {label}".strip()
    if "quotedtitle" in style:
        return f'{number} "{title}"' if title else number
    if "title" in style:
        return f"{number} {title}" if "label" in style and title else (title or number)
    return number


def _fallback_text(target: str, style: str) -> str:
    """Text for a reference whose target is not in this document, derived from its id."""
    prefix, _, rest = target.partition("_")
    word = {
        "sect": "Section",
        "table": "Table",
        "figure": "Figure",
        "chapter": "Chapter",
        "biblio": "",
        "example": "Example",
        "equation": "Equation",
    }.get(prefix)
    if word is None:
        return target
    if prefix == "biblio":
        return f"[{rest.replace('_', ' ')}]"
    return _styled(style if "title" not in style else "", word, rest, "")


def _label_from_id(ident: str) -> str:
    return ident.partition("_")[2] or ident


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    lines = [block.title] if block.title else []
    lines.extend(f"{entry.term} {entry.text}".strip() for entry in block.entries)
    return "\n".join(lines)


def _span(value: str | None, morerows: str | None) -> int:
    if morerows is not None:
        value = morerows
    if value is None or value == "1":
        return 1
    try:
        span = int(value)
    except ValueError:
        return 1
    return max(1, span + 1 if morerows is not None else span)


def _fill_pending(cells: list[Cell], column: int, pending: dict[int, tuple[Cell, int]]) -> int:
    """Place the cells that rowspans above carry into this row, from ``column`` on."""
    while column in pending:
        cell, remaining = pending[column]
        if remaining <= 1:
            del pending[column]
        else:
            pending[column] = (cell, remaining - 1)
        cells.append(cell)
        column += 1
    return column


class _NoExternal(etree.Resolver):
    """Answer every request for an external resource (a DTD named by a DOCTYPE) with nothing."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:  # type: ignore[override]
        return self.resolve_string("", context, base_url=system_url)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,  # libxml2's limits stay on: depth 256, text nodes of 10,000,000 chars
        collect_ids=False,
        remove_comments=True,
        remove_pis=True,
    )
    parser.resolvers.add(_NoExternal())
    return parser


def load(path: Path, *, expect_part: int | None = None) -> Document:
    """Parse one part of the standard safely; raise :class:`InputError` when it is unusable."""
    name = str(path)
    if not path.is_file():
        raise InputError(name, "file not found" if not path.exists() else "not a regular file")
    try:
        # From the open file, not from its bytes in memory: libxml2 reads it in chunks and stops
        # at the first limit without holding the rest.
        with path.open("rb") as stream:
            tree = etree.parse(stream, _parser(), base_url=name)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(path, error) from None
    except OSError as error:
        raise InputError(name, f"cannot read: {error}") from None
    root = tree.getroot()
    if etree.QName(root).namespace != DOCBOOK or etree.QName(root).localname != "book":
        raise InputError(name, f"not a DocBook book: root element is {root.tag!r}")
    document = Document(path, root, Diagnostics(path.name))
    if expect_part is not None:
        document.require_part(expect_part)
    return document


_ERR_RESOURCE_LIMIT = 114
_HINT = re.compile(r",?\s*(use|try) XML_PARSE_HUGE( option)?", re.IGNORECASE)
_POSITION = re.compile(r", line \d+, column \d+$")


def _syntax_error(path: Path, error: etree.XMLSyntaxError) -> InputError:
    """The error for XML libxml2 refused: where, and for a limit, which one (with the table
    and row it is in)."""
    line = getattr(error, "lineno", None)
    at = f" (line {line})" if line else ""
    message = _POSITION.sub("", error.msg or "")
    lowered = message.lower()
    if "depth" in lowered:
        what = f"elements nested more than {PARSER_DEPTH} deep"
    elif "text node" in lowered:
        what = f"a text node longer than {PARSER_TEXT:,} characters"
    elif getattr(error, "code", None) == _ERR_RESOURCE_LIMIT or _HINT.search(message):
        # another of libxml2's limits (entity amplification ...): not tied to one element
        return InputError(str(path), f"refused by the XML parser{at}: {_HINT.sub('', message)}")
    else:
        return InputError(str(path), f"not well-formed XML{at}: {message}")
    table, row, header = _locate(path)
    if header:
        what = f"header row {row}: {what}"
        row = None
    return InputError(
        str(path),
        f"{what}{at}; the XML parser reads no more (libxml2's limit)",
        table=table,
        row=row,
    )


def _locate(path: Path) -> tuple[str | None, int | None, bool]:
    """(table id, row number, header row) open where libxml2 stops reading ``path``: a second,
    streaming read that keeps only the open elements."""
    tables: list[tuple[str | None, int, bool]] = []
    stream = path.open("rb")
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, element in events:
            tag = element.tag
            if event == "start":
                if tag == _D + "table":
                    tables.append((element.get(XML_ID), 0, False))
                elif tag in (_D + "tr", _D + "row") and tables:
                    parent = element.getparent()
                    header = parent is not None and parent.tag == _D + "thead"
                    ident, count, in_header = tables[-1]
                    if header != in_header:
                        count = 0
                    tables[-1] = (ident, count + 1, header)
                continue
            if tag == _D + "table" and tables:
                tables.pop()
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError:
        pass
    finally:
        stream.close()
    if not tables:
        return None, None, False
    ident, count, header = tables[-1]
    return ident, (count or None), header
