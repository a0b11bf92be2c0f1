"""What a clause of condition prose is about: subjects, how they are listed and qualified.

A subject is an attribute (a reference, ``Value 3 of …``, ``the value of …``, ``Value 3`` after
an attribute meaning the same attribute), a module or macro (``the Mask Module``), a functional
group (``Derivation Image Functional Group (C.7.6.16.2.6)``, ``Pixel Measures … Macros``) or
``the Referenced SOP Instance``. Subjects are listed with ``,``/``and``/``or``/``nor`` and
qualified: ``of this frame``, ``at the image level``, ``in the … Module`` (a module holding the
attribute at its top level), ``in this Sequence Item``, ``within <sequence>``, ``in any <group>
Functional Group in the SOP Instance``, ``of this … SOP Instance``.
"""

from __future__ import annotations

import attrs

from dicomstd.codegen.conditions.names import Vocabulary, group_key, normalise
from dicomstd.codegen.conditions.tokens import NoParse, Token
from dicomstd.codegen.conditions.values import ORDINALS, VERBS, ValueReader
from dicomstd.conditions import (
    All,
    Any,
    HasValue,
    InItems,
    Level,
    ModulePresent,
    Node,
    Present,
    Scoped,
)

__all__ = ["Separator", "Subject", "SubjectReader", "any_frame"]

REFERENCED_SOP_CLASS_UID = 0x00081150
SHARED_FUNCTIONAL_GROUPS = 0x52009229
PER_FRAME_FUNCTIONAL_GROUPS = 0x52009230


@attrs.frozen
class Subject:
    """What a clause is about: an attribute (``tag``), a module, a functional group (the tag of
    its sequence) or the instance a reference points to."""

    tag: int = 0
    index: int | None = None
    level: Level | None = None
    value_of: bool = False
    module: tuple[str, str] | None = None
    group: int | None = None
    within: tuple[int, bool] | None = None
    """Evaluated in the items of a sequence: (its tag, every item)."""
    referenced: bool = False
    """"the Referenced SOP Instance": its SOP Class is Referenced SOP Class UID (0008,1150)."""
    counted: bool = False
    """"the number of Items in X": comparisons count its values (items)."""
    group_of: int | None = None
    """"X in any MR Image Frame Type Functional Group in the SOP Instance": the sequence of that
    functional group, in any frame."""
    pair: int | None = None
    """"the pair of Numeric Value (0040,A30A) and Measurement Units Code Sequence (0040,08EA)":
    the second attribute of a pair (``tag`` the first), present when both are."""

    @property
    def attribute(self) -> bool:
        return (
            self.module is None and self.group is None and not self.referenced and self.pair is None
        )

    def presence(self) -> Node:
        if self.pair is not None:
            return All((Present(self.tag), Present(self.pair)))
        if self.module is not None:
            return ModulePresent(*self.module)
        if self.group is not None:
            return any_frame(Present(self.group))
        return HasValue(self.tag) if self.value_of else Present(self.tag)


def any_frame(node: Node) -> Node:
    """``node`` holds for some frame of the instance: in the functional group items of the
    shared item or of some item of the Per-frame Functional Groups Sequence (PS3.3 C.7.6.16)."""
    frame = Scoped(node, "frame")
    groups = (SHARED_FUNCTIONAL_GROUPS, PER_FRAME_FUNCTIONAL_GROUPS)
    return Scoped(Any(tuple(InItems(tag, frame) for tag in groups)), "dataset")


@attrs.frozen
class Separator:
    kind: str
    """``and``, ``or`` or ``,`` (a bare comma)."""
    strength: int
    """2 after a comma, 1 before ``if``, 0 otherwise: where the prose groups mixed clauses."""


