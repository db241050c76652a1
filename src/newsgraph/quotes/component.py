"""``newsgraph_quotes_v1``: who said what, from quotation marks and reporting cues.

1. Direct quotes: text between paired quotation marks (straight, curly, single curly,
   guillemets); a closing ’ is told from an apostrophe by what follows it. Short
   quoted words inside a sentence (names, scare quotes) are not quotes by themselves.
2. Attribution of a direct quote: a reporting cue in the same sentence after it
   ("...,’ said a Turkish official", "...,’ a Turkish official told Bloomberg") or
   before it ("X said: ‘...’"); a quote with no cue that follows a quote of the same
   paragraph continues that speaker (a floating quote).
3. Indirect quotes: a reporting verb with a clausal complement ("analysts suggest that
   ..."), a person's belief or intention ("economists believe that", "Clinton wants
   voters to know"), a document's finding ("a poll shows that"), a noun of speech with
   its possessor ("his claim that"), a parenthetical attribution ("The plan, he said,
   was a failure"), and "according to X, ...". A short quoted passage
   inside makes the paraphrase a mixed quote. A phrase between the reporting verb and
   its clause ("said on Monday it would") is the verb's, not the content's.
4. Transcript turns ("PENCE: Well, ..."), headlines whose lead names the source of
   their statement ("Lynch: No outside influence on FBI probe", "Poll: ..."), embedded
   posts signed "— Name (@handle) July 5, 2016", and a quotation opening a paragraph
   with no cue continues the last speaker.
5. The source: the speaker span (the cue's subject), linked to an entity (pronouns and
   relative pronouns to the person they stand for, "the Minister" to the person named
   with that role before), classified into the report's source kinds, and described:
   role, affiliation (whom the role speaks for), former/senior, and whom a relaying
   outlet cites.

Cues and source nouns are data: ``data/reporting_cues.tsv`` and ``data/source_roles.tsv``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any, Final

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..datafile import read_table
from ..report import Entity, Quote
from ..report import Span as RSpan
from ..text import docview
from ..text.quotemarks import PAIRS, find_quote_marks
from ..text.spanindex import SpanIndex
from ..text.tense import CLAUSE_OPENERS, governing_verb, reported_from
from .sourcing import profile

COMPONENT = "newsgraph_quotes_v1"

#: A direct quote needs this many words unless it ends a sentence inside its marks.
MIN_WORDS: Final = 4
#: quotation marks, as characters
MARK_CHARS: Final = "\"'“”‘’«»„"
#: how many tokens after a quotation its cue may stand (past an apposition)
CUE_AFTER: Final = 24
#: quoted words under this share of a paraphrase leave the paraphrase the quote
PARAPHRASED: Final = 0.6
PRONOUNS: Final = {
    "he": "person",
    "she": "person",
    "they": "group",
    "it": "org",
    "we": "group",
    # possessors of a noun cue ("his claim that")
    "his": "person",
    "her": "person",
    "their": "group",
    "its": "org",
    "our": "group",
}
RELATIVE: Final = frozenset({"who", "that", "which"})
#: pronouns of people (a belief or an intention is a person's)
PERSONAL: Final = frozenset({"i", "we", "you", "he", "she", "they"})
#: words that open a question, not a reported clause ("showed how many")
WH_WORDS: Final = frozenset(
    {"how", "what", "why", "whether", "if", "when", "where", "who", "which"}
)
#: prepositions after a role noun that name where the role is held, not whose it is
#: ("Ambassador to Turkey", "envoy to the UN")
POSTED: Final = frozenset({"to"})
SENIORITY: Final = frozenset({"senior", "top", "high-ranking", "high", "chief", "leading", "key"})
FORMER: Final = frozenset({"former", "ex", "retired", "onetime", "one-time"})


@cache
def cue_rows() -> dict[str, dict[str, str]]:
    """kind (verb, phrase, direct, belief, intention, finding, noun) -> cue -> stance, from
    ``data/reporting_cues.tsv``."""
    out: dict[str, dict[str, str]] = {
        "verb": {},
        "phrase": {},
        "direct": {},
        "belief": {},
        "intention": {},
        "finding": {},
        "noun": {},
    }
    for cue, kind, stance in read_table(
        "newsgraph.quotes", "reporting_cues.tsv", ["cue", "kind", "stance"]
    ):
        if stance not in ("neutral", "loaded", "hedge") or kind not in out:
            raise ValueError(f"reporting_cues.tsv: bad row {cue!r}")
        out[kind][cue] = stance
    return out


def cue_table() -> tuple[dict[str, str], dict[str, str]]:
    """(verb lemma -> stance, lower-cased phrase -> stance)."""
    rows = cue_rows()
    return rows["verb"], rows["phrase"]


def attribution_cues() -> dict[str, tuple[str, str]]:
    """Verb lemma -> (stance, attribution) of every verb that attributes a clause:
    speech ("said that"), a belief ("believes that": a clause only), a finding of a
    document ("a poll shows that") or an intention ("wants to", "plans to")."""
    rows = cue_rows()
    out = {cue: (stance, "finding") for cue, stance in rows["finding"].items()}
    out.update({cue: (stance, "belief") for cue, stance in rows["belief"].items()})
    out.update({cue: (stance, "intention") for cue, stance in rows["intention"].items()})
    out.update({cue: (stance, "speech") for cue, stance in rows["verb"].items()})
    return out


def direct_cues() -> dict[str, str]:
    """Verb lemma -> stance of every verb that attributes a quotation beside it: the
    reporting verbs and those that only do so next to quotation marks ("he continued",
    "she quipped"), never with a clause ("continued to fight")."""
    rows = cue_rows()
    return {**rows["verb"], **rows["direct"]}


@cache
def role_table() -> dict[str, tuple[str, str]]:
    """noun lemma -> (person|document, role)."""
    out: dict[str, tuple[str, str]] = {}
    for noun, kind, role in read_table(
        "newsgraph.quotes", "source_roles.tsv", ["noun", "kind", "role"]
    ):
        if kind not in ("person", "document") or noun in out:
            raise ValueError(f"source_roles.tsv: bad or repeated row {noun!r}")
        out[noun] = (kind, role)
    return out


@dataclass
class Found:
    """A quote under construction (char offsets)."""

    kind: str
    content: tuple[int, int]
    cue: Token | None = None
    cue_span: tuple[int, int] | None = None
    speaker: Span | None = None
    origin: str = ""
    continues: Found | None = None


class QuoteFinder:
    """Direct, mixed and indirect quotes with their cues, speakers and sources."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.verbs, self.phrases = cue_table()
        self.direct_verbs = direct_cues()
        self.clause_verbs = attribution_cues()
        self.nouns = cue_rows()["noun"]
        self.roles = role_table()

    def __call__(self, doc: Doc) -> Doc:
        entities = _Entities(list(doc._.ng_entities or []))
        found = self._direct(doc)
        found += _transcript(doc, found)
        heads = self._headlines(doc, found, entities)
        # a headline takes in the quotation marks of its statement that had no source
        # ("Issa: Hillary Clinton's ‘Honesty Is In Question.’")
        found = [
            f
            for f in found
            if not (_unsourced(f) and _overlaps(f.content, [h.content for h in heads]))
        ]
        found += heads
        found += _tweets(doc, found)
        found.sort(key=lambda f: f.content[0])
        found += self._indirect(doc, found, entities)
        found.sort(key=lambda f: f.content[0])
        _continue_paragraphs(docview.text(doc), found)
        place = _Places(found)
        quotes = [self._to_quote(doc, f, i, entities, place) for i, f in enumerate(found, 1)]
        doc._.ng_quotes = quotes
        doc._.ng_sourcing = profile(quotes)
        return doc

    # ------------------------------------------------------------------ headlines
    def _headlines(self, doc: Doc, direct: list[Found], entities: _Entities) -> list[Found]:
        """Headlines that attribute a statement ('Lynch: No outside influence on FBI
        probe', 'Clinton to Planned Parenthood: Trump will reverse Roe v. Wade', 'Poll:
        Sanders leads'): a line of at most HEADLINE_WORDS words whose lead before the
        colon is a short noun phrase naming a person or organisation (the source; "X to
        Y" is X speaking to Y) or a document ("Poll"), with no verb, followed by a
        statement of at least MIN_WORDS words. A lead that is only a place ("WASHINGTON")
        or a label ("Update") names no source."""
        text = docview.text(doc)
        taken = _Taken([f.content for f in direct if not _unsourced(f)])
        out = []
        for m in HEADLINE.finditer(text):
            if len(m.group(0).split()) > HEADLINE_WORDS:
                continue
            s, e = _strip(text, *m.span(2))
            if s >= e or taken.overlaps((s, e)) or len(text[s:e].split()) < MIN_WORDS:
                continue
            lead = doc.char_span(*m.span(1), alignment_mode="expand")
            if lead is None:
                continue
            words = [t for t in lead if not t.is_space]
            # "EXCLUSIVE – Roger Stone": what follows a dash
            dash = max((k for k, t in enumerate(words) if t.text in ("–", "—", "-")), default=-1)
            words = words[dash + 1 :]
            if not words or len(words) > LEAD_WORDS or not words[0].text[:1].isupper():
                continue
            if any(t.pos_ in ("VERB", "AUX") or t.text in ".!?" for t in words):
                continue
            speaker = self._headline_source(doc, words, entities)
            if speaker is None:
                continue
            colon = m.end(1)
            f = Found("direct", (s, e), speaker=speaker, origin="headline")
            if _has_quoted(text, s, e):
                f.kind = "mixed"
            f.cue_span = (colon, colon + 1)
            out.append(f)
        return out

    def _headline_source(self, doc: Doc, words: list[Token], entities: _Entities) -> Span | None:
        """The source a headline's lead names: the first person or organisation named in
        it before any "to", "at", "on" or "in" ("Gillibrand on Hillary ...": Gillibrand;
        not one written as an owner: "Trump's message"), else
        the lead itself when its head is a document noun ("Poll", "New study")."""
        first, last = words[0].i, words[-1].i
        for k, t in enumerate(words):
            if t.lower_ in ("to", "at", "on", "in") and k:
                last = words[k - 1].i
                break
        lead = doc[first : last + 1]
        text = docview.text(doc)
        named = sorted(
            (m.start, m.end)
            for entity in entities.inside(lead.start_char, lead.end_char)
            if entity.type in HEADLINE_SOURCES
            for m in entity.mentions
            if lead.start_char <= m.start and m.end <= lead.end_char
        )
        for start, end in named:  # the first named, in the order of the words
            if text[end : end + 1] in ("'", "’"):
                continue  # "Trump's message"
            return doc.char_span(start, end, alignment_mode="expand")
        head = lead[-1]
        if self.roles.get(head.lemma_.lower(), ("", ""))[0] == "document":
            return lead
        return None

    # ------------------------------------------------------------------ direct
    def _direct(self, doc: Doc) -> list[Found]:
        text = docview.text(doc)
        out: list[Found] = []
        for opening, s, e, close in find_quote_marks(text):
            s, e = _strip(text, s, e)
            if s >= e:
                continue
            content = text[s:e]
            if len(content.split()) < MIN_WORDS:
                # a name or scare quote ("apps," "bumper"), unless a cue verb takes it as
                # its object: 'described as "a nominal charge"', 'called it "magical"'
                cue = self._governing_cue(doc, s, e)
                if cue is None:
                    continue
                f = Found("mixed", (s, e), cue=cue, speaker=_subject(cue), origin="quoted-words")
                out.append(f)
                continue
            # words run straight into the mark ("would be ‘finally resolved’"): the quote is
            # built into the reporter's sentence, so it is mixed
            lead = _last_visible(text, opening)
            kind = "mixed" if lead.isalnum() else "direct"
            f = Found(kind, (s, e), origin="quote-marks")
            self._attribute(doc, f, opening, close)
            out.append(f)
        # floating quotes: no cue of their own, right after another quote of the paragraph
        for prev, f in pairwise(out):
            if f.cue is None and f.speaker is None and prev.speaker is not None:
                gap = text[prev.content[1] : f.content[0]]
                if "\n\n" not in gap and len(gap) < 200:
                    f.speaker, f.continues, f.origin = prev.speaker, prev, "floating-quote"
        # an unattributed quotation that is no clause is a title or a name ("Back to the Mac")
        return [f for f in out if f.cue or f.speaker or self._is_clause(doc, f.content)]

    @staticmethod
    def _is_clause(doc: Doc, content: tuple[int, int]) -> bool:
        span = doc.char_span(*content, alignment_mode="expand")
        return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)

    def _governing_cue(self, doc: Doc, s: int, e: int) -> Token | None:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            return None
        tok = span.root
        for _ in range(3):
            tok = tok.head
            if tok.lemma_.lower() in self.direct_verbs and tok.pos_ == "VERB":
                return tok
            if tok.head.i == tok.i:
                break
        return None

    def _attribute(self, doc: Doc, f: Found, open_at: int, close_at: int) -> None:
        """Find the cue and speaker of a direct quote around its marks."""
        text = docview.text(doc)
        rest = _next_after(text, close_at + 1, " \t")  # text[close_at + 1 :].lstrip(" \t")[:1]
        # a full stop inside the marks ends the sentence; "!" and "?" may be followed by
        # the attribution ('“Not us!” Murphy tweeted', '“Stay there!” he yelled')
        ended = text[f.content[1] - 1] == "." and (not rest or rest.isupper() or rest in '\n‘“"')
        ended = ended or (text[f.content[1] - 1] in "!?" and (not rest or rest in '\n‘“"'))
        # the cue after the quote, past an apposition ('..." Murphy, the head of Right to
        # Rise USA, tweeted'); a sentence end or another quotation stops the search
        sent_tokens = [] if ended else _tokens_after(doc, close_at + 1, limit=CUE_AFTER)
        for n, tok in enumerate(sent_tokens):
            if tok.text in (".", "!", "?") or (tok.is_sent_start and tok.idx > close_at + 1):
                break
            if tok.lemma_.lower() in self.direct_verbs and tok.pos_ in ("VERB", "AUX"):
                if n >= 12 and not any(t.text == "," for t in sent_tokens[1:n]):
                    break  # far from the quote with no apposition between: another clause
                f.cue, f.speaker = tok, _subject(tok) or _named_between(sent_tokens[:n])
                f.origin += "+cue-after"
                return
            if tok.text in PAIRS and n > 0:
                words = _quoted_words(docview.text(doc), tok.idx)
                if words is None or words >= MIN_WORDS:
                    break  # another quotation; a quoted name ("Ted Cruz" pins) is not
        before = _tokens_before(doc, open_at, limit=25)
        visible = [t for t in before if not t.is_space]
        colon = bool(visible) and visible[0].text == ":"
        # 'X is telling customers at a popular breakfast spot that “...”': the verb's clause
        that = bool(visible) and visible[0].lower_ == "that"
        for n, tok in enumerate(before):
            if tok.lemma_.lower() in self.direct_verbs and tok.pos_ in ("VERB", "AUX"):
                if n < 12 or colon or that:
                    f.cue, f.speaker = tok, _subject(tok)
                    f.origin += "+cue-before"
                return
            if tok.text in ".!?" or tok.text in PAIRS:
                break
        if colon and self._announced(f, visible[0]):
            return
        self._attribute_without_verb(doc, f, open_at, close_at)

    @staticmethod
    def _announced(f: Found, colon: Token) -> bool:
        """A quotation after a sentence that announces it with a colon ('President Clinton
        released the following statement:', 'Jared Potts echoed:'), in its paragraph or
        opening the next: the verb nearest the colon speaks, by its subject, when that
        subject is a name or a personal pronoun."""
        sent = colon.sent
        for tok in reversed(list(sent[: colon.i - sent.start])):
            if tok.pos_ not in ("VERB", "AUX") or tok.dep_ == "amod":
                continue  # "the following statement"
            subject = _subject(tok)
            if subject is None:
                return False
            root = subject.root
            if root.pos_ == "PROPN" or root.lower_ in PERSONAL:
                f.cue, f.speaker = tok, subject
                f.origin += "+announced"
                return True
            return False
        return False

    def _attribute_without_verb(self, doc: Doc, f: Found, open_at: int, close_at: int) -> None:
        """Colon and dash attributions: 'Erdogan: “We will …”', '“…” — a senior official';
        'According to the newspaper, “…”'."""
        text = docview.text(doc)
        according = ACCORDING.search(text, max(0, open_at - 90), open_at)
        if according is not None:
            span = doc.char_span(*according.span(1), alignment_mode="expand")
            if span is not None and len(span) <= 10:
                f.speaker, f.origin = _trim_span(span), f.origin + "+according-to"
                f.cue_span = according.span(0)[0], according.span(0)[0] + len("according to")
                return
        line_start, lead = _line_lead(text, open_at, 60)
        if lead.endswith(":") and 0 < len(lead) <= 60:
            span = doc.char_span(line_start, line_start + len(lead) - 1, alignment_mode="expand")
            if span is not None and len(span) <= 8 and not any(t.pos_ == "VERB" for t in span):
                f.speaker, f.origin = _trim_span(span), f.origin + "+colon"
                return
        # text[close_at + 1 :].lstrip(" "), read without copying the rest of the text
        at = close_at + 1
        while at < len(text) and text[at] == " ":
            at += 1
        if text[at : at + 1] in ("—", "–") or text.startswith("- ", at):
            start = at + 1
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            span = doc.char_span(start, end, alignment_mode="contract")
            if span is not None and 0 < len(span) <= 10 and not any(t.pos_ == "VERB" for t in span):
                f.speaker, f.origin = _trim_span(span), f.origin + "+dash"

    # ---------------------------------------------------------------- indirect
    def _can_speak(self, speaker: Span, entities: _Entities) -> bool:
        """People, bodies, outlets, documents and pronouns speak; things do not."""
        head = speaker.root
        if head.lower_ in PRONOUNS or head.lower_ in ("i", "you", "who") or head.pos_ == "PROPN":
            return head.lower_ not in ("who",)
        if head.lemma_.lower() in self.roles:
            return True
        return bool(entities.inside(speaker.start_char, speaker.end_char))

    def _holds(self, speaker: Span | None, attribution: str, clause: Token) -> bool:
        """Whether a verb of belief, intention or finding attributes its clause to its
        subject ``speaker``: a belief or an intention is a person's ("Clinton wants voters
        to know", "economists believe that", not "Apple plans to sell"), a finding a
        document's ("a poll shows that", not "he showed videos"); never a passive ("was
        intended to launch", no subject) or a question ("showed how many")."""
        if speaker is None or clause.left_edge.lower_ in WH_WORDS:
            return False
        if speaker[0].lower_ in WH_WORDS:
            return False  # "how many people want to"
        head = speaker.root
        role = self.roles.get(head.lemma_.lower())
        if attribution == "finding":
            return role is not None and role[0] == "document"
        if head.lower_ in PERSONAL:
            return True
        if role is not None:
            return role[0] == "person"
        return head.ent_type_ == "PERSON"

    def _indirect(self, doc: Doc, direct: list[Found], entities: _Entities) -> list[Found]:
        text = docview.text(doc)
        taken = _Taken([f.content for f in direct])
        out: list[Found] = []
        beliefs: list[Found] = []
        # the words that can open an attribution here: a cue noun, a clause verb
        lemmas, tags = docview.lemmas(doc), docview.pos(doc)
        cues = [
            i
            for i, (lemma, pos) in enumerate(zip(lemmas, tags, strict=True))
            if (pos == "NOUN" and lemma in self.nouns)
            or (pos in ("VERB", "AUX") and lemma in self.clause_verbs)
        ]
        for sent in docview.sentences(doc):
            low = sent.text.lower()
            for phrase in self.phrases:
                at = low.find(phrase)
                if at < 0:
                    continue
                f = self._according_to(doc, sent, sent.start_char + at, phrase)
                if f and not taken.overlaps(f.content):
                    out.append(f)
                    taken.add(f.content)
            for i in cues[bisect_left(cues, sent.start) : bisect_left(cues, sent.end)]:
                tok = doc[i]
                if tok.pos_ == "NOUN" and tok.lemma_.lower() in self.nouns:
                    f = self._noun_cue(doc, tok)
                    if f is not None and not taken.overlaps(f.content):
                        out.append(f)
                        taken.add(f.content)
                    continue
                cue = self.clause_verbs.get(tok.lemma_.lower())
                if cue is None or tok.pos_ not in ("VERB", "AUX"):
                    continue
                stance, attribution = cue
                deps = ("ccomp", "xcomp") if attribution in ("speech", "intention") else ("ccomp",)
                comp = [c for c in tok.children if c.dep_ in deps]
                if not comp and attribution == "speech" and tok.dep_ == "parataxis":
                    f = self._parenthetical(doc, tok)
                    if f is not None and not taken.overlaps(f.content):
                        out.append(f)
                        taken.add(f.content)
                    continue
                if not comp or any(c.dep_ == "neg" for c in tok.children):
                    continue  # "did not disclose whether" reports nothing
                speaker = _subject(tok)
                if attribution != "speech" and not self._holds(speaker, attribution, comp[0]):
                    continue
                clause = comp[0]
                toks = [t for t in clause.subtree]
                opener = min(
                    (c.left_edge.i for c in clause.children if c.dep_ in CLAUSE_OPENERS),
                    default=None,
                )
                if opener is not None and toks and tok.i < toks[0].i < opener:
                    # "said on Monday it would return": "on Monday" is the saying's, the
                    # parse may hang it on the clause
                    lead = doc[toks[0].i : opener]
                    if reported_from(lead, clause).i == tok.i:
                        toks = [t for t in toks if t.i >= opener]
                while toks and toks[0].lower_ in ("that", ",", ":"):
                    toks = toks[1:]
                while toks and toks[-1].is_punct:
                    toks = toks[:-1]
                if len(toks) < 3:
                    continue
                origin = "reporting-verb" if attribution == "speech" else f"{attribution}-verb"
                f = _clause_quote(text, toks, origin, cue=tok, speaker=speaker)
                content = f.content
                if taken.holds(content):
                    continue  # it sits inside a direct quote
                if speaker is None and not _passive(tok):
                    continue
                hedged = stance == "hedge" or tok.lemma_ == "indicate" or attribution != "speech"
                if hedged and speaker is not None and not self._can_speak(speaker, entities):
                    continue  # "a TV movie suggesting that ...": evidence, not speech
                if attribution != "speech":
                    # a belief or an intention may sit in what someone said, or hold it
                    # ("Mr. Trump intends to ..., Mr. Manafort said"): both are kept
                    if not _touching(direct, content):
                        beliefs.append(f)
                    continue
                inside = _inside(direct, content)
                quoted = sum(d.content[1] - d.content[0] for d in inside)
                touching = _touching(direct, content)
                if inside and (
                    all(d.origin == "quoted-words" for d in inside)
                    or (
                        touching == inside == inside[:1]
                        and quoted < PARAPHRASED * (content[1] - content[0])
                    )
                ):
                    # quoted words in a paraphrase ('Apple is “getting ready” for ...',
                    # 'said that Mac OS X has had “a secret double life”'): the paraphrase
                    # is the (mixed) quote, not the words; a paraphrase stitched of several
                    # quoted passages keeps them as its quotes
                    for d in inside:
                        _remove(direct, d)
                        taken.remove(d.content)
                    f.kind = "mixed"
                if taken.overlaps(content):
                    # a direct quote that is most of the paraphrase: the quote is the mixed
                    # one, and the paraphrase's verb and subject are its cue and speaker
                    for d in _inside(direct, content):
                        d.kind, d.cue, d.continues = "mixed", tok, None
                        d.speaker = speaker or d.speaker
                        d.origin = "quote-marks+in-paraphrase"
                    continue
                out.append(f)
                taken.add(content)
        return out + beliefs

    def _parenthetical(self, doc: Doc, verb: Token) -> Found | None:
        """ "Recently, he said, he has realized that ...", "The first step, the senator's
        allies say, will be ...": a reporting verb set off by commas inside the clause it
        reports; the content is that clause (the attribution inside it included)."""
        own = list(verb.subtree)
        while len(own) > 1 and own[0].is_punct:
            own = own[1:]
        while len(own) > 1 and own[-1].is_punct:
            own = own[:-1]
        before = doc[own[0].i - 1] if own[0].i > 0 else None
        after = doc[own[-1].i + 1] if own[-1].i + 1 < len(doc) else None
        if before is None or before.text != ",":
            return None
        if after is not None and after.text != "," and not after.is_punct:
            return None
        speaker = _subject(verb)
        if speaker is None or any(c.dep_ == "neg" for c in verb.children):
            return None
        main = verb.head
        toks = [t for t in main.subtree if not t.is_space]
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        while toks and toks[0].is_punct:
            toks = toks[1:]
        if sum(1 for t in toks if not (own[0].i <= t.i <= own[-1].i)) < 4:
            return None
        return _clause_quote(docview.text(doc), toks, "parenthetical", cue=verb, speaker=speaker)

    def _noun_cue(self, doc: Doc, noun: Token) -> Found | None:
        """ "his claim that CONTENT", "Trump's assertion that CONTENT": a noun of speech
        or belief with a that-clause, attributed to its possessor."""
        clause = next(
            (
                c
                for c in noun.children
                if c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" for m in c.children)
            ),
            None,
        )
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if clause is None or owner is None:
            return None
        toks = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)]
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if len(toks) < 3:
            return None
        speaker = owner.doc[owner.left_edge.i : owner.i + 1]
        f = _clause_quote(docview.text(doc), toks, "noun-cue", speaker=speaker)
        f.cue_span = (noun.idx, noun.idx + len(noun.text))
        return f

    def _according_to(self, doc: Doc, sent: Span, at: int, phrase: str) -> Found | None:
        """ "according to X, CONTENT" or "CONTENT, according to X"."""
        cue = doc.char_span(at, at + len(phrase), alignment_mode="expand")
        if cue is None:
            return None
        last = cue[-1]
        objs = [c for c in last.children if c.dep_ == "pobj"]
        speaker = _noun_phrase(objs[0]) if objs else None
        if speaker is None:
            return None
        rest = [t for t in sent if not (cue.start <= t.i < speaker.end) and not t.is_space]
        while rest and rest[0].is_punct:
            rest = rest[1:]
        while rest and rest[-1].is_punct:
            rest = rest[:-1]
        if len(rest) < 3:
            return None
        content = (rest[0].idx, rest[-1].idx + len(rest[-1].text))
        f = Found("indirect", content, origin="according-to", speaker=speaker)
        f.cue_span = (cue.start_char, cue.end_char)
        return f

    # ------------------------------------------------------------------ source
    def _to_quote(self, doc: Doc, f: Found, i: int, entities: _Entities, found: _Places) -> Quote:
        text = docview.text(doc)
        speaker = f.speaker
        entity_id, kind, descriptor = self._source(doc, speaker, entities)
        if f.origin == "transcript" and speaker is not None:
            # 'PENCE:': the person of that name in the article, else a person unlinked
            person = entities.person_named(speaker.text)
            entity_id, kind, descriptor = (person.id if person else None), "named_person", {}
        at = found.index(f.continues) if f.kind == "direct" and f.continues is not None else None
        if at is not None:
            descriptor["continues"] = f"q{at + 1}"
        if f.origin == "noun-cue" and f.cue_span is not None:
            noun = doc.char_span(*f.cue_span, alignment_mode="expand")
            descriptor["stance"] = (
                self.nouns.get(noun.root.lemma_.lower(), "neutral") if noun else "neutral"
            )
        if f.cue is not None:
            lemma = f.cue.lemma_.lower()
            stance, attribution = self.clause_verbs.get(lemma, ("neutral", "speech"))
            descriptor["stance"] = self.direct_verbs.get(lemma, stance)
            if attribution != "speech" and f.origin == f"{attribution}-verb":
                descriptor["attribution"] = attribution  # what is attributed, if not speech
            citing = _citing(f.cue)
            if citing is not None:
                _, ckind, cdesc = self._source(doc, citing, entities)
                descriptor["citing"] = {"text": citing.text, "source_kind": ckind, **cdesc}
        cue = (
            RSpan.of(text, f.cue.idx, f.cue.idx + len(f.cue.text))
            if f.cue is not None
            else (RSpan.of(text, *f.cue_span) if f.cue_span else None)
        )
        return Quote(
            id=f"q{i}",
            kind=f.kind,  # type: ignore[arg-type]
            content=RSpan.of(text, *f.content),
            cue=cue if f.continues is None or f.cue is not None else None,
            speaker=RSpan.of(text, speaker.start_char, speaker.end_char) if speaker else None,
            speaker_entity=entity_id,
            source_kind=kind,  # type: ignore[arg-type]
            origin=f"{COMPONENT}:{f.origin}",
            source=descriptor,
        )

    def _source(
        self, doc: Doc, speaker: Span | None, entities: _Entities
    ) -> tuple[str | None, str, dict[str, Any]]:
        """(speaker entity id, source kind, descriptor) for a speaker span."""
        if speaker is None:
            return None, "unattributed", {}
        if len(speaker) > 1 and speaker[-1].lower_ in RELATIVE:
            # "Charles O'Reilly, a management expert at Stanford University, who": the
            # source is the name, described by its apposition
            named = _noun_phrase(speaker.root)
            end = named.end
            while end > named.start and (doc[end - 1].lower_ in RELATIVE or doc[end - 1].is_punct):
                end -= 1
            if named.start < end and end - named.start < len(speaker):
                return self._source(doc, doc[named.start : end], entities)
        head = speaker.root
        lower = head.lower_
        if lower in PRONOUNS:
            ent = entities.last_before(speaker.start_char, PRONOUNS[lower])
            if ent is None:
                return (
                    None,
                    "anonymous_person" if PRONOUNS[lower] == "person" else "anonymous_group",
                    {},
                )
            return ent.id, _kind_of(ent), {"resolved_from": speaker.text}
        inside = entities.inside(speaker.start_char, speaker.end_char)
        role = self.roles.get(head.lemma_.lower())
        descriptor: dict[str, Any] = {}
        if role is not None:
            descriptor["role"] = role[1]
            mods = {t.lower_ for t in speaker if t.i < head.i}
            if mods & FORMER:
                descriptor["former"] = True
            if mods & SENIORITY:
                descriptor["senior"] = True
            affiliation = _affiliation(speaker, head, inside)
            if affiliation is not None:
                descriptor["affiliation"] = affiliation.id
            person = self._named_in(speaker, head, inside)
            if person is None and role[0] == "person" and _definite(speaker, head):
                # "the Minister said" after "The Minister for Central Asia, Tobias Ellwood"
                person = _named_before(doc, head, entities)
                if person is not None:
                    descriptor["resolved_from"] = speaker.text
            if person is not None:  # "Maarja Tamm, a researcher", "Ambassador ... Tom Barrack"
                return person.id, "named_person", descriptor
            modifier = next((e for e in inside if e.type == "PERSON"), None)
            if modifier is not None:  # "a Trump campaign advisor": affiliated, not named
                descriptor.setdefault("affiliation", modifier.id)
            if role[0] == "document":
                return None, "document", descriptor
            plural = head.tag_ in ("NNS", "NNPS") or lower in ("people",)
            return None, "anonymous_group" if plural else "anonymous_person", descriptor
        # a name: the entity at the head of the speaker span
        at_head = [e for e in inside if any(m.start <= head.idx < m.end for m in e.mentions)]
        ent = at_head[0] if at_head else (inside[0] if inside else None)
        if ent is not None:
            return ent.id, _kind_of(ent), descriptor
        if head.tag_ in ("NNS", "NNPS"):
            return None, "anonymous_group", {"role": head.lemma_.lower()}
        if head.pos_ == "PROPN":
            return None, "named_person" if head.ent_type_ == "PERSON" else "named_organization", {}
        return None, "anonymous_person", {"role": head.lemma_.lower()}

    @staticmethod
    def _named_in(speaker: Span, head: Token, inside: list[Entity]) -> Entity | None:
        """A person named by the speaker span itself: at its head, or in apposition after
        the role noun ("Maarja Tamm, a researcher"; "Ambassador to Turkey Tom Barrack");
        not a person who only modifies the role ("a Trump campaign advisor")."""
        for e in inside:
            if e.type != "PERSON":
                continue
            for m in e.mentions:
                if not (speaker.start_char <= m.start and m.end <= speaker.end_char):
                    continue
                if m.start <= head.idx < m.end or m.start > head.idx:
                    return e
                tok = speaker.doc.char_span(m.start, m.end, alignment_mode="expand")
                if tok is not None and tok.root.dep_ == "appos":
                    return e
        return None


