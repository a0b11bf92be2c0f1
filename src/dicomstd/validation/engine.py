"""The validation engine: one walk over a dataset against the plan of its IOD.

A *plan* is compiled once per IOD from :mod:`dicomstd.spec` and cached: per module its usage,
condition and the tags that show it is present; per level (a module's top level, or the items of
a sequence) its Type 1 and Type 2 tags as sets, its conditional attributes, its attributes with
Enumerated Values or Defined Terms, and the plans of its sequences' items.

The walk visits every element of every level once: the values of each element (VR of explicit-VR
elements, VM, the PS3.5 rules of its VR, retired, defined at this level), then the requirements of
the level (missing Type 1/2 attributes are set differences; Types 1C/2C have their conditions
evaluated), then the items of its sequences with the items' own requirements. Functional groups of
enhanced multi-frame IODs are checked frame by frame: a required group must be in the shared item
or in the frame's per-frame item, and not in both (PS3.3 C.7.6.16).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from dicomstd import conditions, dictionary, spec
from dicomstd.conditions import Condition, Unverifiable
from dicomstd.tag import tag_text as _tag_text
from dicomstd.validation import values as rules
from dicomstd.validation.findings import CODES, Finding, ValidationResult
from dicomstd.vr import PADDING as _PADDING
from dicomstd.vr import bare_text

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

    from dicomstd.vm import VM

__all__ = ["validate_dataset"]

SOP_CLASS_UID = 0x00080016
SPECIFIC_CHARACTER_SET = 0x00080005
SHARED_FUNCTIONAL_GROUPS = 0x52009229
PER_FRAME_FUNCTIONAL_GROUPS = 0x52009230
PIXEL_DATA_TAGS = frozenset({0x7FE00010, 0x7FE00008, 0x7FE00009})
# Allowed in any data set whatever its IOD: Data Set Trailing Padding (PS3.10 7.2).
ALWAYS_ALLOWED = frozenset({0xFFFCFFFC})
MAX_DEPTH = 64

_STRING_VRS = rules.string_vrs()
_NEVER_SPLIT = rules.NEVER_SPLIT
_BINARY_VRS = rules.binary_vrs()
_WORDS = frozenset({"OB", "OW", "OF", "OD", "OL", "OV", "UN"})
_DECODED_VRS = frozenset({"LO", "LT", "PN", "SH", "ST", "UC", "UT"})
_MISSING_CODES = {
    "1": "type1-missing",
    "2": "type2-missing",
    "1C": "type1c-missing",
    "2C": "type2c-missing",
}


# -- what the dictionary says about a tag, once per tag ------------------------------------------
class _TagInfo:
    __slots__ = ("keyword", "name", "retired", "single", "source", "vm", "vr", "vrs")

    def __init__(self, entry: dictionary.DataElement) -> None:
        self.keyword = entry.keyword
        self.name = entry.name
        self.retired = entry.retired
        self.source = entry.source
        self.vrs = frozenset(str(v) for v in entry.vrs)
        self.vr = next(iter(self.vrs)) if len(self.vrs) == 1 else None
        self.vm: VM = entry.vm
        # VM 1 holds exactly one value: the common case needs no call to accepts().
        self.single = entry.vm.text == "1"


_INFO: dict[int, _TagInfo | None] = {}


def _info(tag: int) -> _TagInfo | None:
    try:
        return _INFO[tag]
    except KeyError:
        entry = dictionary.get(int(tag))
        found = _INFO[int(tag)] = _TagInfo(entry) if entry is not None else None
        return found


@cache
def _keyword(tag: int) -> str:
    info = _info(tag)
    return info.keyword if info is not None and info.keyword else _tag_text(tag)


# -- conditions -----------------------------------------------------------------------------------
@cache
def _condition(text: str | None) -> Condition | None:
    """The parsed condition for a text (a text the generated table lacks is unverifiable), or
    None when there is no text."""
    if not text:
        return None
    found = conditions.for_text(text)
    return found if found is not None else Condition(Unverifiable(text), None, text)


def _holds(
    condition: Condition | None, scopes: Sequence[Dataset], facts: conditions.Facts
) -> bool | None:
    """Whether the requirement of a condition holds: True, False, or None (unknown)."""
    return True if condition is None else condition.evaluate(scopes, facts)


def _outcome(
    condition: Condition | None, scopes: Sequence[Dataset], facts: conditions.Facts
) -> str:
    """``required``, ``optional``, ``forbidden``, ``unspecified`` or ``unknown`` (PS3.5 7.4)."""
    return "required" if condition is None else condition.outcome(scopes, facts)


def _module_presence(plan: _Plan, elements: Mapping[int, Any]) -> Callable[[str], bool]:
    """What conditions ask of a module ("the Mask Module is present"), by its table: present by
    the rule of :func:`_modules`; a module the IOD does not have is not present."""
    keys = elements.keys()

    def present(source: str) -> bool:
        return any(m.reference == source and not keys.isdisjoint(m.presence) for m in plan.modules)

    return present


# -- plans ----------------------------------------------------------------------------------------
class _Check:
    __slots__ = (
        "condition",
        "functional_group",
        "include_condition",
        "items",
        "keyword",
        "memo",
        "name",
        "reference",
        "tag",
        "tag_text",
        "type",
        "values",
    )

    def __init__(self, attribute: spec.AttributeSpec) -> None:
        self.tag = int(attribute.tag)
        self.keyword = attribute.keyword or attribute.name
        self.name = attribute.name
        self.type = attribute.type.value if attribute.type is not None else "3"
        self.condition = _condition(attribute.condition) if self.type in ("1C", "2C") else None
        self.include_condition = _condition(attribute.include_condition)
        self.values = tuple(v for v in attribute.values if not v.qualifier)
        self.reference = attribute.source
        self.functional_group = attribute.functional_group
        self.items: _Level | None = (
            _Level(attribute.items, attribute.placeholders) if attribute.is_sequence else None
        )
        self.tag_text = _tag_text(self.tag)
        # Findings are immutable: the same finding at the same place is made once.
        self.memo: dict[tuple[str, str, str], Finding] = {}

    def message(self, code: str) -> str:
        what = f"Type {self.type} {self.name}"
        if code in _MISSING_CODES.values():
            return f"{what} {self.tag_text} is absent"
        if code in ("type1-empty", "type1c-empty"):
            empty = "has no Items" if self.items is not None else "has no value"
            return f"{what} {self.tag_text} {empty}"
        text = self.condition.text if self.condition is not None else ""
        if code == "unverifiable-condition":
            return f"{what} is absent; whether it is required cannot be determined: {text}"
        assert code == "condition-not-met-present", code
        return f"{what} is present but its condition does not hold: {text}"

    def report(self, ctx: _Context, code: str, path: str, module: str) -> None:
        key = (code, path, module)
        finding = self.memo.get(key)
        if finding is None:
            finding = Finding(
                CODES[code][0],
                code,
                self.tag_text,
                self.keyword,
                _join(path, self.keyword),
                module,
                self.message(code),
                self.reference,
            )
            if len(self.memo) < 256:
                self.memo[key] = finding
        ctx.findings.append(finding)


class _Level:
    """The requirements of one level: a module's top level, or the items of a sequence."""

    __slots__ = (
        "by_tag",
        "checks",
        "gaps",
        "open",
        "order",
        "required",
        "special",
        "tags",
        "type1",
        "type2",
        "valued",
    )

    def __init__(
        self, attributes: Iterable[spec.AttributeSpec], placeholders: Iterable[spec.Placeholder]
    ) -> None:
        self.checks = tuple(_Check(a) for a in attributes)
        self.by_tag: dict[int, _Check] = {}
        for check in self.checks:
            self.by_tag.setdefault(check.tag, check)
        self.tags = frozenset(self.by_tag)
        self.order = {check.tag: index for index, check in enumerate(self.checks)}
        plain = [
            c for c in self.checks if c.include_condition is None and c.functional_group is None
        ]
        self.type1 = frozenset(c.tag for c in plain if c.type == "1")
        self.type2 = frozenset(c.tag for c in plain if c.type == "2")
        self.required = self.type1 | self.type2
        self.special = tuple(
            c
            for c in self.checks
            if c.functional_group is None
            and (c.include_condition is not None or c.type in ("1C", "2C"))
        )
        self.valued = tuple(c for c in plain if c.values and c.type in ("1", "2", "3"))
        held = tuple(placeholders)
        self.open = any(p.kind == "any-attribute" for p in held)
        self.gaps = tuple(p for p in held if p.kind in ("unresolved-include", "recursive-include"))


