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
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final
from urllib.parse import urlsplit

from ..report import Report
from ..store import Store
from ..timevalues import parse_value
from . import sketch as sk
from .statements import Match, Statement, Value, compare, statements_of, through
from .terms import (
    IDF_PRIOR,
    article_terms,
    cosine_weighted,
    is_actor_term,
    top_terms,
    weighted,
)

log = logging.getLogger(__name__)

#: The cosine an article needs to join a story it is close to in time (days apart) ...
JOIN_SIMILARITY: Final = 0.35
#: ... or this, when it shares at least SHARED_ACTORS rare actors (people, organisations,
#: weapon systems, programmes none but a small share of the corpus names) with the story
#: and is within WINDOW_DAYS of it.
JOIN_WITH_ACTORS: Final = 0.25
SHARED_ACTORS: Final = 2
#: An actor named by more than this share of the corpus (and of the IDF prior's
#: background documents, so that a small corpus is not all rare) is not rare.
RARE_ACTOR_SHARE: Final = 0.005
#: ... rising linearly to this at :data:`FAR_DAYS` apart ...
FAR_SIMILARITY: Final = 0.45
FAR_DAYS: Final = 90
#: ... and to this a year or more apart: only a near-retelling joins.
YEAR_SIMILARITY: Final = 0.60
#: A story is compared by its articles within this many days of the new one.
WINDOW_DAYS: Final = 14
#: Terms held by more than this share of the corpus do not find candidate stories.
COMMON_TERM_SHARE: Final = 0.10
#: Candidate stories scored per article (those sharing most rare terms).
MAX_CANDIDATES: Final = 12
#: A story is compared by at most this many of its articles nearest in time.
NEAREST: Final = 25
#: Statements of more words than this need two words in common to be compared.
SHORT_STATEMENT: Final = 4
#: An update of this many articles or more reads the corpus's state at once; a smaller
#: one (the web app storing an article) reads what each article needs.
EAGER_FROM: Final = 20
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
    """The similarity an article needs to join a story ``days_apart`` from it (less
    when they share rare actors: see :meth:`_Placer.choose_story`)."""
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
        json.dumps([_value_dict(v) for v in s.values], ensure_ascii=False),
        s.speaker,
    )


def _value_dict(v: Value) -> dict[str, Any]:
    return {
        "kind": v.kind,
        "key": v.key,
        "value": v.value,
        "text": v.text,
        "start": v.start,
        "end": v.end,
    }


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


@dataclass
class _Story:
    """What placing needs of a story, held for one update: its row and, for each of its
    canonical articles, the day and story terms."""

    id: str
    title: str
    first: dt.date
    last: dt.date
    articles: int
    copies: int
    seq: int
    members: list[tuple[dt.date, dict[str, float]]] = field(default_factory=list)
    changed: bool = False


