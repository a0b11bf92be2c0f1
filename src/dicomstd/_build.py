"""Which generated build the runtime uses.

The package carries the build it was installed with in ``dicomstd._generated``. Setting the
environment variable ``DICOMSTD_BUILD`` to the folder of another generated package (the ``--out``
of ``python -m dicomstd.codegen generate``) makes the runtime use that one instead, for the whole
process: ``DICOMSTD_BUILD=build/full/_generated dicomstd validate MR.dcm``.
"""

from __future__ import annotations

import os
import sys

__all__ = ["ENVIRONMENT_VARIABLE", "BuildSelectionError", "select", "select_for_process"]

ENVIRONMENT_VARIABLE = "DICOMSTD_BUILD"
PACKAGE = "dicomstd._generated"


class BuildSelectionError(ImportError):
    """``DICOMSTD_BUILD`` names a folder that is not a generated package."""


def select() -> None:
    """Load the build ``DICOMSTD_BUILD`` names as ``dicomstd._generated`` (once, before use)."""
    folder = os.environ.get(ENVIRONMENT_VARIABLE)
    if not folder or PACKAGE in sys.modules:
        return
    import importlib.util
    from pathlib import Path

    init = Path(folder) / "__init__.py"
    if not init.is_file():
        raise BuildSelectionError(
            f"{ENVIRONMENT_VARIABLE}={folder!r} is not a generated dicomstd package "
            "(no __init__.py there); unset it or point it at the --out folder of a generation"
        )
    spec = importlib.util.spec_from_file_location(
        PACKAGE, init, submodule_search_locations=[str(init.parent)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[PACKAGE]
        raise


def select_for_process() -> None:
    """:func:`select`, where a bad ``DICOMSTD_BUILD`` ends the ``dicomstd`` command with its
    message and exit status 2 (a usage error) instead of a traceback; in any other program it
    raises :class:`BuildSelectionError` (an ImportError of ``import dicomstd``)."""
    try:
        select()
    except BuildSelectionError as error:
        if not _is_the_command():
            raise
        print(f"dicomstd: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def _is_the_command() -> bool:
    """Whether this process is the ``dicomstd`` command (its console script, or ``python -m
    dicomstd``): the package is imported before the command's own code can catch anything."""
    import itertools
    from pathlib import Path

    if Path(sys.argv[0]).name in ("dicomstd", "dicomstd.exe"):
        return True
    original = getattr(sys, "orig_argv", [])
    return any(
        flag == "-m" and module == "dicomstd" for flag, module in itertools.pairwise(original)
    )
