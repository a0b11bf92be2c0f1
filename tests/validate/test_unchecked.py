"""A file whose IOD is not in the build is unchecked, never ok.

The committed build holds the four IODs of the PS3.3 2016c excerpt (CT Image, RT Dose, Enhanced
CT Image, Enhanced XA Image). pydicom's MR_small.dcm is an MR Image (SOP Class 1.2.840.10008.5.1.
4.1.1.4, PS3.4 B.5-1), whose IOD (PS3.3 A.4) the excerpt lacks: its values are checked, its
modules are not. Statuses, worst first: unreadable, errors, unchecked, warnings, ok.
"""

from __future__ import annotations

import copy

import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset

from dicomstd import spec
from dicomstd.validation import ValidationResult, validate
from dicomstd.validation.findings import STATUSES, Finding
from dicomstd.validation.report import Summary, text
from tests.validate.conftest import pydicom_file


@pytest.fixture(scope="module")
def mr() -> Dataset:
    path = pydicom_file("MR_small.dcm")
    return dcmread(path)


def test_the_mr_image_iod_is_not_in_this_build() -> None:
    with pytest.raises(KeyError):
        spec.iod("1.2.840.10008.5.1.4.1.1.4")


def test_a_file_whose_iod_is_not_in_the_build_is_unchecked(mr: Dataset) -> None:
    result = validate(mr)
    assert result.iod is None
    assert not result.checked
    assert result.status == "unchecked"
    notice = [f for f in result.findings if f.code == "iod-not-available"]
    assert len(notice) == 1
    assert "dicomstd standard build" in notice[0].message


def test_a_checked_file_is_checked() -> None:
    path = pydicom_file("CT_small.dcm")
    result = validate(dcmread(path))
    assert result.checked and result.iod == "CT Image"


def test_errors_outrank_unchecked_and_unchecked_outranks_warnings(mr: Dataset) -> None:
    broken = copy.deepcopy(mr)
    broken.StudyDate = "20150231"  # 31 February: no date (PS3.5 DA); values are still checked
    assert validate(broken).status == "errors"
    warned = ValidationResult(
        (Finding.of("retired", "a retired attribute", tag="(0008,0010)"),), iod=None
    )
    assert warned.status == "unchecked"
    assert ValidationResult(warned.findings, iod="CT Image").status == "warnings"
    assert STATUSES == ("unreadable", "errors", "unchecked", "warnings", "ok")


def test_the_summary_counts_unchecked_files(mr: Dataset) -> None:
    path = pydicom_file("CT_small.dcm")
    results = [validate(mr), validate(dcmread(path))]
    summary = Summary()
    for result in results:
        summary.add(result)
    assert summary.as_json()["unchecked"] == 1
    assert "1 unchecked" in text(results).splitlines()[-1]
