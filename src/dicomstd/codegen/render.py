"""Render stage: the resolved model -> Python source under ``src/dicomstd/_generated``.

A strict Jinja2 environment (undefined names fail, ``trim_blocks``/``lstrip_blocks``, trailing
newline kept). Every naming and formatting decision is a filter registered in :data:`FILTERS`;
templates only lay out. Output is deterministic: collections are sorted here, headers carry no
time stamp. Files are written to a staging folder next to the target and formatted there while the
rendered sources are imported from memory (:func:`stage`); only then is the folder swapped in
whole (:mod:`dicomstd.codegen.output`), so a failure leaves the target untouched.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import json
import os
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2

from dicomstd.codegen.model import Standard
from dicomstd.vm import VM
from dicomstd.vr import BYTES_VRS, FLOAT_VRS, INT_VRS, STRING_VRS

TEMPLATES = Path(__file__).parent / "templates"
LINE = 100

PART_TITLES = {3: "PS3.3", 4: "PS3.4", 5: "PS3.5", 6: "PS3.6"}


# -- filters -----------------------------------------------------------------------------------
def py(value: object) -> str:
    """A Python literal for str, int, bool, None, or tuples of them (strings double-quoted)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
            return f'"{value}"'  # what json.dumps gives, without its cost
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        inner = ", ".join(py(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise TypeError(f"no literal for {type(value).__name__}")


def hex8(value: int) -> str:
    return f"0x{value:08X}"


def fit(
    items: Sequence[str], *, indent: int, open_: str = "(", close: str = ")", suffix: str = ","
) -> str:
    """``(a, b, c),`` on one line when it fits in :data:`LINE`, else one item per line."""
    pad = " " * indent
    joined = ", ".join(items) + ("," if len(items) == 1 and open_ == "(" else "")
    one = f"{pad}{open_}{joined}{close}{suffix}"
    if len(one) <= LINE:
        return one
    inner = " " * (indent + 4)
    lines = [f"{pad}{open_}"] + [f"{inner}{item}," for item in items] + [f"{pad}{close}{suffix}"]
    return "\n".join(lines)


def wrapped_string(text: str, *, indent: int, lead: int = 0) -> str:
    """A string literal split into adjacent literals so no line exceeds :data:`LINE`.

    ``lead`` counts what precedes the literal on its line after the indent (``name=``).
    """
    width = LINE - indent - 4
    literal = py(text)
    if len(literal) + indent + lead + 1 <= LINE:
        return literal
    chunks: list[str] = []
    current = ""
    for word in _split_keep_space(text):
        if current and len(py(current + word)) > width:
            chunks.append(current)
            current = word
        else:
            current += word
    if current:
        chunks.append(current)
    pad = " " * (indent + 4)
    body = "\n".join(pad + py(chunk) for chunk in chunks)
    return "(\n" + body + "\n" + " " * indent + ")"


def _split_keep_space(text: str) -> list[str]:
    out: list[str] = []
    word = ""
    for char in text:
        word += char
        if char in " \n":
            out.append(word)
            word = ""
    if word:
        out.append(word)
    return out


def row(values: Sequence[object], *, indent: int) -> str:
    """A tuple of literals as one line when it fits, else one (wrapped) item per line."""
    flat = [
        hex8(v) if isinstance(v, int) and not isinstance(v, bool) and v > 0xFFFF else py(v)
        for v in values
    ]
    one = fit(flat, indent=indent)
    if len(one) <= LINE:
        return one
    items = [
        wrapped_string(v, indent=indent + 4) if isinstance(v, str) else item
        for v, item in zip(values, flat, strict=True)
    ]
    pad = " " * indent
    inner = " " * (indent + 4)
    return "\n".join([f"{pad}("] + [f"{inner}{item}," for item in items] + [f"{pad}),"])


def call(
    name: str,
    args: Sequence[object],
    kwargs: Sequence[tuple[str, object]] = (),
    *,
    indent: int,
    suffix: str = ",",
) -> str:
    """``name(arg, …, key=value)`` on one line when it fits, else one argument per line."""

    def literal(value: object, lead: int, inner: int) -> str:
        if isinstance(value, Literal):
            return value.text
        if isinstance(value, str):
            return wrapped_string(value, indent=inner, lead=lead)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0xFFFF:
            return hex8(value)
        return py(value)

    def short(value: object) -> str:
        if isinstance(value, str):
            return py(value)
        return literal(value, 0, indent)

    flat = [short(a) for a in args] + [f"{k}={short(v)}" for k, v in kwargs]
    pad = " " * indent
    one = f"{pad}{name}({', '.join(flat)}){suffix}"
    if len(one) <= LINE and "\n" not in one:
        return one
    inner = indent + 4
    lines = [f"{pad}{name}("]
    lines += [f"{' ' * inner}{literal(a, 0, inner)}," for a in args]
    lines += [f"{' ' * inner}{k}={literal(v, len(k) + 1, inner)}," for k, v in kwargs]
    lines.append(f"{pad}){suffix}")
    return "\n".join(lines)


def literal(value: object) -> str:
    """A literal on one line: :func:`py`, ints above 0xFFFF in hex, :class:`Literal` as is."""
    if isinstance(value, Literal):
        return value.text
    if isinstance(value, int) and not isinstance(value, bool) and value > 0xFFFF:
        return hex8(value)
    return py(value)


def line_tuple(values: Sequence[object]) -> str:
    """A data table entry: a tuple of literals on one line (a changed value is a one-line
    diff that shows the entry's tag)."""
    inner = ", ".join(literal(v) for v in values)
    return f"({inner},)" if len(values) == 1 else f"({inner})"


def line_call(name: str, args: Sequence[object], kwargs: Sequence[tuple[str, object]] = ()) -> str:
    """``name(arg, …, key=value)`` on one line (a data table entry)."""
    inner = [literal(a) for a in args] + [f"{k}={literal(v)}" for k, v in kwargs]
    return f"{name}({', '.join(inner)})"


def long_lines(entries: Iterable[str], *, indent: int) -> bool:
    """Whether a table of one-line entries (each followed by a comma) has a line longer than
    :data:`LINE` (its file then says so to the linter)."""
    return any(indent + len(entry) + 1 > LINE for entry in entries)


class Literal:
    """Source text to place as is in :func:`call` arguments (a nested call, a name)."""

    def __init__(self, text: str) -> None:
        self.text = text


def docstring(text: str, *, indent: int = 0) -> str:
    """A triple-quoted docstring wrapped to :data:`LINE` columns."""
    safe = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    pad = " " * indent
    width = LINE - indent
    paragraphs = [p for p in safe.split("\n") if p.strip()]
    lines: list[str] = []
    for paragraph in paragraphs:
        if len(paragraph) <= width - 3 and "  " not in paragraph and "\t" not in paragraph:
            lines.append(paragraph.strip())  # what textwrap gives a line that fits
            continue
        lines.extend(
            textwrap.wrap(
                paragraph, width=width - 3, break_long_words=False, break_on_hyphens=False
            )
            or [""]
        )
    if len(lines) == 1 and len(lines[0]) + indent + 6 <= LINE:
        text_line = lines[0]
        if text_line.endswith('"'):
            text_line += " "
        return f'{pad}"""{text_line}"""'
    body = "\n".join(f"{pad}{line}" if line else "" for line in lines)
    return f'{pad}"""\n{body}\n{pad}"""'


def dict_entry(key: object, value: object, *, indent: int = 4) -> str:
    """``key: value,`` on one line when it fits in :data:`LINE`, else the value in parentheses
    on the next line."""
    pad = " " * indent
    line = f"{pad}{py(key)}: {py(value)},"
    if len(line) <= LINE:
        return line
    return f"{pad}{py(key)}: (\n{pad}    {py(value)}\n{pad}),"


# -- typing decisions --------------------------------------------------------------------------
def _scalar_type(vr: str) -> str:
    if vr in STRING_VRS:
        return "str"
    if vr in FLOAT_VRS:
        return "float"
    if vr in INT_VRS:
        return "int"
    if vr in BYTES_VRS:
        return "bytes"
    return "object"


def is_multiple(vrs: tuple[str, ...], vm: str) -> bool:
    """Whether values of these VRs and this VM are held as a tuple: the VM allows more than one
    value (``1-n``, ``2``, ``1-n or 1`` …), except for a single binary VR, whose one value is the
    bytes of them all."""
    binary = any(vr in BYTES_VRS for vr in vrs)
    return bool(vm) and VM.parse(vm).max != 1 and not (binary and len(vrs) == 1)


def python_type(vrs: tuple[str, ...], vm: str, item: str | None = None) -> str:
    """The annotation of a field: a sequence's tuple of ``item``, else the Python type of these
    VRs (``str``, ``float``, ``int``, ``bytes``; ``object`` when unknown), a tuple of it when
    :func:`is_multiple`; ``| None`` for an absent value."""
    if item is not None:
        return f"tuple[{item}, ...] | None"
    scalars = sorted({_scalar_type(vr) for vr in vrs}) if vrs else ["object"]
    if "object" in scalars:
        scalars = ["object"]
    scalar = " | ".join(scalars)
    if is_multiple(vrs, vm):
        inner = f"({scalar})" if len(scalars) > 1 else scalar
        return f"tuple[{inner}, ...] | None"
    return f"{scalar} | None"


def comment(text: str, *, indent: int = 0) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}# {line}" for line in textwrap.wrap(text, width=LINE - indent - 2))


FILTERS: dict[str, Callable[..., str]] = {
    "py": py,
    "hex8": hex8,
    "fit": fit,
    "wrapped_string": wrapped_string,
    "docstring": docstring,
    "comment": comment,
    "dict_entry": dict_entry,
    "python_type": python_type,
}


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


def header_parts(standard: Standard, numbers: Iterable[int]) -> list[dict[str, str]]:
    """What a generated file's header names of each input part it comes from, in part order."""
    wanted = set(numbers)
    return [
        {"title": PART_TITLES[p.number], "edition": p.edition, "sha256": p.sha256}
        for p in sorted(standard.parts, key=lambda p: p.number)
        if p.number in wanted
    ]


def part_label(standard: Standard, number: int) -> str:
    """``PS3.3 2016c`` (``PS3.3`` when the part is not an input)."""
    info = standard.part(number)
    return f"{PART_TITLES[number]} {info.edition}" if info is not None else PART_TITLES[number]


# -- files -------------------------------------------------------------------------------------
def plan(standard: Standard) -> dict[str, str]:
    """Every generated file: relative path -> source text."""
    from dicomstd.codegen import emit

    env = environment()
    files: dict[str, str] = {}
    for path, template, context in emit.files(standard):
        files[path] = env.get_template(template).render(**context)
    return files


def write(files: dict[str, str], out: Path) -> None:
    """Write ``files`` into ``out`` whole, replacing whatever folder it is (staged and checked
    by :func:`stage`, then swapped in by :func:`dicomstd.codegen.output.write_package`)."""
    from dicomstd.codegen import output

    output.write_package(files, out, refuse_foreign=False)


def stage(files: dict[str, str], staging: Path, origin: Path) -> None:
    """Write ``files`` into the empty folder ``staging``, formatted and import-checked; raise
    :class:`GeneratedCodeError` when they do not import. ``origin`` is where they will live
    (the file names of error messages).

    The import check runs on the rendered sources in memory (formatting changes layout, never
    meaning), half of it in a forked process; when there are two halves, another forked process
    writes the files meanwhile, and the formatter (a subprocess) rewrites them once written.
    """
    halves = _halves(files)
    background = bool(halves[1])
    with _ImportCheck(files, halves[1], origin) as other, _Writer(files, staging, background) as w:
        formatter = None
        try:
            problem = _import_group_result(files, halves[0], origin)
            w.wait()
            formatter = _start_formatter(staging)
            problem = problem or other.result()
        except BaseException:
            if formatter is not None:
                formatter.kill()
            raise
        finally:
            formatting = _finish_formatter(formatter) if formatter is not None else None
    # An import problem names the file and line; the formatter's message is the fallback.
    if problem is not None or formatting is not None:
        raise GeneratedCodeError(problem or f"the formatter failed: {formatting}")


def _write_tree(files: dict[str, str], folder: Path) -> None:
    made: set[Path] = set()
    for relative, text in sorted(files.items()):
        target = folder / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(text, encoding="utf-8")


class _Writer:
    """Writes the files into the staging folder: in a forked process when ``background`` (the
    import check runs meanwhile), else at once."""

    def __init__(self, files: dict[str, str], folder: Path, background: bool) -> None:
        self._args = (files, folder)
        self._background = background
        self._pool: Any = None
        self._future: Any = None

    def __enter__(self) -> _Writer:
        if not self._background:
            _write_tree(*self._args)
            return self
        from dicomstd.codegen import output

        self._pool = output.process_pool(1)
        self._future = self._pool.submit(_write_tree, *self._args)
        return self

    def wait(self) -> None:
        """Until the files are written (what writing raised, raised here)."""
        if self._future is not None:
            self._future.result()

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


_FORMAT_SCRIPT = """
import subprocess, sys
config, folder = sys.argv[1], sys.argv[2]
base = [sys.executable, "-m", "ruff"]
setup = None
if sys.platform.startswith("linux"):  # ruff ends with this process (prctl PR_SET_PDEATHSIG)
    import ctypes, os, signal
    prctl, parent = ctypes.CDLL(None).prctl, os.getpid()
    def setup():
        prctl(1, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)
for command in (
    base
    + ["check", "--quiet", "--no-cache", "--fix", "--select", "I,RUF022", "--config", config]
    + [folder],
    base + ["format", "--quiet", "--no-cache", "--config", config, folder],
):
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=setup)
    if done.returncode:
        sys.stderr.write(done.stderr or done.stdout)
        sys.exit(1)
"""


def _start_formatter(folder: Path) -> subprocess.Popen[str]:
    """Sort imports and format ``folder`` with the project's ruff (pinned version)."""
    from dicomstd.codegen import output

    config = Path(__file__).resolve().parent / "format.toml"
    command = [sys.executable, "-c", _FORMAT_SCRIPT, str(config), str(folder)]
    try:
        return subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=output.child_setup(),  # ends with this process
        )
    except OSError as error:
        raise GeneratedCodeError(f"cannot run the formatter: {error}") from None


