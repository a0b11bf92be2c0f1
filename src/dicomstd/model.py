"""Base classes of the generated module, macro, item and IOD classes.

Generated classes are frozen attrs classes whose fields are named by keyword and carry the tag,
Type, VR and VM in their metadata. This module turns them into pydicom datasets and back:

* ``from_dataset(ds)``: every attribute the class defines is read (absent -> ``None``), values are
  converted by VR (DS -> float, IS -> int, PN -> str, multi-valued -> tuple, SQ -> tuple of item
  objects); attributes present with an empty value are remembered in ``empty_tags`` so that
  ``to_dataset()`` writes them back empty (a Type 2 attribute stays present);
* ``to_dataset()``: the reverse, with the VR from the dictionary; where the dictionary allows
  several (``OB or OW``, ``US or SS`` …) the dataset written decides, as PS3.5 says (Bits
  Allocated, Pixel Representation, LUT Descriptor), through pydicom's own rules.

An IOD object read from a data set keeps what its classes do not define — private elements,
attributes of no module of the IOD, elements of a sequence item its item class does not list —
and ``to_dataset()`` writes them back, so a round trip loses no element. The IOD's own
attributes are written from the typed fields; an element kept from the source is written only
where no field gave one. ``evolve(**changes)`` makes a changed copy that keeps them too
(``attrs.evolve`` makes a plain new object, which has none).

An attribute several modules of an IOD define (Samples per Pixel: Image Pixel and CT Image) is
held by each of those modules. Read from one data set they agree; built or changed apart they
may not, and ``to_dataset()`` does not pick one silently: :meth:`IodModel.conflicts` lists each
disagreement (a :class:`Conflict`: tag, path, the module fields and their values), and
``to_dataset()`` raises :class:`ConflictError` listing them unless called with
``strict=False``, which writes the value of the first module in the IOD's table.

``IodModel.from_dataset(ds)`` reads only a data set of one of the IOD's SOP Classes (PS3.4
B.5): another SOP Class UID (0008,0016) raises :class:`SOPClassMismatchError` unless
``strict=False``; a data set without SOP Class UID is read (it is being built). Under strict
reading, modules that disagree raise :class:`ConflictError` as well.

``to_dataset(file_meta=True)`` adds File Meta Information (PS3.10 7.1, :func:`file_meta_for`), so
``ds.save_as(path, enforce_file_format=True)`` writes a DICOM file.

The conversion plan of a class is computed once, from its field metadata.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

import attrs

from dicomstd.tag import Tag
from dicomstd.uid import transfer_syntax
from dicomstd.vr import BYTES_VRS, FLOAT_VRS, INT_VRS, STRING_VRS, bare_text

if TYPE_CHECKING:
    from pydicom.dataelem import DataElement, RawDataElement
    from pydicom.dataset import Dataset, FileMetaDataset

    from dicomstd.skeleton import Skeleton

__all__ = [
    "IMPLEMENTATION_CLASS_UID",
    "Conflict",
    "ConflictError",
    "DatasetModel",
    "IodModel",
    "SOPClassMismatchError",
    "field",
    "file_meta_for",
    "module_class",
    "module_field",
]

IMPLEMENTATION_CLASS_UID = "2.25.226919628001541489636463099860949488930"
"""The Implementation Class UID of dicomstd (PS3.7 D.3.3.2), written in the File Meta
Information of the files it makes: a UUID-derived UID (PS3.5 B.2), which needs no registered
root."""

SOP_CLASS_UID = 0x00080016
SOP_INSTANCE_UID = 0x00080018
EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"


def field(
    tag: int,
    keyword: str,
    type_: str,
    vr: str,
    vm: str,
    *,
    item: str | None = None,
    multiple: bool = False,
) -> Any:
    """A generated attribute field: default None, metadata for the conversion plan."""
    return attrs.field(
        default=None,
        kw_only=True,
        metadata={
            "tag": tag,
            "keyword": keyword,
            "type": type_,
            "vr": vr,
            "vm": vm,
            "item": item,
            "multiple": multiple,
        },
    )


class DatasetModel:
    """Behaviour of every generated module, macro and sequence item class."""

    __slots__ = ("_extra",)

    empty_tags: frozenset[int]

    @classmethod
    def _plan(cls) -> tuple[_Step, ...]:
        plan = _PLANS.get(cls)
        if plan is None:
            plan = _PLANS[cls] = _build_plan(cls)
        return plan

    @classmethod
    def _steps(cls) -> dict[int, _Step]:
        """The steps of this class by tag."""
        steps = _STEPS.get(cls)
        if steps is None:
            steps = _STEPS[cls] = {step.tag: step for step in cls._plan()}
        return steps

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Self:
        """Read every attribute this class defines from ``dataset`` (absent ones are None).

        The items of its sequences keep the elements their item classes do not define, and
        ``to_dataset()`` writes them back; the other elements of ``dataset`` itself are not kept
        (an IOD class keeps those)."""
        return cls._read(dataset, keep=False)

    @classmethod
    def _read(cls, dataset: Dataset, *, keep: bool) -> Self:
        values: dict[str, object] = {}
        empty: list[int] = []
        # pydicom keeps its elements in ``_dict``: one probe per step, and only raw (or
        # deferred) elements go through ``dataset[tag]``, which converts them.
        elements = getattr(dataset, "_dict", None)
        for step in cls._plan():
            if elements is not None:
                element = elements.get(step.tag)
                if element is None:
                    continue
                if element.is_raw:
                    element = dataset[step.tag]
            elif step.tag in dataset:
                element = dataset[step.tag]
            else:
                continue
            value = element.value
            if _is_empty(value):
                empty.append(step.tag)
                continue
            values[step.name] = step.read(value)
        read = cls(**values, empty_tags=frozenset(empty))  # type: ignore[call-arg]
        if keep:
            extra = _extra_elements(dataset, cls._steps())
            if extra:
                object.__setattr__(read, "_extra", extra)
        return read

    def extra_elements(self) -> tuple[DataElement | RawDataElement, ...]:
        """The elements of the sequence item this object was read from that its class does not
        define (private elements, attributes of another macro …), in tag order, as read (an
        element pydicom had not decoded is a ``RawDataElement``); written back by
        ``to_dataset()``. Empty for an object built in code and for a module read directly."""
        extra: tuple[DataElement | RawDataElement, ...] = getattr(self, "_extra", ())
        return extra

    def evolve(self, **changes: Any) -> Self:
        """A copy with ``changes`` (as ``attrs.evolve``) that keeps :meth:`extra_elements`."""
        changed: Self = attrs.evolve(cast(Any, self), **changes)
        _carry(self, changed, "_extra")
        return changed

    def to_dataset(self) -> Dataset:
        dataset = self._dataset()
        _settle_vrs(dataset, [])
        return dataset

    def _dataset(self) -> Dataset:
        from pydicom.dataset import Dataset

        dataset = Dataset()
        self.write_into(dataset)
        return dataset

    def write_into(self, dataset: Dataset) -> None:
        """Add this object's attributes to ``dataset``, then the elements its items kept from
        their source where ``dataset`` has none.

        An attribute already in ``dataset`` is kept; a sequence already there with as many items
        gets, item by item, the attributes its items lack. An attribute the dictionary gives
        several VRs is added with pydicom's ambiguous VR (``OB or OW`` …), which ``to_dataset``
        and pydicom's writer settle from the dataset.
        """
        self._write_values(dataset)
        self._write_extra(dataset)

    def _values_dataset(self) -> Dataset:
        from pydicom.dataset import Dataset

        dataset = Dataset()
        self._write_values(dataset)
        return dataset

    def _write_values(self, dataset: Dataset) -> None:
        """The typed attributes only, at every depth."""
        for step in self._plan():
            value = getattr(self, step.name)
            if value is None:
                if step.tag in self.empty_tags and step.tag not in dataset:
                    dataset.add_new(step.tag, step.vr_to_write(None), step.empty())
                continue
            if step.tag not in dataset:
                dataset.add_new(step.tag, step.vr_to_write(value), step.write(value))
                continue
            if step.item is not None:
                items = _same_items(dataset, step.tag, value)
                for entry, item in zip(value, items, strict=True):
                    entry._write_values(item)

    def _write_extra(self, dataset: Dataset) -> None:
        """The elements kept from the source, at every depth, where ``dataset`` has none."""
        for step in self._plan():
            if step.item is None:
                continue
            value = getattr(self, step.name)
            if value:
                items = _same_items(dataset, step.tag, value)
                for entry, item in zip(value, items, strict=True):
                    entry._write_extra(item)
        _add_missing(dataset, self.extra_elements())

    def present(self) -> Iterator[tuple[str, object]]:
        """(field name, value) of every attribute that is set."""
        for step in self._plan():
            value = getattr(self, step.name)
            if value is not None:
                yield step.name, value

    def is_empty(self) -> bool:
        return not self.empty_tags and next(self.present(), None) is None

    def tags_present(self) -> frozenset[int]:
        """Tags of the attributes that were present when read, with a value or empty."""
        tags = {step.tag for step in self._plan() if getattr(self, step.name) is not None}
        return frozenset(tags) | self.empty_tags

    # Generated classes are declared with eq=False and repr=False (attrs would write both for
    # each of hundreds of classes at import); these generic ones compare and show set fields.
    def _key(self) -> tuple[object, ...]:
        return (type(self), self.empty_tags, *(getattr(self, s.name) for s in self._plan()))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, DatasetModel)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.present())
        return f"{type(self).__name__}({shown})"


def module_class(key: str, name: str) -> type[DatasetModel]:
    """The generated class ``name`` of module ``key``, imported on first use."""
    import importlib

    module = importlib.import_module(f"dicomstd._generated.modules.{key}")
    found: type[DatasetModel] = getattr(module, name)
    return found


def module_field(key: str, name: str, usage: str, ie: str, *, required: bool) -> Any:
    """A field of a generated IOD class holding one module; the module's class loads lazily."""
    metadata = {"module_key": key, "module_class": name, "usage": usage, "ie": ie}
    if required:
        return attrs.field(
            factory=lambda: module_class(key, name)(), metadata=metadata, kw_only=True
        )
    return attrs.field(default=None, metadata=metadata, kw_only=True)


