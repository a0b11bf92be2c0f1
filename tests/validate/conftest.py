"""pydicom's real test files, read as the validator's tests use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset


def pydicom_file(name: str) -> Path:
    """The path of one of pydicom's test files."""
    found = get_testdata_file(name)
    assert found is not None, name
    return Path(found)


def read_pydicom_file(name: str) -> Dataset:
    """One of pydicom's test files, read anew (a test may change its copy)."""
    return dcmread(pydicom_file(name))


@pytest.fixture(scope="module")
def ct() -> Dataset:
    """CT_small.dcm: a CT Image (PS3.3 A.3). Tests change deep copies of it."""
    return read_pydicom_file("CT_small.dcm")


@pytest.fixture(scope="module")
def dose() -> Dataset:
    """rtdose.dcm: an RT Dose (PS3.3 A.18). Tests change deep copies of it."""
    return read_pydicom_file("rtdose.dcm")
