"""Text integrity: damage done to the text on its way to us, not by its writer.

- ``MIXED_SCRIPT`` (error): a word whose letters come from two writing systems that
  never share a word ("Tomバーク", "Аpple" with a Cyrillic А).
- ``MOJIBAKE`` (error): UTF-8 read as Windows-1252/Latin-1 ("Ã©", "â€™"), confirmed by
  repairing it; ``REPLACEMENT_CHARACTER`` (warning): U+FFFD where a decoder gave up.
- ``BROKEN_SENTENCE`` (warning): a stray line break inside a sentence ("U.S.\\nAmbassador");
  ``HARD_WRAPPED_TEXT`` (info) instead when most breaks fall mid-sentence (a layout).
- ``DUPLICATED_PARAGRAPH`` (warning): a paragraph or long sentence given twice.
- ``TRUNCATED_TEXT`` (warning): the text stops mid-sentence or with "Read more".

All of it reads the text; the parse, when there is one, only confirms line breaks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Final

from spacy.tokens import Doc
from spacy.tokens import Span as DocSpan

from ..report import Flag, Report, Severity, Span
from ..text.titles import office_titles

ORIGIN: Final = "checks.integrity"
#: At most this many evidence spans on one flag, and flags of one code per article
#: (BROKEN_SENTENCE, DUPLICATED_PARAGRAPH: beyond that the text is broken throughout).
MAX_EVIDENCE: Final = 20
MAX_FLAGS: Final = 10


def parse_of(text: str, doc: Doc | None) -> Doc | None:
    """``doc`` when it is the parse of ``text`` (checked cheaply by its length), else None."""
    if doc is None or not len(doc):
        return None
    last = doc[-1]
    return doc if last.idx + len(last.text_with_ws) == len(text) else None


def _words(s: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(s.split())


def _flag(code: str, severity: Severity, message: str, evidence: list[Span]) -> Flag:
    return Flag(code, severity, message, evidence[:MAX_EVIDENCE], origin=ORIGIN)


def _show(s: str) -> str:
    """A piece of text for a message: line breaks visible, quoted."""
    return "\u201c" + s.replace("\n", "\u23ce") + "\u201d"


# --------------------------------------------------------------------------- scripts
#: Unicode name prefixes that do not start with the script's own name.
_NAME_PREFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("CJK ", "Han"),
    ("IDEOGRAPHIC ", "Han"),
    ("KATAKANA-HIRAGANA ", "Katakana"),  # the prolonged sound mark, as in バーク
    ("HALFWIDTH KATAKANA", "Katakana"),
    ("HALFWIDTH HANGUL", "Hangul"),
    ("FULLWIDTH LATIN", "Latin"),
)
#: Scripts known by the first word of their letters' Unicode names. Letters whose name
#: starts otherwise (MICRO SIGN, SCRIPT SMALL L, MODIFIER LETTER ...) belong to none.
_NAMED_SCRIPTS: Final = _words(
    "LATIN CYRILLIC GREEK COPTIC ARMENIAN GEORGIAN HEBREW ARABIC SYRIAC THAANA NKO "
    "DEVANAGARI BENGALI GURMUKHI GUJARATI ORIYA TAMIL TELUGU KANNADA MALAYALAM SINHALA "
    "THAI LAO TIBETAN MYANMAR KHMER MONGOLIAN ETHIOPIC CHEROKEE HIRAGANA KATAKANA "
    "HANGUL BOPOMOFO YI"
)
#: Scripts that legitimately share a word: Japanese, Korean with Hanja, Chinese with Bopomofo.
_COMPATIBLE: Final[tuple[frozenset[str], ...]] = (
    frozenset({"Han", "Hiragana", "Katakana"}),
    frozenset({"Han", "Hangul"}),
    frozenset({"Han", "Bopomofo"}),
)
_EAST_ASIAN: Final = frozenset({"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"})
#: Cyrillic and Greek letters drawn like Latin ones (the homoglyphs of spoofed words).
_LOOKALIKES: Final[dict[str, str]] = dict(
    zip(
        "АВЕЅІЈКМНОРСТХУаеіјорсухѕԁһԛԝҮӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧο",
        "ABESIJKMHOPCTXYaeijopcyxsdhqwYlABEZHIKMNOPTYXo",
        strict=True,
    )
)
_WORD: Final = re.compile(r"\w+")


@cache
def script_of(ch: str) -> str | None:
    """The writing system of a letter ("Latin", "Katakana", "Han" ...); None for others."""
    if ch.isascii():
        return "Latin" if ch.isalpha() else None
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for prefix, script in _NAME_PREFIXES:
        if name.startswith(prefix):
            return script
    first = name.split(" ", 1)[0]
    return first.title() if first in _NAMED_SCRIPTS else None


def _runs(word: str) -> list[tuple[str, str]]:
    """The word cut into (script, text) runs; characters of no script join the run before."""
    runs: list[tuple[str, str]] = []
    for ch in word:
        script = script_of(ch)
        if runs and (script is None or script == runs[-1][0]):
            runs[-1] = (runs[-1][0], runs[-1][1] + ch)
        else:
            runs.append((script or "", ch))
    return [(s, t) for s, t in runs if s]


def _mostly_latin(text: str) -> bool:
    latin = other = 0
    for ch in text:
        if ch.isalpha():
            if script_of(ch) == "Latin":
                latin += 1
            else:
                other += 1
    return latin >= other


def _suspicious(runs: list[tuple[str, str]], latin_text: Callable[[], bool]) -> bool:
    scripts = frozenset(s for s, _ in runs)
    if len(scripts) < 2 or any(scripts <= ok for ok in _COMPATIBLE):
        return False
    if scripts == {"Latin", "Greek"}:  # "TNFα", "κB", "μg" are notation; a Greek Ο is not
        return any(ch in _LOOKALIKES for s, t in runs if s == "Greek" for ch in t)
    if "Latin" in scripts and scripts - {"Latin"} <= _EAST_ASIAN:
        return latin_text()  # brand names inside Japanese or Chinese text are normal
    return True


_KANA: Final[dict[str, str]] = dict(
    pair.split(":")
    for pair in _words(
        "ア:a イ:i ウ:u エ:e オ:o カ:ka キ:ki ク:ku ケ:ke コ:ko ガ:ga ギ:gi グ:gu ゲ:ge ゴ:go "
        "サ:sa シ:shi ス:su セ:se ソ:so ザ:za ジ:ji ズ:zu ゼ:ze ゾ:zo タ:ta チ:chi ツ:tsu テ:te "
        "ト:to ダ:da ヂ:ji ヅ:zu デ:de ド:do ナ:na ニ:ni ヌ:nu ネ:ne ノ:no ハ:ha ヒ:hi フ:fu "
        "ヘ:he ホ:ho バ:ba ビ:bi ブ:bu ベ:be ボ:bo パ:pa ピ:pi プ:pu ペ:pe ポ:po マ:ma ミ:mi "
        "ム:mu メ:me モ:mo ヤ:ya ユ:yu ヨ:yo ラ:ra リ:ri ル:ru レ:re ロ:ro ワ:wa ヰ:i ヱ:e "
        "ヲ:o ン:n ヴ:vu ァ:_a ィ:_i ゥ:_u ェ:_e ォ:_o ャ:_ya ュ:_yu ョ:_yo ッ:_tsu"
    )
)
_MACRON: Final = dict(zip("aeiou", "āēīōū", strict=True))


def romaji(kana: str) -> str:
    """A Hepburn-style reading of Katakana or Hiragana ("バーク" -> "bāku")."""
    out = ""
    double = False
    for ch in kana:
        if "\u3041" <= ch <= "\u3096":  # Hiragana sits 0x60 below its Katakana
            ch = chr(ord(ch) + 0x60)
        if ch == "ー":
            if out and out[-1] in _MACRON:
                out = out[:-1] + _MACRON[out[-1]]
            continue
        r = _KANA.get(ch)
        if r is None:
            return ""
        if r == "_tsu":
            double = True
            continue
        if r.startswith("_"):  # small kana: ki+ya -> kya, shi+ya -> sha, fu+a -> fa
            small = r[1:]
            if out.endswith(("shi", "chi", "ji")):
                out = out[:-1] + small[-1]
            elif out and out[-1] in "aeiou":
                out = out[:-1] + small
            else:
                out += small
            continue
        if double:
            out += "t" if r.startswith("ch") else r[0]
            double = False
        out += r
    return out


def _mixed_message(word: str, runs: list[tuple[str, str]]) -> str:
    names = sorted(dict.fromkeys(s for s, _ in runs), key=lambda s: s != "Latin")
    joined = ", ".join(names[:-1]) + " and " + names[-1]
    head = f"{_show(word)} mixes {joined} letters in one word"
    foreign = [(s, ch) for s, t in runs if s != "Latin" for ch in t if script_of(ch) == s]
    if "Latin" in names and foreign and all(ch in _LOOKALIKES for _, ch in foreign):
        fixed = "".join(_LOOKALIKES.get(ch, ch) for ch in word)
        shown = ", ".join(
            f"{s} {_show(ch)} (U+{ord(ch):04X}) looks like Latin {_show(_LOOKALIKES[ch])}"
            for s, ch in dict.fromkeys(foreign)
        )
        return f"{head}: {shown}; probably {_show(fixed)} with a look-alike letter swapped in."
    first_script, first = runs[0]
    if first_script == "Latin" and first[:1].isupper() and len(runs) == 2:
        rest_script, rest = runs[1]
        reading = romaji(rest) if rest_script in ("Katakana", "Hiragana") else ""
        read = f", read \u201c{reading}\u201d" if reading else ""
        return (
            f"{head}: {_show(first)} looks like the start of a name and {_show(rest)} "
            f"({rest_script}{read}) like the rest of it, garbled by a translation or "
            "editing tool."
        )
    return f"{head}: probably a corrupted or spoofed word."


def mixed_script_flags(text: str) -> list[Flag]:
    """One MIXED_SCRIPT flag per distinct word whose letters mix writing systems."""
    if text.isascii():
        return []
    latin_text = cache(lambda: _mostly_latin(text))
    found: dict[str, tuple[list[tuple[str, str]], list[Span]]] = {}
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        if word in found:
            found[word][1].append(Span(m.start(), m.end(), word))
            continue
        runs = _runs(word)
        if _suspicious(runs, latin_text):
            found[word] = (runs, [Span(m.start(), m.end(), word)])
    return [
        _flag("MIXED_SCRIPT", "error", _mixed_message(word, runs), spans)
        for word, (runs, spans) in found.items()
    ]


# -------------------------------------------------------------------------- mojibake
def _cp1252(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)  # the five bytes cp1252 leaves undefined read as Latin-1 controls


#: UTF-8 continuation bytes as Windows-1252 (or Latin-1) shows them.
_CONT: Final = "[" + re.escape("".join(_cp1252(b) for b in range(0x80, 0xC0))) + "]"
#: A UTF-8 lead byte and its continuation bytes, as Windows-1252 shows them ("Ã©", "â€™");
#: and "Â " (a no-break space whose second byte was turned into a plain space).
_MOJIBAKE: Final = re.compile(
    rf"(?:[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}"
    r"|\u00c2 )+"
)
_REPLACEMENT: Final = re.compile("\ufffd+")


def _as_bytes(s: str) -> bytes:
    out = bytearray()
    for ch in s:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            out.append(ord(ch))  # Latin-1; ValueError above 0xFF
    return bytes(out)


def repair_mojibake(s: str) -> str | None:
    """The text that UTF-8 ``s`` was before it was read as cp1252 (repeatedly), or None."""
    s = s.replace("\u00c2 ", "\u00c2\u00a0")
    fixed = None
    for _ in range(3):
        try:
            candidate = _as_bytes(s).decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            break
        if candidate == s or any(unicodedata.category(c) in ("Cc", "Cn", "Cs") for c in candidate):
            break
        fixed = s = candidate
    return fixed


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _merged_words(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in runs:
        s, e = _word_around(text, start, end)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def encoding_flags(text: str) -> list[Flag]:
    """One MOJIBAKE flag and one REPLACEMENT_CHARACTER flag at most, each with every place."""
    flags: list[Flag] = []
    if text.isascii():
        return flags
    runs: list[tuple[int, int]] = []
    for m in _MOJIBAKE.finditer(text):
        if repair_mojibake(m.group()) is not None:
            runs.append(m.span())
    if runs:
        words = _merged_words(text, runs)
        examples: list[str] = []
        for s, e in words:
            piece = text[s:e]
            fixed = piece
            for m in _MOJIBAKE.finditer(piece):
                fixed = fixed.replace(m.group(), repair_mojibake(m.group()) or m.group(), 1)
            fixed = fixed.replace("\u00a0", "\u2423")
            example = f"{_show(piece)} for {_show(fixed)}"
            if example not in examples:
                examples.append(example)
        n = len(words)
        shown = ", ".join(examples[:3])
        legend = " (\u2423 = no-break space)" if "\u2423" in shown else ""
        flags.append(
            _flag(
                "MOJIBAKE",
                "error",
                f"{n} {'places look' if n > 1 else 'place looks'} like UTF-8 text read as "
                f"Windows-1252 (mojibake), e.g. {shown}{legend}.",
                [Span.of(text, s, e) for s, e in words],
            )
        )
    bad = [m.span() for m in _REPLACEMENT.finditer(text)]
    if bad:
        words = _merged_words(text, bad)
        n = sum(e - s for s, e in bad)
        flags.append(
            _flag(
                "REPLACEMENT_CHARACTER",
                "warning",
                f"{n} replacement character{'s' if n > 1 else ''} (U+FFFD) in "
                f"{len(words)} place{'s' if len(words) > 1 else ''}, e.g. "
                f"{_show(text[words[0][0] : words[0][1]])}: characters lost in decoding.",
                [Span.of(text, s, e) for s, e in words],
            )
        )
    return flags


# ------------------------------------------------------------------- broken sentences
#: Abbreviations that precede what they belong to (a name, a number): never a sentence end.
PREFIX_ABBREVIATIONS: Final = _words(
    "mr mrs ms messrs dr prof rev hon gen lt col maj capt cmdr adm sgt cpl pvt sen rep gov "
    "pres amb supt insp det st fr vs v cf dept e.g i.e"
)
#: Abbreviations before a number ("Jan.\\n5", "No.\\n3"); before a word, "no." may end one.
_BEFORE_NUMBER: Final = _words("jan feb mar apr jun jul aug sep sept oct nov dec no nos fig approx")
#: Words that cannot end a sentence: articles, prepositions, conjunctions, possessives ...
_FUNCTION_WORDS: Final = _words(
    "a an the of to in on at by for from with without into onto upon about over under "
    "between among against during through toward towards and or but nor as than that "
    "which who whom whose his her its their our my your this these those is are was "
    "were be been being has have had will would could should may might must can shall "
    "not very if whether when while because although though"
)
#: Nouns that follow a country abbreviation in a title ("U.S. Ambassador", "U.N. envoy").
_AFTER_COUNTRY: Final = _words(
    "embassy envoy army navy forces troops officials government administration department "
    "senate congress military delegation mission consulate command treasury court dollar "
    "ambassador secretary president minister official spokesman spokeswoman"
)
_INITIALISM: Final = re.compile(r"(?:[A-Za-z]\.){2,}$|[A-Z]\.$")
_TERMINAL: Final = re.compile(
    r"(?:[.!?\u2026:;]|--|[\u2014\u2013])[\"'\u201d\u2019\u00bb)\]]*$|[\"\u201d\u00bb)\]]$"
)
_LIST_ITEM: Final = re.compile(
    r"^(?:[-\u2013\u2014\u2022*\u00b7\u25aa\u25ba>#]|\d{1,3}[.)]|\(?[a-z]\))\s"
)
_FIRST_WORD: Final = re.compile(r"\w[\w'\u2019-]*")
_STRIP: Final = " \t\r\f\v\u00a0\u200b\u200e\u200f\ufeff"
_LEADING: Final = re.compile(f"^[\\s{_STRIP}]+")
_EDGES: Final = re.compile(f"^[\\s{_STRIP}]+|[\\s{_STRIP}]+$")
_FINITE_TAGS: Final = frozenset({"VBD", "VBZ", "VBP", "MD"})
_WH_TAGS: Final = frozenset({"WDT", "WP", "WP$", "WRB", "IN"})
_SUBORDINATE: Final = frozenset({"relcl", "acl", "advcl", "pcomp", "csubj", "csubjpass", "amod"})


@cache
def _title_words() -> frozenset[str]:
    """Office titles' words ("president", "minister" ...) from the entity tables."""
    words = {w for title in office_titles() for w in title.split()}
    return frozenset(words - _FUNCTION_WORDS) | _AFTER_COUNTRY


