"""Placing stored articles in the corpus: duplicates, stories and statement links.

:func:`update_corpus` places every stored article that is not yet placed, in ingest
order, a batch per transaction. Placing one article:

1. **Duplicates.** Its LSH band keys find the stored articles it may copy (one indexed
   look-up); each candidate is verified on the texts (:mod:`.sketch`). A duplicate
   joins its group, whose canonical article is the earliest published (an earlier copy
   arriving later becomes the canonical); it takes the canonical's story and adds
   nothing to it but a copy.
2. **Stories.** Otherwise its story terms (:mod:`.terms`) are compared with the stories
   sharing any of its rarer terms; it joins the most similar one when the cosine
   passes a threshold that rises with the days between the article and the story (an
   article a year later needs far stronger evidence), else it starts a story.
3. **Links.** Its claims and quotes are compared with those of the other articles of
   its story (:mod:`.statements`): the same statement from an independent outlet
   corroborates, a conflicting version contradicts, and in a copy of its article the
   statement is a copy. Links are stored in both directions with why they were made.

Each article is placed exactly once (re-ingesting changes nothing) and a batch is
committed whole, so an interrupted update leaves the store as it was before that
batch; the next update goes on from there.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from ..report import Report
from ..store import Store
from . import sketch as sk
from .statements import Match, Statement, Value, compare, statements_of
from .terms import article_terms, cosine, top_terms

log = logging.getLogger(__name__)

#: The cosine an article needs to join a story it is close to in time (days apart).
JOIN_SIMILARITY: Final = 0.25
#: ... rising linearly to this at :data:`FAR_DAYS` apart ...
FAR_SIMILARITY: Final = 0.45
FAR_DAYS: Final = 90
#: ... and to this a year or more apart: only a near-retelling joins.
YEAR_SIMILARITY: Final = 0.60
#: Terms held by more than this share of the corpus do not find candidate stories.
COMMON_TERM_SHARE: Final = 0.10
#: Candidate stories scored per article (those sharing most rare terms).
MAX_CANDIDATES: Final = 25
#: Articles placed per transaction.
BATCH: Final = 100


@dataclass
class CorpusUpdate:
    """What one :func:`update_corpus` did."""

    placed: int = 0
    duplicates: int = 0
    stories: int = 0  # stories started
    joined: int = 0  # articles that joined an existing story
    links: int = 0  # statement links made (each counted once, not per direction)

    def add(self, other: CorpusUpdate) -> None:
        for key, value in asdict(other).items():
            setattr(self, key, getattr(self, key) + value)


def join_threshold(days_apart: int) -> float:
    """The similarity an article needs to join a story ``days_apart`` from it."""
    if days_apart <= 7:
        return JOIN_SIMILARITY
    if days_apart <= FAR_DAYS:
        share = (days_apart - 7) / (FAR_DAYS - 7)
        return JOIN_SIMILARITY + share * (FAR_SIMILARITY - JOIN_SIMILARITY)
    if days_apart >= 365:
        return YEAR_SIMILARITY
    share = (days_apart - FAR_DAYS) / (365 - FAR_DAYS)
    return FAR_SIMILARITY + share * (YEAR_SIMILARITY - FAR_SIMILARITY)


def outlet_key(outlet: str | None, url: str | None) -> str | None:
    """Who published an article: its outlet, else its URL's host (``www.`` dropped)."""
    if outlet and outlet.strip():
        name = " ".join(outlet.casefold().split())
        return name[4:] if name.startswith("the ") else name
    if url:
        host = (urlsplit(url).hostname or "").casefold()
        return (host[4:] if host.startswith("www.") else host) or None
    return None


def independent(a: str | None, b: str | None) -> bool:
    """Whether two outlet keys are different publishers (unknown ones count as different)."""
    return a is None or b is None or a != b


# -- statements to and from the store ----------------------------------------------------


def statement_row(s: Statement) -> tuple[Any, ...]:
    return (
        s.article_id,
        s.item_id,
        s.kind,
        s.start,
        s.end,
        s.text,
        json.dumps(sorted(s.words), ensure_ascii=False),
        json.dumps([asdict(v) for v in s.values], ensure_ascii=False),
        s.speaker,
    )


def statement_from_row(row: Sequence[Any]) -> Statement:
    aid, iid, kind, start, end, text, words, values, speaker = row[:9]
    return Statement(
        article_id=aid,
        item_id=iid,
        kind=kind,
        start=int(start),
        end=int(end),
        text=text,
        words=frozenset(json.loads(words)),
        values=tuple(Value(**v) for v in json.loads(values)),
        speaker=speaker,
    )