# -- errors and conflicts --------------------------------------------------------------------
class SOPClassMismatchError(ValueError):
    """``from_dataset`` of an IOD class was given a data set of another SOP Class."""

    def __init__(self, iod_class: type[IodModel], found: str) -> None:
        self.iod_class = iod_class
        self.expected = iod_class.SOP_CLASS_UIDS
        self.found = found
        super().__init__(_mismatch_message(iod_class, found))

    def __str__(self) -> str:
        return str(self.args[0])


@attrs.frozen(slots=True)
class Conflict:
    """One attribute that modules of an IOD object hold with different values."""

    tag: Tag
    keyword: str
    path: str
    """Where the attribute is: ``SamplesPerPixel``, ``ReferencedImageSequence[0].…``."""
    values: tuple[tuple[str, object], ...]
    """(module field of the IOD class, value) of each module holding it; the value is None when
    the module holds the attribute empty, the tuple of items for a sequence."""

    def __str__(self) -> str:
        shown = "; ".join(f"{name}: {_shown(value)}" for name, value in self.values)
        return f"{self.path} {self.tag}: {shown}"


class ConflictError(ValueError):
    """Modules of an IOD object hold an attribute with different values (see :class:`Conflict`)."""

    def __init__(self, iod_class: str, conflicts: tuple[Conflict, ...]) -> None:
        self.conflicts = conflicts
        shown = [f"  {conflict}" for conflict in conflicts[:20]]
        if len(conflicts) > 20:
            shown.append(f"  … and {len(conflicts) - 20} more")
        lines = "\n".join(shown)
        super().__init__(
            f"{iod_class}: {len(conflicts)} attribute(s) held by several modules with different "
            f"values (pass strict=False to write the first module's value):\n{lines}"
        )

    def __str__(self) -> str:
        return str(self.args[0])