def _affiliation(speaker: Span, head: Token, inside: list[Entity]) -> Entity | None:
    """Whom a role speaks for: the first entity (not a person) named before the role
    noun ("U.S. Ambassador", "a Turkish official"), else one after it that is not where
    the role is held ("a spokesman for the State Department", not "Ambassador to
    Turkey")."""
    doc = speaker.doc
    placed: list[tuple[int, Entity]] = []
    for e in inside:
        if e.type == "PERSON":
            continue
        for m in e.mentions:
            if speaker.start_char <= m.start and m.end <= speaker.end_char:
                placed.append((m.start, e))
    placed.sort(key=lambda p: p[0])
    before = [e for at, e in placed if at < head.idx]
    if before:
        return before[0]
    for at, e in placed:
        tok = doc.char_span(at, at + 1, alignment_mode="expand")
        if tok is None:
            continue
        preps = [
            a for a in tok[0].ancestors if a.dep_ == "prep" and a.i > head.i and a.head.i == head.i
        ]
        if not (preps and preps[0].lower_ in POSTED):
            return e
    return None


def _definite(speaker: Span, head: Token) -> bool:
    """Whether the speaker is a definite singular role ("the Minister", "the
    ambassador"), naming no one but pointing back at someone named."""
    det = [t for t in head.children if t.dep_ == "det"]
    return (
        head.tag_ in ("NN", "NNP")
        and bool(det)
        and det[0].lower_ == "the"
        and all(t.i >= det[0].i for t in speaker if t.i < head.i)
        and not any(t.dep_ in ("amod", "compound") and t.i < head.i for t in head.children)
    )