class _Module:
    __slots__ = ("condition", "level", "name", "presence", "reference", "tags", "usage")

    def __init__(self, use: spec.ModuleUse) -> None:
        assert use.module is not None
        self.name = use.name
        self.usage = use.usage.value
        self.condition = _condition(use.condition) if use.usage.value == "C" else None
        self.reference = use.module.source
        self.level = _Level(use.module.attributes, use.module.placeholders)
        self.tags = self.level.tags
        self.presence = self.tags  # narrowed by _Plan to the tags no other module has


class _Group:
    """A functional group macro as an IOD uses it."""

    __slots__ = ("condition", "name", "note", "reference", "shared_forbidden", "tags", "usage")

    def __init__(self, use: spec.ModuleUse) -> None:
        assert use.module is not None
        self.name = use.name
        self.usage = use.usage.value
        self.condition = _condition(use.condition) if use.usage.value == "C" else None
        self.reference = use.module.source
        self.tags = frozenset(int(a.tag) for a in use.module.attributes)
        self.note = use.note
        # "M - May not be used as a Shared Functional Group." (Frame Content, A.38-2 …)
        self.shared_forbidden = "not be used as a shared functional group" in use.note.lower()


class _Plan:
    __slots__ = ("all_tags", "groups", "key", "modules", "name", "owners")

    def __init__(self, iod: spec.IodSpec) -> None:
        self.key = iod.key
        self.name = iod.name
        self.modules = tuple(_Module(u) for u in iod.modules if u.module is not None)
        self.groups = tuple(_Group(u) for u in iod.functional_groups if u.module is not None)
        tags: set[int] = set()
        for module in self.modules:
            tags |= module.tags
        self.all_tags = frozenset(tags | ALWAYS_ALLOWED)
        owners: dict[int, list[_Module]] = {}
        for module in self.modules:
            for tag in module.tags:
                owners.setdefault(tag, []).append(module)
        self.owners = {tag: tuple(found) for tag, found in owners.items()}
        # A module is present when an attribute of its own is: one it shares with another
        # module (Instance Number is in General Image and in Structure Set) proves nothing.
        for module in self.modules:
            own = frozenset(tag for tag in module.tags if len(self.owners[tag]) == 1)
            module.presence = own or module.tags


