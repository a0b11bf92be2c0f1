"""Usage examples mypy checks (never executed): module, macro and IOD classes built and read,
sequences of item classes, and the attribute trees of dicomstd.spec."""

from pydicom import Dataset

from dicomstd import spec
from dicomstd.errors import UnknownIODError
from dicomstd.iods import CTImage, EnhancedXRayAngiographicImage, RTDose, for_sop_class
from dicomstd.model import DatasetModel, IodModel
from dicomstd.modules import (
    CodeSequenceMacro,
    ImagePixelModule,
    PatientModule,
    SOPCommonModule,
    StructureSetModule,
)


def dose(ds: Dataset) -> tuple[float, ...] | None:
    image = RTDose.from_dataset(ds)
    scaling: float | None = image.rt_dose.DoseGridScaling
    structure_set: StructureSetModule | None = image.structure_set
    if image.multi_frame is not None:
        pointer: tuple[int, ...] | None = image.multi_frame.FrameIncrementPointer
        del pointer
    for plan in image.rt_dose.ReferencedRTPlanSequence or ():
        uid: str | None = plan.ReferencedSOPInstanceUID
        for group in plan.ReferencedFractionGroupSequence or ():
            number: int | None = group.ReferencedFractionGroupNumber
            del number
        del uid
    del scaling, structure_set
    return image.rt_dose.GridFrameOffsetVector


def build() -> Dataset:
    species = CodeSequenceMacro(CodeValue="L-80700", CodingSchemeDesignator="SRT")
    patient = PatientModule(
        PatientName="Doe^Jane", PatientID="123", PatientSpeciesCodeSequence=(species,)
    )
    pixels = ImagePixelModule(Rows=512, Columns=512, PixelData=b"\0\0")
    image = CTImage(patient=patient, image_pixel=pixels)
    common: SOPCommonModule = image.sop_common
    del common
    return image.to_dataset()


def angiography(ds: Dataset) -> str | None:
    image = EnhancedXRayAngiographicImage.from_dataset(ds)
    for item in image.multi_frame_functional_groups.PerFrameFunctionalGroupsSequence or ():
        for content in item.FrameContentSequence or ():
            acquisition: int | None = content.FrameAcquisitionNumber
            del acquisition
    return image.patient.PatientID


def any_iod(uid: str, ds: Dataset) -> list[str]:
    try:
        cls: type[IodModel] = for_sop_class(uid)
    except UnknownIODError as error:
        return [str(error)]
    modules: list[tuple[str, DatasetModel]] = list(cls.from_dataset(ds).modules())
    return [name for name, _ in modules]


def tree() -> list[str]:
    out: list[str] = []
    for iod in spec.iods():
        for use in iod.modules:
            if use.module is None:
                continue
            for parents, attribute in use.module.walk():
                depth: int = len(parents)
                kind: spec.AttributeType | None = attribute.type
                out.append(f"{depth} {attribute.keyword} {kind} {attribute.vm}")
            for placeholder in use.module.placeholders:
                out.append(f"{placeholder.kind} {placeholder.target}")
        for group in iod.functional_groups:
            usage: spec.Usage = group.usage
            out.append(f"{group.name} {usage} {group.condition}")
    return out
