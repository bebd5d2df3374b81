"""Install, start and stop a local Label Studio server for a campaign (or for the tests).

The server lives in its OWN virtualenv (``label-studio`` pins ``pyarrow<25`` and ~170 packages; it must
never share the package's environment), under ``${XDG_CACHE_HOME:-~/.cache}/natostance/`` so that every
checkout and CI run on a machine reuses one install. It binds loopback unless told otherwise, with the
version check and telemetry off, sign-up only through the invite link, and is stopped with its whole process
group. ``serve.py`` is the ``annotate server`` verb around it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from natostance.errors import NatoStanceError

LS_VERSION = "1.23.2"
QUIET_ENV = {  # no network calls home, no telemetry
    "LATEST_VERSION_CHECK": "false", "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": "",
    "COLLECT_ANALYTICS": "false", "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",  # accounts come from `annotate users add` (invite token)
}


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "natostance"


def ls_home() -> Path:
    """The virtualenv that holds the pinned server; ``NATOSTANCE_LS_HOME`` overrides it."""
    return Path(os.environ.get("NATOSTANCE_LS_HOME") or cache_root() / f"label-studio-{LS_VERSION}")


def executable(home: Path | None = None) -> Path:
    return (home or ls_home()) / "bin" / "label-studio"


def _uv() -> list[str] | None:
    for cand in (Path(sys.executable).with_name("uv"), shutil.which("uv")):
        if cand and Path(cand).is_file():
            return [str(cand)]
    return None


def install(home: Path | None = None, log=print) -> Path:
    """Install ``label-studio==LS_VERSION`` into its own virtualenv unless already there; return the CLI."""
    home = home or ls_home()
    stamp = home / ".natostance-installed"
    if stamp.is_file() and stamp.read_text().strip() == LS_VERSION and executable(home).is_file():
        return executable(home)
    log(f"installing label-studio=={LS_VERSION} into {home} (once per machine)")
    base_python = getattr(sys, "_base_executable", None) or shutil.which("python3") or sys.executable
    uv = _uv()
    if uv:
        steps = [uv + ["venv", "-q", "--allow-existing", "--python", base_python, str(home)],
                 uv + ["pip", "install", "-q", "--python", str(home / "bin" / "python"),
                       f"label-studio=={LS_VERSION}"]]
    else:
        steps = [[base_python, "-m", "venv", str(home)],
                 [str(home / "bin" / "python"), "-m", "pip", "install", "-q", f"label-studio=={LS_VERSION}"]]
    for cmd in steps:
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            raise NatoStanceError(f"installing label-studio failed: {' '.join(cmd[:3])} ...: "
                                  + " | ".join(tail))
    stamp.write_text(LS_VERSION + "\n")
    return executable(home)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_busy(bind: str, port: int) -> bool:
    """True when ``bind:port`` cannot be bound, or something already answers on loopback at ``port``.

    The second test is Label Studio's own: it connects to localhost:port and, when that succeeds, quietly
    moves to the next port. That must never happen to us: the URL we print would name the other server.
    """
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: old TIME_WAIT connections are fine
        try:
            s.bind((bind, port))
        except OSError:
            return True
    with socket.socket() as s:
        s.settimeout(1.0)
        return s.connect_ex(("127.0.0.1", port)) == 0


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def is_loopback(bind: str) -> bool:
    return bind in ("127.0.0.1", "localhost", "::1") or bind.startswith("127.")


@dataclass
class Server:
    """A running local server: its URL, data dir, admin login and process."""

    url: str
    data_dir: Path
    username: str
    token: str = field(repr=False)
    process: subprocess.Popen = field(repr=False)
    log_path: Path
    startup_s: float = 0.0
    log_offset: int = 0  # where this run's lines start in the (appended) log

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, n: int = 3) -> str:
        try:
            with self.log_path.open("rb") as fh:
                fh.seek(self.log_offset)
                lines = fh.read().decode("utf-8", "replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(line.strip() for line in lines[-n:] if line.strip())

    def stop(self, timeout: float = 20) -> None:
        """Stop the server's whole process group (SIGTERM, then SIGKILL)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
            except ProcessLookupError:
                self.process.wait(timeout)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGTERM the server when the process that started it dies, even by SIGKILL."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _port_message(bind: str, port: int) -> str:
    return (f"port {port} on {bind} is already in use (another Label Studio, or another program); choose "
            "another with --port, or stop what holds it")