@dataclass(frozen=True)
class _Line:
    start: int  # of the stripped content
    end: int
    text: str

    @property
    def last_word(self) -> str:
        parts = self.text.rsplit(None, 1)
        return parts[-1] if parts else ""

    @property
    def terminal(self) -> bool:
        return _TERMINAL.search(self.text) is not None

    @property
    def heading(self) -> bool:
        """Title-case without closing punctuation: a headline, subhead, caption or byline."""
        words = [w for w in self.text.split() if len(w) > 3 and w[0].isalpha()]
        if self.terminal or len(self.text.split()) > 14:
            return False
        return not words or sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _blocks(text: str) -> list[list[_Line]]:
    """Runs of non-blank lines (paragraphs), each line stripped of edge whitespace."""
    blocks: list[list[_Line]] = [[]]
    pos = 0
    for raw in text.split("\n"):
        # Any Unicode space (U+3000, U+2028 ...) or invisible mark at a line's edge.
        lead = len(raw) - len(_LEADING.sub("", raw))
        content = _EDGES.sub("", raw)
        if content:
            blocks[-1].append(_Line(pos + lead, pos + lead + len(content), content))
        elif blocks[-1]:
            blocks.append([])
        pos += len(raw) + 1
    return [b for b in blocks if b]


@dataclass(frozen=True)
class _Break:
    a: _Line
    b: _Line
    listed: bool  # inside a list (after a line ending in ":", or bulleted)


