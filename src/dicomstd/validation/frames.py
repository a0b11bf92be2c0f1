"""The frames of an enhanced multi-frame data set, as its functional groups describe them.

PS3.3 C.7.6.16 (Multi-frame Functional Groups Module): the Shared Functional Groups Sequence
(5200,9229) holds the functional group macros common to all frames; the Per-frame Functional
Groups Sequence (5200,9230) holds those of each frame: "The first Item corresponds with the first
frame, and so on. [...] The number of Items shall be the same as the number of frames in the
Multi-frame image."

:class:`Frames` indexes the items once per validation. :meth:`Frames.view` is what a condition of
a functional group attribute sees as "this frame": the attributes of every functional group item
of the frame, then of the shared item (a CT Acquisition Details condition on Acquisition Type
finds it in the frame's CT Acquisition Type item). :meth:`Frames.shared_view` is the same for
the shared item: its own functional group items, then any attribute that every frame has with
one and the same value (then "this frame" has one answer for all frames).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, KeysView, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

from mypy_extensions import mypyc_attr

from dicomstd.validation._dataset import elements, items

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["PER_FRAME_FUNCTIONAL_GROUPS", "SHARED_FUNCTIONAL_GROUPS", "FrameView", "Frames"]

SHARED_FUNCTIONAL_GROUPS: Final = 0x52009229
PER_FRAME_FUNCTIONAL_GROUPS: Final = 0x52009230


class FrameView:
    """The attributes of the functional group items of one frame (or of the shared item), by
    tag: a data set as conditions read one (``in``, ``[tag]``, ``keys()``). Built on first use:
    most frames' conditions never look outside their own item."""

    __slots__ = ("_build", "_common", "_found", "_table")

    def __init__(self, build: Callable[[], _Index], common: Frames | None = None) -> None:
        self._build = build
        self._found: dict[int, Dataset] | None = None
        self._table: dict[int, Any] | None = None
        self._common = common
        """For the shared item: the frames, to find what every frame has alike."""

    def _index(self) -> None:
        found, table = self._build()
        self._found = found
        self._table = table if self._common is None else _AlikeTable(table, self._common)

    @property
    def _origin(self) -> dict[int, Dataset]:
        """Each tag's first holder: the functional group item it is in."""
        if self._found is None:
            self._index()
        assert self._found is not None
        return self._found

    def table(self) -> Mapping[int, Any]:
        """The view's elements by int tag, as the holders had them when the view was built (a
        raw one is converted through ``view[tag]``): what ``tag in view`` and ``view[tag]``
        find, as one mapping (for the shared item, ``get`` also finds what every frame has
        alike)."""
        if self._table is None:
            self._index()
        assert self._table is not None
        return self._table

    def __contains__(self, tag: object) -> bool:
        if tag in self._origin:
            return True
        return self._common is not None and isinstance(tag, int) and self._alike(tag) is not None

    def __getitem__(self, tag: int) -> Any:
        holder = self._origin.get(tag)
        if holder is not None:
            return holder[tag]
        found = self._alike(tag) if self._common is not None else None
        if found is None:
            raise KeyError(tag)
        return found

    def keys(self) -> KeysView[int]:
        return self._origin.keys()

    def __iter__(self) -> Iterator[int]:
        return iter(self._origin)

    def _alike(self, tag: int) -> Any:
        assert self._common is not None
        return self._common.alike(tag)


_Index = tuple[dict[int, "Dataset"], dict[int, Any]]


@mypyc_attr(native_class=False)
class _AlikeTable(dict[int, Any]):
    """The shared item's elements by tag; ``get`` falls back on what every frame has alike."""

    __slots__ = ("_frames",)

    def __init__(self, found: Mapping[int, Any], frames: Frames) -> None:
        super().__init__(found)
        self._frames = frames

    def get(self, tag: int, default: Any = None) -> Any:
        found = dict.get(self, tag)
        if found is None:
            found = self._frames.alike(tag)
        return default if found is None else found


