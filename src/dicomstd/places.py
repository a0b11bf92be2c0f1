"""Where the attributes a condition names are, in one IOD, and conditions made to look there.

A condition is evaluated in a chain of scopes (:mod:`dicomstd.conditions`): the item holding the
attribute being judged, each enclosing item, the top-level data set, and inside the functional
groups of an enhanced multi-frame image every functional group item of the frame. An attribute
the condition names is found only when the IOD puts it in one of these. PS3.3 also writes
conditions on attributes the module puts elsewhere:

* **in a sequence below the item being judged**, defined by the same module: "ICC Profile
  (0028,2000) Required if Data Path Assignment (0028,1402) is present and there exists any value
  other than PRIMARY_PVALUES" (Enhanced Palette Color Lookup Table Module; Data Path Assignment
  is an attribute of the items of Data Frame Assignment Sequence (0028,1401)), "any value of
  Crop (0070,1204)" (Volume Cropping, in the items of Volume Cropping Sequence). The attribute
  is taken as present, or as having a value, when *some item* has it: the condition becomes
  :class:`~dicomstd.conditions.InItems` over the sequences the module places it in;
* **in the functional groups**, named by an attribute of the whole image: "Referenced Image
  Evidence Sequence (0008,9092) Required if the Referenced Image Sequence (0008,1140) is present"
  (Enhanced CT Image Module; Referenced Image Sequence is the Referenced Image Functional Group
  Macro), whose values PS3.3 C.7.6.16 gives "either for the entire Image or per-frame": the
  attribute is looked for in the shared item and in the item of every frame;
* **in a sibling branch of an enclosing item**: "Dosimetric Objective Weight (3010,0074) Required
  if Absolute Dosimetric Objective Flag (3010,0073) is NO" (the flag is in the item of the
  Dosimetric Objective Sequence that the enclosing item references by UID), a macro's condition
  on an attribute only one of the items that include it has. Which item is meant cannot be told
  from the tables, nor when the module puts the attribute in several sequences below the judged
  item: that part of the condition is False when no such item holds the attribute, and
  unverifiable (``other-items``) otherwise, never a guess;
* **"of this frame" outside the functional groups** (CT X-Ray Details Macro in the items of the
  Multi-energy CT Acquisition Sequence): it holds when it holds for every frame, not when for
  none, and is unknown when frames differ; in an IOD that defines no frames, unknown.

An attribute the IOD defines only in the sequences of *other* modules (Pixel Data in the Icon
Image Sequence of an IOD whose image has no Pixel Data) is not the one the condition means, and
stays absent; so does one the IOD does not define at all. Conditions whose every reference is
where the chain looks are returned as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from dicomstd import spec
from dicomstd.conditions import (
    All,
    Any,
    Compare,
    Condition,
    Count,
    Equals,
    HasCode,
    HasValue,
    InItems,
    Node,
    Not,
    PointsToPrivate,
    Present,
    Scoped,
    Unverifiable,
    describe,
    other_than,
)

__all__ = ["ANY_MODULE", "Container", "Places"]

SHARED_FUNCTIONAL_GROUPS: Final = 0x52009229
PER_FRAME_FUNCTIONAL_GROUPS: Final = 0x52009230
GROUPS: Final = frozenset({SHARED_FUNCTIONAL_GROUPS, PER_FRAME_FUNCTIONAL_GROUPS})
ANY_MODULE: Final = ""
"""The module of a condition on a module or a functional group (the IOD's table): the
attributes of every module are its own."""

Container = tuple[int, ...]
"""Where an attribute is: the tags of the sequences that hold it, from the top level."""
_Path = tuple[int, ...]
_Atom = Present | HasValue | Equals | Compare | Count | HasCode | PointsToPrivate
_ATOMS: Final = (Present, HasValue, Equals, Compare, Count, HasCode, PointsToPrivate)


@attrs.frozen
class _Unknown:
    """A reference whose item cannot be told: it is in one of the items ``paths`` lead to,
    or in none. When it is in none of them the test is False for certain; else unknown."""

    paths: tuple[_Path, ...]


_Relocation = tuple[_Path, ...] | _Unknown | None


@attrs.frozen
class _Chain:
    """What a lookup sees: containers innermost first; ``anchored``: the innermost one is the
    item of a sequence the text names ("within Performed Protocol Code Sequence")."""

    containers: tuple[Container, ...]
    anchored: bool = False

    @property
    def in_groups(self) -> bool:
        return any(c and c[0] in GROUPS for c in self.containers)


class Places:
    """Where an IOD defines each attribute (every module, every depth, the functional group
    macros in their items), and :meth:`condition` to make a condition look there."""

    def __init__(self, iod: spec.IodSpec) -> None:
        found: dict[int, set[tuple[Container, str]]] = {}
        names: dict[int, str] = {}

        def visit(
            container: Container, attributes: Iterable[spec.AttributeSpec], module: str
        ) -> None:
            for attribute in attributes:
                tag = int(attribute.tag)
                found.setdefault(tag, set()).add((container, module))
                names.setdefault(tag, attribute.name)
                if attribute.items:
                    visit((*container, tag), attribute.items, module)

        for use in iod.modules:
            if use.module is not None:
                visit((), use.module.attributes, use.name)
        self._where = {tag: tuple(sorted(places)) for tag, places in found.items()}
        self._names = names
        self._done: dict[tuple[Condition, Container, str], Condition] = {}

    def where(self, tag: int) -> tuple[tuple[Container, str], ...]:
        """Each container the IOD defines ``tag`` in, with the module that defines it."""
        return self._where.get(tag, ())

    def condition(self, condition: Condition, container: Container, module: str) -> Condition:
        """``condition`` of an attribute in ``container`` of ``module`` (or of a module or
        functional group: ``()``, :data:`ANY_MODULE`), its references made to look where the
        IOD puts them (the same condition when they all are where its chain looks)."""
        key = (condition, container, module)
        done = self._done.get(key)
        if done is None:
            chain = _Chain(tuple(container[:index] for index in range(len(container), -1, -1)))
            parts = [
                self._node(node, chain, module) if node is not None else None
                for node in (condition.requirement, condition.otherwise_if, condition.forbidden_if)
            ]
            requirement, otherwise_if, forbidden_if = parts
            assert requirement is not None
            if (
                requirement is condition.requirement
                and otherwise_if is condition.otherwise_if
                and forbidden_if is condition.forbidden_if
            ):
                done = condition
            else:
                done = attrs.evolve(
                    condition,
                    requirement=requirement,
                    otherwise_if=otherwise_if,
                    forbidden_if=forbidden_if,
                )
            self._done[key] = done
        return done

    # -- the tree ---------------------------------------------------------------------------------
    def _node(self, node: Node, chain: _Chain, module: str) -> Node:
        tag = _atom_tag(node)
        if tag is not None:
            return self._placed(node, self._relocation(tag, chain, module))
        if isinstance(node, Not):
            inner = self._node(node.node, chain, module)
            return node if inner is node.node else Not(inner)
        if isinstance(node, All | Any):
            together = self._together(node, chain, module)
            if together is not None:
                return together
            parts = tuple(self._node(part, chain, module) for part in node.nodes)
            if all(new is old for new, old in zip(parts, node.nodes, strict=True)):
                return node
            return type(node)(parts)
        if isinstance(node, InItems):
            relocation = self._relocation(node.tag, chain, module)
            if relocation is not None:
                return self._placed(node, relocation)
            holder = self._holder(node.tag, chain)
            if holder is None:
                return node
            inner_chain = _Chain(((*holder, node.tag), *chain.containers), anchored=True)
            inner = self._node(node.node, inner_chain, module)
            return node if inner is node.node else InItems(node.tag, inner, node.every)
        if isinstance(node, Scoped) and node.level == "frame" and not chain.in_groups:
            return self._frame_outside(node, chain)
        # Scoped says where to look; the rest reads no attribute by its place.
        return node

    def _frame_outside(self, node: Scoped, chain: _Chain) -> Node:
        """ "Frame Type (0008,9007) Value 1 of this frame is ORIGINAL" in a macro an image-level
        sequence includes (CT X-Ray Details in the Multi-energy CT Acquisition Sequence): there
        is no "this frame"; it holds when it holds for every frame (in the shared item, or in
        the item of every frame), not when it holds for none, and is unknown when frames
        differ."""
        tags = _atom_tags(node.node)
        if not tags:
            return node
        paths: set[Container] = set()
        defined = False
        for tag in tags:
            places = self.where(tag)
            if any(container in chain.containers for container, _ in places):
                return node
            defined = defined or bool(places)
            paths |= {c[1:] for c, _ in places if c and c[0] in GROUPS}
        if not defined:  # an IOD without frames (the CT Image IOD has Image Type, no Frame Type)
            return Unverifiable(
                f"{describe(node, self._name)}: the IOD defines no frames", "other-items"
            )
        if not paths:
            return node
        if len(paths) > 1:
            return Unverifiable(describe(node, self._name), "other-items")
        path = next(iter(paths))
        inner = _in_items(path, node.node)
        shared = InItems(SHARED_FUNCTIONAL_GROUPS, inner)
        every = Any(
            (
                shared,
                All(
                    (
                        HasValue(PER_FRAME_FUNCTIONAL_GROUPS),
                        InItems(PER_FRAME_FUNCTIONAL_GROUPS, inner, every=True),
                    )
                ),
            )
        )
        some = Any((shared, InItems(PER_FRAME_FUNCTIONAL_GROUPS, inner)))
        differ = Unverifiable(
            f"{describe(node.node, self._name)} for some frames only", "other-items"
        )
        return Any((every, All((some, differ))))

    def _together(self, node: All | Any, chain: _Chain, module: str) -> Node | None:
        """An "and"/"or" of tests of attributes that are all in the same items elsewhere,
        tested in the same item ("Volumetric Properties (0008,9206) is VOLUME and Volume Based
        Calculation Technique (0008,9207) is NONE")."""
        found: _Relocation = None
        for part in node.nodes:
            tag = _atom_tag(part)
            if tag is None:
                return None
            relocation = self._relocation(tag, chain, module)
            if not isinstance(relocation, tuple) or (found is not None and relocation != found):
                return None
            found = relocation
        return self._placed(node, found) if found is not None else None

    def _placed(self, node: Node, relocation: _Relocation) -> Node:
        if relocation is None:
            return node
        paths = relocation.paths if isinstance(relocation, _Unknown) else relocation
        wrapped = [_in_items(path, node) for path in paths]
        somewhere = wrapped[0] if len(wrapped) == 1 else Any(tuple(wrapped))
        if isinstance(relocation, _Unknown):
            which = Unverifiable(f"{describe(node, self._name)} (in which Item)", "other-items")
            return All((somewhere, which))
        return somewhere

    def _name(self, tag: int) -> str:
        return self._names.get(tag, "Attribute")

    # -- the places -------------------------------------------------------------------------------
    def _holder(self, tag: int, chain: _Chain) -> Container | None:
        """The innermost container of ``chain`` the IOD defines ``tag`` in."""
        held = {container for container, _ in self.where(tag)}
        return next((c for c in chain.containers if c in held), None)

    def _relocation(self, tag: int, chain: _Chain, module: str) -> _Relocation:
        """None when the chain finds ``tag`` where the IOD puts it (or the IOD puts it nowhere
        the condition can mean); else the paths of sequences, from the innermost scope, that
        lead to it; unknown when the item meant cannot be told."""
        places = self.where(tag)
        if not places:
            return None
        containers = set(chain.containers)
        in_groups = chain.in_groups
        for container, _ in places:
            if container in containers:
                return None
            if in_groups and len(container) == 2 and container[0] in GROUPS:
                return None  # a functional group item of this frame: the frame's view
        innermost = chain.containers[0]
        depth = len(innermost)

        def own(container: Container, owner: str, base: Container) -> bool:
            """Below ``base``, through a sequence of the module being judged (any, below the
            item of a sequence the text names, or below an item)."""
            return (
                len(container) > len(base)
                and container[: len(base)] == base
                and (base != () or chain.anchored or module in (ANY_MODULE, owner))
                and not (base == () and container[0] in GROUPS)
            )

        below = {c[depth:] for c, owner in places if own(c, owner, innermost)}
        if below:
            paths = tuple(sorted(below))
            return paths if len(paths) == 1 else _Unknown(paths)
        if not in_groups:
            frames = {c[1:] for c, _ in places if c and c[0] in GROUPS}
            if len(frames) == 1:
                path = next(iter(frames))
                return ((SHARED_FUNCTIONAL_GROUPS, *path), (PER_FRAME_FUNCTIONAL_GROUPS, *path))
            if frames:
                return _Unknown(
                    tuple((group, *path) for path in sorted(frames) for group in sorted(GROUPS))
                )
        for base in chain.containers[1:]:
            elsewhere = {c[len(base) :] for c, owner in places if own(c, owner, base)}
            if elsewhere:
                return _Unknown(tuple(sorted(elsewhere)))
        return None


def _atom_tag(node: Node) -> int | None:
    """The tag a test of one attribute reads: the tests of :data:`_ATOMS`, and "is other than"
    (``All((HasValue(t), Not(Equals(t, …))))``), which asks the value of one item."""
    if isinstance(node, _ATOMS):
        return node.tag
    equals = other_than(node)
    return None if equals is None else equals.tag


def _atom_tags(node: Node) -> frozenset[int]:
    """The tags of a test of attributes, or of an "and"/"or" of such tests (none otherwise)."""
    tag = _atom_tag(node)
    if tag is not None:
        return frozenset({tag})
    if isinstance(node, All | Any):
        found: set[int] = set()
        for part in node.nodes:
            tags = _atom_tags(part)
            if not tags:
                return frozenset()
            found |= tags
        return frozenset(found)
    return frozenset()


def _in_items(path: Sequence[int], node: Node) -> Node:
    for tag in reversed(path):
        node = InItems(tag, node)
    return node
