"""Skeletons: a data set of one SOP Class, ready to be filled in.

``skeleton("CT Image Storage")`` (a SOP Class UID, its keyword or name, an IOD name or IOD class
name) or ``CTImage.skeleton()`` gives a :class:`Skeleton`: a pydicom data set holding every
Type 1 and Type 2 attribute of the IOD's mandatory (M) modules, as PS3.3's module tables give
them, and the list of what is still to fill.

* A Type 2 attribute is present and empty (PS3.5 7.4.3: that is a valid value).
* A Type 1 attribute is present and empty, and listed in :attr:`Skeleton.to_fill` (with its
  path, as validation findings write it); validating the skeleton reports these as
  ``type1-empty`` (``type1c-empty``), and notices of the conditions that depend on values still
  to fill. SOP Class UID is filled: it is what the skeleton is of. With ``new_uids`` the Type 1
  UIDs at the top level (SOP Instance UID, Study, Series, Frame of Reference UID …) get new
  UUID-derived UIDs (PS3.5 B.2) instead of being listed.
* A Type 2 sequence is present with no item; a Type 1 sequence gets one item (PS3.5 7.4.1: a
  Type 1 sequence has one or more items), or as many as its description asks for at least
  ("Two Items shall be included"), holding their Type 1 and Type 2 attributes, the same way,
  to a depth of :data:`MAX_DEPTH`; deeper, it is left empty and listed. An item may hold nothing
  when all its attributes are conditional (Plane Position (Patient) Sequence).
* Type 1C and 2C attributes, C modules, ``Include … if …`` rows and C functional groups are
  put in like Type 1, Type 2 and M ones when the skeleton meets their condition, evaluated as
  the validator evaluates it (:mod:`dicomstd.conditions`): Pixel Data, "Required if Pixel Data
  Provider URL (0028,7FE0) is not present". The builder goes over the IOD in passes until one
  adds nothing, since a condition may hold only once another attribute is in. A condition
  that does not hold, or cannot be known before the values are filled ("Required if contrast
  media was used"), leaves them out, as it leaves out Type 3 attributes and U modules.
* In enhanced multi-frame IODs the functional groups go in the item of the Shared Functional
  Groups Sequence, except those the IOD says "May not be used as a Shared Functional Group"
  (Frame Content), which go in the one item of the Per-frame Functional Groups Sequence.

Where an attribute is defined by several modules it is added once, Type 1 if any of them says
so; where the IOD says one module's definition replaces another's (a specialization), the
replaced one is not used.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from typing import TYPE_CHECKING, Any

import attrs

from dicomstd import spec, tags
from dicomstd.errors import UnknownIODError
from dicomstd.tag import Tag
from dicomstd.vr import STRING_VRS

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

    from dicomstd.conditions import Facts
    from dicomstd.uid import UidInfo

__all__ = [
    "MAX_DEPTH",
    "Skeleton",
    "ToFill",
    "add_parser",
    "as_json",
    "as_text",
    "resolve_sop_class",
    "skeleton",
    "write",
]

MAX_DEPTH = 8
"""How deep Type 1 sequences get an item: deeper ones are left empty and listed."""

SOP_CLASS_UID = 0x00080016


@attrs.frozen(slots=True)
class ToFill:
    """A Type 1 attribute a skeleton leaves empty."""

    tag: Tag
    keyword: str
    name: str
    path: str
    """As validation findings write it: ``Modality``, ``DimensionOrganizationSequence[0].…``."""
    modules: tuple[str, ...]
    """The modules (names in the IOD's table) that require it with a value."""
    source: str
    """The PS3.3 table of the first of them."""
    type: str
    """``1``, or ``1C`` when the skeleton meets the condition that requires it."""


@attrs.frozen(slots=True, eq=False, repr=False)
class Skeleton:
    """A data set of one SOP Class to fill in, and what is still to fill."""

    sop_class_uid: str
    iod: str
    """The IOD's name (``CT Image``)."""
    dataset: Dataset
    to_fill: tuple[ToFill, ...]
    """Every Type 1 attribute present without a value, in the order of the IOD's modules and their
    tables."""
    filled: tuple[tuple[str, str], ...]
    """(path, value) of each Type 1 attribute the skeleton gave a value: SOP Class UID, and the
    new UIDs with ``new_uids``."""

    def __repr__(self) -> str:
        return (
            f"Skeleton({self.iod!r}, sop_class_uid={self.sop_class_uid!r}, "
            f"{len(self.dataset)} attributes, {len(self.to_fill)} to fill)"
        )


def skeleton(sop_class: str, *, new_uids: bool = False) -> Skeleton:
    """The skeleton of a SOP Class: see the module's documentation.

    ``sop_class``: a SOP Class UID, its keyword (``CTImageStorage``) or name, an IOD name
    (``CT Image``) or an IOD class name (``CTImage``) when the IOD has one SOP Class.
    :class:`~dicomstd.errors.UnknownIODError` (a ``KeyError``) when none matches or the SOP
    Class's IOD is not in this build; ``ValueError`` when an IOD has several SOP Classes.
    """
    uid, iod = resolve_sop_class(sop_class)
    return _Builder(iod, uid, new_uids).build()


def resolve_sop_class(text: str) -> tuple[str, spec.IodSpec]:
    """The SOP Class UID and the IOD ``text`` names (see :func:`skeleton`)."""
    from dicomstd import uid

    key = text.strip()
    info = uid.get(key) or _sop_class_named(key)
    value = info.value if info is not None else key
    try:
        iod = spec.iod(value)
    except KeyError:
        if info is not None and info.type == "SOP Class":
            raise _not_in_build(info.value, info.name) from None
        if info is not None:
            raise UnknownIODError(
                text, f"{key!r} is a {info.type} UID ({info.name}), not a SOP Class"
            ) from None
        found = _iod_of_class_name(key)
        if found is None:
            raise UnknownIODError(text, _unknown_message(key)) from None
        iod = found
    wanted = _normal(value)
    matching = [uid for uid, name in iod.sop_classes if wanted in (uid, _normal(name))]
    if len(matching) == 1:
        return matching[0], iod
    if len(iod.sop_classes) == 1:
        return iod.sop_classes[0][0], iod
    choices = ", ".join(f"{uid} ({name})" for uid, name in iod.sop_classes) or "none"
    raise ValueError(
        f"the {iod.name} IOD has {len(iod.sop_classes)} SOP Classes: {choices}; give one"
    )


def _sop_class_named(name: str) -> UidInfo | None:
    from dicomstd import uid

    wanted = _normal(name)
    for info in uid.entries():
        if info.type == "SOP Class" and _normal(info.name) == wanted:
            return info
    return None


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9.]+", " ", text.lower()).split())


