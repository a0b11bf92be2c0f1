"""Which XML files a generation reads: the pins of ``standard/editions.toml`` and their paths.

Resolution of one part, first match wins:

1. an explicit ``--part NN=PATH`` flag (used as given, not hash-checked: it is not pinned);
2. ``$DICOMSTD_STANDARD_DIR/<edition>/partNN.xml``;
3. ``<cache>/<edition>/partNN.xml`` (the download cache).

A pinned part found at 2 or 3 must have the pinned SHA-256; a mismatch is an error naming the
file and both hashes.

Where the pins and the cache are: in a project checkout (an editable install, the development
default) ``standard/editions.toml`` and ``standard/cache`` of the checkout; in an installed package
the user's folders (``platformdirs``): ``editions.toml`` in the user data folder of dicomstd and
the cache in its user cache folder. ``$DICOMSTD_CACHE_DIR`` names another cache in either case.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Sequence
from pathlib import Path

import attrs

from dicomstd.codegen.diagnostics import InputError
from dicomstd.codegen.docbook import sha256_of

CACHE_VARIABLE = "DICOMSTD_CACHE_DIR"
DEFAULT_BASE_URL = "https://dicom.nema.org/medical/dicom"
APP_NAME = "dicomstd"


def find_checkout(module_file: str = __file__) -> Path | None:
    """The project checkout this generator runs from (src/dicomstd/codegen/inputs.py -> the folder
    holding pyproject.toml and standard/editions.toml), or None when it is an installed package."""
    root = Path(module_file).resolve().parents[3]
    if (root / "pyproject.toml").is_file() and (root / "standard" / "editions.toml").is_file():
        return root
    return None


def default_folders(checkout: Path | None) -> tuple[Path, Path]:
    """(pinned editions file, download cache) of a checkout, or of the user when installed."""
    env = os.environ.get(CACHE_VARIABLE)
    if checkout is not None:
        standard = checkout / "standard"
        return standard / "editions.toml", Path(env) if env else standard / "cache"
    import platformdirs

    editions = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "editions.toml"
    cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "standard"
    return editions, Path(env) if env else cache


CHECKOUT = find_checkout()
EDITIONS_FILE, CACHE = default_folders(CHECKOUT)


@attrs.frozen
class Pin:
    part: int
    edition: str
    url: str
    sha256: str


@attrs.frozen
class ResolvedPart:
    part: int
    path: Path
    pin: Pin | None


def part_url(edition: str, part: int, base_url: str = DEFAULT_BASE_URL) -> str:
    return f"{base_url.rstrip('/')}/{edition}/source/docbook/part{part:02d}/part{part:02d}.xml"


def read_pins(path: Path = EDITIONS_FILE) -> dict[int, Pin]:
    if not path.is_file():
        raise InputError(
            str(path),
            "no pinned editions file (pin an edition with `python -m dicomstd.codegen fetch "
            "--edition E --pin`, or build from files without pins: `dicomstd standard build "
            "--from DIR`)",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(str(path), f"not valid TOML: {error}") from None
    pins: dict[int, Pin] = {}
    for key, entry in sorted(data.get("parts", {}).items()):
        try:
            number = int(key)
            pins[number] = Pin(
                number, str(entry["edition"]), str(entry["url"]), str(entry["sha256"]).lower()
            )
        except (KeyError, ValueError, TypeError) as error:
            raise InputError(
                str(path), f"[parts.{key}] needs edition, url and sha256 ({error})"
            ) from None
    return pins


def write_pins(pins: dict[int, Pin], path: Path = EDITIONS_FILE) -> None:
    lines = [
        "# The parts of the DICOM standard the committed generated code is built from.",
        "# `make generate` checks every file it reads against these hashes;",
        "# `python -m dicomstd.codegen fetch --edition E --pin` rewrites this file.",
        "",
    ]
    for number in sorted(pins):
        pin = pins[number]
        lines += [
            f'[parts."{number:02d}"]',
            f'edition = "{pin.edition}"',
            f'url = "{pin.url}"',
            f'sha256 = "{pin.sha256}"',
            "",
        ]
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)


def standard_dirs(cache: Path | None = None) -> list[Path]:
    """``$DICOMSTD_STANDARD_DIR`` when set, then the download cache (``cache`` overrides it)."""
    dirs: list[Path] = []
    env = os.environ.get("DICOMSTD_STANDARD_DIR")
    if env:
        dirs.append(Path(env))
    dirs.append(CACHE if cache is None else cache)
    return dirs


def locate(edition: str, part: int, cache: Path | None = None) -> Path | None:
    """The first existing ``<dir>/<edition>/partNN.xml`` among the standard folders."""
    for base in standard_dirs(cache):
        candidate = base / edition / f"part{part:02d}.xml"
        if candidate.is_file():
            return candidate
    return None


def verify(path: Path, pin: Pin) -> None:
    actual = sha256_of(path)
    if actual != pin.sha256:
        raise InputError(
            str(path),
            f"SHA-256 mismatch for pinned PS3.{pin.part} {pin.edition}: "
            f"pinned {pin.sha256}, file has {actual}",
        )


def resolve(explicit: dict[int, Path], pins: dict[int, Pin]) -> list[ResolvedPart]:
    """Resolve every pinned part (explicit flags override their part) plus extra explicit parts."""
    resolved: list[ResolvedPart] = []
    for number in sorted(set(pins) | set(explicit)):
        if number in explicit:
            resolved.append(ResolvedPart(number, explicit[number], None))
            continue
        pin = pins[number]
        path = locate(pin.edition, number)
        if path is None:
            where = ", ".join(
                str(d / pin.edition / f"part{number:02d}.xml") for d in standard_dirs()
            )
            raise InputError(
                f"part{number:02d}.xml",
                f"pinned PS3.{number} {pin.edition} not found (looked in {where}); set "
                "DICOMSTD_STANDARD_DIR or run "
                f"`python -m dicomstd.codegen fetch --edition {pin.edition}`",
            )
        verify(path, pin)
        resolved.append(ResolvedPart(number, path, pin))
    return resolved


def parse_part_flag(text: str) -> tuple[int, Path]:
    """``06=path/to/part06.xml`` -> (6, Path(...))."""
    number, sep, path = text.partition("=")
    if not sep or not number.strip().isdigit() or not path:
        raise ValueError(f"--part takes NN=PATH, got {text!r}")
    return int(number), Path(path)


def add_part_option(parser: argparse.ArgumentParser) -> None:
    """The ``--part NN=PATH`` option of the commands that read the standard."""
    parser.add_argument(
        "--part",
        action="append",
        metavar="NN=PATH",
        help="read part NN from PATH instead of the pinned file (repeatable)",
    )


def explicit_parts(values: Sequence[str] | None) -> dict[int, Path]:
    """The ``--part`` values given, by part number (a later one wins)."""
    return dict(parse_part_flag(value) for value in values or ())


def display(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it, for messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
