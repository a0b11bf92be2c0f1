"""Reading what is to be validated: DICOM files and DICOM JSON (PS3.18 annex F).

Readers never raise for bad input: a file that cannot be read gives no dataset and an
``unreadable`` finding that says why; a readable file without File Meta Information gives the
dataset and a ``file-meta-missing`` finding.
"""

from __future__ import annotations

import io
import json
import mmap
import os
import stat
import tempfile
import warnings
import weakref
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Final, cast

import attrs
from pydicom import config
from pydicom.charset import convert_encodings, default_encoding
from pydicom.dataelem import (
    DataElement,
    RawDataElement,
    convert_raw_data_element,
    empty_value_for_VR,
)
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.filereader import read_sequence
from pydicom.fileutil import read_undefined_length_value
from pydicom.tag import BaseTag, SequenceDelimiterTag
from pydicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    PrivateTransferSyntaxes,
)
from pydicom.values import convert_string

from dicomstd.rawvalue import decodable, default_pydicom, file_sequence, new_dataset, raw_tuple
from dicomstd.rawvalue import value as raw_value
from dicomstd.tag import tag_text
from dicomstd.validation._dataset import elements
from dicomstd.validation._placeholders import OnDisk
from dicomstd.validation.encoding import (
    TRANSFER_SYNTAX_UID,
    UNDEFINED,
    VRS,
    Buffer,
    Scan,
    Syntax,
    scan,
    scan_data_set,
)
from dicomstd.validation.findings import Code, Finding
from dicomstd.validation.jsonvalues import json_value_findings
from dicomstd.validation.limits import ENVIRONMENT, Limits, limits
from dicomstd.vr import BYTES_VRS, bare_text

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["Reading", "read", "read_file", "read_json"]

# Values longer than this stay on disk until a check needs them (Pixel Data never does).
DEFER_SIZE = 64 * 1024
SPECIFIC_CHARACTER_SET = 0x00080005
_VR_TEXT: dict[bytes, str | None] = {code: code.decode("ascii") for code in VRS} | {b"": None}
"""A VR code as pydicom gives it (None: implicit VR)."""


def _finding(
    code: Code, message: str, *, tag: int | None = None, keyword: str = "", reference: str = ""
) -> Finding:
    return Finding.of(code, message, tag=tag, keyword=keyword, path=keyword, reference=reference)


@attrs.frozen
class Reading:
    """What reading a file gave: the data set (None when it cannot be read), the findings of
    reading it, and the tag from which on its top level was not read (None: all of it was)."""

    dataset: Dataset | None
    findings: list[Finding]
    unread_from: int | None = None


def read_file(path: str | os.PathLike[str]) -> tuple[Dataset | None, list[Finding]]:
    """Read one file; (None, [unreadable]) when it is not DICOM or cannot be read."""
    reading = read(path)
    return reading.dataset, reading.findings