@cache
def _plan(key: str) -> _Plan:
    return _Plan(spec.iod(key))


# -- the walk -------------------------------------------------------------------------------------
class _Context:
    """State of one walk: findings, the encoding, what was already reported once."""

    __slots__ = ("explicit", "facts", "findings", "once", "text_decoding")

    def __init__(self, explicit: bool, text_decoding: bool) -> None:
        self.facts = conditions.NO_FACTS
        self.findings: list[Finding] = []
        self.explicit = explicit
        self.text_decoding = text_decoding
        self.once: set[tuple[str, str]] = set()

    def add(
        self,
        code: str,
        message: str,
        *,
        tag: int | None = None,
        keyword: str = "",
        path: str = "",
        module: str = "",
        reference: str = "",
    ) -> None:
        self.findings.append(
            Finding.of(
                code,
                message,
                tag=_tag_text(tag) if tag is not None else "",
                keyword=keyword,
                path=path,
                module=module,
                reference=reference,
            )
        )


def _elements(dataset: Dataset) -> dict[int, Any]:
    """The elements of a data set by plain ``int`` tag; raw elements stay raw.

    pydicom keys its elements by ``BaseTag``, whose ``__eq__`` is Python code: every lookup with
    an ``int`` would call it. One plain copy per data set makes every later test a C-level one.
    """
    found = getattr(dataset, "_dict", None)
    if isinstance(found, dict):
        # operator.index gives an exact int, and is the quickest conversion of a BaseTag.
        return dict(zip(map(operator.index, found), found.values(), strict=True))
    return {int(tag): element for tag, element in dataset.items()}