def _not_in_build(value: str, name: str) -> UnknownIODError:
    return UnknownIODError(
        value,
        f"{name} ({value}): its IOD is not in the PS3.3 this build was generated from. "
        "Build every IOD into the installed package: dicomstd standard build --edition "
        "current (or --from a folder of partNN.xml); see dicomstd standard",
    )


def _iod_of_class_name(name: str) -> spec.IodSpec | None:
    from dicomstd import iods

    if name not in iods.names():
        return None
    uids = getattr(iods, name).SOP_CLASS_UIDS
    return spec.iod(uids[0]) if uids else None


def _unknown_message(key: str) -> str:
    from dicomstd import iods

    known = [iod.name for iod in spec.iods()]
    sop_classes = [name for iod in spec.iods() for _, name in iod.sop_classes]
    candidates = [*known, *iods.names(), *sop_classes]
    close = difflib.get_close_matches(key, candidates, n=5, cutoff=0.6)
    hint = f"; close matches: {', '.join(close)}" if close else ""
    return (
        f"{key!r} is not a SOP Class UID, keyword or name, nor an IOD of this build{hint} "
        f"(IODs of this build: {', '.join(known)})"
    )


class _Builder:
    """Fills a data set pass by pass: a pass adds what the modules require given what is already
    there, until a pass adds nothing (a condition may hold only once another attribute is in)."""

    def __init__(self, iod: spec.IodSpec, sop_class_uid: str, new_uids: bool) -> None:
        from dicomstd import conditions

        self.iod = iod
        self.sop_class_uid = sop_class_uid
        self.new_uids = new_uids
        self.groups = {use.name: use for use in iod.functional_groups}
        self.to_fill: dict[str, ToFill] = {}
        self.filled: dict[str, str] = {}
        self.present: set[str] = set()
        self.facts = conditions.Facts(
            module_present=self.present.__contains__,
            requires=lambda tag: iod.requires(tag, self.present.__contains__),
            memo=None,
        )
        self.changed = False

    def build(self) -> Skeleton:
        from pydicom.dataset import Dataset

        from dicomstd.model import _settle_vrs

        replaced: dict[str, set[int]] = {}
        for special in self.iod.specializations:
            for name in special.replaces:
                replaced.setdefault(name, set()).add(int(special.tag))
        dataset = Dataset()
        for _ in range(MAX_PASSES):
            self.changed = False
            for use in self.iod.modules:
                if use.module is None or not self.applies(use.usage, use.condition, [dataset]):
                    continue
                self.present.add(use.module.source)
                dropped = replaced.get(use.name, set())
                attributes = [a for a in use.module.attributes if int(a.tag) not in dropped]
                self.fill(dataset, attributes, "", use.name, [dataset], None)
            if not self.changed:
                break
        _settle_vrs(dataset, [])
        return Skeleton(
            self.sop_class_uid,
            self.iod.name,
            dataset,
            tuple(self.to_fill.values()),
            tuple(self.filled.items()),
        )

    def applies(self, usage: spec.Usage, condition: str | None, scopes: list[Dataset]) -> bool:
        """An M module (or functional group), or a C one whose condition holds."""
        if usage is spec.Usage.MANDATORY:
            return True
        if usage is spec.Usage.USER_OPTION:
            return False
        return _outcome(condition, scopes, self.facts) == "required"

    def fill(
        self,
        dataset: Dataset,
        attributes: list[spec.AttributeSpec] | tuple[spec.AttributeSpec, ...],
        prefix: str,
        module: str,
        scopes: list[Dataset],
        groups: str | None,
    ) -> None:
        """Add to ``dataset`` what ``attributes`` require. ``groups``: ``shared`` or
        ``per-frame`` inside the items of the functional group sequences."""
        for attribute in attributes:
            type_1 = self.required(attribute, scopes, groups)
            if type_1 is None:
                continue
            tag = int(attribute.tag)
            path = prefix + (attribute.keyword or str(attribute.tag))
            if attribute.is_sequence:
                self.sequence(dataset, attribute, path, module, scopes, type_1=type_1)
                continue
            if tag not in dataset:
                vr = _vr(attribute)
                dataset.add_new(tag, vr, "" if vr in STRING_VRS else None)
                self.changed = True
            if not type_1 or path in self.filled:
                continue
            if len(scopes) == 1 and tag == SOP_CLASS_UID:
                self.give(dataset, tag, path, self.sop_class_uid)
            elif len(scopes) == 1 and self.new_uids and _vr(attribute) == "UI":
                from pydicom.uid import generate_uid

                self.give(dataset, tag, path, str(generate_uid(prefix=None)))
            else:
                self.todo(attribute, path, module)

    def required(
        self, attribute: spec.AttributeSpec, scopes: list[Dataset], groups: str | None
    ) -> bool | None:
        """True when the attribute is required with a value here (Type 1, or 1C whose condition
        holds), False when required and may be empty (2, 2C), None when it is left out."""
        group = attribute.functional_group
        if group is not None:
            use = self.groups.get(group)
            if use is None or not self.applies(use.usage, use.condition, scopes):
                return None
            # PS3.3 A.1.3: "M - May not be used as a Shared Functional Group" (Frame Content):
            # those go in the per-frame item, every other one in the shared item.
            per_frame = "not be used as a shared functional group" in use.note.lower()
            if groups != ("per-frame" if per_frame else "shared"):
                return None
        condition = attribute.include_condition
        if condition is not None and _holds(condition, scopes, self.facts) is not True:
            return None
        kind = attribute.type
        if kind is None or kind is spec.AttributeType.TYPE_3:
            return None
        if kind.conditional and _outcome(attribute.condition, scopes, self.facts) != "required":
            return None
        return kind in (spec.AttributeType.TYPE_1, spec.AttributeType.TYPE_1C)

    def sequence(
        self,
        dataset: Dataset,
        attribute: spec.AttributeSpec,
        path: str,
        module: str,
        scopes: list[Dataset],
        *,
        type_1: bool,
    ) -> None:
        from pydicom.dataset import Dataset
        from pydicom.sequence import Sequence

        tag = int(attribute.tag)
        if tag not in dataset:
            dataset.add_new(tag, "SQ", Sequence())
            self.changed = True
        if not type_1:
            return
        items = dataset[tag].value
        if len(scopes) >= MAX_DEPTH:
            if not items:
                self.todo(attribute, path, module)
            return
        # As many items as the sequence's description asks for at least ("Two Items shall be
        # included"), one when it says nothing.
        least = max(attribute.item_count[0], 1) if attribute.item_count else 1
        while len(items) < least:
            items.append(Dataset())
            self.changed = True
        groups = _GROUP_SEQUENCES.get(tag) if len(scopes) == 1 else None
        for index, item in enumerate(items[:least]):
            self.fill(item, attribute.items, f"{path}[{index}].", module, [item, *scopes], groups)

    def give(self, dataset: Dataset, tag: int, path: str, value: str) -> None:
        dataset[tag].value = value
        self.filled[path] = value
        self.to_fill.pop(path, None)

    def todo(self, attribute: spec.AttributeSpec, path: str, module: str) -> None:
        known = self.to_fill.get(path)
        if known is not None:
            if module not in known.modules:
                self.to_fill[path] = attrs.evolve(known, modules=(*known.modules, module))
            return
        self.to_fill[path] = ToFill(
            attribute.tag,
            attribute.keyword,
            attribute.name,
            path,
            (module,),
            attribute.source,
            str(attribute.type),
        )


