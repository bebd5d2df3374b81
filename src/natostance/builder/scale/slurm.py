"""Slurm: the build's tasks as job arrays, the finish step as one job after them, all recorded.

``submit`` sends the ranks not finished yet (datatrove's completion markers) as a job array of at most
``--slurm-max-array`` elements (more arrays, each after the one before, past that), at most ``workers``
running at once, then the finish job with an ``afterany`` dependency: it runs however the tasks ended, and
when one did not finish (failed, cancelled, out of time) it fails naming that task and its log, so no job
waits in the queue for ever. datatrove's own merge-stats jobs are not launched (``afterok`` jobs never run
after a cancelled task; the finish report carries the per-step counts). The job ids go to ``jobs.json``
in the work folder; a rerun of the same command refuses to submit while they are still queued or running
(two jobs would write one task folder) and otherwise resumes.
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


class _JobIds:
    """datatrove's job-id retriever (the last word sbatch prints) that also keeps every id it saw."""

    def __init__(self):
        self.ids: list[str] = []

    def __call__(self, sbatch_output: str) -> str:
        self.ids.append(sbatch_output.split()[-1])
        return self.ids[-1]


class _Executor(SlurmPipelineExecutor):
    """datatrove's Slurm executor without the merge-stats job it submits after each array (see above)."""

    def launch_merge_stats(self) -> None:
        pass


class FinishStep(_WorkStep):
    """The finish step as a one-task pipeline: the Slurm job after the arrays. Writes ``report.json``."""

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


def _element(ranks: list[int], arrays: list[str], max_array: int, rank: int) -> str | None:
    """The array element (``<job>_<index>``) that ran ``rank``."""
    if rank not in ranks:
        return None
    position = ranks.index(rank)
    return f"{arrays[position // max_array]}_{position % max_array}" if position // max_array < len(arrays) else None


def _unfinished(work: Path, engine: dict[str, Any], rank: int) -> str:
    element = _element(engine.get("ranks", []), engine.get("arrays", []), engine.get("max_array", 1), rank)
    logs = [work / "logs" / "slurm_logs" / f"{element}.out", work / "logs" / "logs" / f"task_{rank:05d}.log"]
    log = next((str(p) for p in logs if p.is_file()), None)
    where = (f"Slurm job {element}; " if element else "") + (f"log {log}" if log else "no log written")
    return f"task {rank} did not finish ({where})"


def executors(work: Path, opts, engine: dict[str, Any]) -> tuple[_Executor, _Executor]:
    """(the tasks' job arrays, the finish job that depends on them); nothing submitted yet."""
    from natostance.builder.scale import pipeline

    venv = Path(sys.prefix) / "bin" / "activate"  # the jobs run in this environment
    common = {"time": opts.slurm_time, "partition": opts.slurm_partition, "cpus_per_task": 1,
              "mem_per_cpu_gb": opts.slurm_mem_per_cpu_gb, "env_command": opts.slurm_env_command,
              "venv_path": str(venv) if not opts.slurm_env_command and venv.is_file() else None,
              "mail_user": None, "qos": None}
    tasks = _Executor(pipeline(work), tasks=opts.tasks, workers=opts.workers, job_name="natostance-build",
                      logging_dir=str(work / "logs"), max_array_size=opts.slurm_max_array,
                      job_id_retriever=_JobIds(), **common)
    finish = _Executor([FinishStep(str(work), engine)], tasks=1, job_name="natostance-finish",
                       logging_dir=str(work / FINISH_LOGS), depends=tasks, run_on_dependency_fail=True,
                       job_id_retriever=_JobIds(), **common)
    return tasks, finish


