"""What the name score needs to know of one analysed name beyond its tokens, worked
out once per name and kept (:func:`name_shape`): its token weights, its strong,
number and patronymic words, and its runs of 2-5 tokens written together or as
initials. A listed name meets many queries and a query name many listed names;
working these out again for every pair was a third of the name score's time.

Runs are looked up by the word they would spell, on demand: ``joined("jeanclaude")``
is the first run (by size, then start) written together as "jeanclaude", found by
reading only the runs whose first token begins the word; ``initials("jc")`` is the
first run whose initials spell it. Nothing is laid out ahead: most listed names
meet one query, and most pairs of names need no run at all.
"""

from __future__ import annotations

from functools import lru_cache

from dualuse.reference.names import NameForm, TokenKind

__all__ = ["STRONG_KINDS", "NameShape", "Run", "Runs", "name_shape"]

Run = tuple[tuple[int, ...], str]
"""Token positions of a run, and its tokens written together."""

STRONG_KINDS = frozenset({TokenKind.NAME, TokenKind.NUMBER})
"""Token roles that carry a match (name and number words)."""
_JOINABLE = {TokenKind.NAME, TokenKind.PARTICLE}
_PATRONYMIC = {"bin", "ben", "ibn", "bint", "binti", "ould", "bn"}


class Runs:
    """A name's runs of tokens, looked up by what they spell (see the module
    docstring). Nothing is built ahead: a lookup reads the few runs that can spell
    the word, which costs less than laying out every run of a name that a query
    meets once."""

    __slots__ = ("_joinable", "_kinds", "_letters", "_tokens")

    def __init__(self, tokens: tuple[str, ...], kinds: tuple[TokenKind, ...]) -> None:
        self._tokens = tokens
        self._kinds = kinds
        self._letters: str | None = None
        self._joinable: tuple[Run, ...] | None = None

    def joined(self, word: str) -> tuple[int, ...] | None:
        """The first run of 2-3 tokens (by size, then start) written together as
        ``word``."""
        tokens, kinds = self._tokens, self._kinds
        n = len(tokens)
        for size in (2, 3):
            for start in range(n - size + 1):
                if word.startswith(tokens[start]) and "".join(tokens[start : start + size]) == word:
                    if TokenKind.LEGAL in kinds[start : start + size]:
                        continue  # "MLP" is not "M" and a partnership ("LP")
                    return tuple(range(start, start + size))
        return None

    def initials(self, word: str) -> tuple[int, ...] | None:
        """The first run of 2-5 tokens (by start) whose initials spell ``word``."""
        size = len(word)
        if not 2 <= size <= 5:
            return None
        if self._letters is None:
            self._letters = "".join([t[0] for t in self._tokens])
        start = self._letters.find(word)
        return None if start < 0 else tuple(range(start, start + size))

    @property
    def joinable(self) -> tuple[Run, ...]:
        """Runs of 2-3 name tokens of 2+ letters, by size then start (the run's word
        starts with its first token's letter)."""
        if self._joinable is None:
            tokens = self._tokens
            ok = [k in _JOINABLE and len(t) > 1 for t, k in zip(tokens, self._kinds, strict=True)]
            self._joinable = tuple(
                (tuple(range(start, start + size)), "".join(tokens[start : start + size]))
                for size in (2, 3)
                for start in range(len(tokens) - size + 1)
                if ok[start] and ok[start + 1] and (size == 2 or ok[start + 2])
            )
        return self._joinable


class NameShape:
    """Derived facts of one name (read-only by convention; shared between
    comparisons). A plain class: it is made for every new name a query meets, and
    a frozen dataclass's field-by-field construction cost a fifth of that. The
    runs are worked out on first use: most pairs of names need none."""

    __slots__ = (
        "_form",
        "_runs",
        "latin",
        "numbers",
        "patronymic",
        "roles",
        "run_letters",
        "strong",
        "weights",
    )

    weights: tuple[float, ...]
    """Each token's weight from its role (:func:`.name_params.kind_weights`)."""
    strong: tuple[bool, ...]
    """Each token is a name or number word."""
    numbers: tuple[int, ...]
    """Positions of number tokens."""
    roles: tuple[bool, ...]
    """Each token follows a patronymic particle (bin, ben, ibn)."""
    patronymic: bool
    """Some token follows a patronymic particle."""
    latin: bool
    """:attr:`NameForm.latin`."""
    run_letters: str
    """First letters of the tokens a run of two or more can start with (a run
    spells only words that start with its first letter)."""

    def __init__(self, form: NameForm, weights_by_kind: tuple[float, ...]) -> None:
        tokens, kinds = form.tokens, form.kinds
        n = len(tokens)
        self._form = form
        self._runs: Runs | None = None
        self.weights = tuple([weights_by_kind[k] for k in kinds])
        self.strong = tuple([k in STRONG_KINDS for k in kinds])
        self.numbers = (
            tuple([i for i, k in enumerate(kinds) if k is TokenKind.NUMBER])
            if TokenKind.NUMBER in kinds
            else ()
        )
        self.latin = form.latin
        self.run_letters = "".join([t[0] for t in tokens[:-1]])
        roles = [False] * n
        for index in range(n - 1):
            if tokens[index] in _PATRONYMIC:
                roles[index + 1] = True
        self.roles = tuple(roles)
        self.patronymic = True in roles

    def runs(self) -> Runs:
        """The name's runs (worked out on first use, then kept)."""
        if self._runs is None:
            self._runs = Runs(self._form.tokens, self._form.kinds)
        return self._runs


@lru_cache(maxsize=32_768)
def name_shape(form: NameForm, weights_by_kind: tuple[float, ...]) -> NameShape:
    """The shape of ``form`` with token weights from ``weights_by_kind`` (indexed by
    :class:`TokenKind`). Cached: forms compare by identity and are themselves kept
    by the index and the query analysis."""
    return NameShape(form, weights_by_kind)
