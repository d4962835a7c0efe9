"""Transliteration of one word into lower-case ASCII, script by script.

* Latin: diacritics removed (``ß`` -> ``ss``, ``ø`` -> ``o``...) via ICU.
* Cyrillic, Greek, Armenian, Georgian: rigour's ``maybe_ascii`` common spellings
  (Шевченко -> shevchenko, not sevcenko).
* Arabic, Persian, Urdu, Pashto: a letter table with the long vowels written
  (محمد -> mhmd, علي -> ali); abjads omit short vowels, so such words are compared
  by consonant skeleton (see :mod:`.phonetic`), not letter by letter.
* Hebrew: a letter table in the same spirit.
* Hangul: syllables romanised in the McCune-Reischauer manner without diacritics
  (as the DPRK entries on the lists are written), common surnames by their usual
  spelling.
* Han: Mandarin pinyin via ICU ``Han-Latin/Names`` (surname readings).
* Kana and everything else: ICU ``Any-Latin`` through normality.

All functions are pure and cached; none raises on any input.
"""

from __future__ import annotations

from functools import lru_cache

import normality
from rigour.text.translit import maybe_ascii

from dualuse.once import load_once
from dualuse.reference.names.scripts import Script, word_script

_ARABIC = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ٱ": "a",
    "ء": "",
    "ئ": "",
    "ؤ": "u",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "و": "u",
    "ي": "i",
    "ى": "a",
    # Persian, Urdu, Pashto letters
    "پ": "p",
    "چ": "ch",
    "ژ": "zh",
    "گ": "g",
    "ک": "k",
    "ی": "i",
    "ے": "e",
    "ۍ": "ai",
    "ٹ": "t",
    "ڈ": "d",
    "ڑ": "r",
    "ں": "n",
    "ھ": "h",
    "ہ": "h",
    "ۀ": "e",
    "ې": "e",
    "ښ": "kh",
    "ږ": "zh",
    "ځ": "dz",
    "څ": "ts",
    "ډ": "d",
    "ړ": "r",
    "ڼ": "n",
    "ګ": "g",
    "ڤ": "v",
    "ڨ": "g",
    "ﻻ": "la",
}
_ARABIC_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}
_HEBREW = {
    "א": "",
    "ב": "b",
    "ג": "g",
    "ד": "d",
    "ה": "h",
    "ו": "o",
    "ז": "z",
    "ח": "kh",
    "ט": "t",
    "י": "i",
    "כ": "k",
    "ך": "kh",
    "ל": "l",
    "מ": "m",
    "ם": "m",
    "נ": "n",
    "ן": "n",
    "ס": "s",
    "ע": "",
    "פ": "p",
    "ף": "f",
    "צ": "ts",
    "ץ": "ts",
    "ק": "k",
    "ר": "r",
    "ש": "sh",
    "ת": "t",
}

