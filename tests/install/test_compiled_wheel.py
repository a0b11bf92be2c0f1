"""The compiled wheel: built from this checkout with ``HATCH_BUILD_HOOKS_ENABLE=1`` (the mypyc hook
of pyproject.toml), installed in a new virtual environment outside the checkout. Every module the
hook lists is an extension module there, and validating pydicom's files gives the findings this
checkout gives."""

from __future__ import annotations

import json
import os
import tomllib
import warnings
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from dicomstd.validation import validate_file
from tests.conftest import ROOT
from tests.install._wheel import copy_of_checkout, install, run, user_environment


def _listed() -> list[str]:
    """The modules the mypyc hook compiles, as dotted names."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        hooks = tomllib.load(file)["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]
    return [
        p.removeprefix("src/").removesuffix(".py").replace("/", ".")
        for p in hooks["mypyc"]["include"]
    ]


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("compiled-wheel")
    env = {**user_environment(), "HATCH_BUILD_HOOKS_ENABLE": "1"}
    # Built from a copy: the hook leaves the compiled modules beside the sources it compiled.
    python, wheel = install(home, env, source=copy_of_checkout(home / "checkout"))
    assert "-none-any" not in wheel.name, f"{wheel.name}: a pure-Python wheel"
    return python


def test_the_checkout_is_left_as_it_was(python: Path) -> None:
    assert not [p for p in (ROOT / "src").rglob("*") if p.suffix in (".so", ".c")]


def test_every_listed_module_is_compiled(python: Path) -> None:
    code = (
        "import importlib, json, sys; "
        "print(json.dumps({n: importlib.import_module(n).__file__ for n in sys.argv[1:]}))"
    )
    done = run([python, "-c", code, *_listed()], cwd=python.parent)
    files = json.loads(done.stdout)
    assert files
    plain = {name: where for name, where in files.items() if where.endswith(".py")}
    assert not plain
    assert all("/venv/" in where for where in files.values())


def test_the_compiled_package_finds_what_the_checkout_finds(python: Path) -> None:
    """Every file of pydicom's folder of test files, validated by the installed compiled package
    and by this checkout (pure Python): the same findings, file by file."""
    folder = Path(get_testdata_file("CT_small.dcm") or "").parent
    paths = sorted(str(p) for p in folder.rglob("*") if p.is_file() and p.suffix != ".txt")
    assert len(paths) > 100
    code = (
        "import json, sys, warnings; warnings.simplefilter('ignore'); "
        "from dicomstd.validation import validate_file; "
        "print(json.dumps({p: [[f.code, str(f.tag), f.path, f.message] "
        "for f in validate_file(p).findings] for p in sys.argv[1:]}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = run([python, "-c", code, *paths], cwd=python.parent, env=env)
    found = json.loads(done.stdout)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = {
            p: [[f.code, str(f.tag), f.path, f.message] for f in validate_file(p).findings]
            for p in paths
        }
    differing = [p for p in paths if found[p] != expected[p]]
    assert not differing
