"""Generated classes reference the classes of the tables they include instead of copying them.

Read from PS3.3 2016c: table C.7-9 (General Image Module) row 10, Referenced Image Sequence
(0008,1140), holds ``>Include Image SOP Instance Reference Macro Table 10-3`` and
``>Purpose of Reference Code Sequence (0040,A170)`` whose items are ``>>Include Code Sequence Macro
Table 8.8-1``; table A.38-2 (Enhanced CT Image Functional Group Macros) lists Pixel Measures
(C.7.6.16.2.1), Frame Content (C.7.6.16.2.2) and CT Image Frame Type (C.8.15.3.1) among others,
table A.47-2 (Enhanced XA Image Functional Group Macros) Frame Content but not Pixel Measures;
table C.7.6.16-1
(Multi-frame Functional Groups Module) places them in the items of the Shared and Per-frame
Functional Groups Sequences.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import attrs

from dicomstd._generated.modules import CLASSES
from dicomstd.model import module_class

MODULES = Path(importlib.import_module("dicomstd._generated.modules").__file__ or "").parent


def test_an_item_of_a_macro_and_more_extends_the_macro_class() -> None:
    from dicomstd._generated.modules.code_sequence_macro import CodeSequenceMacro
    from dicomstd._generated.modules.general_image_module import GeneralImageModule
    from dicomstd._generated.modules.image_sop_instance_reference_macro import (
        ImageSOPInstanceReferenceMacro,
    )

    item = GeneralImageModule.ReferencedImageSequenceItem
    assert item.__bases__ == (ImageSOPInstanceReferenceMacro,)
    fields = attrs.fields_dict(item)
    # the macro's attributes come by inheritance, the row of table C.7-9 is the item's own
    assert fields["ReferencedSOPClassUID"].metadata["tag"] == 0x00081150
    assert fields["ReferencedSOPClassUID"].inherited
    assert not fields["PurposeOfReferenceCodeSequence"].inherited
    assert fields["PurposeOfReferenceCodeSequence"].metadata["item"] == "CodeSequenceMacro"
    built = item(
        ReferencedSOPClassUID="1.2.840.10008.5.1.4.1.1.2",
        PurposeOfReferenceCodeSequence=(CodeSequenceMacro(CodeValue="121311"),),
    )
    dataset = built.to_dataset()
    assert dataset.ReferencedSOPClassUID == "1.2.840.10008.5.1.4.1.1.2"
    assert dataset.PurposeOfReferenceCodeSequence[0].CodeValue == "121311"
    assert item.from_dataset(dataset) == built


def test_functional_group_items_extend_the_macro_classes_shared_by_every_iod() -> None:
    from dicomstd._generated.modules.ct_image_frame_type_macro import CTImageFrameTypeMacro
    from dicomstd._generated.modules.pixel_measures_macro import PixelMeasuresMacro

    name = "EnhancedCTImageMultiFrameFunctionalGroupsModule"
    groups = module_class(CLASSES[name], name)
    for name in ("SharedFunctionalGroupsSequenceItem", "PerFrameFunctionalGroupsSequenceItem"):
        item = getattr(groups, name)
        assert issubclass(item, PixelMeasuresMacro) and issubclass(item, CTImageFrameTypeMacro)
    # the Enhanced XA IOD (table A.47-2) uses Frame Content as the Enhanced CT IOD does: one class
    from dicomstd._generated.modules.frame_content_macro import FrameContentMacro

    assert issubclass(groups.PerFrameFunctionalGroupsSequenceItem, FrameContentMacro)
    name = "EnhancedXRayAngiographicImageMultiFrameFunctionalGroupsModule"
    xa = module_class(CLASSES[name], name)
    assert issubclass(xa.PerFrameFunctionalGroupsSequenceItem, FrameContentMacro)
    assert not issubclass(xa.PerFrameFunctionalGroupsSequenceItem, PixelMeasuresMacro)


def _classes_defining(field: str) -> list[str]:
    found = []
    for path in sorted(MODULES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(s, ast.AnnAssign)
                and isinstance(s.target, ast.Name)
                and s.target.id == field
                for s in node.body
            ):
                found.append(f"{path.stem}.{node.name}")
    return found


def test_a_macro_attribute_is_written_in_its_macro_class_only() -> None:
    # Code Value (0008,0100) is an attribute of the Basic Code Sequence Macro (table 8.8-1a),
    # which the Code Sequence Macro (table 8.8-1) includes; the dozens of sequences whose items
    # are codes inherit it.
    assert _classes_defining("CodeValue") == ["basic_code_sequence_macro.BasicCodeSequenceMacro"]


def test_imports_are_computed_from_the_class_records() -> None:
    from dicomstd.codegen.emit_classes import ClassRecord, FieldRecord, imported_classes

    def field(name: str, item: str | None) -> FieldRecord:
        return FieldRecord(name, (), "", (), "", item)

    item = ClassRecord(
        "ReferencedImageSequenceItem",
        "",
        ("ImageSOPInstanceReferenceMacro",),
        (field("PurposeOfReferenceCodeSequence", "CodeSequenceMacro"),),
        (),
    )
    module = ClassRecord(
        "GeneralImageModule",
        "",
        (),
        (
            field("ReferencedImageSequence", "ReferencedImageSequenceItem"),
            field("InstanceNumber", None),
        ),
        (item,),
    )
    # the nested item class is defined in the file; the macros it names are imported
    assert imported_classes(module) == {"ImageSOPInstanceReferenceMacro", "CodeSequenceMacro"}