def _breaks(blocks: list[list[_Line]]) -> list[_Break]:
    out: list[_Break] = []
    after_colon = False
    for block in blocks:
        listed = after_colon
        for a, b in pairwise(block):
            listed = listed or a.text.endswith(":")
            bulleted = bool(_LIST_ITEM.match(a.text) or _LIST_ITEM.match(b.text))
            out.append(_Break(a, b, listed or bulleted))
        after_colon = block[-1].text.endswith(":")
    return out


def _tokens(doc: Doc, start: int, end: int) -> DocSpan | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _finite(tokens: DocSpan) -> bool:
    return any(t.tag_ in _FINITE_TAGS for t in tokens)


def _main_clause(tokens: DocSpan) -> bool:
    """A finite verb that is not inside a relative or adverbial clause ("where they met").

    A clause the parser hangs under the line before without a subordinator ("... with the
    U.K.\nForeign Secretary Lammy was there": "was" as advcl) counts as a main clause."""
    for t in tokens:
        if t.text in (".", "!", "?"):
            break
        if t.tag_ in _FINITE_TAGS:
            verb = t.head if t.dep_ in ("aux", "auxpass") else t
            start = verb.left_edge
            marked = start.tag_ in _WH_TAGS or start.lower_ == "that" or start.dep_ == "mark"
            if verb.dep_ not in _SUBORDINATE or not marked:
                return True
    return False


