"""Finding codes, statuses and severities are Literal types: comparing them with a misspelt value
is a mypy error (tests/test_typing.py runs mypy --strict on this file; each `# expect:` line is a
fragment of the error mypy must report for the line after it). The folder is excluded from the
normal run."""

from dicomstd.validation import ValidationResult, validate_file

result: ValidationResult = validate_file("CT_small.dcm")
finding = result.findings[0]
# expect: Non-overlapping equality check (left operand type: "Literal['unreadable',
missing = finding.code == "type1-mising"
# expect: Non-overlapping equality check (left operand type: "Literal['unreadable', 'errors', 'unchecked',
failed = result.status == "error"
# expect: Non-overlapping equality check (left operand type: "Literal['error', 'warning', 'notice']"
severe = finding.as_json()["severity"] == "fatal"
# expect: Incompatible types in assignment (expression has type "Tag | None", variable has type "str")
tag: str = finding.tag
