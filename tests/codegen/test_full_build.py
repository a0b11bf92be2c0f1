"""The whole standard: a generation from the full-size PS3.3 stand-in with the real PS3.4/PS3.5
2020c and PS3.6 2015b (the session's ``full_build``, made as ``make full-build`` makes it) meets
the bar of the committed package: ruff clean, formatted, every module imports, mypy --strict clean.

Expected values read from the standard: table C.22.1-1 (Media Creation Management Module)
lists Include Non-DICOM Objects (2200,0008) and Include Display Application (2200,0009), two
attributes whose names start with "Include".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.standard


def run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=900
    )


def in_build(full_build: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with the runtime using the full build (``DICOMSTD_BUILD``)."""
    env = {**os.environ, "DICOMSTD_BUILD": str(full_build)}
    return run([sys.executable, "-c", textwrap.dedent(code)], env=env)


def test_the_full_build_is_ruff_clean_and_formatted(full_build: Path) -> None:
    config = str(ROOT / "pyproject.toml")
    ruff = [sys.executable, "-m", "ruff"]
    checked = run([*ruff, "check", "--no-cache", "--config", config, str(full_build)])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    formatted = run([*ruff, "format", "--check", "--no-cache", "--config", config, str(full_build)])
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_every_module_of_the_full_build_imports(full_build: Path) -> None:
    modules = sorted(
        ".".join(
            ("dicomstd._generated", *path.relative_to(full_build).with_suffix("").parts)
        ).removesuffix(".__init__")
        for path in full_build.rglob("*.py")
    )
    assert len(modules) > 1000  # 143 IODs, 635 tables: a class module and a spec module each
    done = in_build(
        full_build,
        f"""
        import importlib, json, sys
        names = {modules!r}
        for name in names:
            importlib.import_module(name)
        print(json.dumps(sys.modules["dicomstd._generated"].__file__))
        """,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == str(full_build / "__init__.py")


def test_the_include_named_attributes_of_table_c22_1_1(full_build: Path) -> None:
    done = in_build(
        full_build,
        """
        import json
        import attrs
        from dicomstd import spec
        from dicomstd.modules import MediaCreationManagementModule
        module = spec.module("table_C.22.1-1")
        fields = {
            f.metadata["tag"]: f.name for f in attrs.fields(MediaCreationManagementModule)
            if "tag" in f.metadata
        }
        print(json.dumps({
            "name": module.name,
            "spec": [int(a.tag) for a in module.attributes],
            "fields": {str(k): v for k, v in fields.items()},
        }))
        """,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["name"] == "Media Creation Management Module"
    assert {0x22000008, 0x22000009} <= set(found["spec"])
    assert found["fields"][str(0x22000008)] == "IncludeNonDICOMObjects"
    assert found["fields"][str(0x22000009)] == "IncludeDisplayApplication"


def test_the_full_build_is_mypy_strict_clean(full_build: Path, tmp_path: Path) -> None:
    # checked as a package of its own, named as its folder, against the runtime it imports
    package = tmp_path / "_generated"
    shutil.copytree(full_build, package)
    done = run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--no-error-summary",
            str(package),
        ]
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr
