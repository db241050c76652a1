"""Reading the corpus layer: stories, an article's place, a claim's links, an actor's
timeline. Every function reads the store only (a read-only store is fine)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any, Final

from ..errors import NewsgraphError
from ..kb import KnowledgeBase
from ..store import Store
from .terms import content_words

_QID: Final = re.compile(r"(Q\d+|ngkb:\S+)")


def _iso(day: Any) -> str | None:
    return day.isoformat() if isinstance(day, dt.date) else None


def _dicts(obj: Any) -> Any:
    if hasattr(obj, "__dataclass_fields__"):
        return {f.name: _dicts(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, list):
        return [_dicts(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _dicts(v) for k, v in obj.items()}
    return obj


# -- an article's place -------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where the corpus put an article: its canonical article (if a copy) and story."""

    duplicate_of: str | None
    story: str | None
    containment: float | None = None


def placements(store: Store, ids: Iterable[str]) -> dict[str, Placement]:
    """The placement of each of ``ids`` that is placed."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = store.execute(
        "SELECT article_id, duplicate_of, story, containment FROM corpus_articles "
        "WHERE article_id IN (SELECT unnest($1::VARCHAR[]))",
        [wanted],
    )
    return {str(r[0]): Placement(r[1], r[2], r[3]) for r in rows}


def unplaced(store: Store) -> int:
    """How many stored articles the corpus layer has not placed yet."""
    row = store.execute(
        "SELECT count(*) FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM corpus_articles c WHERE c.article_id = a.id)"
    )
    return int(row[0][0])


# -- links ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A claim or quote of another article that corroborates, contradicts or copies one."""

    relation: str
    article_id: str
    outlet: str | None
    claim_id: str  # the other item's id (a claim id, or a quote id)
    kind: str  # claim | quote
    start: int
    end: int
    text: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "claim_id": self.claim_id,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "why": self.why,
        }


def links_of(store: Store, items: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[Link]]:
    """The links of each ``(article_id, item_id)`` (claim or quote ids), strongest first."""
    wanted = list(dict.fromkeys(items))
    out: dict[tuple[str, str], list[Link]] = {k: [] for k in wanted}
    if not wanted:
        return out
    rows = store.execute(
        "SELECT l.article_id, l.item_id, l.relation, l.other_article_id, a.outlet, "
        "l.other_item_id, l.other_kind, l.other_start, l.other_end, l.other_text, l.why "
        "FROM corpus_links l JOIN articles a ON a.id = l.other_article_id "
        "WHERE (l.article_id, l.item_id) IN "
        "(SELECT (unnest($1::VARCHAR[]), unnest($2::VARCHAR[])))"
        "ORDER BY l.relation, a.published NULLS LAST, l.other_article_id, l.other_start",
        [[a for a, _ in wanted], [i for _, i in wanted]],
    )
    for r in rows:
        out.setdefault((str(r[0]), str(r[1])), []).append(
            Link(r[2], r[3], r[4], r[5], r[6], int(r[7]), int(r[8]), r[9], r[10])
        )
    return out


