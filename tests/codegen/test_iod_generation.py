"""What generation writes for PS3.3 and PS3.4: requirement tables, module/macro/IOD classes.

Two sources: the synthetic PS3.3 fixtures through
``python -m dicomstd.codegen generate --part 03=...``
(the other pinned parts come from ``DICOMSTD_STANDARD_DIR``), whose output is imported in a
subprocess as the package ``fixturegen``, standing in for ``dicomstd._generated``; and the
committed ``src/dicomstd/_generated`` with a fresh generation's report. Expected values were read
from the fixtures and, for the real standard, by hand from PS3.3 2016c and PS3.6 2015b.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pytest
from lxml import etree

from dicomstd import dictionary
from dicomstd.model import DatasetModel, IodModel
from tests.codegen.support import (
    NS,
    XML_ID,
    environment,
    fixture,
    require_pinned_parts,
    run_codegen,
)
from tests.conftest import ROOT

GENERATED = ROOT / "src" / "dicomstd" / "_generated"
WITH_IODS = [
    "include_depths",
    "unresolved",
    "rowspan_ie",
    "th_cells",
    "condition_missing",
    "functional_groups",
]


# -- generation from a fixture -------------------------------------------------------------------
def generate(quirk: str, base: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    require_pinned_parts(except_parts=(3,))
    out, report = base / "fixturegen", base / "report.json"
    result = run_codegen(
        "generate",
        "--part",
        f"03={fixture(f'part03_{quirk}', 3)}",
        "--out",
        str(out),
        "--report",
        str(report),
    )
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return result, data


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """quirk -> (folder holding the ``fixturegen`` package, report), generated once per quirk."""
    done: dict[str, tuple[Path, dict[str, Any]]] = {}

    def get(quirk: str) -> tuple[Path, dict[str, Any]]:
        if quirk not in done:
            base = tmp_path_factory.mktemp(quirk)
            result, report = generate(quirk, base)
            assert result.returncode == 0, result.stderr
            done[quirk] = (base, report)
        return done[quirk]

    return get


PRELUDE = """
import importlib, json, sys
sys.path.insert(0, {base!r})
import dicomstd._generated
for name in ("modules", "iods", "spec"):
    sys.modules["dicomstd._generated." + name] = importlib.import_module("fixturegen." + name)