def _linked(a: DocSpan, b: DocSpan) -> bool:
    """Does the parse join the two lines (a dependency arc across the break)?"""
    return any(t.head.i >= b.start for t in a if not t.is_space) or any(
        t.head.i < a.end for t in b if not t.is_space
    )


def _why_broken(br: _Break, doc: Doc | None) -> str | None:
    """Why the line break cuts a sentence, or None when it does not."""
    a, b = br.a, br.b
    last = a.last_word
    m = _FIRST_WORD.match(b.text)
    first = m.group() if m else ""
    if not first or br.listed:
        return None
    key = last.rstrip(".").lower()
    if last.endswith(".") and (key in PREFIX_ABBREVIATIONS or key in _BEFORE_NUMBER):
        if key in _BEFORE_NUMBER and not first[0].isdigit():
            return None
        return f"the line ends with the abbreviation {_show(last)}, which cannot end a sentence"
    spans = None
    if doc is not None:
        ta, tb = _tokens(doc, a.start, a.end), _tokens(doc, b.start, b.end)
        spans = (ta, tb) if ta is not None and tb is not None else None
    if _INITIALISM.search(last):
        if spans is not None and not _linked(*spans):
            return None
        # the next line goes on in lower case, or one side is no sentence on its own: the
        # parse says so (no finite verb before the break, no main clause after it); without
        # a parse, a line that is just the abbreviation, or a title after it ("President")
        if spans is None:
            cut = len(a.text.split()) <= 2 or first.lower() in _title_words()
        else:
            cut = not _finite(spans[0]) or not _main_clause(spans[1])
        if cut or first.islower():
            return (
                f"the line ends with {_show(last)} and the next one continues the sentence "
                f"({_show(first)})"
            )
        return None
    if a.terminal or a.heading:
        return None
    if first.islower() and first[0].isalpha():
        return f"the next line continues it in lower case ({_show(first)})"
    if last.lower() in _FUNCTION_WORDS or (
        last.lower() in _title_words() and first[0].isupper() and last[0].isupper()
    ):
        if spans is not None and not _linked(*spans):
            return None
        return f"the line ends with {_show(last)}, which cannot end a sentence"
    return None