MAX_PASSES = 8
"""Passes of the builder at most (each adds what became required in the one before)."""

_GROUP_SEQUENCES = {
    int(tags.SharedFunctionalGroupsSequence): "shared",
    int(tags.PerFrameFunctionalGroupsSequence): "per-frame",
}


def _outcome(text: str | None, scopes: list[Dataset], facts: Facts) -> str:
    """``required``, ``optional``, ``forbidden``, ``unspecified`` or ``unknown``: unknown for a
    text the generated table lacks, and for none (a 1C row or C module whose table states no
    condition)."""
    from dicomstd import conditions

    if not text:
        return "unknown"
    condition = conditions.for_text(text)
    return "unknown" if condition is None else condition.outcome(scopes, facts)


def _holds(text: str, scopes: list[Dataset], facts: Facts) -> bool | None:
    from dicomstd import conditions

    condition = conditions.for_text(text)
    return None if condition is None else condition.evaluate(scopes, facts)


def _vr(attribute: spec.AttributeSpec) -> str:
    """The VR to add an empty attribute with: the dictionary's, pydicom's ambiguous VR where it
    gives several (settled from the data set), UN where the dictionary does not know it."""
    from dicomstd.model import _ambiguous

    vrs = sorted(str(vr) for vr in attribute.vrs)
    if not vrs:
        return "UN"
    if len(vrs) == 1:
        return vrs[0]
    return _ambiguous().get(frozenset(vrs), vrs[0])


