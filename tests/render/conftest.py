"""Reports built by hand for the renderer tests (every span indexes the text)."""

from __future__ import annotations

import pytest

from newsgraph.report import (
    Article,
    Claim,
    Entity,
    Event,
    Flag,
    Quote,
    Report,
    Span,
    Timex,
)

TEXT = (
    "Turkey seeks to return S-400 systems to Russia\n"
    "\n"
    "President Recep Tayyip Erdogan raised the S-400 issue with Vladimir Putin last week, "
    "Bloomberg reported. ‘Ankara hopes that this step will end the deal,’ a Turkish official "
    "told Bloomberg.\n"
    "The U.S. military suspended Turkey from the F-35 program in 2019 and imposed sanctions. "
    "NATO did not threaten Ankara.\n"
    "U.S. Ambassador Tom Barrack said the issue would be ‘finally resolved within four to six "
    "months.’\n"
)


def span(text: str, needle: str, nth: int = 0) -> Span:
    """The ``nth`` occurrence of ``needle`` in ``text`` as a span."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def all_spans(text: str, needle: str) -> list[Span]:
    """Every occurrence of ``needle`` (as a whole string) in ``text``."""
    out, start = [], text.find(needle)
    while start >= 0:
        out.append(Span.of(text, start, start + len(needle)))
        start = text.find(needle, start + 1)
    return out


def build_full_report() -> Report:
    """A report with every layer filled, including one nested mention (U.S. in U.S. military)."""
    t = TEXT
    article = Article(
        text=t,
        title="Turkey seeks to return S-400 systems to Russia",
        url="https://example.com/world/s400?id=1&lang=en",
        outlet="Example Daily",
        published="2025-09-30",
        published_source="given",
    )
    us_mentions = [span(t, "U.S.", 0), span(t, "U.S.", 1)]
    entities = [
        Entity("e1", "Turkey", "COUNTRY", "Q43", [span(t, "Turkey", 0), span(t, "Turkey", 1)]),
        Entity("e2", "Russia", "COUNTRY", "Q159", [span(t, "Russia")]),
        Entity("e3", "Recep Tayyip Erdogan", "PERSON", "Q39259", [span(t, "Recep Tayyip Erdogan")]),
        Entity("e4", "Vladimir Putin", "PERSON", "Q7747", [span(t, "Vladimir Putin")]),
        Entity("e5", "Bloomberg", "MEDIA", "Q13977", all_spans(t, "Bloomberg")),
        Entity("e6", "S-400", "MILITARY_SYSTEM", None, all_spans(t, "S-400")),
        Entity("e7", "Ankara", "COUNTRY", None, all_spans(t, "Ankara"), origin="alias"),
        Entity("e8", "United States", "COUNTRY", "Q30", us_mentions),
        Entity(
            "e9",
            "United States Armed Forces",
            "MILITARY_SYSTEM",
            "Q11211",
            [span(t, "U.S. military")],
        ),
        Entity("e10", "F-35 program", "PROGRAM", "Q1130982", [span(t, "F-35 program")]),
        Entity("e11", "NATO", "IGO", "Q7184", [span(t, "NATO")]),
        Entity("e12", "Tom Barrack", "PERSON", None, [span(t, "Tom Barrack")]),
    ]
    q1_content = span(t, "Ankara hopes that this step will end the deal,")
    quotes = [
        Quote(
            "q1",
            "direct",
            q1_content,
            span(t, "told"),
            span(t, "a Turkish official"),
            None,
            "anonymous_person",
        ),
        Quote(
            "q2",
            "mixed",
            span(t, "finally resolved within four to six months."),
            span(t, "said"),
            span(t, "U.S. Ambassador Tom Barrack"),
            "e12",
            "named_person",
        ),
        Quote(
            "q3",
            "indirect",
            span(
                t,
                "President Recep Tayyip Erdogan raised the S-400 issue with Vladimir "
                "Putin last week",
            ),
            span(t, "reported"),
            span(t, "Bloomberg"),
            "e5",
            "media_outlet",
        ),
    ]
    timexes = [
        Timex(*_sp(span(t, "last week")), "DATE", "2025-W39"),
        Timex(*_sp(span(t, "2019")), "DATE", "2019"),
        Timex(*_sp(span(t, "four to six months")), "DURATION", "P6M"),
    ]
    sent1 = span(
        t, "The U.S. military suspended Turkey from the F-35 program in 2019 and imposed sanctions."
    )
    sent2 = span(t, "NATO did not threaten Ankara.")
    events = [
        Event(
            "v1",
            "SANCTION",
            "suspend",
            "e9",
            "e1",
            span(t, "suspended"),
            "2019",
            False,
            False,
            sent1,
        ),
        Event("v2", "THREATEN", None, "e11", "e7", span(t, "threaten"), None, True, False, sent2),
        Event(
            "v3",
            "RETREAT",
            "return",
            "e1",
            None,
            span(t, "return"),
            None,
            False,
            True,
            span(t, "Turkey seeks to return S-400 systems to Russia"),
        ),
    ]
    c1 = span(
        t, "The U.S. military suspended Turkey from the F-35 program in 2019 and imposed sanctions."
    )
    claims = [
        Claim("c1", c1.start, c1.end, c1.text, 0.91, "factual", None),
        Claim("c2", *_sp(q1_content), 0.35, "prediction", "q1"),
    ]
    flags = [
        Flag(
            "SOURCE_ANONYMOUS",
            "info",
            "A quote comes from an unnamed official.",
            [span(t, "a Turkish official")],
        ),
        Flag(
            "DATE_CONFLICT", "error", "A date contradicts the publication date.", [span(t, "2019")]
        ),
        Flag("VAGUE_TIME", "warning", "A time expression is vague.", [span(t, "last week")]),
    ]
    return Report(
        article=article,
        entities=entities,
        quotes=quotes,
        timexes=timexes,
        events=events,
        claims=claims,
        flags=flags,
        generator={
            "newsgraph": "0.1.0",
            "spacy": "3.8.18",
            "components": ["ner", "quotes", "timex"],
        },
    )


def _sp(s: Span) -> tuple[int, int, str]:
    return s.start, s.end, s.text


def build_empty_report() -> Report:
    """Only an article: no title, no url, no date, and no layers at all."""
    return Report(article=Article(text="A short note with nothing to find.\nSecond line.\n"))


@pytest.fixture
def full_report() -> Report:
    report = build_full_report()
    assert report.span_problems() == []
    return report


@pytest.fixture
def empty_report() -> Report:
    return build_empty_report()