"""


def run_python(base: Path, code: str) -> Any:
    """Run ``code`` with ``fixturegen`` standing in for the generated package; its JSON output."""
    script = PRELUDE.format(base=str(base)) + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def fixture_tables(quirk: str) -> dict[str, int]:
    """Table id -> body rows of every table of a fixture, by XPath (first copy of an id)."""
    tree = etree.parse(str(fixture(f"part03_{quirk}", 3)))
    out: dict[str, int] = {}
    found = tree.xpath("//d:table", namespaces=NS)
    assert isinstance(found, list)
    for table in found:
        assert isinstance(table, etree._Element)
        count = table.xpath("count(d:tbody/d:tr)", namespaces=NS)
        assert isinstance(count, float)
        out.setdefault(str(table.get(XML_ID)), int(count))
    return out


@pytest.mark.standard
@pytest.mark.parametrize("quirk", WITH_IODS)
def test_a_fixture_generates_and_every_file_imports(quirk: str, generated: Any) -> None:
    base, report = generated(quirk)
    parts = {p["part"]: p for p in report["parts"]}
    assert parts[3]["edition"] == "2099a"
    assert Path(parts[3]["path"]).name == "part03.xml"
    assert {4, 5, 6} <= set(parts)  # the pinned parts, from DICOMSTD_STANDARD_DIR
    for table, rows in fixture_tables(quirk).items():
        # IOD tables count modules, attribute tables rows (a row without a link is left out)
        if table in report["counts"]:
            dropped = sum(
                1
                for d in report["diagnostics"]
                if d["table"] == table and d["code"] == "module-without-reference"
            )
            assert report["counts"][table] == rows - dropped, table
    names = run_python(
        base,
        """
        import pkgutil
        names = []
        for package in ("modules", "iods", "spec"):
            folder = importlib.import_module("fixturegen." + package)
            for info in pkgutil.iter_modules(folder.__path__):
                importlib.import_module(f"dicomstd._generated.{package}.{info.name}")
                names.append(f"{package}.{info.name}")
        print(json.dumps(sorted(names)))
        """,
    )
    files = sorted(
        f"{p.parent.name}.{p.stem}"
        for package in ("modules", "iods", "spec")
        for p in (base / "fixturegen" / package).glob("*.py")
        if p.stem != "__init__"
    )
    assert names == files
    assert report["summary"]["diagnostics"]["error"] == 0


@pytest.mark.standard
def test_include_depths_in_the_generated_spec_and_classes(generated: Any) -> None:
    base, _ = generated("include_depths")
    found = run_python(
        base,
        """
        import attrs
        from dicomstd import spec
        depth = spec.module("depth_module")
        walk = [
            (len(p), a.keyword or a.name, a.source, a.include_condition) for p, a in depth.walk()
        ]
        from dicomstd._generated.modules.depth_module import DepthModule
        sequence = attrs.fields_dict(DepthModule)["ReferencedImageSequence"].metadata["item"]
        print(json.dumps({"walk": walk, "item": sequence, "iods": [i.name for i in spec.iods()]}))
        """,
    )
    condition = "if and only if the image was acquired with contrast"
    assert [tuple(w) for w in found["walk"]] == [
        (0, "PatientName", "table_C.1-1", None),
        (0, "CodeValue", "table_C.2-1", None),
        (0, "CodeMeaning", "table_C.2-1", None),
        (0, "ReferencedImageSequence", "table_C.1-1", None),
        (1, "ReferencedSOPClassUID", "table_C.3-1", None),
        (1, "ReferencedSOPInstanceUID", "table_C.3-1", None),
        (1, "PurposeOfReferenceCodeSequence", "table_C.1-1", None),
        (2, "CodeValue", "table_C.2-1", None),
        (2, "CodeMeaning", "table_C.2-1", None),
        (0, "StudyInstanceUID", "table_C.1-1", None),
        (0, "ContrastBolusAgent", "table_C.4-1", condition),
    ]
    assert found["item"] == "ReferencedImageSequenceItem"
    assert found["iods"] == ["Depth Test"]


@pytest.mark.standard
def test_unresolved_references_in_the_generated_code(generated: Any) -> None:
    base, report = generated("unresolved")
    found = run_python(
        base,
        """
        import attrs
        from dicomstd import spec
        gap = spec.module("gap_module")
        iod = spec.iod("Gap Test")
        from dicomstd._generated.iods.gap_test import GapTest
        print(json.dumps({
            "attributes": [a.keyword for a in gap.attributes],
            "placeholders": [[p.kind, p.target, p.row, p.text] for p in gap.placeholders],
            "modules": [
                [m.name, m.usage.value, m.condition, m.module is None] for m in iod.modules
            ],
            "fields": [f.name for f in attrs.fields(GapTest)],
        }))
        """,
    )
    assert found["attributes"] == ["PatientID", "PatientSex"]
    assert found["placeholders"] == [
        ["unresolved-include", "table_10-99", 2, "Include Table 10-99"]
    ]
    assert found["modules"] == [
        ["Gap", "C", "Required if Section C.9.9.9 is present.", False],
        ["Missing", "U", None, True],
    ]
    assert found["fields"] == ["gap"]  # no class for a module whose table is not in the input
    source = (base / "fixturegen" / "modules" / "gap_module.py").read_text(encoding="utf-8")
    assert "# table_C.1-1 row 2: includes table_10-99, which is not in the input" in source
    diagnostics = {(d["code"], d["table"], d["row"]) for d in report["diagnostics"]}
    assert {
        ("unresolved-include", "table_C.1-1", 2),
        ("module-not-found", "table_A.91-1", 2),
        ("module-without-reference", "table_A.91-1", 3),
    } <= diagnostics


@pytest.mark.standard
def test_functional_groups_through_the_command_line(generated: Any) -> None:
    base, _ = generated("functional_groups")
    found = run_python(
        base,
        """
        from pydicom.dataset import Dataset
        from dicomstd import spec
        from dicomstd._generated.iods import SOP_CLASSES
        iod = spec.iod("1.2.840.10008.5.1.4.1.1.2.1")
        use = iod.module("Multi-frame Functional Groups")
        shared = use.module.attribute("SharedFunctionalGroupsSequence")
        per_frame = use.module.attribute("PerFrameFunctionalGroupsSequence")
        from dicomstd._generated.iods.enhanced_ct_image import EnhancedCTImage
        measures = Dataset()
        measures.PixelSpacing = [0.5, 0.25]
        item = Dataset()
        item.PixelMeasuresSequence = [measures]
        ds = Dataset()
        ds.SharedFunctionalGroupsSequence = [item]
        image = EnhancedCTImage.from_dataset(ds)
        groups = image.multi_frame_functional_groups
        spacing = groups.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing
        print(json.dumps({
            "name": iod.name,
            "sop_classes": SOP_CLASSES,
            "groups": [[g.name, g.usage.value, g.condition] for g in iod.functional_groups],
            "shared": [[a.keyword, a.functional_group, [i.keyword for i in a.items]]
                       for a in shared.items],
            "per_frame": [a.keyword for a in per_frame.items],
            "spacing": list(spacing),
            "round_trip": EnhancedCTImage.from_dataset(image.to_dataset()) == image,
        }))
        """,
    )
    assert found["name"] == "Enhanced CT Image"
    # the real PS3.4 2016c (table B.5-1 row 9) links this SOP Class to sect_A.38.1
    assert found["sop_classes"] == {"1.2.840.10008.5.1.4.1.1.2.1": "EnhancedCTImage"}
    assert found["groups"] == [
        ["Pixel Measures", "M", None],
        ["Frame Content", "M", None],
        ["Frame Anatomy", "C", "Required if the frames show anatomy."],
    ]
    assert found["shared"] == [
        ["PixelMeasuresSequence", "Pixel Measures", ["PixelSpacing"]],
        ["FrameContentSequence", "Frame Content", ["FrameAcquisitionNumber"]],
        ["FrameAnatomySequence", "Frame Anatomy", ["FrameLaterality"]],
    ]
    assert found["per_frame"] == [
        "PixelMeasuresSequence",
        "FrameContentSequence",
        "FrameAnatomySequence",
    ]
    assert found["spacing"] == [0.5, 0.25]
    assert found["round_trip"] is True


@pytest.mark.standard
def test_a_ps33_without_an_iod_table_generates(tmp_path: Path) -> None:
    result, _ = generate("include_cycle", tmp_path)
    assert result.returncode == 0, result.stderr


# -- the committed generated package ---------------------------------------------------------------
def generated_modules(package: str) -> list[str]:
    return sorted(
        f"dicomstd._generated.{package}.{path.stem}"
        for path in (GENERATED / package).glob("*.py")
        if path.stem != "__init__"
    )


def test_every_generated_module_macro_iod_and_table_file_imports() -> None:
    classes: list[type] = []
    for name in generated_modules("modules") + generated_modules("iods"):
        module = importlib.import_module(name)
        for exported in module.__all__:
            value = getattr(module, exported)
            assert isinstance(value, type) and issubclass(value, DatasetModel | IodModel), name
            classes.append(value)
    for name in generated_modules("spec"):
        assert importlib.import_module(name).ROWS, name
    assert len(classes) == len(generated_modules("modules")) + len(generated_modules("iods"))
    # 153 tables (modules and macros) plus one Multi-frame Functional Groups Module per
    # enhanced IOD with its functional group macros; 4 IODs
    assert len(generated_modules("modules")) == 155
    assert len(generated_modules("iods")) == 4
    assert len(generated_modules("spec")) == 153


def test_importing_one_iod_class_imports_neither_the_others_nor_every_module() -> None:
    script = textwrap.dedent(
        """
        import json, sys
        import dicomstd._generated.iods.ct_image
        from dicomstd.iods import CTImage
        loaded = sorted(name for name in sys.modules if name.startswith("dicomstd._generated."))
        print(json.dumps(loaded))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    iods = [name for name in loaded if name.startswith("dicomstd._generated.iods.")]
    assert iods == ["dicomstd._generated.iods.ct_image"]
    modules = [name for name in loaded if name.startswith("dicomstd._generated.modules.")]
    assert len(modules) < len(generated_modules("modules")), modules
    for unrelated in ("rt_dose_module", "enhanced_ct_image_module", "x_ray_detector_module"):
        assert f"dicomstd._generated.modules.{unrelated}" not in loaded
    assert not [name for name in loaded if name.startswith("dicomstd._generated.spec")]


