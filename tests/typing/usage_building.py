"""Usage examples mypy checks (never executed): a skeleton filled through the typed classes and
saved as a DICOM file, data sets of another SOP Class, modules that disagree, tags by keyword."""

from pathlib import Path

from pydicom import Dataset

from dicomstd import Tag
from dicomstd.iods import CTImage, RTDose
from dicomstd.model import (
    Conflict,
    ConflictError,
    SOPClassMismatchError,
    file_meta_for,
)
from dicomstd.skeleton import Skeleton, ToFill, skeleton
from dicomstd.validation import validate


def new_ct_file(path: Path) -> list[str]:
    made: Skeleton = CTImage.skeleton(new_uids=True)
    todo: list[ToFill] = list(made.to_fill)
    tags: list[Tag] = [item.tag for item in todo]
    modules: list[tuple[str, ...]] = [item.modules for item in todo]
    del tags, modules
    image = CTImage.from_dataset(made.dataset)
    series = image.general_series.evolve(Modality="CT")
    image = image.evolve(general_series=series)
    written: Dataset = image.to_dataset(file_meta=True)
    written.save_as(path, enforce_file_format=True)
    still = [f.path for f in validate(written).findings if f.code == "type1-empty"]
    return still


def dose_skeleton(path: Path) -> str:
    made = skeleton("RT Dose Storage", new_uids=True)
    made.dataset.file_meta = file_meta_for(made.dataset)
    made.dataset.save_as(path, enforce_file_format=True)
    uid: str = made.sop_class_uid
    filled: tuple[tuple[str, str], ...] = made.filled
    del filled
    return uid


def read_as_dose(ds: Dataset) -> RTDose:
    try:
        return RTDose.from_dataset(ds)
    except SOPClassMismatchError as error:
        found: str = error.found
        expected: tuple[str, ...] = error.expected
        del found, expected
        return RTDose.from_dataset(ds, strict=False)


def written_or_conflicts(image: CTImage) -> Dataset | tuple[Conflict, ...]:
    try:
        return image.to_dataset()
    except ConflictError as error:
        for conflict in error.conflicts:
            tag: Tag = conflict.tag
            where: str = conflict.path
            values: tuple[tuple[str, object], ...] = conflict.values
            del tag, where, values
        return image.conflicts()


patient_name: Tag = Tag("PatientName")
kept: int = len(CTImage.from_dataset(Dataset()).extra_elements())
