"""One typed constant per data element keyword: ``tags.PatientName == Tag(0x0010, 0x0010)``.

The constants are generated from PS3.6 (``dicomstd._generated.tags``); a misspelt keyword is a
mypy error and an ``AttributeError`` at run time.
"""

from dicomstd._generated.tags import *  # noqa: F403