def metadata(cls: type, field_name: str) -> dict[str, object]:
    return dict(attrs.fields_dict(cls)[field_name].metadata)


def test_class_fields_carry_tag_type_vr_and_vm() -> None:
    from dicomstd.iods import EnhancedCTImage
    from dicomstd.modules import (
        CTImageModule,
        ImagePixelModule,
        MultiFrameModule,
        PatientModule,
        SOPCommonModule,
    )

    # PS3.6 2015b table 6-1 (tag, keyword, VR, VM) and the PS3.3 2016c Type of each:
    # (0010,0010) PatientName PN 1, table C.7-1 row 1 Type 2
    assert metadata(PatientModule, "PatientName") == {
        "tag": 0x00100010,
        "keyword": "PatientName",
        "type": "2",
        "vr": "PN",
        "vm": "1",
        "item": None,
        "multiple": False,
    }
    # (0008,0008) ImageType CS 2-n, table C.8-3 row 1 Type 1
    image_type = metadata(CTImageModule, "ImageType")
    assert (image_type["tag"], image_type["type"], image_type["vr"], image_type["vm"]) == (
        0x00080008,
        "1",
        "CS",
        "2-n",
    )
    assert image_type["multiple"] is True
    # (0018,0060) KVP DS 1, table C.8-3 row 10 Type 2
    kvp = metadata(CTImageModule, "KVP")
    assert (kvp["tag"], kvp["type"], kvp["vr"], kvp["vm"]) == (0x00180060, "2", "DS", "1")
    # (7FE0,0010) PixelData "OB or OW" 1, Image Pixel Module Type 1C
    pixel_data = metadata(ImagePixelModule, "PixelData")
    assert (pixel_data["vr"], pixel_data["vm"], pixel_data["type"]) == ("OB OW", "1", "1C")
    # (0028,0106) SmallestImagePixelValue "US or SS" 1
    assert metadata(ImagePixelModule, "SmallestImagePixelValue")["vr"] == "US SS"
    # (0028,0009) FrameIncrementPointer AT 1-n
    pointer = metadata(MultiFrameModule, "FrameIncrementPointer")
    assert (pointer["vr"], pointer["vm"], pointer["multiple"]) == ("AT", "1-n", True)
    # (0008,0123) Context Group Identification Sequence: not in the 2015b dictionary
    groups = metadata(SOPCommonModule, "ContextGroupIdentificationSequence")
    assert (groups["tag"], groups["vr"], groups["vm"], groups["type"]) == (0x00080123, "", "", "3")
    assert groups["item"] == "ContextGroupIdentificationSequenceItem"
    # (0028,0030) PixelSpacing DS 2, Type 1C in the Pixel Measures Macro (table C.7.6.16-2 row 2)
    groups_module = attrs.fields_dict(EnhancedCTImage)["multi_frame_functional_groups"]
    shared = groups_module.metadata["module_class"]
    module = importlib.import_module(
        f"dicomstd._generated.modules.{groups_module.metadata['module_key']}"
    )
    item = getattr(module, shared).SharedFunctionalGroupsSequenceItem
    spacing = metadata(item.PixelMeasuresSequenceItem, "PixelSpacing")
    assert (spacing["tag"], spacing["type"], spacing["vr"], spacing["vm"]) == (
        0x00280030,
        "1C",
        "DS",
        "2",
    )


