"""Annotation round trip at scale, against a real Label Studio (a throwaway server from the template).

Steps, 10,000 sentence tasks each:
  floor        one plain HTTP POST of the whole task payload to /api/projects/{id}/import
  push         natostance push (list existing units, import missing in batches, check counts)
               (floor and push alternate --reps times into fresh projects; medians reported)
  annotations  10,000 annotations (5,000 tasks x 2 annotators) imported through push_tasks
  export       the full JSON export of the annotated project
  convert      export -> records (pure; median of 5 runs)
Targets: push >= 50% of the floor's tasks/s; convert >= 100,000 results/s.
Writes benchmarks/out/annotation.json.  Run: make bench-annotation  (or python benchmarks/annotation.py -n 2000)
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import tempfile
import time
from pathlib import Path

from natostance import labels as L
from natostance.annotate.labelstudio import server as S
from natostance.annotate.labelstudio.client import Client
from natostance.annotate.labelstudio.convert import convert, load_export
from natostance.annotate.labelstudio.push import ensure_project, push, push_tasks
from natostance.annotate.labelstudio.tasks import sentence_tasks

WORDS = ("NATO Russia Kremlin Washington Kyiv alliance troops summit sanctions said officials "
         "border talks missile defence spending Europe minister statement").split()


def rows(n: int, seed: int = 0) -> list[dict]:
    rnd, out = random.Random(seed), []
    for i in range(n):
        art, idx = divmod(i, 10)
        text = " ".join(rnd.choice(WORDS) for _ in range(40))[:280] + "."
        out.append({"sentence_id": f"b{art:05d}-s{idx:04d}", "article_id": f"b{art:05d}", "split": "train",
                    "index": idx, "paragraph": idx // 4, "start": 0, "end": len(text), "text": text})
    return out


def annotated(tasks: list[dict], users: list[int], seed: int = 1) -> list[dict]:
    rnd, stances, out = random.Random(seed), L.labels("stance"), []
    for t in tasks:
        anns = [{"completed_by": u, "lead_time": 5.0, "result": [
            {"id": f"r{j}", "from_name": f"stance_{target}", "to_name": "sentence", "type": "choices",
             "value": {"choices": [rnd.choice(stances)]}} for j, target in enumerate(L.labels("target"))]}
            for u in users]
        out.append({"data": t["data"], "annotations": anns})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("--reps", type=int, default=3, help="floor/push repetitions (median reported)")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/out/annotation.json"))
    args = ap.parse_args()
    n, res = args.n, {}
    S.install()
    with tempfile.TemporaryDirectory(prefix="natostance-bench-") as tmp:
        t0 = time.perf_counter()
        srv = S.start_copy(Path(tmp) / "ls")
        res["server_start_s"] = round(time.perf_counter() - t0, 2)
        try:
            client = Client(srv.url, srv.token)
            data = rows(n)
            payload = sentence_tasks(data)
            floors, pushes = [], []
            for rep in range(args.reps):  # alternate, so that load from elsewhere hits both alike
                floor = ensure_project(client, f"floor{rep}", "sentences")
                t0 = time.perf_counter()
                got = client.import_tasks(floor["id"], payload)  # one plain POST, no listing, no checks
                floors.append(round(time.perf_counter() - t0, 3))
                assert got["task_count"] == n
                t0 = time.perf_counter()
                (pushed,) = push({"sentences": data}, round_name=f"bench{rep}", kinds=["sentences"], client=client)
                pushes.append(round(time.perf_counter() - t0, 3))
                assert pushed.imported == n
            res["floor"] = {"seconds": sorted(floors)[len(floors) // 2], "runs_s": floors, "tasks": n}
            res["push"] = {"seconds": sorted(pushes)[len(pushes) // 2], "runs_s": pushes, "tasks": n,
                           "batches": len(pushed.batches)}
            t0 = time.perf_counter()
            (again,) = push({"sentences": data}, round_name="bench0", kinds=["sentences"], client=client)
            res["push_again_noop"] = {"seconds": round(time.perf_counter() - t0, 3), "tasks": again.already}
            users = [client.create_user(f"bench{i}@example.com") for i in (1, 2)]
            project = ensure_project(client, "bench-annotated", "sentences")
            ann_tasks = annotated(payload[: n // 2], users)
            t0 = time.perf_counter()
            done = push_tasks(client, project["id"], "sentences", ann_tasks)
            res["annotations"] = {"seconds": round(time.perf_counter() - t0, 3),
                                  "tasks": n // 2 * len(users), "task_rows": done.imported}
            t0 = time.perf_counter()
            raw = client.export(project["id"])
            res["export"] = {"seconds": round(time.perf_counter() - t0, 3), "tasks": n // 2, "bytes": len(raw)}
            exported = load_export(raw)
            results = sum(len(a["result"]) for t in exported for a in t["annotations"])
            runs = []
            for _ in range(5):  # pure CPU work on a shared machine: report the median of 5 runs
                t0 = time.perf_counter()
                stances, _ = convert(exported, "sentences")
                runs.append(round(time.perf_counter() - t0, 4))
            res["convert"] = {"seconds": sorted(runs)[2], "runs_s": runs, "tasks": results,
                              "records": len(stances)}
        finally:
            srv.stop()
    for step in ("floor", "push", "push_again_noop", "annotations", "export", "convert"):
        res[step]["per_s"] = round(res[step]["tasks"] / res[step]["seconds"], 1)
    res["push_vs_floor"] = round(res["push"]["per_s"] / res["floor"]["per_s"], 3)
    res["targets"] = {"push_ge_half_floor": res["push_vs_floor"] >= 0.5,
                      "convert_ge_100k_results_per_s": res["convert"]["per_s"] >= 100_000}
    res["machine"] = {"python": platform.python_version(), "cpus": __import__("os").cpu_count(),
                      "label_studio": S.LS_VERSION, "n": n}
    units = {"floor": "tasks", "push": "tasks", "push_again_noop": "tasks checked", "annotations": "annotations",
             "export": "tasks", "convert": "results"}
    for step, unit in units.items():
        print(f"{step:16} {res[step]['seconds']:9.3f} s  {res[step]['per_s']:12,.0f} {unit}/s")
    print(f"push / floor = {res['push_vs_floor']:.2f} (target >= 0.5); server start {res['server_start_s']} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
