"""A misspelt IOD or module class imported from dicomstd.iods / dicomstd.modules is a mypy
error (tests/test_typing.py runs mypy --strict on this file; each `# expect:` line is a fragment
of the error mypy must report for the line after it). The folder is excluded from the normal
run."""

# expect: Module "dicomstd.iods" has no attribute "CTImag"; maybe "CTImage"?
from dicomstd.iods import CTImag

# expect: Module "dicomstd.modules" has no attribute "PatientModul"; maybe "PatientModule"?
from dicomstd.modules import PatientModul
from dicomstd import iods

# expect: Module has no attribute "EnhancedCTImag"
enhanced = iods.EnhancedCTImag