_STATEMENT_COLS: Final = 'article_id, item_id, kind, "start", "end", text, words, vals, speaker'


def _columns(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [list(col) for col in zip(*rows, strict=True)]


# -- placing ------------------------------------------------------------------------------


@dataclass
class _Placed:
    article_id: str
    duplicate_of: str | None
    story: str
    day: dt.date
    outlet: str | None


class _Placer:
    """Places articles one by one inside the caller's transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        row = store.execute("SELECT coalesce(max(seq), 0) FROM corpus_articles")
        self.seq = int(row[0][0])
        row = store.execute("SELECT count(*) FROM corpus_articles WHERE duplicate_of IS NULL")
        self.canonical = int(row[0][0])
        self._hashes: dict[str, frozenset[int]] = {}
        self._by_story: dict[str, list[tuple[Statement, str | None]]] = {}

    # duplicates ------------------------------------------------------------------------

    def _shingles_of(self, ids: Iterable[str]) -> dict[str, frozenset[int]]:
        ids = list(ids)
        wanted = [i for i in ids if i not in self._hashes]
        if wanted:
            rows = self.store.execute(
                "SELECT id, text FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))",
                [wanted],
            )
            for aid, text in rows:
                self._hashes[str(aid)] = sk.shingle_hashes([str(text)])[0]
        return {i: self._hashes[i] for i in ids if i in self._hashes}

    def find_duplicate(self, sketch_: sk.Sketch) -> tuple[str, float] | None:
        """The stored article this text copies (the best verified candidate), if any."""
        if not sketch_.bands:
            return None
        rows = self.store.execute(
            "SELECT DISTINCT article_id FROM corpus_bands "
            "WHERE band IN (SELECT unnest($1::UBIGINT[]))",
            [list(sketch_.bands)],
        )
        best: tuple[str, float] | None = None
        for aid, hashes in self._shingles_of(str(r[0]) for r in rows).items():
            dup, share = sk.is_duplicate(sketch_.hashes, hashes)
            if dup and (best is None or share > best[1] or (share == best[1] and aid < best[0])):
                best = (aid, share)
        return best

    # stories ---------------------------------------------------------------------------

    def _df(self, terms: Iterable[str]) -> dict[str, int]:
        rows = self.store.execute(
            "SELECT term, df FROM corpus_df WHERE term IN (SELECT unnest($1::VARCHAR[]))",
            [list(terms)],
        )
        return {str(t): int(n) for t, n in rows}

    def choose_story(
        self, vector: dict[str, float], day: dt.date, df: dict[str, int]
    ) -> tuple[str, float] | None:
        """The story this article joins and its similarity, or None for a new story."""
        cap = max(2, int(COMMON_TERM_SHARE * max(self.canonical, 1)))
        probes = [t for t in vector if df.get(t, 0) <= cap]
        if not probes:
            return None
        rows = self.store.execute(
            "SELECT story, count(*) AS shared FROM story_terms "
            "WHERE term IN (SELECT unnest($1::VARCHAR[])) GROUP BY story "
            "ORDER BY shared DESC, story LIMIT $2",
            [probes, MAX_CANDIDATES],
        )
        stories = [str(r[0]) for r in rows]
        if not stories:
            return None
        spans = {
            str(s): (first, last)
            for s, first, last in self.store.execute(
                "SELECT id, first_day, last_day FROM stories "
                "WHERE id IN (SELECT unnest($1::VARCHAR[]))",
                [stories],
            )
        }
        centroids: dict[str, dict[str, float]] = {s: {} for s in stories}
        for s, term, weight in self.store.execute(
            "SELECT story, term, weight FROM story_terms "
            "WHERE story IN (SELECT unnest($1::VARCHAR[]))",
            [stories],
        ):
            centroids[str(s)][str(term)] = float(weight)
        all_df = self._df({t for c in centroids.values() for t in c} | set(vector))
        best: tuple[str, float] | None = None
        for story in stories:
            first, last = spans.get(story, (day, day))
            gap = (
                0 if first <= day <= last else min(abs((day - first).days), abs((day - last).days))
            )
            sim, _ = cosine(vector, centroids[story], all_df, self.canonical + 1)
            if sim >= join_threshold(gap) and (best is None or sim > best[1]):
                best = (story, sim)
        return best

    # links -------------------------------------------------------------------------------

    def _statements(self, where: str, args: list[Any]) -> list[tuple[Statement, str | None]]:
        cols = ", ".join("s." + c.strip() for c in _STATEMENT_COLS.split(","))
        rows = self.store.execute(
            f"SELECT {cols}, c.outlet_key FROM corpus_statements s JOIN corpus_articles c "
            f"ON c.article_id = s.article_id WHERE {where} ORDER BY c.seq, s.item_id",
            args,
        )
        return [(statement_from_row(row), row[9]) for row in rows]

    def story_statements(self, story: str) -> list[tuple[Statement, str | None]]:
        """The statements of a story's canonical articles (read once per batch, then kept
        up to date as articles are placed), each with its article's outlet key."""
        if story not in self._by_story:
            self._by_story[story] = self._statements(
                "c.story = $1 AND c.duplicate_of IS NULL", [story]
            )
        return self._by_story[story]

    def link(self, mine: list[Statement], placed: _Placed, copy_of: str | None) -> int:
        """Compare this article's statements with its story's canonical articles and, when
        it is in a duplicate group, with the article it copies (``copy_of``); store the
        links both ways. Only pairs sharing a word are compared (every match needs one)."""
        if not mine:
            return 0
        if placed.duplicate_of is not None:
            others = self._statements("c.article_id = $1", [placed.duplicate_of])
        else:
            others = [o for o in self.story_statements(placed.story) if o[0].article_id != copy_of]
            if copy_of is not None:
                others += self._statements("c.article_id = $1", [copy_of])
        index: dict[str, list[int]] = {}
        for k, s in enumerate(mine):
            for w in s.words:
                index.setdefault(w, []).append(k)
        links: list[tuple[Any, ...]] = []
        for other, other_outlet in others:
            if other.article_id == placed.article_id:
                continue
            same_group = other.article_id in (placed.duplicate_of, copy_of)
            near = sorted({k for w in other.words for k in index.get(w, ())})
            for k in near:
                s = mine[k]
                match = compare(s, other)
                if match is None:
                    continue
                relation = _relation(match, same_group, placed.outlet, other_outlet)
                if relation is not None:
                    links += _link_rows(s, other, relation, match, placed.story)
        if links:
            self.store.insert_columns("corpus_links", _columns(links))
        if placed.duplicate_of is None:
            kept = self.story_statements(placed.story)
            if copy_of is not None:  # the old canonical is a copy now
                kept[:] = [o for o in kept if o[0].article_id != copy_of]
            kept.extend((s, placed.outlet) for s in mine)
        return len(links) // 2

    # one article ----------------------------------------------------------------------------

    def place(self, report: Report, ingested: dt.datetime | None) -> CorpusUpdate:
        art = report.article
        aid = art.id
        day = _day(art.published, ingested)
        outlet = outlet_key(art.outlet, art.url)
        sketch_ = sk.sketch(art.text)
        self._hashes[aid] = sketch_.hashes
        done = CorpusUpdate(placed=1)
        self.seq += 1

        found = self.find_duplicate(sketch_)
        duplicate_of: str | None = None
        copy_of: str | None = None
        share: float | None = None
        story: str
        if found is not None:
            target, share = found
            canon_row = self.store.execute(
                "SELECT coalesce(duplicate_of, article_id) FROM corpus_articles "
                "WHERE article_id = ?",
                [target],
            )
            canon = str(canon_row[0][0])
            crow = self.store.execute(
                "SELECT story, published FROM corpus_articles WHERE article_id = ?", [canon]
            )
            story, canon_day = str(crow[0][0]), crow[0][1]
            done.duplicates = 1
            if day < canon_day:
                # an earlier copy arrived later: it is the canonical article from now on
                self.store.execute(
                    "UPDATE corpus_articles SET duplicate_of = ? "
                    "WHERE duplicate_of = ? OR article_id = ?",
                    [aid, canon, canon],
                )
                copy_of = canon
            else:
                duplicate_of = canon
            self.store.execute("UPDATE stories SET copies = copies + 1 WHERE id = ?", [story])
        else:
            terms = article_terms(report)
            df = self._df(terms)
            vector = top_terms(terms, df, self.canonical + 1)
            chosen = self.choose_story(vector, day, df)
            if chosen is None:
                story = "st-" + aid[:12]
                self.store.execute(
                    "INSERT INTO stories VALUES (?, ?, ?, ?, 0, 0, ?)",
                    [story, _title(report), day, day, self.seq],
                )
                done.stories = 1
            else:
                story = chosen[0]
                done.joined = 1
            self.store.execute(
                "UPDATE stories SET articles = articles + 1, first_day = least(first_day, ?), "
                "last_day = greatest(last_day, ?) WHERE id = ?",
                [day, day, story],
            )
            self.store.execute(
                "INSERT INTO story_terms SELECT ?, unnest($2::VARCHAR[]), unnest($3::DOUBLE[]) "
                "ON CONFLICT (story, term) DO UPDATE SET weight = story_terms.weight + "
                "excluded.weight",
                [story, list(vector), list(vector.values())],
            )
            self.store.insert_columns(
                "corpus_terms",
                [[aid] * len(vector), list(vector), list(vector.values())],
            )
            self.store.execute(
                "INSERT INTO corpus_df SELECT unnest($1::VARCHAR[]), 1 "
                "ON CONFLICT (term) DO UPDATE SET df = corpus_df.df + 1",
                [list(terms)],
            )
            self.canonical += 1
        self.store.execute(
            "INSERT INTO corpus_articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [aid, self.seq, duplicate_of, share, story, day, outlet, sketch_.size],
        )
        if sketch_.bands:
            self.store.insert_columns(
                "corpus_bands", [list(sketch_.bands), [aid] * len(sketch_.bands)]
            )
        placed = _Placed(aid, duplicate_of, story, day, outlet)
        mine = statements_of(report)
        done.links = self.link(mine, placed, copy_of)
        if mine:
            self.store.insert_columns(
                "corpus_statements", _columns([statement_row(s) for s in mine])
            )
        return done