def every_field(cls: type, seen: set[type]) -> list[tuple[str, dict[str, Any]]]:
    if cls in seen:
        return []
    seen.add(cls)
    out: list[tuple[str, dict[str, Any]]] = []
    for field in attrs.fields(cls):
        meta = dict(field.metadata)
        if "tag" not in meta:
            continue
        out.append((f"{cls.__qualname__}.{field.name}", meta))
        if meta["item"]:
            # the item class is named where the field is defined (a base class's module when the
            # field is inherited from an included macro's class)
            owner = next(
                k
                for k in cls.__mro__
                if any(a.name == field.name and not a.inherited for a in attrs.fields(k))
            )
            target: Any = owner
            for part in str(meta["item"]).split("."):
                target = getattr(target, part, None) or getattr(
                    importlib.import_module(owner.__module__), part
                )
            out.extend(every_field(target, seen))
    return out


def test_every_field_agrees_with_the_dictionary() -> None:
    seen: set[type] = set()
    checked = 0
    tags: set[int] = set()
    for name in generated_modules("modules"):
        module = importlib.import_module(name)
        for exported in module.__all__:
            for where, meta in every_field(getattr(module, exported), seen):
                element = dictionary.get(meta["tag"])
                if element is None or element.keyword != meta["keyword"]:
                    # not in the dictionary: no VR, no VM
                    assert (meta["vr"], meta["vm"]) == ("", ""), where
                    continue
                vrs = {str(vr) for vr in element.vrs}
                assert set(str(meta["vr"]).split()) == vrs, where
                assert meta["vm"] == str(element.vm), where
                assert meta["type"] in ("1", "1C", "2", "2C", "3"), where
                checked += 1
                tags.add(meta["tag"])
    assert checked > 1500
    # every attribute of every module and macro table the dictionary knows is a checked field
    # (classes reference the macro classes they include: a field is checked once per class)
    from dicomstd import spec
    from dicomstd._generated.spec import TABLES

    expected = {
        int(attribute.tag)
        for key in TABLES
        for _, attribute in spec.module(key).walk()
        if attribute.in_dictionary and attribute.keyword
    }
    assert expected - tags == set()