@dataclass(frozen=True)
class Submission:
    """What ``natostance build --executor slurm`` submitted, and where to follow it."""

    out: str
    work: str
    tasks: int
    workers: int
    ranks: list[int]  # the tasks run now; the arrays' elements run them in this order
    arrays: list[str]  # job ids of the arrays, one after another (none: every task had finished before)
    max_array: int
    finish_job: str

    @property
    def skipped(self) -> int:
        return self.tasks - len(self.ranks)

    def logs(self) -> dict[str, str]:
        work = Path(self.work)
        return {"tasks": str(work / "logs" / "slurm_logs" / "<job>_<index>.out"),
                "task_logs": str(work / "logs" / "logs" / f"task_00000.log … task_{self.tasks - 1:05d}.log"),
                "finish": str(work / FINISH_LOGS / "slurm_logs" / f"{self.finish_job}_0.out"),
                "report": str(work / FINISH_LOGS / REPORT)}

    def to_dict(self) -> dict[str, Any]:
        return {"submitted": {**asdict(self), "skipped": self.skipped, "logs": self.logs()}}

    def summary(self) -> str:
        logs, jobs = self.logs(), ",".join([*self.arrays, self.finish_job])
        lines = []
        if len(self.arrays) == 1:
            lines.append(f"submitted Slurm job {self.arrays[0]}: {len(self.ranks)} task(s) as a job array, "
                         f"at most {self.workers} at once")
        elif self.arrays:
            lines.append(f"submitted Slurm jobs {', '.join(self.arrays)}: {len(self.ranks)} task(s) as "
                         f"{len(self.arrays)} job arrays of up to {self.max_array}, each after the one before, "
                         f"at most {self.workers} at once")
        if self.skipped:
            lines.append(f"resumed: {self.skipped} of {self.tasks} task(s) finished earlier and are not run again"
                         + (f"; running task(s) {_short(self.ranks)}" if self.ranks else ""))
        elements = [f"{e} runs task {r}" for r in self.ranks[:3] if (e := _element(self.ranks, self.arrays,
                                                                                   self.max_array, r))]
        lines += [f"submitted Slurm job {self.finish_job}: the finish step, after "
                  + (f"job {self.arrays[-1]} ends" if self.arrays else "nothing (every task is done)"),
                  f"  follow:      squeue -j {jobs}    (sacct -j {jobs} where accounting is on)",
                  *([f"  task logs:   {logs['tasks']}  ({', '.join(elements)}{', …' * (len(self.ranks) > 3)})",
                     f"               {logs['task_logs']}"] if self.arrays else []),
                  f"  finish log:  {logs['finish']}",
                  f"when job {self.finish_job} succeeds: {self.out}, and the report in {logs['report']}",
                  "if a job fails or is cancelled: run this same command again, it resumes"]
        return "\n".join(lines)


def _short(ranks: list[int]) -> str:
    return ", ".join(map(str, ranks[:10])) + (f" and {len(ranks) - 10} more" if len(ranks) > 10 else "")


def check_can_submit(work: Path) -> None:
    """Before the work folder is touched: sbatch is here, and no job of an earlier submission of this
    build is still queued or running."""
    if shutil.which("sbatch") is None:
        raise NatoStanceError(NO_SBATCH)
    path = work / JOBS
    if not path.is_file():
        return
    record = json.loads(path.read_text(encoding="utf-8"))
    ids = [*record.get("arrays", []), *([record["finish_job"]] if record.get("finish_job") else [])]
    active = sorted({job for job in _queued() if job in ids}, key=ids.index)
    if active:
        raise NatoStanceError(f"Slurm job(s) {', '.join(active)} of this build are still queued or running: wait "
                              f"for them (squeue -j {','.join(active)}) or cancel them (scancel {' '.join(active)}), "
                              "then run the same command again")


def _queued() -> set[str]:
    """Ids (of the array, for an array's element) of this user's jobs in the queue."""
    argv = ["squeue", "--me", "--noheader", "--array", "--format=%F"]
    try:
        res = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NatoStanceError(f"{' '.join(argv)}: {exc}") from None
    if res.returncode:
        raise NatoStanceError(f"{' '.join(argv)} exited {res.returncode}: {res.stderr.strip()}")
    return set(res.stdout.split())


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
    engine.update(tasks_run=len(ranks), tasks_skipped=opts.tasks - len(ranks), ranks=ranks,
                  max_array=opts.slurm_max_array)
    with _sbatch_errors():
        tasks.launch_job()
        arrays = list(tasks.job_id_retriever.ids)
        engine["arrays"] = arrays  # read by the finish job (names of unfinished tasks' elements and logs)
        P.write_json(work / JOBS, {"arrays": arrays, "finish_job": None, "ranks": ranks})
        finish.launch_job()
    sub = Submission(str(out_dir), str(work), opts.tasks, opts.workers, ranks, arrays, opts.slurm_max_array,
                     str(finish.job_id))
    P.write_json(work / JOBS, {"arrays": arrays, "finish_job": sub.finish_job, "ranks": ranks})
    return sub
