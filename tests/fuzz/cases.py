"""Inputs of the fuzz suite: pydicom's real test files, mutated, and the resource cases.

A mutation is a small function of the bytes and a random source: cut the file, flip bytes,
edit an element's length or VR code, or edit its structure (insert an item or a delimiter,
repeat, drop or swap a stretch). The same mutations serve hypothesis (``tests/fuzz/test_fuzz.py``)
and the long run (``tests/fuzz/run.py``, ``make fuzz``), which draws them from a seeded
:class:`random.Random`.

Element headers are found by their VR codes (PS3.5 7.1.2: tag, then VR, then the length), so
that length and VR edits hit real headers of explicit VR files; in implicit VR files they hit
what looks like one, which is as good a mutation.
"""

from __future__ import annotations

import random
import re
import struct
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from pydicom.data import get_testdata_file

SOURCES = (
    "CT_small.dcm",
    "MR_small.dcm",
    "MR_small_bigendian.dcm",
    "MR_small_implicit.dcm",
    "MR_small_RLE.dcm",
    "rtplan.dcm",
    "rtdose.dcm",
    "rtstruct.dcm",
    "image_dfl.dcm",
    "JPEG2000.dcm",
    "SC_rgb_jpeg.dcm",
    "nested_priv_SQ.dcm",
    "priv_SQ.dcm",
    "UN_sequence.dcm",
    "reportsi.dcm",
    "test-SR.dcm",
    "no_meta_group_length.dcm",
    "ExplVR_BigEndNoMeta.dcm",
    "rtdose_rle_1frame.dcm",
    "SC_rgb_rle.dcm",
    "empty_charset_LEI.dcm",
    "meta_missing_tsyntax.dcm",
    "DICOMDIR",
)

VR_CODES = (
    b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN "
    b"UR US UT UV"
).split()
_LONG = frozenset(b"OB OD OF OL OV OW SQ SV UC UN UR UT UV".split())
_HEADER = re.compile(b"(?=" + b"|".join(re.escape(v) for v in VR_CODES) + b")")
ITEM = b"\xfe\xff\x00\xe0"
ITEM_END = b"\xfe\xff\x0d\xe0"
SEQUENCE_END = b"\xfe\xff\xdd\xe0"
LENGTHS = (0, 1, 2, 3, 7, 0xFF, 0xFFFE, 0xFFFF, 0x10000, 0x7FFFFFFF, 0xFFFFFFFE, 0xFFFFFFFF)


@cache
def source(name: str) -> bytes:
    """The bytes of one of pydicom's test files."""
    found = get_testdata_file(name)
    if found is None:
        raise FileNotFoundError(name)
    return Path(found).read_bytes()


def available() -> tuple[str, ...]:
    return tuple(name for name in SOURCES if get_testdata_file(name) is not None)


def _headers(data: bytes) -> list[int]:
    """Offsets of what looks like an explicit VR header (the tag 4 bytes before a VR code)."""
    return [m.start() - 4 for m in _HEADER.finditer(data, 132) if m.start() >= 4]


def cut(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def length(data: bytes, rng: random.Random) -> bytes:
    headers = _headers(data)
    if not headers:
        return flip(data, rng)
    at = rng.choice(headers)
    value = rng.choice((*LENGTHS, rng.randrange(1 << 32), len(data) - at + rng.randint(-16, 16)))
    out = bytearray(data)
    if bytes(data[at + 4 : at + 6]) in _LONG:
        out[at + 8 : at + 12] = struct.pack("<I", value & 0xFFFFFFFF)
    else:
        out[at + 6 : at + 8] = struct.pack("<H", value & 0xFFFF)
    return bytes(out)


def vr(data: bytes, rng: random.Random) -> bytes:
    headers = _headers(data)
    if not headers:
        return flip(data, rng)
    at = rng.choice(headers)
    code = rng.choice((*VR_CODES, b"ZZ", b"AA", b"\x00\x00", b"ob", bytes(rng.randbytes(2))))
    return data[: at + 4] + code + data[at + 6 :]


def structure(data: bytes, rng: random.Random) -> bytes:
    headers = _headers(data) or [rng.randrange(len(data))]
    at = rng.choice(headers)
    kind = rng.randrange(5)
    if kind == 0:  # an item, or a delimiter, where an element was
        tag = rng.choice((ITEM, ITEM_END, SEQUENCE_END))
        size = rng.choice((0, 0xFFFFFFFF, 8, rng.randrange(1 << 16)))
        return data[:at] + tag + struct.pack("<I", size) + data[at:]
    if kind == 1:  # a delimiter after the end of the data set
        return data + rng.choice((ITEM_END, SEQUENCE_END, ITEM)) + b"\x00\x00\x00\x00"
    end = min(len(data), at + rng.randint(1, 512))
    if kind == 2:  # a stretch repeated
        return data[:end] + data[at:end] * rng.randint(1, 4) + data[end:]
    if kind == 3:  # a stretch dropped
        return data[:at] + data[end:]
    other = rng.choice(headers)  # two stretches swapped
    first, second = sorted((at, other))
    size = min(rng.randint(1, 256), second - first)
    if size <= 0:
        return data
    return (
        data[:first]
        + data[second : second + size]
        + data[first + size : second]
        + data[first : first + size]
        + data[second + size :]
    )


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "cut": cut,
    "flip": flip,
    "length": length,
    "vr": vr,
    "structure": structure,
}


