"""``push_to_hub(dataset_dir, repo)``: upload a validated dataset folder to a Hugging Face dataset repo, tagged.

What goes up is exactly the files ``manifest.json`` lists plus the manifest itself (the upload plan, with
sizes and SHA-256 from the manifest); the folder is validated first, so a file changed after the build is
never uploaded. ``dry_run`` returns the plan without importing ``huggingface_hub`` or touching the network.
The tag defaults to ``v<dataset_version>``, so users can pin ``load_dataset(repo, config, revision=tag)``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from natostance.errors import NatoStanceError
from natostance.publish.manifest import MANIFEST, load_manifest
from natostance.publish.validation import validate


class HubError(NatoStanceError):
    """The upload cannot go ahead (missing client, refused by the Hub)."""


@dataclass
class UploadPlan:
    repo: str
    revision: str
    dataset_version: str
    files: list[dict[str, Any]] = field(default_factory=list)  # path, bytes, sha256

    @property
    def total_bytes(self) -> int:
        return sum(f["bytes"] for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {"repo": self.repo, "repo_type": "dataset", "revision": self.revision,
                "dataset_version": self.dataset_version, "files": self.files, "total_bytes": self.total_bytes}

    def summary(self) -> str:
        lines = [f"would upload {len(self.files)} files ({self.total_bytes} bytes) of dataset {self.dataset_version} "
                 f"to https://huggingface.co/datasets/{self.repo}, tag {self.revision}:"]
        lines += [f"  {f['path']}  {f['bytes']}  {f['sha256']}" for f in self.files]
        return "\n".join(lines)


def plan(dataset_dir: str | Path, repo: str, revision: str | None = None) -> UploadPlan:
    """Validate the folder and list what would be uploaded."""
    root = Path(dataset_dir)
    validate(root)
    manifest = load_manifest(root, complete=True)
    version = manifest["dataset_version"]
    files = [{"path": p, "bytes": e["bytes"], "sha256": e["sha256"]} for p, e in sorted(manifest["files"].items())]
    data = (root / MANIFEST).read_bytes()
    files.append({"path": MANIFEST, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return UploadPlan(repo, revision or f"v{version}", version, sorted(files, key=lambda f: f["path"]))


def push_to_hub(dataset_dir: str | Path, repo: str, revision: str | None = None, dry_run: bool = False,
                token: str | None = None) -> UploadPlan:
    up = plan(dataset_dir, repo, revision)
    if dry_run:
        return up
    try:
        from huggingface_hub import HfApi
    except ImportError:
        raise HubError("huggingface_hub is not installed: pip install 'natostance[hub]'") from None
    api = HfApi(token=token)
    try:
        api.create_repo(repo, repo_type="dataset", exist_ok=True)
        api.upload_folder(folder_path=str(dataset_dir), repo_id=repo, repo_type="dataset",
                          allow_patterns=[f["path"] for f in up.files],
                          commit_message=f"NATO-Stance dataset {up.dataset_version}")
        api.create_tag(repo, tag=up.revision, repo_type="dataset",
                       tag_message=f"NATO-Stance dataset {up.dataset_version}")
    except Exception as exc:  # the Hub client raises many types; the user needs the message, not a traceback
        raise HubError(f"{repo}: upload failed: {exc}") from exc
    return up
