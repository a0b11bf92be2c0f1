"""One constant per UID keyword (``uids.CTImageStorage``) and registry lookups.

``lookup(value_or_keyword)`` returns the registry entry (name, keyword, type, part, retired,
source table) or raises :class:`~dicomstd.errors.UnknownUIDError`.
"""

from dicomstd._generated.uids import *  # noqa: F403
from dicomstd.uid import UID, UidInfo, entries, get, lookup

__all__ = ["UID", "UidInfo", "entries", "get", "lookup"]
