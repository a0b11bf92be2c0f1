"""The compiled conditions and the frame tables change no finding.

The validator evaluates conditions through :mod:`dicomstd.validation.compiled`; with
``compiled.REFERENCE`` it uses the interpreter (:meth:`dicomstd.conditions.Condition.outcome`)
instead. The interpreter is the reference implementation: every file of pydicom's test-file folder
and the synthetic enhanced multi-frame data sets (:mod:`tests.bench.multiframe`) must give the
same findings, in the same order, both ways; and every condition of the build, and random
condition trees, the same outcome in the same scopes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd import conditions
from dicomstd.conditions import (
    All,
    Compare,
    Condition,
    Count,
    Equals,
    ExtendedCharacters,
    Facts,
    HasCode,
    HasValue,
    InItems,
    ItemPosition,
    ModulePresent,
    Node,
    Not,
    PointsToPrivate,
    Present,
    Scoped,
    Unverifiable,
    Varies,
)
from dicomstd.validation import compiled
from dicomstd.validation._dataset import elements
from dicomstd.validation.frames import Frames
from tests.bench.findings import _document, cases
from tests.bench.multiframe import ct_small, enhanced_ct
from tests.validate.conftest import read_pydicom_file


@pytest.fixture
def reference() -> Iterator[None]:
    compiled.REFERENCE = True
    try:
        yield
    finally:
        compiled.REFERENCE = False


def _both(run: Any) -> tuple[dict[str, object], dict[str, object]]:
    compiled.REFERENCE = True
    try:
        expected = _document(run())
    finally:
        compiled.REFERENCE = False
    return expected, _document(run())


def test_every_input_gives_the_same_findings_compiled_and_interpreted() -> None:
    differing = []
    count = 0
    with tempfile.TemporaryDirectory(prefix="dicomstd-identical-") as tmp:
        for name, run in cases(Path(tmp)):
            expected, found = _both(run)
            count += 1
            if expected != found:
                differing.append(name)
    assert count > 200  # pydicom's files and 36 synthetic inputs
    assert differing == []


def test_the_reference_switch_is_the_interpreter(reference: None) -> None:
    # Tables that disagree with the data set (which they never do in a walk) tell the two
    # apart: the compiled function reads the tables, the interpreter the data set.
    condition = Condition(Present(0x00080008), "may", "Required if Image Type is present.")
    verdict = compiled.outcome(condition)
    held = Dataset()
    held.ImageType = "ORIGINAL"
    tables = [{0x00080008: held[0x00080008]}]
    assert verdict([Dataset()], tables, conditions.NO_FACTS) == "optional"
    compiled.REFERENCE = False
    assert verdict([Dataset()], tables, conditions.NO_FACTS) == "required"


# -- every condition of the build in the scopes of real and synthetic data sets ------------------
def _chains() -> Iterator[tuple[list[Any], list[Any]]]:
    """(scopes, tables) as the walk makes them: top level, items of sequences, frames."""
    for name in ("CT_small.dcm", "rtdose.dcm", "rtplan.dcm", "MR_small.dcm"):
        dataset = read_pydicom_file(name)
        top = elements(dataset)
        yield [dataset], [top]
        for element in dataset:
            if element.VR == "SQ":
                for item in element.value[:2]:
                    yield [item, dataset], [elements(item), top]
                    for inner in item:
                        if inner.VR == "SQ":
                            for deeper in inner.value[:2]:
                                yield (
                                    [deeper, item, dataset],
                                    [elements(deeper), elements(item), top],
                                )
    ct = ct_small()
    for variant in ("uniform", "mixed", "shared"):
        dataset = enhanced_ct(6, variant, ct)  # type: ignore[arg-type]
        top = elements(dataset)
        frames = Frames(dataset, top)
        yield [dataset], [top]
        for index, frame in enumerate(frames.frames):
            view = frames.view(index)
            for group in frame:
                for item in group.value:
                    yield (
                        [item, frame, view, dataset],
                        [elements(item), elements(frame), view.table(), top],
                    )
            yield [frame, view, dataset], [elements(frame), view.table(), top]
        shared = frames.shared
        assert shared is not None
        view = frames.shared_view()
        for group in shared:
            for item in group.value:
                yield (
                    [item, shared, view, dataset],
                    [elements(item), elements(shared), view.table(), top],
                )


def _facts() -> Facts:
    return Facts(module_present=lambda source: source.endswith("1") or None, memo={})


def test_every_condition_of_the_build_gives_the_interpreter_s_outcome() -> None:
    table = conditions.for_text("")  # loads the generated table
    assert table is None
    every = list(conditions._TABLE.values())
    assert len(every) > 100
    differing = []
    for scopes, tables in _chains():
        facts = _facts()
        for condition in every:
            expected = condition.outcome(scopes, facts)
            found = compiled.outcome(condition)(scopes, tables, facts)
            if expected != found:
                differing.append((condition.text, expected, found))
            if compiled.holds(condition)(scopes, tables, facts) != condition.evaluate(
                scopes, facts
            ):
                differing.append((condition.text, "evaluate", ""))
    assert differing == []


# -- random data sets shaped as the walk sees them, every kind of node ---------------------------
IMAGE_TYPE, FRAME_TYPE, SAMPLES, POINTER = 0x00080008, 0x00089007, 0x00280002, 0x00209165
SEQUENCE = 0x00089215  # Derivation Code Sequence: items with codes, or nested attributes
MACROS = (0x00189301, 0x00189321)  # two functional group macro sequences
TAGS = (IMAGE_TYPE, SAMPLES, SEQUENCE)
WORDS = ("A", "1", "")


def _leaves() -> list[Node]:
    out: list[Node] = []
    for tag in (*TAGS, POINTER):
        out += [Present(tag), HasValue(tag), PointsToPrivate(tag)]
        out += [Count(tag, op, n) for op in (">", "==") for n in (0, 1)]
        for index in (None, 1, 2):
            out += [Equals(tag, ("A",), index), Equals(tag, ("1", 1), index)]
            out += [Equals(tag, (1,), index), Compare(tag, ">=", 1, index)]
            out += [Compare(tag, "<", 2.5, index)]
        out += [Varies(tag, sequence) for sequence in (None, SEQUENCE)]
    out += [HasCode(SEQUENCE, (("113097", "DCM"),)), ExtendedCharacters()]
    out += [ItemPosition(which, seq) for which in ("first", "last") for seq in (None, SEQUENCE)]
    out += [Unverifiable("a fact no attribute records"), ModulePresent("table_C.7-1", "M")]
    out += [ModulePresent("table_C.7-2", "M")]
    return out


def _wrapped(node: Node) -> list[Node]:
    absent = Present(FRAME_TYPE)
    return [
        node,
        Not(node),
        All((node, Not(absent))),
        conditions.Any((absent, node)),
        Scoped(node, "dataset"),
        Scoped(node, "item"),
        Scoped(node, "item", SEQUENCE),
        Scoped(node, "frame"),
        Scoped(Not(node), "frame"),
        InItems(SEQUENCE, node),
        InItems(SEQUENCE, node, every=True),
    ]


NODES = [wrapped for leaf in _leaves() for wrapped in _wrapped(leaf)]

leaves = st.sampled_from(_leaves())


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(Not, children),
        st.builds(All, st.lists(children, min_size=1, max_size=3).map(tuple)),
        st.builds(conditions.Any, st.lists(children, min_size=0, max_size=3).map(tuple)),
        st.builds(
            Scoped,
            children,
            st.sampled_from(["dataset", "item", "frame", "frame"]),
            st.sampled_from([None, None, SEQUENCE]),
        ),
        st.builds(InItems, st.just(SEQUENCE), children, st.booleans()),
    )


trees = st.recursive(leaves, _extend, max_leaves=5)
values = st.one_of(
    st.sampled_from(WORDS),
    st.lists(st.sampled_from(WORDS[:-1]), min_size=1, max_size=2),
    st.sampled_from([1, 2, 0x00191001]),
)


def _attributes(data: st.DataObject, dataset: Dataset) -> Dataset:
    """Some of the attributes the nodes read, with values of the right kind."""
    for tag, vr in ((IMAGE_TYPE, "CS"), (SAMPLES, "US"), (POINTER, "AT")):
        if data.draw(st.booleans()):
            continue
        value = data.draw(values)
        if vr in ("US", "AT") and not isinstance(value, int):
            value = None
        if vr == "CS" and isinstance(value, int):
            value = str(value)
        dataset.add_new(tag, vr, value)
    return dataset


def _with_items(data: st.DataObject, dataset: Dataset) -> Dataset:
    """``dataset`` with a Derivation Code Sequence of items (codes, attributes), or without."""
    if data.draw(st.booleans()):
        items = []
        for _ in range(data.draw(st.integers(0, 3))):
            item = _attributes(data, Dataset())
            if data.draw(st.booleans()):
                item.CodeValue = data.draw(st.sampled_from(["113097", "1"]))
                item.CodingSchemeDesignator = "DCM"
            if data.draw(st.booleans()):  # a sequence in the item: what "this frame" also reads
                item.add_new(MACROS[1], "SQ", Sequence([_attributes(data, Dataset())]))
            items.append(item)
        dataset.add_new(SEQUENCE, "SQ", Sequence(items))
    return dataset


def _groups(data: st.DataObject) -> Dataset:
    """A functional groups item: macro sequences of one item each."""
    groups = Dataset()
    for tag in MACROS:
        if data.draw(st.booleans()):
            macro = _with_items(data, _attributes(data, Dataset()))
            groups.add_new(tag, "SQ", Sequence([macro]))
    return groups


def _engine_chains(data: st.DataObject) -> list[tuple[list[Any], list[Any]]]:
    """A data set with items and functional groups, and the chains the walk evaluates in."""
    top = _with_items(data, _attributes(data, Dataset()))
    frames_items = [_groups(data) for _ in range(2)]
    top.PerFrameFunctionalGroupsSequence = Sequence(frames_items)
    if data.draw(st.booleans()):
        top.SharedFunctionalGroupsSequence = Sequence([_groups(data)])
    table = elements(top)
    chains: list[tuple[list[Any], list[Any]]] = [([top], [table])]
    if SEQUENCE in top:
        for item in top[SEQUENCE].value:
            chains.append(([item, top], [elements(item), table]))
    frames = Frames(top, table)
    holders = [(frame, frames.view(index)) for index, frame in enumerate(frames.frames)]
    if frames.shared is not None:
        holders.append((frames.shared, frames.shared_view()))
    for holder, view in holders:
        around = [elements(holder), view.table(), table]
        chains.append(([holder, view, top], around))
        for macro in holder:
            item = macro.value[0]
            chains.append(([item, holder, view, top], [elements(item), *around]))
            for inner in item.get(SEQUENCE, []):
                chains.append(
                    ([inner, item, holder, view, top], [elements(inner), elements(item), *around])
                )
    return chains


def _same(condition: Condition, chains: list[tuple[list[Any], list[Any]]]) -> None:
    """The compiled functions give the interpreter's answer in every chain of one data set,
    with what they keep for the validation (``facts.memo``) shared by all the chains."""
    verdict, holds = compiled.outcome(condition), compiled.holds(condition)
    facts, again = _facts(), _facts()
    for _ in range(2):  # the second time from what the first kept
        for scopes, tables in chains:
            expected = condition.outcome(scopes, again)
            assert verdict(scopes, tables, facts) == expected, (condition.requirement, scopes)
            assert holds(scopes, tables, facts) == condition.evaluate(scopes, again)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_kind_of_node_gives_the_interpreter_s_value(data: st.DataObject) -> None:
    chains = _engine_chains(data)
    for node in NODES:
        _same(Condition(node, "may", "a condition"), chains)


@settings(max_examples=200, deadline=None)
@given(
    tree=trees,
    otherwise=st.sampled_from(["may", "shall-not", None]),
    data=st.data(),
)
def test_random_trees_give_the_interpreter_s_outcome(
    tree: Node, otherwise: Any, data: st.DataObject
) -> None:
    _same(Condition(tree, otherwise, "a random condition"), _engine_chains(data))


def test_this_frame_is_found_in_the_shared_macro_items_of_the_top_level() -> None:
    # "Frame Type (0008,9007) Value 1 of this frame" asked at the top level: the chain does not
    # hold it, the shared item's CT Image Frame Type macro does (conditions._FrameChain).
    condition = Condition(
        Scoped(Equals(FRAME_TYPE, ("ORIGINAL",), 1), "frame"), "may", "of this frame"
    )
    top = Dataset()
    shared = Dataset()
    macro = Dataset()
    macro.FrameType = ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"]
    shared.CTImageFrameTypeSequence = Sequence([macro])
    top.SharedFunctionalGroupsSequence = Sequence([shared])
    facts = _facts()
    assert condition.outcome([top], facts) == "required"
    for _ in range(2):  # the second time from what the first kept
        assert compiled.outcome(condition)([top], [elements(top)], facts) == "required"
    macro.FrameType = ["DERIVED", "PRIMARY", "AXIAL", "NONE"]
    assert compiled.outcome(condition)([top], [elements(top)], _facts()) == "optional"


def test_this_frame_is_found_in_a_sequence_of_the_enclosing_item() -> None:
    # An item's condition "of this frame" also looks in the first item of each sequence of the
    # scope before the top level (conditions._FrameChain: the macro items of scopes[-2]).
    condition = Condition(Scoped(Present(SAMPLES), "frame"), None, "of this frame")
    top, item, inner = Dataset(), Dataset(), Dataset()
    inner.SamplesPerPixel = 1
    item.add_new(SEQUENCE, "SQ", Sequence([inner]))
    top.add_new(MACROS[0], "SQ", Sequence([item]))
    scopes = [item, top]
    facts = _facts()
    assert condition.outcome(scopes, facts) == "required"
    assert compiled.outcome(condition)(scopes, [elements(item), elements(top)], facts) == (
        "required"
    )


def test_an_answer_kept_for_a_frame_is_not_given_to_a_sibling_item() -> None:
    # Two items of one sequence, neither holding Image Type: "of this frame" looks in each
    # item's own sequences (the scope before the top level), so the answers differ and what
    # was kept for the first item must not answer for the second.
    condition = Condition(Scoped(Present(IMAGE_TYPE), "frame"), "may", "of this frame")
    top, first, second, inner = Dataset(), Dataset(), Dataset(), Dataset()
    inner.ImageType = "ORIGINAL"
    first.add_new(MACROS[1], "SQ", Sequence([inner]))
    top.add_new(SEQUENCE, "SQ", Sequence([first, second]))
    facts = _facts()
    verdict = compiled.outcome(condition)
    found = [verdict([item, top], [elements(item), elements(top)], facts) for item in top[SEQUENCE]]
    assert found == ["required", "optional"]
    assert [condition.outcome([item, top]) for item in top[SEQUENCE]] == found


@given(st.binary(max_size=64) | st.binary(max_size=8).map(lambda b: b + bytes([0x7F])))
def test_a_byte_outside_the_default_repertoire_is_found_as_byte_by_byte(value: bytes) -> None:
    # ISO-IR 6 (PS3.5 6.1.2) ends at 0x7E; ESC (0x1B) starts a code extension (PS3.5 6.1.2.5).
    expected = any(byte > 0x7E or byte == 0x1B for byte in value)
    assert conditions._outside_default(value) is expected
    assert conditions._outside_default(bytearray(value)) is expected


def test_a_group_condition_on_a_value_one_frame_holds_is_that_frame_s() -> None:
    # PS3.3 A.38-2: CT Table Dynamics and six more groups are "Required if Image Type (0008,0008)
    # Value 1 is ORIGINAL or MIXED"; their conditions read values only, so a frame holding none
    # of them has the top level's answer. One frame here holds Image Type DERIVED in one of its
    # functional group items: for that frame the groups are not required (found through its
    # view), for the others they are, as the interpreter says.
    from dicomstd.validation import validate

    dataset = enhanced_ct(3)
    frame_type = dataset.PerFrameFunctionalGroupsSequence[1].CTImageFrameTypeSequence[0]
    frame_type.ImageType = ["DERIVED", "PRIMARY", "AXIAL"]
    expected, found = _both(lambda: validate(dataset))
    assert expected == found
    missing = {
        f.message.split(" functional group")[0]: f.message
        for f in validate(dataset).findings
        if f.code == "functional-group-missing"
    }
    for group in ("CT Table Dynamics", "CT Position", "CT Geometry", "CT Exposure"):
        assert "per-frame item of 2 frames (first: frame 1)" in missing[group], missing
    assert "of 3 frames" in missing["Plane Position (Patient)"]  # Type M: every frame
