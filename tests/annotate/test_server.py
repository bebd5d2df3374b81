"""The ``annotate server`` wrapper and the client against real processes: ports, signals, secrets, timeouts."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from natostance.annotate.labelstudio import server as S
from natostance.annotate.labelstudio.client import Client, redact
from natostance.cli import cli
from natostance.errors import NatoStanceError


def _data_dir(tmp_path: Path) -> tuple[Path, str]:
    """A copy of the migrated template data dir with its login where the wrapper looks; return (dir, token)."""
    data = tmp_path / "data"
    shutil.copytree(S.template_dir(), data)
    login = json.loads((data / "login.json").read_text())
    (data / "natostance-login.json").write_text(json.dumps(
        {"username": login["username"], "password": S.TEMPLATE_PASSWORD, "token": login["token"]}))
    return data, login["token"]


def _wrapper(data: Path, port: int, *extra: str) -> tuple[subprocess.Popen, str, int]:
    """Start ``natostance annotate server`` and read its output until it is up; return (process, output, LS pid)."""
    proc = subprocess.Popen([sys.executable, "-m", "natostance", "annotate", "server", "--data-dir", str(data),
                             "--port", str(port), *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "press Ctrl-C" in line or line.startswith("error:"):
            break
    out = "".join(lines)
    pid = re.search(r"\(pid (\d+),", out)
    return proc, out, int(pid.group(1)) if pid else 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def _command_lines(*roots: int) -> list[str]:
    """The command lines (as ``ps`` shows them) of ``roots`` and all their descendants: this test's processes,
    not other servers on a shared machine."""
    parent, cmd = {}, {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                parent[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
                cmd[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except (OSError, IndexError, ValueError):
                pass
    tree, grew = set(roots), True
    while grew:
        new = {pid for pid, pp in parent.items() if pp in tree} - tree
        tree |= new
        grew = bool(new)
    return [cmd[p] for p in sorted(tree) if p in cmd]


pytestmark = pytest.mark.server


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_to_the_wrapper_stops_label_studio_and_no_secret_is_on_a_command_line(ls_server, tmp_path, sig):
    data, token = _data_dir(tmp_path)
    port = S.free_port()
    proc, out, ls_pid = _wrapper(data, port)
    try:
        assert f"Label Studio is up at http://127.0.0.1:{port}" in out, out
        assert ls_pid and _alive(ls_pid) and S.healthy(f"http://127.0.0.1:{port}")
        assert token not in out and S.TEMPLATE_PASSWORD not in out
        lines = _command_lines(proc.pid, ls_pid)
        assert len(lines) >= 2 and any("label-studio start" in c for c in lines), lines
        leaked = [c for c in lines if token in c or S.TEMPLATE_PASSWORD in c]
        assert leaked == [], leaked
        os.kill(proc.pid, sig)  # the wrapper only, not its group: it must take Label Studio down itself
        assert proc.wait(40) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()
    assert f"{sig.name}: stopping Label Studio" in rest
    t0 = time.monotonic()
    while _alive(ls_pid) and time.monotonic() - t0 < 10:
        time.sleep(0.1)
    assert not _alive(ls_pid) and not S.healthy(f"http://127.0.0.1:{port}", timeout=1)


def test_when_label_studio_dies_the_wrapper_says_so_and_exits_non_zero(ls_server, tmp_path):
    data, _ = _data_dir(tmp_path)
    proc, out, ls_pid = _wrapper(data, S.free_port())
    try:
        assert ls_pid, out
        os.kill(ls_pid, signal.SIGKILL)
        assert proc.wait(30) == 1
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()
    assert f"error: Label Studio (pid {ls_pid}) exited on its own with code -9" in rest, rest


def test_a_busy_port_is_a_clear_error_never_another_port(ls_server, tmp_path):
    data, _ = _data_dir(tmp_path)
    taken = int(ls_server.url.rsplit(":", 1)[1])  # another Label Studio holds it
    proc, out, _ = _wrapper(data, taken)
    assert proc.wait(30) == 1
    out += proc.stdout.read()
    assert f"error: port {taken} on 127.0.0.1 is already in use" in out and "is up at" not in out, out
    with socket.socket() as other:  # any program, not only a Label Studio
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(NatoStanceError, match=f"port {port} on 127.0.0.1 is already in use"):
            S.start(data, token="x" * 20, password="y" * 12, port=port)


def test_serving_beyond_loopback_needs_a_flag_and_warns(tmp_path):
    res = CliRunner().invoke(cli, ["annotate", "server", "--data-dir", str(tmp_path), "--bind", "0.0.0.0"])
    assert res.exit_code == 1 and "error: --bind 0.0.0.0 would serve beyond this machine; add --allow-remote" \
        in res.output
    from natostance.annotate.labelstudio.serve import check_bind

    warning = check_bind("0.0.0.0", allow_remote=True)
    assert warning and all(line.startswith("WARNING:") for line in warning) and "no TLS" in " ".join(warning)
    assert check_bind("127.0.0.1", allow_remote=False) == []


def _silent_server() -> tuple[socket.socket, list]:
    """A server that accepts connections and never answers (a hung Label Studio)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    held: list = []
    threading.Thread(target=lambda: [held.append(sock.accept()) for _ in range(8)], daemon=True).start()
    return sock, held


def test_a_hung_server_times_out_with_one_clear_line(monkeypatch):
    sock, _held = _silent_server()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setenv("LABEL_STUDIO_URL", url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "secret-token-value")
    monkeypatch.setenv("NATOSTANCE_LS_TIMEOUT", "2")
    t0 = time.monotonic()
    res = CliRunner().invoke(cli, ["annotate", "pull", "--round", "hung"])
    took = time.monotonic() - t0
    sock.close()
    assert res.exit_code == 1 and took < 20
    assert res.output.strip().splitlines() == [
        f"error: Label Studio at {url} accepted the connection but did not answer within 2 s while listing users; "
        "is the server hung or overloaded? (NATOSTANCE_LS_TIMEOUT=<seconds> waits longer)"]
    monkeypatch.setenv("NATOSTANCE_LS_TIMEOUT", "soon")
    with pytest.raises(NatoStanceError, match="NATOSTANCE_LS_TIMEOUT: expected a number of seconds > 0, found 'soon'"):
        Client()


def test_server_text_quoted_in_errors_is_redacted():
    key = "0123456789abcdef0123"
    body = (f'{{"detail": "bad request", "echo": {{"Authorization": "Token {key}", "api_key": "{key}"}}, '
            '"refresh": "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.c2lnbmF0dXJl", "note": "Bearer abcdefgh12345"}')
    out = redact(body, key)
    assert key not in out and "eyJ" not in out and "abcdefgh12345" not in out
    assert '"detail": "bad request"' in out and out.count("[redacted]") == 4