def _join(path: str, keyword: str) -> str:
    return f"{path}.{keyword}" if path else keyword


def _text(element: Any, vr: str, dataset: Dataset, ctx: _Context) -> str:
    """The value of a string-VR element as text, padding kept."""
    value = element.value
    if value is None:
        return ""
    if isinstance(value, bytes):
        if ctx.text_decoding and vr in _DECODED_VRS:
            return _converted_text(dataset[element.tag].value)
        return value.decode("latin-1")
    if isinstance(value, str):
        return value
    return _converted_text(value)


def _converted_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    original = getattr(value, "original_string", None)
    if isinstance(original, str):
        return original
    if isinstance(original, bytes):
        return original.decode("latin-1")
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, Sequence):
        return "\\".join(_converted_text(v) for v in value)
    return str(value)


def _vm_words(vm: VM) -> str:
    if vm.max is None:
        return f"at least {vm.min}" + (f", in multiples of {vm.step}" if vm.step > 1 else "")
    if vm.min == vm.max:
        return f"exactly {vm.min}"
    return f"{vm.min} to {vm.max}"


def _check_value(
    tag: int, element: Any, info: _TagInfo, dataset: Dataset, path: str, ctx: _Context
) -> bool:
    """Check one element's VR, VM and values; return True when it has no value (empty)."""
    raw_vr = element.VR
    if info.retired:
        ctx.add(
            "retired",
            f"{info.name} {_tag_text(tag)} is retired",
            tag=tag,
            keyword=info.keyword,
            path=path,
            reference=f"PS3.6 {info.source}",
        )
    vr = raw_vr if raw_vr.__class__ is str and len(raw_vr) == 2 else info.vr
    if ctx.explicit and vr is raw_vr and info.vrs and vr not in info.vrs and vr != "UN":
        allowed = " or ".join(sorted(info.vrs))
        ctx.add(
            "vr-mismatch",
            f"{info.name} has VR {vr}; the dictionary gives {allowed}",
            tag=tag,
            keyword=info.keyword,
            path=path,
            reference=f"PS3.6 {info.source}",
        )
        return False
    if vr is None:
        value = element.value
        return value is None or (hasattr(value, "__len__") and len(value) == 0)
    if vr in _STRING_VRS:
        raw = element.value
        if raw.__class__ is bytes and not (ctx.text_decoding and vr in _DECODED_VRS):
            text = raw.decode("latin-1")
        else:
            text = _text(element, vr, dataset, ctx)
        if not text:
            return True
        found = [text] if vr in _NEVER_SPLIT else text.split("\\")
        for value in found:
            if value.strip(_PADDING):
                break
        else:
            return True  # empty, or delimiters only (PS3.5 7.4.1)
        problems = rules.check_strings(vr, found)
        count = len(found)
    else:
        value = element.value
        if value is None:
            return True
        if isinstance(value, bytes):
            if not value:
                return True
            problems = rules.check_binary_length(vr, len(value)) if vr in _BINARY_VRS else ()
            count = 1 if vr in _WORDS or problems else rules.value_count(vr, value)
        else:
            problems = ()
            count = rules.value_count(vr, value)
            if count == 0:
                return True
    for problem in problems:
        where = path if problem.value_index is None else f"{path}[{problem.value_index}]"
        ctx.add(
            "value-invalid",
            problem.message,
            tag=tag,
            keyword=info.keyword,
            path=where,
            reference="PS3.5 6.2",
        )
    if count == 1 and info.single:
        return False
    vm = info.vm
    if vm.specified and vr not in _WORDS and not vm.accepts(count):
        ctx.add(
            "vm-mismatch",
            f"{info.name} has {count} value(s); VM {vm} allows {_vm_words(vm)}",
            tag=tag,
            keyword=info.keyword,
            path=path,
            reference=f"PS3.6 {info.source}",
        )
    return False


