"""The instances an SR content tree references, against the evidence sequences that list them.

PS3.3, SR Document General Module, Current Requested Procedure Evidence Sequence (0040,A375):
"Full set of Composite SOP Instances, of which the creator is aware, which were created to
satisfy the current Requested Procedure(s) for which this SR Document is generated or that are
referenced in the content tree." C.17.2.3: "this sequence shall contain at minimum the set of
Composite SOP Instances from the current Requested Procedure(s) that are referenced in the content
tree. The Pertinent Other Evidence Sequence (0040,A385) attribute is used to reference all other
evidence considered pertinent for this SR Document that is not listed in the Current Requested
Procedure Evidence Sequence (0040,A375). This requires that the same SOP Instance shall not be
referenced in both of these Sequences. For the purposes of inclusion in [them], the set of
Composite SOP Instances is defined to include not only the images and waveforms referenced in the
content tree, but also all presentation states, real world value maps and other accompanying
composite instances that are referenced from the content items." The Key Object Document Module
says the same of its own Current Requested Procedure Evidence Sequence: "List of all Composite
SOP Instances referenced in Content Sequence (0040,A730)".

So every Referenced SOP Instance UID (0008,1155) anywhere in the content tree must be listed in
one of the two sequences (the Pertinent Other one where the IOD has it), and no instance in both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dicomstd.tag import tag_text
from dicomstd.validation._dataset import MAX_DEPTH
from dicomstd.validation.findings import Finding
from dicomstd.vr import bare_text

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["CONTENT_SEQUENCE", "CURRENT_EVIDENCE", "PERTINENT_EVIDENCE", "unlisted_evidence"]

CONTENT_SEQUENCE = 0x0040A730
CURRENT_EVIDENCE = 0x0040A375
PERTINENT_EVIDENCE = 0x0040A385
REFERENCED_SOP_INSTANCE_UID = 0x00081155


def _instances(sequence: Any, path: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(UID, path) of every Referenced SOP Instance UID in the items of ``sequence``, at any
    depth up to :data:`~._dataset.MAX_DEPTH` (the walk reports deeper nesting), in document
    order."""
    if depth >= MAX_DEPTH or sequence.VR != "SQ" or not sequence.value:
        return
    for index, item in enumerate(sequence.value):
        here = f"{path}[{index}]"
        for child in item:
            if child.tag == REFERENCED_SOP_INSTANCE_UID:
                uid = bare_text(str(child.value)) if child.value is not None else ""
                if uid:
                    yield uid, f"{here}.ReferencedSOPInstanceUID"
            elif child.VR == "SQ":
                name = child.keyword or tag_text(int(child.tag))
                yield from _instances(child, f"{here}.{name}", depth + 1)


def _listed(dataset: Dataset, tag: int, keyword: str) -> dict[str, str]:
    element: Any = dataset.get(tag)
    if element is None:
        return {}
    found: dict[str, str] = {}
    for uid, where in _instances(element, keyword):
        found.setdefault(uid, where)
    return found


def unlisted_evidence(
    dataset: Dataset, module: str, reference: str, *, pertinent: bool
) -> Iterator[Finding]:
    """Findings on instances the content tree references that neither evidence sequence lists,
    and on instances both list. ``pertinent``: whether the IOD has the Pertinent Other Evidence
    Sequence."""
    content: Any = dataset.get(CONTENT_SEQUENCE)
    if content is None:
        return
    current = _listed(dataset, CURRENT_EVIDENCE, "CurrentRequestedProcedureEvidenceSequence")
    other = (
        _listed(dataset, PERTINENT_EVIDENCE, "PertinentOtherEvidenceSequence") if pertinent else {}
    )
    where = (
        "Current Requested Procedure Evidence Sequence (0040,A375) nor Pertinent Other Evidence "
        "Sequence (0040,A385)"
        if pertinent
        else "Current Requested Procedure Evidence Sequence (0040,A375)"
    )
    reported: set[str] = set()
    for uid, path in _instances(content, "ContentSequence"):
        if uid in current or uid in other or uid in reported:
            continue
        reported.add(uid)
        yield Finding.of(
            "evidence-reference",
            f"the content tree references SOP Instance {uid} (at {path}), which "
            f"{'neither' if pertinent else 'no item of'} {where} lists: the evidence "
            "sequences list the Composite SOP Instances referenced in the content tree",
            tag=CURRENT_EVIDENCE,
            keyword="CurrentRequestedProcedureEvidenceSequence",
            path="CurrentRequestedProcedureEvidenceSequence",
            module=module,
            reference=reference,
        )
    for uid in sorted(set(current) & set(other)):
        yield Finding.of(
            "evidence-reference",
            f"SOP Instance {uid} is in Current Requested Procedure Evidence Sequence "
            f"(at {current[uid]}) and in Pertinent Other Evidence Sequence (at {other[uid]}): "
            "'the same SOP Instance shall not be referenced in both of these Sequences'",
            tag=PERTINENT_EVIDENCE,
            keyword="PertinentOtherEvidenceSequence",
            path="PertinentOtherEvidenceSequence",
            module=module,
            reference=reference,
        )