def _wrapped(br: _Break) -> bool:
    """A break as hard-wrapping makes it: a long line that stops mid-sentence."""
    return br.a.end - br.a.start >= 40 and not br.a.terminal and not br.listed


def line_break_flags(text: str, doc: Doc | None = None) -> list[Flag]:
    """BROKEN_SENTENCE per stray break, or one HARD_WRAPPED_TEXT when breaks are layout."""
    breaks = _breaks(_blocks(text))
    if not breaks:
        return []
    wrapped = [br for br in breaks if _wrapped(br)]
    if len(wrapped) >= 4 and len(wrapped) >= 0.5 * len(breaks):
        br = wrapped[0]
        s = text.rfind(" ", br.a.start, br.a.end) + 1 or br.a.start
        first = _FIRST_WORD.match(text, br.b.start)
        return [
            _flag(
                "HARD_WRAPPED_TEXT",
                "info",
                f"The text is hard-wrapped: {len(wrapped)} of its {len(breaks)} line breaks "
                "fall inside sentences (a layout, not a defect).",
                [Span.of(text, s, first.end() if first else br.b.end)],
            )
        ]
    cuts: list[tuple[int, int, str, _Line]] = []  # start, end, why, the line after the break
    for br in breaks:
        why = _why_broken(br, doc)
        if why is None:
            continue
        s = br.a.end - len(br.a.last_word)
        m = _FIRST_WORD.match(text, br.b.start)
        e = m.end() if m else br.b.end
        if cuts and cuts[-1][3] == br.a:  # a line cut on both sides ("-led\ncoalition\n con")
            s, why = cuts[-1][0], cuts[-1][2]
            cuts.pop()
        cuts.append((s, e, why, br.b))
    return [
        _flag(
            "BROKEN_SENTENCE",
            "warning",
            f"A line break cuts a sentence at {_show(text[s:e])}: {why}.",
            [Span.of(text, s, e)],
        )
        for s, e, why, _ in cuts[:MAX_FLAGS]
    ]