def _sequence_items(dataset: Dataset, tag: int, element: Any) -> Sequence[Dataset]:
    value = element.value
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return value
    converted = dataset[tag].value  # a raw sequence: pydicom parses its items now
    return converted if isinstance(converted, Sequence) else ()


def _walk(
    dataset: Dataset,
    level: _Level | None,
    scopes: list[Dataset],
    path: str,
    module: str,
    ctx: _Context,
    depth: int,
    plan: _Plan | None = None,
    elements: dict[int, Any] | None = None,
) -> None:
    """Values of every element, then the requirements of ``level``, then the sequences' items.

    At the top level (``plan`` given) the requirements are those of every present module.
    ``elements``: the data set's :func:`_elements`, when the caller has them.
    """
    if elements is None:
        elements = _elements(dataset)
    empty: set[int] = set()
    sequences: list[tuple[int, Any, _Level | None, str]] = []
    present_modules: list[_Module] = []
    present_set: set[_Module] = set()
    if plan is not None:
        present_modules = _modules(dataset, elements, plan, ctx)
        present_set = set(present_modules)
    for tag, element in elements.items():
        if not tag & 0xFFFF or tag & 0x10000:  # group lengths; odd groups are private
            continue
        if plan is not None:
            if tag >> 16 == 0x0002:
                continue
            holder = None
            for candidate in plan.owners.get(tag, ()):
                if candidate in present_set:
                    holder = candidate
                    break
            if holder is not None:
                check = holder.level.by_tag[tag]
                where = holder.name
            else:
                check = None
                where = ""
                if tag not in plan.all_tags:
                    _not_defined(tag, _keyword(tag), "", ctx, in_item=False)
        else:
            check = level.by_tag.get(tag) if level is not None else None
            where = module
            if check is None and level is not None and not level.open and not level.gaps:
                _not_defined(tag, _join(path, _keyword(tag)), module, ctx, in_item=True)
        vr = element.VR
        if vr == "SQ" or (check is not None and check.items is not None and vr in (None, "SQ")):
            items = check.items if check is not None else None
            sequences.append((tag, element, items, where))
            if element.value is None or getattr(element, "length", 1) == 0:
                empty.add(tag)
            continue
        if tag in PIXEL_DATA_TAGS:
            continue
        info = _INFO.get(tag) or _info(tag)
        if info is None:
            continue
        here = f"{path}.{info.keyword}" if path else info.keyword
        if _check_value(tag, element, info, dataset, here, ctx):
            empty.add(tag)
    if plan is not None:
        for present in present_modules:
            _requirements(elements, empty, dataset, present.level, scopes, path, present.name, ctx)
    elif level is not None:
        _requirements(elements, empty, dataset, level, scopes, path, module, ctx)
    for tag, element, items, where in sequences:
        if depth >= MAX_DEPTH:
            ctx.add(
                "nesting-too-deep",
                f"sequences nested more than {MAX_DEPTH} deep at {path}; not walked further",
                tag=tag,
                path=path,
                reference="PS3.5 7.5",
            )
            return
        value = _sequence_items(dataset, tag, element)
        if not value:
            empty.add(tag)
        keyword = _join(path, _keyword(tag))
        for index, item in enumerate(value):
            _walk(item, items, [item, *scopes], f"{keyword}[{index}]", where, ctx, depth + 1)
    if plan is not None:
        _functional_groups(dataset, elements, plan, ctx)