def _shown(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, tuple) and value and isinstance(value[0], DatasetModel):
        return f"{len(value)} item(s)"
    return repr(value)


_EMPTY: Any = object()


def _compare(
    tag: int, holders: list[tuple[str, DatasetModel]], prefix: str, out: list[Conflict]
) -> None:
    """Conflicts of the attribute ``tag`` among ``holders`` ((label, object) pairs); items of
    sequences are compared item by item, on the attributes both item classes define."""
    states: list[tuple[str, _Step, object]] = []
    for label, holder in holders:
        step = type(holder)._steps().get(tag)
        if step is None:
            continue
        value = getattr(holder, step.name)
        if value is None:
            if tag in holder.empty_tags:
                states.append((label, step, _EMPTY))
            continue
        states.append((label, step, value))
    if len(states) < 2:
        return
    path = prefix + states[0][1].name
    values = [value for _, _, value in states]
    if all(step.item is not None for _, step, _ in states) and _EMPTY not in values:
        lengths = {len(value) for value in values}  # type: ignore[arg-type]
        if len(lengths) == 1:
            for index in range(lengths.pop()):
                items = [(label, value[index]) for label, _, value in states]  # type: ignore[index]
                tags = sorted(set().union(*(type(item)._steps() for _, item in items)))
                for item_tag in tags:
                    _compare(item_tag, items, f"{path}[{index}].", out)
            return
    elif all(value == values[0] for value in values[1:]):
        return
    shown = tuple((label, None if value is _EMPTY else value) for label, _, value in states)
    out.append(Conflict(Tag(tag), states[0][1].name, path, shown))