def start(data_dir: str | Path, *, token: str, port: int | None = None, username: str = "admin@localhost",
          password: str, timeout: float = 180, home: Path | None = None, bind: str = "127.0.0.1",
          public_url: str | None = None, die_with_parent: bool = False) -> Server:
    """Start ``label-studio`` on ``bind:port`` with its data in ``data_dir``; wait until it serves.

    The admin user and its API token are created on the first start of an empty data dir (that
    migrates the database, ~20 s); a copied data dir starts in a few seconds with the same login. The
    login reaches Label Studio through its environment (``LABEL_STUDIO_USERNAME``/``_PASSWORD``/
    ``_USER_TOKEN``), never through its command line, which every local user can read with ``ps``.
    Ready means: the log says Django serves on exactly ``port`` and ``/health`` answers there.
    """
    exe = executable(home)
    if not exe.is_file():
        raise NatoStanceError(f"label-studio is not installed at {exe}; run `make ls-venv` "
                              "or `natostance annotate server` once")
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    if port_busy(bind, port):
        raise NatoStanceError(_port_message(bind, port))
    env = {**os.environ, **QUIET_ENV, "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1",
           "LABEL_STUDIO_USERNAME": username, "LABEL_STUDIO_PASSWORD": password, "LABEL_STUDIO_USER_TOKEN": token,
           "LABEL_STUDIO_HOST": public_url or ""}
    log_path = data_dir / "server.log"
    cmd = [str(exe), "start", "--no-browser", "--internal-host", bind, "--port", str(port)]
    t0 = time.monotonic()
    offset = log_path.stat().st_size if log_path.is_file() else 0
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=data_dir,
                                preexec_fn=_die_with_parent if die_with_parent else None)
    host = "127.0.0.1" if bind in ("0.0.0.0", "::") else bind
    server = Server(f"http://{host}:{port}", data_dir, username, token, proc, log_path, log_offset=offset)
    try:
        _wait_ready(server, port, timeout, t0)
    except BaseException:
        server.stop()
        raise
    server.startup_s = time.monotonic() - t0
    return server


def _wait_ready(server: Server, port: int, timeout: float, t0: float) -> None:
    serving = f":{port}/"
    while True:
        if server.process.poll() is not None:
            raise NatoStanceError(f"label-studio exited with code {server.process.returncode} before it was "
                                  f"ready; see {server.log_path}: {server.log_tail()}")
        log = server.log_tail(n=1000)
        if f"Port {port} is in use" in log:
            raise NatoStanceError(_port_message(server.url.split("//")[1].rsplit(":", 1)[0], port))
        if "Starting development server at" in log and serving in log and healthy(server.url, 1.0):
            return
        if time.monotonic() - t0 > timeout:
            raise NatoStanceError(f"label-studio did not answer {server.url}/health within "
                                  f"{timeout:.0f} s; see {server.log_path}")
        time.sleep(0.1)


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "natostance" / "label-studio"


TEMPLATE_PASSWORD = "natostance-template-pw"  # a throwaway login for test/benchmark servers only


def template_dir() -> Path:
    """A migrated data dir with an admin user and token, built once per machine and server version.

    The first migration takes ~20-40 s; every copy of the template then starts in a few seconds.
    """
    import json
    import secrets

    tpl = cache_root() / f"ls-template-{LS_VERSION}"
    if (tpl / "login.json").is_file():
        return tpl
    building = tpl.with_name(f"{tpl.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    token = secrets.token_hex(20)
    srv = start(building, token=token, username="admin@example.com", password=TEMPLATE_PASSWORD, timeout=300)
    srv.stop()
    (building / "server.log").unlink(missing_ok=True)
    (building / "login.json").write_text(json.dumps({"token": token, "username": "admin@example.com",
                                                     "first_start_s": round(srv.startup_s, 2)}))
    try:
        building.rename(tpl)
    except OSError:  # another process finished first
        shutil.rmtree(building, ignore_errors=True)
    return tpl


def start_copy(dest: str | Path, port: int | None = None) -> Server:
    """Start a throwaway server on a copy of the template (``dest`` is reused if it already exists)."""
    import json

    tpl, dest = template_dir(), Path(dest)
    if not dest.exists():
        shutil.copytree(tpl, dest)
    login = json.loads((tpl / "login.json").read_text())
    return start(dest, token=login["token"], username=login["username"], password=TEMPLATE_PASSWORD, port=port)