# ------------------------------------------------------------------------ duplicates
_SENTENCE: Final = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'\u201d\u2019)]*|$)", re.MULTILINE)
_QUOTES_NORM: Final = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).translate(_QUOTES_NORM).casefold().split())


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def duplicate_flags(text: str, *, para_words: int = 8, sentence_words: int = 12) -> list[Flag]:
    """DUPLICATED_PARAGRAPH for a paragraph (line or block) or a long sentence seen twice."""
    blocks = _blocks(text)
    units: list[tuple[int, int]] = [(ln.start, ln.end) for block in blocks for ln in block]
    units += [(b[0].start, b[-1].end) for b in blocks if len(b) > 1]
    flags: list[Flag] = []
    covered: list[tuple[int, int]] = []

    def report(groups: dict[str, list[tuple[int, int]]], what: str) -> None:
        for key, places in groups.items():
            places = sorted(set(places))
            if len(places) < 2 or any(cs <= places[1][0] < ce for cs, ce in covered):
                continue
            covered.extend(places)
            words = len(key.split())
            flags.append(
                _flag(
                    "DUPLICATED_PARAGRAPH",
                    "warning",
                    f"The same {what} ({words} words, {_show(' '.join(key.split()[:8]) + ' …')}) "
                    f"appears {len(places)} times.",
                    [Span.of(text, s, e) for s, e in places],
                )
            )

    groups: dict[str, list[tuple[int, int]]] = {}
    for s, e in units:
        key = _norm(text[s:e])
        if len(key.split()) >= para_words:
            groups.setdefault(key, []).append((s, e))
    report(groups, "paragraph")
    groups = {}
    for m in _SENTENCE.finditer(text):
        s, e = _trimmed(text, *m.span())
        key = _norm(text[s:e])
        if len(key.split()) >= sentence_words:
            groups.setdefault(key, []).append((s, e))
    report(groups, "sentence")
    return flags[:MAX_FLAGS]


