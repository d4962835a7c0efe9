"""The name vocabulary as cited data: legal forms, honorifics, particles, organisation
words, abbreviations, spelling variants and organisation types, read from the YAML
files in ``dualuse/data/names`` and validated (a malformed file is an
:class:`~dualuse.errors.InputError` naming the file and the entry).

Each list gives its source, and each group of words the reason it is there. Where
rigour (a pinned dependency) already holds a word, the file takes it from rigour
instead of repeating it: rigour's person-name prefixes and stopwords (single Latin
words, ASCII-folded) less the words listed under ``except``, and rigour's generic
legal form of the words listed under ``rigour``. What dualuse adds to rigour is listed
in ``groups``; the loader refuses an addition rigour already has.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from dualuse.errors import InputError
from dualuse.once import load_once

Shape = Literal["words", "forms"]

FILES: dict[str, dict[str, tuple[Shape, frozenset[str] | None]]] = {
    "legal_forms.yaml": {
        "legal_forms": ("forms", frozenset({"llc", "jsc", "llp", "lp", "corp", "co"})),
        "multiword_legal_forms": ("forms", frozenset({"llc", "jsc"})),
        "cjk_legal_suffixes": ("forms", frozenset({"llc", "jsc", "co"})),
        "person_safe_legal_forms": ("words", None),
        "rigour_generic_forms": ("words", None),
        "legal_form_words": ("words", None),
    },
    "person_words.yaml": {
        "honorific_prefixes": ("words", None),
        "name_honorifics": ("words", None),
        "particles": ("words", None),
    },
    "org_words.yaml": {
        "generic_org_words": ("words", None),
        "org_abbreviations": ("forms", None),
        "spelling_variants": ("forms", None),
        "connectors": ("words", None),
    },
    "org_types.yaml": {
        "org_type_phrases": ("forms", None),
        "org_type_kinds": ("forms", frozenset({"legal", "generic"})),
    },
}
"""Each file's lists: their shape (a list of words, or words mapped to a form) and the
forms allowed, where the code gives them a meaning."""

_RIGOUR_LISTS = ("person_name_prefixes", "stopwords")
_WORD = re.compile(r"[^\s]+( [^\s]+)*")
_LATIN_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Every list of the files, by name: words in file order, forms as mappings."""

    words: Mapping[str, tuple[str, ...]]
    forms: Mapping[str, dict[str, str]]


@load_once
def vocabulary() -> Vocabulary:
    """The packaged vocabulary (read once, as package resources)."""
    words: dict[str, tuple[str, ...]] = {}
    forms: dict[str, dict[str, str]] = {}
    for name in FILES:
        text = resources.files("dualuse").joinpath("data", "names", name).read_text("utf-8")
        for list_name, value in parse_file(name, text).items():
            if isinstance(value, dict):
                forms[list_name] = value
            else:
                words[list_name] = value
    return Vocabulary(words, forms)


def parse_file(name: str, text: str) -> dict[str, tuple[str, ...] | dict[str, str]]:
    """The lists of one vocabulary file, validated against :data:`FILES`."""
    import yaml

    source = f"dualuse/data/names/{name}"
    spec = FILES.get(name)
    if spec is None:
        raise InputError("not a vocabulary file", source=source, suggestions=sorted(FILES))
    try:
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", source=source) from None
    if not isinstance(doc, Mapping) or doc.get("schema") != 1:
        raise InputError("expected a mapping with 'schema: 1' and 'lists:'", source=source)
    lists = doc.get("lists")
    if not isinstance(lists, Mapping) or set(lists) != set(spec):
        found = sorted(lists) if isinstance(lists, Mapping) else []
        raise InputError(f"'lists' must hold exactly {sorted(spec)}, found {found}", source=source)
    out: dict[str, tuple[str, ...] | dict[str, str]] = {}
    for list_name, (shape, allowed) in spec.items():
        out[list_name] = _parse_list(lists[list_name], shape, allowed, source, list_name)
    return out


