"""Rebuild the office-holder and membership tables from Wikidata's SPARQL service.

The packaged KB is never modified: ``refresh`` copies it to a directory of the
user's, replaces the heads-of-state/government table and the memberships of every
IGO with a QID by what Wikidata answers, and leaves the rest as it was. Point
newsgraph at the result with ``--kb DIR`` or ``NEWSGRAPH_KB=DIR``.

Nothing here runs during an analysis; it is a deliberate, online, user action.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from ..errors import NewsgraphError
from .base import KnowledgeBase, default_dir

ENDPOINT: Final = "https://query.wikidata.org/sparql"
USER_AGENT: Final = "newsgraph-kb-refresh/0.1 (offline news analysis; run by hand)"

#: Heads of state (P35) and government (P6) of sovereign states (Q3624078) since a date.
HEADS_QUERY: Final = """
SELECT ?iso3 ?role ?person ?personLabel ?start ?end WHERE {
  VALUES (?prop ?ps ?role) { (p:P35 ps:P35 "head_of_state") (p:P6 ps:P6 "head_of_government") }
  ?country wdt:P31 wd:Q3624078 ; wdt:P298 ?iso3 ; ?prop ?st .
  ?st ?ps ?person .
  OPTIONAL { ?st pq:P580 ?start . }
  OPTIONAL { ?st pq:P582 ?end . }
  FILTER(!BOUND(?end) || ?end >= "%(since)sT00:00:00Z"^^xsd:dateTime)
  SERVICE wikibase:label { bd:serviceParam wikibase:language "en". }
}
"""

#: Members (P463) of the given organisations, with start/end qualifiers.
MEMBERS_QUERY: Final = """
SELECT ?org ?iso3 ?start ?end WHERE {
  VALUES ?org { %(orgs)s }
  ?country wdt:P298 ?iso3 ; p:P463 ?st .
  ?st ps:P463 ?org .
  OPTIONAL { ?st pq:P580 ?start . }
  OPTIONAL { ?st pq:P582 ?end . }
}
"""

Fetch = Callable[[str], dict[str, Any]]


def http_fetch(endpoint: str, timeout: float = 60.0) -> Fetch:
    """A fetcher posting SPARQL to ``endpoint`` and returning the JSON result."""

    def fetch(query: str) -> dict[str, Any]:
        body = urllib.parse.urlencode({"query": query, "format": "json"}).encode()
        request = urllib.request.Request(
            endpoint,
            data=body,
            headers={
                "Accept": "application/sparql-results+json",
                "User-Agent": USER_AGENT,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data: dict[str, Any] = json.loads(response.read())
        except (OSError, ValueError) as exc:
            raise NewsgraphError("E019", endpoint=endpoint, reason=_reason(exc)) from exc
        return data

    return fetch


def _reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    return str(reason).strip() or type(exc).__name__


def _value(binding: dict[str, Any], key: str) -> str:
    cell = binding.get(key)
    return str(cell.get("value", "")) if isinstance(cell, dict) else ""


def _qid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1] if uri else ""


def _day(value: str) -> str:
    """A SPARQL dateTime to YYYY-MM-DD ('' when absent or not a plain date)."""
    return value[:10] if len(value) >= 10 and value[4] == "-" else ""


def refresh(
    out: Path,
    *,
    fetch: Fetch,
    since: str = "2000-01-01",
    base: Path | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Write a refreshed copy of the KB to ``out``; return row counts per table."""
    source = base or default_dir()
    kb = KnowledgeBase.load(source)
    as_of = (today or dt.date.today()).isoformat()

    heads = fetch(HEADS_QUERY % {"since": since})
    rows = []
    for b in heads.get("results", {}).get("bindings", []):
        iso3, role = _value(b, "iso3"), _value(b, "role")
        person, label = _qid(_value(b, "person")), _value(b, "personLabel")
        if not (iso3 and role and person and label) or kb.state(iso3) is None:
            continue
        title = "President" if role == "head_of_state" else "Prime Minister"
        rows.append(
            (
                f"{iso3}.{role}",
                title,
                label,
                person,
                _day(_value(b, "start")),
                _day(_value(b, "end")),
            )
        )
    if not rows:
        raise NewsgraphError("E019", endpoint="Wikidata", reason="the heads query returned no rows")

    orgs = {e.attrs["code"]: e.qid for e in kb.entities.values() if e.type == "IGO" and e.qid}
    member_rows: list[tuple[str, str, str, str]] = []
    if orgs:
        values = " ".join(f"wd:{q}" for q in orgs.values())
        members = fetch(MEMBERS_QUERY % {"orgs": values})
        by_qid = {q: code for code, q in orgs.items()}
        for b in members.get("results", {}).get("bindings", []):
            code = by_qid.get(_qid(_value(b, "org")))
            iso3 = _value(b, "iso3")
            if code and kb.state(iso3) is not None:
                member_rows.append((code, iso3, _day(_value(b, "start")), _day(_value(b, "end"))))

    if out.resolve() == source.resolve():
        raise NewsgraphError("E018", where=str(out), reason="refresh never overwrites its source")
    try:
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(source, out)
        for old in (out / "offices").glob("heads_*.tsv"):
            old.unlink()
        _write_heads(out / "offices" / "heads_wikidata.tsv", rows, as_of, kb)
        _write_members(out / "igo_members.tsv", member_rows, set(orgs), as_of, kb)
    except OSError as exc:
        raise NewsgraphError("E018", where=str(out), reason=exc.strerror or str(exc)) from exc
    KnowledgeBase.load(out)  # what we wrote must load
    return {"office_terms": len(rows), "memberships": len(member_rows)}


def _write_heads(
    path: Path, rows: list[tuple[str, str, str, str, str, str]], as_of: str, kb: KnowledgeBase
) -> None:
    lines = [
        f"# as_of: {as_of}",
        "# source: Wikidata SPARQL (P35 head of state, P6 head of government) via kb refresh",
        "office\ttitle\tperson\tqid\tstart\tend\taliases",
    ]
    seen: set[tuple[str, str, str]] = set()
    for office, title, person, qid, start, end in sorted(rows, key=lambda r: (r[0], r[4], r[2])):
        if (office, qid, start) in seen:
            continue
        seen.add((office, qid, start))
        # keep the packaged title and aliases where we know the person already
        known = kb.by_kb_id(qid)
        aliases = ""
        if known is not None:
            packaged = [t for t in kb.roles(known) if t.office == office]
            title = packaged[0].title if packaged else title
            aliases = "|".join(a for a in known.aliases if a != person)
        lines.append("\t".join([office, title, person, qid, start, end, aliases]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_members(
    path: Path,
    rows: list[tuple[str, str, str, str]],
    refreshed: set[str],
    as_of: str,
    kb: KnowledgeBase,
) -> None:
    kept = [(m.igo, m.member, m.start, m.end) for m in kb.memberships if m.igo not in refreshed]
    lines = [
        f"# as_of: {as_of}",
        "# source: Wikidata SPARQL (P463 member of) for IGOs with a QID; packaged rows otherwise",
        "igo\tmember\tstart\tend",
    ]
    for igo, member, start, end in sorted(set(kept + rows)):
        lines.append("\t".join([igo, member, start, end]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


__all__ = ["ENDPOINT", "HEADS_QUERY", "MEMBERS_QUERY", "http_fetch", "refresh"]
