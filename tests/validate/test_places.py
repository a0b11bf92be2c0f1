"""Conditions look where the IOD puts the attributes they name (dicomstd.places).

Expected verdicts come from the quoted PS3.3 text; each case is validated both ways, compiled and
with the interpreter (``compiled.REFERENCE``), which must agree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd import spec
from dicomstd.conditions import (
    All,
    Any,
    Condition,
    Equals,
    InItems,
    Present,
    Scoped,
    Unverifiable,
)
from dicomstd.places import Places
from dicomstd.validation import compiled, validate
from tests.bench.multiframe import enhanced_ct

REFERENCED_IMAGE_EVIDENCE = "ReferencedImageEvidenceSequence"


def codes_for(ds: Dataset, keyword: str, iod: str | spec.IodSpec | None = None) -> list[str]:
    """The finding codes about ``keyword``, compiled and interpreted alike."""
    found = [f.code for f in validate(ds, iod=iod).findings if f.keyword == keyword]
    compiled.REFERENCE = True
    try:
        reference = [f.code for f in validate(ds, iod=iod).findings if f.keyword == keyword]
    finally:
        compiled.REFERENCE = False
    assert found == reference
    return found


def referenced_image() -> Dataset:
    item = Dataset()
    item.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    item.ReferencedSOPInstanceUID = "1.2.3.4"
    return item


def test_a_functional_group_attribute_is_found_in_the_frames() -> None:
    # Enhanced CT Image Module (C.8.15.2-1): Referenced Image Evidence Sequence (0008,9092) 1C
    # "Required if the Referenced Image Sequence (0008,1140) is present." Referenced Image
    # Sequence is the Referenced Image Functional Group Macro (C.7.6.16.2.5), in the shared item
    # or in the item of each frame, never at the top level.
    ds = enhanced_ct(2)
    assert codes_for(ds, REFERENCED_IMAGE_EVIDENCE) == []  # no Referenced Image Sequence
    frame = ds.PerFrameFunctionalGroupsSequence[1]
    frame.ReferencedImageSequence = Sequence([referenced_image()])
    assert codes_for(ds, REFERENCED_IMAGE_EVIDENCE) == ["type1c-missing"]
    del frame.ReferencedImageSequence
    ds.SharedFunctionalGroupsSequence[0].ReferencedImageSequence = Sequence([referenced_image()])
    assert codes_for(ds, REFERENCED_IMAGE_EVIDENCE) == ["type1c-missing"]
    evidence = Dataset()
    evidence.ReferencedSeriesSequence = Sequence()
    ds.ReferencedImageEvidenceSequence = Sequence([evidence])
    assert "type1c-missing" not in codes_for(ds, REFERENCED_IMAGE_EVIDENCE)
    assert "condition-not-met-present" not in codes_for(ds, REFERENCED_IMAGE_EVIDENCE)


def test_the_condition_of_a_top_level_attribute_is_rewritten_once_per_place() -> None:
    places = Places(spec.iod("Enhanced CT Image"))
    condition = Condition(Present(0x00081140), None, "text")
    placed = places.condition(condition, (), "Enhanced CT Image")
    assert placed.requirement == Any(
        (
            InItems(0x52009229, Present(0x00081140)),
            InItems(0x52009230, Present(0x00081140)),
        )
    )
    assert places.condition(condition, (), "Enhanced CT Image") is placed
    # Inside a frame's functional group item the frame's view finds it: nothing to change.
    frame = (0x52009230, 0x00189329)
    assert places.condition(condition, frame, "Multi-frame Functional Groups") is condition
    # An attribute the chain finds (Image Type, at the top level) is left as it is.
    image_type = Condition(Equals(0x00080008, ("ORIGINAL",), value_index=1), None, "text")
    assert places.condition(image_type, frame, "Multi-frame Functional Groups") is image_type


def test_of_this_frame_outside_the_frames_needs_every_frame() -> None:
    # "Frame Type (0008,9007) Value 1 of this frame is ORIGINAL" (CT X-Ray Details Macro)
    # judged outside the functional groups has no "this frame": true when every frame is
    # ORIGINAL, false when none is, unknown when frames differ.
    places = Places(spec.iod("Enhanced CT Image"))
    condition = Condition(
        Scoped(Equals(0x00089007, ("ORIGINAL",), value_index=1), "frame"), None, "text"
    )
    placed = places.condition(condition, (0x00080008,), "Enhanced CT Image")
    ds = enhanced_ct(2)
    for frame in ds.PerFrameFunctionalGroupsSequence:
        frame_type = Dataset()
        frame_type.FrameType = ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"]
        frame.CTImageFrameTypeSequence = Sequence([frame_type])
    assert placed.evaluate([ds]) is True
    ds.PerFrameFunctionalGroupsSequence[1].CTImageFrameTypeSequence[0].FrameType = [
        "DERIVED",
        "PRIMARY",
        "AXIAL",
        "NONE",
    ]
    assert placed.evaluate([ds]) is None
    ds.PerFrameFunctionalGroupsSequence[0].CTImageFrameTypeSequence[0].FrameType = [
        "DERIVED",
        "PRIMARY",
        "AXIAL",
        "NONE",
    ]
    assert placed.evaluate([ds]) is False


def test_a_reference_in_several_places_is_false_only_when_in_none() -> None:
    # A reference whose item cannot be told: the IOD defines it only in two sequences below
    # the judged item. False when neither holds it, else unknown (never a guess).
    iod = spec.iod("Enhanced CT Image")
    places = Places(iod)
    where = places.where(0x00081150)  # Referenced SOP Class UID: in many sequences' items
    assert len({container for container, _ in where}) > 1
    condition = Condition(Equals(0x00081150, ("1.2.840.10008.5.1.4.1.1.2",)), None, "text")
    placed = places.condition(condition, (), "")
    requirement = placed.requirement
    assert isinstance(requirement, All)
    assert isinstance(requirement.nodes[1], Unverifiable)
    assert requirement.nodes[1].reason == "other-items"
    ds = Dataset()
    assert placed.evaluate([ds]) is False
    # Referenced Patient Sequence (0008,1120) > Referenced SOP Class UID (Patient Module).
    ds.ReferencedPatientSequence = Sequence([referenced_image()])
    assert placed.evaluate([ds]) is None
    ds.ReferencedPatientSequence[0].ReferencedSOPClassUID = "1.2.840.10008.3.1.2.1.1"
    assert placed.evaluate([ds]) is False


ENHANCED_US_VOLUME = "1.2.840.10008.5.1.4.1.1.6.2"


def full_build_findings(build: Path, script: str) -> list[list[str]]:
    env = {**os.environ, "DICOMSTD_BUILD": str(build)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    found: list[list[str]] = json.loads(done.stdout)
    return found


@pytest.mark.standard
def test_data_path_assignment_is_found_in_the_data_frame_assignment_items(
    full_build: Path,
) -> None:
    # Enhanced Palette Color Lookup Table Module (C.7.6.23-1): Data Frame Assignment Sequence
    # (0028,1401) > Data Path Assignment (0028,1402); at the top level Enhanced Palette Color
    # Lookup Table Sequence (0028,140B) 1C "Required if Data Path Assignment (0028,1402) is
    # present with a value other than PRIMARY_PVALUES." ICC Profile (0028,2000) 1C "Required if
    # Data Path Assignment (0028,1402) is present and there exists any value other than
    # PRIMARY_PVALUES."
    script = f"""
        import json
        from pydicom.dataset import Dataset
        from pydicom.sequence import Sequence
        from dicomstd.validation import compiled, validate

        def item(path):
            it = Dataset()
            it.DataType = "TISSUE"
            it.DataPathAssignment = path
            return it

        def codes(ds, keyword):
            found = []
            for reference in (False, True):
                compiled.REFERENCE = reference
                found.append([f.code for f in validate(ds).findings if f.keyword == keyword])
            compiled.REFERENCE = False
            assert found[0] == found[1], found
            return found[0]

        out = []
        ds = Dataset()
        ds.SOPClassUID = "{ENHANCED_US_VOLUME}"
        ds.SOPInstanceUID = "1.2.3"
        ds.DataFrameAssignmentSequence = Sequence([item("PRIMARY_PVALUES")])
        out.append(codes(ds, "EnhancedPaletteColorLookupTableSequence"))
        ds.DataFrameAssignmentSequence.append(item("SECONDARY_SINGLE_PVALUES"))
        out.append(codes(ds, "EnhancedPaletteColorLookupTableSequence"))
        ds.EnhancedPaletteColorLookupTableSequence = Sequence([Dataset()])
        out.append(codes(ds, "EnhancedPaletteColorLookupTableSequence"))
        print(json.dumps(out))
    """
    absent_primary, absent_secondary, present_secondary = full_build_findings(full_build, script)
    assert absent_primary == []  # only PRIMARY_PVALUES: not required
    assert absent_secondary == ["type1c-missing"]  # a secondary data path: required
    assert "condition-not-met-present" not in present_secondary  # sent and required


@pytest.mark.standard
def test_references_below_the_judged_item_in_the_whole_standard(full_build: Path) -> None:
    # Intra-Oral Image Module (C.8-76): Anatomic Region Sequence (0008,2218) > Anatomic Region
    # Modifier Sequence (0008,2220); at the top level Primary Anatomic Structure Sequence
    # (0008,2228) 1C "Required if Anatomic Region Modifier Sequence (0008,2220) is not present":
    # not present in any item. Hemodynamic Waveform IOD (A.34.6-1): Synchronization C "Required
    # if Waveform Originality (003A,0004) is ORIGINAL"; Waveform Originality is in the items of
    # Waveform Sequence (5400,0100) (Waveform Module, C.10-9).
    script = """
        import json
        from dicomstd import spec
        from dicomstd.conditions import for_text
        from dicomstd.codegen.emit_conditions import tree_text
        from dicomstd.places import ANY_MODULE, Places

        out = []
        iod = spec.iod("Digital Intra-Oral X-Ray Image")
        text = "Required if Anatomic Region Modifier Sequence (0008,2220) is not present."
        placed = Places(iod).condition(for_text(text), (), "Intra-Oral Image")
        out.append([tree_text(placed.requirement)])
        iod = spec.iod("Hemodynamic Waveform")
        use = iod.module("Synchronization")
        placed = Places(iod).condition(for_text(use.condition), (), ANY_MODULE)
        out.append([tree_text(placed.requirement)])
        print(json.dumps(out))
    """
    intra_oral, synchronization = full_build_findings(full_build, script)
    assert intra_oral == ["Not(InItems(0x00082218, Present(0x00082220)))"]
    assert synchronization == ['InItems(0x54000100, Equals(0x003A0004, ("ORIGINAL",)))']
