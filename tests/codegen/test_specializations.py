"""One module's definition of an attribute overriding another's (codegen/passes/specializations.py).

The synthetic documents are written here, with the sentences of PS3.3 as published:

* SC Equipment Module (table C.8-24), Modality (0008,0060), Type 3: "Source equipment for the
  image. This type definition shall override the definition in the General Series Module.";
* SC Multi-frame Image Module (table C.8-25b), Frame Increment Pointer (0028,0009), Type 1C:
  "Shall be present if Number of Frames is greater than 1, overriding (specializing) the Type 1
  requirement on this Attribute in the Multi-frame Module.";
* Presentation State Shutter Module (table C.11.12-1), Shutter Presentation Value (0018,1622):
  "The requirement in this Module is type 1C, which overrides the type 3 in the Display Shutter
  Module and Bitmap Display Shutter Module.";
* Enhanced General Equipment Module (C.7.5.2): "This table contains a subset of the attributes of
  General Equipment Module (Table C.7-8) but the Type Designation is changed into Type 1.
  Including this module in an IOD overwrites the Type Designation of the General Equipment
  Module.";
* RT Dose Module (table C.8-39), Bits Allocated (0028,0100): "Number of bits allocated for each
  pixel sample. Each sample shall have the same number of bits allocated. See C.8.8.3.4.3 for
  specialization.", and C.8.8.3.4.3 "Bits Allocated": "Enumerated Values: 16 32"; C.8.8.3.4.4
  "Bits Stored": "For RT Doses, Bits Stored (0028,0101) shall be equal to Bits Allocated
  (0028,0100)." (no list);
* CT Series Module (C.8.15.1): "The CT IODs use the General Series Module, specialized by the CT
  Series Module, to describe the DICOM Series Entity …";
* Enhanced XA/XRF Image Module (C.8.19.2): "Table C.8.19.2-1 contains IOD Attributes that describe
  a XA/XRF Image by specializing Attributes of the General Image Module and Image Pixel Module, and
  adding additional Attributes.";
* Presentation State Mask Module (table C.11.13-1), >Mask Operation inside Mask Subtraction
  Sequence: "The requirement in this Module is for Enumerated Values, which overrides the
  requirements of the Mask Module.";
* CT Pixel Value Transformation Macro (C.8.15.3.10): "This in effect specializes the C.7.6.16.2.9
  Pixel Value Transformation Macro." (macros: not a module's definition; reported);
* XA/XRF Multi-frame Presentation Module (table C.8.19.7-1), Recommended Viewing Mode: "When this
  Attribute is present with a value, this value shall override the value of Recommended Viewing
  Mode (0028,1090) specified in the Mask Module." (a value, not a definition).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dicomstd.codegen import docbook, inputs, pipeline, resolve
from dicomstd.codegen.diagnostics import Severity
from dicomstd.codegen.model import (
    Iod,
    Part06,
    PartInfo,
    Specialization,
    Standard,
    ValueList,
)
from tests.conftest import FULL_STANDARD, require_part

MODALITY, FRAME_INCREMENT_POINTER = 0x00080060, 0x00280009
SHUTTER_PRESENTATION_VALUE = 0x00181622
MANUFACTURER, MODEL_NAME = 0x00080070, 0x00081090
BITS_ALLOCATED, BITS_STORED, HIGH_BIT = 0x00280100, 0x00280101, 0x00280102

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<book xmlns="http://docbook.org/ns/docbook" xml:id="PS3.3" label="PS3.3" version="5.0">'
    "<title>PS3.3</title>"
    "<subtitle>DICOM PS3.3 2099a - Information Object Definitions</subtitle>"
)
ATTRIBUTE_HEADER = (
    "<thead><tr><th><para>Attribute Name</para></th><th><para>Tag</para></th>"
    "<th><para>Type</para></th><th><para>Attribute Description</para></th></tr></thead>"
)


def xref(target: str, style: str = "select: label") -> str:
    return f'<xref linkend="{target}" xrefstyle="{style}"/>'


def row(name: str, tag: str, kind: str, *paragraphs: str) -> str:
    description = "".join(f"<para>{p}</para>" for p in paragraphs)
    return (
        f"<tr><td><para>{name}</para></td><td><para>{tag}</para></td>"
        f"<td><para>{kind}</para></td><td>{description}</td></tr>"
    )


def module(label: str, title: str, rows: list[str], before: str = "", after: str = "") -> str:
    """A section holding one module table (its id ``table_<label>-1``)."""
    return (
        f'<section label="{label}" xml:id="sect_{label}"><title>{title}</title>{before}'
        f'<table xml:id="table_{label}-1" label="{label}-1"><caption>{title} Attributes</caption>'
        f"{ATTRIBUTE_HEADER}<tbody>{''.join(rows)}</tbody></table>{after}</section>"
    )


def iod(label: str, name: str, modules: list[str]) -> str:
    body = "".join(
        f"<tr><td><para>Image</para></td><td><para>{title}</para></td>"
        f"<td><para>{xref('sect_' + section)}</para></td><td><para>M</para></td></tr>"
        for title, section in (m.split("@") for m in modules)
    )
    return (
        f'<section label="{label}" xml:id="sect_{label}"><title>{name} IOD</title>'
        f'<table xml:id="table_{label}-1" label="{label}-1"><caption>{name} IOD Modules</caption>'
        "<thead><tr><th><para>IE</para></th><th><para>Module</para></th>"
        "<th><para>Reference</para></th><th><para>Usage</para></th></tr></thead>"
        f"<tbody>{body}</tbody></table></section>"
    )


def section(label: str, title: str, body: str) -> str:
    return f'<section label="{label}" xml:id="sect_{label}"><title>{title}</title>{body}</section>'


def enumerated(*values: str) -> str:
    entries = "".join(
        f"<varlistentry><term>{v}</term><listitem><para/></listitem></varlistentry>" for v in values
    )
    return (
        f'<variablelist spacing="compact"><title>Enumerated Values:</title>{entries}</variablelist>'
    )


MODULES = {
    "General Series": module(
        "C.7.3.1",
        "General Series Module",
        [row("Modality", "(0008,0060)", "1", "Type of device.")],
    ),
    "General Equipment": module(
        "C.7.5.1",
        "General Equipment Module",
        [
            row("Manufacturer", "(0008,0070)", "2", "Manufacturer."),
            row("Institution Name", "(0008,0080)", "3", "Institution."),
            row("Manufacturer's Model Name", "(0008,1090)", "3", "Model."),
        ],
    ),
    "Enhanced General Equipment": module(
        "C.7.5.2",
        "Enhanced General Equipment Module",
        [
            row("Manufacturer", "(0008,0070)", "1", "Manufacturer."),
            row("Manufacturer's Model Name", "(0008,1090)", "1", "Model."),
        ],
        before=(
            "<note><orderedlist><listitem><para>This table contains a subset of the attributes "
            f"of {xref('sect_C.7.5.1', 'select: title')} ({xref('table_C.7.5.1-1')}) but the "
            "Type Designation is changed into Type 1. Including this module in an IOD overwrites "
            f"the Type Designation of the {xref('sect_C.7.5.1', 'select: title')}.</para>"
            "</listitem></orderedlist></note>"
        ),
    ),
    "SC Equipment": module(
        "C.8.6.1",
        "SC Equipment Module",
        [
            row("Conversion Type", "(0008,0064)", "1", "Describes the kind of image conversion."),
            row(
                "Modality",
                "(0008,0060)",
                "3",
                "Source equipment for the image. This type definition shall override the "
                "definition in the General Series Module.",
                "See Section C.7.3.1.1.1 for Defined Terms.",
            ),
        ],
    ),
    "Multi-frame": module(
        "C.7.6.6",
        "Multi-frame Module",
        [
            row("Number of Frames", "(0028,0008)", "1", "Number of frames."),
            row("Frame Increment Pointer", "(0028,0009)", "1", "Frame increment."),
        ],
    ),
    "SC Multi-frame Image": module(
        "C.8.6.3",
        "SC Multi-frame Image Module",
        [
            row(
                "Frame Increment Pointer",
                "(0028,0009)",
                "1C",
                "Contains the Data Element Tag of the Attribute that is used as the frame "
                "increment in Multi-frame pixel data.",
                "Shall be present if Number of Frames is greater than 1, overriding "
                "(specializing) the Type 1 requirement on this Attribute in the Multi-frame "
                "Module.",
            ),
        ],
    ),
    "Display Shutter": module(
        "C.7.6.11",
        "Display Shutter Module",
        [row("Shutter Presentation Value", "(0018,1622)", "3", "Gray value.")],
    ),
    "Bitmap Display Shutter": module(
        "C.7.6.15",
        "Bitmap Display Shutter Module",
        [row("Shutter Presentation Value", "(0018,1622)", "1", "Gray value.")],
    ),
    "Presentation State Shutter": module(
        "C.11.12",
        "Presentation State Shutter Module",
        [
            row(
                "Shutter Presentation Value",
                "(0018,1622)",
                "1C",
                "Required if Shape is present.",
                "The requirement in this Module is type 1C, which overrides the type 3 in the "
                "Display Shutter Module and Bitmap Display Shutter Module.",
            ),
        ],
    ),
    "Image Pixel": module(
        "C.7.6.3",
        "Image Pixel Module",
        [
            row("Bits Allocated", "(0028,0100)", "1", "Bits allocated."),
            row("Bits Stored", "(0028,0101)", "1", "Bits stored."),
            row("High Bit", "(0028,0102)", "1", "High bit."),
        ],
    ),
    "RT Dose": module(
        "C.8.8.3",
        "RT Dose Module",
        [
            row(
                "Bits Allocated",
                "(0028,0100)",
                "1C",
                "Number of bits allocated for each pixel sample. Each sample shall have the same "
                f"number of bits allocated. See {xref('sect_C.8.8.3.4.3')} for specialization. "
                "Required if Pixel Data (7FE0,0010) is present.",
            ),
            row(
                "Bits Stored",
                "(0028,0101)",
                "1C",
                "Number of bits stored for each pixel sample. Each sample shall have the same "
                f"number of bits stored. See {xref('sect_C.8.8.3.4.4')} for specialization. "
                "Required if Pixel Data (7FE0,0010) is present.",
            ),
            row(
                "High Bit",
                "(0028,0102)",
                "1C",
                "Most significant bit for each pixel sample. See Section C.8.8.3.4.9 for "
                "specialization. Required if Pixel Data (7FE0,0010) is present.",
            ),
        ],
        after=section(
            "C.8.8.3.4",
            "Image Pixel Module Attributes",
            section("C.8.8.3.4.3", "Bits Allocated", enumerated("16", "32"))
            + section(
                "C.8.8.3.4.4",
                "Bits Stored",
                "<para>For RT Doses, Bits Stored (0028,0101) shall be equal to Bits Allocated "
                "(0028,0100).</para>",
            ),
        ),
    ),
    "XA/XRF Multi-frame Presentation": module(
        "C.8.19.7",
        "XA/XRF Multi-frame Presentation Module",
        [
            row(
                "Recommended Viewing Mode",
                "(0028,1090)",
                "3",
                "When this Attribute is present with a value, this value shall override the value "
                "of Recommended Viewing Mode (0028,1090) specified in the Mask Module.",
            ),
        ],
    ),
    "Mask": module(
        "C.7.6.10",
        "Mask Module",
        [row("Recommended Viewing Mode", "(0028,1090)", "2", "Viewing protocol.")],
    ),
}


def _section_of(text: str) -> str:
    return text.split('xml:id="sect_', 1)[1].split('"', 1)[0]


def document(iods: dict[str, list[str]], replaced: dict[str, str] | None = None) -> str:
    """A PS3.3 with these IODs (name -> module titles) over :data:`MODULES`, some of them
    replaced or added (title -> module section)."""
    modules = {**MODULES, **(replaced or {})}
    annex_a = "".join(
        iod(f"A.{n}", name, [f"{m}@{_section_of(modules[m])}" for m in uses])
        for n, (name, uses) in enumerate(sorted(iods.items()), start=90)
    )
    annex_c = "".join(modules.values())
    return (
        f'{HEAD}<chapter label="A" xml:id="chapter_A"><title>IODs</title>{annex_a}</chapter>'
        f'<chapter label="C" xml:id="chapter_C"><title>Modules</title>{annex_c}</chapter></book>'
    )


Build = Callable[[str], Standard]


@pytest.fixture
def build(tmp_path: Path) -> Build:
    """Parse a PS3.3 text as the generator does (PS3.3 only), then run the passes."""

    def run(text: str) -> Standard:
        path = tmp_path / "part03.xml"
        path.write_text(text, encoding="utf-8")
        loaded = docbook.load(path, expect_part=3)
        parsed = pipeline.parsers()[3][1](loaded)
        info = PartInfo(3, str(path), loaded.edition, loaded.part_title, "0" * 64)
        base = Standard(
            parts=(info,),
            part03=parsed,
            part06=Part06((), (), {}),
            diagnostics=tuple(loaded.diagnostics),
        )
        return resolve.resolve(base)

    return run


def _iod(standard: Standard, name: str) -> Iod:
    return next(i for i in standard.iods if i.name == name)


def _diagnostics(standard: Standard, code: str) -> list[tuple[str | None, int | None, Severity]]:
    return [(d.table, d.row, d.severity) for d in standard.diagnostics if d.code == code]


# -- description cells ---------------------------------------------------------------------------
def test_a_looser_type_overrides_the_general_series_definition(build: Build) -> None:
    standard = build(document({"Secondary Capture Image": ["General Series", "SC Equipment"]}))
    assert _iod(standard, "Secondary Capture Image").specializations == (
        Specialization(MODALITY, "SC Equipment", ("General Series",), (), "table_C.8.6.1-1"),
    )


def test_overriding_specializing_the_type_1_requirement_of_another_module(build: Build) -> None:
    standard = build(document({"Multi-frame SC Image": ["Multi-frame", "SC Multi-frame Image"]}))
    assert _iod(standard, "Multi-frame SC Image").specializations == (
        Specialization(
            FRAME_INCREMENT_POINTER,
            "SC Multi-frame Image",
            ("Multi-frame",),
            (),
            "table_C.8.6.3-1",
        ),
    )


def test_one_sentence_naming_two_modules_replaces_both(build: Build) -> None:
    modules = ["Display Shutter", "Bitmap Display Shutter", "Presentation State Shutter"]
    standard = build(document({"Grayscale Softcopy Presentation State": modules}))
    assert _iod(standard, "Grayscale Softcopy Presentation State").specializations == (
        Specialization(
            SHUTTER_PRESENTATION_VALUE,
            "Presentation State Shutter",
            ("Display Shutter", "Bitmap Display Shutter"),
            (),
            "table_C.11.12-1",
        ),
    )


def test_a_sequence_item_attribute_overriding_gives_its_sequence(build: Build) -> None:
    mask = module(
        "C.7.6.10",
        "Mask Module",
        [
            row("Mask Subtraction Sequence", "(0028,6100)", "1", "Mask operations."),
            row("&gt;Mask Operation", "(0028,6101)", "1", "Type of mask operation."),
        ],
    )
    presentation = module(
        "C.11.13",
        "Presentation State Mask Module",
        [
            row("Mask Subtraction Sequence", "(0028,6100)", "1C", "Required if a mask is used."),
            row(
                "&gt;Mask Operation",
                "(0028,6101)",
                "1",
                "Type of mask operation to be performed",
                "The requirement in this Module is for Enumerated Values, which overrides the "
                "requirements of the Mask Module.",
            ),
        ],
    )
    text = document(
        {"Presentation State": ["Mask", "Presentation State Mask"]},
        {"Mask": mask, "Presentation State Mask": presentation},
    )
    # The Presentation State Mask Module's Mask Subtraction Sequence (and its items) applies.
    assert _iod(build(text), "Presentation State").specializations == (
        Specialization(0x00286100, "Presentation State Mask", ("Mask",), (), "table_C.11.13-1"),
    )


def test_only_modules_both_in_the_iod_interact(build: Build) -> None:
    # The SC Equipment Module without the General Series Module, and the General Series Module
    # without the SC Equipment Module: nothing overrides anything.
    standard = build(
        document({"Encapsulated PDF": ["SC Equipment"], "CT Image": ["General Series"]})
    )
    assert _iod(standard, "Encapsulated PDF").specializations == ()
    assert _iod(standard, "CT Image").specializations == ()


# -- sections --------------------------------------------------------------------------------
def test_a_module_section_overwriting_the_type_of_every_shared_attribute(build: Build) -> None:
    standard = build(
        document({"Enhanced CT Image": ["General Equipment", "Enhanced General Equipment"]})
    )
    # Manufacturer and Manufacturer's Model Name are in both; Institution Name only in General
    # Equipment, so nothing overrides it.
    assert _iod(standard, "Enhanced CT Image").specializations == (
        Specialization(
            MANUFACTURER, "Enhanced General Equipment", ("General Equipment",), (), "sect_C.7.5.2"
        ),
        Specialization(
            MODEL_NAME, "Enhanced General Equipment", ("General Equipment",), (), "sect_C.7.5.2"
        ),
    )


def test_a_specialization_section_narrows_the_values(build: Build) -> None:
    standard = build(document({"RT Dose": ["Image Pixel", "RT Dose"]}))
    found = _iod(standard, "RT Dose").specializations
    # C.8.8.3.4.3: "Enumerated Values: 16 32"; C.8.8.3.4.4 gives no list, yet the RT Dose
    # Module's definition is the one that applies; C.8.8.3.4.9 is not in the document.
    assert found == (
        Specialization(
            BITS_ALLOCATED,
            "RT Dose",
            ("Image Pixel",),
            (ValueList("enumerated", ("16", "32")),),
            "sect_C.8.8.3.4.3",
        ),
        Specialization(BITS_STORED, "RT Dose", ("Image Pixel",), (), "sect_C.8.8.3.4.4"),
        Specialization(HIGH_BIT, "RT Dose", ("Image Pixel",), (), "sect_C.8.8.3.4.9"),
    )
    assert _diagnostics(standard, "specialization-section-absent") == [
        ("table_C.8.8.3-1", 3, Severity.INFO)
    ]


def test_a_section_not_titled_with_the_attribute_gives_no_values(build: Build) -> None:
    dose_image = module(
        "C.8.99",
        "Dose Image Module",
        [
            row(
                "Bits Allocated",
                "(0028,0100)",
                "1",
                f"See {xref('sect_C.8.99.1')} for specialization.",
            )
        ],
        after=section("C.8.99.1", "Bits Allocated and Bits Stored", enumerated("16")),
    )
    text = document({"Dose Image": ["Image Pixel", "Dose Image"]}, {"Dose Image": dose_image})
    standard = build(text)
    assert _iod(standard, "Dose Image").specializations == (
        Specialization(BITS_ALLOCATED, "Dose Image", ("Image Pixel",), (), "sect_C.8.99.1"),
    )
    assert _diagnostics(standard, "specialization-values-unattributed") == [
        ("table_C.8.99-1", 1, Severity.INFO)
    ]


def test_a_module_section_specialized_by_this_module(build: Build) -> None:
    ct_series = module(
        "C.8.15.1",
        "CT Series Module",
        [row("Modality", "(0008,0060)", "1", "Type of equipment.")],
        before=(
            f"<para>The CT IODs use the {xref('sect_C.7.3.1', 'select: title')}, specialized by "
            "the CT Series Module, to describe the DICOM Series Entity described in "
            f"{xref('sect_A.1.2.3')}.</para>"
        ),
    )
    text = document(
        {"Enhanced CT Image": ["General Series", "CT Series"]}, {"CT Series": ct_series}
    )
    assert _iod(build(text), "Enhanced CT Image").specializations == (
        Specialization(MODALITY, "CT Series", ("General Series",), (), "sect_C.8.15.1"),
    )
    # The same sentence in another module's section says nothing of that module.
    other = ct_series.replace("CT Series Module Attributes", "CT Acquisition Module Attributes")
    other = other.replace("<title>CT Series Module</title>", "<title>CT Acquisition Module</title>")
    standard = build(
        document({"Enhanced CT Image": ["General Series", "CT Series"]}, {"CT Series": other})
    )
    assert _iod(standard, "Enhanced CT Image").specializations == ()
    assert _diagnostics(standard, "specialization-unrecognised") == [
        ("table_C.8.15.1-1", None, Severity.WARNING)
    ]


def test_a_module_specializing_attributes_of_two_modules(build: Build) -> None:
    image = module(
        "C.8.19.2",
        "Enhanced XA/XRF Image Module",
        [
            row("Bits Allocated", "(0028,0100)", "1", "Bits allocated."),
            row("Bits Stored", "(0028,0101)", "1", "Bits stored."),
        ],
        before=(
            "<para>This section describes the Enhanced XA/XRF Image Module. "
            f"{xref('table_C.8.19.2-1')} contains IOD Attributes that describe a XA/XRF Image by "
            "specializing Attributes of the General Series Module and Image Pixel Module, and "
            "adding additional Attributes.</para>"
        ),
    )
    text = document(
        {"Enhanced XA Image": ["General Series", "Image Pixel", "Enhanced XA/XRF Image"]},
        {"Enhanced XA/XRF Image": image},
    )
    # Only the attributes it shares with them: Bits Allocated and Bits Stored of Image Pixel
    # (General Series, here standing for General Image, shares none).
    assert _iod(build(text), "Enhanced XA Image").specializations == (
        Specialization(
            BITS_ALLOCATED, "Enhanced XA/XRF Image", ("Image Pixel",), (), "sect_C.8.19.2"
        ),
        Specialization(BITS_STORED, "Enhanced XA/XRF Image", ("Image Pixel",), (), "sect_C.8.19.2"),
    )


def test_a_macro_specializing_a_macro_is_reported(build: Build) -> None:
    macro = (
        '<section label="C.8.15.3.10" xml:id="sect_C.8.15.3.10">'
        "<title>CT Pixel Value Transformation Macro</title><note><orderedlist><listitem><para>"
        f"This in effect specializes the {xref('sect_C.7.6.16.2.9')} Pixel Value Transformation "
        "Macro.</para></listitem></orderedlist></note>"
        '<table xml:id="table_C.8-126" label="C.8-126">'
        f"<caption>CT Pixel Value Transformation Macro Attributes</caption>{ATTRIBUTE_HEADER}"
        f"<tbody>{row('Rescale Type', '(0028,1054)', '1', 'Units.')}</tbody></table></section>"
    )
    standard = build(document({"CT Image": ["General Series"]}, {"CT Pixel Value": macro}))
    assert _diagnostics(standard, "specialization-unrecognised") == [
        ("table_C.8-126", None, Severity.WARNING)
    ]


# -- what is not a specialization, and what is not understood -------------------------------------
def test_a_value_overriding_a_value_is_not_a_definition(build: Build) -> None:
    standard = build(document({"XA Image": ["Mask", "XA/XRF Multi-frame Presentation"]}))
    assert _iod(standard, "XA Image").specializations == ()
    assert _diagnostics(standard, "specialization-unrecognised") == []


def test_an_unrecognised_sentence_is_reported_with_table_and_row(build: Build) -> None:
    odd = module(
        "C.8.98",
        "Odd Module",
        [
            row("Focal Distance", "(0018,1182)", "3", "Focal distance."),
            row(
                "Modality",
                "(0008,0060)",
                "3",
                "The Type of this Attribute supersedes, and in effect specializes, another "
                "definition.",
            ),
        ],
    )
    standard = build(document({"CT Image": ["General Series", "Odd"]}, {"Odd": odd}))
    assert _diagnostics(standard, "specialization-unrecognised") == [
        ("table_C.8.98-1", 2, Severity.WARNING)
    ]


def test_two_modules_each_overriding_the_other_apply_neither(build: Build) -> None:
    other = module(
        "C.8.97",
        "Other Equipment Module",
        [
            row(
                "Modality",
                "(0008,0060)",
                "1",
                "This type definition shall override the definition in the SC Equipment Module.",
            )
        ],
    )
    sc = MODULES["SC Equipment"].replace("General Series Module", "Other Equipment Module")
    text = document(
        {"Odd Image": ["SC Equipment", "Other Equipment"]},
        {"SC Equipment": sc, "Other Equipment": other},
    )
    standard = build(text)
    assert _iod(standard, "Odd Image").specializations == ()
    assert [d[2] for d in _diagnostics(standard, "specialization-conflict")] == [Severity.WARNING]


# -- the real documents ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def pinned() -> Standard:
    return pipeline.build(inputs.resolve({}, inputs.read_pins()))


@pytest.fixture(scope="module")
def full_size() -> Standard:
    parts = {number: require_part(edition, number) for number, edition in FULL_STANDARD.items()}
    return pipeline.build(inputs.resolve(parts, inputs.read_pins()))


def _found(standard: Standard, name: str, tag: int) -> list[tuple[str, tuple[str, ...], str]]:
    return [
        (s.module, s.replaces, s.source)
        for s in _iod(standard, name).specializations
        if s.tag == tag
    ]


def test_the_pinned_rt_dose_narrows_bits_allocated(pinned: Standard) -> None:
    # PS3.3 2016c C.8.8.3.4.3 "Bits Allocated": Enumerated Values 16, 32.
    rt_dose = _iod(pinned, "RT Dose")
    bits = [s for s in rt_dose.specializations if s.tag == BITS_ALLOCATED]
    assert bits == [
        Specialization(
            BITS_ALLOCATED,
            "RT Dose",
            ("Image Pixel",),
            (ValueList("enumerated", ("16", "32")),),
            "sect_C.8.8.3.4.3",
        )
    ]


def test_the_pinned_rt_dose_pixel_representation_keeps_the_general_bounds(pinned: Standard) -> None:
    # C.8.8.3.4.6 lists Pixel Representation's values only "when Dose Type (3004,0004) = ERROR"
    # (0001H) and "… not ERROR" (0000H); the Image Pixel Module's Enumerated Values (0000H, 0001H)
    # are kept beside them, without a condition.
    (found,) = [s for s in _iod(pinned, "RT Dose").specializations if s.tag == 0x00280103]
    assert found.values == (
        ValueList("enumerated", ("0001H",), qualifier="when Dose Type (3004,0004) = ERROR"),
        ValueList("enumerated", ("0000H",), qualifier="when Dose Type (3004,0004) not ERROR"),
        ValueList("enumerated", ("0000H", "0001H")),
    )


def test_the_pinned_enhanced_general_equipment_overwrites_the_general_one(pinned: Standard) -> None:
    # PS3.3 2016c C.7.5.2: "Including this module in an IOD overwrites the Type Designation of the
    # General Equipment Module".
    assert _found(pinned, "Enhanced CT Image", MANUFACTURER) == [
        ("Enhanced General Equipment", ("General Equipment",), "sect_C.7.5.2")
    ]


def test_the_full_size_stand_in_sc_and_rt_dose(full_size: Standard) -> None:
    # Table C.8-24 (SC Equipment), Modality: "This type definition shall override the definition
    # in the General Series Module."
    assert _found(full_size, "Secondary Capture Image", MODALITY) == [
        ("SC Equipment", ("General Series",), "table_C.8-24")
    ]
    # Table C.8-39 (RT Dose), Bits Allocated: "See Section C.8.8.3.4.3 for specialization." The
    # stand-in has no section C.8.8.3.4.3, so no values: the RT Dose Module's definition applies.
    assert _found(full_size, "RT Dose", BITS_ALLOCATED) == [
        ("RT Dose", ("Image Pixel",), "sect_C.8.8.3.4.3")
    ]
    assert not [d for d in full_size.diagnostics if d.code == "specialization-unrecognised"]
