"""Misspelt fields and wrong value types of IOD and module classes are mypy errors
(tests/test_typing.py runs mypy --strict on this file; each `# expect:` line is a fragment of the
error mypy must report for the line after it). The folder is excluded from the normal run."""

from pydicom import Dataset

from dicomstd.iods import CTImage
from dicomstd.modules import PatientModule

ct = CTImage.from_dataset(Dataset())
# expect: "PatientModule" has no attribute "PatientNmae"
name = ct.patient.PatientNmae
# expect: "CTImage" has no attribute "pateint"
patient = ct.pateint
# expect: Incompatible types in assignment (expression has type "float | None", variable has type "str | None")
kvp: str | None = ct.ct_image.KVP
# expect: Argument "PatientName" to "PatientModule" has incompatible type "int"; expected "str | None"
module = PatientModule(PatientName=3)
