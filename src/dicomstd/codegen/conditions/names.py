"""What condition texts name, and what each name stands for in the standard being read.

A :class:`Vocabulary` is built once per standard (:func:`vocabulary`) and handed to the parser:

* attributes — PS3.6 names and keywords, then PS3.3 attribute names (tags newer than the
  dictionary), normalised (:func:`normalise`) -> tag;
* modules and macros — PS3.3 attribute table names (``Palette Color Lookup Table Module``) -> the
  table, with the tags at its top level;
* functional groups — a functional group macro's name without ``Functional Group``/``Macro``
  (``Derivation Image``) -> the one sequence its table holds at its top level (PS3.3 C.7.6.16: a
  functional group is present when its sequence is);
* SOP Classes — PS3.4 and PS3.6 names (``MR Spectroscopy Storage``, also without ``Storage``)
  -> UID.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from dicomstd.codegen.model import Standard

__all__ = ["ALIASES", "Module", "Vocabulary", "names_from", "normalise", "vocabulary"]

SOP_CLASS_UID = 0x00080016

ALIASES: dict[str, int] = {"sop class": SOP_CLASS_UID}
"""Names the prose uses for an attribute besides the dictionary's (``whose SOP Class is …``)."""

_GROUP_SUFFIX = re.compile(r"(?: functional group)?(?: macros?| module)?$")


def normalise(name: str) -> str:
    """Lower case, every run of other than letters and digits one space: how names compare."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower().replace("’", "'")).split())


def group_key(name: str) -> str:
    """A functional group's name as texts write it, without ``Functional Group``, ``Macro``."""
    return _GROUP_SUFFIX.sub("", normalise(name))


@attrs.frozen
class Module:
    """A module or macro a condition may name: its attribute table and top-level tags."""

    source: str
    name: str
    tags: frozenset[int]
    nested: tuple[tuple[int, tuple[int, ...]], ...] = ()
    """Attributes in the items of its sequences: (tag, the sequences from the top level down to
    the one whose items hold it), one entry per place."""

    def chains(self, tag: int) -> tuple[tuple[int, ...], ...]:
        """The sequences leading to each place of ``tag`` in the module's items."""
        return tuple(chain for nested, chain in self.nested if nested == tag)


def _inverse(names: Mapping[str, int]) -> dict[int, frozenset[str]]:
    by_tag: dict[int, set[str]] = {}
    for name, tag in (*names.items(), *ALIASES.items()):
        by_tag.setdefault(tag, set()).add(name)
    return {tag: frozenset(found) for tag, found in by_tag.items()}


@attrs.frozen
class Vocabulary:
    """The names a condition text may use, each resolved (see the module's documentation)."""

    attributes: Mapping[str, int]
    modules: Mapping[str, Module] = attrs.field(factory=dict)
    groups: Mapping[str, int] = attrs.field(factory=dict)
    sop_classes: Mapping[str, str] = attrs.field(factory=dict)
    pointers: frozenset[int] = frozenset()
    """Tags of VR AT: their values name attributes (``Frame Increment Pointer``)."""
    single_frame: frozenset[str] = frozenset()
    """SOP Class UIDs whose IOD holds one frame: no module of it has Number of Frames (0028,0008)
    and it has no functional groups (``the Referenced SOP Instance is a multi-frame image`` is
    false for them)."""
    grouped: frozenset[int] = frozenset()
    """Tags of the attributes that functional group sequences contain, at any depth (``the Data
    Element Tag of an Attribute that is contained within a Functional Group Sequence``)."""
    by_tag: Mapping[int, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "by_tag", _inverse(self.attributes))

    @classmethod
    def of(cls, names: Mapping[str, int] | Vocabulary) -> Vocabulary:
        """A vocabulary as given, or one of attribute names only."""
        return names if isinstance(names, Vocabulary) else cls(names)

    def tag(self, words: str) -> int | None:
        """The tag a normalised name stands for."""
        return self.attributes.get(words, ALIASES.get(words))

    def names_of(self, tag: int) -> frozenset[str]:
        return self.by_tag.get(tag, frozenset())


def names_from(standard: Standard) -> dict[str, int]:
    """Normalised name -> tag: PS3.6 names and keywords, then PS3.3 attribute names.

    Repeating-group entries are left out. A name PS3.6 gives to several tags keeps the tag of its
    one current (not retired) entry, and is left out when that does not decide.
    """
    from dicomstd.codegen.model import AttributeRow

    candidates: dict[str, dict[int, bool]] = {}

    def add(name: str, tag: int, current: bool) -> None:
        key = normalise(name)
        if key:
            tags = candidates.setdefault(key, {})
            tags[tag] = tags.get(tag, False) or current

    if standard.part06 is not None:
        for entry in standard.part06.data_elements:
            if entry.tag.repeating:
                continue
            add(entry.name, entry.tag.value, not entry.retired)
            if entry.keyword:
                add(entry.keyword, entry.tag.value, not entry.retired)
    known = dict(candidates)
    if standard.part03 is not None:
        for table in standard.part03.tables.values():
            for row in table.rows:
                if isinstance(row, AttributeRow) and not row.tag.repeating:
                    key = normalise(row.name)
                    if key and key not in known:
                        add(row.name, row.tag.value, True)
    return _decided(candidates)


def _decided(candidates: Mapping[str, Mapping[int, bool]]) -> dict[str, int]:
    names: dict[str, int] = {}
    for key, tags in sorted(candidates.items()):
        if len(tags) == 1:
            names[key] = next(iter(tags))
            continue
        current = [tag for tag, is_current in tags.items() if is_current]
        if len(current) == 1:
            names[key] = current[0]
    return names