def _relation(
    match: Match, same_group: bool, outlet: str | None, other_outlet: str | None
) -> str | None:
    """What a match between two articles' statements is: a conflicting version
    contradicts; within a duplicate group the same statement is a copy; else it
    corroborates when the outlets are independent (an outlet repeating itself
    confirms nothing)."""
    if match.relation == "contradicts":
        return "contradicts"
    if same_group:
        return "copies"
    if independent(outlet, other_outlet):
        return "corroborates"
    return None


def _day(published: str | None, ingested: dt.datetime | None) -> dt.date:
    if published:
        try:
            return dt.date.fromisoformat(published[:10])
        except ValueError:
            pass
    return (ingested or dt.datetime.now(dt.UTC)).date()


def _title(report: Report) -> str:
    """A story's title: its first article's title, else that article's first sentence."""
    if report.article.title and report.article.title.strip():
        return " ".join(report.article.title.split())
    text = " ".join(report.article.text.split())
    end = text.find(". ")
    first = text if end < 0 else text[: end + 1]
    return first if len(first) <= 160 else first[:157].rstrip() + "..."


def _link_rows(
    a: Statement, b: Statement, relation: str, match: Match, story: str
) -> list[tuple[Any, ...]]:
    """The two rows (both directions) of one link."""
    why = match.why
    return [
        (
            a.article_id,
            a.item_id,
            a.kind,
            relation,
            b.article_id,
            b.item_id,
            b.kind,
            a.start,
            a.end,
            a.text,
            b.start,
            b.end,
            b.text,
            why,
            story,
        ),
        (
            b.article_id,
            b.item_id,
            b.kind,
            relation,
            a.article_id,
            a.item_id,
            a.kind,
            b.start,
            b.end,
            b.text,
            a.start,
            a.end,
            a.text,
            why,
            story,
        ),
    ]


