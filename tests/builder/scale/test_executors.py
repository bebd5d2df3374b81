"""Slurm without a cluster: the job array and the dependent finish job are rendered and checked, then each
array task is run in-process as Slurm would (SLURM_ARRAY_TASK_ID) and the finish job after it (test_slurm.py
runs them under a real slurmctld). Ray: the same build on a local Ray instance."""

from __future__ import annotations

import json
import sys

import dill
import pytest

from natostance.builder import scale
from natostance.builder.pipeline import BuildOptions
from natostance.parquet_io import read_config
from natostance.builder.scale import plan as P
from natostance.builder.scale import slurm
from natostance.builder.scale.steps import BuildArticles, ReadRaw, WriteShards


def test_slurm_job_array_and_finish_job_rendered_and_run(corpus, local_build, tmp_path, monkeypatch):
    out = tmp_path / "out"
    work = P.work_dir(out)
    opts = scale.ScaleOptions(executor="slurm", tasks=6, workers=3, slurm_partition="hopper-cpu",
                              slurm_time="02:00:00")
    P.prepare(work, P.make_plan(corpus.resolve(), out.resolve(), opts.tasks, BuildOptions(keep_going=True)))
    tasks, finish = slurm.executors(work, opts, {"executor": "slurm", "tasks": 6})

    args = tasks.get_sbatch_args(max_array=6)
    assert args["array"] == "0-5%3" and args["partition"] == "hopper-cpu" and args["time"] == "02:00:00"
    assert args["cpus-per-task"] == 1 and args["mem-per-cpu"] == "2G" and args["job-name"] == "natostance-build"
    script = tasks.get_launch_file_contents(args, f"srun -l launch_pickled_pipeline {work}/logs/executor.pik")
    assert script.startswith("#!/bin/bash\n#SBATCH --cpus-per-task=1\n")
    assert "#SBATCH --array=0-5%3" in script and f"source {sys.prefix}/bin/activate" in script
    assert "launch_pickled_pipeline" in script and "#SBATCH --requeue" in script
    assert [type(s) for s in tasks.pipeline] == [ReadRaw, BuildArticles, WriteShards]
    assert finish.tasks == 1 and finish.depends is tasks and isinstance(finish.pipeline[0], slurm.FinishStep)
    assert finish.run_on_dependency_fail  # afterany: the finish job runs, and reports, after a cancelled task
    assert finish.get_sbatch_args()["job-name"] == "natostance-finish"

    # what sbatch would run: the pickled executor, once per array index, then the finish job
    tasks = dill.loads(dill.dumps(tasks))
    tasks.logging_dir.open("ranks_to_run.json", "w").write(json.dumps(list(range(6))))
    monkeypatch.setattr("signal.signal", lambda *a: None)  # the requeue handler is for real Slurm jobs
    monkeypatch.setattr("datatrove.executor.slurm.expand_slurm_nodelist", lambda nodes: [nodes])  # no scontrol
    monkeypatch.setenv("SLURM_NODELIST", "node001")
    for index in range(6):
        monkeypatch.setenv("SLURM_ARRAY_TASK_ID", str(index))
        tasks.run()
    finish = dill.loads(dill.dumps(finish))
    finish.logging_dir.open("ranks_to_run.json", "w").write("[0]")
    monkeypatch.setenv("SLURM_ARRAY_TASK_ID", "0")
    finish.run()
    assert sorted(p.name for p in work.iterdir()) == [slurm.FINISH_LOGS]  # the finish job's own log stays
    assert json.loads((work / slurm.FINISH_LOGS / slurm.REPORT).read_text())["engine"]["tasks"] == 6
    for config in ("articles", "sentences"):
        assert read_config(out, config) == read_config(local_build, config)


@pytest.mark.timeout(600)  # Ray once hung on a loaded machine; fail, never hold the suite
def test_ray_executor_on_a_local_ray_instance(corpus, local_build, tmp_path):
    ray = pytest.importorskip("ray", reason="Ray is not installed (extra 'ray')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        report = scale.build(corpus, tmp_path / "out", BuildOptions(keep_going=True),
                             scale.ScaleOptions(executor="ray", tasks=2, workers=2))
    finally:
        ray.shutdown()
    assert report.engine["executor"] == "ray" and report.engine["tasks_run"] == 2
    for config in ("articles", "sentences"):
        assert read_config(tmp_path / "out", config) == read_config(local_build, config)


def test_slurm_without_sbatch_is_a_clear_error_that_touches_nothing(corpus, tmp_path, monkeypatch):
    from natostance.errors import NatoStanceError

    monkeypatch.setenv("PATH", str(tmp_path))  # no Slurm commands here
    out = tmp_path / "out"
    with pytest.raises(NatoStanceError, match="needs Slurm's sbatch on PATH"):
        scale.build(corpus, out, BuildOptions(keep_going=True), scale.ScaleOptions(executor="slurm"))
    assert not P.work_dir(out).exists() and not out.exists()
