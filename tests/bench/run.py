"""Benchmarks of dicomstd: ``python tests/bench/run.py [--runs N] [--only SECTION] [--json PATH]``.

Each section is a function registered with :func:`section`; it runs its measurements ``runs``
times and returns them. The script prints the median, min and max of every measurement next to
its target; it never fails on a missed target (speed is reported here, not asserted in tests).

Sections:

* ``generate`` — a full generation from the pinned inputs, ``python -m dicomstd.codegen generate``;
* ``import`` — ``python -c "import dicomstd"`` with a warm bytecode cache (as users have it) and
  cold (no bytecode at all), next to a bare interpreter start;
* ``lookup`` — 10^6 ``dicomstd.dictionary.lookup`` calls by keyword and by tag, and the same
  lookups through pydicom (``tag_for_keyword``, ``dictionary_VR``) as the reference;
* ``iod`` — importing one typed IOD class, and ``from_dataset`` on pydicom's CT file;
* ``validate`` — ``validate(ds)`` (the same data set again and again, and data sets read anew:
  their first validation) and read + validate on pydicom's CT and RT Dose files next to
  dicom-validator, then the CLI over pydicom's test files next to dciodvfy (``corpus``);
* ``multiframe`` — a synthetic 500-frame Enhanced CT: ``validate(ds)`` and read + validate per
  frame next to dicom-validator;
* ``archive`` — an archive of 5,000 files made from pydicom's small files with new UIDs: files/s
  of ``dicomstd validate --jobs 1`` and ``--jobs auto``, of ``validate_many`` on a 2-worker Dask
  LocalCluster, and of dciodvfy run once per file; peak RSS of JSON runs over 500, 2,500 and
  5,000 files;
* ``startup`` — one file end to end (``dicomstd validate CT_small.dcm``), next to a bare
  interpreter start and dciodvfy;
* ``full`` — the whole standard (the full-size PS3.3 stand-in with PS3.4/3.5 2020c, PS3.6 2015b):
  generated size, generation wall time, ``import dicomstd`` and one IOD class with that build,
  ``spec.iods()`` over every IOD, mypy --strict on the generated package from a cold cache.

Another section is one more function decorated with ``@section``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LOOKUPS = 1_000_000


@dataclass
class Measurement:
    section: str
    name: str
    unit: str
    samples: list[float]
    target: float | None = None
    """Upper bound in ``unit`` the median should stay below, or None."""
    target_text: str = ""
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.median <= self.target


@dataclass
class Skipped:
    section: str
    reason: str


@dataclass
class Context:
    runs: int
    python: str = sys.executable
    results: list[Measurement] = field(default_factory=list)


Section = Callable[[Context], list[Measurement]]
SECTIONS: list[tuple[str, str, Section]] = []


class SkipSection(Exception):
    """A section cannot run here (inputs missing …); the reason is printed."""


def section(name: str, title: str) -> Callable[[Section], Section]:
    """Register a benchmark section under ``name`` (the ``--only`` value)."""

    def register(function: Section) -> Section:
        SECTIONS.append((name, title, function))
        return function

    return register


# -- helpers -----------------------------------------------------------------------------------
def environment(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def timed_run(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str],
    ok: tuple[int, ...] = (0,),
) -> float:
    """Wall-clock seconds of one subprocess run; raise when it exits other than ``ok`` or
    prints a traceback."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in ok or "Traceback" in result.stderr:
        raise RuntimeError(
            f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()[-2000:]}"
        )
    return elapsed


def codegen() -> types.ModuleType:
    """The ``codegen`` package of this checkout (not installed: imported from the root)."""
    sys.path.insert(0, str(ROOT))
    try:
        import dicomstd.codegen
        import dicomstd.codegen.inputs
        import dicomstd.codegen.pipeline
        import dicomstd.codegen.render
    finally:
        sys.path.remove(str(ROOT))
    return dicomstd.codegen


# -- sections ----------------------------------------------------------------------------------
@section("generate", "full generation from the pinned inputs")
def bench_generate(context: Context) -> list[Measurement]:
    package = codegen()
    inputs = package.inputs
    missing = [
        f"PS3.{pin.part} {pin.edition}"
        for pin in inputs.read_pins().values()
        if inputs.locate(pin.edition, pin.part) is None
    ]
    if missing:
        raise SkipSection(f"pinned inputs not available ({', '.join(missing)})")
    env = environment(PYTHONPATH=str(ROOT))
    samples = []
    with tempfile.TemporaryDirectory(prefix="dicomstd-bench-") as tmp:
        for run in range(context.runs):
            out = Path(tmp) / f"generated-{run}"
            command = [
                context.python,
                "-m",
                "dicomstd.codegen",
                "generate",
                "--out",
                str(out),
                "--quiet",
            ]
            samples.append(timed_run(command, cwd=ROOT, env=env))
    return [
        Measurement(
            "generate",
            "python -m dicomstd.codegen generate",
            "s",
            samples,
            target=2.0,
            target_text="< 2 s (whole pinned build)",
        ),
        *_dictionary_build(context),
        *_generation_stages(context),
    ]