def _named_before(doc: Doc, head: Token, entities: _Entities) -> Entity | None:
    """The person last named with the same role noun before ``head`` ("The Minister for
    Central Asia, Tobias Ellwood, ..." before "the Minister said"), in this or the three
    sentences before: the person in apposition to, or named right after, that noun."""
    lemma = head.lemma_.lower()
    sent = docview.sentence_of(doc, head.i)
    floor = sent.start
    for _ in range(3):
        if floor == 0:
            break
        floor = docview.sentence_of(doc, floor - 1).start
    for tok in reversed(doc[floor : head.i]):
        if tok.lemma_.lower() != lemma or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        span = doc[tok.i : min(tok.sent.end, tok.i + 12)]
        people = [e for e in entities.inside(span.start_char, span.end_char) if e.type == "PERSON"]
        if len(people) == 1:
            return people[0]
        name = tok.head if tok.dep_ == "compound" else None  # "Minister Tobias Ellwood"
        if name is not None:
            at = entities.inside(name.idx, name.idx + len(name.text))
            if at and at[0].type == "PERSON":
                return at[0]
    return None


#: at most this much text between a quote and the one that opens the next paragraph
PARAGRAPH_GAP: Final = 160


def _continue_paragraphs(text: str, found: list[Found]) -> None:
    """A quotation that opens a paragraph with no cue of its own continues the speaker of
    the quote that ends the paragraph before ("Trump shot back in a statement, saying he
    has 'made a lot of money in down markets.' ¶ 'Frankly, this is ...'"): news style
    names a new speaker, so an unattributed paragraph of quotation is the last one's."""
    for prev, f in pairwise(found):
        if f.kind not in ("direct", "mixed") or f.cue is not None or f.speaker is not None:
            continue
        if prev.speaker is None:
            continue
        line_start = text.rfind("\n", 0, f.content[0]) + 1
        if text[line_start : f.content[0]].strip(" \t\"'“‘«"):
            continue  # the quote does not open its paragraph
        gap = text[prev.content[1] : line_start]
        if gap.count("\n") == 0 or len(gap.strip()) > PARAGRAPH_GAP:
            continue
        # the previous paragraph ends with that quote (and its attribution)
        if not re.fullmatch(r"[^\n]*\n\s*", gap, flags=re.DOTALL):
            continue
        f.speaker, f.continues, f.origin = prev.speaker, prev, "floating-quote+paragraph"
        f.kind = "direct"