# -- IODs --------------------------------------------------------------------------------------
@attrs.frozen(slots=True)
class _Source:
    """What an IOD object keeps of the data set it was read from."""

    extra: tuple[DataElement | RawDataElement, ...]
    transfer_syntax: str | None


class IodModel:
    """Behaviour of the generated IOD classes: one field per module."""

    __slots__ = ("_source",)

    SOP_CLASS_UIDS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_dataset(cls, dataset: Dataset, *, strict: bool = True) -> Self:
        """Build every module; a C or U module is None when none of its attributes is present,
        or when each one present is also an attribute of a module the IOD requires (M), which
        holds it: an Instance Number shared with SOP Common does not make a Structure Set.

        The elements no module defines are kept (:meth:`extra_elements`), with the Transfer
        Syntax UID of ``dataset``'s File Meta Information. With ``strict`` (the default) a data
        set whose SOP Class UID is not one of :attr:`SOP_CLASS_UIDS` raises
        :class:`SOPClassMismatchError`, and modules that disagree :class:`ConflictError`.
        """
        plan = _iod_plan(cls)
        if strict:
            _check_sop_class(cls, dataset)
        values: dict[str, object] = {}
        for module_field in _fields(cls):
            module = plan.classes[module_field.name].from_dataset(dataset)
            if module_field.metadata["usage"] != "M" and module.tags_present() <= plan.required:
                continue
            values[module_field.name] = module
        read = cls(**values)
        source = _Source(_extra_elements(dataset, plan.defined), transfer_syntax(dataset))
        object.__setattr__(read, "_source", source)
        if strict:
            conflicts = read.conflicts()
            if conflicts:
                raise ConflictError(cls.__name__, conflicts)
        return read

    def extra_elements(self) -> tuple[DataElement | RawDataElement, ...]:
        """The elements of the data set this object was read from that no module of the IOD
        defines (private elements, attributes of other IODs …), in tag order, as read (an
        element pydicom had not decoded is a ``RawDataElement``). Elements of sequence items
        are kept by the item objects (``DatasetModel.extra_elements``)."""
        source: _Source | None = getattr(self, "_source", None)
        return source.extra if source is not None else ()

    @property
    def transfer_syntax(self) -> str | None:
        """The Transfer Syntax UID of the file this object was read from, if any."""
        source: _Source | None = getattr(self, "_source", None)
        return source.transfer_syntax if source is not None else None

    def evolve(self, **changes: Any) -> Self:
        """A copy with ``changes`` (as ``attrs.evolve``) that keeps what it kept of its source
        data set (``attrs.evolve`` does not)."""
        changed: Self = attrs.evolve(cast(Any, self), **changes)
        _carry(self, changed, "_source")
        return changed

    def conflicts(self) -> tuple[Conflict, ...]:
        """Every attribute that modules of this object hold with different values (a value in
        one and another value, or empty, in another), in tag order; in sequences both hold, the
        items are compared item by item."""
        plan = _iod_plan(type(self))
        found: list[Conflict] = []
        for tag, names in plan.shared:
            holders = [
                (name, module) for name in names if (module := getattr(self, name)) is not None
            ]
            if len(holders) > 1:
                _compare(tag, holders, "", found)
        return tuple(found)

    def to_dataset(
        self,
        *,
        file_meta: bool = False,
        transfer_syntax: str | None = None,
        strict: bool = True,
    ) -> Dataset:
        """The data set of every module, then the elements kept from the source where no
        module gave one.

        ``file_meta``: add File Meta Information (:func:`file_meta_for`) with
        ``transfer_syntax``, else the source's, else Explicit VR Little Endian. ``strict``: if
        modules disagree (:meth:`conflicts`) raise :class:`ConflictError`; with ``strict=False``
        the first module of the IOD's table gives the value.
        """
        from pydicom.dataset import Dataset

        if strict:
            conflicts = self.conflicts()
            if conflicts:
                raise ConflictError(type(self).__name__, conflicts)
        dataset = Dataset()
        modules = [module for _, module in self.modules()]
        for module in modules:
            module._write_values(dataset)
        for module in modules:
            module._write_extra(dataset)
        _add_missing(dataset, self.extra_elements())
        syntax = transfer_syntax or self.transfer_syntax
        _mark_encapsulated(dataset, syntax)
        _settle_vrs(dataset, [])
        if file_meta:
            dataset.file_meta = file_meta_for(dataset, syntax)
        return dataset

    def modules(self) -> Iterable[tuple[str, DatasetModel]]:
        for module_field in _fields(type(self)):
            module = getattr(self, module_field.name)
            if module is not None:
                yield module_field.name, module

    @classmethod
    def skeleton(cls, sop_class_uid: str | None = None, *, new_uids: bool = False) -> Skeleton:
        """A data set of this IOD to fill in: see :func:`dicomstd.skeleton.skeleton`.

        ``sop_class_uid``: needed only when the IOD has several SOP Classes."""
        from dicomstd.skeleton import skeleton

        uids = cls.SOP_CLASS_UIDS
        if sop_class_uid is not None:
            sop_class_uid = bare_text(sop_class_uid)
        if sop_class_uid is None:
            if len(uids) != 1:
                raise ValueError(
                    f"{cls.__name__} is the IOD of {len(uids)} SOP Classes "
                    f"({', '.join(uids) or 'none'}): give the one to build"
                )
            sop_class_uid = uids[0]
        elif sop_class_uid not in uids:
            raise ValueError(
                f"{sop_class_uid} is not a SOP Class of {cls.__name__} ({', '.join(uids)})"
            )
        return skeleton(sop_class_uid, new_uids=new_uids)


