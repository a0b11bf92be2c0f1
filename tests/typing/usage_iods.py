"""Usage examples mypy checks (never executed): IOD and module classes, the spec API."""

from pydicom import Dataset

from dicomstd import spec
from dicomstd.iods import CTImage, EnhancedCTImage, for_sop_class
from dicomstd.model import IodModel
from dicomstd.modules import CodeSequenceMacro, PatientModule


def read(ds: Dataset) -> str | None:
    ct = CTImage.from_dataset(ds)
    name: str | None = ct.patient.PatientName
    kvp: float | None = ct.ct_image.KVP
    spacing: tuple[float, ...] | None = ct.image_plane.PixelSpacing
    image_type: tuple[str, ...] | None = ct.general_image.ImageType
    contrast = ct.contrast_bolus
    if contrast is not None:
        agent: str | None = contrast.ContrastBolusAgent
        del agent
    rows: int | None = ct.image_pixel.Rows
    del kvp, spacing, image_type, rows
    return name


def codes(module: PatientModule) -> list[CodeSequenceMacro]:
    return list(module.PatientSpeciesCodeSequence or ())


def enhanced(ds: Dataset) -> float | None:
    image = EnhancedCTImage.from_dataset(ds)
    shared = image.multi_frame_functional_groups.SharedFunctionalGroupsSequence or ()
    for item in shared:
        for measures in item.PixelMeasuresSequence or ():
            if measures.PixelSpacing:
                return measures.PixelSpacing[0]
    return None


def by_uid(uid: str, ds: Dataset) -> IodModel:
    return for_sop_class(uid).from_dataset(ds)


def requirements() -> spec.AttributeType | None:
    iod = spec.iod("Enhanced CT Image")
    use: spec.ModuleUse = iod.module("Multi-frame Functional Groups")
    assert use.module is not None
    shared = use.module.attribute("SharedFunctionalGroupsSequence")
    usage: spec.Usage = use.usage
    del usage
    return shared.item("PixelMeasuresSequence").item("PixelSpacing").type
