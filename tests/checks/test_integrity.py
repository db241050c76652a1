"""Text integrity: mixed scripts, mojibake, stray line breaks, duplicates, truncation."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.checks import integrity
from newsgraph.checks.integrity import MAX_EVIDENCE, repair_mojibake, romaji, script_of
from newsgraph.report import Article, Flag, Report


def flags_of(text: str, code: str | None = None) -> list[Flag]:
    flags = integrity.check(Report(article=Article(text=text)))
    for f in flags:
        assert f.origin == "checks.integrity"
        assert all(text[s.start : s.end] == s.text for s in f.evidence)
    return [f for f in flags if code is None or f.code == code]


def evidence(flags: list[Flag]) -> list[str]:
    return [s.text for f in flags for s in f.evidence]


# ---------------------------------------------------------------- mixed scripts
def test_scripts_come_from_unicode_names() -> None:
    assert [script_of(c) for c in "aéАαバばー東한"] == [
        "Latin",
        "Latin",
        "Cyrillic",
        "Greek",
        "Katakana",
        "Hiragana",
        "Katakana",
        "Han",
        "Hangul",
    ]
    assert script_of("1") is None and script_of("µ") is None and script_of("-") is None


def test_a_name_broken_into_latin_and_katakana_is_an_error() -> None:
    (flag,) = flags_of("U.S. Ambassador to Turkey Tomバーク stated that talks go on.")
    assert (flag.code, flag.severity) == ("MIXED_SCRIPT", "error")
    assert evidence([flag]) == ["Tomバーク"]
    assert "Latin and Katakana" in flag.message
    assert "“Tom” looks like the start of a name" in flag.message
    assert "bāku" in flag.message


def test_a_cyrillic_homoglyph_in_a_latin_word_names_the_intended_word() -> None:
    (flag,) = flags_of("Shares of \u0410pple rose on Monday.", "MIXED_SCRIPT")
    assert evidence([flag]) == ["\u0410pple"]
    assert "Latin and Cyrillic" in flag.message and "probably “Apple”" in flag.message
    assert "U+0410" in flag.message


def test_one_flag_per_distinct_word_with_every_occurrence() -> None:
    text = "p\u0430ypal said. Later p\u0430ypal said again. And Tomバーク too."
    flags = flags_of(text, "MIXED_SCRIPT")
    assert sorted(evidence(flags)) == ["Tomバーク", "p\u0430ypal", "p\u0430ypal"]
    assert len(flags) == 2


@pytest.mark.parametrize(
    "text",
    [
        "東京タワーへ行きました。ひらがなとカタカナと漢字。",  # Japanese mixes its three scripts
        "A naïve café in São Paulo, Zürich and Kraków.",  # diacritics are Latin
        "The F-35 and the S-400, β-blocker, 5μg, TNFα, NF-κB.",  # hyphens, digits, notation
        "Москва and Αθήνα and بغداد and 서울 and 北京 are capitals.",  # one script per word
        # a brand name inside Japanese text
        "アップルのiPhoneアプリが人気です。新しいiPadも発売されました。",
    ],
)
def test_legitimate_mixes_are_not_flagged(text: str) -> None:
    assert flags_of(text, "MIXED_SCRIPT") == []


def test_romaji_reads_kana() -> None:
    assert romaji("バーク") == "bāku"
    assert romaji("キャット") == "kyatto"
    assert romaji("しんぶん") == "shinbun"
    assert romaji("漢") == ""


# --------------------------------------------------------------------- mojibake
def test_mojibake_is_repaired_and_counted_in_one_flag() -> None:
    text = "Itâ€™s a cafÃ© in MÃ¼nchen, â€œniceâ€\x9d."
    flags = flags_of(text)
    (flag,) = [f for f in flags if f.code == "MOJIBAKE"]
    assert flag.severity == "error"
    assert evidence([flag]) == ["Itâ€™s", "cafÃ©", "MÃ¼nchen", "â€œniceâ€\x9d"]
    assert flag.message.startswith("4 places")
    assert "“Itâ€™s” for “It’s”" in flag.message and "“cafÃ©” for “café”" in flag.message


def test_repair_undoes_single_and_double_encoding_and_broken_no_break_spaces() -> None:
    assert repair_mojibake("Ã©") == "é"
    assert repair_mojibake("â€™") == "\u2019"
    assert repair_mojibake("Ã¢â‚¬â„¢") == "\u2019"
    assert repair_mojibake("Â ") == "\u00a0"
    assert repair_mojibake("é") is None


def test_mojibake_of_other_scripts_and_of_a_no_break_space_is_found() -> None:
    (flag,) = flags_of("ÐŸÑƒÑ‚Ð¸Ð½ arrived.Â The talks began.", "MOJIBAKE")
    assert evidence([flag]) == ["ÐŸÑƒÑ‚Ð¸Ð½", "Â The"]
    assert "“ÐŸÑƒÑ‚Ð¸Ð½” for “Путин”" in flag.message and "no-break space" in flag.message
    assert flag.message.startswith("2 places look like")


def test_the_mojibake_evidence_is_capped_but_all_places_counted() -> None:
    text = " ".join(["cafÃ©"] * (MAX_EVIDENCE + 5)) + "."
    (flag,) = flags_of(text, "MOJIBAKE")
    assert len(flag.evidence) == MAX_EVIDENCE
    assert flag.message.startswith(f"{MAX_EVIDENCE + 5} places")


@pytest.mark.parametrize(
    "text",
    [
        "São Paulo, Ålesund, Über, Ça va, £5 at 20°C, the naïve café, Œuvre, “quoted” — yes.",
        "Señor Müller’s façade: «très» élégant ½ × ¼ ±3 ©2008 ®™ • …",
    ],
)
def test_clean_accented_text_is_not_mojibake(text: str) -> None:
    assert flags_of(text, "MOJIBAKE") == []


def test_replacement_characters_are_one_warning() -> None:
    text = "The minister of Tu\ufffd\ufffdkiye met the Fran\ufffdais envoy."
    (flag,) = flags_of(text, "REPLACEMENT_CHARACTER")
    assert flag.severity == "warning"
    assert evidence([flag]) == ["Tu\ufffd\ufffdkiye", "Fran\ufffdais"]
    assert flag.message.startswith("3 replacement characters (U+FFFD) in 2 places")


# -------------------------------------------------------------- broken sentences
SEED_LINES = (
    "The issue was a central topic during President Erdogan’s meeting with U.S.\n"
    "President Donald Trump at the White House in September 2024, where the two leaders "
    "reportedly discussed the path forward.\n"
    "The U.S. has expressed cautious optimism about Turkey’s intentions.\n"
    "U.S.\n"
    "Ambassador to Turkey Tom Barrack stated that Ankara is approaching a withdrawal.\n"
    "The broader implications of this potential deal extend far beyond Turkey and the U.S.\n"
    "Russia, which has been vocal about its stance, has not yet commented publicly.\n"
)


def test_a_line_break_after_an_abbreviation_cuts_the_sentence() -> None:
    flags = flags_of(SEED_LINES, "BROKEN_SENTENCE")
    assert evidence(flags) == ["U.S.\nPresident", "U.S.\nAmbassador"]
    assert all(f.severity == "warning" for f in flags)
    assert "“U.S.⏎Ambassador”" in flags[1].message


def test_a_sentence_ending_in_an_abbreviation_is_not_cut() -> None:
    text = "The deal reaches beyond Turkey and the U.S.\nRussia has not commented on it.\n"
    assert flags_of(text, "BROKEN_SENTENCE") == []


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("The talks were led by Gen.\nMark Milley, the chairman, on Monday.", "Gen.\nMark"),
        ("He later met with\nPresident Putin in Moscow.", "with\nPresident"),
        ("The law, No.\n3 of 2024, took effect.", "No.\n3"),
        ("The strike hit a depot, officials\nsaid on Friday.", "officials\nsaid"),
        (
            "Davis said the U.S.-led \ncoalition\n conducted five airstrikes.",
            "U.S.-led \ncoalition\n conducted",
        ),
    ],
)
def test_stray_breaks_inside_a_sentence_are_flagged(text: str, cut: str) -> None:
    assert evidence(flags_of(text, "BROKEN_SENTENCE")) == [cut]


@pytest.mark.parametrize(
    "text",
    [
        "Apple releases iPhone SDK\n\nMarch 06, 2008\n\nDuring a media event, Apple released it.",
        "\nOn the other hand, it's a bad week.\n\nHere's ABC's Jim Laurie.\n",
        "The ministers made these announcements:\n\nprogress on the aircraft project\n"
        "further joint action in the Calais region\n",
        "Items on the list:\n- the first one\n- and the second one\n",
        "Raqqa in Next Isolation Phase\nElsewhere in the campaign, forces advanced.",
        "KENYA:\nTotal dead: 192\nAmericans: 12\nInjured: 4,877\n",
        "Minister Tobias Ellwood said:\nI utterly condemn the attack.",
        "Asked whether he would resign, he said no.\nThe vote was held on Monday.",
        "By John Smith\nAssociated Press Writer\nWASHINGTON (AP) — The Senate voted on Monday.",
    ],
)
def test_headlines_datelines_lists_and_tables_are_not_broken_sentences(text: str) -> None:
    assert flags_of(text) == []


def test_hard_wrapped_text_is_one_note_not_a_flag_per_break() -> None:
    text = (
        "WASHINGTON (AP) -- The Senate on Tuesday approved a measure that would\n"
        "expand the program to cover millions of additional workers, despite\n"
        "objections from business groups that said the costs would be passed on\n"
        "to consumers. The vote was 62 to 38, with several Republicans joining\n"
        "Democrats in support of the bill, which now goes to the House.\n"
    )
    flags = flags_of(text)
    assert [(f.code, f.severity) for f in flags] == [("HARD_WRAPPED_TEXT", "info")]
    assert "4 of its 4 line breaks" in flags[0].message


# --------------------------------------------------------------------- duplicates
PARA = "The company said on Monday that its profits rose sharply in the third quarter."


def test_a_paragraph_given_twice_is_flagged_with_both_places() -> None:
    text = f"{PARA}\n\nAnalysts had expected less.\n\n{PARA.upper()}\n"
    (flag,) = flags_of(text, "DUPLICATED_PARAGRAPH")
    assert flag.severity == "warning"
    assert evidence([flag]) == [PARA, PARA.upper()]
    assert "paragraph" in flag.message and "2 times" in flag.message


def test_a_long_sentence_repeated_inside_paragraphs_is_flagged() -> None:
    sentence = "Officials in Ankara said the systems would be returned within six months."
    text = f"Talks went on. {sentence} More later.\n\nIn other news. {sentence}\n"
    (flag,) = flags_of(text, "DUPLICATED_PARAGRAPH")
    assert evidence([flag]) == [sentence, sentence]
    assert "sentence" in flag.message


def test_short_repeats_are_not_duplicates() -> None:
    text = "He said no.\n\nThe vote was close.\n\nHe said no.\n\nThe end came soon after that."
    assert flags_of(text, "DUPLICATED_PARAGRAPH") == []


def test_an_article_pasted_twice_gives_a_bounded_number_of_flags() -> None:
    body = "\n\n".join(f"{PARA[:-1]} for the {n}th time in a row this year." for n in range(30))
    flags = flags_of(f"{body}\n\n{body}\n", "DUPLICATED_PARAGRAPH")
    assert len(flags) == integrity.MAX_FLAGS
    assert all(len(f.evidence) == 2 for f in flags)


# --------------------------------------------------------------------- truncation
@pytest.mark.parametrize(
    ("text", "tail"),
    [
        ("The vote was close. The company said it would report its earnings on", None),
        ("The vote was close. Officials said the talks would resume …", "…"),
        ("The vote was close. Continue reading", "Continue reading"),
        ("The vote was close.\n\nRead more »\n", "Read more »"),
        ("The vote was close. The minister and", "The minister and"),
    ],
)
def test_a_text_that_stops_mid_sentence_is_truncated(text: str, tail: str | None) -> None:
    (flag,) = flags_of(text, "TRUNCATED_TEXT")
    assert flag.severity == "warning"
    assert flag.evidence[0].end == len(text.rstrip())
    if tail:
        assert flag.evidence[0].text == tail


@pytest.mark.parametrize(
    "text",
    [
        "The vote was close.\n\n\n\n\n\n\n\n",
        "God bless him.\n\nLisa Stark ABC news Washington\n",
        "It was “a success.”",
        "The total was reported.\nInjured: 74\nHospitalized: 6",
        "(Reporting by Jane Doe; Editing by John Smith)",
        "The strike was a success.\u200e",
        "The strike was a success.\n\nFollow us on Twitter and Facebook",
    ],
)
def test_complete_texts_bylines_and_tables_are_not_truncated(text: str) -> None:
    assert flags_of(text, "TRUNCATED_TEXT") == []


# ----------------------------------------------------------------- end to end
@pytest.mark.model
def test_the_parse_tells_a_sentence_ending_in_an_abbreviation_from_a_cut_one() -> None:
    # without the parse, "U.K.\nForeign Secretary" looks like "U.S.\nPresident"; with it,
    # both lines are whole sentences
    text = SEED_LINES + "Talks resumed with the U.K.\nForeign Secretary David Lammy was there.\n"
    report = newsgraph.analyze(text)
    flags = [f for f in report.flags if f.code == "BROKEN_SENTENCE"]
    assert evidence(flags) == ["U.S.\nPresident", "U.S.\nAmbassador"]


@pytest.mark.model
@pytest.mark.shared
def test_the_seed_has_its_broken_name_and_broken_lines_and_nothing_else(seed_text: str) -> None:
    report = newsgraph.analyze(Article(text=seed_text, published="2025-12-19"))
    assert report.span_problems() == []
    mine = [f for f in report.flags if f.origin == "checks.integrity"]
    mixed = [f for f in mine if f.code == "MIXED_SCRIPT"]
    assert len(mixed) == 1 and evidence(mixed) == ["Tomバーク"]
    broken = evidence([f for f in mine if f.code == "BROKEN_SENTENCE"])
    assert "U.S.\nAmbassador" in broken and "U.S.\nPresident" in broken
    codes = {f.code for f in mine}
    assert not codes & {"TRUNCATED_TEXT", "DUPLICATED_PARAGRAPH", "MOJIBAKE", "HARD_WRAPPED_TEXT"}