def _origin(
    holders: Sequence[tuple[Dataset, dict[int, Any]]], copies: dict[int, dict[int, Any]]
) -> _Index:
    """Tag -> the first functional group item holding it, and tag -> its element there, over
    the macro items of ``holders`` (a per-frame item, then the shared item). The elements of
    each macro item (:func:`elements`) are kept in ``copies`` by the item's ``id``, for the
    walk of the item; a raw sequence of a holder, converted here, is replaced in its
    ``contents`` by its converted element."""
    found: dict[int, Dataset] = {}
    table: dict[int, Any] = {}
    for holder, contents in holders:
        for tag, element in contents.items():
            vr = element.VR
            if vr != "SQ" and vr is not None:  # None: implicit VR, not read yet
                continue
            macros = items(holder, contents, tag)
            if element.is_raw:  # parsed now: the holder has its converted element
                converted = cast("Any", holder)._dict.get(tag)
                if converted is not None:
                    contents[tag] = converted
            for item in macros:
                inside = copies[id(item)] = elements(item)
                for inner, value in inside.items():
                    if inner not in found:
                        found[inner] = item
                        table[inner] = value
    return found, table


class Frames:
    """The shared and per-frame functional group items of one data set, indexed once."""

    __slots__ = (
        "_alike",
        "_contents",
        "_copies",
        "_shared_contents",
        "_shared_index",
        "_shared_view",
        "_views",
        "frames",
        "shared",
    )

    def __init__(
        self,
        dataset: Dataset,
        top: Mapping[int, Any],
        copies: dict[int, dict[int, Any]] | None = None,
    ) -> None:
        self._copies: dict[int, dict[int, Any]] = {} if copies is None else copies
        """The elements of the items indexed (:func:`elements`), by the item's ``id``: the walk
        of an item takes (pops) its copy from here instead of making another."""
        shared = items(dataset, top, SHARED_FUNCTIONAL_GROUPS)
        self.shared: Dataset | None = shared[0] if shared else None
        self.frames: Sequence[Dataset] = items(dataset, top, PER_FRAME_FUNCTIONAL_GROUPS)
        self._contents: list[dict[int, Any] | None] = [None] * len(self.frames)
        self._views: list[FrameView | None] = [None] * len(self.frames)
        self._shared_view: FrameView | None = None
        self._shared_contents: dict[int, Any] | None = None
        self._shared_index: _Index | None = None
        self._alike: dict[int, Any] = {}

    def shared_contents(self) -> dict[int, Any]:
        """The elements of the shared item, by int tag."""
        if self._shared_contents is None:
            shared = self.shared
            self._shared_contents = {} if shared is None else self._copy(shared)
        return self._shared_contents

    def contents(self, index: int) -> dict[int, Any]:
        """The elements of the per-frame item of frame ``index`` (0-based), by int tag."""
        found = self._contents[index]
        if found is None:
            found = self._contents[index] = self._copy(self.frames[index])
        return found

    def _copy(self, item: Dataset) -> dict[int, Any]:
        """:func:`elements` of ``item``, kept in the copies for its walk too."""
        found = self._copies[id(item)] = elements(item)
        return found

    def view(self, index: int) -> FrameView:
        """Frame ``index`` (0-based) as its conditions see it."""
        found = self._views[index]
        if found is None:
            found = self._views[index] = FrameView(lambda: self._frame_index(index))
        return found

    def _frame_index(self, index: int) -> _Index:
        """:func:`_origin` of the per-frame item of frame ``index``, then the shared item: the
        frame's own index, then the shared item's (made once for every frame) for the tags the
        frame has not."""
        found, table = _origin([(self.frames[index], self.contents(index))], self._copies)
        if self.shared is None:
            return found, table
        shared_found, shared_table = self._shared_origin()
        for tag, holder in shared_found.items():
            if tag not in found:
                found[tag] = holder
                table[tag] = shared_table[tag]
        return found, table

    def _shared_origin(self) -> _Index:
        """:func:`_origin` of the shared item, made once: for its view and every frame's."""
        if self._shared_index is None:
            shared = self.shared
            holders = [(shared, self.shared_contents())] if shared is not None else []
            self._shared_index = _origin(holders, self._copies)
        return self._shared_index

    def shared_view(self) -> FrameView:
        """The shared item as its conditions see it."""
        if self._shared_view is None:
            self._shared_view = FrameView(self._shared_origin, self)
        return self._shared_view

    def release(self) -> None:
        """Let go of the views: each refers back to these frames (its index is made from them),
        so without this the items of every frame would wait for the cyclic collector."""
        self._views = []
        self._shared_view = None

    def alike(self, tag: int) -> Any:
        """The element ``tag`` when every frame's functional groups have it with one value."""
        if tag in self._alike:
            return self._alike[tag]
        found: Any = None
        for index in range(len(self.frames)):
            view = self.view(index)
            if tag not in view:
                found = None
                break
            element = view[tag]
            if found is None:
                found = element
            elif element.value != found.value:
                found = None
                break
        self._alike[tag] = found
        return found