def read(path: str | os.PathLike[str]) -> Reading:
    """Read one file, its encoding walked first (:mod:`dicomstd.validation.encoding`): the
    walk's findings come first, and when it stops early the data set is read up to that
    element only. Values longer than :data:`DEFER_SIZE` stay on disk."""
    name = os.fspath(path)
    if "\0" in name:
        return _unreadable(f"cannot open: the path {name!r} holds a NUL byte")
    try:
        status = os.stat(name)
    except (OSError, ValueError) as error:
        return _unreadable(f"cannot open: {getattr(error, 'strerror', None) or error}")
    if stat.S_ISDIR(status.st_mode):
        return _unreadable("a directory, not a file")
    if status.st_size == 0:
        return _unreadable("empty file (0 bytes)")
    location = Path(name)
    bounds = limits()
    try:
        scanned, built = _scanned(location, bounds)
    except OSError as error:
        return _unreadable(f"cannot read: {error.strerror or error}")
    unread_from = scanned.stop_tag
    dataset: Dataset | None
    problems: list[Finding]
    if built is not None:
        dataset, problems = built, []
    elif scanned.syntax is not None and scanned.syntax.deflated:
        dataset, problems, unread_from = _read_deflated(location, scanned, bounds)
    elif scanned.cut:
        # The walk stopped where the file ends, so everything before was walked within the
        # limits: the reader reads what it can, and only up to the element cut short if not.
        dataset, problems = _read(location, None)
        unread_from = None
        if dataset is None:
            dataset, problems = _read(location, scanned.stop)
            unread_from = scanned.stop_tag
    else:
        dataset, problems = _read(location, scanned.stop)
    if dataset is None and not scanned.prefix and scanned.transfer_syntax is None:
        return Reading(None, problems)  # not DICOM: what its bytes would mean is beside the point
    findings = [*scanned.findings, *problems]
    if dataset is None:
        return Reading(None, findings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom warns about the values it converts here
        findings.extend(_undecodable_meta(dataset))
        findings.extend(_file_meta(dataset))
    _keep_bulk_on_disk(dataset, scanned, bounds)
    return Reading(dataset, findings, unread_from)


def _unreadable(message: str) -> Reading:
    return Reading(None, [_finding("unreadable", message)])


class Elsewhere(bytes):
    """The value of a DICOM JSON attribute given by reference (BulkDataURI, PS3.18 F.2.6): it
    is there, so not empty, and it is not fetched; its length is unknown (``len`` 0)."""

    uri: str

    def __new__(cls, uri: str) -> Elsewhere:
        value = super().__new__(cls)
        value.uri = uri
        return value

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<a value at {self.uri!r}, not fetched>"


def _elsewhere(_tag: str, vr: str, uri: str) -> Elsewhere | None:
    """pydicom's ``bulk_data_uri_handler``: a binary value by reference is :class:`Elsewhere`;
    another (a text by reference) stays without a value, as pydicom leaves it."""
    return Elsewhere(uri) if vr in BYTES_VRS else None


class _BulkFile:
    """A file whose reads of the values at ``offsets`` give :class:`OnDisk` placeholders."""

    def __init__(self, file: IO[bytes], offsets: frozenset[int]) -> None:
        self._file = file
        self._offsets = offsets

    def read(self, size: int = -1) -> bytes:
        if size > 0 and self._file.tell() in self._offsets:
            self._file.seek(size, os.SEEK_CUR)
            return OnDisk(size)
        return self._file.read(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def close(self) -> None:
        self._file.close()


@attrs.frozen
class _BulkOpener:
    """What pydicom opens a file with to read a deferred value (``FileDataset.fileobj_type``)."""

    offsets: frozenset[int]

    def __call__(self, name: str, mode: str = "rb") -> _BulkFile:
        return _BulkFile(open(name, mode), self.offsets)


def _keep_bulk_on_disk(dataset: Dataset, scanned: Scan, bounds: Limits) -> None:
    """Make the values longer than ``bounds.value_bytes`` that pydicom left on disk (Pixel
    Data, and any other bulk value) read as :class:`OnDisk` placeholders: a check that asks for
    one (a condition on Pixel Data, say) never loads gigabytes. Sequences are read as usual."""

    if not isinstance(getattr(dataset, "filename", None), str):
        return
    offsets = frozenset(
        element.value_tell
        for element in getattr(dataset, "_dict", {}).values()
        if isinstance(element, RawDataElement)
        and element.value is None
        and element.length > bounds.value_bytes
        and element.length != 0xFFFFFFFF
        and element.value_tell not in scanned.sequences
    )
    if offsets:
        dataset.fileobj_type = _BulkOpener(offsets)


_READ_WHOLE: Final = 256 * 1024
"""Files of at most this many bytes are read whole: mapping one costs more than reading it
(measured: 13 against 7 microseconds at 8 KB, 16 against 10 at 256 KB; 18 against 26 at 1 MB)."""


def _scanned(location: Path, bounds: Limits) -> tuple[Scan, Dataset | None]:
    """The walk of the file's encoding, over a memory map (only the pages of the headers are
    read; a file that cannot be mapped, or of at most :data:`_READ_WHOLE` bytes, is read
    whole), and the data set built from it when the walk went through the whole file without a
    problem (:func:`_built`)."""
    with open(location, "rb") as file:
        try:
            small = os.fstat(file.fileno()).st_size <= _READ_WHOLE
            mapped = None if small else mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            mapped = None
        if mapped is None:
            data = file.read()
            scanned = scan(data, bounds)
            return scanned, _built(file, data, scanned)
        with mapped:
            scanned = scan(mapped, bounds)
            return scanned, _built(file, mapped, scanned)


def _built(file: IO[bytes], buffer: Buffer, scanned: Scan) -> Dataset | None:
    """The data set pydicom's ``read_partial`` would read from ``file``, made from the elements
    the walk found, whose values are read once, from ``buffer``: a file is not parsed twice.

    Only for a file the walk went through whole, with preamble, File Meta Information and a
    data set in the encoding its transfer syntax names; anything else (and anything that raises
    here) gives None, and pydicom reads the file as before, as it reads it in every case."""
    syntax = scanned.syntax
    if (
        not scanned.prefix
        or scanned.stop is not None
        or scanned.cut
        or syntax is None
        or syntax.deflated
        or not scanned.meta
        or not scanned.top
        or scanned.top[0][0] >> 16 == 0  # a command set, which pydicom reads apart
    ):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _made(file, buffer, scanned, syntax)
    except Exception:  # read as pydicom reads it, which says what is wrong
        return None


def _made(file: IO[bytes], buffer: Buffer, scanned: Scan, syntax: Syntax) -> Dataset | None:
    """:func:`_built`, step by step as pydicom's ``filereader.read_partial`` and
    ``read_dataset`` go (pydicom 3)."""
    # File Meta Information: explicit VR little endian, every value read.
    found: dict[BaseTag, Any] = {}
    vr: str | None
    for tag, code, length, _, start in scanned.meta:
        vr = code.decode(default_encoding)
        value: Any = buffer[start : start + length] if length else empty_value_for_VR(vr, True)
        found[BaseTag(tag)] = RawDataElement(BaseTag(tag), vr, length, value, start, False, True)
    # pydicom reads a Dataset and copies it into the FileMetaDataset: the same elements
    meta = _meta_dataset(found)
    first = next(iter(found))
    if not decodable(first, found[first]):
        meta[first]  # pydicom converts the first element to see that it can
    syntax_tag = BaseTag(TRANSFER_SYNTAX_UID)
    uid: Any = None
    if syntax_tag in found:
        uid = raw_value(meta, syntax_tag, found[syntax_tag])
    if uid is None or uid == DeflatedExplicitVRLittleEndian or uid in PrivateTransferSyntaxes:
        return None
    implicit, little = uid == ImplicitVRLittleEndian, uid != ExplicitVRBigEndian
    if uid not in (ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian):
        implicit, little = False, True
    if (implicit, little) != (not syntax.explicit, syntax.little):
        return None
    # pydicom's test of the encoding of the first element (filereader._is_implicit_vr)
    head = bytes(buffer[scanned.data_set + 4 : scanned.data_set + 6])
    if len(head) == 2 and implicit != (not (0x40 < head[0] < 0x5B and 0x40 < head[1] < 0x5B)):
        return None
    # The data set (filereader.data_element_generator, defer_size=DEFER_SIZE).
    encoding: Any = default_encoding
    stream = cast(BinaryIO, file)
    elements: dict[BaseTag, Any] = {}
    size = len(buffer)
    top = scanned.top
    vrs = _VR_TEXT
    new, as_tuple = tuple.__new__, raw_tuple()
    empty_values: dict[str | None, Any] = {}
    for index, (number, code, length, _, start) in enumerate(top):
        tag = BaseTag(number)
        vr = vrs[code]
        element: Any
        if length != UNDEFINED:
            if length > DEFER_SIZE and number != SPECIFIC_CHARACTER_SET:
                value = None
            elif length:
                value = buffer[start : start + length]
            elif vr in empty_values:
                value = empty_values[vr]
            else:
                value = empty_values[vr] = empty_value_for_VR(vr, True)
            if number == SPECIFIC_CHARACTER_SET:
                encoding = convert_encodings(convert_string(value or b"", little))
            element = (
                new(RawDataElement, (tag, vr, length, value, start, implicit, little, True, False))
                if as_tuple
                else RawDataElement(tag, vr, length, value, start, implicit, little)
            )
        else:
            if vr is None or vr == "UN":  # pydicom looks the VR up, or guesses it
                return None
            following = top[index + 1][3] if index + 1 < len(top) else size
            parsed = (
                file_sequence(buffer, start, implicit, little, encoding) if vr == "SQ" else None
            )
            if parsed is not None:  # read as read_sequence reads it, from the mapped file
                element = DataElement(tag, vr, parsed[0], start, is_undefined_length=True)
                ended = parsed[1]
            else:
                file.seek(start)
                if vr == "SQ":
                    sequence = read_sequence(stream, implicit, little, length, encoding)
                    element = DataElement(tag, vr, sequence, start, is_undefined_length=True)
                else:
                    delimiter = SequenceDelimiterTag
                    value = read_undefined_length_value(stream, little, delimiter, DEFER_SIZE)
                    element = RawDataElement(tag, vr, length, value, start, implicit, little)
                ended = file.tell()
            if ended != following:  # pydicom parsed it otherwise than the walk
                return None
        elements[tag] = element
    # pydicom reads a Dataset and makes the FileDataset of its elements: the same elements
    return _file_dataset(file, elements, bytes(buffer[:128]), meta, implicit, little)


_DATASET_STATE: Final = (
    "_parent_encoding",
    "_dict",
    "is_decompressed",
    "_read_little",
    "_read_implicit",
    "_read_charset",
    "_is_little_endian",
    "_is_implicit_VR",
    "is_undefined_length_sequence_item",
    "_private_blocks",
    "_pixel_array",
    "_pixel_array_opts",
    "_pixel_id",
)
"""The attributes pydicom 3's ``Dataset.__init__`` sets (``config._use_future`` off), in its
order: those of a new FileMetaDataset."""
_FILE_STATE: Final = (
    *_DATASET_STATE,
    "preamble",
    "file_meta",
    "fileobj_type",
    "filename",
    "buffer",
    "timestamp",
)
"""The attributes of a new FileDataset of pydicom 3 (``config._use_future`` off), in order."""


@cache
def _new_states() -> tuple[dict[str, Any], dict[str, Any], tuple[str, ...]] | None:
    """The attributes of a new FileMetaDataset and of a new FileDataset of a file name, and the
    names of those that are mutable containers (each a dict of immutable values); None when
    pydicom sets other attributes than :data:`_DATASET_STATE` and :data:`_FILE_STATE`."""
    meta = FileMetaDataset()
    made = FileDataset("", {}, None, meta, True, True)
    meta_state, state = dict(meta.__dict__), dict(made.__dict__)
    if tuple(meta_state) != _DATASET_STATE or tuple(state) != _FILE_STATE:
        return None
    containers = (dict, list, set)
    mutable = tuple(
        name
        for name in _DATASET_STATE
        if name != "_dict"
        and (isinstance(meta_state[name], containers) or isinstance(state[name], containers))
    )
    for name in mutable:
        for made_state in (meta_state, state):
            if type(made_state[name]) is not dict or any(
                isinstance(item, containers) for item in made_state[name].values()
            ):
                return None
    if any(isinstance(state[name], containers) for name in _FILE_STATE[len(_DATASET_STATE) :]):
        return None
    return meta_state, state, mutable


def _states() -> tuple[dict[str, Any], dict[str, Any], tuple[str, ...]] | None:
    """:func:`_new_states` with pydicom 3 in its default configuration, else None."""
    if config._use_future or not default_pydicom():
        return None
    return _new_states()


def _meta_dataset(found: dict[BaseTag, Any]) -> FileMetaDataset:
    """``FileMetaDataset(found)`` with ``set_original_encoding(False, True,
    default_encoding)``, as pydicom's ``_read_file_meta_info`` makes it: the attributes of a new
    one (:func:`_new_states`, each mutable one a new copy) set at once, instead of one by one
    through pydicom's ``__setattr__``. A tag of another group than 0002 raises ValueError, as
    ``FileMetaDataset.validate`` does."""
    states = _states()
    if states is None:
        meta = FileMetaDataset(found)
        meta.set_original_encoding(False, True, default_encoding)
        return meta
    if any(tag >> 16 != 2 for tag in found):
        raise ValueError("File meta datasets may only contain group 2 elements")
    blank, _, mutable = states
    fields = {
        "_dict": found,
        "_read_implicit": False,
        "_read_little": True,
        "_read_charset": default_encoding,
    }
    return cast(FileMetaDataset, new_dataset(FileMetaDataset, blank, mutable, fields))


def _file_dataset(
    file: IO[bytes],
    elements: dict[BaseTag, Any],
    preamble: bytes,
    meta: FileMetaDataset,
    implicit: bool,
    little: bool,
) -> FileDataset:
    """``FileDataset(file, elements, preamble, meta, implicit, little)`` with
    ``set_original_encoding(implicit, little, _character_set)``, as pydicom's ``read_partial``
    makes it: for a file opened by name, the attributes of a new one (:func:`_new_states`, each
    mutable one a new copy) set at once, with the file's name, ``open`` to open it again, and
    its modification time when that name exists (``os.path.exists``: ``os.stat`` succeeds)."""
    states = _states()
    if states is None or type(file) is not io.BufferedReader:
        made = FileDataset(file, elements, preamble, meta, implicit, little)
        made.set_original_encoding(implicit, little, made._character_set)
        return made
    _, blank, mutable = states
    filename = file.name
    timestamp = None
    if filename:
        try:
            timestamp = os.stat(filename).st_mtime
        except (OSError, ValueError):  # os.path.exists is false
            timestamp = None
    fields = {
        "_dict": elements,
        "_read_little": little,
        "_read_implicit": implicit,
        "_is_little_endian": little,
        "_is_implicit_VR": implicit,
        "preamble": preamble,
        "file_meta": meta,
        "filename": filename,
        "timestamp": timestamp,
    }  # fileobj_type stays the template's: the ``open`` FileDataset sets for a file name
    dataset = cast(FileDataset, new_dataset(FileDataset, blank, mutable, fields))
    dataset.__dict__["_read_charset"] = dataset._character_set
    return dataset


def _stop_at(file: IO[bytes], stop: int | None) -> Callable[[Any, Any, int], bool] | None:
    """pydicom's ``stop_when``: true at the top-level element that starts at ``stop`` (the file
    is then past its header)."""
    if stop is None:
        return None
    return lambda _tag, _vr, _length: file.tell() > stop


def _read(location: Path, stop: int | None) -> tuple[Dataset | None, list[Finding]]:
    from pydicom.errors import InvalidDicomError
    from pydicom.filereader import read_partial

    with warnings.catch_warnings(), open(location, "rb") as file:
        warnings.simplefilter("ignore")
        try:
            dataset = read_partial(file, _stop_at(file, stop), defer_size=DEFER_SIZE)
        except InvalidDicomError:
            try:
                file.seek(0)
                dataset = read_partial(
                    file, _stop_at(file, stop), defer_size=DEFER_SIZE, force=True
                )
            except Exception as error:  # any parser failure means unreadable
                return None, [_finding("unreadable", f"not a DICOM file: {_reason(error)}")]
            if not _looks_like_dicom(dataset):
                return None, [
                    _finding(
                        "unreadable",
                        "not a DICOM file (no preamble, no DICM "
                        "prefix, and no data elements could be read)",
                    )
                ]
        except Exception as error:
            return None, [_finding("unreadable", f"cannot read as DICOM: {_reason(error)}")]
    return dataset, []


def _read_deflated(
    location: Path, scanned: Scan, bounds: Limits
) -> tuple[Dataset | None, list[Finding], int | None]:
    """A data set of a deflated transfer syntax (PS3.5 A.5), inflated into a temporary file at
    most :attr:`Limits.inflated_bytes` long (pydicom would inflate it whole in memory), walked,
    and read from there; the temporary file lives as long as the data set."""
    from pydicom.filereader import read_dataset, read_file_meta_info

    inflated = tempfile.NamedTemporaryFile(prefix="dicomstd-inflated-", suffix=".dcm")  # noqa: SIM115 - lives as long as the data set
    try:
        findings = _inflate(location, scanned.data_set, inflated, bounds)
        inflated.flush()
        if not os.path.getsize(inflated.name):
            inflated.close()
            empty = _finding("unreadable", "the deflated data set is empty")
            return None, [*findings, empty], None
        walked = _scanned_data_set(Path(inflated.name), bounds)
        findings.extend(walked.findings)
        with warnings.catch_warnings(), open(inflated.name, "rb") as file:
            warnings.simplefilter("ignore")
            meta = read_file_meta_info(location)
            with open(location, "rb") as original:
                head = original.read(132)
            preamble = head[:128] if head[128:132] == b"DICM" else None
            data = read_dataset(
                file, False, True, stop_when=_stop_at(file, walked.stop), defer_size=DEFER_SIZE
            )
            dataset = FileDataset(file, data, preamble, meta, False, True)
            dataset.set_original_encoding(False, True, data._character_set)
    except Exception as error:
        inflated.close()
        problem = _finding("unreadable", f"cannot read the deflated data set: {_reason(error)}")
        return None, [problem], None
    weakref.finalize(dataset, inflated.close)
    return dataset, findings, walked.stop_tag


def _scanned_data_set(location: Path, bounds: Limits) -> Scan:
    """The walk of a file that holds a data set only, in explicit VR little endian."""
    with (
        open(location, "rb") as file,
        mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
    ):
        return scan_data_set(mapped, bounds, Syntax(explicit=True, little=True))


_CHUNK = 1 << 16


def _inflate(location: Path, start: int, out: IO[bytes], bounds: Limits) -> list[Finding]:
    """Inflate the file from ``start`` into ``out``, at most ``bounds.inflated_bytes``."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    room = bounds.inflated_bytes
    with open(location, "rb") as source:
        source.seek(start)
        while not inflater.eof:
            chunk = source.read(_CHUNK)
            if not chunk:
                return [
                    _finding(
                        "truncated",
                        "the file ends inside the deflated data set (PS3.5 A.5)",
                    )
                ]
            while chunk and not inflater.eof:
                try:
                    piece = inflater.decompress(chunk, min(room + 1, 1 << 20))
                except zlib.error as error:
                    return [
                        _finding(
                            "encoding-invalid",
                            f"the deflated data set cannot be inflated: {_reason(error)} "
                            "(PS3.5 A.5)",
                        )
                    ]
                if len(piece) > room:
                    out.write(piece[:room])
                    return [
                        _finding(
                            "limit-exceeded",
                            f"the deflated data set inflates to more than "
                            f"{bounds.inflated_bytes} bytes; the rest is not read (set "
                            f"{ENVIRONMENT['inflated_bytes']} to read more)",
                        )
                    ]
                out.write(piece)
                room -= len(piece)
                chunk = inflater.unconsumed_tail
    return []


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


def _looks_like_dicom(dataset: Dataset) -> bool:
    try:
        tags = [int(t) for t in dataset.keys()]  # noqa: SIM118 - a Dataset iterates elements, not tags
    except Exception:
        return False
    return (
        bool(tags)
        and all(0x00020000 <= t <= 0xFFFEE0DD for t in tags)
        and any(t >> 16 == 0x0008 for t in tags)
    )


def _undecodable_meta(dataset: Dataset) -> list[Finding]:
    """File Meta Information elements pydicom cannot decode (an unknown VR, a length that is
    no multiple of the VR's size): reported and left out, so that no later look at the File
    Meta Information fails on them. (pydicom's warnings are the caller's to silence.)"""
    meta = getattr(dataset, "file_meta", None)
    if meta is None:
        return []

    out: list[Finding] = []
    for tag, element in elements(meta).items():
        if not isinstance(element, RawDataElement) or decodable(tag, element):
            continue  # converted already, or a value whose conversion cannot fail
        try:
            convert_raw_data_element(element, ds=meta)  # tried; the raw one stays
        except Exception as error:
            del meta[tag]
            out.append(
                _finding(
                    "encoding-invalid",
                    f"the File Meta Information element {tag_text(tag)} cannot be decoded "
                    f"({_reason(error)}); it is left out",
                    tag=tag,
                )
            )
    return out


def _file_meta(dataset: Dataset) -> list[Finding]:
    meta = getattr(dataset, "file_meta", None)
    if meta is None or len(meta) == 0:
        return [
            _finding(
                "file-meta-missing",
                "the file has no File Meta Information (group 0002): "
                'a DICOM file starts with a 128-byte preamble, "DICM" and group 0002 '
                "(PS3.10 7.1)",
                reference="PS3.10 7.1",
            )
        ]
    out: list[Finding] = []
    found_meta = elements(meta)
    # The Type 1 elements of PS3.10 table 7.1-1.
    for tag, keyword in (
        (0x00020000, "FileMetaInformationGroupLength"),
        (0x00020001, "FileMetaInformationVersion"),
        (0x00020002, "MediaStorageSOPClassUID"),
        (0x00020003, "MediaStorageSOPInstanceUID"),
        (0x00020010, "TransferSyntaxUID"),
        (0x00020012, "ImplementationClassUID"),
    ):
        if tag not in found_meta:
            out.append(
                _finding(
                    "file-meta-missing",
                    f"File Meta Information lacks {keyword}",
                    tag=tag,
                    keyword=keyword,
                    reference="PS3.10 7.1",
                )
            )
    pairs = (
        (0x00020002, 0x00080016, "MediaStorageSOPClassUID", "SOP Class UID"),
        (0x00020003, 0x00080018, "MediaStorageSOPInstanceUID", "SOP Instance UID"),
    )
    # Two elements looked up by int tag, not a copy of them all.
    held = cast("dict[int, Any]", dataset._dict)
    for meta_tag, tag, keyword, name in pairs:
        element = held.get(tag)
        if meta_tag in found_meta and element is not None and element.value is not None:
            # A value left on disk (longer than DEFER_SIZE) is not read for this; one that
            # cannot be decoded is not compared (the walk of the values reports it).
            try:
                ours = bare_text(raw_value(meta, meta_tag, found_meta[meta_tag]))
                theirs = bare_text(raw_value(dataset, tag, element))
            except Exception:
                continue
            if ours != theirs:
                out.append(
                    _finding(
                        "file-meta-mismatch",
                        f"{keyword} {ours!r} differs from the {name} {theirs!r} of the data set",
                        tag=meta_tag,
                        keyword=keyword,
                        reference="PS3.10 7.1",
                    )
                )
    return out


def read_json(document: str | bytes | dict[str, Any]) -> tuple[Dataset | None, list[Finding]]:
    """Read a DICOM JSON model object (PS3.18 F.2); (None, [unreadable]) when it is not one."""
    from pydicom.dataset import Dataset

    try:
        data = json.loads(document) if isinstance(document, str | bytes) else document
        if isinstance(data, list):
            if len(data) != 1:
                return None, [
                    _finding(
                        "unreadable",
                        f"a JSON array of {len(data)} objects; "
                        "validate one DICOM JSON object at a time",
                    )
                ]
            data = data[0]
        if not isinstance(data, dict):
            return None, [_finding("unreadable", "not a DICOM JSON object (PS3.18 F.2)")]
        findings = json_value_findings(data, limits().depth)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dataset = Dataset.from_json(data, bulk_data_uri_handler=_elsewhere)
    except Exception as error:  # malformed JSON in any way is unreadable
        return None, [_finding("unreadable", f"not a DICOM JSON object: {_reason(error)}")]
    return dataset, findings
