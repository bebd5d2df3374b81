"""``natostance annotate server``: install if needed, start Label Studio, say how to use it, stay in front.

The wrapper and the server live and die together: SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the server's
whole process group before the wrapper exits; on Linux the server also gets SIGTERM if the wrapper is
killed outright. When the server exits on its own the wrapper says so, with the log's last lines, and
exits non-zero. The admin password and API token are generated on first use, kept in
``<data_dir>/natostance-login.json`` (mode 600), handed to Label Studio through its environment, and
never printed.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
from pathlib import Path

from natostance.annotate.labelstudio import server as S
from natostance.errors import NatoStanceError

LOGIN_FILE = "natostance-login.json"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _Stop(Exception):
    """A stop signal arrived."""


def _raise_stop(signum, _frame) -> None:
    raise _Stop(signal.Signals(signum).name)


def login(data_dir: Path, username: str) -> tuple[dict, Path]:
    """The server's admin login (created once, mode 600) and the file that holds it."""
    path = data_dir / LOGIN_FILE
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8")), path
        except (OSError, ValueError) as exc:
            raise NatoStanceError(f"{path}: expected the server's login as JSON, found: {exc}") from None
    found = {"username": username, "password": secrets.token_urlsafe(12), "token": secrets.token_hex(20)}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(found, fh)
    return found, path


def api_key(data_dir: str | Path | None = None) -> str:
    """The API key of the server whose data is in ``data_dir`` (its login file must exist)."""
    path = Path(data_dir or S.default_data_dir()) / LOGIN_FILE
    if not path.is_file():
        raise NatoStanceError(f"{path}: no login yet; start the server once with `natostance annotate server`")
    creds, _ = login(path.parent, "")
    return creds["token"]


def check_bind(bind: str, allow_remote: bool) -> list[str]:
    """Refuse a non-loopback address unless allowed; return the warning lines to print when it is."""
    if S.is_loopback(bind):
        return []
    if not allow_remote:
        raise NatoStanceError(f"--bind {bind} would serve beyond this machine; add --allow-remote if that is "
                              "what you want (see annotation/README.md, \"Annotators on other machines\"), or "
                              "keep the default 127.0.0.1 and give annotators an SSH tunnel")
    return [f"WARNING: serving on {bind}: anyone who can reach this address can open Label Studio's pages.",
            "WARNING: this is Label Studio's development server over plain HTTP (no TLS): passwords and API keys",
            "WARNING: cross the network readable. Use it on a trusted LAN or VPN only; sign-up needs the invite link."]


def serve(data_dir: str | Path | None = None, *, port: int = 8080, username: str = "admin@localhost",
          bind: str = "127.0.0.1", allow_remote: bool = False, public_url: str | None = None, echo=print) -> None:
    """Run the server in the foreground until a stop signal; raise when it exits on its own."""
    warnings = check_bind(bind, allow_remote)
    data_dir = Path(data_dir or S.default_data_dir())
    data_dir.mkdir(parents=True, exist_ok=True)
    creds, login_file = login(data_dir, username)
    S.install(log=echo)
    before = {s: signal.signal(s, _raise_stop) for s in STOP_SIGNALS}
    srv = None
    try:
        echo(f"starting Label Studio {S.LS_VERSION} on {bind}:{port} (data: {data_dir}) ...")
        srv = S.start(data_dir, token=creds["token"], port=port, username=creds["username"],
                      password=creds["password"], bind=bind, public_url=public_url, die_with_parent=True)
        for line in warnings:
            echo(line)
        _tell(srv, creds["username"], login_file, public_url, echo)
        code = srv.process.wait()
        raise NatoStanceError(f"Label Studio (pid {srv.pid}) exited on its own with code {code}; "
                              f"see {srv.log_path}: {srv.log_tail()}")
    except _Stop as stop:
        echo(f"{stop}: stopping Label Studio")
    finally:
        for sig in STOP_SIGNALS:  # a second Ctrl-C must not leave the server running: let stop() finish
            signal.signal(sig, signal.SIG_IGN)
        try:
            if srv is not None:
                srv.stop()
        finally:
            for sig, handler in before.items():
                signal.signal(sig, handler)


def _tell(srv: S.Server, username: str, login_file: Path, public_url: str | None, echo) -> None:
    echo(f"Label Studio is up at {srv.url} (pid {srv.pid}, started in {srv.startup_s:.1f} s; log: {srv.log_path})")
    if public_url:
        echo(f"annotators open {public_url}")
    echo(f"log in as {username}; the password and API token are in {login_file}")
    echo(f"for push/pull:  export LABEL_STUDIO_URL={srv.url}")
    where = "" if srv.data_dir == S.default_data_dir().resolve() else f" --data-dir {srv.data_dir}"
    echo(f"                export LABEL_STUDIO_API_KEY=\"$(natostance annotate server --print-key{where})\"")
    echo("annotator accounts:  natostance annotate users add EMAIL...")
    echo("press Ctrl-C to stop")