class _Placer:
    """Places articles one by one. The state placing reads (stories and their terms, the
    inverted index of terms, document frequencies) is read once per update and kept up
    to date in memory; what placing writes is kept until :meth:`flush`, which the caller
    runs inside its transaction at the end of each batch."""

    def __init__(self, store: Store, *, eager: bool = True) -> None:
        self.store = store
        row = store.execute("SELECT coalesce(max(seq), 0) FROM corpus_articles")
        self.seq = int(row[0][0])
        row = store.execute("SELECT count(*) FROM corpus_articles WHERE duplicate_of IS NULL")
        self.canonical = int(row[0][0])
        self._hashes: dict[str, frozenset[int]] = {}
        self._by_story: dict[str, list[tuple[Statement, str | None]]] = {}
        #: articles that started a story in this batch, their statements not read yet:
        #: id -> (report, outlet key, story). An article alone in its story has nothing to
        #: be compared with; its statements are read when a second article joins.
        self._deferred: dict[str, tuple[Report, str | None, str]] = {}
        self._stated: set[str] = set()  # articles whose statements are read (this update)
        self._fresh: dict[str, list[tuple[Statement, str | None]]] = {}  # read, not written
        #: Eager: read every story's terms and every term's frequency now (an ingest);
        #: else read those an article needs as it is placed (one article from the web app).
        self.eager = eager
        self.df: dict[str, int] = {}
        self._df_added: Counter[str] = Counter()
        self.stories: dict[str, _Story] = {}
        self.index: dict[str, set[str]] = {}
        self._loaded: set[str] = set()  # stories whose terms are read
        if eager:
            self.df = {str(t): int(n) for t, n in store.execute("SELECT term, df FROM corpus_df")}
            self._load_stories(None)
        #: story -> (its members list, how many, the day, its centroid around that day, the
        #: days to its nearest member): what choose_story compared it by, kept while it
        #: holds (members are only ever appended: their count says whether it changed)
        self._centroids: dict[
            str, tuple[list[tuple[dt.date, dict[str, float]]], int, dt.date, dict[str, float], int]
        ] = {}
        #: where the articles placed in this update went: id -> (duplicate_of, story, day)
        self.placed: dict[str, tuple[str | None, str, dt.date]] = {}
        self._bands: dict[int, list[str]] = {}  # bands of this batch, not yet written
        # a batch's sketches and the stored articles sharing their bands, read at once
        self._sketches: dict[str, sk.Sketch] = {}
        self._stored_bands: dict[int, list[str]] | None = None
        self._rows: dict[str, list[tuple[Any, ...]]] = {
            "corpus_articles": [],
            "corpus_bands": [],
            "corpus_terms": [],
            "corpus_statements": [],
            "corpus_links": [],
            "actor_items": [],
        }

    def _load_stories(self, ids: list[str] | None) -> None:
        """Read stories and their canonical articles' terms: all, or ``ids``."""
        if ids is not None:
            ids = [i for i in ids if i not in self._loaded]
            if not ids:
                return
        only = "" if ids is None else "WHERE id IN (SELECT unnest($1::VARCHAR[]))"
        args: list[Any] = [] if ids is None else [ids]
        for r in self.store.execute(
            f"SELECT id, title, first_day, last_day, articles, copies, seq FROM stories {only}",
            args,
        ):
            if str(r[0]) not in self.stories:
                self.stories[str(r[0])] = _Story(
                    str(r[0]), r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[6])
                )
        members: dict[str, dict[str, float]] = {}
        where: dict[str, tuple[str, dt.date]] = {}
        also = "" if ids is None else "AND c.story IN (SELECT unnest($1::VARCHAR[]))"
        for aid, story, day, term, weight in self.store.execute(
            "SELECT c.article_id, c.story, c.published, t.term, t.weight FROM corpus_terms t "
            "JOIN corpus_articles c ON c.article_id = t.article_id "
            f"WHERE c.duplicate_of IS NULL {also} ORDER BY c.seq",
            args,
        ):
            members.setdefault(aid, {})[term] = float(weight)
            where[aid] = (story, day)
        for aid, vector in members.items():
            story, day = where[aid]
            if story in self.stories:
                self._remember(self.stories[story], day, vector)
        self._loaded.update(self.stories if ids is None else ids)

    def need_df(self, terms: Iterable[str]) -> None:
        """Make sure the frequencies of ``terms`` are read (lazy mode)."""
        if self.eager:
            return
        wanted = [t for t in terms if t not in self.df]
        if wanted:
            found = {
                str(t): int(n)
                for t, n in self.store.execute(
                    "SELECT term, df FROM corpus_df WHERE term IN (SELECT unnest($1::VARCHAR[]))",
                    [wanted],
                )
            }
            for t in wanted:
                self.df[t] = found.get(t, 0)

    def _candidates_lazily(self, probes: list[str]) -> None:
        """Lazy mode: read the stories that share the probe terms."""
        if self.eager or not probes:
            return
        rows = self.store.execute(
            "SELECT DISTINCT c.story FROM corpus_terms t JOIN corpus_articles c "
            "ON c.article_id = t.article_id "
            "WHERE t.term IN (SELECT unnest($1::VARCHAR[])) AND c.duplicate_of IS NULL",
            [probes],
        )
        self._load_stories([str(r[0]) for r in rows])

    def _remember(self, story: _Story, day: dt.date, vector: dict[str, float]) -> None:
        story.members.append((day, vector))
        for term in vector:
            self.index.setdefault(term, set()).add(story.id)

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

    def sketch_batch(self, reports: Iterable[Report]) -> None:
        """Sketch a batch's articles and read the stored articles sharing any of their
        bands in one look-up (kept until :meth:`end_batch`)."""
        for r in reports:
            self._sketches[r.article.id] = sk.sketch(r.article.text)
        bands = sorted({b for s in self._sketches.values() for b in s.bands})
        rows = self.store.execute(
            "SELECT band, article_id FROM corpus_bands "
            "WHERE band IN (SELECT unnest($1::UBIGINT[]))",
            [bands],
        )
        self._stored_bands = {}
        for band, aid in rows:
            self._stored_bands.setdefault(int(band), []).append(str(aid))

    def end_batch(self) -> None:
        self.flush()
        self._sketches.clear()
        self._stored_bands = None
        self._deferred.clear()  # stored without statements: read from their reports later
        self._fresh.clear()

    def find_duplicate(self, sketch_: sk.Sketch) -> tuple[str, float] | None:
        """The stored article this text copies (the best verified candidate), if any."""
        if not sketch_.bands:
            return None
        found: set[str] = set()
        if self._stored_bands is not None:
            for band in sketch_.bands:
                found.update(self._stored_bands.get(band, ()))
        else:
            rows = self.store.execute(
                "SELECT DISTINCT article_id FROM corpus_bands "
                "WHERE band IN (SELECT unnest($1::UBIGINT[]))",
                [list(sketch_.bands)],
            )
            found.update(str(r[0]) for r in rows)
        for band in sketch_.bands:
            found.update(self._bands.get(band, ()))
        best: tuple[str, float] | None = None
        for aid, hashes in sorted(self._shingles_of(found).items()):
            dup, share = sk.is_duplicate(sketch_.hashes, hashes)
            if dup and (best is None or share > best[1]):
                best = (aid, share)
        return best

    def where_is(self, aid: str) -> tuple[str | None, str, dt.date]:
        """(duplicate_of, story, day) of a placed article."""
        if aid in self.placed:
            return self.placed[aid]
        row = self.store.execute(
            "SELECT duplicate_of, story, published FROM corpus_articles WHERE article_id = ?",
            [aid],
        )[0]
        return row[0], str(row[1]), row[2]

    # stories ---------------------------------------------------------------------------

    def choose_story(
        self, vector: dict[str, float], day: dt.date, df: dict[str, int]
    ) -> tuple[str, float] | None:
        """The story this article joins and its similarity, or None for a new story.

        Candidates are the stories sharing most of the article's rarer terms. Each is
        compared by its articles nearest in time (those within WINDOW_DAYS of its closest
        one, at most NEAREST of them): a long-running story is compared by what it said
        around then, not as one growing bag of words. The similarity needed rises with
        the days between the article and the story's closest article."""
        cap = max(2, int(COMMON_TERM_SHARE * max(self.canonical, 1)))
        probes = [term for term in vector if df.get(term, 0) <= cap]
        self._candidates_lazily(probes)
        shared: Counter[str] = Counter()
        for term in probes:
            shared.update(self.index.get(term, ()))
        best: tuple[str, float] | None = None
        mine = weighted(vector, df, self.canonical + 1)  # the same for every candidate
        for sid, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]:
            story = self.stories[sid]
            centroid, gap = self._centroid(story, day)
            self.need_df(centroid)
            sim, shared_terms = cosine_weighted(mine, centroid, df, self.canonical + 1)
            need = join_threshold(gap)
            rare = int(RARE_ACTOR_SHARE * (self.canonical + 1 + IDF_PRIOR))
            actors = [t for t in shared_terms if is_actor_term(t) and df.get(t, 0) <= rare]
            if len(actors) >= SHARED_ACTORS and gap <= WINDOW_DAYS:
                need = JOIN_WITH_ACTORS  # the same people in the same weeks
            if sim >= need and (best is None or sim > best[1]):
                best = (sid, sim)
        return best

    def _centroid(self, story: _Story, day: dt.date) -> tuple[dict[str, float], int]:
        """The sum of the term vectors of ``story``'s articles nearest ``day`` (those
        within WINDOW_DAYS of its closest one, at most NEAREST of them), and the days
        from ``day`` to its closest article. Never changed by the caller: it is kept
        for the next article of the same day while the story gains no article."""
        kept = self._centroids.get(story.id)
        if (
            kept is not None
            and kept[0] is story.members
            and kept[1] == len(story.members)
            and kept[2] == day
        ):
            return kept[3], kept[4]
        by_time = sorted(story.members, key=lambda m: abs((m[0] - day).days))
        gap = abs((by_time[0][0] - day).days)
        near = []
        for member_day, member in by_time[:NEAREST]:
            if abs((member_day - day).days) > gap + WINDOW_DAYS:
                break
            near.append(member)
        centroid: dict[str, float]
        if len(near) == 1:
            centroid = near[0]  # a vector alone is its own sum (and is never changed)
        else:
            centroid = {}
            for member in near:
                for term, weight in member.items():
                    centroid[term] = centroid.get(term, 0.0) + weight
        self._centroids[story.id] = (story.members, len(story.members), day, centroid, gap)
        return centroid, gap

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
        """The statements of a story's canonical articles (read once per update, then kept
        up to date as articles are placed), each with its article's outlet key."""
        if story not in self._by_story:
            found = self._statements("c.story = $1 AND c.duplicate_of IS NULL", [story])
            unread = self.store.execute(
                "SELECT c.article_id, c.outlet_key FROM corpus_articles c "
                "WHERE c.story = $1 AND c.duplicate_of IS NULL AND NOT EXISTS "
                "(SELECT 1 FROM corpus_statements s WHERE s.article_id = c.article_id)",
                [story],
            )
            have = {s.article_id for s, _ in found}
            for aid, kept in self._fresh.items():  # read in this batch, not written yet
                dup, st, _ = self.where_is(aid)
                if st == story and dup is None and aid not in have:
                    found += kept
                    have.add(aid)
            waiting = [(str(a), o) for a, o in unread if str(a) not in have]
            waiting += [(a, o) for a, (_, o, st) in self._deferred.items() if st == story]
            found += self._read_statements(waiting)
            self._by_story[story] = found
        return self._by_story[story]

    def _read_statements(
        self, articles: Sequence[tuple[str, str | None]]
    ) -> list[tuple[Statement, str | None]]:
        """The statements of articles placed without them (each alone in its story then),
        read from their reports now and kept for :meth:`flush` to write."""
        todo = list({a: (a, o) for a, o in articles if a not in self._stated}.values())
        if not todo:
            return []
        reports = {a: self._deferred.pop(a)[0] for a, _ in todo if a in self._deferred}
        stored = [a for a, _ in todo if a not in reports]
        if stored:
            for aid, js in self.store.execute(
                "SELECT id, report FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))",
                [stored],
            ):
                reports[str(aid)] = Report.from_json(str(js))
        out: list[tuple[Statement, str | None]] = []
        for aid, outlet in todo:
            if aid not in reports:
                continue
            mine = statements_of(reports[aid])
            self._stated.add(aid)
            self._rows["corpus_statements"] += [statement_row(s) for s in mine]
            self._fresh[aid] = [(s, outlet) for s in mine]
            out += self._fresh[aid]
        return out

    def _article_statements(self, aid: str) -> list[tuple[Statement, str | None]]:
        _, story, _ = self.where_is(aid)
        kept = [o for o in self._by_story.get(story, []) if o[0].article_id == aid]
        if kept:
            return kept
        if aid in self._fresh:
            return self._fresh[aid]
        found = self._statements("c.article_id = $1", [aid])
        if found or aid in self._stated:
            return found
        if aid in self._deferred:
            return self._read_statements([(aid, self._deferred[aid][1])])
        rows = self.store.execute(
            "SELECT outlet_key FROM corpus_articles WHERE article_id = ?", [aid]
        )
        return self._read_statements([(aid, rows[0][0] if rows else None)])

    def link(self, mine: list[Statement], placed: _Placed, group: Sequence[str] = ()) -> int:
        """Compare this article's statements with its story's canonical articles and, when
        it is in a duplicate group, with the article it copies, or as the group's new
        canonical article with every member of the ``group`` it takes over; keep the
        links both ways. Only pairs sharing words are compared: every match needs one, and a
        long statement sharing a single word with another almost never reaches the bar
        (on benchmarks/corpus.py's corpus, 20 of 16,590 links were lost this way)."""
        if not mine:
            return 0
        if placed.duplicate_of is not None:
            others = self._article_statements(placed.duplicate_of)
        else:
            others = [
                o for o in self.story_statements(placed.story) if o[0].article_id not in group
            ]
            for member in group:
                others += self._article_statements(member)
        index: dict[str, list[int]] = {}
        for k, s in enumerate(mine):
            for w in s.words:
                index.setdefault(w, []).append(k)
        links: list[tuple[Any, ...]] = []
        same: list[tuple[Statement, Statement]] = []  # (mine, theirs): one statement
        against: list[tuple[Statement, Statement, Match]] = []  # (mine, theirs): contradicting
        group_links: list[tuple[Statement, Statement, str | None, Match]] = []  # its group
        copied: set[tuple[str, str]] = set()  # statements with a copy in the other article
        for other, other_outlet in others:
            if other.article_id == placed.article_id:
                continue
            same_group = other.article_id == placed.duplicate_of or other.article_id in group
            hits: Counter[int] = Counter(k for w in other.words for k in index.get(w, ()))
            for k in sorted(hits):
                s = mine[k]
                if hits[k] < 2 and min(len(s.words), len(other.words)) > SHORT_STATEMENT:
                    continue  # one word in common: only short statements can match on it
                match = compare(s, other)
                if match is None:
                    continue
                relation = _relation(match, same_group, placed.outlet, other_outlet)
                if same_group:
                    if relation == "copies":
                        copied |= {(s.item_id, other.article_id), (other.article_id, other.item_id)}
                    group_links.append((s, other, relation, match))
                    continue
                if relation is not None:
                    links += _link_rows(s, other, relation, match, placed.story)
                if match.relation == "contradicts":
                    against.append((s, other, match))
                else:
                    same.append((s, other))
        for s, other, relation, match in group_links:
            # within a duplicate group, a statement both texts carry word for word is not
            # contradicted by another statement of the group ("Three people were killed"
            # and "... the nine people who were killed" are two sentences of each copy)
            if relation is None or (
                relation == "contradicts"
                and (
                    (s.item_id, other.article_id) in copied
                    or (other.article_id, other.item_id) in copied
                )
            ):
                continue
            links += _link_rows(s, other, relation, match, placed.story)
        if placed.duplicate_of is None and (same or against):
            links += self._derived(placed.story, same, against, links)
        self._rows["corpus_links"] += links
        if placed.duplicate_of is None:
            kept = self.story_statements(placed.story)
            if group:  # the old canonical is a copy now
                kept[:] = [o for o in kept if o[0].article_id not in group]
            kept.extend((s, placed.outlet) for s in mine)
        return len(links) // 2

    def _derived(
        self,
        story: str,
        same: list[tuple[Statement, Statement]],
        against: list[tuple[Statement, Statement, Match]],
        new: list[tuple[Any, ...]],
    ) -> list[tuple[Any, ...]]:
        """Contradictions read through a third statement (:func:`through`): when A says
        the same as Z and Z contradicts B, A contradicts B on the values it shares with Z,
        though A and B may share no word. With this article's statements as Z, as A or as
        B, in whichever order the three arrive; only pairs not linked yet."""
        linked, stored = self._story_links(story, new)
        by_id = {(o.article_id, o.item_id): o for o, _ in self.story_statements(story)}
        for s, *_ in same + against:
            by_id[(s.article_id, s.item_id)] = s

        def partners(x: Statement, relations: tuple[str, ...]) -> list[Statement]:
            out = []
            for relation, key in stored.get((x.article_id, x.item_id), ()):
                if relation in relations and key in by_id:
                    out.append(by_id[key])
            return out

        # (a, z, b, how b bears on z or None to judge it now)
        triples: list[tuple[Statement, Statement, Statement, Match | None]] = []
        for s, o1 in same:
            triples += [(o1, s, o2, m) for s2, o2, m in against if s2 is s]  # this one is Z
            triples += [(s, o1, o3, None) for o3 in partners(o1, ("contradicts",))]  # it is A
        for s, o2, _ in against:
            triples += [(o4, o2, s, None) for o4 in partners(o2, ("corroborates",))]  # it is B
        out: list[tuple[Any, ...]] = []
        for a, z, b, zb in triples:
            pair = frozenset({(a.article_id, a.item_id), (b.article_id, b.item_id)})
            if a.article_id == b.article_id or pair in linked:
                continue
            zb = zb or compare(z, b)
            match = through(a, z, b, zb) if zb is not None else None
            if match is not None:
                linked.add(pair)
                out += _link_rows(a, b, "contradicts", match, story)
        return out

    def _story_links(
        self, story: str, new: list[tuple[Any, ...]]
    ) -> tuple[set[frozenset[tuple[str, str]]], dict[tuple[str, str], list[Any]]]:
        """The statement pairs a story has linked (stored, waiting in this batch, and
        ``new``), and each statement's (relation, other statement)."""
        rows = [
            tuple(r)
            for r in self.store.execute(
                "SELECT article_id, item_id, relation, other_article_id, other_item_id "
                "FROM corpus_links WHERE story = $1",
                [story],
            )
        ]
        for row in (*self._rows["corpus_links"], *new):
            if row[14] == story:
                rows.append((row[0], row[1], row[3], row[4], row[5]))
        linked: set[frozenset[tuple[str, str]]] = set()
        by_statement: dict[tuple[str, str], list[Any]] = {}
        for aid, iid, relation, oaid, oiid in rows:
            linked.add(frozenset({(aid, iid), (oaid, oiid)}))
            by_statement.setdefault((aid, iid), []).append((relation, (oaid, oiid)))
        return linked, by_statement

    # writing -----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write what this batch placed (inside the caller's transaction)."""
        for table, rows in self._rows.items():
            if rows:
                self.store.insert_columns(table, _columns(rows))
                rows.clear()
        if self._stored_bands is not None:  # written now: kept where the batch looks
            for band, ids in self._bands.items():
                self._stored_bands.setdefault(band, []).extend(ids)
        self._bands.clear()
        if self._df_added:
            self.store.execute(
                "INSERT INTO corpus_df SELECT unnest($1::VARCHAR[]), unnest($2::INTEGER[]) "
                "ON CONFLICT (term) DO UPDATE SET df = corpus_df.df + excluded.df",
                [list(self._df_added), list(self._df_added.values())],
            )
            self._df_added.clear()
        changed = [st for st in self.stories.values() if st.changed]
        if changed:
            self.store.execute(
                "INSERT OR REPLACE INTO stories SELECT unnest($1::VARCHAR[]), "
                "unnest($2::VARCHAR[]), unnest($3::DATE[]), unnest($4::DATE[]), "
                "unnest($5::INTEGER[]), unnest($6::INTEGER[]), unnest($7::BIGINT[])",
                [
                    [st.id for st in changed],
                    [st.title for st in changed],
                    [st.first for st in changed],
                    [st.last for st in changed],
                    [st.articles for st in changed],
                    [st.copies for st in changed],
                    [st.seq for st in changed],
                ],
            )
            for st in changed:
                st.changed = False

    # one article ----------------------------------------------------------------------------

    def place(self, report: Report, ingested: dt.datetime | None) -> CorpusUpdate:
        art = report.article
        aid = art.id
        day = _day(art.published, ingested)
        outlet = outlet_key(art.outlet, art.url)
        sketch_ = self._sketches.pop(aid, None) or sk.sketch(art.text)
        self._hashes[aid] = sketch_.hashes
        done = CorpusUpdate(placed=1)
        self.seq += 1

        found = self.find_duplicate(sketch_)
        duplicate_of: str | None = None
        group: list[str] = []  # the duplicate group this article is the new canonical of
        share: float | None = None
        story: str
        if found is not None:
            target, share = found
            target_dup, _, _ = self.where_is(target)
            canon = target_dup or target
            _, story, canon_day = self.where_is(canon)
            done.duplicates = 1
            if day < canon_day:
                # an earlier copy arrived later: it is the canonical article from now on
                self.flush()
                group = [canon] + [
                    str(r[0])
                    for r in self.store.execute(
                        "SELECT article_id FROM corpus_articles WHERE duplicate_of = ?", [canon]
                    )
                ]
                # the old canonical's links, and its copies', are made again from this one
                self.store.execute(
                    "DELETE FROM corpus_links WHERE article_id IN (SELECT unnest($1::VARCHAR[])) "
                    "OR other_article_id IN (SELECT unnest($1::VARCHAR[]))",
                    [group],
                )
                self.store.execute(
                    "UPDATE corpus_articles SET duplicate_of = ? "
                    "WHERE duplicate_of = ? OR article_id = ?",
                    [aid, canon, canon],
                )
                # the timeline holds the canonical article's items: this one's from now on
                self.store.execute("DELETE FROM actor_items WHERE article_id = ?", [canon])
                self.placed = {
                    k: ((aid if d == canon or k == canon else d), st, dy)
                    for k, (d, st, dy) in self.placed.items()
                }
                self.placed[canon] = (aid, story, canon_day)
            else:
                duplicate_of = canon
            self._load_stories([story])
            self.stories[story].copies += 1
            self.stories[story].changed = True
        else:
            terms = article_terms(report)
            self.need_df(terms)
            df = self.df
            vector = top_terms(terms, df, self.canonical + 1)
            chosen = self.choose_story(vector, day, df)
            if chosen is None:
                story = "st-" + aid[:12]
                self.stories[story] = _Story(story, _title(report), day, day, 0, 0, self.seq)
                self._loaded.add(story)
                done.stories = 1
            else:
                story = chosen[0]
                done.joined = 1
            st = self.stories[story]
            st.articles += 1
            st.first, st.last = min(st.first, day), max(st.last, day)
            st.changed = True
            self._remember(st, day, vector)
            self._rows["corpus_terms"] += [(aid, t, w) for t, w in vector.items()]
            for t in terms:  # written by flush()
                df[t] = df.get(t, 0) + 1
                self._df_added[t] += 1
            self.canonical += 1
        self.placed[aid] = (duplicate_of, story, day)
        self._rows["corpus_articles"].append(
            (aid, self.seq, duplicate_of, share, story, day, outlet, sketch_.size)
        )
        for band in sketch_.bands:
            self._rows["corpus_bands"].append((band, aid))
            self._bands.setdefault(band, []).append(aid)
        if duplicate_of is None:
            self._rows["actor_items"] += actor_item_rows(report, day)
        placed = _Placed(aid, duplicate_of, story, day, outlet)
        if done.stories:
            # alone in a new story: nothing to compare its statements with yet
            self._deferred[aid] = (report, outlet, story)
            return done
        mine = statements_of(report)
        self._stated.add(aid)
        done.links = self.link(mine, placed, group)
        self._rows["corpus_statements"] += [statement_row(s) for s in mine]
        return done


