"""Include expansion and functional-group placement shared by the generator and dicomstd.spec
(dicomstd.trees), on small trees of named entries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from dicomstd import trees
from dicomstd.nesting import Placement


class Entry(NamedTuple):
    name: str
    items: tuple[Entry, ...] = ()
    placeholder: bool = False
    group: str = ""


class Row(NamedTuple):
    depth: int
    kind: str  # "attribute", "include", "placeholder"
    name: str


def _attach(entry: Entry, children: list[Entry]) -> Entry:
    return entry._replace(items=entry.items + tuple(children))


def expand(tables: dict[str, list[Row]], name: str) -> list[Entry]:
    def read(row: Row, _: Placement[trees.Branch[Entry]]) -> trees.Read[Entry]:
        if row.kind == "attribute":
            return trees.single(Entry(row.name), opens=True)
        if row.kind == "include":
            return trees.include(expand(tables, row.name), lambda e: not e.placeholder)
        return trees.single(Entry(row.name, placeholder=True), opens=False)

    return trees.build(tables[name], lambda row: row.depth, read, _attach)


# The shape of PS3.3 2016c table C.18.4-1 Image Reference Macro: its first row includes table
# C.18.3-1 Composite Object Reference Macro, whose last (and only top-level) attribute is the
# Referenced SOP Sequence; the ">" rows that follow the Include (Referenced Frame Number …)
# belong in that sequence's items, after what the SOP Instance Reference Macro puts there.
TABLES = {
    "sop_instance_reference": [
        Row(0, "attribute", "ReferencedSOPClassUID"),
        Row(0, "attribute", "ReferencedSOPInstanceUID"),
    ],
    "composite_object_reference": [
        Row(0, "attribute", "ReferencedSOPSequence"),
        Row(1, "include", "sop_instance_reference"),
        Row(0, "placeholder", "Any attribute"),  # not in C.18.3-1: a placeholder never opens
    ],
    "image_reference": [
        Row(0, "include", "composite_object_reference"),
        Row(1, "attribute", "ReferencedFrameNumber"),
        Row(0, "attribute", "Top"),
    ],
}


def test_included_entries_are_spliced_in_place_and_their_last_attribute_takes_deeper_rows() -> None:
    tree = expand(TABLES, "image_reference")
    assert [e.name for e in tree] == ["ReferencedSOPSequence", "Any attribute", "Top"]
    sequence = tree[0]
    assert [e.name for e in sequence.items] == [
        "ReferencedSOPClassUID",
        "ReferencedSOPInstanceUID",
        "ReferencedFrameNumber",  # after the included items, not before them
    ]
    # a placeholder never holds items, so the last *attribute* was opened
    assert tree[1].items == ()


def test_a_row_under_an_include_of_nothing_climbs() -> None:
    tables = {
        "empty": [],
        "outer": [
            Row(0, "attribute", "Sequence"),
            Row(1, "include", "empty"),
            Row(2, "attribute", "Inner"),
        ],
    }
    tree = expand(tables, "outer")
    assert tree == [Entry("Sequence", items=(Entry("Inner"),))]


def test_recursive_includes_are_the_edges_that_lead_back() -> None:
    # Content Item Macro -> Content Sequence items that include the Content Item Macro again
    edges = {"a": {"b"}, "b": {"a", "c"}, "c": set(), "d": {"d"}, "e": {"a"}}
    assert trees.recursive_includes(edges) == {("a", "b"), ("b", "a"), ("d", "d")}


class _Shape:
    def children(self, entry: Entry) -> Sequence[Entry]:
        return entry.items

    def with_children(self, entry: Entry, children: Sequence[Entry]) -> Entry:
        return entry._replace(items=tuple(children))

    def is_slot(self, entry: Entry) -> bool:
        return entry.placeholder and entry.name == "functional-groups"

    def in_group(self, entry: Entry, name: str) -> Entry:
        return entry._replace(group=name)


SHAPE: trees.Shape[Entry] = _Shape()


def test_functional_group_macros_replace_the_slot_at_any_depth() -> None:
    # C.7.6.16-1 Multi-frame Functional Groups Module: each functional groups sequence's items
    # are "Include one or more Functional Group Macros"
    slot = Entry("functional-groups", placeholder=True)
    module = [
        Entry("SharedFunctionalGroupsSequence", items=(slot,)),
        Entry("PerFrameFunctionalGroupsSequence", items=(Entry("Before"), slot)),
        Entry("InstanceNumber"),
    ]
    groups = [
        ("Pixel Measures", [Entry("PixelMeasuresSequence")]),
        ("Frame Content", [Entry("FrameContentSequence")]),
    ]
    placed = trees.place_functional_groups(module, groups, SHAPE)
    assert placed is not None
    shared, per_frame, top = placed
    assert shared.items == (
        Entry("PixelMeasuresSequence", group="Pixel Measures"),
        Entry("FrameContentSequence", group="Frame Content"),
    )
    assert [e.name for e in per_frame.items] == [
        "Before",
        "PixelMeasuresSequence",
        "FrameContentSequence",
    ]
    assert top == Entry("InstanceNumber")


def test_a_module_without_the_slot_takes_no_functional_groups() -> None:
    module = [Entry("Sequence", items=(Entry("Item"),)), Entry("Any", placeholder=True)]
    assert trees.place_functional_groups(module, [("G", [Entry("X")])], SHAPE) is None