# ------------------------------------------------------------------------ truncation
_TEASER: Final = re.compile(
    r"(?:\.\.\.|\u2026|\[(?:\u2026|\.\.\.)\]|\((?:\u2026|\.\.\.)\)"
    r"|\b(?:continue reading|read more|read the (?:full|whole|rest of the) (?:story|article)"
    r"|click here to (?:read|continue)(?: more)?|subscribe to (?:read|continue)(?: reading)?"
    r"|\(more\))[\s.:>\u00bb\u203a\u2192-]*)$",
    re.IGNORECASE,
)
_SENTENCE_END: Final = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*(?=\s|$)")
_TAIL_WORD: Final = re.compile(r"[^\W\d_][\w'\u2019-]*")
#: Invisible format characters (LRM, zero-width space, BOM ...) that may trail a text.
_INVISIBLE: Final = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\ufeff"


def truncation_flags(text: str) -> list[Flag]:
    """TRUNCATED_TEXT when the text stops mid-sentence or with a teaser's "Read more"."""
    end = len(text.rstrip(_INVISIBLE + _STRIP + "\n"))
    body = text[:end]
    if not body:
        return []
    m = _TEASER.search(body)
    if m:
        s, e = _trimmed(text, m.start(), end)
        return [
            _flag(
                "TRUNCATED_TEXT",
                "warning",
                f"The text ends with {_show(text[s:e])}: it looks cut off or an excerpt.",
                [Span.of(text, s, e)],
            )
        ]
    blocks = _blocks(body)
    if not blocks:
        return []
    last_line = blocks[-1][-1]
    breaks = _breaks(blocks)
    if (breaks and breaks[-1].b == last_line and breaks[-1].listed) or _LIST_ITEM.match(
        last_line.text
    ):
        return []  # a list or table ends the text
    if len(blocks) > 1 and len(blocks[-1]) == 1 and blocks[-2][-1].text.endswith(":"):
        return []
    start = last_line.start
    ends = list(_SENTENCE_END.finditer(body, start))
    tail_start = ends[-1].end() if ends else start
    s, e = _trimmed(text, tail_start, end)
    tail = text[s:e]
    if not tail or ":" in tail:  # "Coordinates: ...", "Injured: 74": a label, not prose
        return []
    words = _TAIL_WORD.findall(tail)
    last = tail.rsplit(None, 1)[-1]
    cut = tail[-1] in ",;-" or last.lower() in _FUNCTION_WORDS
    # a sentence without its end: mostly lower case and not ending on a name ("Follow us
    # on Facebook", "Lisa Stark ABC news Washington" are sign-offs)
    prose = (
        len(words) >= 4
        and sum(w[0].islower() for w in words) >= 0.5 * len(words)
        and last[0].islower()
    )
    if not (cut or prose) or tail[-1] in "\"\u201d\u2019')]}\u00bb":
        return []
    shown = tail if len(tail) <= 60 else "\u2026" + tail[-60:].lstrip()
    return [
        _flag(
            "TRUNCATED_TEXT",
            "warning",
            f"The text ends mid-sentence ({_show(shown)}): it may have been cut off.",
            [Span.of(text, s, e)],
        )
    ]


def check(report: Report, doc: Doc | None = None) -> list[Flag]:
    """Every integrity flag of the article text (the parse only confirms line breaks)."""
    text = report.article.text
    doc = parse_of(text, doc)
    return [
        *mixed_script_flags(text),
        *encoding_flags(text),
        *line_break_flags(text, doc),
        *duplicate_flags(text),
        *truncation_flags(text),
    ]


__all__ = [
    "PREFIX_ABBREVIATIONS",
    "check",
    "duplicate_flags",
    "encoding_flags",
    "line_break_flags",
    "mixed_script_flags",
    "parse_of",
    "repair_mojibake",
    "romaji",
    "script_of",
    "truncation_flags",
]
