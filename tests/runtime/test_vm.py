"""Value Multiplicity (PS3.5 section 6.4): parsing and which value counts a VM accepts."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dicomstd.vm import VM


@pytest.mark.parametrize(
    ("text", "low", "high", "step"),
    [
        ("1", 1, 1, 1),
        ("16", 16, 16, 1),
        ("1-n", 1, None, 1),
        ("2-n", 2, None, 1),
        ("2-2n", 2, None, 2),
        ("3-3n", 3, None, 3),
        ("1-32", 1, 32, 1),
        ("1-99", 1, 99, 1),
        ("1-n or 1", 1, None, 1),
    ],
)
def test_parse(text: str, low: int, high: int | None, step: int) -> None:
    vm = VM.parse(text)
    assert (vm.min, vm.max, vm.step) == (low, high, step)
    assert vm.text == str(vm) == text
    assert vm.specified
    assert repr(vm) == f"VM({text!r})"


@pytest.mark.parametrize(
    ("text", "accepted", "refused"),
    [
        ("1", [1], [0, 2, 3]),
        ("1-n", [1, 2, 17, 1000], [0]),
        ("2-2n", [2, 4, 6, 100], [0, 1, 3, 5, 101]),
        ("3-3n", [3, 6, 9, 300], [0, 1, 2, 4, 5, 7]),
        ("1-32", [1, 16, 32], [0, 33]),
        ("6-n", [6, 7, 60], [0, 5]),
        ("1-n or 1", [1, 2, 5000], [0]),
    ],
)
def test_accepts(text: str, accepted: list[int], refused: list[int]) -> None:
    vm = VM.parse(text)
    assert all(vm.accepts(n) for n in accepted)
    assert not any(vm.accepts(n) for n in refused)


def test_or_keeps_both_alternatives() -> None:
    both = VM.parse("1-n or 1")
    assert both != VM.parse("1-n")
    assert both != VM.parse("1")
    assert both == VM.parse("1-n  or  1")
    assert both.text == "1-n or 1"


def test_unspecified() -> None:
    vm = VM.parse("")
    assert vm == VM.unspecified() == VM.parse("   ")
    assert not vm.specified
    assert vm.text == ""
    assert all(vm.accepts(n) for n in (0, 1, 7))


@pytest.mark.parametrize(
    "bad",
    [
        "n",
        "1-",
        "-1",
        "one",
        "1-n-2",
        "2-3n",
        "3-2",
        "1 or",
        "1-n or",
        "1,2",
        "1.5",
        "1 - n",
        "x-n",
    ],
)
def test_bad_forms_raise_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="not a value multiplicity"):
        VM.parse(bad)


def test_immutable_and_hashable() -> None:
    vm = VM.parse("2-2n")
    with pytest.raises(AttributeError):
        vm.min = 3
    assert len({VM.parse("2-2n"), VM("2-2n"), VM.parse("1")}) == 2
    assert VM.parse("2-2n") is VM.parse("2-2n")  # parsed once


@pytest.mark.parametrize("text", ["1", "2-2n", "1-n or 1", ""])
def test_pickles(text: str) -> None:
    # What crosses to --jobs workers and Dask, or into a user's cache: it comes back the same
    # VM (its __setattr__ refuses the default way of restoring the slots).
    vm = VM.parse(text)
    back = pickle.loads(pickle.dumps(vm))
    assert back == vm
    assert (back.min, back.max, back.step, back.text) == (vm.min, vm.max, vm.step, vm.text)


@given(st.integers(1, 200), st.integers(0, 200), st.integers(0, 1000))
def test_range_property(low: int, extra: int, count: int) -> None:
    high = low + extra
    vm = VM.parse(f"{low}-{high}")
    assert vm.accepts(count) == (low <= count <= high)
    assert (vm.min, vm.max) == (low, high)


@given(st.integers(1, 50), st.integers(0, 1000))
def test_multiple_property(k: int, count: int) -> None:
    vm = VM.parse(f"{k}-{k}n")
    assert vm.accepts(count) == (count >= k and count % k == 0)


@given(st.integers(0, 200), st.integers(0, 1000))
def test_fixed_and_open_property(n: int, count: int) -> None:
    assert VM.parse(str(n)).accepts(count) == (count == n)
    assert VM.parse(f"{n}-n").accepts(count) == (count >= n)


@given(st.integers(1, 20), st.integers(1, 20), st.integers(0, 60))
def test_or_property(a: int, b: int, count: int) -> None:
    vm = VM.parse(f"{a}-n or {b}")
    assert vm.accepts(count) == (count >= a or count == b)
    assert vm.min == min(a, b)
    assert vm.max is None


@given(st.sampled_from(["1", "1-n", "2-2n", "3-3n", "1-32", "1-n or 1", "6-n", "16"]))
def test_text_round_trip(text: str) -> None:
    assert VM.parse(str(VM.parse(text))) == VM.parse(text)