# Hangul: initial, medial and final jamo in Unicode order.
_H_INITIAL = [
    "k",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "p",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_H_MEDIAL = [
    "a",
    "ae",
    "ya",
    "yae",
    "o",
    "e",
    "yo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "u",
    "ui",
    "i",
]
_H_FINAL = [
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "p",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
]
# Common Korean surnames by their usual Latin spelling (a romaniser gets them wrong).
_KOREAN_SURNAMES = {
    "김": "kim",
    "이": "lee",
    "리": "ri",
    "박": "pak",
    "최": "choe",
    "정": "jong",
    "강": "kang",
    "조": "cho",
    "윤": "yun",
    "장": "jang",
    "임": "lim",
    "림": "rim",
    "한": "han",
    "오": "oh",
    "서": "so",
    "신": "shin",
    "권": "kwon",
    "황": "hwang",
    "안": "an",
    "송": "song",
    "류": "ryu",
    "유": "yu",
    "홍": "hong",
    "전": "jon",
    "고": "ko",
    "문": "mun",
    "양": "yang",
    "손": "son",
    "배": "pae",
    "백": "paek",
    "허": "ho",
    "남": "nam",
    "심": "sim",
    "노": "no",
    "로": "ro",
    "하": "ha",
    "곽": "kwak",
    "성": "song",
    "차": "cha",
    "주": "ju",
    "우": "u",
    "구": "ku",
    "민": "min",
    "나": "na",
    "라": "ra",
    "진": "jin",
    "지": "ji",
    "엄": "om",
    "채": "chae",
    "원": "won",
    "천": "chon",
    "방": "pang",
    "공": "kong",
    "현": "hyon",
    "함": "ham",
    "변": "pyon",
    "염": "yom",
    "여": "yo",
    "추": "chu",
    "도": "do",
    "석": "sok",
    "선": "son",
    "설": "sol",
    "마": "ma",
    "길": "kil",
    "연": "yon",
    "위": "wi",
    "표": "pyo",
    "명": "myong",
    "기": "ki",
    "반": "pan",
    "왕": "wang",
    "금": "kum",
    "옥": "ok",
    "인": "in",
    "탁": "tak",
    "국": "kuk",
    "어": "o",
}


def _hangul_syllable(char: str) -> str:
    code = ord(char) - 0xAC00
    if not 0 <= code < 11172:
        return ""
    initial, rest = divmod(code, 588)
    medial, final = divmod(rest, 28)
    return _H_INITIAL[initial] + _H_MEDIAL[medial] + _H_FINAL[final]


Piece = tuple[str, str]
"""A transliterated word and the original-script text it came from."""


def hangul_words(word: str, *, split: bool = True) -> list[Piece]:
    """Romanise a Hangul word. A one-syllable common surname takes its usual
    spelling (이 -> ``lee``); with ``split``, a 2-4 syllable word starting with a
    common surname is split into surname and given name (김정은 -> ``kim``,
    ``jongun``). Callers turn ``split`` off when the name already separates its
    parts with spaces (정식 김: given name, then surname)."""
    syllables = [c for c in word if 0xAC00 <= ord(c) < 0xAC00 + 11172]
    if not syllables:
        return []
    if len(syllables) == 1 and syllables[0] in _KOREAN_SURNAMES:
        return [(_KOREAN_SURNAMES[syllables[0]], word)]
    if split and 2 <= len(syllables) <= 4 and syllables[0] in _KOREAN_SURNAMES:
        given = "".join(_hangul_syllable(c) for c in syllables[1:])
        return [(_KOREAN_SURNAMES[syllables[0]], syllables[0]), (given, "".join(syllables[1:]))]
    return [("".join(_hangul_syllable(c) for c in syllables), word)]


def _abjad(word: str, table: dict[str, str]) -> str:
    out: list[str] = []
    for index, char in enumerate(word):
        if char in _ARABIC_DIGITS:
            out.append(_ARABIC_DIGITS[char])
            continue
        value = table.get(char)
        if value is None:
            if char.isascii() and char.isalnum():
                out.append(char)
            continue
        # A vowel letter at the start of a word is a consonant (و -> w, ي -> y).
        if index == 0 and char in {"و", "ו"}:
            value = "w" if char == "و" else "v"
        elif index == 0 and char in {"ي", "ی", "י"}:
            value = "y"
        elif char in {"و", "ו"} and word[index - 1 : index] in {"و", "ו"}:
            value = "w" if char == "و" else "v"
        out.append(value)
    return "".join(out)


# Name particles in Arabic script, by their usual Latin spelling.
_ARABIC_PARTICLES = {
    "بن": "bin",
    "ابن": "ibn",
    "إبن": "ibn",
    "بنت": "bint",
    "ابو": "abu",
    "أبو": "abu",
    "ابي": "abi",
    "أبي": "abi",
    "عبد": "abd",
    "ال": "al",
    "آل": "al",
    "الله": "allah",
}


def arabic_words(word: str) -> list[Piece]:
    """Arabic-script word to ASCII; the article ال is split off (السيسي -> al sisi)."""
    if word in _ARABIC_PARTICLES:
        return [(_ARABIC_PARTICLES[word], word)]
    if len(word) > 3 and word.startswith("ال") and not word.startswith("الله"):
        stem = _abjad(word[2:], _ARABIC)
        return [("al", "ال"), (stem, word[2:])] if stem else [("al", "ال")]
    text = _abjad(word, _ARABIC)
    return [(text, word)] if text else []


def hebrew_words(word: str) -> list[Piece]:
    text = _abjad(word, _HEBREW)
    return [(text, word)] if text else []


@load_once
def _han_transliterator() -> object | None:
    try:
        import icu  # type: ignore[import-untyped, unused-ignore]

        return icu.Transliterator.createInstance(  # type: ignore[no-any-return]
            "Han-Latin/Names; Latin-ASCII; Lower"
        )
    except Exception:  # ICU missing or without the transform: fall back to normality
        return None


def han_words(word: str, *, foreign: bool = False, split: bool = True) -> list[Piece]:
    """Han characters to pinyin. With ``split``, the first syllable (the surname in
    a 2-4 character personal name) stands alone and the rest is joined (习近平 ->
    ``xi``, ``jinping``); otherwise, and for a ``foreign`` name (written with a
    middle dot, 贝拉克·奥巴马), the word is joined whole."""
    trans = _han_transliterator()
    text = (
        str(trans.transliterate(word))  # type: ignore[attr-defined]
        if trans is not None
        else normality.ascii_text(word)
    )
    syllables = [s for s in "".join(c if c.isalnum() else " " for c in text).split() if s]
    if not syllables:
        return []
    if split and 2 <= len(syllables) <= 4 and not foreign and len(syllables) == len(word):
        return [(syllables[0], word[0]), ("".join(syllables[1:]), word[1:])]
    return [("".join(syllables), word)]


def _ascii_only(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


@lru_cache(maxsize=200_000)
def latinize_word(word: str, *, foreign: bool = False, split: bool = True) -> tuple[Piece, ...]:
    """One cleaned word to one or more lower-case ASCII words (possibly none), each
    with the original-script text it came from.

    ``foreign`` marks a Han word from a name written with middle dots (a foreign
    name in Chinese characters), whose syllables are joined whole; ``split=False``
    keeps a Han or Hangul word whole instead of splitting off a surname."""
    if word.isascii():
        text = _ascii_only(word)
        return ((text, text),) if text else ()
    script = word_script(word)
    if script is Script.ARABIC:
        parts = arabic_words(word)
    elif script is Script.HEBREW:
        parts = hebrew_words(word)
    elif script is Script.HANGUL:
        parts = hangul_words(word, split=split)
    elif script is Script.HAN:
        parts = han_words(word, foreign=foreign, split=split)
    else:
        text = maybe_ascii(word)
        if not text.isascii():
            text = normality.ascii_text(text)
        parts = [(p, word) for p in text.split()]
    return tuple((a, o) for a, o in ((_ascii_only(p), o) for p, o in parts) if a)


def latinize(text: str) -> str:
    """Transliterate cleaned text to lower-case ASCII words joined by spaces."""
    from dualuse.reference.names.text import clean_text, split_words

    return " ".join(a for word in split_words(clean_text(text)) for a, _ in latinize_word(word))
