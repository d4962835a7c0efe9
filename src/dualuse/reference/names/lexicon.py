"""The name lexicon: which name symbols a word carries, from a table.

A *symbol* links spellings of one name across scripts and variants: محمد,
Mohammed and Muhammad share ``NAME:Q5837762`` (a Wikidata item); "Bill" carries
``NICK:BILL``; "trading" carries ``SYMBOL:TRADE``. The data is rigour's (MIT; names
from Wikidata, CC0), regenerated into ``data/names/name_lexicon.tsv.zst`` by
:mod:`.lexicon_source`, so that neither building nor querying an index loads
rigour's tagger (500 MiB and seconds of start-up).

The lexicon is held as hashed arrays (sorted 64-bit key hashes -> symbol ids), so
an index can store the part it needs (:meth:`NameLexicon.subset`) and a query looks
words up without building any Python structure at load time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from dualuse.once import load_once
from dualuse.reference.names.scripts import LATIN_OR_NONE, word_script
from dualuse.reference.names.text import clean_text, split_words
from dualuse.reference.names.translit import latinize_word

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "names" / "name_lexicon.tsv.zst"

PERSON = 1
"""Group bit: the symbol applies to person names (given names, surnames, nicknames)."""
ORGANIZATION = 2
"""Group bit: the symbol applies to organisation names (org words, places)."""

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
I8 = npt.NDArray[np.int8]


def key_hash(key: str) -> int:
    """Stable signed 64-bit hash of a lexicon key."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def form_keys(form: str) -> set[str]:
    """The keys a written form is found under: its words joined as written
    (case-folded; "Jong-un" -> ``jongun``) and, for Latin script, ASCII-folded too
    (``muḥammad`` -> ``muhammad``)."""
    words = split_words(clean_text(form))
    if not words:
        return set()
    keys = {"".join(words)}
    if all(word_script(w) in LATIN_OR_NONE for w in words):
        folded = "".join(a for w in words for a, _ in latinize_word(w))
        if folded:
            keys.add(folded)
    return keys


class HashedLexicon:
    """Word key -> symbols as sorted 64-bit key hashes and a CSR of symbol ids: the
    form an index stores (nothing to build when it is loaded)."""

    def __init__(
        self, hashes: I64, offsets: I32, values: I32, symbols: list[str], groups: I8
    ) -> None:
        self.hashes = hashes
        self.offsets = offsets
        self.values = values
        self.symbols = symbols
        self.groups = groups

    def __len__(self) -> int:
        return len(self.hashes)

    @classmethod
    def pack(
        cls, pairs: list[tuple[int, int]], symbols: list[str], groups: list[int]
    ) -> HashedLexicon:
        """From (key hash, symbol id) pairs."""
        arr = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        arr = np.unique(arr, axis=0)
        unique, starts = np.unique(arr[:, 0], return_index=True)
        offsets = np.append(starts, len(arr)).astype(np.int32)
        return cls(
            unique.astype(np.int64),
            offsets,
            arr[:, 1].astype(np.int32),
            symbols,
            np.array(groups, dtype=np.int8),
        )

    def lookup(self, key: str, group_mask: int) -> frozenset[str]:
        """The symbols of a word key (see :func:`form_keys`) in the given groups.
        Not cached here (the lexicon is shared by threads and stays immutable): query
        analysis caches each word's pieces with their symbols already."""
        found: frozenset[str] = frozenset()
        if len(self.hashes):
            wanted = key_hash(key)
            pos = int(self.hashes.searchsorted(wanted))
            if pos < len(self.hashes) and int(self.hashes[pos]) == wanted:
                ids = self.values[self.offsets[pos] : self.offsets[pos + 1]].tolist()
                found = frozenset(self.symbols[s] for s in ids if self.groups[s] & group_mask)
        return found

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The lexicon as named arrays (for storing inside an index file)."""
        names = np.frombuffer("\n".join(self.symbols).encode(), dtype=np.uint8)
        return {
            f"{prefix}hash": self.hashes,
            f"{prefix}off": self.offsets,
            f"{prefix}val": self.values,
            f"{prefix}groups": self.groups,
            f"{prefix}names": names,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> HashedLexicon:
        text = arrays[f"{prefix}names"].tobytes().decode()
        return cls(
            arrays[f"{prefix}hash"],
            arrays[f"{prefix}off"],
            arrays[f"{prefix}val"],
            text.split("\n") if text else [],
            arrays[f"{prefix}groups"],
        )


class NameLexicon:
    """The full lexicon: word key -> symbol ids (parsed on first use of a key)."""

    def __init__(self, keys: dict[str, str], symbols: list[str], groups: list[int]) -> None:
        self._keys = keys
        self.symbols = symbols
        self.groups = groups

    def __len__(self) -> int:
        return len(self._keys)

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> NameLexicon:
        """Read the shipped table (format: see :mod:`.lexicon_source`)."""
        import zstandard

        text = zstandard.ZstdDecompressor().decompress(path.read_bytes()).decode()
        head, _, body = text.partition("\n#keys\n")
        symbols: list[str] = []
        groups: list[int] = []
        for line in head.splitlines()[1:]:
            group, _, symbol = line.partition("\t")
            symbols.append(symbol)
            groups.append(PERSON if group == "p" else ORGANIZATION)
        keys = dict(line.split("\t", 1) for line in body.splitlines() if "\t" in line)
        return cls(keys, symbols, groups)

    def symbol_ids(self, key: str) -> list[int]:
        found = self._keys.get(key)
        return [int(s) for s in found.split(",")] if found else []

    def lookup(self, key: str, group_mask: int) -> frozenset[str]:
        """The symbols of a word key (see :func:`form_keys`) in the given groups."""
        return frozenset(
            self.symbols[s] for s in self.symbol_ids(key) if self.groups[s] & group_mask
        )

    def subset(self, symbols: Iterable[str]) -> HashedLexicon:
        """The part of the lexicon that carries one of ``symbols``, hashed (an index
        keeps only the symbols its names carry: no other symbol can link a query to
        one of its names)."""
        index = {name: i for i, name in enumerate(self.symbols)}
        keep = sorted({index[s] for s in symbols if s in index})
        remap = {str(old): new for new, old in enumerate(keep)}
        pairs: list[tuple[int, int]] = []
        for key, found in self._keys.items():
            if "," not in found:
                if found in remap:
                    pairs.append((key_hash(key), remap[found]))
                continue
            ids = [remap[i] for i in found.split(",") if i in remap]
            if ids:
                hashed = key_hash(key)
                pairs.extend((hashed, i) for i in ids)
        return HashedLexicon.pack(
            pairs, [self.symbols[i] for i in keep], [self.groups[i] for i in keep]
        )


Lexicon = NameLexicon | HashedLexicon
"""Anything that answers :meth:`lookup`."""


@load_once
def default_lexicon() -> NameLexicon:
    """The full shipped lexicon, loaded once per process (about a second and a few
    hundred MB while it loads; see :mod:`dualuse.once` for why not ``lru_cache``)."""
    return NameLexicon.load(DEFAULT_PATH)
