"""``python -m dicomstd.codegen diff``: every kind of change on small models built in code, the JSON
shape,
the generation hook, and 2013 -> 2015b on the real XML (expected values read in the XML)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from dicomstd.codegen import diff, inputs, pipeline
from dicomstd.codegen.__main__ import main
from dicomstd.codegen.docbook import sha256_of
from dicomstd.codegen.model import (
    Attribute,
    AttributeType,
    DataElementEntry,
    Iod,
    IodModule,
    Module,
    Part04,
    Part05,
    Part06,
    PartInfo,
    SopClass,
    Standard,
    TagSpec,
    UidEntry,
    Usage,
    ValueRepresentation,
)
from tests.conftest import require_part


# -- builders ------------------------------------------------------------------------------------
def element(
    tag: str,
    name: str,
    keyword: str,
    vrs: tuple[str, ...] = ("CS",),
    vm: str = "1",
    *,
    retired: bool = False,
) -> DataElementEntry:
    spec = TagSpec.parse(tag)
    assert spec is not None
    return DataElementEntry(
        spec, name, keyword, vrs, " or ".join(vrs), vm, retired, "", "table_6-1", 1
    )


def uid(
    value: str,
    name: str,
    keyword: str = "",
    type: str = "SOP Class",
    *,
    retired: bool = False,
    derived: bool = False,
) -> UidEntry:
    return UidEntry(value, name, keyword, type, "PS3.4", retired, "table_A-1", 1, derived)


def vr(code: str, name: str, max_length: int | None, *, fixed: bool = False) -> ValueRepresentation:
    return ValueRepresentation(
        code,
        name,
        "",
        "",
        f"{max_length} bytes",
        max_length,
        fixed,
        "bytes",
        False,
        None,
        "table_6.2-1",
        1,
    )


def info(number: int, edition: str) -> PartInfo:
    return PartInfo(number, f"{edition}/part{number:02d}.xml", edition, "", "0" * 64)


def dictionary(edition: str, elements: list[DataElementEntry], uids: list[UidEntry]) -> Standard:
    return Standard(parts=(info(6, edition),), part06=Part06(tuple(elements), tuple(uids), {}))


def attribute(
    tag: str,
    name: str,
    type: AttributeType | None = AttributeType.TYPE_1,
    *items: Attribute,
    condition: str | None = None,
) -> Attribute:
    return Attribute(
        "attribute",
        name,
        TagSpec.parse(tag),
        name.replace(" ", ""),
        type,
        condition,
        items=tuple(items),
    )


def module(key: str, name: str, *attributes: Attribute) -> Module:
    return Module(key, name, "module", f"table_{key}", tuple(attributes))


def entry(
    name: str, usage: Usage = Usage.MANDATORY, condition: str | None = None, ie: str = "Series"
) -> IodModule:
    return IodModule(name, ie, usage, condition, name.lower().replace(" ", "_"), 1)


def iod(key: str, *modules: IodModule, groups: tuple[IodModule, ...] = ()) -> Iod:
    return Iod(key, key.replace("_", " ").title(), f"table_{key}", tuple(modules), groups, ())


def ps33(edition: str, modules: list[Module], iods: list[Iod]) -> Standard:
    return Standard(parts=(info(3, edition),), modules=tuple(modules), iods=tuple(iods))


def changes(section: diff.Section | None) -> list[tuple[str, ...]]:
    assert section is not None
    return [(*c.key, c.field, str(c.old), str(c.new)) for c in section.changed]


def keys(items: tuple[diff.Item, ...]) -> list[tuple[str, ...]]:
    return [i.key for i in items]


# -- PS3.6 data elements ------------------------------------------------------------------------
OLD_ELEMENTS = [
    element("(0010,0010)", "Patient's Name", "PatientName", ("PN",)),
    element("(0018,0010)", "Contrast/Bolus Agent", "ContrastBolusAgent", ("LO",)),
    element("(0040,4005)", "Start DateTime", "StartDateTime", ("DT",), retired=True),
    element("(60xx,3000)", "Overlay Data", "OverlayData", ("OB", "OW")),
    element("(0028,0020)", "Reserved", "", ()),
    element("(0008,1163)", "TimeRange", "TimeRange", ("FD",), "2"),
    element("(0008,1190)", "Retrieve URL", "RetrieveURL", ("UT",)),
    element("(0008,0001)", "Length to End", "LengthToEnd", ("UL",)),
]
NEW_ELEMENTS = [
    element("(0010,0010)", "Patient's Name", "PatientName", ("PN",)),
    element("(0018,0010)", "Contrast/Bolus Agent", "ContrastBolusAgent", ("LO",), retired=True),
    element("(0040,4005)", "Start DateTime", "StartDateTime", ("DT",)),
    element("(60xx,3000)", "Overlay Data", "OverlayData", ("OW", "OB")),  # same set of VRs
    element("(0008,1163)", "Time Range", "TimeRange", ("FD",), "2"),
    element("(0008,1190)", "Retrieve URL", "RetrieveURLs", ("UR",), "1-n"),
    element("(0008,0001)", "Length to End (old)", "LengthToEnd", ("UL",), retired=True),
    element("(50xx,0010)", "Number of Points", "NumberOfPoints", ("US",)),
]


def test_data_elements_every_kind_of_change() -> None:
    report = diff.compare(
        dictionary("2020a", OLD_ELEMENTS, []), dictionary("2020b", NEW_ELEMENTS, [])
    )
    section = report.data_elements
    assert section is not None
    assert keys(section.added) == [("(50xx,0010)",)]
    assert keys(section.removed) == [("(0028,0020)",)]
    assert keys(section.retired) == [("(0008,0001)",), ("(0018,0010)",)]
    assert keys(section.unretired) == [("(0040,4005)",)]
    assert changes(section) == [  # sorted by tag; the retired flag is not a "change"
        ("(0008,0001)", "name", "Length to End", "Length to End (old)"),
        ("(0008,1163)", "name", "TimeRange", "Time Range"),
        ("(0008,1190)", "keyword", "RetrieveURL", "RetrieveURLs"),
        ("(0008,1190)", "vr", "UT", "UR"),
        ("(0008,1190)", "vm", "1", "1-n"),
    ]
    assert report.compared == (6,)


def test_unchanged_dictionaries_have_no_changes() -> None:
    report = diff.compare(
        dictionary("2020a", OLD_ELEMENTS, []), dictionary("2020b", OLD_ELEMENTS, [])
    )
    assert report.data_elements is not None and not report.data_elements
    assert report.uids is not None and not report.uids


# -- PS3.6 UIDs ----------------------------------------------------------------------------------
OLD_UIDS = [
    uid("1.2.3.1", "CT Image Storage", "CTImageStorage"),
    uid("1.2.3.2", "Old Storage", "OldStorage"),
    uid("1.2.3.3", "Unified Worklist SOP Instance", "UnifiedWorklist", "Well-known SOP Instance"),
    uid("1.2.3.4", "Lossy", "Lossy", "Transfer Syntax"),
    uid("1.2.3.5", "Derived Keyword", "DerivedKeyword", derived=True),
    uid("1.2.3.6", "CID 3082 Cardiology Units (Retired)", "", "Context Group Name", retired=True),
    uid("1.2.3.9", "Gone Storage", "GoneStorage"),
    uid("1.2.3.10", "Frame of Reference", "FrameOfReference", "Well-known frame of reference"),
]
NEW_UIDS = [
    uid("1.2.3.1", "CT Image Storage", "CTImageStorage"),
    uid("1.2.3.2", "Old Storage", "OldStorage", retired=True),
    uid(
        "1.2.3.3",
        "UPS Global Subscription SOP Instance",
        "UnifiedWorklist",
        "Well-known SOP Instance",
    ),
    uid("1.2.3.4", "Lossy", "JPEGLossy", "Transfer Syntax"),
    uid("1.2.3.5", "Derived Keyword", "Derived", derived=False),
    uid("1.2.3.6", "CID 3082", "", "Context Group Name"),  # the name is only a reference now
    uid("1.2.3.10", "Frame of Reference", "FrameOfReference", "Synchronization Frame"),
    uid("1.2.3.11", "New Storage", "NewStorage"),
]


def test_uids_every_kind_of_change() -> None:
    report = diff.compare(dictionary("2020a", [], OLD_UIDS), dictionary("2020b", [], NEW_UIDS))
    section = report.uids
    assert section is not None
    assert keys(section.added) == [("1.2.3.11",)]
    assert keys(section.removed) == [("1.2.3.9",)]
    assert keys(section.retired) == [("1.2.3.2",)]
    assert keys(section.unretired) == []  # 1.2.3.6: retirement is unknown on the new side
    assert changes(section) == [  # in UID order: 1.2.3.10 after 1.2.3.4
        (
            "1.2.3.3",
            "name",
            "Unified Worklist SOP Instance",
            "UPS Global Subscription SOP Instance",
        ),
        ("1.2.3.4", "keyword", "Lossy", "JPEGLossy"),
        ("1.2.3.10", "type", "Well-known frame of reference", "Synchronization Frame"),
    ]
    assert any("1 UIDs are named only by a reference" in note for note in report.notes)
    data = diff.render_json(report)["uids"]
    assert data["renamed"] == [
        {
            "uid": "1.2.3.3",
            "old": "Unified Worklist SOP Instance",
            "new": "UPS Global Subscription SOP Instance",
        }
    ]
    assert [c["field"] for c in data["changed"]] == ["keyword", "type"]


def test_reference_names() -> None:
    assert diff.name_by_reference(uid("1.2", "CID 2"))
    assert diff.name_by_reference(uid("1.2", ""))
    assert not diff.name_by_reference(uid("1.2", "CID 2 Anatomic Modifier"))
    assert not diff.name_by_reference(uid("1.2", "CT Image Storage"))


# -- PS3.5 ---------------------------------------------------------------------------------------
def test_value_representations() -> None:
    old = Standard(
        parts=(info(5, "2013"),),
        part05=Part05((vr("TM", "Time", 16), vr("US", "Unsigned Short", 2, fixed=True)), {}),
    )
    new = Standard(
        parts=(info(5, "2015b"),),
        part05=Part05((vr("TM", "Time", 14), vr("UC", "Unlimited Characters", None)), {}),
    )
    report = diff.compare(old, new)
    section = report.vrs
    assert section is not None
    assert keys(section.added) == [("UC",)]
    assert keys(section.removed) == [("US",)]
    assert changes(section) == [("TM", "max_length", "16", "14")]
    assert diff.render_json(report)["vrs"]["changed"] == [
        {"vr": "TM", "field": "max_length", "old": 16, "new": 14}
    ]


# -- PS3.4 ---------------------------------------------------------------------------------------
def test_sop_classes() -> None:
    def sop(uid: str, name: str, iod: str) -> SopClass:
        return SopClass(name, uid, iod, iod.removeprefix("sect_"), "table_B.5-1", 1)

    old = Standard(
        parts=(info(4, "2015b"),),
        part04=Part04(
            (
                sop("1.2.840.10008.5.1.4.1.1.88.11", "Basic Text SR", "sect_A.35.1"),
                sop("1.2.840.10008.5.1.4.1.1.88.68", "Radiopharmaceutical Dose SR", "sect_A.35.13"),
                sop("1.2.840.10008.5.1.4.1.1.5", "NM Image Storage (Retired)", "sect_A.5"),
            ),
            {},
        ),
    )
    new = Standard(
        parts=(info(4, "2016c"),),
        part04=Part04(
            (
                sop("1.2.840.10008.5.1.4.1.1.88.11", "Basic Text SR Storage", "sect_A.35.1"),
                sop("1.2.840.10008.5.1.4.1.1.88.68", "Radiopharmaceutical Dose SR", "sect_A.35.14"),
                sop("1.2.840.10008.5.1.4.1.1.88.74", "Planned Imaging Agent SR", "sect_A.35.19"),
            ),
            {},
        ),
    )
    report = diff.compare(old, new)
    assert report.sop_classes is not None
    assert keys(report.sop_classes.added) == [("1.2.840.10008.5.1.4.1.1.88.74",)]
    assert keys(report.sop_classes.removed) == [("1.2.840.10008.5.1.4.1.1.5",)]
    assert changes(report.sop_classes) == [
        ("1.2.840.10008.5.1.4.1.1.88.11", "name", "Basic Text SR", "Basic Text SR Storage"),
        ("1.2.840.10008.5.1.4.1.1.88.68", "iod", "sect_A.35.13", "sect_A.35.14"),
    ]
    assert diff.render_json(report)["sop_classes"]["added"] == ["1.2.840.10008.5.1.4.1.1.88.74"]


# -- PS3.3 ---------------------------------------------------------------------------------------
T1, T2, T3 = AttributeType.TYPE_1, AttributeType.TYPE_2, AttributeType.TYPE_3
OLD_MODULES = [
    module(
        "patient_module",
        "Patient Module",
        attribute("(0010,0010)", "Patient's Name", T2),
        attribute(
            "(0008,1120)",
            "Referenced Patient Sequence",
            T3,
            attribute("(0008,1150)", "Referenced SOP Class UID", T1),
            attribute("(0008,1155)", "Referenced SOP Instance UID", T1),
        ),
        attribute("(0008,1155)", "Referenced SOP Instance UID", T3),
        attribute("(0010,1002)", "Other Patient IDs Sequence", T3, condition=None),
    ),
    module(
        "contrast_bolus_module",
        "Contrast/Bolus Module",
        attribute(
            "(0018,0010)",
            "Contrast/Bolus Agent",
            AttributeType.TYPE_1C,
            condition="Required if contrast was used",
        ),
    ),
    module("overlay_module", "Overlay Module"),
]
NEW_MODULES = [
    module(
        "patient_module",
        "Patient Module",
        attribute("(0010,0010)", "Patient's Name", T1),
        attribute(
            "(0008,1120)",
            "Referenced Patient Sequence",
            T3,
            attribute("(0008,1150)", "Referenced SOP Class UID", T1),
            attribute("(0040,A170)", "Purpose of Reference Code Sequence", T3),
        ),
        attribute("(0008,1155)", "Referenced SOP Instance UID", T3),  # the top-level one stays
        attribute("(0010,1002)", "Other Patient IDs Sequence", T3, condition=None),
    ),
    module(
        "contrast_bolus_module",
        "Contrast/Bolus Module",
        attribute(
            "(0018,0010)",
            "Contrast/Bolus Agent",
            AttributeType.TYPE_1C,
            condition="Required if contrast media was used",
        ),
    ),
    module("device_module", "Device Module"),
]


def test_modules_and_their_attributes() -> None:
    report = diff.compare(ps33("2016c", OLD_MODULES, []), ps33("2017a", NEW_MODULES, []))
    assert report.modules is not None and report.attributes is not None
    assert keys(report.modules.added) == [("device_module",)]
    assert keys(report.modules.removed) == [("overlay_module",)]
    attributes = report.attributes
    assert keys(attributes.added) == [("patient_module", "(0008,1120)", "(0040,A170)")]
    assert keys(attributes.removed) == [("patient_module", "(0008,1120)", "(0008,1155)")]
    assert attributes.removed[0].label == (
        "Referenced Patient Sequence (0008,1120) > Referenced SOP Instance UID (0008,1155)"
    )
    assert changes(attributes) == [
        (
            "contrast_bolus_module",
            "(0018,0010)",
            "condition",
            "Required if contrast was used",
            "Required if contrast media was used",
        ),
        ("patient_module", "(0010,0010)", "type", "2", "1"),
    ]
    data = diff.render_json(report)["modules"]
    assert data["added"] == ["device_module"]
    assert data["removed"] == ["overlay_module"]
    assert data["attributes"]["removed"][0]["path"] == ["(0008,1120)", "(0008,1155)"]
    assert data["attributes"]["changed"][1] == {
        "module": "patient_module",
        "path": ["(0010,0010)"],
        "field": "type",
        "old": "2",
        "new": "1",
    }


def test_an_attribute_repeated_at_one_level_is_told_apart() -> None:
    old = ps33("a", [module("m", "M", attribute("(0008,0100)", "Code Value", T1))], [])
    new = ps33(
        "b",
        [
            module(
                "m",
                "M",
                attribute("(0008,0100)", "Code Value", T1),
                attribute("(0008,0100)", "Code Value", T3),
            )
        ],
        [],
    )
    report = diff.compare(old, new)
    assert report.attributes is not None
    assert keys(report.attributes.added) == [("m", "(0008,0100)#2")]


OLD_IODS = [
    iod(
        "ct_image_iod",
        entry("Patient", ie="Patient"),
        entry("Contrast/Bolus", Usage.CONDITIONAL, "Required if contrast media was used"),
        entry("Clinical Trial Subject", Usage.USER_OPTION, ie="Patient"),
        entry("Overlay Plane", Usage.USER_OPTION, ie="Image"),
        groups=(entry("Pixel Measures", ie=""),),
    ),
    iod("nm_image_iod", entry("Patient", ie="Patient")),
]
NEW_IODS = [
    iod(
        "ct_image_iod",
        entry("Patient", ie="Patient"),
        entry("Contrast/Bolus", Usage.CONDITIONAL, "Required if contrast was administered"),
        entry("Clinical Trial Subject", Usage.CONDITIONAL, "Required if in a trial", "Patient"),
        entry("Device", Usage.USER_OPTION, ie="Equipment"),
        groups=(entry("Pixel Measures", Usage.USER_OPTION, ie=""),),
    ),
    iod("pet_image_iod", entry("Patient", ie="Patient")),
]


def test_iods_and_their_modules() -> None:
    report = diff.compare(ps33("2016c", [], OLD_IODS), ps33("2017a", [], NEW_IODS))
    assert report.iods is not None and report.iod_modules is not None
    assert keys(report.iods.added) == [("pet_image_iod",)]
    assert keys(report.iods.removed) == [("nm_image_iod",)]
    assert keys(report.iod_modules.added) == [("ct_image_iod", "module", "Device")]
    assert keys(report.iod_modules.removed) == [("ct_image_iod", "module", "Overlay Plane")]
    assert changes(report.iod_modules) == [
        ("ct_image_iod", "functional-group", "Pixel Measures", "usage", "M", "U"),
        ("ct_image_iod", "module", "Clinical Trial Subject", "usage", "U", "C"),
        (
            "ct_image_iod",
            "module",
            "Clinical Trial Subject",
            "condition",
            "None",
            "Required if in a trial",
        ),
        (
            "ct_image_iod",
            "module",
            "Contrast/Bolus",
            "condition",
            "Required if contrast media was used",
            "Required if contrast was administered",
        ),
    ]
    data = diff.render_json(report)["iods"]
    assert data["added"] == ["pet_image_iod"]
    assert data["modules"]["removed"] == [
        {"iod": "ct_image_iod", "kind": "module", "module": "Overlay Plane"}
    ]
    assert data["modules"]["changed"][0] == {
        "iod": "ct_image_iod",
        "kind": "functional-group",
        "module": "Pixel Measures",
        "field": "usage",
        "old": "M",
        "new": "U",
    }


# -- output --------------------------------------------------------------------------------------
def full(
    edition: str,
    elements: list[DataElementEntry],
    uids: list[UidEntry],
    modules: list[Module],
    iods: list[Iod],
) -> Standard:
    return Standard(
        parts=(info(3, edition), info(5, edition), info(6, edition)),
        part05=Part05((vr("TM", "Time", 16 if edition == "2020a" else 14),), {}),
        part06=Part06(tuple(elements), tuple(uids), {}),
        modules=tuple(modules),
        iods=tuple(iods),
    )


def test_json_shape() -> None:
    report = diff.compare(
        full("2020a", OLD_ELEMENTS, OLD_UIDS, OLD_MODULES, OLD_IODS),
        full("2020b", NEW_ELEMENTS, NEW_UIDS, NEW_MODULES, NEW_IODS),
    )
    data = json.loads(json.dumps(diff.render_json(report)))
    assert data["old"] == "2020a" and data["new"] == "2020b"
    assert {"old", "new", "data_elements", "uids", "iods", "modules"} <= set(data)
    registry_keys = {"added", "removed", "retired", "unretired", "changed"}
    assert set(data["data_elements"]) == registry_keys
    assert set(data["uids"]) == registry_keys | {"renamed"}
    assert data["data_elements"]["added"] == ["(50xx,0010)"]  # masks keep their x digits
    assert all(isinstance(tag, str) for tag in data["data_elements"]["retired"])
    for change in data["data_elements"]["changed"]:
        assert set(change) == {"tag", "field", "old", "new"}
    for change in data["uids"]["changed"]:
        assert set(change) == {"uid", "field", "old", "new"}
    assert set(data["iods"]) == {"added", "removed", "changed", "modules"}
    assert set(data["modules"]) == {"added", "removed", "changed", "attributes"}
    assert data["summary"]["data_elements"] == {
        "added": 1,
        "removed": 1,
        "retired": 2,
        "unretired": 1,
        "changed": 5,
    }
    assert data["parts"]["compared"] == [3, 5, 6]


def test_parts_not_on_both_sides_are_not_compared() -> None:
    old = dictionary("2020a", OLD_ELEMENTS, [])
    new = Standard(parts=(info(5, "2020b"), info(6, "2020b")), part06=old.part06)
    report = diff.compare(old, new)
    data = diff.render_json(report)
    assert data["vrs"] is None and data["sop_classes"] is None
    assert data["iods"] is None and data["modules"] is None
    assert data["data_elements"] is not None
    assert "PS3.5 is only on the new side: not compared" in data["notes"]


def test_text_report() -> None:
    report = diff.compare(
        dictionary("2020a", OLD_ELEMENTS, OLD_UIDS), dictionary("2020b", NEW_ELEMENTS, NEW_UIDS)
    )
    text = diff.render_text(report)
    lines = text.splitlines()
    assert lines[0] == "Changes from 2020a to 2020b"
    assert "  + (50xx,0010) Number of Points (NumberOfPoints) — VR US, VM 1" in lines
    assert "  R (0008,0001) Length to End (old) (LengthToEnd) — VR UL, VM 1" in lines
    assert "  ~ (0008,1190) Retrieve URL (RetrieveURLs): vr 'UT' -> 'UR'" in lines
    assert (
        "  ~ 1.2.3.3: name 'Unified Worklist SOP Instance' -> "
        "'UPS Global Subscription SOP Instance'" in lines
    )
    retired = lines.index(" retired (2):")
    assert lines[retired + 1] < lines[retired + 2]  # sorted by tag
    assert lines[-1] == (
        "summary 2020a -> 2020b (PS3.6): data elements +1 -1, 2 retired, 1 unretired, "
        "5 changed; UIDs +1 -1, 1 retired, 0 unretired, 1 renamed, 2 changed"
    )
    assert diff.render_text(report) == text  # stable


# -- the generation hook -------------------------------------------------------------------------
def test_generated_parts(tmp_path: Path) -> None:
    assert diff.generated_parts(tmp_path) == {}
    (tmp_path / "__init__.py").write_text(
        "from typing import Final\n\n"
        "PARTS: Final[tuple[tuple[str, str, str], ...]] = (\n"
        '    ("PS3.5", "2015b", "e779"),\n'
        '    ("PS3.6", "2015b", "24c0"),\n'
        ")\n",
        encoding="utf-8",
    )
    assert diff.generated_parts(tmp_path) == {5: ("2015b", "e779"), 6: ("2015b", "24c0")}
    (tmp_path / "__init__.py").write_text("PARTS = (\n", encoding="utf-8")
    assert diff.generated_parts(tmp_path) == {}


def test_no_report_while_the_editions_stay(tmp_path: Path) -> None:
    new = dictionary("2020b", [], [])
    assert diff.write_edition_change_report({6: ("2020b", "0" * 64)}, new, tmp_path) == []
    assert list(tmp_path.iterdir()) == []


def test_a_report_saying_the_old_edition_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DICOMSTD_STANDARD_DIR", raising=False)
    monkeypatch.setattr(inputs, "CACHE", tmp_path / "cache")
    new = dictionary("2020b", [], [])
    written = diff.write_edition_change_report({6: ("1999", "0" * 64)}, new, tmp_path / "reports")
    text_path, json_path = tmp_path / "reports" / "changes-1999-to-2020b.txt", written[1]
    assert written == [text_path, tmp_path / "reports" / "changes-1999-to-2020b.json"]
    text = text_path.read_text(encoding="utf-8")
    assert "the previous edition's XML is not available" in text
    assert "PS3.6 1999 XML not found" in text
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["old"] == "1999" and data["new"] == "2020b"
    assert data["data_elements"] is None
    assert "wrote" in capsys.readouterr().err


# -- the real standard: 2013 -> 2015b ------------------------------------------------------------
@pytest.fixture(scope="module")
def real_report() -> dict[str, Any]:
    paths = {(e, n): require_part(e, n) for e in ("2013", "2015b") for n in (5, 6)}
    sides = [
        pipeline.build([inputs.ResolvedPart(n, paths[(e, n)], None) for n in (5, 6)])
        for e in ("2013", "2015b")
    ]
    return diff.render_json(diff.compare(*sides))


def test_2013_to_2015b_data_elements(real_report: dict[str, Any]) -> None:
    # Read in the XML: 159 registry rows of 2015b have a tag no 2013 row has (among them the
    # file meta element (0002,0017) Sending Application Entity Title and (7FE0,0008) Float
    # Pixel Data), no 2013 tag is gone, no row gained RET, and (0040,4005) lost it.
    elements = real_report["data_elements"]
    assert len(elements["added"]) == 159
    assert {"(0002,0017)", "(7FE0,0008)"} <= set(elements["added"])
    assert elements["removed"] == []
    assert elements["retired"] == []
    assert elements["unretired"] == ["(0040,4005)"]
    changed = elements["changed"]
    for expected in (
        {"tag": "(0008,1190)", "field": "vr", "old": "UT", "new": "UR"},
        {"tag": "(0074,100A)", "field": "vr", "old": "ST", "new": "UR"},
        {"tag": "(0008,1163)", "field": "name", "old": "TimeRange", "new": "Time Range"},
    ):
        assert expected in changed


def test_2013_to_2015b_uids_and_vrs(real_report: dict[str, Any]) -> None:
    uids = real_report["uids"]
    # Read in the XML: 96 UID values of 2015b's registry tables are not in 2013's, and the one
    # 2013 value gone is a misprint of Corneal Topography Map Storage with a leading "11.".
    assert len(uids["added"]) == 96
    assert uids["removed"] == ["11.2.840.10008.5.1.4.1.1.82.1"]
    assert "1.2.840.10008.5.1.4.1.1.82.1" in uids["added"]
    assert {
        "uid": "1.2.840.10008.5.1.4.34.5",
        "old": "Unified Worklist and Procedure Step SOP Instance",
        "new": "UPS Global Subscription SOP Instance",
    } in uids["renamed"]
    vrs = real_report["vrs"]
    assert vrs["added"] == ["UC", "UR"]
    assert vrs["removed"] == []
    assert {"vr": "TM", "field": "max_length", "old": 16, "new": 14} in vrs["changed"]


def test_the_command_on_editions_and_folders(
    standard_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for edition in ("2013", "2015b"):
        for part in (5, 6):
            require_part(edition, part)
    monkeypatch.setenv("DICOMSTD_STANDARD_DIR", str(standard_dir))
    assert main(["diff", "2013", "2015b", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["old"] == "2013" and data["new"] == "2015b"
    assert 5 in data["parts"]["compared"] and 6 in data["parts"]["compared"]
    assert main(["diff", str(standard_dir / "2013"), str(standard_dir / "2015b")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Changes from 2013 to 2015b"
    assert lines[-1].startswith("summary 2013 -> 2015b (PS3.5, PS3.6): data elements +159 -0,")


def test_the_command_on_an_unknown_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DICOMSTD_STANDARD_DIR", str(tmp_path))
    monkeypatch.setattr(inputs, "CACHE", tmp_path / "cache")
    assert main(["diff", "1999", "2000"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: 1999: none of ")
    assert str(tmp_path / "1999") in err


def test_generation_writes_the_change_report_when_the_edition_moves(
    standard_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = {(e, n): require_part(e, n) for e in ("2013", "2015b") for n in (5, 6)}
    monkeypatch.setenv("DICOMSTD_STANDARD_DIR", str(standard_dir))
    monkeypatch.setattr(inputs, "CACHE", tmp_path / "cache")
    editions = tmp_path / "editions.toml"
    inputs.write_pins(
        {
            n: inputs.Pin(n, "2015b", inputs.part_url("2015b", n), sha256_of(paths[("2015b", n)]))
            for n in (5, 6)
        },
        editions,
    )
    monkeypatch.setattr(inputs, "read_pins", functools.partial(inputs.read_pins, editions))
    out = tmp_path / "_generated"
    out.mkdir()
    (out / "__init__.py").write_text(
        "PARTS = (\n"
        f'    ("PS3.5", "2013", "{sha256_of(paths[("2013", 5)])}"),\n'
        f'    ("PS3.6", "2013", "{sha256_of(paths[("2013", 6)])}"),\n'
        ")\n",
        encoding="utf-8",
    )
    reports = tmp_path / "reports"
    code = main(["generate", "--out", str(out), "--report", str(reports / "generation.json")])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in reports.iterdir()) == [
        "changes-2013-to-2015b.json",
        "changes-2013-to-2015b.txt",
        "generation.json",
    ]
    data = json.loads((reports / "changes-2013-to-2015b.json").read_text(encoding="utf-8"))
    assert data["data_elements"]["unretired"] == ["(0040,4005)"]
    assert diff.generated_parts(out) == {
        n: ("2015b", sha256_of(paths[("2015b", n)])) for n in (5, 6)
    }
