"""How the ``validate`` command imports pydicom: without what pydicom loads for what validating
never does.

As it loads, pydicom imports:

- ``requests`` (when installed) and ``tqdm``, to download its test data and show the progress;
- the standard library's HTTP client, ``urllib.request`` (with ``http.client``, ``ssl`` and the
  ``email`` parser), to download with when ``requests`` is not there;
- its example data sets, ``pydicom.examples``, which look up thirteen test files as the module
  loads.

Validating never downloads and never uses an example. ``requests`` is kept out, and pydicom
falls back to the standard library; ``tqdm`` is kept out while pydicom loads (the progress bar
of the command imports it later, when it shows one). The other two, when pydicom imports them,
get a stand-in: a module that imports the real one the first time any of its attributes is
used, and gives that attribute. Code that uses them works as before; a run that does not never
pays for them (about 10 ms of a one-file run).

Only the command does this, in its own process: importing :mod:`dicomstd` as a library changes
nothing in the importing program.
"""

from __future__ import annotations

import importlib
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import TYPE_CHECKING, Final, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

__all__ = ["import_pydicom"]

STAND_INS: Final = ("urllib.request", "pydicom.examples")
"""The modules pydicom imports that get a stand-in while :func:`import_pydicom` runs."""


def import_pydicom() -> None:
    """Import pydicom as the command does (see the module's text); nothing once it is loaded."""
    sys.modules.setdefault("requests", None)  # type: ignore[arg-type]
    if "pydicom" in sys.modules or "tqdm" in sys.modules:
        return
    finder = _StandIns(STAND_INS)
    sys.meta_path.insert(0, finder)
    sys.modules["tqdm"] = None  # type: ignore[assignment]
    try:
        import pydicom  # noqa: F401
    finally:
        del sys.modules["tqdm"]
        sys.meta_path.remove(finder)


class _StandIns:
    """A finder of the import system for the modules named: each gets a stand-in, made and
    attached to its package by the import system as any module is."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.waiting = set(names)

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name not in self.waiting:
            return None
        return ModuleSpec(name, cast("Loader", _StandInLoader(self.waiting)))


class _StandInLoader:
    """Makes the stand-in: an empty module whose missing attributes import the real one."""

    def __init__(self, waiting: set[str]) -> None:
        self.waiting = waiting  # the finder's: the names it still serves a stand-in for

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # the import system's own empty module

    def exec_module(self, module: ModuleType) -> None:
        name, waiting = module.__name__, self.waiting

        def real(attribute: str) -> object:
            # The stand-in leaves sys.modules, and the real module is imported in its place
            # (the finder serves no second stand-in, should pydicom use the module as it
            # loads); the import system attaches it to its package. Code that holds the
            # stand-in itself gets each attribute from the real module.
            waiting.discard(name)
            if sys.modules.get(name) is module:
                del sys.modules[name]
            return getattr(importlib.import_module(name), attribute)

        module.__dict__["__getattr__"] = real  # PEP 562: asked for what the module lacks
