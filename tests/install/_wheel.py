"""Building the wheel of this checkout and installing it in a new virtual environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

STEP_TIMEOUT = 900


def run(command: list[str | Path], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in command],
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
        **kwargs,
    )
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def user_environment() -> dict[str, str]:
    """The environment without what points at this checkout or a virtual environment (the build
    tools and pip see the rest as it is, pip's own cache included)."""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"} and not k.startswith("DICOMSTD_")
    }


def install(
    home: Path, env: dict[str, str], extras: str = "", *, source: Path = ROOT
) -> tuple[Path, Path]:
    """The wheel built from ``source`` (this checkout) with ``env`` into ``home``/wheels,
    installed (with ``extras``, e.g. ``[gen]``) in the new virtual environment ``home``/venv:
    its Python, and the wheel."""
    assert not home.resolve().is_relative_to(ROOT)
    wheels = home / "wheels"
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, source],
        env=env,
    )
    (wheel,) = wheels.glob("dicomstd-*.whl")
    venv = home / "venv"
    run([sys.executable, "-m", "venv", venv], env=env)
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "--quiet", f"{wheel}{extras}"], env=env, cwd=home)
    return python, wheel


def copy_of_checkout(target: Path) -> Path:
    """What a wheel is built from (pyproject.toml, README.md, src/), copied to ``target``: the
    mypyc build hook compiles in place, into the ``src`` it builds from."""
    target.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    ignored = shutil.ignore_patterns("__pycache__", "*.so", "*.c", ".mypy_cache")
    shutil.copytree(ROOT / "src", target / "src", ignore=ignored)
    return target