def actor_item_rows(report: Report, day: dt.date) -> list[tuple[Any, ...]]:
    """The ``actor_items`` rows of a report: for each actor (a kb id, else ``~`` and the
    lower-cased name), the events it is source or target of, the quotes it speaks and
    the claims naming it, each placed on its own date when it has one, else on ``day``
    (the article's)."""
    key = {e.id: (e.kb_id or "~" + " ".join(e.name.casefold().split())) for e in report.entities}
    names = {e.id: e.name for e in report.entities}
    rows: list[tuple[Any, ...]] = []

    def add(
        actor: str,
        kind: str,
        item: str,
        typ: str | None,
        role: str,
        other: str | None,
        value: str | None,
        text: str,
        start: int,
        end: int,
    ) -> None:
        point = parse_value(value) if value else None
        if point is not None:
            first, last, dated_by = point.day, point.end, "own"
        else:
            first, last, dated_by = day, day, "published"
        rows.append(
            (
                actor,
                kind,
                report.article.id,
                item,
                typ,
                role,
                other,
                first,
                last,
                dated_by,
                text,
                start,
                end,
            )
        )

    for ev in report.events:
        for role, me, them in (("source", ev.source, ev.target), ("target", ev.target, ev.source)):
            if me in key:
                add(
                    key[me],
                    "event",
                    ev.id,
                    ev.type,
                    role,
                    names.get(them or ""),
                    ev.date,
                    ev.sentence.text,
                    ev.sentence.start,
                    ev.sentence.end,
                )
    for q in report.quotes:
        if q.speaker_entity in key:
            add(
                key[q.speaker_entity],
                "quote",
                q.id,
                q.kind,
                "speaker",
                None,
                q.date,
                q.content.text,
                q.content.start,
                q.content.end,
            )
    for c in report.claims:
        named = {
            e.id
            for e in report.entities
            if any(c.start <= m.start and m.end <= c.end for m in e.mentions)
        }
        for eid in sorted(named):
            add(key[eid], "claim", c.id, c.kind, "mentioned", None, None, c.text, c.start, c.end)
    return rows


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


