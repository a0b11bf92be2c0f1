"""Value Multiplicity: how many values an attribute holds (PS3.5 section 6.4).

``VM.parse("2-2n")`` gives ``min=2, max=None, step=2``; ``accepts(4)`` is True, ``accepts(3)``
False. ``1-n or 1`` is kept as two alternatives and accepts a count either allows.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["VM"]

_FORM = re.compile(r"^(\d+)(?:-(?:(\d+)|(n)|(\d+)n))?$")


class VM:
    """A parsed value multiplicity. Immutable and hashable; ``str()`` gives the text back."""

    __slots__ = ("_ranges", "max", "min", "step", "text")

    min: int
    max: int | None
    """None when unbounded (``n``)."""
    step: int
    text: str
    _ranges: tuple[tuple[int, int | None, int], ...]

    def __init__(self, text: str) -> None:
        ranges = _parse(text)
        object.__setattr__(self, "text", " or ".join(r[3] for r in ranges) if ranges else "")
        object.__setattr__(self, "_ranges", tuple(r[:3] for r in ranges))
        if not ranges:
            object.__setattr__(self, "min", 0)
            object.__setattr__(self, "max", None)
            object.__setattr__(self, "step", 1)
            return
        lows = [r[0] for r in ranges]
        highs = [r[1] for r in ranges]
        object.__setattr__(self, "min", min(lows))
        object.__setattr__(
            self, "max", None if None in highs else max(h for h in highs if h is not None)
        )
        object.__setattr__(self, "step", ranges[0][2] if len(ranges) == 1 else 1)

    @staticmethod
    @cache
    def parse(text: str) -> VM:
        """Parse ``1``, ``1-n``, ``2-2n``, ``1-32``, ``1-n or 1``; empty means unspecified."""
        return VM(text)

    @classmethod
    def unspecified(cls) -> VM:
        return cls.parse("")

    @property
    def specified(self) -> bool:
        return bool(self._ranges)

    def accepts(self, count: int) -> bool:
        if not self._ranges:
            return True
        for low, high, step in self._ranges:
            if count < low or (high is not None and count > high):
                continue
            if step > 1 and count % step:
                continue
            return True
        return False

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("VM is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VM) and other._ranges == self._ranges

    def __hash__(self) -> int:
        return hash(self._ranges)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"VM({self.text!r})"

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # Unpickled through parse: __setattr__ refuses the default way of restoring the slots.
        return VM.parse, (self.text,)


def _parse(text: str) -> list[tuple[int, int | None, int, str]]:
    text = text.strip()
    if not text:
        return []
    out: list[tuple[int, int | None, int, str]] = []
    for alternative in re.split(r"\s+or\s+", text):
        match = _FORM.match(alternative.strip())
        if match is None:
            raise ValueError(f"not a value multiplicity: {text!r}")
        low = int(match.group(1))
        if match.group(2):
            high: int | None = int(match.group(2))
            step = 1
        elif match.group(3):
            high, step = None, 1
        elif match.group(4):
            step = int(match.group(4))
            high = None
            if step != low:
                raise ValueError(f"not a value multiplicity: {text!r} ({low}-{step}n)")
        else:
            high, step = low, 1
        if high is not None and high < low:
            raise ValueError(f"not a value multiplicity: {text!r} (maximum below minimum)")
        out.append((low, high, step, alternative.strip()))
    return out
