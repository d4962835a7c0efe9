"""Derive the known English words (``src/dualuse/data/names/english_words.txt.zst``)
from wordfreq's English word frequencies.

    PYTHONPATH=src python -m bench.english_words [--zipf 2.0] [--check]

A word of an organisation's name that English text uses at least once per hundred
million words ("alphabet", "phoenix", "aeon", "experian") is a word readers know
and many firms take for their name; a word rarer than that ("Megvii", "Dahua",
"Sensetime") is a coined name, which one body bears. The name score uses the
difference for one thing only: how much a generic word of the listed name the
query lacks costs (docs/matching.md, "Organisation names"). Kept: lower-case
ASCII words of four letters or more at or above ``--zipf`` (2.0). ``--check``
compares the file with a fresh derivation (exit 1 when they differ).
"""

from __future__ import annotations

import argparse
import sys

import zstandard

from dualuse.reference.names.common_words import ENGLISH_WORDS_FILE

HEADER = """\
# Known English words: lower-case ASCII words of at least 4 letters that English
# text uses at least once per hundred million words (Zipf frequency >= {zipf}).
# Derived by bench/english_words.py (do not edit by hand) from wordfreq {version}
# (https://github.com/rspeer/wordfreq; its word frequency data is licensed
# CC BY-SA 4.0 by Robyn Speer, and this derived list is shared under the same licence).
"""


def derive(zipf: float) -> str:
    from importlib.metadata import version

    from wordfreq import iter_wordlist, zipf_frequency

    words: list[str] = []
    for word in iter_wordlist("en", "best"):
        if zipf_frequency(word, "en") < zipf:
            break
        if word.isascii() and word.isalpha() and word.islower() and len(word) >= 4:
            words.append(word)
    text = HEADER.format(zipf=zipf, version=version("wordfreq"))
    return text + "".join(f"{w}\n" for w in sorted(set(words)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zipf", type=float, default=2.0)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = derive(args.zipf)
    if args.check:
        current = zstandard.ZstdDecompressor().decompress(ENGLISH_WORDS_FILE.read_bytes())
        same = current.decode() == text
        print(f"{ENGLISH_WORDS_FILE.name} is {'up to date' if same else 'different'}")
        sys.exit(0 if same else 1)
    ENGLISH_WORDS_FILE.write_bytes(zstandard.ZstdCompressor(level=19).compress(text.encode()))
    print(f"{ENGLISH_WORDS_FILE}: {text.count(chr(10)) - HEADER.count(chr(10))} words")


if __name__ == "__main__":
    main()
