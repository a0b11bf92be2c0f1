"""Wrong types when building data sets are mypy errors (tests/test_typing.py runs mypy --strict
on this file; each `# expect:` line is a fragment of the error mypy must report for the line
after it). The folder is excluded from the normal run."""

from pydicom import Dataset

from dicomstd.iods import CTImage
from dicomstd.modules import GeneralSeriesModule
from dicomstd.validation import validate

made = CTImage.skeleton()
# expect: Incompatible types in assignment (expression has type "Tag", variable has type "str")
tag: str = made.to_fill[0].tag
# expect: Argument "strict" to "from_dataset" of "IodModel" has incompatible type "str"; expected "bool"
image = CTImage.from_dataset(Dataset(), strict="no")
# expect: Argument "SeriesNumber" to "GeneralSeriesModule" has incompatible type "str"; expected "int | None"
series = GeneralSeriesModule(SeriesNumber="1")
# expect: Non-overlapping equality check (left operand type: "Literal['unreadable',
empty = [f for f in validate(made.dataset).findings if f.code == "type1-emtpy"]
