"""The Remarks field of OFAC's legacy files (``sdn.csv``, ``cons_prim.csv``).

OFAC packs structured facts into one ``;``-separated text: ``DOB 10 Dec 1948; POB Giza,
Egypt; nationality Egypt; Passport 1084010 (Egypt); Gender Male; a.k.a. 'ABU FATIMA';
Linked To: JIHAD GROUP.`` The strong aliases live in ``alt.csv``; the ``a.k.a.`` names
in Remarks, written in single quotes, are OFAC's *weak* aliases (OFAC FAQ 91: too broad
to be screened on alone), so they are kept as :attr:`NameKind.WEAK_ALIAS`. A name
written ``weak a.k.a.`` is weak whatever its quotes.
"""

from __future__ import annotations

import re

from dualuse.model.party import NameKind
from dualuse.screening.lists.common import PartyBuilder, clean, gender, parse_dates

# The list's own label for an identifier, and the normalised scheme it maps onto.
# Longest labels are tried first, so "Passport" does not swallow "Diplomatic Passport".
ID_LABELS: dict[str, str] = {
    "Passport": "passport",
    "Diplomatic Passport": "passport",
    "Travel Document Number": "passport",
    "Passport Booklet:": "passport",
    "National ID No.": "national_id",
    "Identification Number": "national_id",
    "Personal ID Card": "national_id",
    "Cedula No.": "national_id",
    "C.U.R.P.": "national_id",
    "C.U.R.P. #": "national_id",
    "D.N.I.": "national_id",
    "Electoral Registry No.": "national_id",
    "Credencial electoral": "national_id",
    "National Foreign ID Number": "national_id",
    "Turkish Identification Number": "national_id",
    "Kenyan ID No.": "national_id",
    "Citizen's Card Number": "national_id",
    "Numero de Identidad": "national_id",
    "Tazkira National ID Card": "national_id",
    "Residency Number": "national_id",
    "Birth Certificate Number": "national_id",
    "Refugee ID Card": "national_id",
    "Driver's License No.": "national_id",
    "SSN": "national_id",
    "I.F.E.": "national_id",
    "C.U.I.P.": "national_id",
    "Tax ID No.": "tax",
    "NIT #": "tax",
    "RUC #": "tax",
    "R.F.C.": "tax",
    "R.F.C. #": "tax",
    "RFC": "tax",
    "RIF #": "tax",
    "V.A.T. Number": "tax",
    "US FEIN": "tax",
    "Italian Fiscal Code": "tax",
    "C.U.I.T.": "tax",
    "C.U.I.": "tax",
    "RTN": "tax",
    "Registration Number": "registration",
    "Registration ID": "registration",
    "Company Number": "registration",
    "UK Company Number": "registration",
    "Business Registration Number": "registration",
    "Business Registration Document #": "registration",
    "Business Number": "registration",
    "Enterprise Number": "registration",
    "Commercial Registry Number": "registration",
    "Government Gazette Number": "registration",
    "C.R. No.": "registration",
    "Romanian C.R.": "registration",
    "Trade License No.": "registration",
    "Unified Social Credit Code (USCC)": "registration",
    "United Social Credit Code Certificate (USCCC)": "registration",
    "Folio Mercantil No.": "registration",
    "Matricula Mercantil No": "registration",
    "Public Registration Number": "registration",
    "Certificate of Incorporation Number": "registration",
    "Economic Register Number (CBLS)": "registration",
    "Registered Charity No.": "registration",
    "Chamber of Commerce Number": "registration",
    "Istanbul Chamber of Comm. No.": "registration",
    "Dubai Chamber of Commerce Membership No.": "registration",
    "Central Registration System Number": "registration",
    "Chinese Commercial Code": "registration",
    "D-U-N-S Number": "registration",
    "BIK (RU)": "registration",
    "License": "registration",
    "Aircraft Tail Number": "registration",
    "Legal Entity Number": "lei",
    "LE Number": "registration",
    "SWIFT/BIC": "swift",
    "ISIN": "isin",
    "MMSI": "mmsi",
    "Vessel Registration Identification": "imo",
    "Aircraft Manufacturer's Serial Number (MSN)": "aircraft_serial",
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "aircraft_serial",
    "Aircraft Serial Identification": "aircraft_serial",
}
_LABELLED = re.compile(
    "^(" + "|".join(re.escape(k) for k in sorted(ID_LABELS, key=len, reverse=True)) + r")\s+(.+)$"
)
EXTRA_LABELS = {
    "Linked To:": "linked_to",
    "Email Address": "email",
    "Website": "website",
    "Phone Number": "phone",
    "Telephone": "phone",
    "Vessel Year of Build": "vessel_build_year",
    "Other Vessel Flag": "vessel_flag",
    "Other Vessel Type": "vessel_type",
    "Other Vessel Call Sign": "call_sign",
    "Aircraft Model": "aircraft_model",
    "Aircraft Operator": "aircraft_operator",
    "Aircraft Manufacture Date": "aircraft_build_date",
    "Organization Established Date": "incorporation_date",
    "Organization Type:": "organization_type",
    "Target Type": "target_type",
}
_EXTRA = re.compile(
    "^("
    + "|".join(re.escape(k) for k in sorted(EXTRA_LABELS, key=len, reverse=True))
    + r")(?:\s+(.*))?$"
)
_NAME = re.compile(r"^(weak\s+)?([afn])\.k\.a\.,?\s+(.*)$", re.IGNORECASE)
_ID_VALUE = re.compile(
    r"^(?P<value>.+?)(?:\s+\((?P<country>[^()]*)\))?"
    r"(?:\s*,?\s+(?:issued|expires|Issue Date|Expire Date|Expiration Date)\b.*)?$"
)
_IMO_IN_VALUE = re.compile(r"^IMO\s+(\d{7})\b")
_CRYPTO = re.compile(r"^Digital Currency Address - (\w+)\s+(\S+)$")