def claim_links(
    store: Store, items: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """``corroborated_by``, ``contradicted_by`` and ``copied_in`` for each claim, as dicts."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key, found in links_of(store, items).items():
        out[key] = {
            "corroborated_by": [x.to_dict() for x in found if x.relation == "corroborates"],
            "contradicted_by": [x.to_dict() for x in found if x.relation == "contradicts"],
            "copied_in": [x.to_dict() for x in found if x.relation == "copies"],
        }
    return out


# -- stories ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryRow:
    id: str
    title: str
    first_day: str | None
    last_day: str | None
    articles: int  # canonical articles
    copies: int
    outlets: int
    corroborations: int
    contradictions: int

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _story_filter(min_articles: int, contains: str | None) -> tuple[list[str], list[Any]]:
    """The SQL conditions and parameters of :func:`list_stories` and :func:`count_stories`."""
    where = ["s.articles + s.copies >= ?"]
    params: list[Any] = [min_articles]
    if contains:
        where.append("s.title ILIKE ?")
        params.append("%" + contains.replace("%", "").replace("_", "") + "%")
    return where, params


def count_stories(store: Store, *, min_articles: int = 1, contains: str | None = None) -> int:
    """How many stories :func:`list_stories` would list with no limit."""
    where, params = _story_filter(min_articles, contains)
    rows = store.execute(f"SELECT count(*) FROM stories s WHERE {' AND '.join(where)}", params)
    return int(rows[0][0])


def list_stories(
    store: Store,
    *,
    limit: int | None = 50,
    offset: int = 0,
    min_articles: int = 1,
    contains: str | None = None,
) -> list[StoryRow]:
    """Stories, the latest (by their last day) first, then the largest."""
    where, params = _story_filter(min_articles, contains)
    page = f"LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    rows = store.execute(
        f"""
        SELECT s.id, s.title, s.first_day, s.last_day, s.articles, s.copies,
               (SELECT count(DISTINCT coalesce(c.outlet_key, c.article_id))
                  FROM corpus_articles c WHERE c.story = s.id),
               (SELECT count(*) FROM corpus_links l
                  WHERE l.story = s.id AND l.relation = 'corroborates') // 2,
               (SELECT count(*) FROM corpus_links l
                  WHERE l.story = s.id AND l.relation = 'contradicts') // 2
        FROM stories s WHERE {" AND ".join(where)}
        ORDER BY s.last_day DESC NULLS LAST, s.articles + s.copies DESC, s.seq
        {page}
        """,
        params,
    )
    return [
        StoryRow(r[0], r[1], _iso(r[2]), _iso(r[3]), r[4], r[5], r[6], r[7], r[8]) for r in rows
    ]


@dataclass(frozen=True)
class StoryArticle:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    duplicate_of: str | None
    containment: float | None


@dataclass(frozen=True)
class StoryActor:
    kb_id: str | None
    name: str
    type: str
    articles: int  # canonical articles naming it


@dataclass
class StoryTimelineEntry:
    start: str
    end: str | None
    value: str
    label: str
    sentence: str
    #: ``{article_id, outlet, start, end}`` of each article stating it (copies folded).
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class StoryClaim:
    article_id: str
    outlet: str | None
    claim_id: str
    start: int
    end: int
    text: str
    checkworthiness: float
    kind: str
    status: str  # corroborated | contradicted | disputed (both) | alone
    corroborated_by: list[dict[str, Any]]
    contradicted_by: list[dict[str, Any]]
    copied_in: list[dict[str, Any]]


@dataclass
class StoryQuote:
    """One quote, with every article carrying it."""

    speaker: str | None
    text: str
    carriers: list[dict[str, Any]]
    contradicted_by: list[dict[str, Any]]


@dataclass
class Story:
    id: str
    title: str
    first_day: str | None
    last_day: str | None
    articles: list[StoryArticle]
    by_outlet: dict[str, list[str]]
    actors: list[StoryActor]
    timeline: list[StoryTimelineEntry]
    claims: list[StoryClaim]
    quotes: list[StoryQuote]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = _dicts(self)
        return out


def find_story(store: Store, story_id: str) -> str | None:
    """The story with this id, or the one whose id starts with it (unique), else None."""
    key = story_id.strip()
    if not key:
        return None
    rows = store.execute(
        "SELECT id FROM stories WHERE id = ? OR starts_with(id, ?) ORDER BY id = ? DESC LIMIT 2",
        [key, key, key],
    )
    if not rows:
        return None
    if rows[0][0] == key or len(rows) == 1:
        return str(rows[0][0])
    return None


def get_story(store: Store, story_id: str, *, claims_limit: int = 200) -> Story | None:
    """A story with its articles by outlet, actors, merged timeline, claims and quotes."""
    sid = find_story(store, story_id)
    if sid is None:
        return None
    head = store.execute("SELECT id, title, first_day, last_day FROM stories WHERE id = ?", [sid])[
        0
    ]
    arts = [
        StoryArticle(r[0], r[1], r[2], _iso(r[3]), r[4], r[5], r[6])
        for r in store.execute(
            "SELECT a.id, a.title, a.outlet, a.published, a.url, c.duplicate_of, c.containment "
            "FROM corpus_articles c JOIN articles a ON a.id = c.article_id "
            "WHERE c.story = ? ORDER BY a.published NULLS LAST, c.seq",
            [sid],
        )
    ]
    outlet_of = {a.id: a.outlet for a in arts}
    canonical = [a.id for a in arts if a.duplicate_of is None]
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for a in arts:
        by_outlet[a.outlet or "(unknown outlet)"].append(a.id)
    actors = [
        StoryActor(r[0], r[1], r[2], int(r[3]))
        for r in store.execute(
            "SELECT kb_id, any_value(name), any_value(type), count(DISTINCT article_id) AS n "
            "FROM entities WHERE article_id IN (SELECT unnest($1::VARCHAR[])) "
            "AND type NOT IN ('MEDIA', 'NORP') "
            "GROUP BY coalesce(kb_id, lower(name)), kb_id ORDER BY n DESC, any_value(name) "
            "LIMIT 30",
            [canonical],
        )
    ]
    return Story(
        id=sid,
        title=head[1],
        first_day=_iso(head[2]),
        last_day=_iso(head[3]),
        articles=arts,
        by_outlet=dict(by_outlet),
        actors=actors,
        timeline=_story_timeline(store, canonical, outlet_of),
        claims=_story_claims(store, canonical, outlet_of, claims_limit),
        quotes=_story_quotes(store, sid, canonical, outlet_of),
    )


def _story_timeline(
    store: Store, ids: list[str], outlet_of: dict[str, str | None]
) -> list[StoryTimelineEntry]:
    """The articles' timelines merged: entries on the same days saying much the same
    thing (half their words in common) are one entry with several sources."""
    rows = store.execute(
        'SELECT article_id, start, "end", value, label, sentence_text, sentence_start, '
        "sentence_end FROM timeline WHERE article_id IN (SELECT unnest($1::VARCHAR[])) "
        'ORDER BY coalesce("end", start), start, article_id, idx',
        [ids],
    )
    merged: list[tuple[frozenset[str], StoryTimelineEntry]] = []
    for aid, start, end, value, label, sentence, s_start, s_end in rows:
        words = frozenset(content_words(label or sentence or ""))
        source = {"article_id": aid, "outlet": outlet_of.get(aid), "start": s_start, "end": s_end}
        for seen, entry in merged:
            if entry.start != _iso(start) or entry.end != _iso(end):
                continue
            common = len(seen & words)
            if words and seen and common / min(len(seen), len(words)) >= 0.5:
                if all(s["article_id"] != aid for s in entry.sources):
                    entry.sources.append(source)
                break
        else:
            merged.append(
                (
                    words,
                    StoryTimelineEntry(
                        str(_iso(start)), _iso(end), value, label, sentence, [source]
                    ),
                )
            )
    return [entry for _, entry in merged]


def _status(found: dict[str, Any]) -> str:
    if found["corroborated_by"] and found["contradicted_by"]:
        return "disputed"
    if found["contradicted_by"]:
        return "contradicted"
    if found["corroborated_by"]:
        return "corroborated"
    return "alone"


def _story_claims(
    store: Store, ids: list[str], outlet_of: dict[str, str | None], limit: int
) -> list[StoryClaim]:
    rows = store.execute(
        'SELECT article_id, claim_id, start, "end", text, checkworthiness, kind FROM claims '
        "WHERE article_id IN (SELECT unnest($1::VARCHAR[])) "
        "ORDER BY checkworthiness DESC, article_id, start LIMIT ?",
        [ids, limit],
    )
    found = claim_links(store, [(str(r[0]), str(r[1])) for r in rows])
    out = []
    for r in rows:
        links = found.get(
            (r[0], r[1]), {"corroborated_by": [], "contradicted_by": [], "copied_in": []}
        )
        out.append(
            StoryClaim(
                r[0],
                outlet_of.get(r[0]),
                r[1],
                r[2],
                r[3],
                r[4],
                float(r[5]),
                r[6],
                _status(links),
                links["corroborated_by"],
                links["contradicted_by"],
                links["copied_in"],
            )
        )
    # linked claims first (what a fact-checker reads first), then by check-worthiness
    out.sort(key=lambda c: (c.status == "alone", -c.checkworthiness))
    return out


def _story_quotes(
    store: Store, sid: str, ids: list[str], outlet_of: dict[str, str | None]
) -> list[StoryQuote]:
    """Quotes carried by more than one article, each once with all its carriers."""
    rows = store.execute(
        "SELECT l.article_id, l.item_id, l.other_article_id, l.other_item_id, l.relation, "
        "l.why FROM corpus_links l WHERE l.story = ? AND l.kind = 'quote' "
        "AND l.other_kind = 'quote'",
        [sid],
    )
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    contradicted: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for a, ai, b, bi, relation, why in rows:
        if relation == "contradicts":
            contradicted[(a, ai)].append(
                {"article_id": b, "outlet": outlet_of.get(b), "quote_id": bi, "why": why}
            )
            continue
        ra, rb = find((a, ai)), find((b, bi))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for node in list(parent):
        groups[find(node)].append(node)
    if not groups:
        return []
    members = [n for g in groups.values() for n in g]
    info = {
        (str(r[0]), str(r[1])): r
        for r in store.execute(
            "SELECT q.article_id, q.quote_id, q.content_text, q.content_start, q.content_end, "
            "coalesce(e.name, q.speaker_text), a.outlet, a.published FROM quotes q "
            "JOIN articles a ON a.id = q.article_id "
            "LEFT JOIN entities e ON e.article_id = q.article_id "
            "AND e.entity_id = q.speaker_entity "
            "WHERE (q.article_id, q.quote_id) IN "
            "(SELECT (unnest($1::VARCHAR[]), unnest($2::VARCHAR[])))",
            [[m[0] for m in members], [m[1] for m in members]],
        )
    }
    out = []
    for nodes in groups.values():
        known = sorted(
            (info[n] for n in nodes if n in info), key=lambda r: (r[7] or dt.date.max, r[0])
        )
        if len(known) < 2:
            continue
        first = known[0]
        out.append(
            StoryQuote(
                speaker=first[5],
                text=first[2],
                carriers=[
                    {
                        "article_id": r[0],
                        "outlet": r[6],
                        "quote_id": r[1],
                        "start": r[3],
                        "end": r[4],
                        "copy": r[0] not in ids,
                    }
                    for r in known
                ],
                contradicted_by=[c for n in nodes for c in contradicted.get(n, [])],
            )
        )
    out.sort(key=lambda q: -len(q.carriers))
    return out


# -- actor timelines ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorItem:
    """One dated event, quote or claim of an actor."""

    kind: str  # event | quote | claim
    start: str | None  # first day it is placed on
    end: str | None
    dated_by: str  # "own" (its own date) or "published"
    article_id: str
    outlet: str | None
    title: str | None
    published: str | None
    story: str | None
    role: str  # source | target | speaker | mentioned
    item_id: str
    type: str | None  # event type, quote kind, claim kind
    text: str  # the trigger's sentence, the quote, the claim
    span_start: int
    span_end: int
    other: str | None  # the other actor of an event
    copies: int  # duplicates of its article carrying it too


@dataclass
class ActorTimeline:
    kb_id: str | None
    name: str
    items: list[ActorItem]
    #: how many items there are in all (``items`` is one page of them, from ``offset``)
    total: int = 0
    offset: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = _dicts(self)
        return out


def resolve_actor(
    store: Store, key: str, kb: KnowledgeBase | None = None
) -> tuple[str | None, str]:
    """``(kb_id, name)`` for a QID, a ``ngkb:`` id or a name (any KB alias or spelling, or
    a stored entity name); E038 when nothing is known by it."""
    text = " ".join(key.split())
    if _QID.fullmatch(text):
        rows = store.execute("SELECT any_value(name) FROM entities WHERE kb_id = ?", [text])
        name = rows[0][0] if rows and rows[0][0] else None
        if kb is not None and name is None:
            ent = kb.by_kb_id(text)
            name = ent.name if ent else None
        if name is None:
            raise NewsgraphError("E038", actor=key)
        return text, str(name)
    if kb is not None:
        for ent in kb.lookup(text):
            return ent.kb_id, ent.name
    rows = store.execute(
        "SELECT kb_id, name, count(*) AS n FROM entities WHERE lower(name) = lower(?) "
        "OR strip_accents(lower(name)) = strip_accents(lower(?)) GROUP BY kb_id, name "
        "ORDER BY kb_id IS NULL, n DESC LIMIT 1",
        [text, text],
    )
    if not rows:
        raise NewsgraphError("E038", actor=key)
    return rows[0][0], str(rows[0][1])


def actor_timeline(
    store: Store,
    key: str,
    *,
    kb: KnowledgeBase | None = None,
    limit: int | None = 200,
    offset: int = 0,
    kinds: tuple[str, ...] = ("event", "quote", "claim"),
) -> ActorTimeline:
    """Every dated event, quote and claim of one actor across the corpus, in time order
    (an item's own date, else its article's publication day), a page at a time
    (``limit`` None: all), each with its article, outlet and story. Copies of one article
    count once (the canonical article's item, with how many copies carry it). Read from
    the ``actor_items`` table the corpus layer keeps: one indexed look-up."""
    kb_id, name = resolve_actor(store, key, kb)
    actor = kb_id or "~" + " ".join(name.casefold().split())
    page = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
    rows = store.execute(
        f"""
        SELECT kind, first_day, last_day, dated_by, article_id, role, item_id, type, text,
               span_start, span_end, other, count(*) OVER () AS total
        FROM actor_items
        WHERE actor = $1 AND list_contains($2::VARCHAR[], kind)
        ORDER BY first_day NULLS LAST, last_day, article_id, span_start, kind, role
        {page}
        """,
        [actor, list(kinds)],
    )
    ids = sorted({str(r[4]) for r in rows})
    meta = {
        str(r[0]): r
        for r in store.execute(
            "SELECT a.id, a.outlet, a.title, a.published, c.story, "
            "(SELECT count(*) FROM corpus_articles d WHERE d.duplicate_of = a.id) "
            "FROM articles a LEFT JOIN corpus_articles c ON c.article_id = a.id "
            "WHERE a.id IN (SELECT unnest($1::VARCHAR[]))",
            [ids],
        )
    }
    items = []
    for r in rows:
        m = meta.get(str(r[4]))
        items.append(
            ActorItem(
                kind=r[0],
                start=_iso(r[1]),
                end=_iso(r[2]),
                dated_by=r[3],
                article_id=r[4],
                outlet=m[1] if m else None,
                title=m[2] if m else None,
                published=_iso(m[3]) if m else None,
                story=m[4] if m else None,
                role=r[5],
                item_id=r[6],
                type=r[7],
                text=r[8] or "",
                span_start=int(r[9]),
                span_end=int(r[10]),
                other=r[11],
                copies=int(m[5]) if m else 0,
            )
        )
    total = int(rows[0][12]) if rows else _count(store, actor, kinds)
    return ActorTimeline(kb_id, name, items, total=total, offset=offset)


def _count(store: Store, actor: str, kinds: tuple[str, ...]) -> int:
    rows = store.execute(
        "SELECT count(*) FROM actor_items WHERE actor = $1 AND list_contains($2::VARCHAR[], kind)",
        [actor, list(kinds)],
    )
    return int(rows[0][0])


def outlet_counts(store: Store, story_id: str) -> Counter[str]:
    """Articles per outlet in a story (copies included)."""
    rows = store.execute(
        "SELECT coalesce(a.outlet, '(unknown outlet)'), count(*) FROM corpus_articles c "
        "JOIN articles a ON a.id = c.article_id WHERE c.story = ? GROUP BY 1",
        [story_id],
    )
    return Counter({str(r[0]): int(r[1]) for r in rows})
