"""Slurm: the build's tasks as one job array, the finish step as one job after it, both recorded.

``submit`` sends the ranks not finished yet (datatrove's completion markers) as a job array, at most
``workers`` at once, then the finish job with an ``afterany`` dependency: it runs however the tasks ended,
and when one did not finish (failed, cancelled, out of time) it fails naming that task and its log, so no
job waits in the queue for ever. datatrove's own merge-stats jobs are not launched (``afterok`` jobs never
run after a cancelled task; the finish report carries the per-step counts). The job ids go to
``jobs.json`` in the work folder; a rerun of the same command refuses to submit while they are still
queued or running (two jobs would write one task folder) and otherwise resumes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from datatrove.executor import SlurmPipelineExecutor

from natostance.errors import NatoStanceError
from natostance.builder.scale import plan as P
from natostance.builder.scale.steps import _WorkStep

JOBS = "jobs.json"
FINISH_LOGS = "logs-finish"  # kept after a finished build: the finish job's log and report.json
REPORT = "report.json"
NO_SBATCH = "--executor slurm needs Slurm's sbatch on PATH: run the command where you submit Slurm jobs"


class _Executor(SlurmPipelineExecutor):
    """datatrove's Slurm executor without the merge-stats job it submits after each array (see above)."""

    def launch_merge_stats(self) -> None:
        pass


class FinishStep(_WorkStep):
    """The finish step as a one-task pipeline: the Slurm job after the array. Writes ``report.json``."""

    name, type = "natostance finish", "🏁 - FINISH"

    def __init__(self, work: str, engine: dict[str, Any]):
        super().__init__(work)
        self.engine = engine

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        from natostance.builder.scale.finish import finish

        work = Path(self.work)
        try:
            missing = P.missing(work, P.load(work)["tasks"])
            if missing:
                raise NatoStanceError("\n".join([*(_unfinished(work, self.engine, r) for r in missing),
                                                 "run the same command again: it resumes with these tasks"]))
            report = finish(work, self.engine)
        except NatoStanceError as exc:  # a message in the job's log and a failed job, not a traceback
            print("\n".join(f"error: {line}" for line in str(exc).splitlines()), flush=True)
            raise SystemExit(1) from None
        P.write_json(work / FINISH_LOGS / REPORT, report.to_dict())
        print(report.summary(), flush=True)
        P.remove(work, keep=FINISH_LOGS)
        return
        yield


def _unfinished(work: Path, engine: dict[str, Any], rank: int) -> str:
    ranks, job = engine.get("ranks") or [], engine.get("tasks_job")
    if job is None or rank not in ranks:
        return f"task {rank} did not finish"
    element = f"{job}_{ranks.index(rank)}"
    log = work / "logs" / "slurm_logs" / f"{element}.out"
    return f"task {rank} did not finish (Slurm job {element}; " + (f"log {log})" if log.is_file() else "no log written)")


def executors(work: Path, opts, engine: dict[str, Any]) -> tuple[_Executor, _Executor]:
    """(the tasks' job array, the finish job that depends on it); nothing submitted yet."""
    from natostance.builder.scale import pipeline

    venv = Path(sys.prefix) / "bin" / "activate"  # the jobs run in this environment
    common = {"time": opts.slurm_time, "partition": opts.slurm_partition, "cpus_per_task": 1,
              "mem_per_cpu_gb": opts.slurm_mem_per_cpu_gb, "env_command": opts.slurm_env_command,
              "venv_path": str(venv) if not opts.slurm_env_command and venv.is_file() else None,
              "mail_user": None, "qos": None}
    tasks = _Executor(pipeline(work), tasks=opts.tasks, workers=opts.workers, job_name="natostance-build",
                      logging_dir=str(work / "logs"), **common)
    finish = _Executor([FinishStep(str(work), engine)], tasks=1, job_name="natostance-finish",
                       logging_dir=str(work / FINISH_LOGS), depends=tasks, run_on_dependency_fail=True, **common)
    return tasks, finish


