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

The conversion plan of a class is computed once, from its field metadata.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Self

import attrs

from dicomstd.vr import BYTES_VRS, FLOAT_VRS, INT_VRS, STRING_VRS

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["DatasetModel", "IodModel", "field", "module_class", "module_field"]


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

    __slots__ = ()

    empty_tags: frozenset[int]

    @classmethod
    def _plan(cls) -> tuple[_Step, ...]:
        plan = _PLANS.get(cls)
        if plan is None:
            plan = _PLANS[cls] = _build_plan(cls)
        return plan

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Self:
        """Read every attribute this class defines from ``dataset`` (absent ones are None)."""
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
        return cls(**values, empty_tags=frozenset(empty))  # type: ignore[call-arg]

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
        """Add this object's attributes to ``dataset`` (attributes already there are kept).

        An attribute the dictionary gives several VRs is added with pydicom's ambiguous VR
        (``OB or OW`` …), which ``to_dataset`` and pydicom's writer settle from the dataset.
        """
        for step in self._plan():
            value = getattr(self, step.name)
            if value is None:
                if step.tag in self.empty_tags and step.tag not in dataset:
                    dataset.add_new(step.tag, step.vr_to_write(None), step.empty())
                continue
            if step.tag not in dataset:
                dataset.add_new(step.tag, step.vr_to_write(value), step.write(value))

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


class IodModel:
    """Behaviour of the generated IOD classes: one field per module."""

    __slots__ = ()

    SOP_CLASS_UIDS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Self:
        """Build every module; a C or U module is None when none of its attributes is present,
        or when each one present is also an attribute of a module the IOD requires (M), which
        holds it: an Instance Number shared with SOP Common does not make a Structure Set."""
        classes, required = _iod_plan(cls)
        values: dict[str, object] = {}
        for module_field in _fields(cls):
            module = classes[module_field.name].from_dataset(dataset)
            if module_field.metadata["usage"] != "M" and module.tags_present() <= required:
                continue
            values[module_field.name] = module
        return cls(**values)

    def to_dataset(self) -> Dataset:
        from pydicom.dataset import Dataset

        dataset = Dataset()
        for module_field in _fields(type(self)):
            module = getattr(self, module_field.name)
            if module is not None:
                module.write_into(dataset)
        _settle_vrs(dataset, [])
        return dataset

    def modules(self) -> Iterable[tuple[str, DatasetModel]]:
        for module_field in _fields(type(self)):
            module = getattr(self, module_field.name)
            if module is not None:
                yield module_field.name, module


_IOD_PLANS: dict[type, tuple[dict[str, type[DatasetModel]], frozenset[int]]] = {}


def _iod_plan(cls: type[IodModel]) -> tuple[dict[str, type[DatasetModel]], frozenset[int]]:
    """The module class of each field of an IOD class, and the tags its M modules define."""
    plan = _IOD_PLANS.get(cls)
    if plan is None:
        classes = {
            f.name: module_class(f.metadata["module_key"], f.metadata["module_class"])
            for f in _fields(cls)
        }
        required = frozenset(
            step.tag
            for f in _fields(cls)
            if f.metadata["usage"] == "M"
            for step in classes[f.name]._plan()
        )
        plan = _IOD_PLANS[cls] = (classes, required)
    return plan


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
            return tuple(self.item.from_dataset(entry) for entry in value)  # type: ignore[attr-defined]
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

            return Sequence([entry._dataset() for entry in value])  # type: ignore[attr-defined]
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
        with contextlib.suppress(AttributeError):  # what the rule needs is not in the dataset
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
