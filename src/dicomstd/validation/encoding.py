"""The encoding of a DICOM file, walked header by header (PS3.5 7, PS3.10 7).

Before pydicom reads a file, :func:`scan` walks its element headers — tag, VR, length — and the
items of its sequences, without reading a value: Pixel Data and other bulk values are skipped
by their length, never loaded. What it finds is a finding, never an exception:

* the file ends inside an element's header, inside its value, or before the delimiter of an
  undefined-length sequence or item (``truncated``);
* an element with an unknown VR code, an implicit-VR element in an explicit VR transfer syntax,
  an item or a delimiter outside any sequence (such as an Item Delimitation Item after the end
  of the data set), a sequence whose items overrun its length (``encoding-invalid``);
* more elements and items than :attr:`~dicomstd.validation.limits.Limits.elements`, sequences
  nested deeper than :attr:`~dicomstd.validation.limits.Limits.depth` (``limit-exceeded``).

When the walk cannot go on, :attr:`Scan.stop` is the offset of the top-level element it was in:
the reader reads the data set up to there, and the rest is left out, which the finding says.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Callable

import attrs

from dicomstd.tag import tag_text
from dicomstd.validation.findings import Code, Finding
from dicomstd.validation.limits import ENVIRONMENT, Limits

__all__ = ["Header", "Scan", "Syntax", "scan", "syntax_of"]

ITEM = 0xFFFEE000
ITEM_END = 0xFFFEE00D
SEQUENCE_END = 0xFFFEE0DD
UNDEFINED = 0xFFFFFFFF
PIXEL_DATA = 0x7FE00010
TRANSFER_SYNTAX_UID = 0x00020010

# PS3.5 table 6.2-1, and the VRs whose explicit header has a 32-bit length (PS3.5 7.1.2).
VRS = frozenset(
    b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN "
    b"UR US UT UV".split()
)
LONG_VRS = frozenset(b"OB OD OF OL OV OW SQ SV UC UN UR UT UV".split())

Buffer = bytes | mmap.mmap
"""The bytes walked: a file's memory map, or its bytes."""

Header = tuple[int, bytes, int, int, int]
"""An element's tag, VR code (b"" in implicit VR), value length, offset and value offset."""

IMPLICIT_LITTLE = "1.2.840.10008.1.2"
EXPLICIT_BIG = "1.2.840.10008.1.2.2"
# PS3.5 A.5: the data set after the File Meta Information is deflated (RFC 1951).
DEFLATED = frozenset({"1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.4.95"})


@attrs.frozen(slots=True)
class Syntax:
    explicit: bool
    little: bool
    deflated: bool = False


def syntax_of(uid: str | None) -> Syntax | None:
    """The encoding a Transfer Syntax UID names; None when there is none (it is guessed)."""
    if uid is None:
        return None
    if uid == IMPLICIT_LITTLE:
        return Syntax(explicit=False, little=True)
    if uid == EXPLICIT_BIG:
        return Syntax(explicit=True, little=False)
    # Every other transfer syntax, the encapsulated ones too, is explicit VR little endian.
    return Syntax(explicit=True, little=True, deflated=uid in DEFLATED)


@attrs.define
class Scan:
    findings: list[Finding] = attrs.field(factory=list)
    stop: int | None = None
    """The offset of the first top-level element not to read; None to read the whole file."""
    stop_tag: int | None = None
    """The tag of the element at :attr:`stop`, when the file holds one."""
    cut: bool = False
    """Whether the walk stopped because the file ends (nothing lies beyond to bound)."""
    data_set: int = 0
    """The offset where the data set starts (after preamble and File Meta Information)."""
    transfer_syntax: str | None = None
    prefix: bool = False
    """Whether the file has the preamble and "DICM" of PS3.10 7.1."""
    syntax: Syntax | None = None
    """The encoding the data set was walked in (None when there is no data set)."""
    sequences: set[int] = attrs.field(factory=set)
    """The offsets of the values walked as sequences of items."""
    meta: list[Header] = attrs.field(factory=list)
    """The File Meta Information elements walked, in file order."""
    top: list[Header] = attrs.field(factory=list)
    """The top-level elements of the data set walked, in file order (the one the walk stopped
    in too, when it stopped)."""


