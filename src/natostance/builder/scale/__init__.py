"""Scale-out: the builder's per-article step on datatrove (local processes, Slurm or Ray).

``build(raw_dir, out_dir, BuildOptions, ScaleOptions)`` plans the job (file list, tasks), runs the three
steps of ``natostance.builder.scale.steps`` under the chosen executor, then the finish step
(``natostance.builder.scale.finish``) writes the same dataset folder as the local builder, with one Parquet shard
per task and split. datatrove is an optional extra (``pip install 'natostance[scale]'``), imported here only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from importlib.metadata import version
from typing import Any

from natostance.builder.pipeline import BuildOptions, split_rule
from natostance.builder.scale.inputs import file_records
from natostance.builder.sourcesfile import load as load_sources
from natostance.errors import InputError, NatoStanceError
from natostance.builder.scale import plan as P

EXECUTORS = ("local", "slurm", "ray")
PRELOAD = ["natostance.builder.scale.steps", "trafilatura"]


@dataclass(frozen=True, slots=True)
class ScaleOptions:
    executor: str = "local"
    tasks: int = 4
    workers: int = 2
    slurm_partition: str = "cpu"
    slurm_time: str = "10:00:00"
    slurm_mem_per_cpu_gb: int = 2
    slurm_env_command: str | None = None  # e.g. "module load python; source venv/bin/activate"
    slurm_max_array: int = 1001  # the cluster's MaxArraySize: more tasks go in further arrays


def _require_datatrove() -> None:
    try:
        import datatrove  # noqa: F401
    except ImportError:
        raise NatoStanceError("--engine datatrove needs the scale extra: pip install 'natostance[scale]'") from None


def pipeline(work: Path) -> list:
    from natostance.builder.scale.steps import BuildArticles, ReadRaw, WriteShards

    return [ReadRaw(str(work)), BuildArticles(str(work)), WriteShards(str(work))]


def executors(work: Path, opts: ScaleOptions) -> Any:
    """The tasks' executor for local processes or Ray (Slurm: ``natostance.builder.scale.slurm``)."""
    logs = str(work / "logs")
    if opts.executor == "local":
        import multiprocess
        from datatrove.executor import LocalPipelineExecutor

        # workers fork from a server that has imported the builder once, not import it again each
        multiprocess.get_context("forkserver").set_forkserver_preload(PRELOAD)
        return LocalPipelineExecutor(pipeline(work), tasks=opts.tasks, workers=opts.workers, logging_dir=logs)
    if opts.executor == "ray":
        from datatrove.executor import RayPipelineExecutor

        return RayPipelineExecutor(pipeline(work), tasks=opts.tasks, workers=opts.workers, logging_dir=logs)
    raise NatoStanceError(f"unknown executor {opts.executor!r}; known: {', '.join(EXECUTORS)}")


def build(raw_dir: str | Path, out_dir: str | Path, options: BuildOptions | None = None,
          scale: ScaleOptions | None = None):
    """Run the build on datatrove. Returns the report (local, Ray), or the ``Submission`` of the Slurm jobs."""
    _require_datatrove()
    opts, scale = options or BuildOptions(), scale or ScaleOptions()
    raw_dir, out_dir = Path(raw_dir).resolve(), Path(out_dir).resolve()
    if not raw_dir.is_dir():
        raise InputError(str(raw_dir), "not a folder of raw articles")
    if scale.tasks < 1 or scale.workers < 1 or scale.slurm_max_array < 1:
        raise NatoStanceError("--tasks, --workers and --slurm-max-array must be at least 1")
    if opts.annotations and load_sources(raw_dir).annotations:
        raise NatoStanceError("--engine datatrove builds the text configs only (articles, sentences): the sources "
                              "file names annotation files, so use the local engine, or --no-annotations")
    if opts.text_free:
        raise NatoStanceError("--engine datatrove does not make text-free builds yet: use the local engine")
    plan = P.make_plan(raw_dir, out_dir, scale.tasks, opts)
    if not plan["files"]:
        raise InputError(str(raw_dir), "no article files found")
    rule = split_rule(load_sources(raw_dir), opts, ((file_records(raw_dir, f[0], opts.max_article_bytes)[1], f[0])
                                                     for f in plan["files"]))
    plan["split_rule"] = rule.to_dict()  # quantiles resolved here, in the driver, by one serial pass over the input
    work = P.work_dir(out_dir)
    engine = {"datatrove": version("datatrove"), "executor": scale.executor, "tasks": scale.tasks,
              "workers": scale.workers}
    if scale.executor == "slurm":
        from natostance.builder.scale import slurm

        slurm.check_can_submit(work)  # before prepare(): an earlier submission's jobs may still use the folder
        P.prepare(work, plan)
        return slurm.submit(work, out_dir, scale, engine)
    resumed = P.prepare(work, plan)
    done_before = len(P.completed(work, scale.tasks)) if resumed else 0
    run = executors(work, scale)
    if scale.executor == "ray":
        import ray

        if not ray.is_initialized():
            ray.init(num_cpus=scale.workers, include_dashboard=False, log_to_driver=False)
    run.run()
    from natostance.builder.scale.finish import finish

    report = finish(work, {**engine, "tasks_run": scale.tasks - done_before, "tasks_skipped": done_before})
    P.remove(work)
    return report
