"""Why a part of a condition cannot be decided from the data set (:data:`~dicomstd.conditions.
Reason`), read from its words.

Rules are tried in order; the first whose pattern the text matches gives the reason. A text that
names an attribute with its tag and matches no rule is ``wording``: the attribute is there, the
parser did not read the phrasing. One without a tag that matches none is ``real-world``, as long
as it does not name an attribute the vocabulary knows (the caller passes that).
"""

from __future__ import annotations

import re

from dicomstd.conditions import Reason, Unverifiable

__all__ = ["RULES", "reason_of", "unverifiable"]

_PATTERNS: tuple[tuple[Reason, str], ...] = (
    # What the data set records, in words the parser does not read: a change across the control
    # points (an attribute named in words no dictionary has), the fragments of the encapsulated
    # Pixel Data.
    ("wording", r"\b(changes? during (beam|setup)|encoded as a single fragment)\b"),
    (
        "real-world",
        r"\b(sufficient|insufficient|fully (describe|specify)|significant under|capable of|"
        r"represents a|requires \(implies\)|shall be associated|is a URN|is not a URN|"
        r"different from|a subset of|aspect ratio|representing a|the protocol is not)",
    ),
    # "neither A nor B are present in every Item of …": in no item, or not in all of them.
    ("ambiguous", r"^neither\b.*\bin every Item\b"),
    ("section", r"\b(CID \d+|does not require|do not require)\b"),
    (
        "other-items",
        r"\b(for frames included in this Item|corresponds to a Control Point|"
        r"combines segments)\b",
    ),
    ("section", r"\b(conditions|as described|specified|defined) in (Section|Annex)\b"),
    ("section", r"^the conditions in Section\b"),
    (
        "exchange",
        r"\b(transfer syntax|presentation contexts?|retrieve request|Frame Level Retrieve|"
        r"C-MOVE|is supported|storage request|Unified Procedure Step|SOP Class was involved|"
        r"Procedure Step SOP Class)\b",
    ),
    (
        "other-items",
        r"\b(with the same|defined in the .* Sequence|containing .* Sequence .*Item|"
        r"in (the )?containing|in higher Items|enclosing (Item|Content Item)|"
        r"nor in the containing)\b",
    ),
    (
        "other-instance",
        r"\b(referenced (SOP )?(instance|image|images|plan|RT Plan|acquisition|beam|"
        r"Dosimetric|Instance|document|series)|contributing SOP Instances|Classic Images|"
        r"source images|other (instances|Studies|documents|DICOM|SOP)|another (Instance|"
        r"Series|SOP Instance|image or frame)|from another SOP|previous version|"
        r"replaces (a|another)|derived from|created (from|by conversion)|converted from|"
        r"Encapsulated Document \(0008,114A\) contains|within the Referenced|"
        r"referenced within|in the RT Ion Plan|of the referenced|referenced in|"
        r"the Instance referenced|this Study|Information Model of the referenced|"
        r"read from another|references (instances|a SOP Instance|more than one|Instances)|"
        r"Directory Record references|not in this instance|other Requested Procedures|"
        r"results from|resulted from|referenced Accessory|referenced Range Modulator|"
        r"referenced by|of the wedge referenced|of the range modulator referenced|"
        r"images referenced|referenced image\(s\)|Presentation State Relationship Module|"
        r"are omitted)\b",
    ),
)
RULES: tuple[tuple[Reason, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE)) for reason, pattern in _PATTERNS
)

_TAG = re.compile(r"\(\s*[0-9A-Fa-f]{4}\s*[,.]\s*[0-9A-Fa-f]{4}\s*\)")


def reason_of(text: str) -> Reason:
    """The reason a part of a condition, ``text``, cannot be decided (see the module)."""
    for reason, pattern in RULES:
        if pattern.search(text):
            return reason
    return "wording" if _TAG.search(text) else "real-world"


def unverifiable(text: str, reason: Reason | None = None) -> Unverifiable:
    """An :class:`Unverifiable` part, its reason given or read from its words."""
    return Unverifiable(text, reason if reason is not None else reason_of(text))