def pending(store: Store) -> list[tuple[str, dt.datetime | None]]:
    """Stored articles not yet placed, in ingest order, with their ingest time."""
    rows = store.execute(
        "SELECT a.id, a.ingested_at FROM articles a "
        "WHERE NOT EXISTS (SELECT 1 FROM corpus_articles c WHERE c.article_id = a.id) "
        "ORDER BY a.ingested_at, a.rowid"
    )
    return [(str(r[0]), r[1]) for r in rows]


def update_corpus(
    store: Store,
    *,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> CorpusUpdate:
    """Place every stored article not yet placed; ``progress(done, total)`` after each batch."""
    todo = pending(store)
    total = CorpusUpdate()
    for k in range(0, len(todo), batch):
        chunk = todo[k : k + batch]
        reports = {
            str(aid): Report.from_json(str(js))
            for aid, js in store.execute(
                "SELECT id, report FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))",
                [[aid for aid, _ in chunk]],
            )
        }
        with store.transaction():
            placer = _Placer(store)
            for aid, ingested in chunk:
                if aid in reports:
                    total.add(placer.place(reports[aid], ingested))
        if progress is not None:
            progress(min(k + batch, len(todo)), len(todo))
    return total


def rebuild_corpus(
    store: Store, *, progress: Callable[[int, int], None] | None = None
) -> CorpusUpdate:
    """Forget every placement and place all stored articles again, in ingest order."""
    from ..store.schema import CORPUS_TABLES

    with store.transaction():
        for table in CORPUS_TABLES:
            store.execute(f'DELETE FROM "{table.name}"')
    return update_corpus(store, progress=progress)
