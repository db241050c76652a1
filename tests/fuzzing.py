"""The fuzz campaign's inputs and its property, shared by tests/test_fuzz.py (a small,
derandomised run in CI) and benchmarks/fuzz.py (thousands of examples, on demand).

The property: ``newsgraph.analyze`` on any str or bytes returns a Report or raises
NewsgraphError, and every Report serialises to UTF-8 on one line, validates against
the report schema, indexes its own text and round-trips through JSON.

The inputs are news-like on purpose: random Unicode alone rarely gets past the
tokenizer into the quote, time, event and check code where the crashes were. So
texts are built from pieces of real news prose (quotes, dates, counts, titles,
paragraphs) interleaved with the characters that broke things before: exotic
spaces and line ends, superscript and circled digits, lone surrogates, quote marks,
markup, control characters and mixed scripts; plus plain random text and bytes.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from hypothesis import strategies as st

import newsgraph
from newsgraph import NewsgraphError, Report

#: Pieces of news prose that reach the deep layers (quotes, time, events, claims, checks).
PROSE: tuple[str, ...] = (
    "Turkey said on Monday it would return the S-400 systems to Russia.",
    "Estonia and Finland on Monday agreed to buy air defence systems together.",
    '"Buying together means we buy faster," Kask told reporters.',
    "A senior NATO official, speaking on condition of anonymity, said the deal was done.",
    "According to Bloomberg, citing people familiar with the matter, talks stalled.",
    "U.S. Ambassador to Turkey Tom Barrack said the issue would be resolved within six months.",
    "President Donald Trump met Erdogan in September 2024.",
    "The army killed 12 fighters near Palmyra on Jan. 5, 2025, officials said.",
    "The army killed 14 fighters near Palmyra on 5 January 2025.",
    "Officials said last week that Russia would respond to any new deployments.",
    "Estonia spent 3.4% of its GDP on defence last year.",
    "Israel imposed sanctions on Iran, prompting protests two days later.",
    "“We will not give up the systems,” he said. “Never.”",
    "«Nous refusons», a déclaré le ministre.",
    "Reports indicate the two leaders reportedly discussed the issue.",
    "TALLINN —",
    "Erdoğan и Путин встретились в Анкаре.",
    "Tomバーク said so.",
    "The ministers will meet again in March, the statement said.",
)
#: Characters and fragments that crashed or confused the analysis before.
NOISE: tuple[str, ...] = (
    "\n",
    "\n\n",
    "\r\n",
    "\u3000",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\t",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "\ufffd",
    "²",
    "②",
    "½",
    "٣",
    "⁴⁵",
    "\ud800",
    "\udc80",
    "\ud83d\ude00",
    "\U0001f600",
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "<p>",
    "</p>",
    "<br>",
    "<html><body>",
    "&amp;",
    "\x00",
    "\x1b",
    "\x7f",
    "Ã©",
    "â€™",
    "—",
    "…",
    " ",
    ".",
    ",",
    ":",
    "(",
    ")",
    "12,000",
    "1,2,3",
    "$1.5 billion",
    "2025-12-19",
    "on Monday",
    "said",
    "U.S.",
    "Jan.",
    "S-400",
)

any_char = st.characters(exclude_categories=())  # surrogates included
news_text = st.lists(
    st.one_of(
        st.sampled_from(PROSE),
        st.sampled_from(NOISE),
        st.text(any_char, max_size=12),
    ),
    min_size=1,
    max_size=40,
).map("".join)
source = st.one_of(
    news_text,
    news_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    news_text.map(lambda t: t.encode("utf-16", "surrogatepass")),
    st.text(any_char, max_size=400),
    st.binary(max_size=600),
)
published = st.one_of(  # mostly readable: an unreadable date (E010) stops at the door
    st.none(),
    st.none(),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["Nov 22, 2016", "Tue, 22 Nov 2016 10:30:00 +0000", "2016-11-22T10:00Z"]),
    st.text(any_char, max_size=12),
)
title = st.one_of(st.none(), st.text(any_char, max_size=40))


def schema_validator() -> Any:
    import jsonschema

    text = resources.files("newsgraph").joinpath("data/report.schema.json").read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def check(
    src: str | bytes, day: str | None, head: str | None, validator: Any = None
) -> Report | None:
    """The property, for one input: a valid, serialisable Report, or a NewsgraphError."""
    try:
        report = newsgraph.analyze(src, published=day, title=head)
    except NewsgraphError:
        return None
    text = report.to_json()
    assert "\n" not in text and "\r" not in text, "a report must be one line of JSON Lines"
    data = text.encode("utf-8")  # must not raise
    again = Report.from_json(data.decode("utf-8"))
    assert again.to_dict() == report.to_dict(), "the report does not round-trip"
    assert report.span_problems() == [], report.span_problems()[:3]
    if validator is not None:
        errors = list(validator.iter_errors(report.to_dict()))
        assert not errors, errors[0].message
    return report
