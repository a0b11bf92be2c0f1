"""Typed classes of the modules and macros of PS3.3: ``from dicomstd.modules import PatientModule``.

Each class loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dicomstd.model import module_class

if TYPE_CHECKING:
    from dicomstd._generated.modules import *  # noqa: F403

__all__ = ["names"]


def names() -> tuple[str, ...]:
    """The class name of every module and macro."""
    from dicomstd._generated.modules import CLASSES

    return tuple(sorted(CLASSES))


if not TYPE_CHECKING:  # type checkers see the classes above: a misspelt name is an error

    def __getattr__(name: str) -> object:
        from dicomstd._generated.modules import CLASSES

        key = CLASSES.get(name)
        if key is None:
            raise AttributeError(f"module 'dicomstd.modules' has no attribute {name!r}")
        return module_class(key, name)
