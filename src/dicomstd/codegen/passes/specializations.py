"""One module's definition of an attribute taking precedence over another's, per IOD.

PS3.3 says so in three ways, each read here from its wording, never from a table number:

* a description cell: "This type definition shall override the definition in the General Series
  Module" (SC Equipment Module, Modality Type 3), "…, overriding (specializing) the Type 1
  requirement on this Attribute in the Multi-frame Module", "The requirement in this Module is
  type 1C, which overrides the type 3 in the Display Shutter Module";
* the section holding a module's table: "Including this module in an IOD overwrites the Type
  Designation of the General Equipment Module" (Enhanced General Equipment, C.7.5.2), "…
  describe a XA/XRF Image by specializing Attributes of the General Image Module and Image Pixel
  Module";
* a description cell pointing at a section: "See C.8.8.3.4.3 for specialization" (RT Dose Module,
  Bits Allocated), whose section narrows the values ("Enumerated Values: 16 32").

:func:`read` collects these statements while PS3.3 is parsed (it reads sections, which the model
does not keep); :func:`run`, a pass, resolves them per IOD: only modules both in the IOD
interact. A sentence that speaks of overriding or specializing a definition in a shape not
recognised here is a diagnostic naming its table and row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import attrs

from dicomstd.codegen import part03 as part03_parser
from dicomstd.codegen.diagnostics import Diagnostics
from dicomstd.codegen.docbook import Cell, Document, Link, Paragraph
from dicomstd.codegen.model import (
    AttributeRow,
    AttributeTable,
    IncludeRow,
    Iod,
    Module,
    Part03,
    Specialization,
    SpecializationStatement,
    Standard,
    ValueList,
)

# Words that make a sentence worth reading here at all.
_CANDIDATE = re.compile(r"overrid|overwrit|speciali", re.IGNORECASE)
# … and what makes it speak of a definition rather than of a value or a concept.
_ABOUT_DEFINITIONS = re.compile(
    r"\b(?:modules?|macros?|definitions?|type\s+designation|requirements?)\b|\btype\s+[123]",
    re.IGNORECASE,
)
# "See Section C.8.8.3.4.3 for specialization", "See C.8.4.8.1.1 for further specialization",
# "See Section C.8.12.1.1.2 for specialization of this Attribute".
_SEE_SPECIALIZATION = re.compile(
    r"\bsee\s+(?:section\s+)?(?P<label>[A-Z0-9]+(?:\.\d+)+)\s+for\s+(?:further\s+)?"
    r"specialization\b",
    re.IGNORECASE,
)
# "override the definition in the …", "overriding (specializing) the Type 1 requirement on this
# Attribute in the …", "overrides the type 3 in the …", "override the requirements of the …",
# "overrides the optional requirements of the …", "overwrites the Type Designation of the …".
_DEFINITION_OVERRIDE = re.compile(
    r"\b(?:overrid(?:e|es|ing)|overwrit(?:e|es|ing))\b(?:\s*\(speciali[sz]ing\))?\s+the\s+"
    r"(?:[\w-]+\s+)??(?:definition|type(?:\s+designation|\s+[123]C?)?|requirements?)\b"
    r".*?\b(?:in|of)\s+the\s+(?P<tail>.*)$",
    re.IGNORECASE,
)
# "The CT IODs use the General Series Module, specialized by the CT Series Module, …".
_SPECIALIZED_BY = re.compile(
    r"\bthe\s+(?P<tail>[^,]+?\bModule),?\s+speciali[sz]ed\s+by\s+the\s+(?P<winner>[^,]+?\bModule)",
    re.IGNORECASE,
)
# "… by specializing Attributes of the General Image Module and Image Pixel Module".
_SPECIALIZING_ATTRIBUTES = re.compile(
    r"\bspeciali[sz]ing\s+(?:the\s+)?attributes\s+of\s+the\s+(?P<tail>.*)$", re.IGNORECASE
)
# Sentences about values or contents, not definitions: "this value shall override the value of
# Recommended Viewing Mode (0028,1090) specified in the Mask Module"; "This is a specialization
# of the Image Pixel Module … encoded as a Sequence of Attributes of the Image Pixel Module".
_NOT_DEFINITIONS = re.compile(
    r"\boverrid(?:e|es|ing)\s+(?:the|any)\s+(?:[\w-]+\s+){0,6}?values?\b"
    r"|\bis\s+a\s+speciali[sz]ation\s+of\s+the\b",
    re.IGNORECASE,
)
_MODULE_NAME = re.compile(r"\b([A-Z0-9][\w/-]*(?:\s+[A-Z0-9][\w/-]*)*?\s+Module)\b")
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z])|\n")


def _sentences(text: str) -> Iterator[str]:
    for sentence in _SENTENCE_END.split(text):
        if sentence.strip():
            yield sentence.strip()


def _module_names(tail: str) -> tuple[str, ...]:
    """The module names a clause lists ("Display Shutter Module and Bitmap Display Shutter
    Module"), in order."""
    return tuple(dict.fromkeys(m.group(1) for m in _MODULE_NAME.finditer(tail)))


def normal_name(name: str) -> str:
    """A module's name compared: case, punctuation and a final "Module" ignored."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower()).split()
    if words and words[-1] == "module":
        words.pop()
    return " ".join(words)


# -- reading (while PS3.3 is parsed) ------------------------------------------------------------
def read(document: Document, part03: Part03) -> Part03:
    """``part03`` with the statements of the document: what its attribute tables' description
    cells and the sections of its module tables say about overriding definitions."""
    statements: list[SpecializationStatement] = []
    for table_id in sorted(part03.tables):
        table = part03.tables[table_id]
        statements.extend(_cell_statements(document, table))
        if table.kind in ("module", "macro"):
            statements.extend(_section_statements(document, part03, table))
    return attrs.evolve(part03, specializations=tuple(statements))


def _rows_with_ancestor(table: AttributeTable) -> Iterator[tuple[AttributeRow, int | None]]:
    """Each attribute row with the tag of its top-level ancestor (itself at depth 0; None when
    the row belongs to an included table's attribute)."""
    top: int | None = None
    for row in table.rows:
        if isinstance(row, AttributeRow):
            if row.depth == 0:
                top = row.tag.value
            yield row, top
        elif isinstance(row, IncludeRow) and row.depth == 0:
            top = None


def _cell_statements(
    document: Document, table: AttributeTable
) -> Iterator[SpecializationStatement]:
    diagnostics = document.diagnostics
    for row, top in _rows_with_ancestor(table):
        if not _CANDIDATE.search(row.description):
            continue
        for sentence in _sentences(row.description):
            if not _CANDIDATE.search(sentence):
                continue
            see = _SEE_SPECIALIZATION.search(sentence)
            override = _DEFINITION_OVERRIDE.search(sentence)
            names = _module_names(override.group("tail")) if override is not None else ()
            if see is None and not names:
                if _ABOUT_DEFINITIONS.search(sentence) and not _NOT_DEFINITIONS.search(sentence):
                    _unrecognised(diagnostics, table.id, row.row, sentence)
                continue
            if top is None:
                diagnostics.warn(
                    "specialization-unplaced",
                    f"{row.tag} {row.name}: {sentence!r} is about an attribute of an included "
                    "table's sequence; not applied",
                    table=table.id,
                    row=row.row,
                )
                continue
            if see is not None:
                links = _row_links(document, table.id, row.row)
                yield _specialization(document, table, row, top, see.group("label"), links)
            else:
                yield SpecializationStatement(
                    "type", table.id, row.row, top, names, (), table.id, sentence
                )


def _row_links(document: Document, table_id: str, number: int) -> tuple[Link, ...]:
    table = document.table(table_id)
    if table is None or not 0 < number <= len(table.rows):
        return ()
    return tuple(link for cell in table.rows[number - 1].distinct() for link in cell.links)


def _specialization(
    document: Document,
    table: AttributeTable,
    row: AttributeRow,
    top: int,
    label: str,
    links: tuple[Link, ...],
) -> SpecializationStatement:
    """A "See <section> for specialization" cell: the section, and the values it lists for the
    attribute (a section titled with the attribute's name)."""
    diagnostics = document.diagnostics
    target = next(
        (link.target for link in links if link.kind == "xref" and link.text.endswith(label)),
        f"sect_{label}",
    )
    section = document.section(target)
    values: tuple[ValueList, ...] = ()
    text = f"See {label} for specialization"
    if section is None:
        diagnostics.info(
            "specialization-section-absent",
            f"{row.tag} {row.name}: section {label} is not in this document; the module's "
            "definition applies without the values it may narrow",
            table=table.id,
            row=row.row,
        )
    else:
        blocks = document.section_blocks(target)
        found = part03_parser.value_lists(Cell("", blocks, (), False, 0, 0))
        titled = normal_name(section.title) == normal_name(row.name)
        if found and titled and row.depth == 0:
            values = found
        elif found:
            why = (
                "the attribute is inside a sequence (only top-level values are narrowed)"
                if titled
                else "the section is not titled with this attribute"
            )
            diagnostics.info(
                "specialization-values-unattributed",
                f"{row.tag} {row.name}: section {label} ({section.title!r}) lists values but "
                f"{why}; its lists are not applied",
                table=table.id,
                row=row.row,
            )
        text = " ".join(b.text for b in blocks if isinstance(b, Paragraph)) or text
    return SpecializationStatement(
        "specialization", table.id, row.row, top, (), values, target, text
    )


def _section_statements(
    document: Document, part03: Part03, table: AttributeTable
) -> Iterator[SpecializationStatement]:
    """What the section holding a module's (or macro's) table, and no other attribute table, says
    of it as a whole. (A macro's statement is about macros, which name no module: reported.)"""
    if table.section is None:
        return
    section = document.section(table.section)
    if section is None or [t for t in section.tables if t in part03.tables] != [table.id]:
        return
    for block in document.section_blocks(table.section):
        if not isinstance(block, Paragraph) or not _CANDIDATE.search(block.text):
            continue
        for sentence in _sentences(block.text):
            if not _CANDIDATE.search(sentence):
                continue
            match = _DEFINITION_OVERRIDE.search(sentence) or _SPECIALIZING_ATTRIBUTES.search(
                sentence
            )
            by = _SPECIALIZED_BY.search(sentence)
            # "specialized by" counts only when the module it names as the more specific one
            # is this one.
            if (
                match is None
                and by is not None
                and normal_name(by.group("winner")) == normal_name(table.name)
            ):
                match = by
            names = _module_names(match.group("tail")) if match is not None else ()
            if names:
                yield SpecializationStatement(
                    "module", table.id, 0, None, names, (), table.section, sentence
                )
            elif _ABOUT_DEFINITIONS.search(sentence) and not _NOT_DEFINITIONS.search(sentence):
                _unrecognised(document.diagnostics, table.id, None, sentence)


def _unrecognised(diagnostics: Diagnostics, table: str, row: int | None, sentence: str) -> None:
    diagnostics.warn(
        "specialization-unrecognised",
        f"a sentence about overriding or specializing a definition in a shape not recognised: "
        f"{sentence!r}; not applied",
        table=table,
        row=row,
    )


# -- the pass --------------------------------------------------------------------------------------
@attrs.frozen(eq=False)
class _Use:
    name: str
    names: frozenset[str]
    """The IOD's name of the module and its table's name, compared by :func:`normal_name`."""
    source: str
    tags: frozenset[int]
    """The tags of its top-level attributes (Include rows expanded)."""
    lists: dict[int, tuple[ValueList, ...]]
    """Their Enumerated Values and Defined Terms, by tag."""


def _uses(iod: Iod, modules: dict[str, Module]) -> list[_Use]:
    out = []
    for use in iod.modules:
        module = modules.get(use.module) if use.module is not None else None
        if module is None:
            continue
        tags = frozenset(
            a.tag.value for a in module.attributes if a.kind == "attribute" and a.tag is not None
        )
        names = frozenset({normal_name(use.name), normal_name(module.name)})
        lists = {
            a.tag.value: a.values
            for a in module.attributes
            if a.kind == "attribute" and a.tag is not None and a.values
        }
        out.append(_Use(use.name, names, module.source, tags, lists))
    return out


def run(standard: Standard) -> Standard:
    part03 = standard.part03
    if part03 is None or not part03.specializations or not standard.iods:
        return standard
    by_table: dict[str, list[SpecializationStatement]] = {}
    for statement in part03.specializations:
        by_table.setdefault(statement.table, []).append(statement)
    modules = {module.key: module for module in standard.modules}
    found = standard.diagnostics_for(3)
    iods = tuple(
        attrs.evolve(iod, specializations=for_iod(iod, _uses(iod, modules), by_table, found))
        for iod in standard.iods
    )
    return attrs.evolve(standard, iods=iods, diagnostics=standard.diagnostics + tuple(found))


def for_iod(
    iod: Iod,
    uses: list[_Use],
    by_table: dict[str, list[SpecializationStatement]],
    found: Diagnostics,
) -> tuple[Specialization, ...]:
    """The specializations among the modules of one IOD, one per (attribute, module)."""
    claims = list(_claims(uses, by_table))
    winners: dict[int, set[str]] = {}
    for tag, use, _ in claims:
        winners.setdefault(tag, set()).add(use.name)
    merged: dict[tuple[int, str], Specialization] = {}
    for tag, use, statement in claims:
        if statement.kind == "specialization":
            replaced = [u for u in uses if tag in u.tags and u.name not in winners[tag]]
        else:
            wanted = {normal_name(name) for name in statement.replaces}
            replaced = [u for u in uses if u is not use and tag in u.tags and u.names & wanted]
        replaces = tuple(u.name for u in replaced)
        values = statement.values
        if values and all(v.qualifier for v in values):
            values += _bounds(tag, replaced)
        if not replaces and not values:
            continue
        key = (tag, use.name)
        before = merged.get(key)
        if before is not None:
            replaces = tuple(dict.fromkeys(before.replaces + replaces))
            if before.values or not values:
                merged[key] = attrs.evolve(before, replaces=replaces)
                continue
        merged[key] = Specialization(tag, use.name, replaces, values, statement.source)
    return tuple(_without_conflicts(iod, merged, found))


def _bounds(tag: int, replaced: list[_Use]) -> tuple[ValueList, ...]:
    """The Enumerated Values the replaced definitions give the attribute without a condition,
    kept when a specialization lists values only under conditions ("Enumerated Values when Dose
    Type (3004,0004) = ERROR", which the validator does not evaluate): a specialization narrows
    the general definition, so its values stay within the general ones."""
    found = (
        v
        for use in replaced
        for v in use.lists.get(tag, ())
        if v.kind == "enumerated" and not v.qualifier
    )
    return tuple(dict.fromkeys(found))


def _claims(
    uses: list[_Use], by_table: dict[str, list[SpecializationStatement]]
) -> Iterator[tuple[int, _Use, SpecializationStatement]]:
    """(tag, module whose definition applies, statement) for every statement of a module of the
    IOD about an attribute the module defines."""
    for use in uses:
        for statement in by_table.get(use.source, ()):
            if statement.tag is not None:
                if statement.tag in use.tags:
                    yield statement.tag, use, statement
                continue
            wanted = {normal_name(name) for name in statement.replaces}
            shared: set[int] = set()
            for other in uses:
                if other is not use and other.names & wanted:
                    shared |= use.tags & other.tags
            for tag in sorted(shared):
                yield tag, use, statement


def _without_conflicts(
    iod: Iod, merged: dict[tuple[int, str], Specialization], found: Diagnostics
) -> Iterable[Specialization]:
    """The specializations in order, leaving out two modules each replacing the other's
    definition of an attribute (reported: neither is more specific)."""
    for (tag, name), special in sorted(merged.items()):
        mutual = [
            other
            for other in special.replaces
            if name in getattr(merged.get((tag, other)), "replaces", ())
        ]
        if mutual:
            if all(name < other for other in mutual):  # one report per pair
                found.warn(
                    "specialization-conflict",
                    f"{iod.name}: {name} and {', '.join(mutual)} each override the other's "
                    f"definition of ({tag >> 16:04X},{tag & 0xFFFF:04X}); neither applied",
                    table=iod.source,
                )
            continue
        yield special


__all__ = ["normal_name", "read", "run"]