def _not_defined(tag: int, path: str, module: str, ctx: _Context, *, in_item: bool) -> None:
    info = _info(tag)
    if info is None:
        return
    where = "the items of this sequence" if in_item else "any module of the IOD"
    ctx.add(
        "not-in-iod",
        f"{info.name} {_tag_text(tag)} is not defined for {where}",
        tag=tag,
        keyword=info.keyword,
        path=path,
        module=module,
    )


def _modules(
    dataset: Dataset, elements: Mapping[int, Any], plan: _Plan, ctx: _Context
) -> list[_Module]:
    """The modules present; findings for the required ones that are absent."""
    present: list[_Module] = []
    keys = elements.keys()
    for module in plan.modules:
        if not keys.isdisjoint(module.presence):  # iterates the smaller side
            present.append(module)
            continue
        if module.usage == "U":
            continue
        outcome = "required"
        if module.usage == "C":
            outcome = _outcome(module.condition, (dataset,), ctx.facts)
        if outcome == "required":
            ctx.add(
                "module-missing",
                f"{module.name} module ({module.usage}) is absent",
                module=module.name,
                reference=module.reference,
            )
        elif outcome == "unknown":
            text = module.condition.text if module.condition is not None else ""
            ctx.add(
                "unverifiable-condition",
                f"{module.name} module is absent; whether it is "
                f"required cannot be determined: {text}",
                module=module.name,
                reference=module.reference,
            )
    return present


def _requirements(
    elements: Mapping[int, Any],
    empty: set[int],
    dataset: Dataset,
    level: _Level,
    scopes: list[Dataset],
    path: str,
    module: str,
    ctx: _Context,
) -> None:
    for gap in level.gaps:
        key = (module, gap.target)
        if key not in ctx.once:
            ctx.once.add(key)
            why = "is not in this build" if gap.kind == "unresolved-include" else "includes itself"
            ctx.add(
                "unverifiable-include",
                f"{gap.text}: that table {why}; its requirements are not checked",
                path=path,
                module=module,
                reference=gap.source,
            )
    # difference() with an exact dict probes it once per required tag (a dict_keys operand would
    # be iterated whole).
    missing = level.required.difference(elements)
    if missing:
        for tag in sorted(missing, key=level.order.__getitem__):
            _absent(level.by_tag[tag], path, module, ctx)
    if empty:
        for tag in sorted(level.type1 & empty, key=level.order.__getitem__):
            _empty(level.by_tag[tag], path, module, ctx)
    for check in level.special:
        _conditional(check, elements, empty, dataset, scopes, path, module, ctx)
    for check in level.valued:
        if check.tag in elements:
            _check_values(elements[check.tag], dataset, check, path, module, ctx)


def _absent(check: _Check, path: str, module: str, ctx: _Context) -> None:
    check.report(ctx, _MISSING_CODES[check.type], path, module)


def _empty(check: _Check, path: str, module: str, ctx: _Context) -> None:
    check.report(ctx, "type1-empty" if check.type == "1" else "type1c-empty", path, module)


def _conditional(
    check: _Check,
    elements: Mapping[int, Any],
    empty: set[int],
    dataset: Dataset,
    scopes: list[Dataset],
    path: str,
    module: str,
    ctx: _Context,
) -> None:
    present = check.tag in elements
    if check.include_condition is not None:
        applies = _holds(check.include_condition, scopes, ctx.facts)
        if applies is False or (applies is None and not present):
            return
    kind = check.type
    if kind in ("1C", "2C"):
        outcome = _outcome(check.condition, scopes, ctx.facts)
        if outcome != "required":
            if outcome == "unknown" and not present:
                check.report(ctx, "unverifiable-condition", path, module)
            elif outcome in ("forbidden", "unspecified") and present:
                # PS3.5 7.4.2, 7.4.4: when the condition is not met the element shall not be
                # included, unless the text says "may be present otherwise".
                code = "condition-not-met-present"
                check.report(ctx, code, path, module)
            if present and check.values:
                _check_values(elements[check.tag], dataset, check, path, module, ctx)
            return
    if not present:
        if kind != "3":
            _absent(check, path, module, ctx)
        return
    if kind in ("1", "1C") and check.tag in empty:
        _empty(check, path, module, ctx)
        return
    if check.values:
        _check_values(elements[check.tag], dataset, check, path, module, ctx)