@attrs.frozen(slots=True)
class _IodPlan:
    classes: dict[str, type[DatasetModel]]
    """The module class of each field."""
    required: frozenset[int]
    """The tags the IOD's M modules define."""
    defined: frozenset[int]
    """The tags any module of the IOD defines."""
    shared: tuple[tuple[int, tuple[str, ...]], ...]
    """Each tag several modules define, with those modules' fields in table order."""


_IOD_PLANS: dict[type, _IodPlan] = {}


def _iod_plan(cls: type[IodModel]) -> _IodPlan:
    plan = _IOD_PLANS.get(cls)
    if plan is None:
        fields = _fields(cls)
        classes = {
            f.name: module_class(f.metadata["module_key"], f.metadata["module_class"])
            for f in fields
        }
        required = frozenset(
            tag for f in fields if f.metadata["usage"] == "M" for tag in classes[f.name]._steps()
        )
        owners: dict[int, list[str]] = {}
        for f in fields:
            for tag in classes[f.name]._steps():
                owners.setdefault(tag, []).append(f.name)
        shared = tuple(
            (tag, tuple(names)) for tag, names in sorted(owners.items()) if len(names) > 1
        )
        plan = _IOD_PLANS[cls] = _IodPlan(classes, required, frozenset(owners), shared)
    return plan


def _check_sop_class(cls: type[IodModel], dataset: Dataset) -> None:
    if not cls.SOP_CLASS_UIDS or SOP_CLASS_UID not in dataset:
        return
    found = bare_text(dataset[SOP_CLASS_UID].value)
    if found and found not in cls.SOP_CLASS_UIDS:
        raise SOPClassMismatchError(cls, found)


