"""A misspelt keyword must be a mypy error (tests/test_typing.py runs mypy --strict on this file).

The file does not end in .py so that the normal `mypy --strict ... tests/typing` run, which
descends into this folder, does not pick it up. Each `# expect:` line is a fragment mypy's
output must contain.
"""

from dicomstd import tags, uids

# expect: Module has no attribute "PatientNmae"
patient = tags.PatientNmae
# expect: Module has no attribute "CTImageStorag"
storage = uids.CTImageStorag
