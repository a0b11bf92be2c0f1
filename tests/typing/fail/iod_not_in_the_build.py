"""An IOD or module class the build does not have is a mypy error, not an ``object``
(tests/test_typing.py runs mypy --strict on this file; each `# expect:` line is a fragment of the
error mypy must report for the line after it). The pinned build (PS3.3 2016c excerpt) has the CT
Image, Enhanced CT Image, Enhanced XA Image and RT Dose IODs, not the MR Image IOD (A.4)."""

# expect: Module "dicomstd.iods" has no attribute "MRImage"
from dicomstd.iods import MRImage

# expect: Module "dicomstd.modules" has no attribute "MRImageModule"
from dicomstd.modules import MRImageModule

print(MRImage, MRImageModule)
