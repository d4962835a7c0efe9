"""Ranked full-text search over control entries, for a user who knows the product but
not the number.

Documents are CCL entries (heading, item paragraphs, related controls) and EU Annex I
entries (label and text); the heading counts three times. Ranking is Okapi BM25
(k1 = 1.2, b = 0.75) over lower-cased word stems; an exact ECCN in the query ranks its
entry first. Each hit says which words matched and where.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from dualuse.controls.data import ControlData
from dualuse.reference.ids.eccn import ECCN

NAME = "bm25"
K1 = 1.2
B = 0.75
HEADING_WEIGHT = 3
_WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "which",
        "this",
        "that",
        "than",
        "not",
        "any",
        "all",
    ]
)


SPELLING = {
    "fibre": "fiber",
    "fibres": "fibers",
    "licence": "license",
    "centre": "center",
    "metre": "meter",
    "aluminium": "aluminum",
    "analogue": "analog",
}
"""British spellings folded to the CCL's American ones."""


def stem(word: str) -> str:
    """A light English stemmer: plural and common verb endings only."""
    word = SPELLING.get(word, word)
    for suffix, keep in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def tokens(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOP]


@dataclass(frozen=True, slots=True)
class Hit:
    source: str
    """``CCL`` or ``EU Annex I``."""
    code: str
    heading: str
    score: float
    matched: tuple[str, ...]
    snippet: str


@dataclass
class SearchIndex:
    docs: list[tuple[str, str, str, str]]
    """(source, code, heading, body)."""
    postings: dict[str, list[tuple[int, int]]]
    lengths: list[int]
    avg_length: float

    @classmethod
    def build(cls, data: ControlData) -> SearchIndex:
        docs: list[tuple[str, str, str, str]] = []
        for entry in data.ccl.values():
            body = " ".join([*(it.text for it in entry.items), entry.related_controls])
            docs.append(("CCL", entry.eccn, entry.heading, body))
        for eu in data.eu.values():
            if eu.depth == 0:
                docs.append(("EU Annex I", eu.code, eu.label, eu.text))
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = []
        for i, (_src, code, heading, body) in enumerate(docs):
            counts = Counter(tokens(body))
            for t in tokens(heading):
                counts[t] += HEADING_WEIGHT
            counts[code.lower()] += HEADING_WEIGHT
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                postings[term].append((i, tf))
        return cls(docs, dict(postings), lengths, sum(lengths) / max(len(lengths), 1))

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        terms = list(dict.fromkeys(tokens(query)))
        exact = {ECCN.normalize(w) for w in query.split()} - {None}
        n = len(self.docs)
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, list[str]] = defaultdict(list)
        for term in terms:
            plist = self.postings.get(term, [])
            if not plist:
                continue
            idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
            for doc, tf in plist:
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[doc] / self.avg_length))
                scores[doc] += idf * norm
                matched[doc].append(term)
        for i, (_src, code, _h, _b) in enumerate(self.docs):
            if code in exact:
                scores[i] += 100.0
                matched[i].append(code)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.docs[kv[0]][1]))[:limit]
        return [self._hit(i, s, matched[i]) for i, s in ranked]

    def _hit(self, i: int, score: float, matched: list[str]) -> Hit:
        src, code, heading, body = self.docs[i]
        snippet = ""
        for sentence in re.split(r"(?<=[.;:])\s+", body):
            if any(t in tokens(sentence) for t in matched):
                snippet = sentence[:240]
                break
        return Hit(src, code, heading, round(score, 4), tuple(dict.fromkeys(matched)), snippet)