# -- the report of a real generation -------------------------------------------------------------
@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_pinned_parts()
    base = tmp_path_factory.mktemp("real")
    result = run_codegen("generate", "--out", str(base / "out"), "--report", str(base / "r.json"))
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads((base / "r.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.standard
def test_the_report_lists_the_attributes_the_dictionary_lacks(real_report: dict[str, Any]) -> None:
    unknown = {entry["tag"]: entry["name"] for entry in real_report["unknown_attributes"]}
    assert len(unknown) == 51  # counted with XPath in tests/codegen/test_passes.py
    # table C.7-1 rows 5-7, C.12-1 rows 18 and 23, C.7.6.16-1 row 9 (PS3.3 2016c)
    assert unknown["(0010,0033)"] == "Patient's Birth Date in Alternative Calendar"
    assert unknown["(0010,0034)"] == "Patient's Death Date in Alternative Calendar"
    assert unknown["(0010,0035)"] == "Patient's Alternative Calendar"
    assert unknown["(0008,0123)"] == "Context Group Identification Sequence"
    assert unknown["(0008,0124)"] == "Mapping Resource Identification Sequence"
    assert unknown["(0022,0028)"] == "Stereo Pairs Present"
    by_code = real_report["summary"]["by_code"]
    assert by_code["not-in-dictionary"] == 51


@pytest.mark.standard
def test_the_report_lists_errata_and_unresolved_includes(real_report: dict[str, Any]) -> None:
    diagnostics = real_report["diagnostics"]
    applied = [(d["table"], d["severity"]) for d in diagnostics if d["code"] == "erratum-applied"]
    assert sorted(applied) == [
        ("table_10-18", "info"),
        ("table_C.12-1", "info"),
        ("table_C.12-1", "info"),
    ]
    holes = sorted((d["table"], d["row"]) for d in diagnostics if d["code"] == "unresolved-include")
    assert holes == [("table_C.7.6.20-1", 1), ("table_C.8.19.2-1", 38), ("table_C.8.19.5-1", 1)]
    absent = [d for d in diagnostics if d["code"] == "sop-class-iod-absent"]
    assert len([d for d in absent if d["table"] == "table_B.5-1"]) == 116
    counts = real_report["counts"]
    # module rows of the four IOD tables and functional group macro rows (hand counted)
    assert (counts["table_A.3-1"], counts["table_A.18.3-1"]) == (20, 24)
    assert (counts["table_A.38-1"], counts["table_A.38-2"]) == (27, 24)
    assert (counts["table_A.47-1"], counts["table_A.47-2"]) == (22, 27)