class _Stop(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _finding(code: Code, message: str, tag: int | None = None) -> Finding:
    return Finding.of(code, message, tag=tag)


def _no_delimiter(tag: int) -> _Stop:
    """The end of the walk where the file ends inside a value of undefined length (PS3.5 7.5)."""
    return _Stop(
        _finding(
            "truncated",
            f"the file ends before the Sequence Delimitation Item of {tag_text(tag)}",
            tag,
        )
    )


_STRUCTS = {
    (fmt, little): struct.Struct(("<" if little else ">") + fmt).unpack_from
    for fmt in ("HH", "H", "L")
    for little in (True, False)
}
_EXPLICIT = {
    little: struct.Struct(("<" if little else ">") + "HH2sH").unpack_from
    for little in (True, False)
}
"""Tag, VR code and 16-bit length of an explicit VR header, at once."""
_IMPLICIT = {
    little: struct.Struct(("<" if little else ">") + "HHL").unpack_from for little in (True, False)
}
"""Tag and 32-bit length of an implicit VR header (or of an item or delimiter), at once."""
_ITEM_LE = struct.pack("<HH", 0xFFFE, 0xE000)
_ITEM_BE = struct.pack(">HH", 0xFFFE, 0xE000)


def _unpacker(fmt: str, little: bool) -> Callable[[Buffer, int], tuple[int, ...]]:
    return _STRUCTS[fmt, little]


class _Walker:
    """One walk over ``buffer[start:size]``, in one encoding."""

    def __init__(self, buffer: Buffer, limits: Limits, syntax: Syntax) -> None:
        self.buffer = buffer
        self.size = len(buffer)
        self.limits = limits
        self.count = 0
        self.findings: list[Finding] = []
        self.sequences: set[int] = set()
        self.top: list[Header] = []
        self.explicit = syntax.explicit
        self.little = syntax.little

    # -- headers -------------------------------------------------------------------------------
    def _header(self, pos: int, explicit: bool, little: bool) -> tuple[int, bytes, int, int]:
        """(tag, VR code or b"", value length, header length) of the element at ``pos``."""
        if pos + 8 > self.size:
            where = self._tag_if_any(pos, little)
            raise _Stop(
                _finding(
                    "truncated",
                    f"the file ends inside the header of an element{where} at byte {pos}",
                )
            )
        self.count += 1
        if explicit:
            group, element, vr, length = _EXPLICIT[little](self.buffer, pos)
        else:
            group, element, length = _IMPLICIT[little](self.buffer, pos)
        tag = group << 16 | element
        if self.count > self.limits.elements:
            raise _Stop(
                _finding(
                    "limit-exceeded",
                    f"more than {self.limits.elements} data elements and items (the next at "
                    f"byte {pos}); set {ENVIRONMENT['elements']} to read more",
                )
            )
        if group == 0xFFFE or not explicit:
            if explicit:
                (length,) = _unpacker("L", little)(self.buffer, pos + 4)
            return tag, b"", length, 8
        if vr in LONG_VRS:
            if pos + 12 > self.size:
                raise _Stop(
                    _finding(
                        "truncated",
                        f"the file ends inside the header of {tag_text(tag)} at byte {pos}",
                        tag,
                    )
                )
            (length,) = _unpacker("L", little)(self.buffer, pos + 8)
            return tag, vr, length, 12
        if vr in VRS:
            return tag, vr, length, 8
        if not (b"AA" <= vr <= b"ZZ"):
            # Not letters: the element is in implicit VR, as pydicom reads it.
            self.findings.append(
                _finding(
                    "encoding-invalid",
                    f"{tag_text(tag)} at byte {pos} is encoded with implicit VR inside an "
                    "explicit VR transfer syntax (PS3.5 7.1.2)",
                    tag,
                )
            )
            (length,) = _unpacker("L", little)(self.buffer, pos + 4)
            return tag, b"", length, 8
        raise _Stop(
            _finding(
                "encoding-invalid",
                f"{tag_text(tag)} at byte {pos} has the VR code {vr.decode('latin-1')!r}, which "
                "is not a VR of PS3.5 table 6.2-1",
                tag,
            )
        )

    def _tag_if_any(self, pos: int, little: bool) -> str:
        if pos + 4 > self.size:
            return ""
        group, element = _unpacker("HH", little)(self.buffer, pos)
        return f" ({group:04X},{element:04X})"

    # -- data sets and sequences ---------------------------------------------------------------
    def data_set(self, pos: int, end: int, depth: int, explicit: bool, little: bool) -> int:
        """Walk the elements of an item of defined length, from ``pos`` to ``end``; return
        the offset after it."""
        while pos < end:
            pos = self.element(pos, end, depth, explicit, little, in_item=depth > 0)
            if pos < 0:  # an Item Delimitation Item ended the item
                return -pos
        return pos

    def element(
        self, pos: int, end: int, depth: int, explicit: bool, little: bool, *, in_item: bool
    ) -> int:
        """Walk one element at ``pos``; return the offset after it (negated after an Item
        Delimitation Item that ends an item)."""
        tag, vr, length, header = self._header(pos, explicit, little)
        start = pos + header
        if not depth:
            self.top.append((tag, vr, length, pos, start))
        if tag == ITEM_END and in_item:
            return -start
        if tag in (ITEM, ITEM_END, SEQUENCE_END):
            names = {ITEM: "An Item", ITEM_END: "An Item Delimitation Item"}
            name = names.get(tag, "A Sequence Delimitation Item")
            raise _Stop(
                _finding(
                    "encoding-invalid",
                    f"{name} {tag_text(tag)} at byte {pos} outside any sequence "
                    + ("(after the end of the data set)" if depth == 0 else "")
                    + " (PS3.5 7.5)",
                    tag,
                )
            )
        if length == UNDEFINED:
            if tag == PIXEL_DATA or vr in (b"OB", b"OW"):
                return self.fragments(tag, start, little)
            if vr in (b"SQ", b"UN", b""):
                self.sequences.add(start)
                # PS3.5 6.2.2: a UN value of undefined length is implicit VR little endian.
                inner = (explicit, little) if vr != b"UN" else (False, True)
                return self.sequence(tag, start, None, depth + 1, *inner)
            raise _Stop(
                _finding(
                    "encoding-invalid",
                    f"{tag_text(tag)} at byte {pos} has an undefined length, which only a "
                    "sequence or encapsulated Pixel Data may have (PS3.5 7.1.1)",
                    tag,
                )
            )
        value_end = start + length
        if value_end > self.size:
            cut = _finding(
                "truncated",
                f"the file ends {value_end - self.size} bytes before the end of the value of "
                f"{tag_text(tag)} (its length is {length}, at byte {start})",
                tag,
            )
            if depth > 0 or self._is_sequence(vr, start, length, little):
                raise _Stop(cut)
            self.findings.append(cut)  # the reader reads what there is of it
            return self.size
        if value_end > end:
            raise _Stop(
                _finding(
                    "encoding-invalid",
                    f"the value of {tag_text(tag)} at byte {start} ({length} bytes) overruns "
                    "the item that holds it",
                    tag,
                )
            )
        if vr == b"SQ" if vr else self._is_sequence(vr, start, length, little):
            self.sequences.add(start)
            return self.sequence(tag, start, value_end, depth + 1, explicit, little)
        return value_end

    def _is_sequence(self, vr: bytes, start: int, length: int, little: bool) -> bool:
        """Whether a value of defined length holds items: its VR says so (explicit VR), or,
        in implicit VR, it starts with an Item tag (as pydicom reads it)."""
        if vr:
            return vr == b"SQ"
        if length < 8 or start + 8 > self.size:
            return False
        return bool(self.buffer[start : start + 4] == (_ITEM_LE if little else _ITEM_BE))

    def sequence(
        self, tag: int, pos: int, end: int | None, depth: int, explicit: bool, little: bool
    ) -> int:
        """Walk the items of the sequence ``tag`` from ``pos`` to ``end`` (None: to its
        Sequence Delimitation Item)."""
        if depth > self.limits.depth:
            raise _Stop(
                _finding(
                    "limit-exceeded",
                    f"sequences nested more than {self.limits.depth} deep at "
                    f"{tag_text(tag)} (byte {pos}); set {ENVIRONMENT['depth']} to read deeper",
                    tag,
                )
            )
        limit = self.size if end is None else end
        while True:
            if end is not None and pos >= end:
                return pos
            if end is None and pos >= self.size:
                raise _no_delimiter(tag)
            item, _, length, header = self._header(pos, False, little)
            start = pos + header
            if item == SEQUENCE_END and end is None:
                return start
            if item != ITEM:
                raise _Stop(
                    _finding(
                        "encoding-invalid",
                        f"the sequence {tag_text(tag)} holds {tag_text(item)} at byte {pos} "
                        "where an Item (FFFE,E000) must be (PS3.5 7.5)",
                        tag,
                    )
                )
            if length == UNDEFINED:
                pos = self._undefined_item(tag, start, depth, explicit, little)
            else:
                item_end = start + length
                if item_end > limit:
                    raise _Stop(
                        _finding(
                            "truncated" if item_end > self.size else "encoding-invalid",
                            f"an item of {tag_text(tag)} at byte {pos} ({length} bytes) "
                            + (
                                "goes beyond the end of the file"
                                if item_end > self.size
                                else "overruns its sequence"
                            ),
                            tag,
                        )
                    )
                pos = self.data_set(start, item_end, depth, explicit, little)

    def _undefined_item(self, tag: int, pos: int, depth: int, explicit: bool, little: bool) -> int:
        while True:
            if pos >= self.size:
                raise _Stop(
                    _finding(
                        "truncated",
                        f"the file ends before the Item Delimitation Item of an item of "
                        f"{tag_text(tag)}",
                        tag,
                    )
                )
            pos = self.element(pos, self.size, depth, explicit, little, in_item=True)
            if pos < 0:
                return -pos

    def fragments(self, tag: int, pos: int, little: bool) -> int:
        """Skip the items of encapsulated Pixel Data (PS3.5 A.4) to its delimiter."""
        while True:
            if pos >= self.size:
                raise _no_delimiter(tag)
            item, _, length, header = self._header(pos, False, little)
            start = pos + header
            if item == SEQUENCE_END:
                return start
            if item != ITEM or length == UNDEFINED:
                raise _Stop(
                    _finding(
                        "encoding-invalid",
                        f"the encapsulated {tag_text(tag)} holds {tag_text(item)} at byte "
                        f"{pos} where a fragment Item (FFFE,E000) of defined length must be "
                        "(PS3.5 A.4)",
                        tag,
                    )
                )
            if start + length > self.size:
                raise _Stop(
                    _finding(
                        "truncated",
                        f"the file ends {start + length - self.size} bytes before the end "
                        f"of a fragment of {tag_text(tag)}",
                        tag,
                    )
                )
            pos = start + length


QUICK = True
"""Walk the common top-level elements without the general calls (False: every element the
general way; the tests compare both)."""


def _top_level(walker: _Walker, scan: Scan, pos: int) -> None:
    """Walk the elements of the data set from ``pos``; stop at the first that cannot be."""
    explicit, little = walker.explicit, walker.little
    scan.sequences = walker.sequences
    scan.top = top = walker.top
    buffer, size, most = walker.buffer, walker.size, walker.limits.elements
    header = _EXPLICIT[little] if explicit else _IMPLICIT[little]
    long_length = _unpacker("L", little)
    item = _ITEM_LE if little else _ITEM_BE
    while pos < size:
        # The common element, walked here as walker.element walks it but without its calls:
        # not an item or delimiter, within the element limit, no sequence, no undefined
        # length, its value within the file. Anything else takes the general way below.
        if QUICK and pos + 12 <= size and walker.count < most:
            if explicit:
                group, number, vr, length = header(buffer, pos)
                start = pos + 8
                if vr in LONG_VRS:
                    (length,) = long_length(buffer, start)
                    start += 4
                    plain = vr != b"SQ" and length != UNDEFINED
                else:
                    plain = vr in VRS
            else:
                group, number, length = header(buffer, pos)
                vr, start = b"", pos + 8
                plain = length != UNDEFINED and (length < 8 or buffer[start : start + 4] != item)
            end = start + length
            if plain and group != 0xFFFE and end <= size:
                walker.count += 1
                top.append((group << 16 | number, vr, length, pos, start))
                pos = end
                continue
        try:
            try:
                pos = walker.element(pos, walker.size, 0, explicit, little, in_item=False)
            except RecursionError:  # a depth limit raised beyond what Python can nest
                message = "sequences nested deeper than this Python can walk"
                raise _Stop(_finding("limit-exceeded", message)) from None
        except _Stop as stopped:
            finding = stopped.finding
            scan.stop = pos
            scan.cut = finding.code == "truncated"
            if pos + 4 <= walker.size:
                group, element = _unpacker("HH", little)(walker.buffer, pos)
                scan.stop_tag = group << 16 | element
                if not scan.cut:
                    where = f"{tag_text(scan.stop_tag)} at byte {pos}"
                    message = f"{finding.message}; the data set is read up to {where}"
                    finding = attrs.evolve(finding, message=message)
            scan.findings.extend(walker.findings)
            scan.findings.append(finding)
            return
    scan.findings.extend(walker.findings)


def scan_data_set(buffer: Buffer, limits: Limits, syntax: Syntax | None, start: int = 0) -> Scan:
    """Walk a data set that starts at ``start`` of ``buffer`` (no File Meta Information)."""
    scan = Scan(data_set=start)
    if start >= len(buffer):
        return scan
    syntax = _checked_syntax(buffer, start, syntax, scan)
    scan.syntax = syntax
    _top_level(_Walker(buffer, limits, syntax), scan, start)
    return scan


def _checked_syntax(buffer: Buffer, start: int, syntax: Syntax | None, scan: Scan) -> Syntax:
    """The encoding of the data set: the transfer syntax's, or the one its first element shows
    (pydicom reads a data set whose first element disagrees with its transfer syntax that way,
    so the walk does too, and says so)."""
    head = bytes(buffer[start : start + 6])
    looks_explicit = len(head) == 6 and head[4:6] in VRS
    if syntax is None:
        group_little = int.from_bytes(head[0:2], "little") if len(head) >= 2 else 0
        return Syntax(explicit=looks_explicit, little=not (looks_explicit and group_little >= 1024))
    if (
        syntax.explicit
        and not looks_explicit
        and len(head) == 6
        and not (b"AA" <= head[4:6] <= b"ZZ")
    ):
        scan.findings.append(
            _finding(
                "encoding-invalid",
                "the transfer syntax is explicit VR but the data set is encoded with implicit VR "
                "(PS3.5 A.2)",
            )
        )
        return attrs.evolve(syntax, explicit=False)
    if not syntax.explicit and looks_explicit:
        scan.findings.append(
            _finding(
                "encoding-invalid",
                "the transfer syntax is Implicit VR Little Endian but the data set is encoded "
                "with explicit VR (PS3.5 A.1)",
            )
        )
        return attrs.evolve(syntax, explicit=True)
    return syntax


def scan(buffer: Buffer, limits: Limits) -> Scan:
    """Walk a file: preamble, File Meta Information (always explicit VR little endian, PS3.10
    7.1), then the data set in the encoding of its transfer syntax. A deflated data set is
    not walked here (:attr:`Scan.syntax` says so); the reader inflates it and walks that."""
    size = len(buffer)
    pos = 132 if size >= 132 and bytes(buffer[128:132]) == b"DICM" else 0
    meta = Scan(prefix=pos == 132)
    walker = _Walker(buffer, limits, Syntax(explicit=True, little=True))
    transfer_syntax: str | None = None
    while pos + 4 <= size and int.from_bytes(buffer[pos : pos + 2], "little") == 0x0002:
        try:
            tag, vr, length, header = walker._header(pos, True, True)
        except _Stop as stopped:
            meta.findings.extend(walker.findings)
            meta.findings.append(stopped.finding)
            return meta  # pydicom's reading of the File Meta Information says the rest
        if not vr or length == UNDEFINED or pos + header + length > size:
            walker.findings.append(
                _finding(
                    "truncated" if pos + header + length > size else "encoding-invalid",
                    f"the File Meta Information element {tag_text(tag)} at byte {pos} cannot "
                    "be read: "
                    + (
                        "its value goes beyond the end of the file"
                        if length != UNDEFINED and pos + header + length > size
                        else "it is not explicit VR of defined length (PS3.10 7.1)"
                    ),
                    tag,
                )
            )
            meta.findings.extend(walker.findings)
            return meta
        meta.meta.append((tag, vr, length, pos, pos + header))
        if tag == TRANSFER_SYNTAX_UID and length <= 64:
            value = bytes(buffer[pos + header : pos + header + length])
            transfer_syntax = value.rstrip(b"\0 ").decode("ascii", "replace")
        pos += header + length
    meta.findings.extend(walker.findings)
    syntax = syntax_of(transfer_syntax)
    if syntax is not None and syntax.deflated:
        meta.data_set, meta.transfer_syntax, meta.syntax = pos, transfer_syntax, syntax
        return meta
    found = scan_data_set(buffer, limits, syntax, pos)
    found.findings[:0] = meta.findings
    found.transfer_syntax = transfer_syntax
    found.prefix = meta.prefix
    found.meta = meta.meta
    return found