def split_remarks(text: str) -> list[str]:
    """The ``;``-separated parts, without the closing full stop."""
    body = text.strip()
    if body.endswith("."):
        body = body[:-1]
    return [part for raw in re.split(r";\s*", body) if (part := raw.strip())]


def _name(builder: PartyBuilder, match: re.Match[str]) -> None:
    weak_word, kind_letter, raw = match.groups()
    raw = raw.strip().rstrip(".")
    quoted = len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\""
    value = raw[1:-1] if quoted else raw
    if weak_word or (quoted and raw[0] == "'"):
        kind = NameKind.WEAK_ALIAS
    elif kind_letter.lower() == "f":
        kind = NameKind.PREVIOUS_NAME
    else:
        kind = NameKind.ALIAS
    builder.name(value, kind)


def _identifier(builder: PartyBuilder, label: str, rest: str) -> None:
    scheme = ID_LABELS[label]
    if imo := _IMO_IN_VALUE.match(rest):
        builder.identifier("imo", imo.group(1), label=label)
        return
    match = _ID_VALUE.match(rest)
    if match is None:
        return
    value = match.group("value")
    if scheme == "mmsi":
        builder.identifier("mmsi", value, label=label)
        return
    builder.identifier(scheme, value, match.group("country"), label)


def apply_remarks(builder: PartyBuilder, text: str | None) -> None:
    """Read the facts in an OFAC Remarks text into ``builder``; keep the text as remarks."""
    remarks = clean(text)
    if not remarks:
        return
    builder.remarks.append(remarks)
    for raw in split_remarks(remarks):
        part = re.sub(r"^alt\.\s+", "", raw)
        if name := _NAME.match(part):
            _name(builder, name)
        elif part.startswith("DOB "):
            builder.birth_dates.extend(parse_dates(part[4:]))
        elif part.startswith("POB "):
            builder.birth_places.append(clean(part[4:]) or "")
        elif part.startswith("nationality "):
            builder.nationality(part[12:])
        elif part.startswith("citizen "):
            builder.nationality(part[8:])
        elif part.startswith("Gender "):
            builder.gender = gender(part[7:]) or builder.gender
        elif crypto := _CRYPTO.match(part):
            builder.identifier("crypto", crypto.group(2), label=f"{crypto.group(1)} address")
        else:
            _labelled(builder, part)


def _labelled(builder: PartyBuilder, part: str) -> None:
    if match := _LABELLED.match(part):
        _identifier(builder, match.group(1), match.group(2).strip())
    elif match := _EXTRA.match(part):
        key, value = EXTRA_LABELS[match.group(1)], match.group(2) or ""
        if key == "vessel_flag":
            builder.country(value)
        builder.add_extra(key, value)


def add_labelled(builder: PartyBuilder, label: str, value: str, country: str | None) -> None:
    """A fact OFAC states as ``label, value[, country]`` (sdn.xml ``idList``, CSL ``ids``):
    an identifier when the label names one, the gender, or else a kept extra."""
    if label == "Gender":
        builder.gender = gender(value)
        return
    scheme = ID_LABELS.get(label)
    if scheme is None and label.startswith("Digital Currency Address"):
        scheme = "crypto"
    if scheme is None:
        builder.add_extra(label.rstrip(" :-"), value)
        return
    builder.identifier(scheme, value, country, label)