# -- the command ``dicomstd skeleton`` ---------------------------------------------------------
COMMAND_DESCRIPTION = """\
Write a DICOM file (PS3.10, with File Meta Information) holding the skeleton of a SOP Class:
every Type 1 and Type 2 attribute of the IOD's required modules, Type 2 empty, and the Type 1
attributes without a value listed as still to fill. SOP Class UID is filled, and the Type 1
UIDs at the top level (SOP Instance UID, Study, Series, Frame of Reference UID ...) get new
UUID-derived UIDs (PS3.5 B.2): the File Meta Information needs the SOP Instance UID.

SOPCLASS is a SOP Class UID, its keyword (CTImageStorage) or name (CT Image Storage), or an IOD
name (CT Image).

Exit status: 0 written, 1 the SOP Class names no IOD of this build or FILE cannot be written,
2 usage error."""


def add_parser(commands: Any) -> None:
    """Register ``dicomstd skeleton`` on the sub-command parsers of the ``dicomstd`` command."""
    import argparse

    parser = commands.add_parser(
        "skeleton",
        help="write the skeleton of a SOP Class to fill in",
        description=COMMAND_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("sop_class", metavar="SOPCLASS", help="SOP Class UID, keyword or name")
    parser.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="the DICOM file to write"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="how to print what was filled and what is to fill (default: text)",
    )
    parser.set_defaults(run=run_command)