@dataclass(frozen=True)
class Submission:
    """What ``natostance build --executor slurm`` submitted, and where to follow it."""

    out: str
    work: str
    tasks: int
    workers: int
    ranks: list[int]  # the array's indexes run these ranks, in order
    tasks_job: str | None  # None: every task had finished before
    finish_job: str

    @property
    def skipped(self) -> int:
        return self.tasks - len(self.ranks)

    def logs(self) -> dict[str, str]:
        work = Path(self.work)
        return {"tasks": str(work / "logs" / "slurm_logs" / f"{self.tasks_job}_<index>.out") if self.tasks_job else "",
                "task_logs": str(work / "logs" / "logs" / "task_<rank>.log"),
                "finish": str(work / FINISH_LOGS / "slurm_logs" / f"{self.finish_job}_0.out"),
                "report": str(work / FINISH_LOGS / REPORT)}

    def _indexes(self) -> str:
        if self.ranks == list(range(self.tasks)):
            return "<index> = task"
        shown = ", ".join(f"{i} runs task {r}" for i, r in enumerate(self.ranks[:5]))
        return f"<index> {shown}" + (", ..." if len(self.ranks) > 5 else "")

    def to_dict(self) -> dict[str, Any]:
        return {"submitted": {**asdict(self), "skipped": self.skipped, "logs": self.logs()}}

    def summary(self) -> str:
        logs, jobs = self.logs(), ",".join(j for j in (self.tasks_job, self.finish_job) if j)
        lines = []
        if self.tasks_job:
            lines.append(f"submitted Slurm job {self.tasks_job}: {len(self.ranks)} task(s) as a job array, "
                         f"at most {self.workers} at once")
        if self.skipped:
            lines.append(f"resumed: {self.skipped} of {self.tasks} task(s) finished earlier and are not run again"
                         + (f"; running task(s) {', '.join(map(str, self.ranks))}" if self.ranks else ""))
        lines += [f"submitted Slurm job {self.finish_job}: the finish step, after "
                  + (f"job {self.tasks_job} ends" if self.tasks_job else "nothing (every task is done)"),
                  f"  follow:      squeue -j {jobs}    (sacct -j {jobs} where accounting is on)",
                  *([f"  task logs:   {logs['tasks']}  ({self._indexes()})",
                     f"               {logs['task_logs']}"] if self.tasks_job else []),
                  f"  finish log:  {logs['finish']}",
                  f"{self.out} and {logs['report']} appear when job {self.finish_job} succeeds; "
                  "if any job fails or is cancelled, run this same command again to resume"]
        return "\n".join(lines)


def check_can_submit(work: Path) -> None:
    """Before the work folder is touched: sbatch is here, and no job of an earlier submission of this
    build is still queued or running."""
    if shutil.which("sbatch") is None:
        raise NatoStanceError(NO_SBATCH)
    path = work / JOBS
    if not path.is_file():
        return
    record = json.loads(path.read_text(encoding="utf-8"))
    ids = [j for j in (record.get("tasks_job"), record.get("finish_job")) if j]
    active = sorted({job for job, _ in _queue() if job in ids})
    if active:
        raise NatoStanceError(f"Slurm job(s) {', '.join(active)} of this build are still queued or running: wait "
                              f"for them (squeue -j {','.join(active)}) or cancel them (scancel {' '.join(active)}), "
                              "then run the same command again")


def _queue() -> list[tuple[str, str]]:
    """(array or job id, state) of this user's jobs in the queue."""
    res = _slurm("squeue", "--me", "--noheader", "--array", "--format=%F %T")
    return [tuple(line.split()[:2]) for line in res.splitlines() if line.strip()]


def _slurm(*argv: str) -> str:
    res = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if res.returncode:
        raise NatoStanceError(f"{' '.join(argv)} exited {res.returncode}: {res.stderr.strip()}")
    return res.stdout


@contextmanager
def _sbatch_errors():
    try:
        yield
    except subprocess.CalledProcessError as exc:  # sbatch printed its reason on stderr already
        raise NatoStanceError(f"sbatch exited {exc.returncode} (its message is above)") from None
    except FileNotFoundError:
        raise NatoStanceError(NO_SBATCH) from None


def submit(work: Path, out_dir: Path, opts, engine: dict[str, Any]) -> Submission:
    """Submit the tasks not finished yet and the finish job; record their ids in ``jobs.json``."""
    tasks, finish = executors(work, opts, engine)
    ranks = tasks.get_incomplete_ranks()
    engine.update(tasks_run=len(ranks), tasks_skipped=opts.tasks - len(ranks), ranks=ranks)
    with _sbatch_errors():
        tasks.launch_job()
        tasks_job = None if tasks.job_id == -1 else str(tasks.job_id)
        engine["tasks_job"] = tasks_job  # read by the finish job (log names of unfinished tasks)
        P.write_json(work / JOBS, {"tasks_job": tasks_job, "finish_job": None, "ranks": ranks})
        finish.launch_job()
    sub = Submission(str(out_dir), str(work), opts.tasks, opts.workers, ranks, tasks_job, str(finish.job_id))
    P.write_json(work / JOBS, {"tasks_job": tasks_job, "finish_job": sub.finish_job, "ranks": ranks})
    return sub