def mutated(name: str, kinds: list[str], seed: int) -> bytes:
    """``name`` with the mutations ``kinds`` applied in turn, drawn from ``seed``."""
    rng = random.Random(seed)
    data = source(name)
    for kind in kinds:
        if len(data) < 2:
            break
        data = MUTATIONS[kind](data, rng)
    return data


def random_case(rng: random.Random) -> bytes:
    names = available()
    kinds = [rng.choice(list(MUTATIONS)) for _ in range(rng.randint(1, 3))]
    return mutated(rng.choice(names), kinds, rng.randrange(1 << 32))


# -- resource cases -------------------------------------------------------------------------------
PIXEL_DATA_OW = b"\xe0\x7f\x10\x00OW\x00\x00"  # (7FE0,0010) OW, explicit VR little endian


def _before_pixel_data(data: bytes) -> bytes:
    return data[: data.index(PIXEL_DATA_OW)]


def write_sparse_pixel_data(path: Path, size: int = 0xFFFFFFF0) -> None:
    """CT_small.dcm with a Pixel Data of ``size`` bytes (about 4 GB), written as a sparse file:
    the file is really that long, its Pixel Data zeros."""
    head = _before_pixel_data(source("CT_small.dcm")) + PIXEL_DATA_OW + struct.pack("<I", size)
    with open(path, "wb") as file:
        file.write(head)
        file.truncate(len(head) + size)


def write_empty_items(path: Path, count: int = 1_000_000) -> None:
    """CT_small.dcm followed by Digital Signatures Sequence (FFFA,FFFA), a sequence after Pixel
    Data, of undefined length holding ``count`` empty items of undefined length (PS3.5 7.5)."""
    item = ITEM + b"\xff\xff\xff\xff" + ITEM_END + b"\x00\x00\x00\x00"
    with open(path, "wb") as file:
        file.write(source("CT_small.dcm"))
        file.write(b"\xfa\xff\xfa\xffSQ\x00\x00\xff\xff\xff\xff")
        for _ in range(count // 10_000):
            file.write(item * 10_000)
        file.write(item * (count % 10_000) + SEQUENCE_END + b"\x00\x00\x00\x00")


DEFLATED = b"1.2.840.10008.1.2.1.99"


def write_deflate_bomb(path: Path, inflated: int = 1 << 30) -> None:
    """A deflated data set (PS3.5 A.5) of CT_small.dcm's elements whose Pixel Data of
    ``inflated`` zero bytes (1 GiB) deflates to about 1 MB."""
    data = source("CT_small.dcm")
    # File Meta Information Group Length (0002,0000), the first meta element (PS3.10 7.1).
    assert data[132:138] == b"\x02\x00\x00\x00UL"
    meta_end = 144 + struct.unpack("<I", data[140:144])[0]
    meta, body = data[132:meta_end], _before_pixel_data(data)[meta_end:]
    syntax = meta.index(b"\x02\x00\x10\x00UI")
    old = struct.unpack("<H", meta[syntax + 6 : syntax + 8])[0]
    value = DEFLATED + b"\x00" * (len(DEFLATED) % 2)
    meta = meta[: syntax + 6] + struct.pack("<H", len(value)) + value + meta[syntax + 8 + old :]
    # File Meta Information Group Length (0002,0000) counts the meta elements after it.
    meta = meta[:8] + struct.pack("<I", len(meta) - 12) + meta[12:]
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    with open(path, "wb") as file:
        file.write(data[:132] + meta)
        file.write(deflater.compress(body + PIXEL_DATA_OW + struct.pack("<I", inflated)))
        for _ in range(inflated >> 20):
            file.write(deflater.compress(zeros))
        file.write(deflater.flush())


PEAK_SCRIPT = """
import resource, sys
from dicomstd.validation import validate_file
result = validate_file(sys.argv[1])
print(result.status, len(result.findings), " ".join(sorted(result.codes())))
try:  # the high-water mark of this program alone (ru_maxrss keeps the parent's from before exec)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("peak-kb", peak)
"""
"""Validates one file and prints its result, then its peak resident memory in kB."""


def peak_of(output: str) -> tuple[int, str]:
    """The peak RSS in MB and the result line from the output of :data:`PEAK_SCRIPT`."""
    lines = output.strip().splitlines()
    peak = next(int(line.split()[1]) for line in lines if line.startswith("peak-kb "))
    result = next((line for line in lines if not line.startswith("peak-kb ")), "")
    return peak // 1024, result


RESOURCE_CASES: dict[str, Callable[[Path], None]] = {
    "4 GB sparse Pixel Data": write_sparse_pixel_data,
    "1,000,000 empty items": write_empty_items,
    "1 MB deflate bomb": write_deflate_bomb,
}