def run_command(args: Any) -> int:
    import json
    import sys

    try:
        made = skeleton(args.sop_class, new_uids=True)
    except (KeyError, ValueError) as error:
        print(f"dicomstd skeleton: {error}", file=sys.stderr)
        return 1
    try:
        write(made, args.output)
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"dicomstd skeleton: cannot write {args.output}: {reason}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(as_json(made, args.output), indent=2))
    else:
        print(as_text(made, args.output))
    return 0


def write(made: Skeleton, path: str) -> None:
    """Write the skeleton as a DICOM file with File Meta Information (Explicit VR Little
    Endian), whole or not at all: to a temporary file beside ``path``, then moved over it."""
    import os
    import tempfile

    from dicomstd.model import file_meta_for

    dataset = made.dataset
    dataset.file_meta = file_meta_for(dataset)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".skeleton-", suffix=".dcm", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            dataset.save_as(stream, enforce_file_format=True)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def as_json(made: Skeleton, path: str | None = None) -> dict[str, object]:
    return {
        "path": path,
        "sop_class_uid": made.sop_class_uid,
        "iod": made.iod,
        "filled": [{"path": where, "value": value} for where, value in made.filled],
        "to_fill": [
            {
                "tag": str(item.tag),
                "keyword": item.keyword,
                "name": item.name,
                "path": item.path,
                "type": item.type,
                "modules": list(item.modules),
                "source": item.source,
            }
            for item in made.to_fill
        ],
    }


def as_text(made: Skeleton, path: str | None = None) -> str:
    from dicomstd import uid

    info = uid.get(made.sop_class_uid)
    name = info.name if info is not None else made.sop_class_uid
    lines = [f"{name} ({made.sop_class_uid}), {made.iod} IOD" + (f": wrote {path}" if path else "")]
    lines.append(f"filled ({len(made.filled)}):")
    lines.extend(f"  {where} = {value}" for where, value in made.filled)
    lines.append(f"to fill ({len(made.to_fill)} Type 1 attributes without a value):")
    for item in made.to_fill:
        source = item.source.removeprefix("table_")
        where = f"{', '.join(item.modules)}, PS3.3 {source}"
        lines.append(f"  {item.tag} {item.path}  (Type {item.type}; {where})")
    return "\n".join(lines)