def _mismatch_message(cls: type[IodModel], found: str) -> str:
    from dicomstd import spec, uid
    from dicomstd.iods import for_sop_class

    def named(value: str) -> str:
        info = uid.get(value)
        return f"{value} ({info.name})" if info is not None else f"{value} (not in the registry)"

    try:
        iod = spec.iod(cls.SOP_CLASS_UIDS[0])
        what = f"the {iod.name} IOD (PS3.3 table {iod.source.removeprefix('table_')})"
    except KeyError:
        what = "its IOD"
    expected = ", ".join(named(value) for value in cls.SOP_CLASS_UIDS)
    try:
        other = for_sop_class(found).__name__
        hint = f"read it with dicomstd.iods.{other}, or "
    except KeyError:
        hint = ""
    return (
        f"{cls.__name__} reads {what}, of SOP Class {expected} (PS3.4 B.5); the data set's SOP "
        f"Class UID (0008,0016) is {named(found)}: {hint}pass strict=False to read it as "
        f"{cls.__name__} anyway"
    )


def _extra_elements(dataset: Dataset, defined: Iterable[int] | frozenset[int]) -> tuple[Any, ...]:
    """The elements of ``dataset`` whose tags are not in ``defined``, in tag order.

    An element pydicom has not decoded yet is kept as it is (a ``RawDataElement``, an immutable
    tuple of the encoded bytes); a decoded one is copied, so that the object does not change
    when the data set it was read from does. A deferred value (read from the file on access) is
    read now."""
    elements = getattr(dataset, "_dict", None)
    tags = elements.keys() if elements is not None else [e.tag for e in dataset]
    kept = []
    for tag in sorted(tag for tag in tags if tag not in defined):
        element = elements[tag] if elements is not None else dataset[tag]
        if element.is_raw and element.value is not None:
            kept.append(element)
        else:
            kept.append(copy.deepcopy(dataset[tag]))
    return tuple(kept)


def _add_missing(dataset: Dataset, elements: Iterable[Any]) -> None:
    """Add copies of ``elements`` whose tags ``dataset`` lacks.

    An element not decoded yet goes in as it is, as pydicom's reader leaves it: the data set
    decodes it on first access (with its own Specific Character Set and Private Creators), and
    pydicom's writer decodes it before encoding it anew (a data set made here has no original
    encoding)."""
    raw = getattr(dataset, "_dict", None)
    for element in elements:
        tag = element.tag
        if tag in dataset:
            continue
        if not element.is_raw:
            dataset.add(copy.deepcopy(element))
        elif raw is not None:
            raw[tag] = element
        else:
            dataset[tag] = element


def _same_items(dataset: Dataset, tag: int, value: tuple[DatasetModel, ...]) -> list[Dataset]:
    """The items of the sequence ``tag`` of ``dataset`` when it has as many as ``value`` (one
    sequence two modules define, seen through each one's item class), else none."""
    element = dataset[tag]
    items = element.value if element.VR == "SQ" else None
    if items is None or len(items) != len(value):
        return []
    return list(items)


PIXEL_DATA = 0x7FE00010


ITEM_TAG = b"\xfe\xff\x00\xe0"
"""(FFFE,E000) little endian: encapsulated Pixel Data starts with the Basic Offset Table Item."""


def _mark_encapsulated(dataset: Dataset, transfer_syntax: str | None) -> None:
    """Pixel Data of a transfer syntax that encapsulates it: OB, undefined length (PS3.5
    A.4), whatever Bits Allocated says. Only a value that is encapsulated (its first Item is the
    Basic Offset Table) is marked: native pixels under such a transfer syntax stay a mismatch
    pydicom's writer reports."""
    if not transfer_syntax or PIXEL_DATA not in dataset:
        return
    from pydicom.uid import UID

    if not UID(transfer_syntax).is_encapsulated:
        return
    element = dataset[PIXEL_DATA]
    if isinstance(element.value, bytes) and element.value.startswith(ITEM_TAG):
        element.VR = "OB"
        element.is_undefined_length = True


def _carry(source: object, target: object, slot: str) -> None:
    kept = getattr(source, slot, None)
    if kept is not None:
        object.__setattr__(target, slot, kept)


