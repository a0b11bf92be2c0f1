"""The ``>``-depth rule shared by the generator's expander and dicomstd.spec (dicomstd.nesting)."""

from __future__ import annotations

from dicomstd.nesting import Nesting


def test_rows_go_under_the_last_open_node_one_level_up() -> None:
    # Sequence, >Item attribute, >Item attribute, top-level attribute
    nesting = Nesting[str]()
    first = nesting.place(0)
    assert (first.depth, first.parent, first.deeper, first.climbed) == (0, None, None, False)
    nesting.open("Sequence")
    assert nesting.place(1).parent == "Sequence"
    nesting.open("Item A")
    second = nesting.place(1)
    assert (second.depth, second.parent) == (1, "Sequence")
    nesting.open("Item B")
    assert nesting.place(2).parent == "Item B"
    nesting.open("Inner")
    top = nesting.place(0)
    assert (top.depth, top.parent) == (0, None)


def test_a_row_marked_too_deep_goes_one_level_below_the_deepest() -> None:
    nesting = Nesting[str]()
    nesting.place(0)
    nesting.open("Sequence")
    jump = nesting.place(3)  # ">>>" right after a top-level row
    assert (jump.depth, jump.parent, jump.deeper, jump.climbed) == (1, "Sequence", 0, False)


def test_a_row_under_what_holds_no_items_climbs_to_the_nearest_open_node() -> None:
    nesting = Nesting[str]()
    nesting.place(0)
    nesting.open("Sequence")
    nesting.place(1)
    nesting.open(None)  # ">Include" of a table without attributes, or a placeholder
    climbed = nesting.place(2)
    assert (climbed.depth, climbed.parent, climbed.deeper, climbed.climbed) == (
        1,
        "Sequence",
        None,
        True,
    )
    nesting.open("Item")
    nesting.place(0)
    nesting.open(None)
    top = nesting.place(1)
    assert (top.depth, top.parent, top.climbed) == (0, None, True)
