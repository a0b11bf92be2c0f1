"""Emit typed attrs classes: one per module and macro, one per IOD (composed of its modules).

Fields are named by keyword and typed from VR and VM (:func:`python_type`); sequences hold tuples
of item classes, nested in the class that owns the sequence — or the macro's own class when the
items are exactly one macro (``ConceptNameCodeSequence: tuple[CodeSequenceMacro, ...]``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dicomstd.codegen import naming, render
from dicomstd.codegen.model import Attribute, Iod, Module, Standard
from dicomstd.codegen.render import comment, docstring, py
from dicomstd.vm import VM
from dicomstd.vr import BYTES_VRS, FLOAT_VRS, INT_VRS, STRING_VRS

Context = dict[str, Any]


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


def is_multiple(vm: str) -> bool:
    """True when the VM allows more than one value (``1-n``, ``2``, ``1-n or 1`` …)."""
    return bool(vm) and VM.parse(vm).max != 1


def python_type(vrs: tuple[str, ...], vm: str) -> tuple[str, bool]:
    """The annotation for a value of these VRs and this VM, and whether it is a tuple."""
    scalars = sorted({_scalar_type(vr) for vr in vrs}) if vrs else ["object"]
    if "object" in scalars:
        scalars = ["object"]
    binary = any(vr in BYTES_VRS for vr in vrs)
    scalar = " | ".join(scalars)
    if is_multiple(vm) and not (binary and len(vrs) == 1):
        inner = f"({scalar})" if len(scalars) > 1 else scalar
        return f"tuple[{inner}, ...]", True
    return scalar, False


class _Writer:
    """Writes the source of one module's classes."""

    def __init__(
        self, macro_classes: dict[tuple[Attribute, ...], tuple[str, str]], own_key: str
    ) -> None:
        self.macro_classes = macro_classes
        self.own_key = own_key
        self.imports: set[tuple[str, str]] = set()
        self.uses_field = False

    def class_source(
        self, name: str, doc: str, attributes: tuple[Attribute, ...], indent: int
    ) -> list[str]:
        pad = " " * indent
        lines = [
            f"{pad}@attrs.frozen(slots=False, repr=False, eq=False)",
            f"{pad}class {name}(DatasetModel):",
            docstring(doc, indent=indent + 4),
            "",
        ]
        nested: list[list[str]] = []
        seen: set[str] = set()
        for attribute in attributes:
            if attribute.kind != "attribute" or attribute.tag is None:
                lines.extend(self.placeholder_comment(attribute, indent + 4))
                continue
            field_name = (
                attribute.keyword or naming.camel(attribute.name) or f"Tag{attribute.tag.value:08X}"
            )
            if field_name in seen or field_name in ("empty_tags",):
                where = f"{attribute.source} row {attribute.row}"
                note = f"{attribute.tag} {attribute.name} again at this level ({where}): first kept"
                lines.append(comment(note, indent=indent + 4))
                continue
            seen.add(field_name)
            lines.extend(self.field_source(field_name, attribute, indent + 4, nested))
        lines.append(
            f"{pad}    empty_tags: frozenset[int] = "
            "attrs.field(factory=frozenset, kw_only=True, repr=False)"
        )
        lines.append(f'{pad}    """Tags present with an empty value when read from a dataset."""')
        for block in nested:
            lines.append("")
            lines.extend(block)
        return lines

    def placeholder_comment(self, attribute: Attribute, indent: int) -> list[str]:
        where = f"{attribute.source} row {attribute.row}"
        if attribute.kind == "any-attribute":
            text = f"{where}: {attribute.name} (not a field)"
        elif attribute.kind == "unresolved-include":
            text = f"{where}: includes {attribute.target}, which is not in the input"
        elif attribute.kind == "include-cycle":
            text = f"{where}: includes {attribute.target} again (a recursive structure)"
        else:
            text = f"{where}: {attribute.name}"
        return [comment(text, indent=indent)]

    def field_source(
        self, field_name: str, attribute: Attribute, indent: int, nested: list[list[str]]
    ) -> list[str]:
        assert attribute.tag is not None
        pad = " " * indent
        type_text = attribute.type.value if attribute.type is not None else ""
        vr_text = " ".join(attribute.vrs)
        item: str | None = None
        if attribute.items or "SQ" in attribute.vrs:
            item = self.item_class(field_name, attribute, indent, nested)
            annotation = f"tuple[{item}, ...] | None"
            multiple = True
        else:
            annotation, multiple = python_type(attribute.vrs, attribute.vm)
            annotation += " | None"
        args = [
            render.hex8(attribute.tag.value),
            py(attribute.keyword or field_name),
            py(type_text),
            py(vr_text),
            py(attribute.vm),
        ]
        if item is not None:
            args.append(f"item={py(item)}")
        if multiple and item is None:
            args.append("multiple=True")
        line = f"{pad}{field_name}: {annotation} = field({', '.join(args)})"
        self.uses_field = True
        vm_text = attribute.vm or "unknown"
        what = f"{attribute.name} {attribute.tag}: Type {type_text or '-'}, "
        what += f"{vr_text or 'VR unknown'}, VM {vm_text}"
        if not attribute.in_dictionary:
            what += " (not in the PS3.6 dictionary of this build)"
        if attribute.retired:
            what += ". Retired"
        return [line, docstring(what + ".", indent=indent)]

    def item_class(
        self, field_name: str, attribute: Attribute, indent: int, nested: list[list[str]]
    ) -> str:
        reused = self.macro_classes.get(attribute.items)
        if reused is not None and attribute.items:
            key, class_name = reused
            if key != self.own_key:
                self.imports.add((key, class_name))
            return class_name
        class_name = f"{field_name}Item"
        doc = (
            f"An Item of {attribute.name} {attribute.tag} ({attribute.source} row {attribute.row})."
        )
        nested.append(self.class_source(class_name, doc, attribute.items, indent))
        return class_name


