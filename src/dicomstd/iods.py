"""Typed classes of the IODs, one per IOD: ``from dicomstd.iods import CTImage``.

Each class loads on first use (importing one IOD does not import the others), and its modules
load when a module object is first needed. ``for_sop_class(uid)`` gives the class of a SOP Class.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from dicomstd.errors import UnknownIODError
from dicomstd.model import IodModel
from dicomstd.uid import bare_uid

if TYPE_CHECKING:
    from dicomstd._generated.iods import *  # noqa: F403

__all__ = ["for_sop_class", "names"]


def _index() -> tuple[dict[str, str], dict[str, str]]:
    from dicomstd._generated.iods import CLASSES, SOP_CLASSES

    return CLASSES, SOP_CLASSES


def names() -> tuple[str, ...]:
    """The class name of every IOD."""
    return tuple(sorted(_index()[0]))


def _load(name: str) -> type[IodModel]:
    classes, _ = _index()
    module = importlib.import_module(f"dicomstd._generated.iods.{classes[name]}")
    found: type[IodModel] = getattr(module, name)
    return found


def for_sop_class(uid: str) -> type[IodModel]:
    """The IOD class of a SOP Class UID; :class:`~dicomstd.errors.UnknownIODError` if none."""
    _, sop_classes = _index()
    name = sop_classes.get(bare_uid(uid))
    if name is None:
        raise UnknownIODError(uid, f"no IOD class for SOP Class UID {uid!r}")
    return _load(name)


if not TYPE_CHECKING:  # type checkers see the classes above: a misspelt name is an error

    def __getattr__(name: str) -> object:
        classes, _ = _index()
        if name not in classes:
            raise AttributeError(f"module 'dicomstd.iods' has no attribute {name!r}")
        return _load(name)
