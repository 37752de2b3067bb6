"""The project's labels for shared-corpus articles attach to the sentences they were given for."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from training import corpora
from training.data import DataError

ARTICLE = "Coffee cuts cancer risk, a study says.\nThe study followed 500 people. It was observational."


def shared_root(tmp_path: Path) -> Path:
    """A minimal shared-datasets folder holding one FakeHealth article and an empty dev set."""
    folder = tmp_path / "fakehealth_articles"
    folder.mkdir()
    (folder / "articles.jsonl").write_text(json.dumps({"id": "story_1", "text": ARTICLE}) + "\n")
    (tmp_path / "page_sentences_dev").mkdir()
    (tmp_path / "page_sentences_dev" / "articles.csv").write_text("article_id\n")
    return tmp_path


def labels_file(tmp_path: Path, rows: list[tuple[str, int, str, str]]) -> Path:
    path = tmp_path / "labels.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["article_id", "sentence_index", "label", "sha1"])
        writer.writerows(rows)
    return path


def test_labels_become_examples_with_their_neighbours(tmp_path: Path) -> None:
    root = shared_root(tmp_path)
    texts = corpora.article_sentences(ARTICLE)
    path = labels_file(tmp_path, [("story_1", 1, "supported", corpora.sentence_key(texts[1]))])
    [example] = corpora.second_reader(path, root)
    assert (example.text, example.before, example.after) == (texts[1], texts[0], texts[2])
    assert (example.label, example.group, example.tune) == ("supported", "story_1", False)


@pytest.mark.parametrize(
    "row",
    [
        ("story_1", 0, "unsupported", "0000000000"),  # the sentence changed since it was labelled
        ("story_1", 9, "unsupported", "0000000000"),  # no such sentence
        ("story_1", 0, "bogus", None),  # unknown label
    ],
)
def test_a_label_that_no_longer_fits_its_sentence_is_an_error_naming_the_line(tmp_path: Path, row) -> None:
    root = shared_root(tmp_path)
    texts = corpora.article_sentences(ARTICLE)
    good = ("story_1", 1, "neutral", corpora.sentence_key(texts[1]))
    path = labels_file(tmp_path, [good, (*row[:3], row[3] or corpora.sentence_key(texts[0]))])
    with pytest.raises(DataError, match="line 3"):
        corpora.second_reader(path, root)


def test_an_article_missing_from_the_corpus_is_an_error(tmp_path: Path) -> None:
    path = labels_file(tmp_path, [("story_404", 0, "neutral", "0000000000")])
    with pytest.raises(DataError, match="story_404"):
        corpora.second_reader(path, shared_root(tmp_path))


def test_labelled_articles_are_left_out_of_the_background(tmp_path: Path) -> None:
    root = shared_root(tmp_path)
    assert corpora.background(root=root)
    assert corpora.background(root=root, exclude=frozenset({"story_1"})) == []


@pytest.mark.skipif(not corpora.shared_available(), reason="../shared/datasets not present")
def test_the_shipped_labels_match_the_shared_corpus() -> None:
    examples = corpora.second_reader()
    with open(corpora.SECOND_READER_FILE, newline="") as handle:
        assert len(examples) == sum(1 for _ in csv.DictReader(handle))
    assert not {e.group for e in examples} & corpora.dev_article_ids()
    assert {e.label for e in examples} == {"unsupported", "supported", "neutral"}


def test_off_topic_sentences_train_the_flagger_only(tmp_path: Path) -> None:
    off_topic = corpora.off_topic()
    assert len(off_topic) >= 300
    assert {e.label for e in off_topic} == {"neutral"}
    assert not any(e.tune for e in off_topic), "they must not calibrate or choose the threshold"
    assert not {e.text for e in off_topic} & {e.text for e in corpora.own_examples(tune=False)}, (
        "the own examples train the web_myth head; off-topic sentences must stay out of it"
    )
    train, held_out = corpora.default_mix(root=tmp_path)  # no shared corpora here: the fallback mix
    assert {e.text for e in off_topic} <= {e.text for e in train}
    assert not any(e.source == "off_topic" for e in held_out)