def _macro_classes(standard: Standard) -> dict[tuple[Attribute, ...], tuple[str, str]]:
    out: dict[tuple[Attribute, ...], tuple[str, str]] = {}
    for module in standard.modules:
        if module.kind == "macro" and "__" not in module.key and module.attributes:
            out.setdefault(module.attributes, (module.key, class_name(module)))
    return out


def class_name(module: Module) -> str:
    return naming.class_name(module.name)


def files(standard: Standard) -> Iterator[tuple[str, str, Context]]:
    if standard.part03 is None:
        return
    edition = render.part_label(standard, 3)
    macros = _macro_classes(standard)
    parts = render.header_parts(standard, (3, 4, 6))
    iods = {iod.key: iod for iod in standard.iods}
    iod_names = {iod.key: naming.class_name(iod.name) for iod in standard.iods}
    names: dict[str, str] = {}
    for module in standard.modules:
        writer = _Writer(macros, module.key)
        label = module.source.removeprefix("table_")
        iod_key = module.key.partition("__")[2]
        if iod_key:
            name = iod_names[iod_key] + class_name(module)
            iod_name = iods[iod_key].name
            doc = (
                f"{module.name} of the {iod_name} IOD ({edition} table {label}), the IOD's "
                "functional group macros in the items of its functional groups sequences."
            )
        else:
            name = class_name(module)
            doc = f"{module.name}: {edition} table {label}."
        names[module.key] = name
        body = writer.class_source(name, doc, module.attributes, 0)
        yield (
            f"modules/{module.key}.py",
            "classes.py.j2",
            {
                "parts": parts,
                "doc": f"{doc.rstrip('.')} as a typed class.",
                "imports": sorted(writer.imports),
                "typing_imports": [],
                "body": body,
                "class_name": name,
                "iod": False,
                "uses_field": writer.uses_field,
            },
        )
    yield (
        "modules/__init__.py",
        "classes_index.py.j2",
        {
            "parts": parts,
            "doc": f"Typed classes of every module and macro of {edition}, imported on first use.",
            "entries": sorted((name, key) for key, name in names.items()),
            "class_lines": _dict_lines(sorted((name, key) for key, name in names.items())),
            "sop_classes": [],
        },
    )
    iod_entries = []
    sop_entries: list[tuple[str, str]] = []
    for iod in standard.iods:
        yield _iod_file(iod, names, parts, edition)
        iod_entries.append((iod_names[iod.key], iod.key))
        sop_entries.extend((uid, iod_names[iod.key]) for uid, _ in iod.sop_classes)
    yield (
        "iods/__init__.py",
        "classes_index.py.j2",
        {
            "parts": parts,
            "doc": f"Typed classes of every IOD of {edition}, imported on first use.",
            "entries": sorted(iod_entries),
            "class_lines": _dict_lines(sorted(iod_entries)),
            "sop_classes": sorted(sop_entries),
        },
    )


def _dict_lines(entries: list[tuple[str, str]]) -> list[str]:
    lines = []
    for name, key in entries:
        line = f"    {py(name)}: {py(key)},"
        if len(line) > render.LINE:
            line = f"    {py(name)}: (\n        {py(key)}\n    ),"
        lines.append(line)
    return lines


def _iod_file(
    iod: Iod, names: dict[str, str], parts: list[Context], edition: str
) -> tuple[str, str, Context]:
    fields: list[str] = []
    iod_class = naming.class_name(iod.name)
    used: set[str] = set()
    typing_imports: set[tuple[str, str]] = set()
    for use in iod.modules:
        if use.module is None:
            where = f"{iod.source} row {use.row}"
            fields.append(comment(f"{use.name}: its table is not in the input ({where})", indent=4))
            continue
        module_class = names[use.module]
        typing_imports.add((use.module, module_class))
        field_name = naming.snake(use.name)
        if field_name in used:
            field_name = f"{field_name}_{use.row}"
        used.add(field_name)
        required = use.usage.value == "M"
        annotation = module_class if required else f"{module_class} | None"
        args = f"{py(use.module)}, {py(module_class)}, {py(use.usage.value)}, {py(use.ie)}"
        fields.append(f"    {field_name}: {annotation} = module_field({args}, required={required})")
        condition = f" {use.condition}" if use.condition else ""
        text = f"{use.name} ({use.ie} IE): usage {use.usage.value}.{condition}"
        fields.append(docstring(text, indent=4))
    sop = ", ".join(f"{name} ({uid})" for uid, name in iod.sop_classes) or "none in PS3.4"
    label = iod.source.removeprefix("table_")
    uids = py(tuple(uid for uid, _ in iod.sop_classes))
    lines = [
        "@attrs.frozen(slots=False, repr=True, eq=True)",
        f"class {iod_class}(IodModel):",
        docstring(f"{iod.name} IOD: {edition} table {label}. SOP Classes: {sop}.", indent=4),
        "",
        f"    SOP_CLASS_UIDS: ClassVar[tuple[str, ...]] = {uids}",
        "",
        *fields,
    ]
    return (
        f"iods/{iod.key}.py",
        "classes.py.j2",
        {
            "parts": parts,
            "doc": f"The {iod.name} IOD ({edition} table {label}) as a typed class.",
            "imports": [],
            "typing_imports": sorted(typing_imports),
            "body": lines,
            "class_name": iod_class,
            "iod": True,
            "uses_field": False,
        },
    )