def _dictionary_build(context: Context) -> list[Measurement]:
    """PS3.5 and PS3.6 alone (the dictionary, tags, UIDs, VRs): load, parse, render, write."""
    package = codegen()
    inputs = package.inputs
    pipeline = package.pipeline
    render = package.render
    parts = [p for p in inputs.resolve({}, inputs.read_pins()) if p.part in (5, 6)]
    samples = []
    with tempfile.TemporaryDirectory(prefix="dicomstd-bench-") as tmp:
        for run in range(context.runs):
            start = time.perf_counter()
            standard = pipeline.build(parts)
            render.write(render.plan(standard), Path(tmp) / f"dictionary-{run}")
            samples.append(time.perf_counter() - start)
    return [
        Measurement(
            "generate",
            "PS3.5 + PS3.6 only (in process)",
            "s",
            samples,
            target=1.5,
            target_text="< 1.5 s",
            note="dictionary, tags, UIDs, VRs; no interpreter start",
        )
    ]


def _generation_stages(context: Context) -> list[Measurement]:
    """Where a generation spends its time: load+parse+passes, templates, format+import check."""
    package = codegen()
    inputs = package.inputs
    pipeline = package.pipeline
    render = package.render
    stages: dict[str, list[float]] = {"build": [], "render": [], "write": []}
    with tempfile.TemporaryDirectory(prefix="dicomstd-bench-") as tmp:
        for run in range(min(context.runs, 3)):
            start = time.perf_counter()
            standard = pipeline.build(inputs.resolve({}, inputs.read_pins()))
            built = time.perf_counter()
            files = render.plan(standard)
            planned = time.perf_counter()
            render.write(files, Path(tmp) / f"stage-{run}")
            written = time.perf_counter()
            stages["build"].append(built - start)
            stages["render"].append(planned - built)
            stages["write"].append(written - planned)
    return [
        Measurement("generate", "  stage: load, parse, passes", "s", stages["build"]),
        Measurement("generate", "  stage: render templates", "s", stages["render"]),
        Measurement("generate", "  stage: format, import check, swap", "s", stages["write"]),
    ]


@section("import", "import dicomstd")
def bench_import(context: Context) -> list[Measurement]:
    import dicomstd

    package = Path(dicomstd.__file__).parent
    with tempfile.TemporaryDirectory(prefix="dicomstd-bench-") as tmp:
        cwd = Path(tmp)
        # This machine sets PYTHONDONTWRITEBYTECODE; users' installs have .pyc files.
        warm_env = environment(PYTHONDONTWRITEBYTECODE=None)
        # Cold: a copy of the package without bytecode, first on the path, nothing written;
        # the standard library keeps its own bytecode as it has on any machine.
        copy = cwd / "cold"
        shutil.copytree(package, copy / "dicomstd", ignore=shutil.ignore_patterns("__pycache__"))
        cold_env = environment(PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(copy))
        bare = [context.python, "-c", "pass"]
        load = [context.python, "-c", "import dicomstd"]
        which = "import dicomstd, sys; sys.exit(not dicomstd.__file__.startswith(sys.argv[1]))"
        timed_run(load, cwd=cwd, env=warm_env)  # writes the bytecode cache
        timed_run([context.python, "-c", which, str(copy)], cwd=cwd, env=cold_env)
        runs = max(context.runs, 5) * 3  # a process start is short and noisy: take more
        bare_ms = [1000 * timed_run(bare, cwd=cwd, env=warm_env) for _ in range(runs)]
        warm_ms = [1000 * timed_run(load, cwd=cwd, env=warm_env) for _ in range(runs)]
        cold_ms = [1000 * timed_run(load, cwd=cwd, env=cold_env) for _ in range(runs)]
        first = [context.python, "-c", "import dicomstd.dictionary as d; d.lookup('PatientName')"]
        timed_run(first, cwd=cwd, env=warm_env)  # bytecode of the generated tables
        first_ms = [1000 * timed_run(first, cwd=cwd, env=warm_env) for _ in range(runs)]
        leftovers = list(copy.rglob("__pycache__"))
        if leftovers:
            raise RuntimeError(f"the cold copy got bytecode: {leftovers[0]}")
    return [
        Measurement("import", "python -c pass (interpreter start)", "ms", bare_ms),
        Measurement(
            "import",
            'python -c "import dicomstd" (warm .pyc)',
            "ms",
            warm_ms,
            target=50,
            target_text="< 50 ms",
        ),
        Measurement(
            "import",
            'python -c "import dicomstd" (no dicomstd .pyc)',
            "ms",
            cold_ms,
            note="cold: dicomstd compiled from source every run",
        ),
        Measurement(
            "import",
            "import + first lookup (builds the index)",
            "ms",
            first_ms,
            note="warm .pyc; the dictionary table loads on first use",
        ),
    ]


