"""The ``dicomstd`` command (also ``python -m dicomstd``).

``dicomstd lookup X`` — a tag, keyword or UID; ``dicomstd validate PATH...`` — check files
against their IOD; ``dicomstd skeleton SOPCLASS -o FILE`` — a data set of a SOP Class to fill
in. Exit status: 0 success, 1 not found / findings at or above ``--fail-on``, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from typing import Any

EXIT_OK = 0
EXIT_FOUND_PROBLEMS = 1
EXIT_USAGE = 2

_UID_TEXT = re.compile(r"^\d+(\.\d+)+$")


def _element_json(element: Any) -> dict[str, object]:
    return {
        "kind": "data element",
        "tag": element.tag_text,
        "keyword": element.keyword,
        "name": element.name,
        "vr": sorted(str(vr) for vr in element.vrs),
        "vm": element.vm.text,
        "retired": element.retired,
        "source": element.source,
        "note": element.note,
    }


def _uid_json(info: Any) -> dict[str, object]:
    return {
        "kind": "uid",
        "uid": info.value,
        "keyword": info.keyword,
        "name": info.name,
        "type": info.type,
        "part": info.part,
        "retired": info.retired,
        "source": info.source,
    }


def _text(record: dict[str, object]) -> str:
    retired = "  (retired)" if record.get("retired") else ""
    if record["kind"] == "uid":
        lines = [f"{record['uid']}  {record['keyword'] or '-'}{retired}", f"  {record['name']}"]
        details = [
            f"type: {record['type'] or '-'}",
            f"part: {record['part'] or '-'}",
            f"source: PS3.6 {record['source']}",
        ]
    else:
        vr = " or ".join(record["vr"]) if isinstance(record["vr"], list) and record["vr"] else "-"
        lines = [
            f"{record['tag']}  {record['keyword'] or '-'}{retired}",
            f"  {record['name'] or '-'}",
        ]
        details = [f"VR: {vr}", f"VM: {record['vm'] or '-'}", f"source: PS3.6 {record['source']}"]
        if record.get("note"):
            details.append(f"note: {record['note']}")
    lines.append("  " + "   ".join(details))
    return "\n".join(lines)


def cmd_lookup(args: argparse.Namespace) -> int:
    from dicomstd import dictionary, uid

    query: str = args.query.strip()

    def as_uid(text: str) -> dict[str, object] | None:
        info = uid.get(text)
        return _uid_json(info) if info is not None else None

    def as_element(text: str) -> dict[str, object] | None:
        element = dictionary.get(text)
        return _element_json(element) if element is not None else None

    # A dotted number is tried as a UID first; anything else as a tag or keyword first.
    order = (as_uid, as_element) if _UID_TEXT.match(query) else (as_element, as_uid)
    record = next((found for find in order if (found := find(query)) is not None), None)
    if record is None:
        print(f"dicomstd: {query!r} is not a tag, keyword or UID of the standard", file=sys.stderr)
        return EXIT_FOUND_PROBLEMS
    if args.format == "json":
        print(json.dumps(record, indent=2))
    else:
        print(_text(record))
    return EXIT_OK


COMMANDS = ("lookup", "validate", "skeleton", "standard")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the ``dicomstd`` command; with ``command``, of that sub-command only (a
    run imports only the module of its own command), else of every one (help, errors)."""
    parser = argparse.ArgumentParser(
        prog="dicomstd", description="The DICOM standard, typed and checked."
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="print the version and the standard editions it was generated from",
    )
    commands = parser.add_subparsers(dest="command")

    if command in (None, "lookup"):
        lookup = commands.add_parser("lookup", help="look up a tag, keyword or UID")
        lookup.add_argument(
            "query", help='a tag ("(0010,0010)", "00100010"), keyword ("PatientName") or UID'
        )
        lookup.add_argument("--format", choices=("text", "json"), default="text")
        lookup.set_defaults(run=cmd_lookup)
    if command in (None, "validate"):
        from dicomstd.validation import cli as validate_cli

        validate_cli.add_parser(commands)
    if command in (None, "skeleton"):
        from dicomstd import skeleton

        skeleton.add_parser(commands)
    if command in (None, "standard"):
        from dicomstd import standard

        standard.add_parser(commands)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names (its first word that is no option), if it is one."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(words))
    try:
        args = parser.parse_args(words)
    except SystemExit as exit_:
        return int(exit_.code) if isinstance(exit_.code, int) else EXIT_USAGE
    if args.version:
        from importlib.metadata import version

        from dicomstd._generated import PARTS

        editions = ", ".join(f"{part} {edition}" for part, edition, _ in PARTS)
        print(f"dicomstd {version('dicomstd')} (generated from {editions})")
        return EXIT_OK
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        print("dicomstd: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return code


if __name__ == "__main__":
    sys.exit(main())