def file_meta_for(dataset: Dataset, transfer_syntax: str | None = None) -> FileMetaDataset:
    """File Meta Information for ``dataset`` (PS3.10 7.1, table 7.1-1).

    Media Storage SOP Class and Instance UID are the data set's SOP Class and SOP Instance UID
    (both must have a value: a :class:`ValueError` names the missing one); the Transfer Syntax
    UID is ``transfer_syntax`` (Explicit VR Little Endian when None; a UID that is not a
    Transfer Syntax of the registry is a ``ValueError``); the Implementation Class UID and
    Version Name are dicomstd's (:data:`IMPLEMENTATION_CLASS_UID`).
    """
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import UID

    from dicomstd import uid

    missing = []
    values = []
    for tag, name in ((SOP_CLASS_UID, "SOP Class UID"), (SOP_INSTANCE_UID, "SOP Instance UID")):
        element = dataset.get(tag)
        value = uid.bare_uid(str(element.value or "")) if element is not None else ""
        if not value:
            missing.append(f"{name} {Tag(tag)}")
        values.append(value)
    if missing:
        raise ValueError(
            f"File Meta Information needs the data set's {' and '.join(missing)}, which it "
            "has no value for: PS3.10 7.1 copies them into the Media Storage SOP Class and "
            "Instance UID, Type 1"
        )
    syntax = uid.bare_uid(transfer_syntax or EXPLICIT_VR_LITTLE_ENDIAN)
    info = uid.get(syntax)
    if info is None or info.type != "Transfer Syntax":
        raise ValueError(f"{syntax!r} is not a Transfer Syntax UID of the registry (PS3.6 A-1)")
    meta = FileMetaDataset()
    meta.FileMetaInformationVersion = b"\x00\x01"
    meta.MediaStorageSOPClassUID = UID(values[0])
    meta.MediaStorageSOPInstanceUID = UID(values[1])
    meta.TransferSyntaxUID = UID(syntax)
    meta.ImplementationClassUID = UID(IMPLEMENTATION_CLASS_UID)
    meta.ImplementationVersionName = _implementation_version_name()
    return meta


def _implementation_version_name() -> str:
    """``DICOMSTD <version>``, at most 16 characters (SH, PS3.7 D.3.3.2)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("dicomstd")
    except PackageNotFoundError:
        return "DICOMSTD"
    return f"DICOMSTD {number}"[:16].rstrip()


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str | bytes):
        return len(value) == 0
    try:
        return len(value) == 0  # type: ignore[arg-type]
    except TypeError:
        return False


@attrs.frozen
class _Step:
    name: str
    tag: int
    vrs: tuple[str, ...]
    multiple: bool
    item: type[DatasetModel] | None
    vr: str = attrs.field(init=False)
    """The one VR values convert by ("" when the dictionary gives several or none)."""

    @vr.default
    def _single_vr(self) -> str:
        return self.vrs[0] if len(self.vrs) == 1 else ""

    def read(self, value: object) -> object:
        if self.item is not None:
            return tuple(self.item._read(entry, keep=True) for entry in value)  # type: ignore[attr-defined]
        many = _is_many(value)
        if self.multiple:
            entries = list(value) if many else [value]  # type: ignore[call-overload]
            return tuple(self._scalar(entry) for entry in entries)
        if many:
            entries = list(value)  # type: ignore[call-overload]
            if self.vrs and self.vrs[0] in STRING_VRS:
                return "\\".join(str(self._scalar(e)) for e in entries)
            return self._scalar(entries[0])
        return self._scalar(value)

    def _scalar(self, value: object) -> object:
        vr = self.vr
        if vr in FLOAT_VRS:
            return float(value)  # type: ignore[arg-type]
        if vr in INT_VRS:
            return int(value)  # type: ignore[call-overload]
        if vr in STRING_VRS:
            return str(value)
        if vr in BYTES_VRS:
            return bytes(value)  # type: ignore[call-overload]
        return str(value) if isinstance(value, str) else value

    def write(self, value: object) -> object:
        if self.item is not None:
            from pydicom.sequence import Sequence

            return Sequence([entry._values_dataset() for entry in value])  # type: ignore[attr-defined]
        if isinstance(value, tuple):
            return list(value)
        return value

    def empty(self) -> object:
        """The empty value pydicom itself gives for this VR ("" for text, None for numbers)."""
        if self.item is not None:
            from pydicom.sequence import Sequence

            return Sequence([])
        if self.vrs and all(vr in STRING_VRS for vr in self.vrs):
            return ""
        return None

    def vr_to_write(self, value: object) -> str:
        """The VR to add the element with: pydicom's ambiguous VR when the dictionary gives one
        of its ambiguous sets (settled later from the dataset), else :meth:`vr_for`."""
        if self.item is None and len(self.vrs) > 1:
            ambiguous = _ambiguous().get(frozenset(self.vrs))
            if ambiguous is not None:
                return ambiguous
        return self.vr_for(value)

    def vr_for(self, value: object) -> str:
        return _guess_vr(self.vrs, value) if self.item is None else "SQ"


def _guess_vr(vrs: tuple[str, ...], value: object) -> str:
    """A VR from the value alone, when the dataset cannot tell."""
    if len(vrs) == 1:
        return vrs[0]
    if not vrs:
        return "UN"
    if isinstance(value, bytes):
        return next((v for v in vrs if v in BYTES_VRS), vrs[-1])
    numbers = list(value) if _is_many(value) else [value]  # type: ignore[call-overload]
    if any(isinstance(n, int) and n < 0 for n in numbers) and "SS" in vrs:
        return "SS"
    return vrs[0]


_AMBIGUOUS: dict[frozenset[str], str] = {}


def _ambiguous() -> dict[frozenset[str], str]:
    """pydicom's ambiguous VRs by the set of VRs they stand for."""
    if not _AMBIGUOUS:
        from pydicom.valuerep import AMBIGUOUS_VR

        _AMBIGUOUS.update({frozenset(str(vr).split(" or ")): str(vr) for vr in AMBIGUOUS_VR})
    return _AMBIGUOUS


