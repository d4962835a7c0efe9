"""The screener: retrieval from an :class:`Index`, scoring by an algorithm, and
explained, ordered results. The one entry point the service layer calls.

One screener serves many threads at once: the index is immutable, and each query
(or batch chunk) borrows a :class:`Workspace` that no other query is using."""

from __future__ import annotations

import gc
import heapq
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from dualuse.errors import InputError
from dualuse.model.screening import MatchResult, ScreeningQuery, ScreeningResponse
from dualuse.reference.names import NameForm
from dualuse.screening.matching.algorithms import Algorithm, Scored, get_algorithm
from dualuse.screening.matching.entities import entity_results
from dualuse.screening.matching.features import Comparison
from dualuse.screening.matching.names.name_params import DEFAULT_PARAMS, NameParams
from dualuse.screening.matching.ranking import sole_word, typo_demotions
from dualuse.screening.matching.retrieval.index import Index
from dualuse.screening.matching.workspace import DEFAULT_SIZES, CacheSizes, Workspace

BATCH_CHUNK = 256
"""Queries whose words :meth:`Screener.screen_many` looks up in the index at once."""
_NAME_FEATURES = {"name_match", "weak_alias_match"}


class Screener:
    """Screens queries against one index with one algorithm.

    ``algorithm`` is an algorithm NAME or class (default: the default algorithm);
    ``threshold`` overrides the algorithm's default threshold; ``cache_sizes``
    bound each workspace's caches.
    """

    def __init__(
        self,
        index: Index,
        algorithm: str | type[Algorithm] | None = None,
        *,
        threshold: float | None = None,
        params: NameParams = DEFAULT_PARAMS,
        cache_sizes: CacheSizes = DEFAULT_SIZES,
    ) -> None:
        self.index = index
        self.algorithm = algorithm if isinstance(algorithm, type) else get_algorithm(algorithm)
        self.threshold = self._check_threshold(threshold)
        self.params = params
        self.cache_sizes = cache_sizes
        self._idle: list[Workspace] = []
        """Workspaces no query is using; as many exist as queries ever ran at once."""
        self._name_features = any(
            ft.func.__name__ in _NAME_FEATURES and not ft.qualifier
            for ft in self.algorithm.FEATURES
        )

    def _check_threshold(self, threshold: float | None) -> float:
        if threshold is None:
            return self.algorithm.THRESHOLD
        if not 0.0 <= float(threshold) <= 1.0:
            raise InputError(f"threshold {threshold} is not in [0, 1]", source="threshold")
        return float(threshold)

    def screen(
        self,
        query: ScreeningQuery,
        *,
        threshold: float | None = None,
        limit: int = 10,
        explain: bool = True,
    ) -> ScreeningResponse:
        """Screen one query; results best first, at most ``limit``. Without
        ``explain`` the results carry no feature explanation (batch files have no
        column for one) and are not scored a second time to build it."""
        forms = self.index.query_forms(query.name or "", query.type)
        with self._workspace() as work:
            return self._screen(
                query, forms, work, threshold=threshold, limit=limit, explain=explain
            )

    @contextmanager
    def _workspace(self) -> Iterator[Workspace]:
        """Lend a workspace no one else is using (the most recently returned, whose
        caches are warmest), or a new one; take it back afterwards. ``list.pop``
        and ``list.append`` are atomic, so no lock is needed."""
        try:
            work = self._idle.pop()
        except IndexError:
            work = Workspace(self.cache_sizes)
        try:
            yield work
        finally:
            self._idle.append(work)

    def _screen(
        self,
        query: ScreeningQuery,
        forms: tuple[NameForm, ...],
        work: Workspace,
        *,
        threshold: float | None,
        limit: int,
        explain: bool,
    ) -> ScreeningResponse:
        """:meth:`screen` of a query whose name is analysed already (``forms``)."""
        cut = self.threshold if threshold is None else self._check_threshold(threshold)
        if limit < 1:
            raise InputError(f"limit {limit} is below 1", source="limit")
        warnings: list[str] = []
        if not any(form.tokens for form in forms) and not query.identifiers:
            warnings.append("the query name has no letters or digits to compare")
            return ScreeningResponse(
                query, cut, self.algorithm.NAME, (), self.index.version, tuple(warnings)
            )
        unknown = [x for x in query.lists if x not in self.index.lists]
        if unknown:
            warnings.append(f"lists not in the index: {', '.join(unknown)}")
        candidates = self.index.retrieve(
            forms,
            party_type=query.type,
            lists=query.lists,
            identifiers=[i.value for i in query.identifiers],
            params=self.params,
            work=work,
        )
        ranked: list[tuple[float, str, str, int, Comparison, Scored]] = []
        # Best bound first. Once `limit` results are in, a party whose bound (plus
        # the most the qualifiers can add) can neither beat the limit-th score nor
        # reach the threshold is not scored: no match is ever lost, and results
        # below the threshold are the best of the parties scored.
        # a query of one distinctive word scores every candidate: the ranking rule
        # below must see the parties that hold the word exactly, whatever their bound
        sole = sole_word(forms)
        prune = self._name_features and not query.identifiers and sole is None
        features = self.algorithm.active(query)
        gain = self.algorithm.gain(query, features)
        top: list[float] = []
        # when every candidate will be returned (no more than `limit`), the ranking
        # pass builds the explanations too, instead of scoring the results again
        explained = explain and len(candidates) <= limit
        ordered = sorted(candidates, key=lambda c: (-c.bound, -c.retrieval_score))
        # the first `limit` candidates are always scored: read their names together
        self.index.name_forms([n for c in ordered[:limit] for n in c.names], work)
        for candidate in ordered:
            if prune and len(top) >= limit and candidate.bound + gain < max(top[0], cut):
                break
            record = self.index.record(candidate.party, work)
            names = tuple(
                [(self.index.name_form(n, work), self.index.name_kind(n)) for n in candidate.names]
            )
            ctx = Comparison(
                query, forms, record, names, self.params, work.similarities, explain=explained
            )
            scored = self.algorithm.score(ctx, features)
            score = scored.score
            if score > 0.0:
                ranked.append(
                    (score, record.list_id, record.entry_id, candidate.party, ctx, scored)
                )
                if len(top) < limit:
                    heapq.heappush(top, score)
                elif score > top[0]:
                    heapq.heapreplace(top, score)
        # matches first; within each band, a typo of a one-word query's word ranks
        # below the parties that hold the word exactly (see :mod:`.ranking`)
        demoted = typo_demotions(sole, [r[4] for r in ranked])
        order = sorted(
            range(len(ranked)),
            key=lambda i: (ranked[i][0] < cut, demoted[i], -ranked[i][0], ranked[i][1:3]),
        )
        ranked = [ranked[i] for i in order]
        results: list[tuple[int, MatchResult]] = []
        for _score, _list, _entry, party, ctx, scored in ranked[:limit]:
            record = ctx.party
            if explain and not explained:
                ctx.explain = True
                scored = self.algorithm.score(ctx, features)
            entity = self.index.record(self.index.entity_of(party), work).party_id
            result = MatchResult(
                score=round(scored.score, 4),
                match=scored.score >= cut,
                party_id=record.party_id,
                list_id=record.list_id,
                list_version=record.list_version,
                entry_id=record.entry_id,
                name=record.caption,
                matched_name=scored.matched_name or record.caption,
                type=record.type,
                programs=record.programs,
                listed_on=record.listed_on,
                algorithm=self.algorithm.NAME,
                explanation=scored.explanation,
                sublist=record.sublist,
                license_requirement=record.license_requirement,
                license_policy=record.license_policy,
                source_url=record.source_url,
                entity_id=entity,
            )
            results.append((party, result))
        return ScreeningResponse(
            query,
            cut,
            self.algorithm.NAME,
            tuple([result for _, result in results]),
            self.index.version,
            tuple(warnings),
            entity_results(self.index, results, work),
        )

    def screen_many(
        self,
        queries: Iterable[ScreeningQuery],
        *,
        threshold: float | None = None,
        limit: int = 10,
        explain: bool = True,
    ) -> list[ScreeningResponse]:
        """Screen queries in order (one process; the service layer parallelises).
        The words of each chunk of :data:`BATCH_CHUNK` queries are looked up in the
        index together: the same results as :meth:`screen` one by one, faster."""
        pending = list(queries)
        responses: list[ScreeningResponse] = []
        for start in range(0, len(pending), BATCH_CHUNK):
            chunk = pending[start : start + BATCH_CHUNK]
            analysed = [self.index.query_forms(q.name or "", q.type) for q in chunk]
            with self._workspace() as work:
                self.index.prefetch((form for forms in analysed for form in forms), work)
                with _cyclic_gc_paused():
                    responses.extend(
                        self._screen(
                            q, forms, work, threshold=threshold, limit=limit, explain=explain
                        )
                        for q, forms in zip(chunk, analysed, strict=True)
                    )
        return responses


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector for one chunk of a batch. Screening makes
    many short-lived, acyclic objects (freed by reference counting), and every
    collection would walk the caches of forms and records: 20-30 % of a batch's
    time, measured. It runs again between chunks, so no cycle outlives a chunk."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
