"""Base classes of the generated module, macro, item and IOD classes.

Generated classes are frozen attrs classes whose fields are named by keyword and carry the tag,
Type, VR and VM in their metadata. This module turns them into pydicom datasets and back:

* ``from_dataset(ds)``: every attribute the class defines is read (absent -> ``None``), values are
  converted by VR (DS -> float, IS -> int, PN -> str, multi-valued -> tuple, SQ -> tuple of item
  objects); attributes present with an empty value are remembered in ``empty_tags`` so that
  ``to_dataset()`` writes them back empty (a Type 2 attribute stays present);
* ``to_dataset()``: the reverse, with the VR from the dictionary.

The conversion plan of a class is computed once, from its field metadata.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Self

import attrs

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["DatasetModel", "IodModel", "field", "module_class", "module_field"]

_STRING = frozenset(
    {"AE", "AS", "CS", "DA", "DT", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
)
_FLOAT = frozenset({"DS", "FL", "FD"})
_INT = frozenset({"IS", "SL", "SS", "UL", "US", "SV", "UV", "AT"})
_BYTES = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})


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
        for step in cls._plan():
            if step.tag not in dataset:
                continue
            value = dataset[step.tag].value
            if _is_empty(value):
                empty.append(step.tag)
                continue
            values[step.name] = step.read(value)
        return cls(**values, empty_tags=frozenset(empty))  # type: ignore[call-arg]

    def to_dataset(self) -> Dataset:
        from pydicom.dataset import Dataset

        dataset = Dataset()
        self.write_into(dataset)
        return dataset

    def write_into(self, dataset: Dataset) -> None:
        """Add this object's attributes to ``dataset`` (attributes already there are kept)."""
        for step in self._plan():
            value = getattr(self, step.name)
            if value is None:
                if step.tag in self.empty_tags and step.tag not in dataset:
                    dataset.add_new(step.tag, step.vr_for(None), step.empty())
                continue
            if step.tag not in dataset:
                dataset.add_new(step.tag, step.vr_for(value), step.write(value))

    def present(self) -> Iterator[tuple[str, object]]:
        """(field name, value) of every attribute that is set."""
        for step in self._plan():
            value = getattr(self, step.name)
            if value is not None:
                yield step.name, value

    def is_empty(self) -> bool:
        return not self.empty_tags and next(self.present(), None) is None

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
        """Build every module; a C or U module none of whose attributes is present is None."""
        values: dict[str, object] = {}
        for module_field in _fields(cls):
            meta = module_field.metadata
            module = module_class(meta["module_key"], meta["module_class"]).from_dataset(dataset)
            if module.is_empty() and meta["usage"] != "M":
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
        return dataset

    def modules(self) -> Iterable[tuple[str, DatasetModel]]:
        for module_field in _fields(type(self)):
            module = getattr(self, module_field.name)
            if module is not None:
                yield module_field.name, module


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

    def read(self, value: object) -> object:
        if self.item is not None:
            return tuple(self.item.from_dataset(entry) for entry in value)  # type: ignore[attr-defined]
        many = _is_many(value)
        if self.multiple:
            entries = list(value) if many else [value]  # type: ignore[call-overload]
            return tuple(self._scalar(entry) for entry in entries)
        if many:
            entries = list(value)  # type: ignore[call-overload]
            if self.vrs and self.vrs[0] in _STRING:
                return "\\".join(str(self._scalar(e)) for e in entries)
            return self._scalar(entries[0])
        return self._scalar(value)

    def _scalar(self, value: object) -> object:
        vr = self.vrs[0] if len(self.vrs) == 1 else ""
        if vr in _FLOAT:
            return float(value)  # type: ignore[arg-type]
        if vr in _INT:
            return int(value)  # type: ignore[call-overload]
        if vr in _STRING:
            return str(value)
        if vr in _BYTES:
            return bytes(value)  # type: ignore[call-overload]
        if isinstance(value, bytes | int | float):
            return value
        return str(value) if isinstance(value, str) else value

    def write(self, value: object) -> object:
        if self.item is not None:
            from pydicom.sequence import Sequence

            return Sequence([entry.to_dataset() for entry in value])  # type: ignore[attr-defined]
        if isinstance(value, tuple):
            return list(value)
        return value

    def empty(self) -> object:
        """The empty value pydicom itself gives for this VR ("" for text, None for numbers)."""
        if self.item is not None:
            from pydicom.sequence import Sequence

            return Sequence([])
        if self.vrs and all(vr in _STRING for vr in self.vrs):
            return ""
        return None

    def vr_for(self, value: object) -> str:
        if self.item is not None:
            return "SQ"
        if len(self.vrs) == 1:
            return self.vrs[0]
        if not self.vrs:
            return "UN"
        if isinstance(value, bytes):
            return next((v for v in self.vrs if v in _BYTES), self.vrs[-1])
        numbers = value if isinstance(value, tuple) else (value,)
        if any(isinstance(n, int) and n < 0 for n in numbers) and "SS" in self.vrs:
            return "SS"
        return self.vrs[0]


def _is_many(value: object) -> bool:
    from pydicom.multival import MultiValue

    return isinstance(value, MultiValue | list | tuple)


_PLANS: dict[type, tuple[_Step, ...]] = {}


def _fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    found: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    return found


def _build_plan(cls: type[DatasetModel]) -> tuple[_Step, ...]:
    import importlib

    steps: list[_Step] = []
    module = importlib.import_module(cls.__module__)
    for attribute in _fields(cls):
        meta = attribute.metadata
        if "tag" not in meta:
            continue
        item: type[DatasetModel] | None = None
        if meta["item"]:
            item = _resolve(module, cls, meta["item"])
        vrs = tuple(meta["vr"].split()) if meta["vr"] else ()
        steps.append(_Step(attribute.name, meta["tag"], vrs, meta["multiple"], item))
    return tuple(steps)


def _resolve(module: Any, owner: type, dotted: str) -> type[DatasetModel]:
    """An item class named relative to its owner (nested) or to the owner's module."""
    target: Any = owner
    for part in dotted.split("."):
        if hasattr(target, part):
            target = getattr(target, part)
            continue
        target = getattr(module, part)
    return target  # type: ignore[no-any-return]
