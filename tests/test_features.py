"""Features: neighbours, cue flags and names, and the word/aux block."""

from __future__ import annotations

import numpy as np
import pytest

from model import lexicons as lx
from model.features import (
    CUE_FEATURE_NAMES,
    CueFeatures,
    SentenceInContext,
    TextFeatures,
    WordCounts,
    feature_union,
    in_context,
    word_vectorizer,
)


def cue_values(item: SentenceInContext) -> dict[str, float]:
    row = CueFeatures().transform([item]).toarray()[0]
    return dict(zip(CUE_FEATURE_NAMES, row, strict=True))


def test_in_context_pairs_each_sentence_with_its_neighbours():
    items = in_context(["A.", "B.", "C."])
    assert items == [
        SentenceInContext("A.", "", "B."),
        SentenceInContext("B.", "A.", "C."),
        SentenceInContext("C.", "B.", ""),
    ]
    assert in_context([]) == []


def test_cure_and_boost_claim_without_evidence_sets_the_composites():
    values = cue_values(SentenceInContext("This tea cures cancer and boosts the immune system."))
    assert values["cure"] == values["boost"] == values["health"] == 1.0
    assert values["no_evidence"] == values["claim_no_evidence"] == values["health_assertion"] == 1.0
    assert values["evidence"] == values["hedge"] == 0.0


def test_evidence_in_a_neighbour_counts_as_nearby_not_in_sentence():
    item = SentenceInContext(
        "Massage lowers anxiety.", "In a randomized trial of 380 patients, pain fell.", ""
    )
    values = cue_values(item)
    assert values["evidence"] == 0.0
    assert values["evidence_near"] == 1.0
    assert values["no_evidence"] == values["claim_no_evidence"] == 0.0


def test_hedge_cancels_the_assertion_composite():
    values = cue_values(SentenceInContext("Coffee may be linked to a lower risk of liver disease."))
    assert values["hedge"] == 1.0
    assert values["health_assertion"] == 0.0


@pytest.mark.parametrize(
    ("text", "family", "expected"),
    [
        ("It is a proven miracle cure.", lx.ABSOLUTE, ["proven", "miracle"]),
        ("Flushes out toxins and free radicals.", lx.TOXINS, ["toxins", "free radicals"]),
        ("Mice given the drug lived longer.", lx.ANIMAL, ["mice"]),
        ("Nothing to see here.", lx.CURE, []),
    ],
)
def test_matches_returns_the_cues_in_reading_order(text, family, expected):
    assert lx.matches(family, text) == expected


def test_word_forms_do_not_match_inside_other_words():
    assert lx.matches(lx.CURE, "The curator secured the painting.") == []


_VARIED = [
    "Detox tea cures colds, and detox tea cures flu.",
    "The trial was small: 12 patients, phase I.",
    "Ünïcödé wörds and the well-being of co-workers",
    "",
    "the the the the",
    "Mice given the drug lived longer, the study found.",
]


@pytest.mark.parametrize("ngrams", [(1, 1), (1, 2), (1, 3)])
def test_word_counts_give_the_vectorisers_matrix(ngrams):
    vectorizer = word_vectorizer(min_df=1)
    vectorizer.set_params(ngram_range=ngrams)
    vectorizer.fit(in_context(_VARIED[:3] + _VARIED[5:]))
    items = in_context([*_VARIED, "A sentence with no fitted words: zebra quokka."])
    fast, slow = WordCounts.of(vectorizer).transform(items), vectorizer.transform(items)
    assert fast.dtype == slow.dtype and fast.has_sorted_indices
    assert np.array_equal(fast.indptr, slow.indptr) and np.array_equal(fast.indices, slow.indices)
    assert np.array_equal(fast.data, slow.data)


def test_word_counts_refuse_analysers_they_do_not_reproduce():
    assert WordCounts.of(word_vectorizer().set_params(ngram_range=(2, 2))) is None
    assert WordCounts.of(word_vectorizer().set_params(analyzer="char")) is None


@pytest.mark.parametrize("text", [*_VARIED, "It is a proven miracle cure that wards off colds."])
def test_cue_index_fires_exactly_the_families_whose_cues_match(text):
    fired = lx.INDEX.fired(lx.Tokens.of(text))
    assert fired == [bool(lx.matches(family, text)) for family in lx.FAMILIES]


def test_text_features_append_one_column_per_auxiliary_head():
    items = [SentenceInContext(t) for t in ("detox tea cures colds", "the trial was small", "tea and colds")]
    vectorizer = word_vectorizer(min_df=1).fit(items)

    class Constant:
        classes_ = np.array(["no", "yes"])

        def predict_proba(self, matrix):
            return np.tile([0.25, 0.75], (matrix.shape[0], 1))

    features = TextFeatures(vectorizer, {"advice": (Constant(), "yes")}, word_weight=0.5)
    matrix = features.transform(items).toarray()
    names = list(features.get_feature_names_out())
    assert names[-1] == "aux:advice" and names[0].startswith("word:")
    assert np.allclose(matrix[:, -1], 0.75)
    assert matrix[:, :-1].max() <= 0.5 + 1e-6


def test_feature_union_names_cover_every_column():
    items = [SentenceInContext("Garlic cures colds."), SentenceInContext("By Jane Doe")]
    union = feature_union(TextFeatures(word_vectorizer(min_df=1).fit(items)))
    matrix = union.fit_transform(items)
    assert matrix.shape[1] == len(union.get_feature_names_out())
