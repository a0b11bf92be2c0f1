"""Micro-benchmark of the per-value rules: ``check_strings`` over the string elements of a file.

Run with ``python -m tests.bench.values_bench`` (or call :func:`bench_values`). It prints the mean
time per element; nothing here asserts on time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pydicom
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset

from dicomstd.validation.values import check_strings, split_values, string_vrs


def _string_elements(dataset: Dataset) -> Iterator[tuple[str, str]]:
    """(VR, decoded text with its padding) of every string element, items of sequences included."""
    strings = string_vrs()
    for tag in list(dataset.keys()):
        raw = dataset.get_item(tag)
        element = dataset[tag]
        vr = str(element.VR)
        if vr == "SQ":
            for item in element.value:
                yield from _string_elements(item)
            continue
        if vr not in strings or raw is None:
            continue
        data = raw.value
        if isinstance(data, bytes):
            yield vr, data.decode("latin-1")


def string_values(path: str) -> list[tuple[str, list[str]]]:
    """The string elements of a file as ``check_strings`` receives them: split, padding kept."""
    dataset = pydicom.dcmread(path)
    return [(vr, split_values(vr, text)) for vr, text in _string_elements(dataset)]


def bench_values(repeat: int = 2000, path: str | None = None) -> float:
    """Time ``check_strings`` on the string elements of CT_small.dcm; print, return ns/element."""
    source = path or str(get_testdata_file("CT_small.dcm"))
    elements = string_values(source)
    problems = [(vr, values, p) for vr, values in elements if (p := check_strings(vr, values))]
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter_ns()
        for _ in range(repeat):
            for vr, values in elements:
                check_strings(vr, values)
        best = min(best, (time.perf_counter_ns() - start) / (repeat * len(elements)))
    print(f"{len(elements)} string elements from {source}")
    print(f"check_strings: {best:.0f} ns per element (best of 5 runs of {repeat})")
    for vr, values, found in problems:
        print(f"  {vr} {values!r}: {[p.message for p in found]}")
    return best


if __name__ == "__main__":
    bench_values()
