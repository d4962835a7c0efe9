"""Derive the common organisation words (``src/dualuse/data/names/common_org_words.tsv``)
from word frequencies in real company names and in the bundled lists.

    DUALUSE_SHARED_DATA=/work/shared/data PYTHONPATH=src python -m bench.company_words [--check]

A distinctive-looking word ("energy", "bank", "trust", "properties") is *common* when
unrelated bodies on both sides use it: it is in at least ``--companies`` names of the
tuning half of the real company names (:mod:`bench.companies_data`; the held-out
half is never read here) and in at least ``--listed`` organisations of the bundled
lists. Such a word names no particular body, so a match it carries alone is no
evidence of the listed one. Words of the organisation vocabulary (generic words,
legal forms) are weak already and are left out. ``--check`` compares the file with
a fresh derivation (exit 1 when they differ).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.companies_data import negatives, split
from dualuse.model.party import PartyType
from dualuse.reference.names import NameType, TokenKind, analyze_name
from dualuse.reference.names.common_words import COMMON_WORDS_FILE
from dualuse.services.lists import current_lists
from dualuse.settings import Settings

HEADER = """\
# Common organisation words: distinctive-looking words that unrelated bodies use.
# Derived by bench/company_words.py (do not edit by hand): a NAME word of at least
# {companies} names of the tuning half of the real company names (pytickersymbols {version}
# index constituents, MIT; GLEIF LEI legal names, CC0) and of at least {listed}
# organisations of the bundled lists (us_csl, us_ofac_sdn, us_ofac_cons; public domain).
# Columns: word, real company names using it (of {n_companies}), listed organisations
# using it (of {n_listed}).
"""


def _words(name: str) -> set[str]:
    form = analyze_name(name, NameType.ORGANIZATION)
    return {
        t
        for t, k in zip(form.tokens, form.kinds, strict=True)
        if k is TokenKind.NAME and len(t) > 1 and t.isalpha()
    }


def derive(min_companies: int, min_listed: int) -> str:
    from importlib.metadata import version

    tune, _held_out = split(n for n, _source in negatives())
    companies = Counter(w for name in tune for w in _words(name))
    with tempfile.TemporaryDirectory() as tmp:
        lists = current_lists(Settings(home=Path(tmp) / "home"))
        orgs = [p for p in lists.parties() if p.type is PartyType.ORGANIZATION]
    listed: Counter[str] = Counter()
    for party in orgs:
        words: set[str] = set()
        for name in party.names:
            words |= _words(name.value)
        listed.update(words)
    rows = sorted(
        (w for w, n in companies.items() if n >= min_companies and listed[w] >= min_listed),
        key=lambda w: (-companies[w], -listed[w], w),
    )
    text = HEADER.format(
        companies=min_companies,
        listed=min_listed,
        version=version("pytickersymbols"),
        n_companies=len(tune),
        n_listed=len(orgs),
    )
    return text + "".join(f"{w}\t{companies[w]}\t{listed[w]}\n" for w in rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=2)
    parser.add_argument("--listed", type=int, default=2)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = derive(args.companies, args.listed)
    if args.check:
        same = COMMON_WORDS_FILE.read_text(encoding="utf-8") == text
        print("common_org_words.tsv is up to date" if same else "common_org_words.tsv differs")
        sys.exit(0 if same else 1)
    COMMON_WORDS_FILE.write_text(text, encoding="utf-8")
    print(f"{COMMON_WORDS_FILE}: {text.count(chr(10)) - HEADER.count(chr(10))} words")


if __name__ == "__main__":
    main()
