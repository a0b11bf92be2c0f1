"""``dicomstd standard``: the build in use, and ``standard build`` into a folder.

Expected values come from the standard and its files: the SHA-256 of each input file computed
here with hashlib, the IODs of the pinned PS3.3 excerpt (four, listed in the standard folder's
README: CT Image, RT Dose, Enhanced CT Image, Enhanced X-Ray Angiographic Image) and SOP Class
UIDs of PS3.4 Table B.5-1.
"""

from __future__ import annotations

import filecmp
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dicomstd.cli import main
from dicomstd.codegen import inputs
from tests.conftest import ROOT, require_part

COMMITTED = ROOT / "src" / "dicomstd" / "_generated"

# PS3.4 Table B.5-1 (Standard SOP Classes): SOP Class name, UID, and the PS3.3 IOD it uses.
CT_IMAGE_STORAGE = ("1.2.840.10008.5.1.4.1.1.2", "CT Image Storage", "CT Image")
RT_DOSE_STORAGE = ("1.2.840.10008.5.1.4.1.1.481.2", "RT Dose Storage", "RT Dose")
MR_IMAGE_STORAGE = ("1.2.840.10008.5.1.4.1.1.4", "MR Image Storage", "MR Image")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pinned_files() -> dict[int, Path]:
    """The files standard/editions.toml pins, in the standard folder."""
    pins = tomllib.loads((ROOT / "standard" / "editions.toml").read_text(encoding="utf-8"))
    return {
        int(number): require_part(entry["edition"], int(number))
        for number, entry in pins["parts"].items()
    }


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["standard", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_of(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def same_tree(one: Path, other: Path) -> list[str]:
    """What differs between two generated folders (empty when they are equal byte for byte)."""
    ours, theirs = files_of(one), files_of(other)
    different = sorted(ours ^ theirs)
    different += [
        name
        for name in sorted(ours & theirs)
        if not filecmp.cmp(one / name, other / name, shallow=False)
    ]
    return different


# -- show ----------------------------------------------------------------------------------------
def test_show_names_every_input_part_with_its_sha256(capsys: pytest.CaptureFixture[str]) -> None:
    files = pinned_files()
    pins = tomllib.loads((ROOT / "standard" / "editions.toml").read_text(encoding="utf-8"))
    code, out, _ = run(capsys, "show", "--json")
    assert code == 0
    document = json.loads(out)
    assert Path(document["location"]) == COMMITTED
    assert document["selected_by"] is None
    assert document["parts"] == [
        {
            "part": f"PS3.{number}",
            "edition": pins["parts"][f"{number:02d}"]["edition"],
            "sha256": sha256(path),
        }
        for number, path in sorted(files.items())
    ]
    assert document["counts"]["iods"] == 4  # the excerpt's four IODs
    found = {(s["uid"], s["name"], s["iod"]) for s in document["sop_classes"]}
    assert {CT_IMAGE_STORAGE, RT_DOSE_STORAGE} <= found
    assert MR_IMAGE_STORAGE not in found  # MR Image is not in the excerpt


def test_show_is_the_default_and_prints_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, default, _ = run(capsys)
    assert code == 0
    assert run(capsys, "show")[1] == default
    assert f"build in use: {COMMITTED} (installed)" in default
    assert "  PS3.6 2015b  sha256 " in default
    assert "4 IODs, " in default
    uid, name, iod = CT_IMAGE_STORAGE
    line = next(line for line in default.splitlines() if line.strip().startswith(uid + " "))
    assert line.split(None, 1)[1] == f"{name} ({iod})"
    json_default = json.loads(run(capsys, "--json")[1])
    assert json_default == json.loads(run(capsys, "show", "--json")[1])


def test_show_describes_the_build_dicomstd_build_names(full_build: Path) -> None:
    env = {**os.environ, "DICOMSTD_BUILD": str(full_build)}
    done = subprocess.run(
        [sys.executable, "-m", "dicomstd", "standard", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert Path(document["location"]) == full_build.resolve()
    assert document["selected_by"] == "DICOMSTD_BUILD"
    part03 = require_part("full-2020-reconstructed", 3)
    assert document["parts"][0] == {
        "part": "PS3.3",
        "edition": document["parts"][0]["edition"],
        "sha256": sha256(part03),
    }
    found = {(s["uid"], s["name"], s["iod"]) for s in document["sop_classes"]}
    assert {CT_IMAGE_STORAGE, RT_DOSE_STORAGE, MR_IMAGE_STORAGE} <= found
    assert document["counts"]["iods"] > 4


# -- build: what is refused ----------------------------------------------------------------------
def test_missing_generator_dependencies(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> Any:
        return None if name in {"lxml", "jinja2"} else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    code, _, err = run(capsys, "build", "--from", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "needs lxml, jinja2, which are not installed" in err
    assert "pip install 'dicomstd[gen]'" in err
    assert not (tmp_path / "out").exists()


def test_downloads_need_requests_and_a_folder_does_not(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> Any:
        return None if name == "requests" else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    out = str(tmp_path / "out")
    code, _, err = run(capsys, "build", "--edition", "2020c", "--out", out)
    assert code == 2
    assert "needs requests, which is not installed: pip install 'dicomstd[gen]'" in err
    code, _, err = run(capsys, "build", "--from", str(tmp_path), "--out", out)
    assert code == 1  # past the check: the folder has no part files
    assert "no part03.xml" in err


def test_an_unwritable_target_is_named_with_the_way_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, _, err = run(capsys, "build", "--from", str(tmp_path), "--out", str(blocker / "gen"))
    assert code == 1
    assert f"{blocker} is not a folder" in err
    assert "--out DIR" in err and "DICOMSTD_BUILD=DIR" in err


def test_an_out_that_is_not_a_generated_package_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "parts"
    source.mkdir()
    for number, path in pinned_files().items():
        (source / f"part{number:02d}.xml").symlink_to(path)
    unrelated = tmp_path / "photos"
    unrelated.mkdir()
    (unrelated / "holiday.jpg").write_bytes(b"not ours")
    code, _, err = run(capsys, "build", "--from", str(source), "--out", str(unrelated))
    assert code == 2, err
    assert str(unrelated) in err
    assert (unrelated / "holiday.jpg").read_bytes() == b"not ours"
    assert sorted(p.name for p in unrelated.iterdir()) == ["holiday.jpg"]


def test_a_read_only_installed_package_is_named_with_the_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*_: object, **__: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    before = {name: sha256(COMMITTED / name) for name in files_of(COMMITTED)}
    code, _, err = run(capsys, "build", "--from", str(tmp_path))
    assert code == 1
    assert f"cannot write the build into {COMMITTED}" in err
    assert "not writable (Permission denied)" in err
    assert "DICOMSTD_BUILD" in err
    assert {name: sha256(COMMITTED / name) for name in files_of(COMMITTED)} == before


def test_a_folder_missing_parts_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "2020c"
    folder.mkdir()
    for number in (4, 5):
        (folder / f"part{number:02d}.xml").symlink_to(require_part("2020c", number))
    out = tmp_path / "out"
    code, _, err = run(capsys, "build", "--from", str(folder), "--out", str(out))
    assert code == 1
    assert "no part03.xml, part06.xml there" in err
    assert "--part 03=FILE --part 06=FILE" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "{tmp}/nowhere"], "nowhere: not a folder"),
        (["--from", "{tmp}", "--part", "07=x.xml"], "the generator reads only PS3.3, PS3.4"),
        (["--from", "{tmp}", "--part", "3:x.xml"], "--part takes NN=PATH"),
        (["--edition", "25b"], "--edition takes an edition like 2025b"),
    ],
)
def test_bad_arguments(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, _, err = run(capsys, "build", *given, "--out", str(tmp_path / "out"))
    assert code in (1, 2)
    assert message in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [[], ["--edition", "2020c", "--from", "."]])
def test_exactly_one_source(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", *args)
    assert code == 2
    assert "--edition" in err and "--from" in err


# -- build: what is made -------------------------------------------------------------------------
def test_a_build_from_the_pinned_files_is_the_committed_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "parts"
    folder.mkdir()
    files = pinned_files()
    for number, path in sorted(files.items())[1:]:
        (folder / f"part{number:02d}.xml").symlink_to(path)
    out, report = tmp_path / "build" / "_generated", tmp_path / "report.json"
    code, _, err = run(
        capsys,
        "build",
        "--from",
        str(folder),
        "--part",
        f"03={files[3]}",
        "--out",
        str(out),
        "--report",
        str(report),
    )
    assert code == 0, err
    assert same_tree(out, COMMITTED) == []
    assert "generated " in err and " files into " in err
    recorded = json.loads(report.read_text(encoding="utf-8"))
    assert [(p["part"], p["sha256"]) for p in recorded["parts"]] == [
        (number, sha256(path)) for number, path in sorted(files.items())
    ]
    assert f"DICOMSTD_BUILD={out}" in err


def test_a_failed_build_leaves_the_previous_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "_generated"
    out.mkdir()
    (out / "__init__.py").write_text("PARTS = ()\n")
    folder = tmp_path / "parts"
    folder.mkdir()
    for number in (3, 4, 5, 6):
        (folder / f"part{number:02d}.xml").write_text("<book>not the standard</book>\n")
    code, _, err = run(capsys, "build", "--from", str(folder), "--out", str(out))
    assert code == 1
    assert "nothing written" in err
    assert files_of(out) == {"__init__.py"}
    assert (out / "__init__.py").read_text() == "PARTS = ()\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.fixture
def server(standard_dir: Path) -> Iterator[str]:
    from tests.codegen.test_fetch import StandardServer

    instance = StandardServer(standard_dir)
    thread = threading.Thread(target=instance.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield instance.url
    finally:
        instance.shutdown()
        instance.server_close()
        thread.join()


def test_a_build_of_an_edition_downloads_into_the_cache(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = pinned_files()
    monkeypatch.delenv("DICOMSTD_STANDARD_DIR", raising=False)  # nothing "already available"
    cache, out = tmp_path / "cache", tmp_path / "_generated"
    code, _, err = run(
        capsys,
        "build",
        "--edition",
        "2016c",  # PS3.3 and PS3.4 of the pins; PS3.5 and PS3.6 of 2015b given as files
        "--part",
        f"05={files[5]}",
        "--part",
        f"06={files[6]}",
        "--base-url",
        server,
        "--cache",
        str(cache),
        "--out",
        str(out),
        "--report",
        str(tmp_path / "report.json"),
    )
    assert code == 0, err
    assert sorted(str(p.relative_to(cache)) for p in cache.rglob("*.xml")) == [
        "2016c/part03.xml",
        "2016c/part04.xml",
    ]
    assert sha256(cache / "2016c" / "part03.xml") == sha256(files[3])
    assert same_tree(out, COMMITTED) == []


# -- where the generator keeps its files -----------------------------------------------------------
def test_a_checkout_is_found_only_where_it_is(tmp_path: Path) -> None:
    module = tmp_path / "src" / "dicomstd" / "codegen" / "inputs.py"
    module.parent.mkdir(parents=True)
    module.write_text("")
    assert inputs.find_checkout(str(module)) is None
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "standard").mkdir()
    (tmp_path / "standard" / "editions.toml").write_text("")
    assert inputs.find_checkout(str(module)) == tmp_path.resolve()
    assert inputs.find_checkout() == ROOT


def test_installed_folders_are_the_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DICOMSTD_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    editions, cache = inputs.default_folders(None)
    if sys.platform.startswith("linux"):  # the XDG folders platformdirs follows there
        assert cache == tmp_path / "cache-home" / "dicomstd" / "standard"
        assert editions == tmp_path / "data-home" / "dicomstd" / "editions.toml"
    monkeypatch.setenv("DICOMSTD_CACHE_DIR", str(tmp_path / "mine"))
    assert inputs.default_folders(None)[1] == tmp_path / "mine"
    assert inputs.default_folders(ROOT) == (
        ROOT / "standard" / "editions.toml",
        tmp_path / "mine",
    )
    monkeypatch.delenv("DICOMSTD_CACHE_DIR")
    assert inputs.default_folders(ROOT)[1] == ROOT / "standard" / "cache"


def test_building_into_a_checkout_says_how_to_restore_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dicomstd import standard

    monkeypatch.delenv("DICOMSTD_BUILD", raising=False)
    standard._note_other_build(COMMITTED)
    assert "is the committed build of this checkout; `make generate` restores it" in (
        capsys.readouterr().err
    )
