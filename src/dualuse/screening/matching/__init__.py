"""Matching: retrieval from a persisted index and explained scoring.

Public API (stable; the service layer builds on it):

* :func:`build_index` ``(parties, *, version="") -> Index``
* :class:`Index`: ``save(path)`` (atomic), ``Index.load(path)``, ``version``,
  ``retrieve(...)`` (bounded candidates), ``query_forms(name, type)``,
  ``len(index)`` (parties); :class:`IndexFormatError` (an :class:`InputError`)
  when a file has an older index format and must be rebuilt
* :class:`Screener` ``(index, algorithm=None, *, threshold=None)`` with
  ``screen(query, *, threshold=None, limit=10, explain=True) -> ScreeningResponse`` and
  ``screen_many(queries, *, threshold=None, limit=10, explain=True) -> list[ScreeningResponse]``
* :data:`ALGORITHMS`, :func:`get_algorithm` ``(name=None)``,
  :data:`DEFAULT_ALGORITHM`; each algorithm has ``NAME``, ``THRESHOLD``,
  ``FEATURES`` and ``describe()``.
* :func:`compare_names` for pairs of analysed names
  (:func:`dualuse.reference.names.analyze_name`).
"""

from __future__ import annotations

from dualuse.screening.matching.algorithms import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    Algorithm,
    Feature,
    get_algorithm,
)
from dualuse.screening.matching.names.compare import NameScore, compare_names
from dualuse.screening.matching.names.name_params import NameParams
from dualuse.screening.matching.retrieval.candidates import Candidate
from dualuse.screening.matching.retrieval.index import Index, IndexFormatError
from dualuse.screening.matching.retrieval.index_build import build_index
from dualuse.screening.matching.screener import Screener

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "Algorithm",
    "Candidate",
    "Feature",
    "Index",
    "IndexFormatError",
    "NameParams",
    "NameScore",
    "Screener",
    "build_index",
    "compare_names",
    "get_algorithm",
]
