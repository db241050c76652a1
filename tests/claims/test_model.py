"""The check-worthiness model: its features, the packaged artifact, scoring, determinism."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import newsgraph.api
from conftest import ROOT, shared_path
from newsgraph.claims import features as features_module
from newsgraph.claims import model as model_module
from newsgraph.claims.features import (
    ALL_FAMILIES,
    TokenTable,
    family,
    features,
    length_bin,
    word,
)
from newsgraph.claims.model import CheckworthinessModel, default_model, sigmoid
from newsgraph.pipeline import COMPONENTS

FACTUAL = "Unemployment fell to 4.2 percent in 2019."
THANKS = "Thank you very much."
META_KEYS = {
    "data_sha256",
    "train_size",
    "dev_size",
    "cv_f1",
    "dev_f1",
    "dev_precision",
    "dev_recall",
    "threshold",
    "features",
    "versions",
    "seed",
}


@pytest.fixture(scope="module")
def vocab_nlp() -> Language:
    return spacy.blank("en")


def unemployment(nlp: Language) -> Doc:
    """FACTUAL, tagged and parsed by hand as en_core_web_sm would."""
    return Doc(
        nlp.vocab,
        words=["Unemployment", "fell", "to", "4.2", "percent", "in", "2019", "."],
        spaces=[True, True, True, True, True, True, False, False],
        tags=["NN", "VBD", "IN", "CD", "NN", "IN", "CD", "."],
        pos=["NOUN", "VERB", "ADP", "NUM", "NOUN", "ADP", "NUM", "PUNCT"],
        morphs=[
            *("Number=Sing", "Tense=Past|VerbForm=Fin", "", "NumType=Card", "Number=Sing"),
            *("", "NumType=Card", "PunctType=Peri"),
        ],
        lemmas=["unemployment", "fall", "to", "4.2", "percent", "in", "2019", "."],
        heads=[1, 1, 1, 4, 2, 1, 5, 1],
        deps=["nsubj", "ROOT", "prep", "nummod", "pobj", "prep", "pobj", "punct"],
        ents=["O", "O", "O", "B-PERCENT", "I-PERCENT", "O", "B-DATE", "O"],
    )


def question(nlp: Language) -> Doc:
    """'Will you cut taxes more?' with a modal, a second-person subject and a comparative."""
    return Doc(
        nlp.vocab,
        words=["Will", "you", "cut", "taxes", "more", "?"],
        spaces=[True, True, True, True, False, False],
        tags=["MD", "PRP", "VB", "NNS", "RBR", "."],
        pos=["AUX", "PRON", "VERB", "NOUN", "ADV", "PUNCT"],
        morphs=[
            *("VerbType=Mod", "Person=2|PronType=Prs", "VerbForm=Inf", "Number=Plur"),
            *("Degree=Cmp", "PunctType=Peri"),
        ],
        lemmas=["will", "you", "cut", "tax", "more", "?"],
        heads=[2, 2, 2, 2, 2, 2],
        deps=["aux", "nsubj", "ROOT", "dobj", "advmod", "punct"],
    )


# -- features ------------------------------------------------------------------------------


def test_words_fold_digits_and_case(vocab_nlp: Language) -> None:
    doc = unemployment(vocab_nlp)
    expected = ["unemployment", "fell", "to", "0.0", "percent", "in", "0000", "."]
    assert [word(t) for t in doc] == expected


def test_features_of_a_factual_numeric_sentence(vocab_nlp: Language) -> None:
    got = features(unemployment(vocab_nlp)[:])
    expected = {
        "w:unemployment",
        "w:0.0",
        "w:0000",
        "b:<s>_unemployment",
        "b:0000_.",
        "b:._</s>",
        "l:fall",
        "l:percent",
        "t:VBD",
        "tt:NN_VBD",
        "tt:<s>_NN",
        "e:PERCENT",
        "e:DATE",
        "e:ANY",
        "num",
        "root:tag:VBD",
        "root:lemma:fall",
        "tense:Past",
        "subj:3",
        "len:10",
    }
    assert expected <= set(got)
    assert not {"q", "cmp", "sup", "tense:modal", "root:neg"} & set(got)
    assert all(v == 1.0 for v in got.values())


def test_features_of_a_question_with_a_modal(vocab_nlp: Language) -> None:
    got = set(features(question(vocab_nlp)[:]))
    assert {"q", "cmp", "subj:2", "root:modal:will", "tense:modal", "len:6"} <= got
    assert not {"num", "e:ANY"} & got


def test_a_clause_sees_only_its_own_tokens_and_entities(vocab_nlp: Language) -> None:
    doc = unemployment(vocab_nlp)
    clause = doc[0:5]  # "Unemployment fell to 4.2 percent"
    got = set(features(clause))
    assert "e:PERCENT" in got and "e:DATE" not in got and "w:0000" not in got
    assert "b:percent_</s>" in got and "root:lemma:fall" in got


def test_an_unparsed_span_still_has_features(vocab_nlp: Language) -> None:
    doc = vocab_nlp("Thank you very much.")
    got = features(doc[:])
    assert {"w:thank", "w:you", "b:much_.", "len:6"} <= set(got)
    assert set(features(vocab_nlp("")[:])) == {"b:<s>_</s>", "tt:<s>_</s>", "len:3"}


def test_a_token_table_of_the_doc_gives_each_span_its_own_features(vocab_nlp: Language) -> None:
    """The table a component makes once per Doc changes nothing: every span, and every
    clause, has the features it has alone (its own table), entities included."""
    doc = unemployment(vocab_nlp)
    table = TokenTable(doc)
    for start in range(len(doc)):
        for end in range(start, len(doc) + 1):
            span = doc[start:end]
            assert features(span, table) == features(span), (start, end)
    # a table of another stretch is not used for a span outside it
    assert features(doc[0:5], TokenTable(doc[5:8])) == features(doc[0:5])
    assert TokenTable(doc).labels(doc[0:5]) == ["PERCENT"]
    assert TokenTable(doc).labels(doc[4:8]) == ["DATE"]  # "percent" alone is no entity


def test_length_bins_and_families() -> None:
    assert [length_bin(n) for n in (1, 3, 4, 20, 45, 46)] == [
        "len:3",
        "len:3",
        "len:6",
        "len:20",
        "len:45",
        "len:more",
    ]
    assert [family(n) for n in ("w:a", "b:a_b", "l:a", "t:NN", "tt:NN_VB", "e:DATE")] == list(
        ALL_FAMILIES[:-1]
    )
    assert {family(n) for n in ("num", "q", "root:tag:VBD", "subj:1", "len:3")} == {"syntax"}


# -- the model arithmetic ------------------------------------------------------------------


def test_scoring_is_the_logistic_of_normalised_weights() -> None:
    m = CheckworthinessModel({"a": 2.0, "b": -1.0, "c": 0.5}, -0.25, 0.4, normalise="l2")
    named = {"a": 1.0, "b": 1.0, "unknown": 1.0}  # unknown names are ignored, even in the norm
    assert m.decision(named) == pytest.approx((2.0 - 1.0) / 2**0.5 - 0.25)
    assert m.score_features(named) == pytest.approx(sigmoid((2.0 - 1.0) / 2**0.5 - 0.25))
    assert m.score_features({}) == pytest.approx(sigmoid(-0.25))
    raw = CheckworthinessModel({"a": 2.0, "b": -1.0}, 0.0, 0.5)
    assert raw.decision({"a": 1.0, "b": 1.0}) == pytest.approx(1.0)
    # weighted values take the general sums: sum(w * v) / sqrt(sum(v * v)) over known names
    assert m.decision({"a": 2.0, "c": 3.0, "unknown": 5.0}) == pytest.approx(
        (2.0 * 2.0 + 0.5 * 3.0) / (2.0**2 + 3.0**2) ** 0.5 - 0.25
    )


def test_sigmoid_is_stable_at_the_extremes() -> None:
    assert sigmoid(0.0) == 0.5
    assert sigmoid(1000.0) == 1.0 and sigmoid(-1000.0) == 0.0


def test_bad_artifacts_and_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        CheckworthinessModel.from_dict({"format": "something.else", "weights": {}})
    with pytest.raises(ValueError, match="threshold"):
        CheckworthinessModel({}, 0.0, 1.5)
    with pytest.raises(ValueError, match="normalisation"):
        CheckworthinessModel({}, 0.0, 0.5, normalise="l1")


def test_save_and_load_round_trip_byte_for_byte(tmp_path: Path) -> None:
    m = CheckworthinessModel({"b": -1.5, "a": 0.25}, 0.1, 0.3, normalise="l2", meta={"seed": 1})
    first, second = tmp_path / "one.json.gz", tmp_path / "two.json.gz"
    m.save(first)
    CheckworthinessModel.load(first).save(second)
    assert first.read_bytes() == second.read_bytes()
    again = CheckworthinessModel.load(second)
    assert (again.weights, again.intercept, again.threshold) == (m.weights, 0.1, 0.3)
    assert again.normalise == "l2" and again.meta == {"seed": 1}


# -- the packaged artifact -----------------------------------------------------------------


def test_the_packaged_artifact_loads_with_its_training_facts() -> None:
    m = default_model()
    assert default_model() is m
    assert 0.0 < m.threshold < 1.0
    assert set(m.meta) >= META_KEYS
    assert m.meta["features"] == len(m.weights) > 1000
    assert m.meta["threshold"] == m.threshold
    assert m.meta["train_size"] == 22498 and m.meta["dev_size"] == 1032
    assert m.meta["dev_f1"] >= 0.75
    assert {"scikit-learn", "spacy", "numpy", "spacy_model"} <= set(m.meta["versions"])


def test_the_packaged_artifact_is_small_and_canonical() -> None:
    path = Path(model_module.__file__).parent / model_module.ARTIFACT
    raw = path.read_bytes()
    assert len(raw) < 10 * 2**20
    data = json.loads(gzip.decompress(raw))
    assert list(data["weights"]) == sorted(data["weights"])
    assert all(family(name) in data["meta"]["config"]["families"] for name in data["weights"])


@pytest.mark.shared
def test_the_artifact_was_trained_on_the_shared_data() -> None:
    data = shared_path("data", "claims-checkworthy.jsonl")
    assert default_model().meta["data_sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()


def test_scores_are_probabilities_and_deterministic(vocab_nlp: Language) -> None:
    m = default_model()
    spans = [unemployment(vocab_nlp)[:], question(vocab_nlp)[:], vocab_nlp(THANKS)[:]]
    scores = m.score_many(spans)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == [m.score(s) for s in spans] == m.score_many(spans)
    assert CheckworthinessModel.load().score_many(spans) == scores


def test_the_model_module_does_not_import_sklearn() -> None:
    for module in (model_module, features_module):
        assert "sklearn" not in Path(str(module.__file__)).read_text(encoding="utf-8")
    code = (
        "import sys, newsgraph.claims.model as m; m.default_model(); "
        "assert not [k for k in sys.modules if k.startswith('sklearn')], 'sklearn imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr.decode()


# -- with the real spaCy model -------------------------------------------------------------


Parse = Callable[..., list[Span]]


@pytest.fixture(scope="module")
def sentences() -> Parse:
    """Parse sentences with newsgraph's spaCy model, its own components off."""
    nlp = newsgraph.api.pipeline()
    ours = [n for n in nlp.pipe_names if n in COMPONENTS or n.startswith("newsgraph")]

    def parse(*texts: str) -> list[Span]:
        with nlp.select_pipes(disable=ours):
            return [doc[:] for doc in nlp.pipe(texts)]

    return parse


@pytest.mark.model
def test_a_factual_numeric_sentence_outscores_thanks(sentences: Parse) -> None:
    m = default_model()
    factual, thanks = sentences(FACTUAL, THANKS)
    assert m.score(factual) > m.score(thanks)
    assert m.score(factual) >= m.threshold > m.score(thanks)


@pytest.mark.model
def test_check_worthy_sentences_rank_above_opinions_and_chatter(sentences: Parse) -> None:
    m = default_model()
    worthy = sentences(
        "The deficit doubled between 2008 and 2016.",
        "Russia deployed 40,000 troops to the border last year.",
        "The unemployment rate among veterans is higher than the national average.",
    )
    chatter = sentences(
        "I think we need to do better.",
        "Thank you, Jim.",
        "What are you going to do about it?",
    )
    assert min(m.score_many(worthy)) > max(m.score_many(chatter))


@pytest.mark.model
def test_scoring_costs_well_under_a_millisecond(sentences: Parse) -> None:
    m = default_model()
    spans = sentences(FACTUAL, THANKS, "The deficit doubled between 2008 and 2016.") * 100
    t = time.perf_counter()
    m.score_many(spans)
    assert (time.perf_counter() - t) / len(spans) < 1e-3
