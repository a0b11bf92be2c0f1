"""Render stage: the resolved model -> Python source under ``src/dicomstd/_generated``.

A strict Jinja2 environment (undefined names fail, ``trim_blocks``/``lstrip_blocks``, trailing
newline kept). Every naming and formatting decision is a filter registered in :data:`FILTERS`;
templates only lay out. Output is deterministic: collections are sorted here, headers carry no
time stamp. Files are written to a temporary folder next to the target, imported from there, and
only then swapped in whole, so a failure leaves the target untouched.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import jinja2

from codegen import naming
from codegen.model import PartInfo, Standard

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


def comment(text: str, *, indent: int = 0) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}# {line}" for line in textwrap.wrap(text, width=LINE - indent - 2))


FILTERS: dict[str, Callable[..., str]] = {
    "py": py,
    "hex8": hex8,
    "fit": fit,
    "wrapped_string": wrapped_string,
    "row": row,
    "call": call,
    "docstring": docstring,
    "comment": comment,
    "snake": naming.snake,
    "class_name": naming.class_name,
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


def header_parts(standard: Standard, numbers: Iterable[int]) -> list[PartInfo]:
    wanted = set(numbers)
    return sorted((p for p in standard.parts if p.number in wanted), key=lambda p: p.number)


# -- files -------------------------------------------------------------------------------------
def plan(standard: Standard) -> dict[str, str]:
    """Every generated file: relative path -> source text."""
    from codegen import emit

    env = environment()
    files: dict[str, str] = {}
    for path, template, context in emit.files(standard):
        files[path] = env.get_template(template).render(**context)
    return files


def write(files: dict[str, str], out: Path, *, package: str = "dicomstd._generated") -> None:
    """Write ``files`` into ``out`` atomically: temp folder, import check, then swap."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".generating-", dir=out.parent))
    checking = Path(tempfile.mkdtemp(prefix=".checking-"))
    try:
        for folder in (staging, checking):
            for relative, text in sorted(files.items()):
                target = folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        # The formatter (a subprocess) rewrites the staging copy while this process imports
        # the other copy: formatting changes layout, never meaning.
        formatter = _start_formatter(staging)
        try:
            check_imports(checking, sorted(files))
        finally:
            _finish_formatter(formatter)
        backup = out.parent / f".previous-{out.name}"
        if backup.exists():
            shutil.rmtree(backup)
        if out.exists():
            out.rename(backup)
        staging.chmod(0o755)
        staging.rename(out)
        if backup.exists():
            shutil.rmtree(backup)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(checking, ignore_errors=True)


_FORMAT_SCRIPT = """
import subprocess, sys
config, folder = sys.argv[1], sys.argv[2]
base = [sys.executable, "-m", "ruff"]
for command in (
    base + ["check", "--quiet", "--fix", "--select", "I", "--config", config, folder],
    base + ["format", "--quiet", "--config", config, folder],
):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr or done.stdout)
        sys.exit(1)
"""


def _start_formatter(folder: Path) -> subprocess.Popen[str]:
    config = Path(__file__).resolve().parent.parent / "pyproject.toml"
    command = [sys.executable, "-c", _FORMAT_SCRIPT, str(config), str(folder)]
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as error:
        raise GeneratedCodeError(f"cannot run the formatter: {error}") from None


def _finish_formatter(process: subprocess.Popen[str]) -> None:
    _, errors = process.communicate()
    if process.returncode != 0:
        raise GeneratedCodeError(f"the formatter failed: {errors.strip()}")


def format_python(folder: Path) -> None:
    """Sort imports and format the generated files with the project's ruff (pinned version)."""
    config = Path(__file__).resolve().parent.parent / "pyproject.toml"
    base = [sys.executable, "-m", "ruff"]
    for command in (
        [*base, "check", "--quiet", "--fix", "--select", "I", "--config", str(config), str(folder)],
        [*base, "format", "--quiet", "--config", str(config), str(folder)],
    ):
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as error:
            raise GeneratedCodeError(f"cannot run the formatter: {error}") from None
        if result.returncode != 0:
            message = result.stderr.strip() or result.stdout.strip()
            raise GeneratedCodeError(f"the formatter failed: {message}")


class GeneratedCodeError(Exception):
    """A generated file does not compile or import; nothing was swapped in."""


def check_imports(folder: Path, relatives: list[str]) -> None:
    """Import every generated module from ``folder``; on several cores, two halves at once.

    Each half runs in a forked process (the core modules are already imported there), so the
    check costs about half as long; an import error names the file either way.
    """
    modules = sorted(r for r in relatives if r.endswith(".py"))
    workers = min(2, os.cpu_count() or 1)
    if workers < 2 or len(modules) < 8 or sys.platform == "win32":
        _import_group(folder, modules)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    sizes = {r: (folder / r).stat().st_size for r in modules}
    halves: list[list[str]] = [[], []]
    totals = [0, 0]
    for relative in sorted(modules, key=lambda r: -sizes[r]):
        smaller = 0 if totals[0] <= totals[1] else 1
        halves[smaller].append(relative)
        totals[smaller] += sizes[relative]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        other = pool.submit(_import_group_result, folder, sorted(halves[1]))
        _import_group(folder, sorted(halves[0]))
        problem = other.result()
    if problem is not None:
        raise GeneratedCodeError(problem)


def _import_group_result(folder: Path, relatives: list[str]) -> str | None:
    try:
        _import_group(folder, relatives)
    except GeneratedCodeError as error:
        return str(error)
    return None


def _import_group(folder: Path, relatives: list[str]) -> None:
    """Import these generated modules from ``folder``, as a package under a private name."""
    alias = "_dicomstd_generated_check"
    spec = importlib.util.spec_from_file_location(
        alias, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise GeneratedCodeError(f"{folder}: no package to import")
    loader = spec.loader
    package = importlib.util.module_from_spec(spec)
    sys.modules[alias] = package

    def load(relative: str) -> None:
        if relative == "__init__.py":
            loader.exec_module(package)
            return
        dotted = relative.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        importlib.import_module(f"{alias}.{dotted}")

    try:
        modules = [r for r in relatives if r.endswith(".py") and r != "__init__.py"]
        for relative in ["__init__.py", *modules]:
            try:
                load(relative)
            except SyntaxError as error:
                raise GeneratedCodeError(f"{relative}:{error.lineno}: {error.msg}") from None
            except Exception as error:
                raise GeneratedCodeError(f"{relative}: does not import: {error!r}") from None
    finally:
        for name in [n for n in sys.modules if n == alias or n.startswith(alias + ".")]:
            del sys.modules[name]
