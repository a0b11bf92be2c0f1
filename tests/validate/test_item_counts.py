"""Numbers of Items a sequence's description states under a condition.

PS3.3 table C.8-39 (RT Dose Module), Referenced RT Plan Sequence (300C,0002): "Only a single Item
shall be included in this Sequence, unless Dose Summation Type (3004,000A) is MULTI_PLAN, in which
case two or more Items shall be included in this Sequence."
"""

from __future__ import annotations

import copy

import pytest
from pydicom.dataset import Dataset

from dicomstd.validation.engine import validate_dataset
from tests.validate.conftest import read_pydicom_file


def _plans(summation: str, items: int) -> Dataset:
    dose = read_pydicom_file("rtdose.dcm")  # Dose Summation Type PLAN, one plan referenced
    dose.DoseSummationType = summation
    plans = dose.ReferencedRTPlanSequence
    while len(plans) < items:
        plans.append(copy.deepcopy(plans[0]))
    return dose


def _item_counts(dataset: Dataset) -> list[tuple[str, str, str]]:
    return [
        (f.tag_text, f.path, f.message)
        for f in validate_dataset(dataset).errors
        if f.code == "item-count"
    ]


@pytest.mark.parametrize(
    ("summation", "items"), [("PLAN", 1), ("MULTI_PLAN", 2), ("MULTI_PLAN", 3)]
)
def test_the_number_the_text_allows_passes(summation: str, items: int) -> None:
    assert _item_counts(_plans(summation, items)) == []


def test_more_than_a_single_item_without_the_condition_is_an_error() -> None:
    # Dose Summation Type PLAN: "Only a single Item shall be included in this Sequence".
    found = _item_counts(_plans("PLAN", 2))
    assert [(tag, path) for tag, path, _ in found] == [("(300C,0002)", "ReferencedRTPlanSequence")]
    assert "exactly 1" in found[0][2]


def test_a_single_item_when_the_condition_holds_is_an_error() -> None:
    # Dose Summation Type MULTI_PLAN: "in which case two or more Items shall be included".
    found = _item_counts(_plans("MULTI_PLAN", 1))
    assert [(tag, path) for tag, path, _ in found] == [("(300C,0002)", "ReferencedRTPlanSequence")]
    assert "2 or more if Dose Summation Type (3004,000A) is MULTI_PLAN" in found[0][2]
