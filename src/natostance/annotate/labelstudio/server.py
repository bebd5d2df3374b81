"""Install, start and stop a local Label Studio server for a campaign (or for the tests).

The server lives in its OWN virtualenv (``label-studio`` pins ``pyarrow<25`` and ~170 packages; it must
never share the package's environment), under ``${XDG_CACHE_HOME:-~/.cache}/natostance/`` so that every
checkout and CI run on a machine reuses one install. It binds loopback only, with the version check and
telemetry off, and is stopped by its PID.
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


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


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

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 20) -> None:
        """Stop the server by its PID (SIGTERM, then SIGKILL)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(data_dir: str | Path, *, token: str, port: int | None = None, username: str = "admin@localhost",
          password: str, timeout: float = 180, home: Path | None = None) -> Server:
    """Start ``label-studio`` on ``127.0.0.1:port`` with its data in ``data_dir``; wait for ``/health``.

    The admin user and its API token are created on the first start of an empty data dir (that
    migrates the database, ~20 s); a copied data dir starts in a few seconds with the same login.
    """
    exe = executable(home)
    if not exe.is_file():
        raise NatoStanceError(f"label-studio is not installed at {exe}; run `make ls-venv` "
                              "or `natostance annotate server` once")
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    env = {**os.environ, **QUIET_ENV, "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir)}
    log_path = data_dir / "server.log"
    cmd = [str(exe), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
           "--username", username, "--password", password, "--user-token", token]
    t0 = time.monotonic()
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, cwd=data_dir)
    server = Server(f"http://127.0.0.1:{port}", data_dir, username, token, proc, log_path)
    while not healthy(server.url, 1.0):
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace").strip().splitlines()[-3:]
            raise NatoStanceError(f"label-studio exited with code {proc.returncode} before it was "
                                  f"ready; see {log_path}: " + " | ".join(tail))
        if time.monotonic() - t0 > timeout:
            server.stop()
            raise NatoStanceError(f"label-studio did not answer {server.url}/health within "
                                  f"{timeout:.0f} s; see {log_path}")
        time.sleep(0.1)
    server.startup_s = time.monotonic() - t0
    return server


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "natostance" / "label-studio"


def serve(data_dir: str | Path | None = None, *, port: int = 8080, username: str = "admin@localhost",
          echo=print) -> None:
    """``natostance annotate server``: install if needed, start, print how to log in, wait for Ctrl-C.

    The admin password and API token are generated on first use and kept in
    ``<data_dir>/natostance-login.json`` (mode 600); they are never printed.
    """
    import json
    import secrets

    data_dir = Path(data_dir or default_data_dir())
    data_dir.mkdir(parents=True, exist_ok=True)
    login_file = data_dir / "natostance-login.json"
    if login_file.is_file():
        login = json.loads(login_file.read_text())
    else:
        login = {"username": username, "password": secrets.token_urlsafe(12), "token": secrets.token_hex(20)}
        login_file.touch(mode=0o600)
        login_file.write_text(json.dumps(login))
    install(log=echo)
    echo(f"starting Label Studio {LS_VERSION} on 127.0.0.1:{port} (data: {data_dir}) ...")
    srv = start(data_dir, token=login["token"], port=port, username=login["username"],
                password=login["password"])
    echo(f"Label Studio is up at {srv.url} (started in {srv.startup_s:.1f} s; log: {srv.log_path})")
    echo(f"log in as {login['username']}; the password and API token are in {login_file}")
    echo(f"for push/pull:  export LABEL_STUDIO_URL={srv.url}")
    echo(f"                export LABEL_STUDIO_API_KEY=\"$(python3 -c 'import json;"
         f"print(json.load(open(\"{login_file}\"))[\"token\"])')\"")
    echo("press Ctrl-C to stop")
    try:
        srv.process.wait()
    except KeyboardInterrupt:
        echo("stopping")
    finally:
        srv.stop()


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
