"""Loaded language in the writer's own voice: the lexicon, matching, quotes left out."""

from __future__ import annotations

from collections import Counter

import pytest

import newsgraph
from newsgraph.checks import language
from newsgraph.checks.language import KINDS, base_forms, lexicon, loaded_words
from newsgraph.report import Article, Flag, Quote, Report, Span


def words_in(text: str, quotes: list[Quote] | None = None) -> list[str]:
    report = Report(article=Article(text=text), quotes=quotes or [])
    return [span.text for span, _ in loaded_words(report)]


def flag_of(text: str) -> Flag | None:
    flags = language.check(Report(article=Article(text=text)))
    assert len(flags) <= 1
    return flags[0] if flags else None


def test_the_lexicon_loads_every_kind_without_duplicates() -> None:
    terms = lexicon()
    assert 100 <= len(terms) <= 400
    assert {t.kind for t in terms} == KINDS
    keys = Counter((t.words, t.pos) for t in terms)
    assert [k for k, n in keys.items() if n > 1] == []
    slam = next(t for t in terms if t.term == "slam")
    assert (slam.kind, slam.neutral, slam.pos) == ("verb-of-attack", "criticize", "VERB")
    assert next(t for t in terms if t.term == "so-called").neutral is None


def test_base_forms_undo_simple_inflection() -> None:
    assert "slam" in base_forms("slammed") and "slam" in base_forms("slamming")
    assert "lash" in base_forms("lashes") and "refuse" in base_forms("refused")
    assert "thug" in base_forms("thugs") and "pillory" in base_forms("pilloried")


def test_loaded_words_in_the_writers_voice_are_found_with_their_inflections() -> None:
    text = "The regime slammed its critics. Its thugs lashed out at so-called experts."
    assert words_in(text) == ["regime", "slammed", "thugs", "lashed out", "so-called"]


def test_words_inside_quotation_marks_are_not_the_writers() -> None:
    text = (
        "“The regime is brutal,” he said. He called it ‘a draconian regime’s rule’. "
        "Officials said ``the thugs ran away'' and left. The regime fell."
    )
    assert words_in(text) == ["regime"]


def test_words_inside_the_reports_quotes_are_not_the_writers() -> None:
    text = "Officials said the regime slammed the door. Later the regime fell."
    content = Span.of(text, text.index("the regime"), text.index(" Later") - 1)
    quote = Quote("q1", "indirect", content, None, None, None, "anonymous_group")
    assert words_in(text, [quote]) == ["regime"]
    assert words_in(text)[0] == "regime" and len(words_in(text)) == 3


@pytest.mark.parametrize(
    "text",
    [
        "The sanctions regime was tightened and the tax regime eased.",
        "The group claimed responsibility for the attack.",
        "Three people were admitted to hospital.",
        "The Radical Party won, said Mr. Draconian.",
        "The blast killed two people and the bombing claims more lives.",
    ],
)
def test_plain_senses_and_names_are_not_loaded(text: str) -> None:
    assert words_in(text) == []


def test_a_doubt_verb_counts_only_as_a_verb_of_saying() -> None:
    assert words_in("The company claimed that sales rose.") == ["claimed"]
    assert words_in("The storm claimed lives.") == []


def test_one_flag_lists_the_distinct_terms_with_their_neutral_wording() -> None:
    flag = flag_of("The regime fell. The regime's army fled.")
    assert flag is not None
    assert (flag.code, flag.severity, flag.origin) == ("LOADED_LANGUAGE", "info", "checks.language")
    assert [s.text for s in flag.evidence] == ["regime", "regime"]
    assert flag.message.startswith("1 loaded word")
    assert "“regime” (labelling; neutral: “government”)" in flag.message


def test_several_distinct_terms_make_a_warning() -> None:
    flag = flag_of("The regime slammed its draconian critics.")
    assert flag is not None and flag.severity == "warning"
    assert flag.message.startswith("3 loaded words")


def test_clean_prose_has_no_flag() -> None:
    assert flag_of("The government said on Monday that talks would resume in Geneva.") is None


@pytest.mark.model
def test_the_parse_matches_lemmas_and_parts_of_speech() -> None:
    text = (
        "Critics slam the draconian rules. The regime tore into its opponents. "
        "The slam was loud. “The regime is evil,” a minister said."
    )
    report = newsgraph.analyze(text)
    (flag,) = [f for f in report.flags if f.code == "LOADED_LANGUAGE"]
    assert [s.text for s in flag.evidence] == ["slam", "draconian", "regime", "tore into"]
    assert flag.severity == "warning"
    assert report.span_problems() == []
