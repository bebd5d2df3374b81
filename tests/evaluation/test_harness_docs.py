"""The harness documents: the dataset folder read through ``datasets``, one document per scored unit."""

from __future__ import annotations

import pytest

from natostance.errors import InputError
from natostance.evaluation.gold import checkworthy_sentences, load_gold
from natostance.evaluation.harness import docs, prompts
from natostance.evaluation.shape import shape_from_gold

datasets = pytest.importorskip("datasets")


@pytest.fixture(scope="module")
def parquet_gold(repo):
    return load_gold(repo / "dataset")


@pytest.fixture(scope="module")
def hf_gold(repo):
    return docs.load_gold_datasets(str(repo / "dataset"))


def test_datasets_reads_the_same_gold_as_the_parquet_reader(parquet_gold, hf_gold):
    assert hf_gold.dataset_version == parquet_gold.dataset_version
    assert set(hf_gold.articles) == set(parquet_gold.articles)
    assert hf_gold.sentences.keys() == parquet_gold.sentences.keys()
    key = lambda r: (r["unit_id"], r["target"], r["label"], r["holder"], r["split"])  # noqa: E731
    assert sorted(map(key, hf_gold.stance)) == sorted(map(key, parquet_gold.stance))
    assert checkworthy_sentences(hf_gold) == checkworthy_sentences(parquet_gold)


@pytest.mark.parametrize("task", prompts.TASKS)
@pytest.mark.parametrize("split", ["train", "validation", "test", "all"])
def test_one_document_per_unit_with_the_gold_answer(task, split, parquet_gold, hf_gold):
    expected = shape_from_gold(parquet_gold).expected(task, split)
    built = docs.unit_docs(hf_gold, task, split)
    keys = [(d["unit_id"], d["target"]) if task != "claim_detection" else (d["unit_id"],) for d in built]
    assert len(keys) == len(set(keys)) == len(expected) > 0
    assert set(keys) == expected
    gold_rows = {(r["unit_id"], r["target"]): r for r in parquet_gold.stance}
    checkworthy = checkworthy_sentences(parquet_gold)
    choices = prompts.choices(task)
    for d in built:
        choice = choices[d["answer"]]
        assert d["answer_text"] == choice.text and d["task"] == task and d["query"].endswith("Answer:")
        if task == "claim_detection":
            assert choice.checkworthy == (d["unit_id"] in checkworthy)
        else:
            row = gold_rows[(d["unit_id"], d["target"])]
            assert choice.label == row["label"]
            assert task == "article_stance" or choice.holder == row["holder"]


def test_sentence_query_shows_the_sentence_in_its_context(hf_gold):
    doc = docs.unit_docs(hf_gold, "sentence_stance", "validation")[40]
    sentence = hf_gold.sentences[doc["unit_id"]]
    article = hf_gold.articles[sentence["article_id"]]
    assert f"Sentence: {sentence['text']}\n" in doc["query"]
    assert f"Article: {article['title']}\n" in doc["query"]
    context = doc["query"].split("Context:\n", 1)[1].split("\n\nSentence:", 1)[0]
    assert sentence["text"] in context and context in article["text"]
    paragraphs = {
        s["paragraph"]
        for s in hf_gold.sentences.values()
        if s["article_id"] == article["article_id"] and s["text"] in context
    }
    assert paragraphs <= {sentence["paragraph"] - 1, sentence["paragraph"]}


def test_stale_task_files_are_refused(repo):
    with pytest.raises(InputError, match="run `natostance lm-eval tasks` again"):
        docs.load_docs(str(repo / "dataset"), "temporal", "sentence_stance", prompt_sha256="0" * 16)


def test_temporal_splits(repo):
    dd = docs.load_docs(
        str(repo / "dataset"), "temporal", "article_stance", prompt_sha256=prompts.fingerprint("article_stance")
    )
    assert set(dd) == {"train", "validation", "test"}
    assert {d["split"] for d in dd["test"]} == {"test"} and {d["split"] for d in dd["train"]} == {"train"}


def test_a_label_set_other_than_the_label_file_is_refused():
    ds = datasets.Dataset.from_dict(
        {"label": [0]}, features=datasets.Features({"label": datasets.ClassLabel(names=["pro", "con"])})
    )
    with pytest.raises(InputError, match=r"column label: expected the label set \['favor'"):
        docs._decode(ds)


def test_an_unreadable_dataset_is_named(tmp_path):
    with pytest.raises(InputError, match=f"{tmp_path}: expected config 'articles' readable by datasets.load_dataset"):
        docs.load_gold_datasets(str(tmp_path))


def test_a_rebuilt_folder_is_read_again_not_from_the_cache(repo, tmp_path):
    """A label changed in place (same rows, same card) must reach the tasks: datasets alone would serve
    the cached rows of the folder's earlier state."""
    import shutil

    import pyarrow.parquet as pq

    folder = tmp_path / "dataset"
    shutil.copytree(repo / "dataset", folder, ignore=shutil.ignore_patterns("raw"))
    before = docs.load_gold_datasets(str(folder))
    path = folder / "data" / "stance" / "test-00000-of-00001.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    i = next(i for i, r in enumerate(rows) if r["label"] != "favor")
    rows[i]["label"] = "favor"
    pq.write_table(type(table).from_pylist(rows, schema=table.schema), path)
    docs.load_gold_datasets.cache_clear()
    after = docs.load_gold_datasets(str(folder))
    changed = [
        (a["unit_id"], a["target"], a["label"], b["label"])
        for a, b in zip(
            sorted(before.stance, key=lambda r: (r["unit_id"], r["target"])),
            sorted(after.stance, key=lambda r: (r["unit_id"], r["target"])),
        )
        if a["label"] != b["label"]
    ]
    assert changed == [(rows[i]["unit_id"], rows[i]["target"], before_label(before, rows[i]), "favor")]


def before_label(gold, row):
    return next(r["label"] for r in gold.stance if (r["unit_id"], r["target"]) == (row["unit_id"], row["target"]))