def _lookup_keys() -> tuple[list[str], list[int]]:
    """Keywords and tags of entries both dictionaries have, 1000 of them, in a fixed order."""
    from pydicom.datadict import dictionary_has_tag

    from dicomstd import dictionary

    shared = [
        element
        for element in dictionary.entries()
        if element.keyword and not element.repeating and dictionary_has_tag(int(element.tag))
    ]
    step = max(1, len(shared) // 1000)
    chosen = shared[::step][:1000]
    return [e.keyword for e in chosen], [int(e.tag) for e in chosen]


def _ns_per_call(function: Callable[[object], object], keys: Sequence[object]) -> float:
    repeat = LOOKUPS // len(keys)
    start = time.perf_counter_ns()
    for _ in range(repeat):
        for key in keys:
            function(key)
    return (time.perf_counter_ns() - start) / (repeat * len(keys))


@section("lookup", "10^6 dictionary lookups, pydicom as the reference")
def bench_lookup(context: Context) -> list[Measurement]:
    from pydicom.datadict import dictionary_VR, tag_for_keyword

    from dicomstd import dictionary

    dictionary.lookup("PatientName")  # builds the index before timing
    keywords, numbers = _lookup_keys()
    lookup = dictionary.lookup
    pairs: list[tuple[str, Callable[[object], object], Sequence[object]]] = [
        ("dicomstd lookup(keyword)", lookup, keywords),  # type: ignore[list-item]
        ("pydicom tag_for_keyword(keyword)", tag_for_keyword, keywords),  # type: ignore[list-item]
        ("dicomstd lookup(tag)", lookup, numbers),  # type: ignore[list-item]
        ("pydicom dictionary_VR(tag)", dictionary_VR, numbers),  # type: ignore[list-item]
    ]
    samples: dict[str, list[float]] = {name: [] for name, _, _ in pairs}
    for _ in range(context.runs):
        for name, function, keys in pairs:
            samples[name].append(_ns_per_call(function, keys))
    out: list[Measurement] = []
    for ours, theirs, what in (
        ("dicomstd lookup(keyword)", "pydicom tag_for_keyword(keyword)", "keyword"),
        ("dicomstd lookup(tag)", "pydicom dictionary_VR(tag)", "tag"),
    ):
        out.append(Measurement("lookup", ours, "ns/call", samples[ours]))
        out.append(Measurement("lookup", theirs, "ns/call", samples[theirs]))
        ratios = [a / b for a, b in zip(samples[ours], samples[theirs], strict=True)]
        out.append(
            Measurement(
                "lookup",
                f"ratio dicomstd/pydicom by {what}",
                "x",
                ratios,
                target=1.0,
                target_text="<= 1 (as fast as pydicom)",
            )
        )
    return out


@section("iod", "typed IOD classes: import one IOD, from_dataset")
def bench_iod(context: Context) -> list[Measurement]:
    from pydicom import dcmread
    from pydicom.data import get_testdata_file

    from dicomstd.iods import for_sop_class

    with tempfile.TemporaryDirectory(prefix="dicomstd-bench-") as tmp:
        cwd = Path(tmp)
        env = environment(PYTHONDONTWRITEBYTECODE=None)
        one = [context.python, "-c", "from dicomstd.iods import CTImage"]
        base = [context.python, "-c", "import attrs, pydicom"]
        timed_run(one, cwd=cwd, env=env)  # bytecode cache
        runs = max(context.runs, 5) * 3
        base_ms = [1000 * timed_run(base, cwd=cwd, env=env) for _ in range(runs)]
        one_ms = [1000 * timed_run(one, cwd=cwd, env=env) for _ in range(runs)]
        probe = (
            "import time, attrs; t = time.perf_counter(); from dicomstd.iods import CTImage; "
            "print((time.perf_counter() - t) * 1000)"
        )
        alone = []
        for _ in range(runs):
            out = subprocess.run(
                [context.python, "-c", probe],
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            alone.append(float(out.stdout))
    path = get_testdata_file("CT_small.dcm")
    assert path is not None
    dataset = dcmread(path)
    cls = for_sop_class(dataset.SOPClassUID)
    cls.from_dataset(dataset)  # loads the module classes
    samples = []
    for _ in range(context.runs):
        repeat = 200
        start = time.perf_counter()
        for _ in range(repeat):
            cls.from_dataset(dataset)
        samples.append((time.perf_counter() - start) / repeat * 1e6)
    return [
        Measurement(
            "iod",
            "from dicomstd.iods import CTImage (process)",
            "ms",
            one_ms,
            note="whole process: interpreter start, attrs, the class",
        ),
        Measurement("iod", "python -c 'import attrs, pydicom' (process)", "ms", base_ms),
        Measurement(
            "iod",
            "import CTImage once attrs is loaded",
            "ms",
            alone,
            target=30,
            target_text="< 30 ms",
        ),
        Measurement("iod", "CTImage.from_dataset(CT_small.dcm)", "us", samples),
    ]


def _dicom_validator(tmp: Path) -> tuple[Any, Any, float] | None:
    """dicom-validator's info built offline from the same XML as our pinned build, or None."""
    try:
        from dicom_validator.spec_reader.edition_reader import EditionReader
        from dicom_validator.validator.iod_validator import IODValidator
    except ImportError:
        return None
    package = codegen()
    inputs = package.inputs
    import logging

    from lxml import etree

    pins = inputs.read_pins()
    edition = pins[3].edition
    docbook = tmp / "dv" / edition / "docbook"
    docbook.mkdir(parents=True)
    (tmp / "dv" / edition / "json").mkdir()
    for number in (3, 4, 6):
        source = inputs.locate(pins[number].edition, number)
        if source is None:
            return None
        (docbook / f"part{number:02d}.xml").symlink_to(source.resolve())
    # The excerpt repeats xml:ids; dicom-validator aborts on them unless ids are not collected.
    etree.set_default_parser(etree.XMLParser(collect_ids=False))
    root = logging.getLogger()
    root.handlers[:] = [logging.NullHandler()]
    root.setLevel(logging.CRITICAL)
    reader = EditionReader(tmp / "dv")
    start = time.perf_counter()
    reader.create_json_files(edition)
    info = reader.load_dicom_info(edition)
    return IODValidator, info, time.perf_counter() - start


def _theirs(reference: tuple[Any, Any, float], dataset: Any) -> object:
    validator, info, _ = reference
    return validator(dataset, info).validate()


def _each_anew(function: Callable[[Any], object], path: str, repeat: int) -> float:
    """ms per call of ``function`` on data sets each read anew from ``path`` (the reading is
    done before the clock starts): the first validation of a data set, before pydicom has
    converted any value in it."""
    from pydicom import dcmread

    datasets = [dcmread(path) for _ in range(repeat)]
    start = time.perf_counter()
    for dataset in datasets:
        function(dataset)
    return (time.perf_counter() - start) / repeat * 1000


def _first_validation(
    context: Context, name: str, path: str, reference: tuple[Any, Any, float] | None
) -> list[Measurement]:
    """The engine on a data set validated once (read before, not timed), next to
    dicom-validator on the same: what a data set read and validated once costs beyond reading."""
    from dicomstd.validation import validate

    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(context.runs):
        ours.append(_each_anew(validate, path, 100))
        if reference is not None:
            theirs.append(_each_anew(lambda d: _theirs(reference, d), path, 20))
    out = [Measurement("validate", f"engine, data set read anew: {name}", "ms", ours)]
    if theirs:
        out.append(
            Measurement("validate", f"dicom-validator, data set read anew: {name}", "ms", theirs)
        )
        out.append(
            Measurement(
                "validate",
                f"ratio, data set read anew: {name}",
                "x",
                [b / a for a, b in zip(ours, theirs, strict=True)],
            )
        )
    return out


def _per_call(function: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat * 1000


@section("validate", "the validator, dicom-validator and dciodvfy on pydicom's files")
def bench_validate(context: Context) -> list[Measurement]:
    from pydicom import dcmread
    from pydicom.data import get_testdata_file

    from dicomstd.validation import validate, validate_file

    names = ("CT_small.dcm", "rtdose.dcm")
    paths = {n: get_testdata_file(n) for n in names}
    datasets = {n: dcmread(p) for n, p in paths.items() if p}
    out: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="dicomstd-bench-") as tmp:
        reference = _dicom_validator(Path(tmp))
        for name, dataset in datasets.items():
            validate(dataset)  # warm: plans compiled, values converted as pydicom caches them
            ours: list[float] = []
            theirs: list[float] = []
            for _ in range(context.runs):
                ours.append(_per_call(lambda d=dataset: validate(d), 100))
                if reference is not None:
                    theirs.append(_per_call(lambda d=dataset: _theirs(reference, d), 20))
            out.append(
                Measurement(
                    "validate",
                    f"engine: validate(ds) {name}",
                    "ms",
                    ours,
                    target=0.4,
                    target_text="< 0.4 ms",
                )
            )
            if theirs:
                out.append(
                    Measurement("validate", f"dicom-validator IODValidator {name}", "ms", theirs)
                )
                out.append(
                    Measurement(
                        "validate",
                        f"ratio dicom-validator/dicomstd {name}",
                        "x",
                        [b / a for a, b in zip(ours, theirs, strict=True)],
                        target=None,
                        target_text=">= 12 wanted",
                    )
                )
            path = paths[name]
            assert path is not None
            out.extend(_first_validation(context, name, path, reference))
            read_ours: list[float] = []
            read_theirs: list[float] = []
            for _ in range(context.runs):
                read_ours.append(_per_call(lambda p=path: validate_file(p), 30))
                if reference is not None:
                    read_theirs.append(_per_call(lambda p=path: _theirs(reference, dcmread(p)), 10))
            out.append(Measurement("validate", f"read + validate {name}", "ms", read_ours))
            if read_theirs:
                out.append(
                    Measurement(
                        "validate", f"dicom-validator read + validate {name}", "ms", read_theirs
                    )
                )
                out.append(
                    Measurement(
                        "validate",
                        f"ratio read+validate {name}",
                        "x",
                        [b / a for a, b in zip(read_ours, read_theirs, strict=True)],
                        target_text=">= 6 wanted",
                    )
                )
        if reference is not None:
            out.append(
                Measurement(
                    "validate", "dicom-validator: read the XML into its tables", "s", [reference[2]]
                )
            )
    out.extend(_corpus(context))
    return out


MULTIFRAME_FRAMES = 500


@section("multiframe", "a 500-frame Enhanced CT: engine and read + validate, per frame")
def bench_multiframe(context: Context) -> list[Measurement]:
    """A synthetic Enhanced CT of 500 frames (:mod:`tests.bench.multiframe`, ``uniform``): the
    engine on the data set in memory, and read + validate of the file, per frame, each next to
    dicom-validator on the same data set and file."""
    from pydicom import dcmread

    from dicomstd.validation import validate, validate_file

    sys.path.insert(0, str(ROOT))
    try:
        from tests.bench.multiframe import enhanced_ct
    finally:
        sys.path.remove(str(ROOT))
    frames = MULTIFRAME_FRAMES
    dataset = enhanced_ct(frames)
    out: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="dicomstd-bench-") as tmp:
        path = Path(tmp) / "enhanced-ct.dcm"
        dataset.save_as(path, enforce_file_format=True)
        reference = _dicom_validator(Path(tmp))
        validate(dataset)  # warm: the plan compiled, values converted as pydicom caches them
        per_frame = 1000 / frames  # ms per run -> us per frame
        ours = [_per_call(lambda: validate(dataset), 3) * per_frame for _ in range(context.runs)]
        read_ours = [
            _per_call(lambda: validate_file(path), 2) * per_frame for _ in range(context.runs)
        ]
        out.append(Measurement("frames", f"engine: validate(ds), {frames} frames", "us", ours))
        if reference is not None:
            theirs = [
                _per_call(lambda: _theirs(reference, dataset), 1) * per_frame
                for _ in range(context.runs)
            ]
            out.append(Measurement("frames", "dicom-validator IODValidator", "us", theirs))
            out.append(
                Measurement(
                    "frames",
                    "ratio dicom-validator/dicomstd (engine)",
                    "x",
                    [b / a for a, b in zip(ours, theirs, strict=True)],
                    target_text=">= 10 wanted",
                )
            )
        out.append(Measurement("frames", "read + validate, per frame", "us", read_ours))
        if reference is not None:
            read_theirs = [
                _per_call(lambda: _theirs(reference, dcmread(path)), 1) * per_frame
                for _ in range(context.runs)
            ]
            out.append(Measurement("frames", "dicom-validator read + validate", "us", read_theirs))
            out.append(
                Measurement(
                    "frames",
                    "ratio read+validate",
                    "x",
                    [b / a for a, b in zip(read_ours, read_theirs, strict=True)],
                    target_text=">= 5 wanted",
                )
            )
    return out


def _corpus(context: Context) -> list[Measurement]:
    """pydicom's whole test-file folder through the CLI, and through dciodvfy per file."""

    import pydicom.data

    path = pydicom.data.get_testdata_file("CT_small.dcm")
    assert path is not None
    folder = Path(path).parent
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    command = [context.python, "-m", "dicomstd", "validate", str(folder), "--format", "json"]
    env = environment(PYTHONDONTWRITEBYTECODE=None)
    timed_run(command, env=env, ok=(0, 1))
    walls = []
    for _ in range(context.runs):
        walls.append(timed_run(command, env=env, ok=(0, 1)))
    peak_mb = _peak_memory(context, folder, env)
    out = [
        Measurement("corpus", f"dicomstd validate, {len(files)} files (wall)", "s", walls),
        Measurement(
            "corpus", "dicomstd validate files/s", "files/s", [len(files) / w for w in walls]
        ),
        Measurement("corpus", "peak memory of a run (max RSS)", "MB", [peak_mb]),
    ]
    jobs = [*command, "--jobs", "2"]
    out.append(
        Measurement(
            "corpus",
            "dicomstd validate --jobs 2 files/s",
            "files/s",
            [len(files) / timed_run(jobs, env=env, ok=(0, 1)) for _ in range(context.runs)],
        )
    )
    dciodvfy = shutil.which("dciodvfy")
    if dciodvfy is not None:
        walls_d = []
        for _ in range(min(context.runs, 3)):
            start = time.perf_counter()
            for file in files:
                subprocess.run([dciodvfy, str(file)], capture_output=True, check=False)
            walls_d.append(time.perf_counter() - start)
        out.append(
            Measurement(
                "corpus",
                "dciodvfy, one process per file, files/s",
                "files/s",
                [len(files) / w for w in walls_d],
                note="Debian's dicom3tools, as users run it",
            )
        )
    return out


def _peak_memory(context: Context, folder: Path, env: dict[str, str], *options: str) -> float:
    """Max RSS (MB) of one CLI run over ``folder``, as the process itself reports it."""
    # VmHWM (Linux) belongs to the process image: ru_maxrss would also count the pages the
    # child shared with this (large) benchmark process between fork and exec.
    probe = (
        "import re, resource, sys\n"
        "from dicomstd.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "try:\n"
        "    status = open('/proc/self/status').read()\n"
        "    peak = int(re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n"
        "except (OSError, AttributeError):\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(peak, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    command = [context.python, "-c", probe, "validate", str(folder), "--format", "json", *options]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"validate failed: {result.stderr[-2000:]}")
    return int(result.stderr.strip().splitlines()[-1]) / 1024  # Linux reports KB


ARCHIVE_FILES = 5000
ARCHIVE_SOURCE_LIMIT = 200 * 1024  # pydicom's files up to this size make the archive


def _make_archive(folder: Path, count: int) -> list[Path]:
    """``count`` files made from pydicom's small test files, each with new Study, Series and
    SOP Instance UIDs (File Meta Information kept in step), 100 to a folder."""
    import pydicom
    import pydicom.data
    from pydicom.uid import generate_uid

    ct = pydicom.data.get_testdata_file("CT_small.dcm")
    assert ct is not None
    sources = []
    for path in sorted(Path(ct).parent.glob("*.dcm")):
        if path.stat().st_size > ARCHIVE_SOURCE_LIMIT:
            continue
        try:
            dataset = pydicom.dcmread(path)
            dataset.save_as(io.BytesIO())  # pydicom can write it back
        except Exception:
            continue
        if "SOPInstanceUID" in dataset and dataset.file_meta:
            sources.append((path.stem, dataset))
    made = []
    for index in range(count):
        stem, dataset = sources[index % len(sources)]
        dataset.StudyInstanceUID = generate_uid()
        dataset.SeriesInstanceUID = generate_uid()
        dataset.SOPInstanceUID = generate_uid()
        dataset.file_meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
        target = folder / f"{index // 100:03d}" / f"{index:05d}-{stem}.dcm"
        target.parent.mkdir(parents=True, exist_ok=True)
        dataset.save_as(target)
        made.append(target)
    return made


def _files_per_second(count: int, walls: list[float]) -> list[float]:
    return [count / wall for wall in walls]


@section("archive", "an archive of ~5,000 files: jobs, Dask, dciodvfy; memory; one file")
def bench_archive(context: Context) -> list[Measurement]:
    env = environment(PYTHONDONTWRITEBYTECODE=None)
    out: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="dicomstd-bench-archive-") as tmp:
        archive = Path(tmp) / "archive"
        files = _make_archive(archive, ARCHIVE_FILES)
        count = len(files)
        base = [context.python, "-m", "dicomstd", "validate", str(archive), "--format", "jsonl"]
        runs = min(context.runs, 3)
        timed_run(base, env=env, ok=(0, 1))  # bytecode, page cache
        for jobs in ("1", "auto"):
            walls = [timed_run([*base, "--jobs", jobs], env=env, ok=(0, 1)) for _ in range(runs)]
            out.append(
                Measurement(
                    "archive",
                    f"dicomstd validate --jobs {jobs}, {count} files",
                    "files/s",
                    _files_per_second(count, walls),
                )
            )
        out.extend(_archive_dask(archive, count, runs))
        dciodvfy = shutil.which("dciodvfy")
        if dciodvfy is not None:
            sample = files[:500]
            walls = []
            for _ in range(runs):
                start = time.perf_counter()
                for file in sample:
                    subprocess.run([dciodvfy, str(file)], capture_output=True, check=False)
                walls.append(time.perf_counter() - start)
            theirs = _files_per_second(len(sample), walls)
            out.append(
                Measurement(
                    "archive",
                    "dciodvfy, one process per file",
                    "files/s",
                    theirs,
                    note=f"the first {len(sample)} files of the archive",
                )
            )
            reference = statistics.median(theirs)
            for measurement in [
                m for m in out if m.unit == "files/s" and m.name != "dciodvfy, one process per file"
            ]:
                out.append(
                    Measurement(
                        "archive",
                        f"  ratio to dciodvfy: {measurement.name.split(',')[0]}",
                        "x",
                        [v / reference for v in measurement.samples],
                        target_text=">= 8 wanted",
                    )
                )
        for size in (500, 2500, count):
            subset = Path(tmp) / f"subset-{size}"
            subset.mkdir()
            for file in files[:size]:
                (subset / file.name).symlink_to(file)
            out.append(
                Measurement(
                    "archive",
                    f"peak RSS, --format json, {size} files",
                    "MB",
                    [_peak_memory(context, subset, env)],
                    target=100 if size >= 5000 else None,
                    target_text="<= 100 MB" if size >= 5000 else "",
                )
            )
    return out


def _archive_dask(archive: Path, count: int, runs: int) -> list[Measurement]:
    """validate_many on a 2-worker LocalCluster (started before timing)."""
    try:
        import dask
        import distributed
    except ImportError:
        return []
    from dicomstd.validation import validate_many

    walls = []
    with (
        dask.config.set({"logging.distributed": "error"}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        for _ in range(runs + 1):
            start = time.perf_counter()
            for _result in validate_many([archive], client=client):
                pass
            walls.append(time.perf_counter() - start)
    return [
        Measurement(
            "archive",
            f"validate_many, 2-worker Dask LocalCluster, {count} files",
            "files/s",
            _files_per_second(count, walls[1:]),
            note="cluster started before timing; first run (warming the workers) left out",
        )
    ]


@section("startup", "one file end to end through the CLI")
def bench_startup(context: Context) -> list[Measurement]:
    return _single_file(context, environment(PYTHONDONTWRITEBYTECODE=None))


_LIBRARIES = "from dicomstd._pydicom_import import import_pydicom; import_pydicom(); import attrs"


def _single_file(context: Context, env: dict[str, str]) -> list[Measurement]:
    import pydicom.data

    path = pydicom.data.get_testdata_file("CT_small.dcm")
    assert path is not None
    ours = [context.python, "-m", "dicomstd", "validate", path]
    bare = [context.python, "-c", "pass"]
    # What the command cannot do without: attrs and pydicom, imported as the command imports
    # them (dicomstd._pydicom_import: without what pydicom loads for downloads and examples).
    floor = [context.python, "-c", _LIBRARIES]
    timed_run(ours, env=env)
    runs = max(context.runs, 5) * 3
    out = [
        Measurement(
            "startup",
            "one file end to end: dicomstd validate CT_small.dcm",
            "ms",
            [1000 * timed_run(ours, env=env) for _ in range(runs)],
            target=150,
            target_text="<= 150 ms",
        ),
        Measurement(
            "startup",
            "python -c pass (interpreter start)",
            "ms",
            [1000 * timed_run(bare, env=env) for _ in range(runs)],
        ),
        Measurement(
            "startup",
            "import attrs and pydicom as the command does",
            "ms",
            [1000 * timed_run(floor, env=env) for _ in range(runs)],
            note="pydicom's downloads and examples left out, as the command leaves them out",
        ),
    ]
    dciodvfy = shutil.which("dciodvfy")
    if dciodvfy is not None:
        out.append(
            Measurement(
                "startup",
                "dciodvfy CT_small.dcm",
                "ms",
                [1000 * timed_run([dciodvfy, path], env=env, ok=(0, 1)) for _ in range(runs)],
            )
        )
    return out


# -- output ------------------------------------------------------------------------------------
# -- the whole standard --------------------------------------------------------------------------
FULL_PARTS = {3: "full-2020-reconstructed", 4: "2020c", 5: "2020c", 6: "2015b"}


def _probe(context: Context, code: str, env: dict[str, str], cwd: Path) -> float:
    """Milliseconds a snippet prints (it times itself inside one fresh process)."""
    out = subprocess.run(
        [context.python, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"{code!r} exited {out.returncode}: {out.stderr.strip()[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


@section("full", "the whole standard: full-size PS3.3 stand-in, PS3.4/3.5 2020c, PS3.6 2015b")
def bench_full(context: Context) -> list[Measurement]:
    inputs = codegen().inputs
    parts = {n: inputs.locate(edition, n) for n, edition in FULL_PARTS.items()}
    missing = [f"PS3.{n} {FULL_PARTS[n]}" for n, path in parts.items() if path is None]
    if missing:
        raise SkipSection(f"full-size inputs not available ({', '.join(missing)})")
    env = environment(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE=None)
    with tempfile.TemporaryDirectory(prefix="dicomstd-bench-") as tmp:
        cwd = Path(tmp)
        walls = []
        out = cwd / "generated"
        for run in range(context.runs):
            out = cwd / f"generated-{run}" / "_generated"
            command = [context.python, "-m", "dicomstd.codegen", "generate", "--quiet"]
            command += ["--out", str(out)]
            for number, path in sorted(parts.items()):
                command += ["--part", f"{number:02d}={path}"]
            walls.append(timed_run(command, cwd=ROOT, env=env))
        files = [p for p in out.rglob("*.py")]
        size = sum(p.stat().st_size for p in files) / 1e6
        build = environment(DICOMSTD_BUILD=str(out), PYTHONDONTWRITEBYTECODE=None)
        clock = "import time; t = time.perf_counter(); "
        report = "; print((time.perf_counter() - t) * 1000)"
        snippets = {
            "import": clock + "import dicomstd" + report,
            "iod": "import dicomstd, attrs; "
            + clock
            + "from dicomstd.iods import EnhancedMRImage"
            + report,
            "iods": "from dicomstd import spec; " + clock + "spec.iods()" + report,
        }
        for code in snippets.values():
            _probe(context, code, build, cwd)  # bytecode of the build and of the runtime
        runs = max(context.runs, 5) * 2
        timings = {
            name: [_probe(context, code, build, cwd) for _ in range(runs)]
            for name, code in snippets.items()
        }
        mypy_runs = []
        for run in range(min(context.runs, 3)):
            package = cwd / f"mypy-{run}" / "_generated"
            shutil.copytree(out, package, ignore=shutil.ignore_patterns("__pycache__"))
            command = [context.python, "-m", "mypy", "--strict", "--config-file"]
            command += [str(ROOT / "pyproject.toml"), "--cache-dir", str(package.parent / "cache")]
            mypy_runs.append(timed_run([*command, str(package)], cwd=ROOT, env=env))
    return [
        Measurement(
            "full",
            f"generated size ({len(files)} files)",
            "MB",
            [size],
            target=8.0,
            target_text="<= 8 MB",
        ),
        Measurement(
            "full",
            "python -m dicomstd.codegen generate (full-size inputs)",
            "s",
            walls,
            target=10.0,
            target_text="<= 10 s",
        ),
        Measurement(
            "full",
            "import dicomstd (in process, warm .pyc)",
            "ms",
            timings["import"],
            target=30,
            target_text="<= 30 ms",
        ),
        Measurement(
            "full",
            "from dicomstd.iods import EnhancedMRImage (once dicomstd is loaded)",
            "ms",
            timings["iod"],
            target=10,
            target_text="<= 10 ms",
        ),
        Measurement(
            "full",
            "spec.iods(), every IOD (first call in a process)",
            "ms",
            timings["iods"],
            target=150,
            target_text="<= 150 ms",
        ),
        Measurement(
            "full",
            "mypy --strict on the generated package (cold cache)",
            "s",
            mypy_runs,
            target=30,
            target_text="<= 30 s",
        ),
    ]


def _number(value: float) -> str:
    return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"


def print_table(results: list[Measurement], skipped: list[Skipped]) -> None:
    header = f"{'section':<9} {'measurement':<46} {'median':>10} {'min':>10} {'max':>10}  unit     "
    print(header + "target")
    print("-" * (len(header) + 28))
    for m in results:
        status = "" if m.met is None else ("ok" if m.met else "MISSED")
        target = f"{m.target_text} {status}".strip()
        print(
            f"{m.section:<9} {m.name:<46} {_number(m.median):>10} {_number(min(m.samples)):>10} "
            f"{_number(max(m.samples)):>10}  {m.unit:<8} {target}"
        )
        if m.note:
            print(f"{'':<9}   ({m.note})")
    for skip in skipped:
        print(f"{skip.section:<9} skipped: {skip.reason}")


def _build_kind() -> str:
    """Which modules of the package measured are compiled (``make compiled``), and where it is."""
    import importlib.machinery

    import dicomstd

    folder = Path(dicomstd.__file__).parent
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    compiled = sorted(
        str(p.relative_to(folder.parent)).split(".")[0].replace("/", ".")
        for p in folder.rglob("*")
        if p.name.endswith(suffixes)
    )
    if not compiled:
        return f"pure Python, {folder}"
    return f"{len(compiled)} modules compiled with mypyc ({', '.join(compiled)}), {folder}"


def main(argv: Sequence[str] | None = None) -> int:
    names = [name for name, _, _ in SECTIONS]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (default 7)")
    parser.add_argument(
        "--only", action="append", choices=names, metavar="SECTION", help=f"one of {names}"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    context = Context(runs=args.runs)
    skipped: list[Skipped] = []
    # pydicom warns about the invalid values its own test files hold; the table is the output.
    warnings.simplefilter("ignore", UserWarning)
    print(f"dicomstd benchmarks: {args.runs} runs each, {sys.executable}", flush=True)
    print(f"build: {_build_kind()}", flush=True)
    for name, title, function in SECTIONS:
        if args.only and name not in args.only:
            continue
        print(f"... {name}: {title}", file=sys.stderr, flush=True)
        try:
            context.results.extend(function(context))
        except SkipSection as reason:
            skipped.append(Skipped(name, str(reason)))
    print_table(context.results, skipped)
    if args.json:
        data = {
            "runs": args.runs,
            "python": sys.executable,
            "build": _build_kind(),
            "results": [
                asdict(m) | {"median": m.median, "min": min(m.samples), "max": max(m.samples)}
                for m in context.results
            ],
            "skipped": [asdict(s) for s in skipped],
        }
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
