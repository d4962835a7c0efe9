"""Regenerate the shipped name lexicon from the installed rigour package (a dev tool).

    python -m dualuse.reference.names.lexicon_source [OUT]

rigour (MIT) compiles its name data into its native module as zstd frames: a
``forms => Wikidata id`` table of given names and surnames in many scripts, the
person/organisation symbol tables (nicknames, ``abdul``/``bin``, "trading",
"academy"...) and the territory names. Its tagger loads all of it (about 500 MiB,
several seconds) to answer one question the matcher asks: *which symbols does this
word carry?* We ask that question of a table instead: this tool reads the same data
once and writes every form under our own key normalisation, so screening never
needs rigour's tagger. Not imported at run time.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

from dualuse.reference.names.lexicon import DEFAULT_PATH, form_keys
from dualuse.reference.names.scripts import HAN_OR_HANGUL, Script, word_script
from dualuse.reference.names.translit import _hangul_syllable, latinize_word

_MAGIC = b"\x28\xb5\x2f\xfd"


def _frames() -> Iterator[bytes]:
    """Every zstd frame compiled into rigour's native module, decompressed."""
    import rigour._core as core  # type: ignore[import-untyped, unused-ignore]
    import zstandard

    blob = Path(str(core.__file__)).read_bytes()
    start = blob.find(_MAGIC)
    while start >= 0:
        try:
            decompressor = zstandard.ZstdDecompressor().decompressobj()
            yield decompressor.decompress(blob[start : start + 64_000_000])
        except zstandard.ZstdError:
            pass
        start = blob.find(_MAGIC, start + 1)


def _records() -> Iterator[tuple[str, str, list[str]]]:
    """(group, symbol, forms): group ``p`` applies to person names, ``o`` to
    organisation names (unknown names use both)."""
    seen: set[str] = set()
    for frame in _frames():
        text = frame.decode("utf-8", errors="replace")
        head = text.lstrip()[:40]
        if " => Q" in text[:2000] and "names" not in seen:
            seen.add("names")
            for line in text.splitlines():
                forms, _, qid = line.rpartition(" => ")
                if forms and qid:
                    yield "p", f"NAME:{qid.strip()}", forms.split(", ")
        elif head.startswith('{\n  "org_domains"') and "symbols" not in seen:
            seen.add("symbols")
            data = json.loads(text)
            for section, group, category in (
                ("person_nick", "p", "NICK"),
                ("person_symbols", "p", "SYMBOL"),
                ("org_symbols", "o", "SYMBOL"),
                ("org_domains", "o", "DOMAIN"),
            ):
                for name, forms in data.get(section, {}).items():
                    yield group, f"{category}:{name}", list(forms)
        elif head.startswith('{"name":') and "territories" not in seen:
            seen.add("territories")
            for line in text.splitlines():
                record = json.loads(line)
                names: list[str] = [str(record.get("name") or "")]
                names += [str(x) for x in record.get("names_strong") or []]
                names += [str(x) for x in record.get("names_weak") or []]
                yield "o", f"LOC:{record['code']}", names
    missing = {"names", "symbols", "territories"} - seen
    if missing:
        raise SystemExit(f"rigour data not found: {sorted(missing)}")


def _readings(char: str) -> set[str]:
    """Our own romanisations of one Han character or Hangul syllable."""
    readings = {a for a, _ in latinize_word(char, split=False)}
    if word_script(char) is Script.HANGUL:
        readings.add(_hangul_syllable(char))
    return readings


def _plausible_forms(symbol: str, forms: list[str]) -> list[str]:
    """Drop a single Han character or Hangul syllable from a name item none of whose
    Latin spellings is that character's own reading: 李 is a form of the Japanese
    given name "Momo" (a kun reading), which must not make 李 (Li) match "Momo";
    it stays a form of the items spelt "Li"/"Lee"/"Ri"."""
    if not symbol.startswith("NAME:"):
        return forms
    latin = {key for form in forms if form.isascii() for key in form_keys(form)}
    kept: list[str] = []
    for form in forms:
        short = len(form) == 1 and word_script(form) in HAN_OR_HANGUL
        if short and not (_readings(form) & latin):
            continue
        kept.append(form)
    return kept


def main(argv: list[str] | None = None) -> None:
    import zstandard

    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_PATH
    symbols: list[str] = ["#symbols"]
    keys: dict[str, list[int]] = {}
    for group, symbol, forms in _records():
        found = {key for form in _plausible_forms(symbol, forms) for key in form_keys(form)}
        if not found:
            continue
        sid = len(symbols) - 1
        symbols.append(f"{group}\t{symbol}")
        for key in found:
            keys.setdefault(key, []).append(sid)
    body = [f"{key}\t{','.join(map(str, ids))}" for key, ids in sorted(keys.items())]
    payload = ("\n".join([*symbols, "#keys", *body]) + "\n").encode()
    out.write_bytes(zstandard.ZstdCompressor(level=19).compress(payload))
    print(f"{len(symbols) - 1} symbols, {len(payload)} bytes -> {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
