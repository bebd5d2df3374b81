"""Crawl dumps (news-please, id/url/title/date/text) and splits for a corpus without a sources file."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from natostance.builder import splits
from natostance.builder.pipeline import BuildOptions, build
from natostance.cli import cli
from natostance.errors import InputError, ManyErrors
from natostance.parquet_io import read_config

BODY = "NATO ministers met in Brussels on {n}. They discussed the eastern flank.\n\nRussia said talks were useless."


def news_please(n: int, day: str | None) -> dict:
    return {"title": f"Ministers meet {n}", "maintext": BODY.format(n=n), "date_publish": day and f"{day} 10:15:00",
            "date_modify": None, "date_download": "2024-06-01 00:00:00", "authors": ["Ana Petrova", "John Smith"],
            "source_domain": "example.org", "language": "en", "url": f"https://example.org/a/{n}",
            "image_url": f"https://example.org/i/{n}.jpg", "description": "Ministers met.", "localpath": None}


def dump_record(n: int, day: str | None) -> dict:
    return {"id": 1000 + n, "url": f"https://example.net/{n}", "title": f"Story {n}", "date": day,
            "text": BODY.format(n=n), "author": "By MARIA ROSSI, Staff Writer"}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_news_please_dump_keeps_dates_authors_outlet_and_lists_unmapped_fields(tmp_path):
    write_jsonl(tmp_path / "raw" / "np.jsonl", [news_please(i, f"2024-0{i + 1}-1{i}") for i in range(3)])
    report = build(tmp_path / "raw", tmp_path / "out")
    rows = sorted(read_config(tmp_path / "out", "articles"), key=lambda r: r["source_line"])
    assert [r["published"] for r in rows] == ["2024-01-10", "2024-02-11", "2024-03-12"]
    assert all(r["authors"] == ["Ana Petrova", "John Smith"] and r["outlet"] == "example.org" for r in rows)
    assert rows[0]["title"] == "Ministers meet 0" and rows[0]["language"] == "en" and rows[0]["source_id"] is None
    assert report.to_dict()["unmapped_fields"] == {"np.jsonl": {"date_download": 3, "description": 3, "image_url": 3}}
    assert "np.jsonl: date_download (3), description (3), image_url (3)" in report.summary()


def test_an_id_url_title_date_text_dump_keeps_its_ids_and_dates_and_splits_by_them(tmp_path):
    days = ["2021-05-01", "2022-03-01", "2023-07-01", "2024-01-01"]
    write_jsonl(tmp_path / "raw" / "dump.jsonl", [dump_record(i, d) for i, d in enumerate(days)])
    build(tmp_path / "raw", tmp_path / "out", BuildOptions(split={"validation_from": "2022-01-01", "test_from": "2023-06-01"}))
    rows = sorted(read_config(tmp_path / "out", "articles"), key=lambda r: r["source_line"])
    assert [r["source_id"] for r in rows] == ["1000", "1001", "1002", "1003"]
    assert [r["published"] for r in rows] == days
    assert [r["split"] for r in rows] == ["train", "validation", "test", "test"]
    assert rows[0]["authors"] == ["Maria Rossi"] and rows[0]["url"] == "https://example.net/0"


def test_quantiles_become_cut_dates_and_the_rule_is_reported(tmp_path):
    days = [f"2024-01-{d:02d}" for d in range(1, 11)]
    write_jsonl(tmp_path / "raw" / "dump.jsonl", [dump_record(i, d) for i, d in enumerate(days)])
    report = build(tmp_path / "raw", tmp_path / "out", BuildOptions(split={"validation_quantile": 0.6, "test_quantile": 0.8}))
    assert Counter(r["split"] for r in read_config(tmp_path / "out", "articles")) == {"train": 6, "validation": 2, "test": 2}
    assert "split quantiles 0.6/0.8 gave validation_from 2024-01-07, test_from 2024-01-09" in report.notes
    rule = json.loads((tmp_path / "out" / "splits.json").read_text())["rule"]
    assert rule["validation_from"] == "2024-01-07" and rule["validation_quantile"] == 0.6 and rule["undated"] == "error"


def test_resolve_puts_articles_sharing_the_cut_date_into_the_later_split():
    days = Counter({date(2024, 1, 1): 5, date(2024, 1, 2): 3, date(2024, 1, 3): 2})
    rule = splits.resolve(splits.SplitRule(validation_quantile=0.5, test_quantile=0.9), days)
    assert (rule.validation_from, rule.test_from) == (date(2024, 1, 2), date(2024, 1, 3))
    assert splits.resolve(splits.SplitRule(validation_quantile=0.5), Counter()).validation_from is None


@pytest.mark.parametrize("policy, expected", [("train", {"train": 2, "test": 1}), ("test", {"train": 1, "test": 2})])
def test_undated_articles_go_into_a_named_split(tmp_path, policy, expected):
    write_jsonl(tmp_path / "raw" / "d.jsonl", [dump_record(0, "2020-01-01"), dump_record(1, "2025-01-01"), dump_record(2, None)])
    build(tmp_path / "raw", tmp_path / "out", BuildOptions(split={"test_from": "2024-01-01", "undated": policy}))
    assert Counter(r["split"] for r in read_config(tmp_path / "out", "articles")) == expected


def test_undated_articles_dropped_with_a_count_or_rejected_by_name(tmp_path):
    write_jsonl(tmp_path / "raw" / "d.jsonl", [dump_record(0, "2020-01-01"), dump_record(1, None), dump_record(2, None)])
    report = build(tmp_path / "raw", tmp_path / "out", BuildOptions(split={"test_from": "2024-01-01", "undated": "drop"}))
    assert len(read_config(tmp_path / "out", "articles")) == 1
    assert "dropped by policy: 2 (no date to place it in a temporal split" in report.summary()
    with pytest.raises(ManyErrors) as err:
        build(tmp_path / "raw", tmp_path / "out2", BuildOptions(split={"test_from": "2024-01-01"}))
    assert "d.jsonl:2: no date to place it in a temporal split" in str(err.value)


def test_the_summary_warns_without_a_rule_and_when_a_split_is_empty(tmp_path):
    write_jsonl(tmp_path / "raw" / "d.jsonl", [dump_record(i, f"2020-01-0{i + 1}") for i in range(3)])
    report = build(tmp_path / "raw", tmp_path / "out")
    assert "warning: no split rule: all 3 articles are in train" in report.summary()
    report = build(tmp_path / "raw", tmp_path / "out", BuildOptions(split={"validation_from": "2021-01-01",
                                                                          "test_from": "2022-01-01"}))
    warnings = [n for n in report.notes if n.startswith("warning:")]
    assert any("split validation is empty" in w for w in warnings) and any("split test is empty" in w for w in warnings)
    assert any("every article (3) fell into train" in w for w in warnings)


def test_split_options_in_the_sources_file_and_on_the_command_line(tmp_path):
    raw = tmp_path / "raw"
    write_jsonl(raw / "d.jsonl", [dump_record(i, f"202{i}-06-01") for i in range(4)])
    (raw / "sources.yaml").write_text("split_rule:\n  validation_quantile: 0.5\n  test_quantile: 0.75\n  undated: drop\n")
    build(raw, tmp_path / "out")
    assert Counter(r["split"] for r in read_config(tmp_path / "out", "articles")) == {"train": 2, "validation": 1, "test": 1}
    result = CliRunner().invoke(cli, ["build", str(raw), "--out", str(tmp_path / "out2"), "--test-from", "2023-01-01"])
    assert result.exit_code == 0, result.output
    assert Counter(r["split"] for r in read_config(tmp_path / "out2", "articles")) == {"train": 3, "test": 1}
    bad = CliRunner().invoke(cli, ["build", str(raw), "--out", str(tmp_path / "o3"), "--split-quantiles", "0.9,0.5"])
    assert bad.exit_code == 2 and "expected 0 < V <= T < 1" in bad.output


@pytest.mark.parametrize("doc, message", [
    ({"validation_form": "2020-01-01"}, "unknown key(s) ['validation_form']"),
    ({"undated": "later"}, "expected one of error, drop, train, validation, test, found 'later'"),
    ({"test_quantile": 1.5}, "test_quantile: expected a share between 0 and 1"),
    ({"test_from": "2020-01-01", "validation_quantile": 0.5}, "give cut dates or quantiles, not both"),
    ({"validation_from": "2021-01-01", "test_from": "2020-01-01"}, "must not come after the test cut"),
])
def test_a_bad_split_rule_is_named(doc, message):
    with pytest.raises(InputError) as err:
        splits.parse(doc, "sources.yaml")
    assert message in str(err.value) and str(err.value).startswith("sources.yaml")


def wp_post(n: int, day: str) -> dict:
    return {"id": 500 + n, "date": f"{day}T09:00:00", "link": f"https://blog.example/{n}/",
            "title": {"rendered": f"Post {n}"}, "content": {"rendered": f"<p>{BODY.format(n=n)}</p>"}}


def test_a_wordpress_listing_builds_one_article_per_post_and_rejects_a_bad_post_by_line(tmp_path):
    posts = [wp_post(0, "2021-02-03"), wp_post(1, "2024-05-06"), {"id": 9, "content": {"rendered": ""}}]
    raw = tmp_path / "raw"
    raw.mkdir()
    text = json.dumps(posts, indent=1)
    (raw / "posts.json").write_text(text, encoding="utf-8")
    starts = [i for i, line in enumerate(text.split("\n"), start=1) if line == " {"]  # where each post begins
    with pytest.raises(ManyErrors, match=r"posts\.json:\d+: WordPress post whose content\.rendered holds no text"):
        build(raw, tmp_path / "out")
    report = build(raw, tmp_path / "out", BuildOptions(keep_going=True))
    rows = sorted(read_config(tmp_path / "out", "articles"), key=lambda r: r["source_line"])
    assert [(r["source_format"], r["title"], r["posted"]) for r in rows] == [
        ("wordpress", "Post 0", "2021-02-03"), ("wordpress", "Post 1", "2024-05-06")]
    assert [r["source_line"] for r in rows] == starts[:2] and rows[0]["source_file"] == "posts.json"
    assert [r.where for r in report.rejected] == [f"posts.json:{starts[2]}"]
    assert (tmp_path / "out" / "raw" / "posts.json").read_bytes() == (raw / "posts.json").read_bytes()


def test_many_rejects_are_all_in_rejects_jsonl_and_the_manifest_lists_the_first_thousand(tmp_path):
    """A one-line array of 1,500 bad elements: each reject names its element; memory and the manifest stay small."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bad.json").write_text("[" + ", ".join(["{}"] * 1_500) + "]", encoding="utf-8")
    (raw / "good.jsonl").write_text(json.dumps(dump_record(1, "2024-01-01")) + "\n", encoding="utf-8")
    report = build(raw, tmp_path / "out", BuildOptions(keep_going=True))
    lines = (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()
    assert len(lines) == 1_500 and json.loads(lines[-1])["where"] == "bad.json:1 (element 1500)"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert len(manifest["rejected"]) == 1_000 and manifest["rejected_total"] == 1_500
    as_json = report.to_dict()
    assert len(as_json["rejected"]) == 1_000 and as_json["rejected_total"] == 1_500
    assert [r.where for r in report.rejected] == [f"bad.json:1 (element {k})" for k in range(1, 1_501)]  # all, in order
    with pytest.raises(ManyErrors) as err:
        build(raw, tmp_path / "out2")
    assert str(err.value).startswith("build failed: 1,500 problem(s); nothing was written")
    assert "... and 500 more rejected records (build with --keep-going: rejects.jsonl lists every one)" in str(err.value)
    assert not (tmp_path / "out2").exists()
    from natostance.publish.validation import validate

    assert validate(tmp_path / "out").rows["articles"] == 1  # the manifest, rejected_total included, passes its schema


def test_a_truncated_listing_keeps_the_posts_before_the_break_and_rejects_the_break(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = json.dumps([wp_post(0, "2021-02-03"), wp_post(1, "2024-05-06")], indent=1)
    (raw / "posts.json").write_text(text[: text.rindex('"content"')], encoding="utf-8")  # a download cut short
    report = build(raw, tmp_path / "out", BuildOptions(keep_going=True))
    assert [r["title"] for r in read_config(tmp_path / "out", "articles")] == ["Post 0"]
    (reject,) = report.rejected
    assert reject.where == "posts.json" and reject.reason.startswith("malformed JSON at line ")