def _check_values(
    element: Any, dataset: Dataset, check: _Check, path: str, module: str, ctx: _Context
) -> None:
    info = _info(check.tag)
    vr = element.VR if element.VR.__class__ is str and len(element.VR) == 2 else None
    vr = vr or (info.vr if info is not None else None)
    if vr is None or vr not in _STRING_VRS:
        return
    stripped = [v.strip(_PADDING) for v in rules.split_values(vr, _text(element, vr, dataset, ctx))]
    for value_list in check.values:
        if value_list.value_index is not None:
            index = value_list.value_index - 1
            candidates = [(index, stripped[index])] if index < len(stripped) else []
        else:
            candidates = list(enumerate(stripped))
        for index, value in candidates:
            if not value or value in value_list.values:
                continue
            shown = ", ".join(value_list.values[:8]) + (" …" if len(value_list.values) > 8 else "")
            number = f" value {index + 1}" if len(stripped) > 1 else ""
            code, what = (
                ("enum-value", "Enumerated Values")
                if value_list.kind == "enumerated"
                else ("defined-term", "Defined Terms")
            )
            ctx.add(
                code,
                f"{check.name}{number} is {value!r}, not one of the {what} {shown}",
                tag=check.tag,
                keyword=check.keyword,
                path=_join(path, check.keyword),
                module=module,
                reference=check.reference,
            )


def _functional_groups(
    dataset: Dataset, elements: Mapping[int, Any], plan: _Plan, ctx: _Context
) -> None:
    if not plan.groups:
        return
    shared_items = _items(dataset, elements, SHARED_FUNCTIONAL_GROUPS)
    frames = _items(dataset, elements, PER_FRAME_FUNCTIONAL_GROUPS)
    if not frames:
        return
    shared = shared_items[0] if shared_items else None
    shared_tags = _elements(shared).keys() if shared is not None else frozenset()
    frame_tags = [_elements(frame).keys() for frame in frames]
    module = "Multi-frame Functional Groups"
    for group in plan.groups:
        in_shared = not shared_tags.isdisjoint(group.tags)
        missing: list[int] = []
        both: list[int] = []
        unknown = False
        for index, frame in enumerate(frames):
            in_frame = not frame_tags[index].isdisjoint(group.tags)
            if in_frame and in_shared:
                both.append(index)
            if in_frame or in_shared or group.usage == "U":
                continue
            scopes = [frame, *([shared] if shared is not None else []), dataset]
            outcome = (
                "required" if group.usage == "M" else _outcome(group.condition, scopes, ctx.facts)
            )
            if outcome == "unknown":
                unknown = True
            elif outcome == "required":
                missing.append(index)
        if missing:
            ctx.add(
                "functional-group-missing",
                f"{group.name} functional group is required but "
                f"is in neither the shared item nor the per-frame item of {_frames(missing)}",
                path=f"PerFrameFunctionalGroupsSequence[{missing[0]}]",
                module=module,
                reference=group.reference,
            )
        if both:
            ctx.add(
                "functional-group-in-both",
                f"{group.name} functional group is in the shared "
                f"item and in the per-frame item of {_frames(both)}",
                path=f"PerFrameFunctionalGroupsSequence[{both[0]}]",
                module=module,
                reference=group.reference,
            )
        if in_shared and group.shared_forbidden:
            ctx.add(
                "functional-group-shared",
                f"{group.name} functional group is in the shared item; the IOD says: {group.note}",
                path="SharedFunctionalGroupsSequence[0]",
                module=module,
                reference=group.reference,
            )
        if unknown and not in_shared:
            text = group.condition.text if group.condition is not None else ""
            ctx.add(
                "unverifiable-condition",
                f"{group.name} functional group is absent from "
                f"some frames; whether it is required cannot be determined: {text}",
                path="PerFrameFunctionalGroupsSequence",
                module=module,
                reference=group.reference,
            )


