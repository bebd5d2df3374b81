"""A real one-node Slurm cluster on loopback, for the tests: Debian's slurm-wlm and munge, all in one folder.

``Cluster.start(folder)`` writes a fresh munge key and starts ``munged`` on its own socket, writes a
``slurm.conf`` (this host as controller and only node at 127.0.0.1, free ports, state, spool and logs in
the folder, root as SlurmUser, process tracking through /proc and no cgroups, so it runs in a container
without systemd), starts ``slurmctld`` and ``slurmd`` and waits until ``sinfo`` shows the node idle.
``stop()`` cancels every job of this cluster, waits for them to end, then stops the three daemons by the
process ids it started (SIGTERM, SIGKILL after a grace period). Commands reach this cluster only with
``env`` (``SLURM_CONF`` set): a system-wide Slurm, or another test's cluster, is never touched.

Debian packages: ``make slurm`` (``apt-get install slurmctld slurmd slurm-client munge``).
By hand: ``python tests/builder/scale/slurmcluster.py /tmp/slurm`` starts one and waits for Ctrl-C.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd")
CLIENTS = ("sbatch", "srun", "squeue", "scancel", "sinfo", "scontrol")
PARTITION = "cpu"  # the name `natostance build --executor slurm` submits to by default
START_TIMEOUT = 60.0
STOP_GRACE = 15.0


def missing_programs() -> list[str]:
    return [p for p in DAEMONS + CLIENTS if shutil.which(p) is None and not Path("/usr/sbin", p).exists()]


def _program(name: str) -> str:
    return shutil.which(name) or str(Path("/usr/sbin", name))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _node_line(name: str) -> str:
    """This machine's CPUs and memory as slurmd itself detects them (a node declared bigger is drained)."""
    out = subprocess.run([_program("slurmd"), "-C"], capture_output=True, text=True, timeout=30, check=True).stdout
    fields = dict(f.split("=", 1) for f in out.splitlines()[0].split() if "=" in f)
    keep = ("CPUs", "Boards", "SocketsPerBoard", "CoresPerSocket", "ThreadsPerCore", "RealMemory")
    return f"NodeName={name} NodeAddr=127.0.0.1 NodeHostname={name} " + " ".join(f"{k}={fields[k]}" for k in keep)


