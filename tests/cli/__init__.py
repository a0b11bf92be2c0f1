"""Tests of the ``dicomstd`` command."""

from __future__ import annotations

import shutil
from pathlib import Path

from pydicom.data import get_testdata_file


def copy_testdata(name: str, folder: Path) -> Path:
    """A copy of one of pydicom's test files in ``folder``."""
    source = get_testdata_file(name)
    assert source is not None
    target = folder / name
    shutil.copyfile(source, target)
    return target
