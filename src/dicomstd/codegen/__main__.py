"""Command line of the generator: ``python -m dicomstd.codegen generate|conditions|fetch|diff``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dicomstd.codegen import inputs
from dicomstd.codegen.diagnostics import InputError
from dicomstd.codegen.output import OutputError
from dicomstd.codegen.render import GeneratedCodeError

EXTENSIONS: list[tuple[str, str, str]] = [
    (
        "fetch",
        "dicomstd.codegen.fetch",
        "download parts of an edition into the cache; --pin pins them",
    ),
    ("diff", "dicomstd.codegen.diff", "report what changed between two editions of the standard"),
    (
        "conditions",
        "dicomstd.codegen.conditions",
        "how many PS3.3 condition texts parse into trees",
    ),
]
"""(command, module, help) of the subcommands implemented in their own modules."""

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "_generated"


def cmd_generate(args: argparse.Namespace) -> int:
    from dicomstd.codegen import output, pipeline

    out = Path(args.out) if args.out else DEFAULT_OUT
    report = Path(args.report) if args.report else None
    output.check_target(out, report)  # before the standard is read: a usage error fails fast
    output.recover(out)  # what killed runs left
    standard, count = pipeline.generate(inputs.explicit_parts(args.part), out, report)
    if not args.quiet:
        print(pipeline.summary_line(standard, count, out), file=sys.stderr)
    return 0


def cmd_check_generated(args: argparse.Namespace) -> int:
    """Prove the committed generated code equals a fresh generation from the pinned inputs."""
    import filecmp
    import os
    import tempfile

    from dicomstd.codegen import inputs, pipeline, render

    committed = Path(args.out) if args.out else DEFAULT_OUT
    pins = inputs.read_pins()
    missing = [p for p in pins.values() if inputs.locate(p.edition, p.part) is None]
    if missing:
        names = ", ".join(f"PS3.{p.part} {p.edition}" for p in missing)
        message = (
            f"check-generated: pinned inputs not available ({names}); set DICOMSTD_STANDARD_DIR"
        )
        if os.environ.get("CI", "").lower() == "true":
            print(f"error: {message}", file=sys.stderr)
            return 1
        print(f"skipped {message}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "_generated"
        standard = pipeline.build(inputs.resolve({}, pins))
        render.write(render.plan(standard), fresh)
        differences = _compare(committed, fresh, filecmp)
    if differences:
        print(
            "error: src/dicomstd/_generated differs from a fresh generation (run `make generate`):",
            file=sys.stderr,
        )
        for line in differences:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(
        f"check-generated: {committed} equals a fresh generation from the pinned inputs",
        file=sys.stderr,
    )
    return 0


def _files(root: Path) -> set[str]:
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def _compare(committed: Path, fresh: Path, filecmp: Any) -> list[str]:
    ours, theirs = _files(committed) if committed.exists() else set(), _files(fresh)
    out = [f"missing: {name}" for name in sorted(theirs - ours)]
    out += [f"not generated any more: {name}" for name in sorted(ours - theirs)]
    out += [
        f"differs: {name}"
        for name in sorted(ours & theirs)
        if not filecmp.cmp(committed / name, fresh / name, shallow=False)
    ]
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dicomstd.codegen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser(
        "generate", help="parse the standard and write src/dicomstd/_generated"
    )
    inputs.add_part_option(generate)
    generate.add_argument("--out", metavar="DIR", help=f"output folder (default {DEFAULT_OUT})")
    generate.add_argument("--report", metavar="PATH", help="write the JSON generation report here")
    generate.add_argument("--quiet", action="store_true", help="no summary line on stderr")
    generate.set_defaults(run=cmd_generate)

    check = commands.add_parser(
        "check-generated",
        help="fail when the committed generated code is not what the pinned inputs give",
    )
    check.add_argument(
        "--out",
        metavar="DIR",
        help="the committed folder to check (default: src/dicomstd/_generated)",
    )
    check.set_defaults(run=cmd_check_generated)

    # Commands living in their own modules: each has add_arguments(parser) and run(args) -> int,
    # and imports its heavy dependencies inside run().
    for name, module_name, help_text in EXTENSIONS:
        module = importlib.import_module(module_name)
        sub = commands.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except ValueError as error:
        parser.error(str(error))
    except OutputError as error:  # --out or --report refused: nothing changed
        print(f"error: {error}", file=sys.stderr)
        return 2
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except GeneratedCodeError as error:
        print(f"error: generated code is broken, nothing written: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped (``… | head``): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
