"""The instances an SR content tree references, against the evidence sequences.

PS3.3, SR Document General Module (table C.17-2 of the full-size input), Current Requested
Procedure Evidence Sequence (0040,A375): "Full set of Composite SOP Instances, of which the
creator is aware, which were created to satisfy the current Requested Procedure(s) for which this
SR Document is generated or that are referenced in the content tree." C.17.2.3 (in the PS3.3 2016c
excerpt): "this sequence shall contain at minimum the set of Composite SOP Instances from the
current Requested Procedure(s) that are referenced in the content tree. The Pertinent Other
Evidence Sequence (0040,A385) attribute is used to reference all other evidence … This requires
that the same SOP Instance shall not be referenced in both of these Sequences. … the set of
Composite SOP Instances is defined to include not only the images and waveforms referenced in
the content tree, but also all presentation states …"

The SR IODs are in the build of the whole standard, not in the pinned excerpt: the files made here
are validated with it.
"""

from __future__ import annotations

from pathlib import Path

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from tests.conftest import validate_with_build

COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33"
KEY_OBJECT_SELECTION = "1.2.840.10008.5.1.4.1.1.88.59"
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
GRAYSCALE_PS = "1.2.840.10008.5.1.4.1.1.11.1"
IMAGE, STATE = "1.2.3.4.1", "1.2.3.4.2"
CURRENT, PERTINENT = "(0040,A375)", "(0040,A385)"


def _reference(sop_class: str, uid: str, **more: object) -> Dataset:
    item = Dataset()
    item.ReferencedSOPClassUID = sop_class
    item.ReferencedSOPInstanceUID = uid
    for keyword, value in more.items():
        setattr(item, keyword, value)
    return item


def _evidence(*uids: str) -> Sequence:
    """A Hierarchical SOP Instance Reference item listing ``uids`` (all as CT images)."""
    series = Dataset()
    series.SeriesInstanceUID = "1.2.3.5"
    series.ReferencedSOPSequence = Sequence([_reference(CT_IMAGE, uid) for uid in uids])
    study = Dataset()
    study.StudyInstanceUID = "1.2.3.6"
    study.ReferencedSeriesSequence = Sequence([series])
    return Sequence([study])


def _code(value: str, meaning: str) -> Sequence:
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = value, "DCM", meaning
    return Sequence([code])


def _report(
    current: tuple[str, ...], pertinent: tuple[str, ...] = (), sop_class: str = COMPREHENSIVE_SR
) -> Dataset:
    """A Comprehensive SR whose content tree references the image IMAGE and, from its content
    item, the presentation state STATE; the evidence sequences list ``current`` and
    ``pertinent``."""
    image = Dataset()
    image.RelationshipType = "CONTAINS"
    image.ValueType = "IMAGE"
    image.ConceptNameCodeSequence = _code("121233", "Source image")
    image.ReferencedSOPSequence = Sequence(
        [
            _reference(
                CT_IMAGE,
                IMAGE,
                ReferencedSOPSequence=Sequence([_reference(GRAYSCALE_PS, STATE)]),
            )
        ]
    )
    dataset = Dataset()
    dataset.SOPClassUID = sop_class
    dataset.SOPInstanceUID = generate_uid()
    dataset.StudyInstanceUID = generate_uid()
    dataset.SeriesInstanceUID = generate_uid()
    dataset.Modality = "SR"
    dataset.ValueType = "CONTAINER"
    dataset.ContinuityOfContent = "SEPARATE"
    dataset.ConceptNameCodeSequence = _code("121144", "Document Title")
    dataset.ContentSequence = Sequence([image])
    if current:
        dataset.CurrentRequestedProcedureEvidenceSequence = _evidence(*current)
    if pertinent:
        dataset.PertinentOtherEvidenceSequence = _evidence(*pertinent)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset.file_meta = meta
    return dataset


def _evidence_findings(build: Path, paths: list[Path]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for result in validate_with_build(build, paths):
        assert result["iod"] in ("Comprehensive SR", "Key Object Selection Document"), result
        found[Path(result["path"]).name] = sorted(
            (f["tag"], f["message"])
            for f in result["findings"]
            if f["code"] == "evidence-reference"
        )
    return found


def test_every_instance_the_content_tree_references_is_listed(
    full_build: Path, tmp_path: Path
) -> None:
    files = {
        "both-current.dcm": _report(current=(IMAGE, STATE)),
        "split.dcm": _report(current=(IMAGE,), pertinent=(STATE,)),
        "state-unlisted.dcm": _report(current=(IMAGE,)),
        "none.dcm": _report(current=()),
        "twice.dcm": _report(current=(IMAGE, STATE), pertinent=(IMAGE,)),
        # Key Object Document Module (table C.17.6-2), Current Requested Procedure Evidence
        # Sequence: "List of all Composite SOP Instances referenced in Content Sequence
        # (0040,A730), including all presentation states …"; the IOD has no Pertinent Other one.
        "kos.dcm": _report(current=(IMAGE,), sop_class=KEY_OBJECT_SELECTION),
        "kos-complete.dcm": _report(current=(IMAGE, STATE), sop_class=KEY_OBJECT_SELECTION),
    }
    paths = []
    for name, dataset in files.items():
        paths.append(tmp_path / name)
        dataset.save_as(paths[-1], enforce_file_format=True)
    found = _evidence_findings(full_build, paths)
    assert found["both-current.dcm"] == []
    assert found["split.dcm"] == []
    # The presentation state referenced from the IMAGE content item counts too.
    ((tag, message),) = found["state-unlisted.dcm"]
    assert tag == CURRENT and STATE in message and "ReferencedSOPSequence[0]" in message
    assert [tag for tag, _ in found["none.dcm"]] == [CURRENT, CURRENT]
    ((tag, message),) = found["twice.dcm"]
    assert tag == PERTINENT and IMAGE in message
    ((tag, message),) = found["kos.dcm"]
    assert tag == CURRENT and STATE in message and "Pertinent" not in message
    assert found["kos-complete.dcm"] == []