def _parse_list(
    raw: Any, shape: Shape, allowed: frozenset[str] | None, source: str, where: str
) -> tuple[str, ...] | dict[str, str]:
    def bad(message: str, location: str = where) -> InputError:
        return InputError(message, source=source, location=location)

    if not isinstance(raw, Mapping):
        raise bad("a list must be a mapping with 'source' and 'groups'")
    for key in ("source", "text"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise bad(f"missing '{key}'")
    groups = raw.get("groups")
    if not isinstance(groups, list):
        raise bad("'groups' must be a list")
    taken = _from_rigour(raw.get("rigour"), shape, f"{where}.rigour", bad)
    forms: dict[str, str] = dict(taken) if isinstance(taken, dict) else {}
    for word, form in forms.items():
        if allowed is not None and form not in allowed:
            raise bad(f"rigour reads {word!r} as {form!r}, not one of {sorted(allowed)}")
    words: list[str] = list(taken) if isinstance(taken, tuple) else []
    seen = set(forms) | set(words)
    for g, group in enumerate(groups):
        at = f"{where}.groups[{g}]"
        if not isinstance(group, Mapping) or not str(group.get("reason") or "").strip():
            raise bad("a group must be a mapping with a 'reason'", at)
        entries = _entries(group, shape, at, bad)
        for key, (word, form) in entries:
            if word in seen:
                raise bad(f"{word!r} is listed twice (or rigour has it already)", key)
            seen.add(word)
            if shape == "words":
                words.append(word)
                continue
            if allowed is not None and form not in allowed:
                raise bad(f"unknown form {form!r} (one of {sorted(allowed)})", key)
            if taken and _rigour_form(word) == form:
                raise bad(f"rigour already gives {word!r} the form {form!r}: list it there", key)
            forms[word] = form
    return tuple(words) if shape == "words" else forms


def _entries(
    group: Mapping[str, Any], shape: Shape, at: str, bad: Callable[[str, str], InputError]
) -> list[tuple[str, tuple[str, str]]]:
    """(location, (word, form)) of each entry of a group, each word checked."""
    field = "words" if shape == "words" else "forms"
    items = group.get(field)
    pairs: list[tuple[Any, Any]]
    if shape == "words" and isinstance(items, list):
        pairs = [(w, "") for w in items]
    elif shape == "forms" and isinstance(items, Mapping):
        pairs = list(items.items())
    else:
        kind = "list" if shape == "words" else "mapping"
        raise bad(f"'{field}' must be a {kind}", at)
    out: list[tuple[str, tuple[str, str]]] = []
    for i, (word, form) in enumerate(pairs):
        key = f"{at}.{field}[{i}]" if shape == "words" else f"{at}.{field}[{word!r}]"
        if not _is_word(word) or (shape == "forms" and not _is_word(form)):
            raise bad("entries must be lower-case words, single-spaced", key)
        out.append((key, (sys.intern(word), sys.intern(str(form)))))
    return out


def _is_word(value: Any) -> bool:
    return isinstance(value, str) and value == value.lower() and bool(_WORD.fullmatch(value))


def _from_rigour(
    raw: Any, shape: Shape, where: str, bad: Callable[[str, str], InputError]
) -> tuple[str, ...] | dict[str, str]:
    """The words a list takes from rigour: a rigour list less its exceptions
    (``list:``, ``except:``) or rigour's generic legal form of each word (``words:``)."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise bad("'rigour' must be a mapping", where)
    if shape == "forms":
        return _rigour_generic(raw, where, bad)
    if raw.get("list") not in _RIGOUR_LISTS:
        raise bad(f"'list' must be one of {list(_RIGOUR_LISTS)}", where)
    offered = rigour_words(str(raw["list"]))
    excluded: set[str] = set()
    for g, group in enumerate(raw.get("except") or ()):
        at = f"{where}.except[{g}]"
        if not isinstance(group, Mapping) or not str(group.get("reason") or "").strip():
            raise bad("an exception group must be a mapping with a 'reason'", at)
        for key, (word, _) in _entries(group, "words", at, bad):
            if word not in offered:
                raise bad(f"{word!r} is not in rigour's {raw['list']}", key)
            excluded.add(word)
    return tuple(w for w in offered if w not in excluded)


def _rigour_generic(
    raw: Mapping[str, Any], where: str, bad: Callable[[str, str], InputError]
) -> dict[str, str]:
    if not str(raw.get("reason") or "").strip():
        raise bad("missing 'reason'", where)
    out: dict[str, str] = {}
    for key, (word, _) in _entries(raw, "words", where, bad):
        form = _rigour_form(word)
        if form is None:
            raise bad(f"rigour gives {word!r} no generic legal form", key)
        out[word] = form
    return out


def _rigour_form(word: str) -> str | None:
    """rigour's generic legal form of a word that is one whole form, if any."""
    from rigour.names import extract_org_types

    found = extract_org_types(word, generic=True)
    if len(found) != 1 or found[0][0] != word:
        return None
    return sys.intern(found[0][1])


@lru_cache(maxsize=4)
def rigour_words(list_name: str) -> tuple[str, ...]:
    """A rigour word list reduced to single Latin words, ASCII-folded and lower-case
    (``"Capt."`` -> ``capt``, ``"Präsident"`` -> ``prasident``), in rigour's order."""
    from normality import ascii_text
    from rigour import _core

    read: Callable[[], list[str]] = getattr(_core, f"{list_name}_list")
    out: dict[str, None] = {}
    for entry in read():
        if any(ord(c) >= 0x250 for c in entry):  # beyond Latin: not a token of ours
            continue
        word = ascii_text(entry).lower().rstrip(".")
        if _LATIN_WORD.fullmatch(word):
            out[sys.intern(word)] = None
    return tuple(out)
