"""Export Control Classification Numbers as the device registry records them.

Structure per 15 CFR § 738.2(d) (EAR, Commerce Control List): a category digit 0-9, a
product-group letter A-E, then three digits (e.g. ``3A090``, ``4A003``), optionally
followed by paragraph references (``3A001.a.7``, ``4A003.z``); ``0Y521`` series items use
the letter Y (15 CFR § 734.3 and Supplement No. 5 to part 774). ``EAR99`` marks an item
subject to the EAR but not listed (15 CFR § 734.3(c)).

Kept small on purpose: the controls capability owns full ECCN parsing
(``dualuse.reference.ids``); this only stops obvious typos at enrolment.
"""

from __future__ import annotations

import re

from dualuse.errors import InputError

ECCN_RE = re.compile(r"^(?:EAR99|[0-9][A-EY][0-9]{3}(?:\.[a-z0-9]+)*)$")


def normalize_eccn(text: str) -> str:
    """Upper-case the ECCN stem, lower-case its paragraphs; raise if it cannot be one."""
    raw = text.strip().replace(" ", "")
    stem, dot, rest = raw.partition(".")
    value = stem.upper() + (dot + rest.lower() if dot else "")
    if not ECCN_RE.match(value):
        raise InputError(
            f"{text!r} is not an ECCN",
            source="eccn",
            suggestions=["3A090", "4A003", "3A001.a.7", "EAR99"],
        )
    return value
