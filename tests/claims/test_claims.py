"""The claims layer: units, kinds, quote links, and what makes a statement a claim."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.claims.component import CLAIM_AT, calibrated
from newsgraph.report import Claim, Report

pytestmark = pytest.mark.model


def claim_with(report: Report, words: str) -> Claim:
    found = [c for c in report.claims if words in c.text]
    assert found, f"no claim holds {words!r}: {[c.text for c in report.claims]}"
    return found[0]


def test_calibration_puts_the_models_threshold_at_one_half() -> None:
    assert calibrated(0.54, 0.54) == pytest.approx(0.5)
    assert calibrated(0.9, 0.54) > 0.5 > calibrated(0.3, 0.54)
    assert 0.0 < calibrated(0.0, 0.54) < calibrated(1.0, 0.54) < 1.0


@pytest.mark.parametrize(
    ("text", "words", "kind"),
    [
        (
            "Reports indicate that hundreds of jets bought by the air force are sitting idle "
            "because of a lack of pilots.",
            "hundreds of jets",
            "numeric",
        ),
        ("Unemployment fell to 4.2 percent in 2019, the bureau said.", "4.2 percent", "numeric"),
        (
            "The embargo, which began in 2019, has hurt exports, prompting the government to "
            "cut interest rates.",
            "prompting the government",
            "causal",
        ),
        (
            "The minister said the bridge would be finished within three years.",
            "within three years",
            "prediction",
        ),
        (
            "The new tanks are heavier than the Leopard 2 and cost more to run, engineers said.",
            "heavier than the Leopard 2",
            "evaluative",
        ),
        ("The company opened its first factory in Ohio in 1995.", "first factory", "factual"),
    ],
)
def test_kinds(text: str, words: str, kind: str) -> None:
    claim = claim_with(newsgraph.analyze(text, published="2025-12-19"), words)
    assert claim.kind == kind


def test_a_date_or_a_name_is_not_an_amount() -> None:
    report = newsgraph.analyze(
        "The F-35 program was suspended in 2019 after the dispute.", published="2025-12-19"
    )
    assert all(c.kind != "numeric" for c in report.claims)


def test_a_claim_in_a_quote_links_to_it() -> None:
    text = (
        "\u2018The army lost 300 tanks in the first month of the war,\u2019 a Western "
        "official told reporters."
    )
    report = newsgraph.analyze(text, published="2025-12-19")
    claim = claim_with(report, "300 tanks")
    [quote] = [q for q in report.quotes if "300 tanks" in q.content.text]
    assert claim.quote == quote.id
    assert "official told" not in claim.text  # the claim is what was said


def test_coordinated_clauses_with_their_own_subjects_are_separate_claims() -> None:
    text = (
        "The U.S. has offered Patriot missile systems as a replacement, but these are not "
        "as advanced as the S-400, officials said."
    )
    report = newsgraph.analyze(text, published="2025-12-19")
    evaluative = claim_with(report, "not as advanced as the S-400")
    assert evaluative.kind == "evaluative"
    assert "Patriot" not in evaluative.text


def test_questions_greetings_and_bare_attributions_are_not_claims() -> None:
    report = newsgraph.analyze(
        "Will the talks succeed? Thank you. Good evening.", published="2025-12-19"
    )
    assert report.claims == []


def test_claims_are_model_check_worthy_or_anchored() -> None:
    report = newsgraph.analyze(
        "The minister said the bridge would be finished within three years. Inflation rose "
        "to 7 percent in March. I think we had a lovely time.",
        published="2025-12-19",
    )
    assert report.claims
    for claim in report.claims:
        assert report.article.text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.checkworthiness <= 1.0
        if claim.origin.endswith(":model"):
            assert claim.checkworthiness >= CLAIM_AT
        else:
            assert claim.origin.endswith(":anchored")
            assert claim.kind in ("numeric", "prediction", "evaluative")
    assert not any("lovely" in c.text for c in report.claims)


def test_headline_dateline_and_newsroom_routine() -> None:
    text = (
        "Estonia and Finland agree to buy air defence systems\n\n"
        "TALLINN \u2014 Estonia and Finland on Monday agreed to buy 12 air defence "
        "batteries together. Russia's foreign ministry did not respond to a request for "
        "comment."
    )
    report = newsgraph.analyze(text, published="2025-11-03")
    claim = claim_with(report, "12 air defence batteries")
    assert claim.text.startswith("Estonia and Finland on Monday")  # not the headline, no dateline
    assert not any("request for comment" in c.text for c in report.claims)
