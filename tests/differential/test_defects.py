"""One-defect files: dicomstd must report each defect the standard defines, and nothing on the
valid controls; dciodvfy (dicom3tools) is run on the same files and compared.

The controls and defects are in :mod:`tests.differential.defects`, each defect with the text of
the standard it breaks. CT Image, RT Dose and Enhanced CT Image are validated with the pinned
build; Enhanced X-Ray Angiographic Image with the build of the whole standard (``full_build``),
since the pinned excerpt's IOD table lacks modules. dciodvfy must report an error naming the
defect's attribute too, or the defect is listed in :data:`DCIODVFY_DIFFERENCES` with the reason
read from the standard; without dciodvfy those comparisons skip, except under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from tests.conftest import unavailable
from tests.differential.dciodvfy import error_tag, tag_text
from tests.differential.defects import CONTROLS, DEFECTS, Defect

DCIODVFY_DIFFERENCES: dict[str, str] = {
    "ct-private-without-creator": "dciodvfy only warns ('Private tag without owner'). PS3.5 "
    "7.8.1: 'Private Creator Data Elements numbered (gggg,0010-00FF) (gggg is odd) shall be used "
    "to reserve a block of Elements'; an element of a block no creator reserves breaks it.",
    "ct-private-creator-empty": "dciodvfy only warns ('Bad private owner value - empty value'). "
    "PS3.5 7.8.1: 'Private Creator Data Element (gggg,0010), is a Type 1 Data Element'.",
    "enhanced-ct-character-set-missing": "dciodvfy reports the same bytes at Patient's Name "
    "(0010,0010), 'Character invalid for character repertoire (default or as defined in "
    "SpecificCharacterSet)'; dicomstd at Specific Character Set (0008,0005), Type 1C, 'Required "
    "if an expanded or replacement character set is used' (table C.12-1), which the byte shows.",
    "enhanced-ct-condition-of-this-frame": "dciodvfy says nothing: it does not evaluate the "
    "condition of Frame Acquisition DateTime (0018,9074), 'Required if Frame Type (0008,9007) "
    "Value 1 of this frame is ORIGINAL and the SOP Class UID is not …' (table C.7.6.16-3), "
    "whose Frame Type is in another functional group of the frame.",
    "enhanced-xa-type1c-missing": "dciodvfy says nothing: it does not evaluate the condition of "
    "Referenced Other Plane Sequence (0008,9410), 'Required if Planes in Acquisition (0018,9410) "
    "is BIPLANE' (table C.8.19.2-1).",
    "enhanced-xa-datetime": "dciodvfy says nothing: it does not check the month of a DT value. "
    "PS3.5 table 6.2-1, DT: 'YYYYMMDDHHMMSS.FFFFFF&ZZXX … MM = Month': there is no month 13.",
}
"""Defects dciodvfy does not report as an error on the defect's attribute, with the reason."""

NOT_FOUND_YET: dict[str, str] = {}
"""Defects dicomstd does not report yet (a test that fails as soon as it does)."""


@attrs.frozen
class Reported:
    code: str
    tag: str
    path: str
    severity: str


@attrs.frozen
class Files:
    folder: Path

    def control(self, name: str) -> Path:
        return self.folder / f"control-{name}.dcm"

    def defect(self, defect: Defect) -> Path:
        return self.folder / f"defect-{defect.name}.dcm"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    out = Files(tmp_path_factory.mktemp("defects"))
    for name, control in CONTROLS.items():
        control.make().save_as(out.control(name), enforce_file_format=True)
    for defect in DEFECTS:
        dataset = CONTROLS[defect.control].make()
        defect.change(dataset)
        # Not enforce_file_format: pydicom would set the File Meta Information from the data set.
        dataset.save_as(out.defect(defect))
        if defect.patch is not None:
            path = out.defect(defect)
            path.write_bytes(defect.patch(path.read_bytes()))
    return out


def _paths(files: Files, build: str) -> Iterator[Path]:
    for name, control in CONTROLS.items():
        if control.build == build:
            yield files.control(name)
    for defect in DEFECTS:
        if CONTROLS[defect.control].build == build:
            yield files.defect(defect)