def _die_with_parent() -> None:
    """In the daemon, before exec: SIGTERM when the process that started it dies, even by SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Cluster:
    folder: Path
    host: str = field(default_factory=lambda: socket.gethostname().split(".")[0])
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def conf(self) -> Path:
        return self.folder / "slurm.conf"

    @property
    def env(self) -> dict[str, str]:
        """The environment that points Slurm's commands (and the jobs they submit) at this cluster."""
        return {**os.environ, "SLURM_CONF": str(self.conf)}

    def run(self, *args: str, timeout: float = 30, check: bool = True) -> str:
        res = subprocess.run(list(args), capture_output=True, text=True, env=self.env, timeout=timeout)
        if check and res.returncode:
            raise RuntimeError(f"{' '.join(args)} exited {res.returncode}: {res.stderr.strip()}")
        return res.stdout

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.is_file() else ""

    # -- start -------------------------------------------------------------------------------------------
    def start(self) -> Cluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        for sub in ("munge", "state", "spool"):
            (self.folder / sub).mkdir(mode=0o700, exist_ok=True)
        key = self.folder / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o600)
        sock = self.folder / "munge" / "munge.socket"
        self._daemon("munged", _program("munged"), "--foreground", "--force", f"--key-file={key}",
                     f"--socket={sock}", f"--pid-file={self.folder / 'munge' / 'munged.pid'}",
                     f"--seed-file={self.folder / 'munge' / 'munged.seed'}",
                     f"--log-file={self.folder / 'munged.log'}")
        self._wait(lambda: sock.exists(), "munged's socket")
        self.conf.write_text(self._conf(sock), encoding="utf-8")
        self._daemon("slurmctld", _program("slurmctld"), "-D", "-i", "-f", str(self.conf))
        self._daemon("slurmd", _program("slurmd"), "-D", "-f", str(self.conf), "-N", self.host)
        self._wait(self._idle, f"node {self.host} idle in sinfo")
        return self

    def _conf(self, sock: Path) -> str:
        d = self.folder
        return "\n".join([
            "ClusterName=natostance-test",
            f"SlurmctldHost={self.host}(127.0.0.1)",
            f"SlurmctldPort={_free_port()}",
            f"SlurmdPort={_free_port()}",
            "CommunicationParameters=NoInAddrAny,NoCtldInAddrAny",  # listen on 127.0.0.1 only
            "SlurmUser=root", "SlurmdUser=root",
            "AuthType=auth/munge", "CredType=cred/munge", f"AuthInfo=socket={sock}",
            f"StateSaveLocation={d / 'state'}", f"SlurmdSpoolDir={d / 'spool'}",
            f"SlurmctldPidFile={d / 'slurmctld.pid'}", f"SlurmdPidFile={d / 'slurmd.pid'}",
            f"SlurmctldLogFile={d / 'slurmctld.log'}", f"SlurmdLogFile={d / 'slurmd.log'}",
            "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none",  # no cgroups, no systemd
            "JobAcctGatherType=jobacct_gather/none", "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none", "MpiDefault=none", "MailProg=/bin/true",
            "SchedulerType=sched/backfill", "SelectType=select/cons_tres", "SelectTypeParameters=CR_CPU_Memory",
            "ReturnToService=2", "KillWait=5", "MinJobAge=600", "SlurmctldTimeout=30", "SlurmdTimeout=30",
            _node_line(self.host),
            f"PartitionName={PARTITION} Nodes={self.host} Default=YES MaxTime=INFINITE State=UP",
            "",
        ])

    def _daemon(self, name: str, *argv: str) -> None:
        out = open(self.folder / f"{name}.out", "ab")  # what a daemon prints before its own log is open
        self.procs[name] = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            env=self.env, start_new_session=True, preexec_fn=_die_with_parent)
        out.close()

    def _idle(self) -> bool:
        res = subprocess.run(["sinfo", "-h", "-N", "-o", "%N %t"], capture_output=True, text=True,
                             env=self.env, timeout=10)
        return res.returncode == 0 and res.stdout.split() == [self.host, "idle"]

    def _wait(self, ready, what: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            dead = [n for n, p in self.procs.items() if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                self.stop()
                why = f"{', '.join(dead)} exited" if dead else f"not ready after {timeout:.0f} s"
                raise RuntimeError(f"Slurm test cluster: waiting for {what}: {why}\n{self.tail()}")
            time.sleep(0.2)

    def tail(self, lines: int = 15) -> str:
        parts = []
        for name in DAEMONS:
            for suffix in (".out", ".log"):
                path = self.folder / f"{name}{suffix}"
                if path.is_file() and (text := path.read_text(errors="replace").strip()):
                    parts.append(f"--- {path.name}\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(parts)

    # -- jobs ----------------------------------------------------------------------------------------------
    def queue(self) -> dict[str, str]:
        """Job id (``123`` or ``123_4``) -> state, for every job this cluster still holds."""
        out = self.run("squeue", "-h", "-r", "-o", "%i %T")
        return dict(line.split() for line in out.splitlines() if line.strip())

    def states(self, job: str) -> dict[str, str]:
        """Job id (``123``, or ``123_4`` for each element of an array) -> state, from the controller, which
        keeps ended jobs for MinJobAge: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, ..."""
        out = {}
        for line in self.run("scontrol", "-o", "show", "job", job).splitlines():
            f = dict(x.split("=", 1) for x in line.split() if "=" in x)
            element = f"{f['ArrayJobId']}_{f['ArrayTaskId']}" if "ArrayTaskId" in f else f["JobId"]
            out[element] = f["JobState"]
        return out

    def wait_empty(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.queue():
            if time.monotonic() > deadline:
                raise TimeoutError(f"jobs still queued after {timeout:.0f} s: {self.queue()}\n{self.tail()}")
            time.sleep(0.5)

    # -- stop ----------------------------------------------------------------------------------------------
    def stop(self) -> None:
        if self.procs.get("slurmctld") and self.procs["slurmctld"].poll() is None:
            try:
                self.run("scancel", "--full", "--user=root", check=False, timeout=10)
                self.wait_empty(STOP_GRACE)
            except (RuntimeError, TimeoutError, subprocess.TimeoutExpired):
                pass  # the daemons are stopped below all the same
        for name in reversed(DAEMONS):
            proc = self.procs.pop(name, None)
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


if __name__ == "__main__":
    import sys

    cluster = Cluster(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/natostance-slurm").resolve()).start()
    print(f"export SLURM_CONF={cluster.conf}   # then sbatch, squeue, natostance build --executor slurm ...")
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
