"""The findings of a fixed corpus, recorded and compared: speed changes must not change them.

``python -m tests.bench.findings record PATH`` writes, for every input, the number of findings
and the SHA-256 of the findings in order (their JSON form, the result's status, SOP Class and
IOD); ``python -m tests.bench.findings check PATH`` computes them again and lists every input
whose findings differ. ``--details PATH`` also writes (record) or reads (check) the findings
themselves, so that a difference can be shown; that file is large and not kept in git.

The inputs: every file of pydicom's test-file folder read from disk (``validate_file``), and
synthetic enhanced multi-frame data sets (:mod:`tests.bench.multiframe`) of 1, 3 and 12 frames
in each variant, validated in memory and after a round trip through a file. Run it once with the
pinned build and once with ``DICOMSTD_BUILD=build/full/_generated``: the references in
``tests/bench/findings/`` were recorded, one per build, with the code of main without the speed
work (its ``src`` on ``PYTHONPATH``); when findings change on purpose, record them again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from dicomstd.validation import ValidationResult

Case = tuple[str, Callable[[], ValidationResult]]
FRAME_COUNTS = (1, 3, 12)


def _pydicom_folder() -> Path:
    from pydicom.data import get_testdata_file

    path = get_testdata_file("CT_small.dcm")
    assert path is not None
    return Path(path).parent


def cases(tmp: Path) -> Iterator[Case]:
    """Every input of the corpus, by a stable name, with how to validate it."""
    from pydicom import dcmread

    from dicomstd.validation import validate, validate_file
    from tests.bench.multiframe import VARIANTS, ct_small, enhanced_ct

    folder = _pydicom_folder()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        yield f"pydicom/{path.relative_to(folder).as_posix()}", lambda p=path: validate_file(p)
    ct = ct_small()
    for variant in VARIANTS:
        for frames in FRAME_COUNTS:
            name = f"enhanced-ct/{variant}-{frames}"
            dataset = enhanced_ct(frames, variant, ct)
            yield f"{name}/memory", lambda d=dataset: validate(d)
            target = tmp / f"{variant}-{frames}.dcm"
            dataset.save_as(target, enforce_file_format=True)
            yield f"{name}/file", lambda t=target: validate_file(t)
            # Read back (raw elements, items parsed on access) and validated as a data set.
            yield f"{name}/read", lambda t=target: validate(dcmread(t))


def _document(result: ValidationResult) -> dict[str, object]:
    data: dict[str, object] = dict(result.as_json())
    data.pop("path", None)  # temporary folders differ from run to run
    return data


def compute() -> dict[str, dict[str, object]]:
    """name -> the result's JSON (path left out) for every input."""
    out: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="dicomstd-findings-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, run in cases(Path(tmp)):
            out[name] = _document(run())
    return out


def digest(document: dict[str, object]) -> str:
    text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summary(documents: dict[str, dict[str, object]]) -> dict[str, object]:
    findings = {
        name: {"findings": len(doc["findings"]), "sha256": digest(doc)}  # type: ignore[arg-type]
        for name, doc in documents.items()
    }
    return {"build": os.environ.get("DICOMSTD_BUILD") or "pinned", "inputs": findings}


def _differences(reference: dict[str, object], current: dict[str, object]) -> list[tuple[str, str]]:
    ours = current["inputs"]
    theirs = reference["inputs"]
    assert isinstance(ours, dict) and isinstance(theirs, dict)
    out = []
    for name in sorted(set(ours) | set(theirs)):
        if name not in ours:
            out.append((name, "missing now"))
        elif name not in theirs:
            out.append((name, "not in the reference"))
        elif ours[name] != theirs[name]:
            out.append((name, f"{theirs[name]['findings']} -> {ours[name]['findings']} findings"))
    return out


def _show(name: str, before: dict[str, object], after: dict[str, object]) -> None:
    old = [json.dumps(f, sort_keys=True) for f in before["findings"]]  # type: ignore[attr-defined]
    new = [json.dumps(f, sort_keys=True) for f in after["findings"]]  # type: ignore[attr-defined]
    import difflib

    for line in difflib.unified_diff(old, new, f"{name} (reference)", f"{name} (now)", lineterm=""):
        print("    " + line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("record", "check"))
    parser.add_argument("path", type=Path, help="the reference (JSON of digests)")
    parser.add_argument("--details", type=Path, help="the findings themselves (large)")
    args = parser.parse_args(argv)
    documents = compute()
    current = summary(documents)
    if args.action == "record":
        args.path.parent.mkdir(parents=True, exist_ok=True)
        args.path.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", "utf-8")
        if args.details:
            args.details.write_text(json.dumps(documents, sort_keys=True), "utf-8")
        print(f"recorded {len(documents)} inputs into {args.path}")
        return 0
    reference = json.loads(args.path.read_text("utf-8"))
    differences = _differences(reference, current)
    details = json.loads(args.details.read_text("utf-8")) if args.details else None
    for name, what in differences:
        print(f"DIFFERENT {name}: {what}")
        if details is not None and name in details and name in documents:
            _show(name, details[name], documents[name])
    count = len(current["inputs"])  # type: ignore[arg-type]
    print(f"{count} inputs, {len(differences)} with different findings")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