def _settle_vrs(dataset: Dataset, ancestors: list[Dataset]) -> None:
    """Replace every ambiguous VR (``OB or OW`` …) by the one the dataset calls for.

    pydicom's rules decide (Bits Allocated for Pixel Data, Pixel Representation for US or SS,
    LUT Descriptor for LUT Data); where the dataset lacks what they need, the value decides.
    """
    from pydicom.filewriter import correct_ambiguous_vr_element

    chain = [dataset, *ancestors]
    for element in dataset.elements():
        vr = str(element.VR)
        if vr == "SQ":
            for item in dataset[element.tag].value:
                _settle_vrs(item, chain)
            continue
        if " or " not in vr:
            continue
        choices = tuple(vr.split(" or "))
        element = dataset[element.tag]
        # what the rule needs is not in the dataset, or has no value (an empty Bits Allocated)
        with contextlib.suppress(AttributeError, TypeError):
            correct_ambiguous_vr_element(element, dataset, True, chain)
        settled = str(element.VR)
        if " or " in settled or (settled == "US" and _guess_vr(choices, element.value) == "SS"):
            element.VR = _guess_vr(choices, element.value)


_MANY: list[tuple[type, ...]] = []


def _is_many(value: object) -> bool:
    if not _MANY:
        from pydicom.multival import MultiValue

        _MANY.append((MultiValue, list, tuple))
    return isinstance(value, _MANY[0])


_PLANS: dict[type, tuple[_Step, ...]] = {}
_STEPS: dict[type, dict[int, _Step]] = {}


def _fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    found: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    return found


def _build_plan(cls: type[DatasetModel]) -> tuple[_Step, ...]:
    import importlib

    steps: list[_Step] = []
    owners = _owners(cls)
    for attribute in _fields(cls):
        meta = attribute.metadata
        if "tag" not in meta:
            continue
        item: type[DatasetModel] | None = None
        if meta["item"]:
            # an inherited field names its item class where its own class is defined
            owner = owners.get(attribute.name, cls)
            module = importlib.import_module(owner.__module__)
            item = _resolve(module, owner, meta["item"])
        vrs = tuple(meta["vr"].split()) if meta["vr"] else ()
        steps.append(_Step(attribute.name, meta["tag"], vrs, meta["multiple"], item))
    return tuple(steps)


def _owners(cls: type) -> dict[str, type]:
    """Field name -> the class that defines it (a generated class extends the classes of the
    macros its table includes)."""
    owners: dict[str, type] = {}
    for klass in reversed(cls.__mro__):
        for attribute in getattr(klass, "__attrs_attrs__", ()):
            if not attribute.inherited:
                owners[attribute.name] = klass
    return owners


def _resolve(module: Any, owner: type, dotted: str) -> type[DatasetModel]:
    """An item class named relative to its owner (nested) or to the owner's module."""
    target: Any = owner
    for part in dotted.split("."):
        if hasattr(target, part):
            target = getattr(target, part)
            continue
        target = getattr(module, part)
    return target  # type: ignore[no-any-return]
