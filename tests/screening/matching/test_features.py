"""Date-of-birth features on the real UN list: a date one typing slip away from the
listed one lowers an exact name's score but keeps it reviewable; a different date
still pushes it below the threshold."""

from __future__ import annotations

import pytest

from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener

# On the UN list (KPi.038): KU JA HYONG, born 8 September 1957 (a short name: its
# words carry little evidence, so an unconfirmed match is lowered further);
# ABU RUSDAN, born 16 August 1960; KHAWA PANGA MANDRO, born 20 August 1973.
SLIPS = [
    ("KU JA HYONG", "1957-09-08", "1959-09-08"),  # one digit of the year
    ("KU JA HYONG", "1957-09-08", "1958-09-08"),  # the year by one
    ("KU JA HYONG", "1957-09-08", "1957-08-09"),  # day and month swapped
    ("KU JA HYONG", "1957-09-08", "1957-09-03"),  # one digit of the day
    ("ABU RUSDAN", "1960-08-16", "1970-08-16"),  # one digit of the year (ten years)
    ("KHAWA PANGA MANDRO", "1973-08-20", "1963-08-20"),
]


def _best(screener: Screener, name: str, dob: str) -> tuple[float, bool, dict[str, str]]:
    response = screener.screen(
        ScreeningQuery(name=name, type=PartyType.PERSON, birth_date=dob), limit=1
    )
    best = response.matches[0]
    fired = {e.feature: e.description for e in best.explanation if e.value}
    return best.score, best.match, fired


@pytest.mark.parametrize(("name", "listed", "slip"), SLIPS)
def test_a_typing_slip_in_the_date_keeps_an_exact_name_reviewable(
    un_index: Index, name: str, listed: str, slip: str
) -> None:
    screener = Screener(un_index)
    exact, _, _ = _best(screener, name, listed)
    score, match, fired = _best(screener, name, slip)
    assert match, (name, slip, score, fired)
    assert score < exact
    assert "dob_day_mismatch" in fired
    assert "dob_year_mismatch" not in fired
    assert f"{slip} is a typing slip from {listed}" in fired["dob_day_mismatch"]


@pytest.mark.parametrize(
    ("name", "other"),
    [("KU JA HYONG", "1975-03-21"), ("ABU RUSDAN", "1947-02-11"), ("ABU RUSDAN", "1961-09-17")],
)
def test_a_different_date_is_not_a_slip(un_index: Index, name: str, other: str) -> None:
    score, match, fired = _best(Screener(un_index), name, other)
    assert not match, (score, fired)
    assert all("is a typing slip from" not in text for text in fired.values())