def _pending_of(store: Store, ids: Sequence[str]) -> list[tuple[str, dt.datetime | None]] | None:
    """:func:`pending` read through ``ids`` (a batch just stored), a look-up the size of the
    batch: the articles among them not yet placed, in ingest order, when they are all the
    articles not yet placed; else None (others wait too: read them all)."""
    if not ids:
        return None
    rows = store.execute(
        "SELECT a.id, a.ingested_at FROM articles a "
        "WHERE a.id IN (SELECT unnest($1::VARCHAR[])) "
        "AND NOT EXISTS (SELECT 1 FROM corpus_articles c WHERE c.article_id = a.id) "
        "ORDER BY a.ingested_at, a.rowid",
        [list(ids)],
    )
    # every placed article has its one corpus_articles row: the rest are not placed
    waiting = store.execute(
        "SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM corpus_articles)"
    )[0][0]
    if int(waiting) != len(rows):
        return None
    return [(str(r[0]), r[1]) for r in rows]


class CorpusUpdater:
    """Places stored articles as they arrive, keeping what placing reads in memory from one
    update to the next (an ingest calls :meth:`update` after each committed batch). When
    an update fails or is interrupted, its batch is rolled back and the memory dropped:
    the next update reads the store afresh."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._placer: _Placer | None = None
        self._filled = False  # the actor timeline of older placements is checked

    def update(
        self,
        *,
        batch: int = BATCH,
        progress: Callable[[int, int], None] | None = None,
        reports: Sequence[Report] = (),
    ) -> CorpusUpdate:
        """Place every stored article not yet placed; ``progress(done, total)`` after
        each batch. ``reports``: stored reports the caller still holds (an ingest's last
        batch), used as they are instead of read back from the store.

        What an update reads besides the articles it places is the size of the batch, not
        of the store: the actor timeline of older placements is checked once, and when
        the held ``reports`` are all that waits, only they are looked up."""
        if not self._filled:
            _fill_actor_items(self.store)
            self._filled = True
        held = {r.article.id: r for r in reports}
        todo = _pending_of(self.store, list(held))
        if todo is None:
            todo = pending(self.store)
        total = CorpusUpdate()
        try:
            for k in range(0, len(todo), batch):
                chunk = todo[k : k + batch]
                found = {aid: held[aid] for aid, _ in chunk if aid in held}
                unread = [aid for aid, _ in chunk if aid not in held]
                if unread:
                    found.update(
                        (str(aid), Report.from_json(str(js)))
                        for aid, js in self.store.execute(
                            "SELECT id, report FROM articles "
                            "WHERE id IN (SELECT unnest($1::VARCHAR[]))",
                            [unread],
                        )
                    )
                reports_ = found
                with self.store.transaction():
                    if self._placer is None:
                        self._placer = _Placer(self.store, eager=len(todo) >= EAGER_FROM)
                    self._placer.sketch_batch(reports_.values())
                    for aid, ingested in chunk:
                        if aid in reports_:
                            total.add(self._placer.place(reports_[aid], ingested))
                    self._placer.end_batch()
                if progress is not None:
                    progress(min(k + batch, len(todo)), len(todo))
        except BaseException:
            self._placer = None
            raise
        return total


def _fill_actor_items(store: Store) -> None:
    """Write the actor timeline of articles placed before it was kept (a store placed by
    an earlier version): once, when the table is empty but articles are placed."""
    if store.execute("SELECT count(*) FROM actor_items")[0][0]:
        return
    ids = [
        str(r[0])
        for r in store.execute(
            "SELECT article_id FROM corpus_articles WHERE duplicate_of IS NULL ORDER BY seq"
        )
    ]
    for k in range(0, len(ids), BATCH):
        chunk = ids[k : k + BATCH]
        rows: list[tuple[Any, ...]] = []
        for _aid, js, published, ingested in store.execute(
            "SELECT id, report, published, ingested_at FROM articles "
            "WHERE id IN (SELECT unnest($1::VARCHAR[]))",
            [chunk],
        ):
            day = published or (ingested.date() if ingested else dt.date.today())
            rows += actor_item_rows(Report.from_json(str(js)), day)
        if rows:
            with store.transaction():
                store.insert_columns("actor_items", _columns(rows))


def update_corpus(
    store: Store,
    *,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> CorpusUpdate:
    """Place every stored article not yet placed, a batch per transaction;
    ``progress(done, total)`` after each batch."""
    return CorpusUpdater(store).update(batch=batch, progress=progress)


def rebuild_corpus(
    store: Store, *, progress: Callable[[int, int], None] | None = None
) -> CorpusUpdate:
    """Forget every placement and place all stored articles again, in ingest order."""
    from ..store.schema import CORPUS_TABLES

    with store.transaction():
        for table in CORPUS_TABLES:
            store.execute(f'DELETE FROM "{table.name}"')
    return update_corpus(store, progress=progress)
