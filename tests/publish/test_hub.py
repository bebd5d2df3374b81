"""``push-to-hub --dry-run`` lists exactly what would be uploaded; nothing here touches the network."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

DATASET = Path(__file__).resolve().parents[2] / "dataset"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "natostance", *args], capture_output=True, text=True)


def test_dry_run_lists_every_file_with_size_and_hash_from_the_manifest():
    proc = cli("push-to-hub", "nato-stance/nato-stance", "--dataset", str(DATASET), "--dry-run", "--json")
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    manifest = json.loads((DATASET / "manifest.json").read_text())
    assert plan["repo"] == "nato-stance/nato-stance" and plan["repo_type"] == "dataset"
    assert plan["revision"] == f"v{manifest['dataset_version']}"
    paths = [f["path"] for f in plan["files"]]
    assert paths == sorted([*manifest["files"], "manifest.json"])
    assert {"croissant.json", "README.md", "data/sentences/test-00000-of-00001.parquet"} <= set(paths)
    for f in plan["files"]:
        data = (DATASET / f["path"]).read_bytes()
        assert (f["bytes"], f["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert plan["total_bytes"] == sum(f["bytes"] for f in plan["files"])


def test_dry_run_text_summary_and_revision_option():
    proc = cli("push-to-hub", "me/ns", "--dataset", str(DATASET), "--dry-run", "--revision", "v9.9.9-rc1")
    assert proc.returncode == 0, proc.stderr
    first, *rest = proc.stdout.splitlines()
    assert first.startswith("would upload ") and "https://huggingface.co/datasets/me/ns, tag v9.9.9-rc1" in first
    assert any(line.strip().startswith("croissant.json ") for line in rest)


def test_dry_run_does_not_import_the_hub_client():
    code = ("import sys; from natostance.publish.hub import push_to_hub; "
            f"push_to_hub({str(DATASET)!r}, 'a/b', dry_run=True); print('huggingface_hub' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_a_file_changed_after_the_build_is_never_uploaded(tmp_path):
    ds = tmp_path / "ds"
    shutil.copytree(DATASET, ds)
    (ds / "croissant.json").write_text("{}")
    proc = cli("push-to-hub", "a/b", "--dataset", str(ds), "--dry-run")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "error: croissant.json: SHA-256 differs from manifest.json" in proc.stderr


def test_upload_sends_exactly_the_plan_and_tags_it(monkeypatch):
    """The upload path with the Hub client replaced by a recorder (there is no network here)."""
    import huggingface_hub

    from natostance.publish.hub import plan, push_to_hub

    calls = []

    class Recorder:
        def __init__(self, token=None):
            calls.append(("init", token))

        def __getattr__(self, name):
            return lambda *args, **kwargs: calls.append((name, args, kwargs))

    monkeypatch.setattr(huggingface_hub, "HfApi", Recorder)
    up = push_to_hub(DATASET, "me/ns", token="t")
    assert up.to_dict() == plan(DATASET, "me/ns").to_dict()
    names = [c[0] for c in calls]
    assert names == ["init", "create_repo", "upload_folder", "create_tag"]
    upload = calls[2][2]
    assert upload["repo_id"] == "me/ns" and upload["repo_type"] == "dataset"
    assert upload["allow_patterns"] == [f["path"] for f in up.files]
    assert calls[3][1] == ("me/ns",) and calls[3][2]["tag"] == f"v{up.dataset_version}"
