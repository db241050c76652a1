"""``newsgraph_entities_v1``: spaCy's named entities as report entities.

Mentions are trimmed (no leading article, no trailing possessive), typed through
:data:`~newsgraph.nlp.tables.NER_TYPE_MAP` and the country table, and grouped into
entities: the same normalised name, a country alias ("U.S." with "United States"),
or a person's surname alone after the full name ("Trump" after "Donald Trump").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..report import Entity
from ..report import Span as RSpan
from .tables import LEADING_DROP, NER_TYPE_MAP, TRAILING_DROP, country_aliases, norm_key

#: spaCy forbids dots in factory names, so versions are spelled with underscores.
COMPONENT = "newsgraph_entities_v1"


@dataclass
class _Cluster:
    key: str
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    types: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    canonical: str | None = None


def _trim(ent: Span) -> tuple[int, int] | None:
    """Token bounds of the mention without a leading article or trailing possessive."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in LEADING_DROP:
        start += 1
    while end > start and doc[end - 1].text in TRAILING_DROP:
        end -= 1
    return (start, end) if start < end else None


class EntityLinker:
    """Turn ``doc.ents`` into grouped, typed report entities on ``doc._.ng_entities``."""

    def __init__(self, nlp: Language, name: str, *, merge_surnames: bool) -> None:
        self.name = name
        self.merge_surnames = merge_surnames

    def __call__(self, doc: Doc) -> Doc:
        countries = country_aliases()
        clusters: dict[str, _Cluster] = {}
        order: list[str] = []
        for ent in doc.ents:
            rtype = NER_TYPE_MAP.get(ent.label_)
            if rtype is None:
                continue
            bounds = _trim(ent)
            if bounds is None:
                continue
            span = doc[bounds[0] : bounds[1]]
            start, end = span.start_char, span.end_char
            surface = doc.text[start:end]
            key = norm_key(surface)
            if not key:
                continue
            canonical = None
            if ent.label_ == "GPE" and key in countries:
                rtype, canonical = "COUNTRY", countries[key]
                key = norm_key(canonical)
            cluster = clusters.get(key)
            if cluster is None:
                cluster = clusters[key] = _Cluster(key=key, canonical=canonical)
                order.append(key)
            cluster.mentions.append((start, end, surface))
            cluster.types[rtype] += 1
            cluster.labels[ent.label_] += 1
        if self.merge_surnames:
            self._merge_surnames(clusters, order)
        entities = []
        for i, key in enumerate(order, start=1):
            c = clusters[key]
            etype = c.types.most_common(1)[0][0]
            surfaces = Counter(m[2] for m in c.mentions)
            if c.canonical:
                name = c.canonical
            elif etype == "PERSON":
                name = max(surfaces, key=lambda s: (len(s.split()), surfaces[s], -len(order)))
            else:
                name = surfaces.most_common(1)[0][0]
            mentions = [RSpan(s, e, t) for s, e, t in sorted(set(c.mentions))]
            labels = "+".join(sorted(c.labels))
            entities.append(
                Entity(
                    id=f"e{i}",
                    name=" ".join(name.split()),
                    type=etype,  # type: ignore[arg-type]
                    kb_id=None,
                    mentions=mentions,
                    origin=f"{COMPONENT}:spacy-ner:{labels}",
                )
            )
        doc._.ng_entities = entities
        return doc

    @staticmethod
    def _merge_surnames(clusters: dict[str, _Cluster], order: list[str]) -> None:
        """Fold a one-word PERSON cluster into the only longer PERSON name ending in it."""
        people = [k for k in order if clusters[k].types.most_common(1)[0][0] == "PERSON"]
        for key in people:
            if " " in key:
                continue
            hosts = [k for k in people if k != key and " " in k and k.split()[-1] == key]
            if len(hosts) != 1:
                continue
            host = clusters[hosts[0]]
            host.mentions += clusters[key].mentions
            host.types.update({"PERSON": sum(clusters[key].types.values())})
            host.labels.update(clusters[key].labels)
            del clusters[key]
            order.remove(key)


@Language.factory(
    COMPONENT,
    assigns=["doc._.ng_entities"],
    requires=["doc.ents"],
    default_config={"merge_surnames": True},
)
def make_entity_linker(nlp: Language, name: str, *, merge_surnames: bool) -> EntityLinker:
    return EntityLinker(nlp, name, merge_surnames=merge_surnames)
