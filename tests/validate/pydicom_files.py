"""pydicom's test files, read one by one for the differential tests of this folder."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydicom import dcmread
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset


def folder() -> Path:
    """The folder of pydicom's test files."""
    path = get_testdata_file("CT_small.dcm")
    assert path is not None
    return Path(path).parent


DCM_FILES = sorted(p for p in folder().rglob("*.dcm") if p.is_file())
"""Every ``.dcm`` file of the folder, at any depth."""


def each(files: list[Path], **options: Any) -> Iterator[tuple[Path, Dataset]]:
    """Each file read with ``dcmread(path, force=True, **options)``, pydicom's warnings silenced
    while it is used; a file pydicom cannot read is left out."""
    for path in files:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                dataset = dcmread(path, force=True, **options)
            except Exception:
                continue
            yield path, dataset


def elements(dataset: Dataset, depth: int = 0) -> Iterator[tuple[Dataset, int, Any]]:
    """(data set, tag, element) of every element of ``dataset`` as it holds it (raw or not),
    and of the items of its sequences down to three levels (each sequence read by pydicom once
    its element was given)."""
    for tag, element in list(dataset._dict.items()):
        yield dataset, int(tag), element
        if depth < 3 and element.VR == "SQ":
            try:
                items = dataset[tag].value
            except Exception:
                continue
            for item in items:
                yield from elements(item, depth + 1)