def _frames(indexes: list[int]) -> str:
    if len(indexes) == 1:
        return f"frame {indexes[0] + 1}"
    return f"{len(indexes)} frames (first: frame {indexes[0] + 1})"


def _items(dataset: Dataset, elements: Mapping[int, Any], tag: int) -> Sequence[Dataset]:
    element = elements.get(tag)
    if element is None:
        return ()
    return _sequence_items(dataset, tag, element)


# -- entry point ------------------------------------------------------------------------------
def validate_dataset(
    dataset: Dataset,
    *,
    iod: str | None = None,
    explicit_vr: bool | None = None,
    path: str | None = None,
    findings: Iterable[Finding] = (),
) -> ValidationResult:
    """Validate one pydicom dataset against its IOD (from SOP Class UID, or ``iod``)."""
    elements = _elements(dataset)
    sop_class: str | None = None
    if SOP_CLASS_UID in elements:
        sop_class = bare_text(elements[SOP_CLASS_UID].value) or None
    if explicit_vr is None:
        encoding = getattr(dataset, "original_encoding", None) or (None, None)
        explicit_vr = encoding[0] is False
    charset = elements.get(SPECIFIC_CHARACTER_SET)
    ctx = _Context(explicit_vr, charset is not None and _needs_decoding(charset.value))
    ctx.findings.extend(findings)
    plan, problem = _plan_for(sop_class, iod)
    if problem is not None:
        ctx.findings.append(problem)
    if plan is not None:
        ctx.facts = conditions.Facts(module_present=_module_presence(plan, elements), memo={})
    try:
        _walk(dataset, None, [dataset], "", "", ctx, 0, plan, elements)
    except Exception as error:  # a corrupt element must not end the run
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
        ctx.add(
            "unreadable",
            "the data set is truncated or an element cannot be decoded: "
            f"{reason or type(error).__name__}; the findings before it are kept",
        )
    return ValidationResult(tuple(ctx.findings), sop_class, plan.name if plan else None, path)


def _needs_decoding(value: object) -> bool:
    text = value.decode("latin-1") if isinstance(value, bytes) else _converted_text(value)
    terms = [t.strip() for t in text.split("\\") if t.strip()]
    return any(term not in ("ISO_IR 6", "ISO_IR 100") for term in terms)


def _plan_for(sop_class: str | None, iod: str | None) -> tuple[_Plan | None, Finding | None]:
    key = iod or sop_class
    if key is None:
        return None, _sop_class_finding(
            "sop-class-missing",
            "SOP Class UID (0008,0016) is absent, so the IOD is unknown",
            "SOP Common",
            "table_C.12-1",
        )
    try:
        found = spec.iod(key)
    except KeyError:
        if iod is not None:
            raise
        from dicomstd import uid

        info = uid.get(key)
        if info is not None and info.type == "SOP Class":
            return None, _sop_class_finding(
                "iod-not-available",
                f"{info.name} ({key}): its IOD is not in the PS3.3 this build "
                "was generated from; only values were checked",
            )
        return None, _sop_class_finding(
            "sop-class-unknown",
            f"SOP Class UID {key!r} is not a SOP Class of the standard",
            "SOP Common",
            "PS3.4 B.5",
        )
    return _plan(found.key), None


def _sop_class_finding(code: str, message: str, module: str = "", reference: str = "") -> Finding:
    return Finding.of(
        code,
        message,
        tag=_tag_text(SOP_CLASS_UID),
        keyword="SOPClassUID",
        path="SOPClassUID",
        module=module,
        reference=reference,
    )