def _finish_formatter(process: subprocess.Popen[str]) -> str | None:
    """Wait for the formatter; what it said when it failed."""
    _, errors = process.communicate()
    if process.returncode == 0:
        return None
    return errors.strip() or f"exit status {process.returncode}"


class GeneratedCodeError(Exception):
    """A generated file does not compile or import; nothing was swapped in."""


def _halves(files: dict[str, str]) -> tuple[list[str], list[str]]:
    """The modules split in two halves of about the same size (all in the first when there
    are not two cores to check them on)."""
    modules = sorted(r for r in files if r.endswith(".py"))
    if (os.cpu_count() or 1) < 2 or len(modules) < 8 or sys.platform == "win32":
        return modules, []
    halves: tuple[list[str], list[str]] = ([], [])
    totals = [0, 0]
    for relative in sorted(modules, key=lambda r: (-len(files[r]), r)):
        smaller = 0 if totals[0] <= totals[1] else 1
        halves[smaller].append(relative)
        totals[smaller] += len(files[relative])
    return sorted(halves[0]), sorted(halves[1])


class _ImportCheck:
    """One half of the import check in a forked process, from entering the block to
    :meth:`result`; nothing when the half is empty."""

    def __init__(self, files: dict[str, str], relatives: list[str], origin: Path) -> None:
        self._args = (files, relatives, origin)
        self._pool: Any = None
        self._future: Any = None

    def __enter__(self) -> _ImportCheck:
        files, relatives, origin = self._args
        if relatives:
            from dicomstd.codegen import output

            self._pool = output.process_pool(1)
            self._future = self._pool.submit(_import_group_result, files, relatives, origin)
        return self

    def result(self) -> str | None:
        if self._future is None:
            return None
        problem: str | None = self._future.result()
        return problem

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _import_group_result(files: dict[str, str], relatives: list[str], origin: Path) -> str | None:
    try:
        _import_group(files, relatives, origin)
    except GeneratedCodeError as error:
        return str(error)
    return None