def vocabulary(standard: Standard) -> Vocabulary:
    """Every name the conditions of ``standard`` may use (see the module's documentation)."""
    return Vocabulary(
        attributes=names_from(standard),
        modules=_modules(standard),
        groups=_groups(standard),
        sop_classes=_sop_classes(standard),
        grouped=_grouped(standard),
        single_frame=_single_frame(standard),
        pointers=frozenset(
            entry.tag.value
            for entry in (standard.part06.data_elements if standard.part06 is not None else ())
            if tuple(entry.vrs) == ("AT",)
        ),
    )


def _top_tags(attributes: Iterable[object]) -> frozenset[int]:
    tags: set[int] = set()
    for attribute in attributes:
        tag = getattr(attribute, "tag", None)
        if tag is not None and getattr(attribute, "kind", "attribute") == "attribute":
            tags.add(tag.value)
    return frozenset(tags)


def _nested(
    attributes: Iterable[object], chain: tuple[int, ...]
) -> Iterable[tuple[int, tuple[int, ...]]]:
    """(tag, chain of sequences) of every attribute below the top level."""
    for attribute in attributes:
        tag = getattr(attribute, "tag", None)
        if tag is None or getattr(attribute, "kind", "attribute") != "attribute":
            continue
        if chain:
            yield tag.value, chain
        yield from _nested(getattr(attribute, "items", ()), (*chain, tag.value))


def _modules(standard: Standard) -> dict[str, Module]:
    """Normalised module and macro names -> :class:`Module`; a name two tables share is left
    out."""
    found: dict[str, set[Module]] = {}
    for module in standard.modules:
        if module.kind == "attributes":
            continue
        entry = Module(
            module.source,
            module.name,
            _top_tags(module.attributes),
            tuple(sorted(set(_nested(module.attributes, ())))),
        )
        found.setdefault(normalise(module.name), set()).add(entry)
    return {name: next(iter(entries)) for name, entries in found.items() if len(entries) == 1}


def _groups(standard: Standard) -> dict[str, int]:
    """Functional group names -> the sequence of the macro (one per functional group table)."""
    by_key = {module.key: module for module in standard.modules}
    found: dict[str, set[int]] = {}
    for iod in standard.iods:
        for use in iod.functional_groups:
            module = by_key.get(use.module) if use.module is not None else None
            if module is None:
                continue
            tags = _top_tags(module.attributes)
            if len(tags) != 1:
                continue
            for name in (use.name, module.name):
                found.setdefault(group_key(name), set()).update(tags)
    return {name: next(iter(tags)) for name, tags in found.items() if len(tags) == 1}


def _grouped(standard: Standard) -> frozenset[int]:
    """The tags inside the sequence of each functional group macro an IOD uses (PS3.3 C.7.6.16:
    a functional group is its one sequence), at any depth; repeating groups left out."""
    by_key = {module.key: module for module in standard.modules}
    found: set[int] = set()

    def add(attributes: Iterable[object]) -> None:
        for attribute in attributes:
            tag = getattr(attribute, "tag", None)
            if (
                tag is not None
                and getattr(attribute, "kind", "") == "attribute"
                and not tag.repeating
            ):
                found.add(tag.value)
            add(getattr(attribute, "items", ()))

    for iod in standard.iods:
        for use in iod.functional_groups:
            module = by_key.get(use.module) if use.module is not None else None
            if module is None or len(_top_tags(module.attributes)) != 1:
                continue
            for attribute in module.attributes:
                add(getattr(attribute, "items", ()))
    return frozenset(found)


NUMBER_OF_FRAMES = 0x00280008


def _single_frame(standard: Standard) -> frozenset[str]:
    """The SOP Classes of IODs that cannot hold more than one frame (PS3.3 C.7.6.6: Number of
    Frames is what makes an image multi-frame): IODs with no functional groups whose modules,
    all of them found, have no Number of Frames at their top level. A SOP Class two IODs give
    differently is left out."""
    by_key = {module.key: module for module in standard.modules}
    found: dict[str, set[bool]] = {}
    for iod in standard.iods:
        modules = [
            by_key.get(use.module) if use.module is not None else None for use in iod.modules
        ]
        if iod.functional_groups or any(module is None for module in modules):
            single = False
        else:
            single = not any(
                NUMBER_OF_FRAMES in _top_tags(module.attributes)
                for module in modules
                if module is not None
            )
        for uid, _ in iod.sop_classes:
            found.setdefault(uid, set()).add(single)
    return frozenset(uid for uid, verdicts in found.items() if verdicts == {True})


def _sop_classes(standard: Standard) -> dict[str, str]:
    """SOP Class names, with and without a trailing ``Storage``/``SOP Class`` -> UID; a name two
    UIDs share is left out."""
    pairs: list[tuple[str, str]] = []
    if standard.part04 is not None:
        pairs += [(sop.name, sop.uid) for sop in standard.part04.sop_classes]
    if standard.part06 is not None:
        pairs += [(uid.name, uid.value) for uid in standard.part06.uids if uid.type == "SOP Class"]
    found: dict[str, set[str]] = {}
    for name, uid in pairs:
        key = normalise(name.replace("(Retired)", ""))
        for variant in {key, re.sub(r" sop class$", "", key)}:
            found.setdefault(variant, set()).add(uid)
            bare = re.sub(r" storage$", "", variant)
            if bare != variant:
                found.setdefault(bare, set()).add(uid)
    return {name: next(iter(uids)) for name, uids in found.items() if len(uids) == 1}
