"""The wheel as a user gets it: built from this checkout, installed with its ``gen`` extra in a new
virtual environment outside the checkout, moved to the whole standard with
``dicomstd standard build --from <folder>``, then used to validate an MR file.

The shipped build is the PS3.3 excerpt, which has no MR Image IOD (the standard folder's README
lists its four IODs), so before the build an MR file is unchecked; after it, the file is checked
against MR Image (PS3.3 A.4; MR Image Storage is 1.2.840.10008.5.1.4.1.1.4, PS3.4 Table B.5-1).
The whole standard is the full-size PS3.3 stand-in with PS3.4/PS3.5 2020c and PS3.6 2015b.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import attrs
import pytest
from pydicom.data import get_testdata_file

from tests.conftest import require_part
from tests.install._wheel import STEP_TIMEOUT, install, run, user_environment

MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4"

pytestmark = pytest.mark.standard


@attrs.frozen
class Installed:
    home: Path
    """The folder the commands run in (outside the checkout)."""
    python: Path
    dicomstd: Path
    env: dict[str, str]
    """The environment of the dicomstd commands: the user's folders inside ``home``."""
    parts: dict[int, Path]
    before_show: dict[str, Any]
    before_validate: dict[str, Any]
    build: subprocess.CompletedProcess[str]


def validate(installed_python: Path, home: Path, env: dict[str, str]) -> dict[str, Any]:
    mr = get_testdata_file("MR_small.dcm")
    assert mr is not None
    done = subprocess.run(
        [str(installed_python), "-m", "dicomstd", "validate", "--format", "json", str(mr)],
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
        cwd=home,
        env=env,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: findings, not a failure to run
    result: dict[str, Any] = json.loads(done.stdout)["files"][0]
    return result


def show(installed_python: Path, home: Path, env: dict[str, str]) -> dict[str, Any]:
    done = run([installed_python, "-m", "dicomstd", "standard", "--json"], cwd=home, env=env)
    document: dict[str, Any] = json.loads(done.stdout)
    return document


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    parts = {
        3: require_part("full-2020-reconstructed", 3),
        4: require_part("2020c", 4),
        5: require_part("2020c", 5),
        6: require_part("2015b", 6),
    }
    home = tmp_path_factory.mktemp("wheel-install")
    base_env = user_environment()
    python, _ = install(home, base_env, "[gen]")
    venv = python.parent.parent
    # The commands of the package get their user folders here and nothing of this checkout.
    env = {
        **base_env,
        "XDG_CACHE_HOME": str(home / "user-cache"),
        "XDG_DATA_HOME": str(home / "user-data"),
    }
    before_show = show(python, home, env)
    before_validate = validate(python, home, env)
    source = parts[4].parent  # the 2020c folder: part04.xml and part05.xml (and part07.xml)
    build = run(
        [
            venv / "bin" / "dicomstd",
            "standard",
            "build",
            "--from",
            source,
            "--part",
            f"03={parts[3]}",
            "--part",
            f"06={parts[6]}",
        ],
        cwd=home,
        env=env,
    )
    return Installed(
        home, python, venv / "bin" / "dicomstd", env, parts, before_show, before_validate, build
    )


def test_the_package_runs_from_the_virtual_environment(installed: Installed) -> None:
    code = (
        "import json, dicomstd, dicomstd.codegen.inputs as i; "
        "print(json.dumps([dicomstd.__file__, i.CHECKOUT and str(i.CHECKOUT)]))"
    )
    done = run([installed.python, "-c", code], cwd=installed.home, env=installed.env)
    where, checkout = json.loads(done.stdout)
    assert Path(where).is_relative_to(installed.home / "venv")
    assert checkout is None


def test_the_build_goes_into_the_installed_package(installed: Installed) -> None:
    site = installed.home / "venv" / "lib"
    (generated,) = site.glob("python3*/site-packages/dicomstd/_generated")
    assert Path(installed.before_show["location"]) == generated
    after = show(installed.python, installed.home, installed.env)
    assert Path(after["location"]) == generated
    assert after["selected_by"] is None
    # Every input named with the SHA-256 of its file.
    assert [(p["part"], p["sha256"]) for p in after["parts"]] == [
        (f"PS3.{number}", hashlib.sha256(path.read_bytes()).hexdigest())
        for number, path in sorted(installed.parts.items())
    ]
    assert after["counts"]["iods"] > installed.before_show["counts"]["iods"] == 4
    uids = {s["uid"]: s["iod"] for s in after["sop_classes"]}
    assert uids[MR_IMAGE_STORAGE] == "MR Image"
    assert MR_IMAGE_STORAGE not in {s["uid"] for s in installed.before_show["sop_classes"]}


def test_the_build_reports_like_make_generate(installed: Installed) -> None:
    err = installed.build.stderr
    assert " files into " in err and " errors, " in err
    report = installed.home / "user-cache" / "dicomstd" / "reports" / "generation.json"
    assert report.is_file(), err
    recorded = json.loads(report.read_text(encoding="utf-8"))
    assert sorted(p["part"] for p in recorded["parts"]) == [3, 4, 5, 6]
    assert recorded["summary"]["diagnostics"]["error"] == 0


def test_an_mr_file_is_checked_against_mr_image(installed: Installed) -> None:
    before = installed.before_validate
    assert (before["sop_class_uid"], before["iod"], before["status"]) == (
        MR_IMAGE_STORAGE,
        None,
        "unchecked",
    )
    after = validate(installed.python, installed.home, installed.env)
    assert after["sop_class_uid"] == MR_IMAGE_STORAGE
    assert after["iod"] == "MR Image"
    assert after["status"] not in {"unchecked", "unreadable"}
    assert "iod-not-available" not in {f["code"] for f in after["findings"]}