def _dicomstd(paths: list[Path], build: Path | None) -> dict[str, list[Reported]]:
    environment = {k: v for k, v in os.environ.items() if k != "DICOMSTD_BUILD"}
    if build is not None:
        environment["DICOMSTD_BUILD"] = str(build)
    command = [sys.executable, "-m", "dicomstd", "validate", "--format", "json", "--jobs", "1"]
    done = subprocess.run(
        [*command, *map(str, paths)], capture_output=True, text=True, env=environment, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    return {
        Path(result["path"]).name: [
            Reported(f["code"], f["tag"], f["path"], f["severity"]) for f in result["findings"]
        ]
        for result in json.loads(done.stdout)["files"]
    }


@pytest.fixture(scope="module")
def ours(files: Files, full_build: Path) -> dict[str, list[Reported]]:
    found = _dicomstd(list(_paths(files, "pinned")), None)
    found.update(_dicomstd(list(_paths(files, "full")), full_build))
    return found


@attrs.frozen
class Theirs:
    errors: tuple[str, ...]
    tags: frozenset[str]


@pytest.fixture(scope="module")
def theirs(files: Files) -> dict[str, Theirs]:
    executable = shutil.which("dciodvfy")
    if executable is None:
        unavailable("dciodvfy (Debian package dicom3tools) is not installed")
    out: dict[str, Theirs] = {}
    for path in sorted(files.folder.glob("*.dcm")):
        done = subprocess.run(
            [executable, str(path)], capture_output=True, text=True, errors="replace", check=False
        )
        errors = tuple(line for line in done.stderr.splitlines() if "Error - " in line)
        tags = frozenset(tag_text(t) for t in map(error_tag, errors) if t is not None)
        out[path.name] = Theirs(errors, tags)
    return out


@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_control_has_no_error_from_dicomstd(name: str, ours: dict[str, list[Reported]]) -> None:
    errors = [f for f in ours[f"control-{name}.dcm"] if f.severity == "error"]
    assert errors == []


def test_controls_have_no_error_with_the_whole_standard_either(
    files: Files, full_build: Path
) -> None:
    # The controls of the pinned build's IODs are valid by the whole standard of 2020 too.
    found = _dicomstd(
        [files.control(n) for n, c in CONTROLS.items() if c.build == "pinned"], full_build
    )
    errors = {name: [f for f in found[name] if f.severity == "error"] for name in found}
    assert errors == {name: [] for name in found}


@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_control_has_no_error_from_dciodvfy(name: str, theirs: dict[str, Theirs]) -> None:
    assert theirs[f"control-{name}.dcm"].errors == ()


@pytest.mark.parametrize(
    "defect",
    [
        pytest.param(
            d,
            id=d.name,
            marks=[pytest.mark.xfail(reason=NOT_FOUND_YET[d.name], strict=True)]
            if d.name in NOT_FOUND_YET
            else [],
        )
        for d in DEFECTS
    ],
)
def test_dicomstd_reports_the_defect(defect: Defect, ours: dict[str, list[Reported]]) -> None:
    found = ours[f"defect-{defect.name}.dcm"]
    wanted = defect.expected
    assert any((f.code, f.tag, f.path) == (wanted.code, wanted.tag, wanted.path) for f in found), (
        f"{defect.standard}\nexpected {wanted}; dicomstd reported:\n"
        + "\n".join(
            f"  {f.severity} {f.code} {f.tag} {f.path}" for f in found if f.severity != "notice"
        )
    )


def test_dciodvfy_reports_each_defect_or_is_listed(
    theirs: dict[str, Theirs], ours: dict[str, list[Reported]]
) -> None:
    missed = [d.name for d in DEFECTS if d.expected.tag not in theirs[f"defect-{d.name}.dcm"].tags]
    found = [
        d.name
        for d in DEFECTS
        if any(
            (f.code, f.tag, f.path) == (d.expected.code, d.expected.tag, d.expected.path)
            for f in ours[f"defect-{d.name}.dcm"]
        )
    ]
    print(
        f"\none-defect files: dicomstd finds {len(found)} of {len(DEFECTS)}, dciodvfy "
        f"{len(DEFECTS) - len(missed)} of {len(DEFECTS)} (an error naming the attribute)"
    )
    unlisted = [
        f"{name}: dciodvfy says {theirs[f'defect-{name}.dcm'].errors}"
        for name in missed
        if name not in DCIODVFY_DIFFERENCES
    ]
    stale = sorted(set(DCIODVFY_DIFFERENCES) - set(missed))
    assert not unlisted, "dciodvfy differs, not listed:\n" + "\n".join(unlisted)
    assert not stale, f"listed, but dciodvfy reports them: {stale}"