def _kind_of(ent: Entity) -> str:
    if ent.type == "PERSON":
        return "named_person"
    if ent.type == "MEDIA":
        return "media_outlet"
    return "named_organization"


#: entity types a pronoun other than "he"/"she" does not stand for
NOT_GROUPS: Final = frozenset({"PERSON", "NORP", "MILITARY_SYSTEM", "LOCATION"})


class _Entities:
    """The article's entities with their mentions indexed by position (asked about once
    per quote and per speaker: a scan of every mention each time would be quadratic)."""

    def __init__(self, entities: list[Entity]) -> None:
        self.all = entities
        rows = [(m.start, m.end, n) for n, e in enumerate(entities) for m in e.mentions]
        self._mentions = SpanIndex(rows, lambda r: (r[0], r[1]))
        self._before: dict[bool, tuple[list[int], list[int]]] = {}

    def inside(self, start: int, end: int) -> list[Entity]:
        """The entities (in list order) with a mention inside ``[start, end]``."""
        hits = sorted({n for _, _, n in self._mentions.within(start, end)})
        return [self.all[n] for n in hits]

    def person_named(self, label: str) -> Entity | None:
        """The person whose name, or the last word of it, is ``label`` in any case
        ("PENCE": Mike Pence); None when no one or several are."""
        want = " ".join(label.split()).casefold()
        found = {
            e.id: e
            for e in self.all
            if e.type == "PERSON"
            and any(
                n.casefold() == want or n.casefold().split()[-1:] == [want]
                for n in [e.name, *(m.text for m in e.mentions)]
            )
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def last_before(self, at: int, want: str) -> Entity | None:
        """The entity of the latest-starting mention that ends by ``at``: a person for
        ``want == "person"``, else a group or organisation (the first such mention in
        list order where two start together)."""
        person = want == "person"
        if person not in self._before:
            # (end, place in the scan over entities and mentions, start, entity)
            rows: list[tuple[int, int, int, int]] = []
            for n, e in enumerate(self.all):
                if (e.type == "PERSON") != person or (not person and e.type in NOT_GROUPS):
                    continue
                rows += [(m.end, len(rows) + k, m.start, n) for k, m in enumerate(e.mentions)]
            rows.sort()
            ends, best = [], []
            top: tuple[int, int, int] | None = None  # (start, -place, entity) of the best
            for end, place, start, n in rows:
                if top is None or (start, -place) > top[:2]:
                    top = (start, -place, n)
                ends.append(end)
                best.append(top[2])
            self._before[person] = (ends, best)
        ends, best = self._before[person]
        k = bisect_right(ends, at)
        return self.all[best[k - 1]] if k else None


class _Places:
    """Where each quote under construction stands in the sorted list (``list.index``
    compares every quote field by field: a scan per quote)."""

    def __init__(self, found: list[Found]) -> None:
        self.found = found
        self.by_content: dict[tuple[int, int], list[int]] = {}
        for i, f in enumerate(found):
            self.by_content.setdefault(f.content, []).append(i)

    def index(self, f: Found) -> int | None:
        """``found.index(f)``, None when ``f`` is not in the list."""
        for i in self.by_content.get(f.content, ()):
            if self.found[i] is f or self.found[i] == f:
                return i
        return None


class _Taken:
    """The character ranges quotes take, as ``_indirect`` keeps them: pairwise disjoint,
    so sorted by start they are sorted by end too, and a question is a binary search.
    Ranges that would break that are kept in a plain list instead (asked by scanning)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.plain: list[tuple[int, int]] | None = None
        for span in spans:
            self.add(span)

    def add(self, span: tuple[int, int]) -> None:
        if self.plain is not None:
            self.plain.append(span)
            return
        s, e = span
        k = bisect_left(self.starts, s)
        if s >= e or (k and self.ends[k - 1] > s) or (k < len(self.starts) and self.starts[k] < e):
            self.plain = [*zip(self.starts, self.ends, strict=True), span]
            return
        self.starts.insert(k, s)
        self.ends.insert(k, e)

    def remove(self, span: tuple[int, int]) -> None:
        if self.plain is not None:
            self.plain.remove(span)
            return
        k = bisect_left(self.starts, span[0])
        if k == len(self.starts) or (self.starts[k], self.ends[k]) != span:
            raise ValueError(f"{span} is not taken")
        del self.starts[k], self.ends[k]

    def overlaps(self, span: tuple[int, int]) -> bool:
        """Does a taken range overlap ``span``?"""
        if self.plain is not None:
            return _overlaps(span, self.plain)
        j = bisect_left(self.starts, span[1])
        return bool(j) and self.ends[j - 1] > span[0]

    def holds(self, span: tuple[int, int]) -> bool:
        """Does a taken range hold all of ``span``?"""
        a, b = span
        if self.plain is not None or a >= b:
            pairs = (
                self.plain if self.plain is not None else zip(self.starts, self.ends, strict=True)
            )
            return any(s <= a and b <= e for s, e in pairs)
        k = bisect_right(self.starts, a) - 1
        return k >= 0 and b <= self.ends[k]


def _inside(direct: list[Found], content: tuple[int, int]) -> list[Found]:
    """The quotes of ``direct`` (sorted by start, disjoint) that lie inside ``content``."""
    out = []
    for k in range(bisect_left(direct, content[0], key=lambda d: d.content[0]), len(direct)):
        d = direct[k]
        if d.content[0] > content[1]:
            break
        if d.content[1] <= content[1]:
            out.append(d)
    return out


def _remove(direct: list[Found], d: Found) -> None:
    """``direct.remove(d)``, found by binary search (the starts are distinct)."""
    k = bisect_left(direct, d.content[0], key=lambda x: x.content[0])
    if k < len(direct) and direct[k] is d:
        del direct[k]
    else:
        direct.remove(d)


def _last_visible(text: str, at: int) -> str:
    """The last non-space character before ``at`` (``text[:at].rstrip()[-1:]``)."""
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return text[at - 1] if at else ""


def _next_after(text: str, at: int, skip: str) -> str:
    """The first character from ``at`` on that is not in ``skip`` ("" at the end)."""
    while at < len(text) and text[at] in skip:
        at += 1
    return text[at : at + 1]


#: "according to X," right before a quotation mark
ACCORDING: Final = re.compile(r"\b[Aa]ccording to ([^,.;:\n“”\"]{2,80}),\s*$")
#: a transcript turn: a speaker's name in capitals and a colon opening the paragraph
TURN: Final = re.compile(r"^[ \t]*([A-Z][A-Z.'’ -]{1,38}[A-Z.]):[ \t]+(\S[^\n]*)$", re.MULTILINE)
#: the signature of an embedded post: '— Name (@handle) Month D, YYYY'
SIGNED_POST: Final = re.compile(
    r"[—–]\s*([^\n—–()<>@]{2,60}?)\s*\(@\w{1,30}\)\s*"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+\d{4}"
)
#: a headline that attributes its statement: 'Lynch: No outside influence on FBI probe'
#: (a line of at most HEADLINE_WORDS words; the lead before the colon names the source)
HEADLINE: Final = re.compile(r"^[ \t]*([^:\n]{2,80}?):[ \t]+(\S[^\n]*)$", re.MULTILINE)
HEADLINE_WORDS: Final = 30
#: the most words of a headline's lead ("Former AG Mukasey at RNC")
LEAD_WORDS: Final = 7
#: entity types that can be a headline's source
HEADLINE_SOURCES: Final = frozenset({"PERSON", "ORGANIZATION", "MEDIA", "IGO"})
#: capitalised labels that open a paragraph but name no speaker
NOT_SPEAKERS: Final = frozenset(
    {
        "UPDATE",
        "NOTE",
        "EDITOR'S NOTE",
        "EDITOR’S NOTE",
        "CORRECTION",
        "CLARIFICATION",
        "RELATED",
        "READ MORE",
        "WATCH",
        "VIDEO",
        "PHOTOS",
        "SOURCE",
        "SOURCES",
        "ADVERTISEMENT",
        "BREAKING",
        "EXCLUSIVE",
        "Q",
        "A",
    }
)


def _transcript(doc: Doc, direct: list[Found]) -> list[Found]:
    """The turns of a transcript ('PENCE: Well, look, ...'): a paragraph opened by a
    speaker's name in capitals and a colon is that speaker's words, where the article
    has two turns or more (one capitalised label is a heading). Paragraphs that already
    hold a quotation are left to it."""
    text = docview.text(doc)
    turns = [m for m in TURN.finditer(text) if m.group(1).strip() not in NOT_SPEAKERS]
    if len(turns) < 2:
        return []
    taken = _Taken([f.content for f in direct])
    out = []
    for m in turns:
        s, e = _strip(text, *m.span(2))
        if s >= e or taken.overlaps((s, e)) or len(text[s:e].split()) < MIN_WORDS:
            continue
        speaker = doc.char_span(*m.span(1), alignment_mode="expand")
        out.append(Found("direct", (s, e), speaker=speaker, origin="transcript"))
    return out


def _unsourced(f: Found) -> bool:
    """Whether a quote found so far has neither cue nor speaker."""
    return f.cue is None and f.cue_span is None and f.speaker is None


def _tweets(doc: Doc, direct: list[Found]) -> list[Found]:
    """Embedded posts as news pages carry them: the post's words, then '— Name (@handle)
    July 5, 2016' (the fallback text of a social-media embed). The words from the start
    of the line (or after the markup or signature before them) up to the dash are that
    person's, verbatim."""
    text = docview.text(doc)
    taken = _Taken([f.content for f in direct])
    out = []
    for m in SIGNED_POST.finditer(text):
        dash = m.start()
        start = max(text.rfind("\n", 0, dash), text.rfind(">", 0, dash)) + 1
        before = [x.end() for x in SIGNED_POST.finditer(text, start, dash)]
        start = max([start, *before])
        s, e = _strip(text, start, dash)
        if s >= e or taken.overlaps((s, e)) or len(text[s:e].split()) < MIN_WORDS:
            continue
        speaker = doc.char_span(*m.span(1), alignment_mode="expand")
        if speaker is None:
            continue
        f = Found("direct", (s, e), speaker=speaker, origin="signed-post")
        f.cue_span = (dash, dash + 1)
        out.append(f)
    return out


def _line_lead(text: str, at: int, limit: int) -> tuple[int, str]:
    """(line start, ``text[line start:at].rstrip()``) for the line ``at`` is on, read
    back at most ``limit`` characters: a longer lead comes back as ""."""
    end = at
    while end > 0 and text[end - 1] != "\n" and text[end - 1].isspace():
        end -= 1
    newline = text.rfind("\n", max(0, end - limit - 1), end)
    if newline < 0 and end - limit - 1 > 0:
        return 0, ""
    return newline + 1, text[newline + 1 : end]


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _named_between(tokens: list[Token]) -> Span | None:
    """The speaker named between a quotation and its cue when the parse gives the cue no
    subject ('..." Texas delegate Bill Eastland, wearing a cowboy hat, said'): the words
    after the closing mark up to the first comma, if they make a short noun phrase."""
    words = [t for t in tokens if not (t.is_punct and t.text in MARK_CHARS) and not t.is_space]
    phrase: list[Token] = []
    for t in words:
        if t.text == ",":
            break
        phrase.append(t)
    if not phrase or len(phrase) > 8 or phrase[0].pos_ not in ("PROPN", "DET", "NOUN", "ADJ"):
        return None
    if not any(t.pos_ in ("PROPN", "NOUN") for t in phrase) or any(
        t.pos_ == "VERB" for t in phrase
    ):
        return None
    return phrase[0].doc[phrase[0].i : phrase[-1].i + 1]


def _quoted_words(text: str, at: int) -> int | None:
    """How many words the quotation opened by the mark at ``at`` holds (None when the
    mark closes nothing within 80 characters)."""
    closers = PAIRS.get(text[at], "")
    end = min((k for k in (text.find(c, at + 1, at + 80) for c in closers) if k >= 0), default=-1)
    return len(text[at + 1 : end].split()) if end >= 0 else None


def _tokens_after(doc: Doc, at: int, limit: int) -> list[Token]:
    """The first ``limit`` tokens that start at or after ``at``."""
    first = docview.first_token_from(doc, at)
    return list(doc[first : first + limit])


def _tokens_before(doc: Doc, at: int, limit: int) -> list[Token]:
    """The last ``limit`` tokens that end by ``at``, nearest first."""
    n = docview.tokens_ending_by(doc, at)
    return [doc[i] for i in range(n - 1, max(n - limit, 0) - 1, -1)]


def _subject(verb: Token) -> Span | None:
    """Who speaks through a reporting verb: its subject, a passive's agent ("by X"), or
    for "..., adding that" and "said and added" the subject of the verb it hangs on.
    A passive's subject is what was said about, not the speaker. Of two subjects the
    parse gives one verb, the nearer speaks ("6:50 p.m. ... Hillary Clinton has told")."""
    for child in sorted(verb.children, key=lambda c: abs(c.i - verb.i)):
        if child.dep_ == "nsubj" and child.lower_ in RELATIVE and verb.dep_ == "relcl":
            # "Charles O'Reilly, a management expert at Stanford University, who stated":
            # the whole description, from the name the relative pronoun stands for
            named = _antecedent(verb.head)
            return child.doc[min(named.start, child.i) : child.i + 1]
        if child.dep_ == "nsubj" and child.lower_ not in ("it", "there"):
            return _noun_phrase(child)
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return _noun_phrase(objs[0])
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.i != verb.i:
        # "critics saying that", "a news conference announcing": the noun, without the
        # participle; after a comma the participle is the clause's ("Trump made a third
        # attempt to deflect the criticism, writing on Twitter that": Trump)
        noun = verb.head
        before = verb.doc[verb.i - 1] if verb.i else verb
        if before.text == ",":
            clause = governing_verb(verb.doc[noun.i : noun.i + 1])
            if clause is not None and clause.i != verb.i:
                found = _subject(clause)
                if found is not None:
                    return found
        return noun.doc[noun.left_edge.i : max(noun.i + 1, verb.left_edge.i)]
    if verb.dep_ in ("conj", "advcl") and verb.head.i != verb.i and not _passive(verb):
        # "..., adding that": the nearest reporting verb above with a subject speaks
        for up in verb.ancestors:
            if up.lemma_.lower() in cue_table()[0] and any(c.dep_ == "nsubj" for c in up.children):
                return _subject(up)
        return _subject(verb.head)
    return None


def _antecedent(noun: Token) -> Span:
    """The phrase a relative clause hanging on ``noun`` is about: the named head of an
    apposition ("Charles O'Reilly, a management expert at Stanford University, who
    stated": Charles O'Reilly), not a noun of its prepositional phrase."""
    for _ in range(4):
        if noun.dep_ in ("pobj", "prep", "appos") and noun.head.i != noun.i:
            noun = noun.head
        else:
            break
    return _noun_phrase(noun)


def _noun_phrase(head: Token) -> Span:
    """The head's subtree, without a trailing comma or relative clause."""
    toks = [t for t in head.subtree if not (t.dep_ == "relcl" or t.head.dep_ == "relcl")]
    toks = toks or [head]
    doc = head.doc
    lo = min(t.i for t in toks)
    hi = max(t.i for t in toks) + 1
    span = doc[lo:hi]
    while len(span) > 1 and (span[-1].is_punct or span[-1].dep_ in ("relcl", "cc")):
        span = doc[span.start : span.end - 1]
    cut = next((t.i for t in span if t.text == "," and t.i > head.i), None)
    if cut is not None:
        span = doc[span.start : cut]
    # a phrase never runs over a paragraph break ("6:50 p.m.\n\nWith her husband ..."), nor
    # keeps a phrase of circumstance before the name ("With her husband, former
    # President Bill Clinton, standing by her side, Hillary Clinton")
    breaks = [t.i for t in span if t.i < head.i and "\n\n" in t.text + t.whitespace_]
    start = max(breaks) + 1 if breaks else span.start
    if doc[start].pos_ in ("ADP", "SCONJ"):
        commas = [t.i for t in doc[start : head.i] if t.text == ","]
        start = commas[-1] + 1 if commas else start
    while start < head.i and (doc[start].is_space or doc[start].is_punct):
        start += 1
    return doc[start : span.end]


def _trim_span(span: Span) -> Span:
    """Without punctuation and spaces at either end."""
    s, e = span.start, span.end
    doc = span.doc
    while s < e and (doc[s].is_punct or doc[s].is_space):
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    return doc[s:e] if s < e else span


def _passive(verb: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children)


def _citing(cue: Token) -> Span | None:
    """ "Bloomberg reported, citing anonymous sources": whom the speaker relays."""
    for child in cue.children:
        if child.lemma_ in ("cite", "quote") and child.dep_ in ("advcl", "xcomp", "conj", "dep"):
            objs = [c for c in child.children if c.dep_ in ("dobj", "obj")]
            if objs:
                return _noun_phrase(objs[0])
    return None


def _clause_quote(
    text: str,
    toks: list[Token],
    origin: str,
    cue: Token | None = None,
    speaker: Span | None = None,
) -> Found:
    """A reported clause over ``toks`` (trimmed, not empty): indirect, or mixed when a
    quoted passage lies inside it."""
    content = (toks[0].idx, toks[-1].idx + len(toks[-1].text))
    kind = "mixed" if _has_quoted(text, *content) else "indirect"
    return Found(kind, content, cue=cue, speaker=speaker, origin=origin)


def _has_quoted(text: str, s: int, e: int) -> bool:
    """Does a paraphrase carry quoted words ("called it ‘a nominal charge’")?"""
    return bool(find_quote_marks(text[s:e]))


def _touching(direct: list[Found], content: tuple[int, int]) -> list[Found]:
    """The quotes of ``direct`` (sorted by start, disjoint) that overlap ``content``."""
    k = bisect_left(direct, content[0], key=lambda d: d.content[0])
    out = [direct[k - 1]] if k and direct[k - 1].content[1] > content[0] else []
    while k < len(direct) and direct[k].content[0] < content[1]:
        out.append(direct[k])
        k += 1
    return out


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


@Language.factory(
    COMPONENT,
    assigns=["doc._.ng_quotes", "doc._.ng_sourcing"],
    requires=["doc._.ng_entities", "token.dep", "token.lemma"],
    default_config={},
)
def make_quote_finder(nlp: Language, name: str) -> QuoteFinder:
    return QuoteFinder(nlp, name)