class SubjectReader(ValueReader):
    """Reads subjects; ``last`` is the last one read (what ``Value 3`` refers to)."""

    def __init__(self, text: str, tokens: list[Token], vocabulary: Vocabulary) -> None:
        super().__init__(text, tokens, vocabulary)
        self.last: Subject | None = None

    def separator(self) -> Separator:
        """``and``, ``or`` (``, and``, ``and if``, ``, or``) or a bare ``,``; fails otherwise."""
        comma = self.accept(",")
        for word in ("and", "or"):
            if self.accept(word):
                strength = 2 if comma else (1 if self.at("if") else 0)
                self.accept("if")
                return Separator(word, strength)
        if comma:
            return Separator(",", 2)
        self.fail()

    def connective(self) -> str:
        return self.separator().kind

    def subjects(self) -> tuple[list[Subject], str]:
        subjects = [self.subject()]
        kind = ""
        while True:
            start = self.pos
            if self.accept("nor"):
                separator = "nor"
            else:
                try:
                    separator = self.connective()
                except NoParse:
                    break
            try:
                following = self.subject(qualifiers=False)
            except NoParse:
                self.pos = start
                break
            if separator != ",":
                if kind and kind != separator:
                    self.fail()
                kind = separator
            subjects.append(following)
        if len(subjects) > 1:
            if not kind:
                self.fail()
            if any(s.index is not None or s.level is not None for s in subjects):
                self.fail()
        return subjects, kind

    def subject(self, *, qualifiers: bool = True) -> Subject:
        special = self.module_or_group() or self.bare_group() or self.referenced_instance()
        if special is not None:
            self.last = special
            return special
        if self.accept("the", "number", "of", "items", "in"):
            self.accept("the")
            return self.qualified(Subject(self.reference(), counted=True), qualifiers)
        if self.accept("the", "pair", "of"):
            first = self.reference()
            self.expect("and")
            pair = Subject(first, pair=self.reference())
            self.last = pair
            return pair
        index: int | None = None
        value_of = False
        number = self.peek(1)
        if self.at("value") and number is not None and number.kind == "number":
            index = int(number.text)
            self.pos += 2
            if not self.accept("of"):
                if self.last is None or not self.last.attribute:
                    self.fail()
                return self.qualified(
                    attrs.evolve(self.last, index=index, value_of=False), qualifiers
                )
        ordinal = ORDINALS.get(self.low(1))
        if (
            self.at("the")
            and ordinal is not None
            and self.low(2) == "value"
            and self.low(3) == "of"
        ):
            index = ordinal
            self.pos += 4
        elif (
            self.accept("the", "value", "of")
            or self.accept("the", "value", "for")
            or self.accept("value", "of")
            or self.accept("any", "value", "of")
            or self.accept("a", "value", "of")
            or self.accept("one", "or", "more", "of", "the", "values", "of")
        ):
            value_of = True
        elif self.written("value") and self.low(1)[:1].isalpha():
            self.pos += 1  # "value Transfer Tube Number (300A,02A2) is non-null"
        else:
            self.accept("attributes") or self.accept("the") or self.accept("whose") or self.accept(
                "one"
            )
        tag = self.reference()
        self.accept("attribute")
        return self.qualified(Subject(tag, index, None, value_of), qualifiers)

    def qualified(self, subject: Subject, qualifiers: bool) -> Subject:
        if qualifiers:
            subject = self.qualifiers(subject)
        self.last = subject
        return subject

    def module_or_group(self) -> Subject | None:
        """``the Mask Module``, ``Derivation Image Functional Group (C.7.6.16.2.6)``, ``Pixel
        Measures … Macros``: a module, a macro or a functional group by name."""
        start = self.pos
        self.accept("the")
        for stop in range(min(self.end, self.pos + 12), self.pos, -1):
            last = self.tokens[stop - 1].low
            if last not in ("module", "macro", "group", "macros"):
                continue
            if not all(
                t.kind == "word" or t.text in ("(", ")") for t in self.tokens[self.pos : stop]
            ):
                continue
            name = normalise(self.span(self.pos, stop))
            module = self.vocabulary.modules.get(name)
            if module is not None:
                self.pos = stop
                return Subject(module=(module.source, module.name))
            group = self.vocabulary.groups.get(group_key(name))
            if group is not None and ("functional group" in name or last.startswith("macro")):
                self.pos = stop
                self.section_label()
                return Subject(group=group)
        self.pos = start
        return None

    def bare_group(self) -> Subject | None:
        """``Pixel Measures`` in ``Pixel Measures or Plane Position (Patient) Macros Present``: a
        functional group named without ``Macro`` in a list whose last name has it."""
        if not self.plural_groups_ahead():
            return None
        for stop in range(min(self.end, self.pos + 8), self.pos, -1):
            if any(t.kind != "word" and t.text not in "()" for t in self.tokens[self.pos : stop]):
                continue
            group = self.vocabulary.groups.get(group_key(self.span(self.pos, stop)))
            if group is not None:
                self.pos = stop
                return Subject(group=group)
        return None

    def plural_groups_ahead(self) -> bool:
        for index in range(self.pos + 1, min(self.end, self.pos + 24)):
            if self.tokens[index].low in ("present", "is", "are"):
                return self.tokens[index - 1].low in ("macros", "groups")
        return False

    def section_label(self) -> None:
        """``(C.7.6.16.2.6)``, ``(Section C.7.6.16.2.5)`` after a functional group's name."""
        if not self.at("("):
            return
        for index in range(self.pos + 1, min(self.end, self.pos + 8)):
            if self.tokens[index].text == ")":
                self.pos = index + 1
                return

    def referenced_instance(self) -> Subject | None:
        if self.accept("the", "referenced", "sop", "instance"):
            return Subject(REFERENCED_SOP_CLASS_UID, referenced=True)
        return None

    def qualifiers(self, subject: Subject) -> Subject:
        index, level = subject.index, subject.level
        while True:
            number = self.peek(2)
            if self.at(",", "value") and number is not None and number.kind == "number":
                self.pos += 1  # "Series Type (0054,1000), Value 1 is …"
            token = self.peek(1)
            if self.at("value") and token is not None and token.kind == "number":
                if index is not None:
                    self.fail()
                index = int(token.text)
                self.pos += 2
            elif self.accept("of", "this", "frame"):
                level = "frame"
            elif self.at("of", "this") and self.instance_named():
                level = "dataset"
            elif self.accept("in", "any") and not subject.within:
                group = self.module_or_group()
                if group is None or group.group is None:
                    self.fail()
                self.expect("in", "the", "sop", "instance")
                subject = attrs.evolve(subject, group_of=group.group)
            elif self.accept("at", "the", "image", "level") or (
                self.at("in", "the") and self.module_name(subject.tag)
            ):
                level = "dataset"
            elif self.accept("in", "this", "sequence", "item"):
                level = "item"
            elif (self.at("sequence") and self.low(1) in VERBS) or (
                self.at("value") and self.low(1) in VERBS
            ):
                self.pos += 1
            elif self.at("item", "value") and self.low(2) in VERBS:
                self.pos += 2
            elif self.accept("attribute", "value") or (
                self.accept("of", "the", "referenced", "image")
                and subject.tag == REFERENCED_SOP_CLASS_UID
            ):
                pass
            elif self.accept("within"):
                self.accept("the")
                return attrs.evolve(
                    subject, index=index, level=level, within=(self.reference(), False)
                )
            else:
                return attrs.evolve(subject, index=index, level=level)

    def instance_named(self) -> bool:
        """``of this RT Physician Intent SOP Instance`` (at ``of``): consumed when it is one."""
        for offset in range(3, 10):
            if self.low(offset - 1) == "sop" and self.low(offset) == "instance":
                if all(self.tokens[self.pos + i].kind == "word" for i in range(2, offset)):
                    self.pos += offset + 1
                    return True
                return False
        return False

    def in_items_of(self, tag: int) -> tuple[tuple[int, ...], ...]:
        """``in the Volumetric Graphic Annotation Module or the Graphic Annotation Module`` (at
        ``in``), modules that hold ``tag`` in the items of their sequences, not at their top
        level: the chains of sequences to it, consumed when every module named holds it so."""
        start = self.pos
        self.pos += 1
        chains: list[tuple[int, ...]] = []
        while True:
            self.accept("the")
            found = self.module_or_group()
            if found is None or found.module is None:
                self.pos = start
                return ()
            module = self.vocabulary.modules.get(normalise(found.module[1]))
            held = module.chains(tag) if module is not None else ()
            if not held or (module is not None and tag in module.tags):
                self.pos = start
                return ()
            chains += held
            if not self.accept("or"):
                return tuple(chains)

    def module_name(self, tag: int) -> bool:
        """``in the Enhanced CT Image Module`` (at ``in``), naming a module that holds ``tag``
        at its top level: consumed when it is one."""
        for offset in range(2, 12):
            token = self.peek(offset)
            if token is None or token.kind != "word":
                return False
            if token.text == "Module" and offset > 2:
                name = normalise(self.span(self.pos + 2, self.pos + offset + 1))
                module = self.vocabulary.modules.get(name)
                if module is not None and tag not in module.tags:
                    return False
                self.pos += offset + 1
                return True
        return False