_ALIAS = "_dicomstd_generated_check"


class _SourceImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``_dicomstd_generated_check[.…]`` from rendered sources held in memory."""

    def __init__(self, files: dict[str, str], origin: Path) -> None:
        self.files = files
        self.origin = origin
        self.paths: dict[str, str] = {}

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == _ALIAS:
            rest = ""
        elif fullname.startswith(_ALIAS + "."):
            rest = fullname[len(_ALIAS) + 1 :].replace(".", "/")
        else:
            return None
        for relative, package in ((f"{rest}/__init__.py".lstrip("/"), True), (f"{rest}.py", False)):
            if relative in self.files and (rest or package):
                self.paths[fullname] = relative
                spec = importlib.machinery.ModuleSpec(
                    fullname, self, origin=str(self.origin / relative), is_package=package
                )
                spec.has_location = True
                return spec
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        relative = self.paths[module.__name__]
        code = compile(self.files[relative], str(self.origin / relative), "exec", dont_inherit=True)
        exec(code, module.__dict__)


def _import_group(files: dict[str, str], relatives: list[str], origin: Path) -> None:
    """Import these generated modules (the package first) under a private name."""
    importer = _SourceImporter(files, origin)
    sys.meta_path.insert(0, importer)

    def load(relative: str) -> None:
        dotted = relative.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        importlib.import_module(_ALIAS if dotted == "__init__" else f"{_ALIAS}.{dotted}")

    try:
        modules = [r for r in relatives if r.endswith(".py") and r != "__init__.py"]
        for relative in ["__init__.py", *modules]:
            try:
                load(relative)
            except SyntaxError as error:
                where = _relative(error.filename, origin) or relative
                raise GeneratedCodeError(f"{where}:{error.lineno}: {error.msg}") from None
            except Exception as error:
                where = _failing_file(error, origin) or relative
                raise GeneratedCodeError(f"{where}: does not import: {error!r}") from None
    finally:
        sys.meta_path.remove(importer)
        for name in [n for n in sys.modules if n == _ALIAS or n.startswith(_ALIAS + ".")]:
            del sys.modules[name]


def _relative(filename: str | None, origin: Path) -> str | None:
    prefix = f"{origin}{os.sep}"
    if filename and filename.startswith(prefix):
        return filename[len(prefix) :].replace(os.sep, "/")
    return None


def _failing_file(error: BaseException, origin: Path) -> str | None:
    """``path:line`` of the innermost generated module in the traceback (the module that failed
    may be one that another imports)."""
    found = None
    traceback = error.__traceback__
    while traceback is not None:
        relative = _relative(traceback.tb_frame.f_code.co_filename, origin)
        if relative is not None:
            found = f"{relative}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return found
