"""The corpus layer over a real DuckDB store, with hand-built reports (no model):
duplicates, stories, incremental and idempotent placement, interrupted updates."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsgraph.corpus import (
    actor_timeline,
    get_story,
    list_stories,
    placements,
    rebuild_corpus,
    unplaced,
    update_corpus,
)
from newsgraph.corpus import update as corpus_update
from newsgraph.corpus.sketch import is_duplicate, shingle_hashes
from newsgraph.errors import NewsgraphError
from newsgraph.report import Article, Entity, Report, Span
from newsgraph.store import Store

WORDS = [
    "harbour",
    "council",
    "budget",
    "river",
    "bridge",
    "tunnel",
    "ferry",
    "tariff",
    "grain",
    "wheat",
    "barley",
    "vessel",
    "convoy",
    "pipeline",
    "reactor",
    "turbine",
    "vaccine",
    "clinic",
    "outbreak",
    "drought",
    "flood",
    "levee",
    "dam",
    "election",
    "ballot",
    "recount",
    "quorum",
    "senate",
    "motion",
    "veto",
    "courtroom",
    "verdict",
    "appeal",
    "jury",
    "strike",
    "union",
    "wage",
    "factory",
    "mill",
    "smelter",
    "quarry",
    "mine",
    "copper",
    "nickel",
    "cobalt",
    "lithium",
    "satellite",
    "launch",
    "orbit",
    "rocket",
    "payload",
    "telescope",
    "glacier",
    "summit",
    "expedition",
    "rescue",
]


def prose(seed: int, sentences: int = 14, vocab: tuple[str, ...] | list[str] = WORDS) -> str:
    """A news-length text of its own (seeded), paragraphs split by blank lines."""
    rng = random.Random(seed)
    out = []
    for k in range(sentences):
        ws = [rng.choice(vocab) for _ in range(rng.randint(12, 20))]
        out.append(" ".join(ws).capitalize() + ".")
        if k % 3 == 2:
            out.append("\n\n")
    return " ".join(out).replace(" \n\n ", "\n\n").strip()


def entity(eid: str, name: str, typ: str, kb_id: str | None, text: str) -> Entity:
    spans = []
    start = text.find(name)
    while start >= 0:
        spans.append(Span(start, start + len(name), name))
        start = text.find(name, start + 1)
    return Entity(eid, name, typ, kb_id, spans or [Span(0, 1, text[:1])])  # type: ignore[arg-type]


def report(
    text: str,
    *,
    published: str | None = "2025-12-16",
    outlet: str | None = "Outlet A",
    title: str | None = None,
    entities: list[tuple[str, str, str | None]] = (),  # type: ignore[assignment]
) -> Report:
    ents = [entity(f"e{k}", n, t, kb, text) for k, (n, t, kb) in enumerate(entities, 1)]
    return Report(
        article=Article(text=text, title=title, outlet=outlet, published=published),
        entities=ents,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "corpus.duckdb")
    yield s  # type: ignore[misc]
    s.close()


def add(store: Store, *reports: Report) -> None:
    store.add_many((r, None, None) for r in reports)


def corpus_counts(store: Store) -> dict[str, int]:
    return {t: store.execute(f"SELECT count(*) FROM {t}")[0][0] for t in Store.corpus_tables}


# -- duplicates ----------------------------------------------------------------------------


def test_a_wire_copy_with_byline_boilerplate_swapped_paragraphs_and_edits_is_a_duplicate() -> None:
    wire = prose(1)
    paras = wire.split("\n\n")
    paras[1], paras[2] = paras[2], paras[1]
    copy = "By Staff Writer\n\n" + "\n\n".join(paras) + "\n\nAll rights reserved."
    copy = copy.replace("harbour", "harbor", 2).replace("budget", "budgets", 1)
    a, b = shingle_hashes([wire, copy])
    dup, share = is_duplicate(a, b)
    assert dup and share > 0.8


def test_a_shortened_version_is_a_duplicate_of_the_whole() -> None:
    wire = prose(2)
    short = "\n\n".join(wire.split("\n\n")[:2])
    a, b = shingle_hashes([wire, short])
    assert is_duplicate(a, b)[0]


def test_two_different_articles_sharing_only_boilerplate_are_not_duplicates() -> None:
    tail = "\n\nCopyright 2025 Example Media. All rights reserved. Follow us on social media."
    a, b = shingle_hashes([prose(3) + tail, prose(4) + tail])
    assert not is_duplicate(a, b)[0]


def test_copies_link_to_the_earliest_article_even_when_it_arrives_last(store: Store) -> None:
    wire = prose(5)
    later = report("By Staff Writer\n\n" + wire, published="2025-12-18", outlet="B")
    middle = report(wire + "\n\nAll rights reserved.", published="2025-12-17", outlet="C")
    earliest = report(wire, published="2025-12-16", outlet="Wire")
    add(store, later, middle)
    update_corpus(store)
    placed = placements(store, [later.article.id, middle.article.id])
    assert placed[later.article.id].duplicate_of == middle.article.id
    add(store, earliest)
    done = update_corpus(store)
    assert done.placed == 1 and done.duplicates == 1
    ids = [later.article.id, middle.article.id, earliest.article.id]
    placed = placements(store, ids)
    assert placed[earliest.article.id].duplicate_of is None
    assert placed[later.article.id].duplicate_of == earliest.article.id
    assert placed[middle.article.id].duplicate_of == earliest.article.id
    assert len({p.story for p in placed.values()}) == 1


def test_duplicate_candidates_come_from_lsh_buckets_not_from_every_stored_article(
    store: Store,
) -> None:
    add(store, *(report(prose(100 + k), outlet=f"O{k}") for k in range(30)))
    update_corpus(store)
    seen: list[int] = []
    original = corpus_update._Placer._shingles_of

    def spy(self: corpus_update._Placer, ids: object) -> dict[str, frozenset[int]]:
        got = original(self, ids)  # type: ignore[arg-type]
        seen.append(len(got))
        return got

    corpus_update._Placer._shingles_of = spy  # type: ignore[method-assign]
    try:
        add(store, report("By A. Writer\n\n" + prose(105), outlet="Late"))
        update_corpus(store)
    finally:
        corpus_update._Placer._shingles_of = original  # type: ignore[method-assign]
    assert seen and max(seen) <= 2  # the one true candidate (and perhaps a stray), not 30


# -- stories -------------------------------------------------------------------------------

S400 = [("S-400", "MILITARY_SYSTEM", "ngkb:system:s-400"), ("Hakan Fidan", "PERSON", "Q1")]
STATES = [("Turkey", "COUNTRY", "Q43"), ("Russia", "COUNTRY", "Q159")]


def s400_text(k: int) -> str:
    rng = random.Random(k)
    extra = " ".join(rng.choice(WORDS) for _ in range(40))
    return (
        f"Turkey and Russia discussed the return of the S-400 air defence batteries, "
        f"Hakan Fidan said. The S-400 return would end the dispute over the batteries. "
        f"Officials described the S-400 talks as serious. {extra}."
    )


def link_pairs(store: Store, relation: str) -> set[frozenset[str]]:
    rows = store.execute(
        "SELECT article_id, other_article_id FROM corpus_links WHERE relation = ?", [relation]
    )
    return {frozenset(r) for r in rows}


def test_an_earlier_copy_arriving_last_takes_over_its_groups_links(store: Store) -> None:
    figure = " The deal was worth $2.5 billion in July 2017."
    wire = s400_text(1) + figure
    ents = S400 + STATES
    later = report("By Staff Writer\n\n" + wire, published="2025-12-18", outlet="B", entities=ents)
    middle = report(
        wire + " All rights reserved.", published="2025-12-17", outlet="C", entities=ents
    )
    other = report(s400_text(2) + figure, published="2025-12-19", outlet="D", entities=ents)
    add(store, later, middle, other)
    update_corpus(store)
    m, la, o = middle.article.id, later.article.id, other.article.id
    assert link_pairs(store, "copies") == {frozenset({la, m})}
    assert link_pairs(store, "corroborates") == {frozenset({m, o})}

    earliest = report(wire, published="2025-12-16", outlet="Wire", entities=ents)
    add(store, earliest)
    update_corpus(store)
    e = earliest.article.id
    # copies link to the canonical article only, and only it corroborates for the group
    assert link_pairs(store, "copies") == {frozenset({la, e}), frozenset({m, e})}
    assert link_pairs(store, "corroborates") == {frozenset({e, o})}


def test_articles_of_one_story_from_several_outlets_join_it(store: Store) -> None:
    reports = [
        report(
            s400_text(k),
            outlet=f"Outlet {k}",
            published=f"2025-12-{15 + k}",
            entities=S400 + STATES,
        )
        for k in range(4)
    ]
    add(store, *reports)
    done = update_corpus(store)
    assert done.stories == 1 and done.joined == 3
    rows = list_stories(store)
    assert len(rows) == 1 and rows[0].articles == 4 and rows[0].outlets == 4


def test_merely_mentioning_the_same_states_does_not_make_one_story(store: Store) -> None:
    half = len(WORDS) // 2  # two stories about different things
    a = report(prose(7, vocab=WORDS[:half]) + " Turkey and Russia.", entities=STATES)
    b = report(
        prose(8, vocab=WORDS[half:]) + " Turkey and Russia.", entities=STATES, outlet="Other"
    )
    add(store, a, b)
    assert update_corpus(store).stories == 2


def test_an_article_a_year_later_does_not_join_without_strong_evidence(store: Store) -> None:
    first = report(s400_text(1), published="2024-12-16", entities=S400 + STATES)
    later = report(
        "Hakan Fidan visited Russia to discuss the S-400 batteries. " + prose(9),
        published="2025-12-20",
        outlet="Other",
        entities=S400 + STATES,
    )
    add(store, first, later)
    update_corpus(store)
    placed = placements(store, [first.article.id, later.article.id])
    assert placed[first.article.id].story != placed[later.article.id].story
    assert corpus_update.join_threshold(400) > corpus_update.join_threshold(3)


# -- incremental, idempotent, interrupted ---------------------------------------------------


def test_placing_again_changes_nothing_and_new_articles_are_placed_incrementally(
    store: Store,
) -> None:
    reports = [report(prose(20 + k), outlet=f"O{k}") for k in range(6)]
    add(store, *reports[:3])
    update_corpus(store)
    before = corpus_counts(store)
    assert update_corpus(store).placed == 0
    add(store, *reports[:3])  # re-ingesting stores nothing new
    assert update_corpus(store).placed == 0 and corpus_counts(store) == before
    add(store, *reports[3:])
    assert update_corpus(store).placed == 3 and unplaced(store) == 0


def test_an_interrupted_update_leaves_a_consistent_store_and_the_next_one_finishes(
    tmp_path: Path,
) -> None:
    wire = prose(40)
    reports = [report(prose(41 + k), outlet=f"O{k}") for k in range(5)]
    reports.insert(2, report(wire, outlet="Wire", published="2025-12-10"))
    reports.append(report("By Staff\n\n" + wire, outlet="Copy", published="2025-12-11"))

    def run(path: Path, fail_at: int | None) -> dict[str, tuple[str | None, str | None]]:
        with Store.open(path) as s:
            add(s, *reports)
            if fail_at is not None:
                calls = {"n": 0}
                original = corpus_update._Placer.place

                def boom(self: corpus_update._Placer, r: Report, ingested: object) -> object:
                    calls["n"] += 1
                    if calls["n"] == fail_at:
                        raise KeyboardInterrupt
                    return original(self, r, ingested)  # type: ignore[arg-type]

                corpus_update._Placer.place = boom  # type: ignore[method-assign,assignment]
                try:
                    with pytest.raises(KeyboardInterrupt):
                        update_corpus(s, batch=3)
                finally:
                    corpus_update._Placer.place = original  # type: ignore[method-assign]
                # the first batch of 3 is committed whole; the second rolled back whole
                assert s.execute("SELECT count(*) FROM corpus_articles")[0][0] == 3
                bands = s.execute("SELECT count(DISTINCT article_id) FROM corpus_bands")[0][0]
                assert bands == 3
                assert unplaced(s) == len(reports) - 3
            update_corpus(s)
            got = placements(s, [r.article.id for r in reports])
            return {k: (v.duplicate_of, v.story) for k, v in got.items()}

    assert run(tmp_path / "a.duckdb", fail_at=5) == run(tmp_path / "b.duckdb", fail_at=None)


def test_rebuild_places_every_article_again_with_the_same_result(store: Store) -> None:
    wire = prose(60)
    add(store, report(wire), report("By X\n\n" + wire, outlet="Copy", published="2025-12-17"))
    add(store, *(report(prose(61 + k), outlet=f"O{k}") for k in range(3)))
    update_corpus(store)
    before = corpus_counts(store)
    done = rebuild_corpus(store)
    assert done.placed == 5 and done.duplicates == 1
    assert corpus_counts(store) == before


def test_a_story_lists_its_articles_by_outlet_with_copies_marked(store: Store) -> None:
    wire = s400_text(3)
    add(
        store,
        report(wire, outlet="Wire", entities=S400 + STATES, title="S-400 talks"),
        report(
            "By Staff\n\n" + wire, outlet="Copy", published="2025-12-17", entities=S400 + STATES
        ),
    )
    update_corpus(store)
    (row,) = list_stories(store)
    found = get_story(store, row.id[:6])
    assert found is not None and found.title == "S-400 talks"
    assert sorted(found.by_outlet) == ["Copy", "Wire"]
    assert [a.duplicate_of is not None for a in found.articles] == [False, True]
    assert get_story(store, "nope") is None


def test_an_unknown_actor_is_a_coded_error(store: Store) -> None:
    with pytest.raises(NewsgraphError) as err:
        actor_timeline(store, "Nobody Atall")
    assert err.value.code == "E038"


def test_placing_one_article_at_a_time_reads_lazily_and_agrees_with_a_rebuild(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    wire = s400_text(5)
    reports = [
        report(
            s400_text(k),
            outlet=f"Outlet {k}",
            published=f"2025-12-{15 + k}",
            entities=S400 + STATES,
        )
        for k in range(3)
    ]
    reports += [
        report("By Staff\n\n" + wire, outlet="Copy", published="2025-12-19", entities=S400),
        report(wire, outlet="Wire", published="2025-12-18", entities=S400),
        report(prose(70, vocab=WORDS[:20]), outlet="Other", entities=STATES),
    ]
    for r in reports:  # as the web app stores them: one update per article
        add(store, r)
        assert update_corpus(store).placed == 1
    ids = [r.article.id for r in reports]
    one_by_one = {k: (v.duplicate_of, v.story) for k, v in placements(store, ids).items()}
    monkeypatch.setattr(corpus_update, "EAGER_FROM", 1)  # the rebuild reads it all at once
    rebuild_corpus(store)
    assert {k: (v.duplicate_of, v.story) for k, v in placements(store, ids).items()} == one_by_one
    assert len({story for _, story in one_by_one.values()}) == 2
