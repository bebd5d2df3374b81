"""Annotator accounts: ``natostance annotate users add EMAIL...``.

Label Studio Community creates users through its API without a usable password (they cannot log in), so
each account is made the way a person would make it: the sign-up form, opened with the organisation's
invite token (our servers accept sign-ups only with it; ``Client.sign_up``). The password is generated here, written to a
mode-600 file for the lead to hand over, and never printed. Every account is then checked by logging in
with it. An e-mail that already has an account is left as it is; ``reset_passwords`` gives such an account
(one made through the API, as ``submit-pass`` makes them, has no usable password) a new password, through
Label Studio's own ``reset_password`` command run on the server's data folder.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from natostance.errors import InputError, NatoStanceError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
RESET_TIMEOUT = 300  # seconds for `label-studio reset_password` (it checks the database migrations first)


@dataclass
class Account:
    email: str
    created: bool            # False: the e-mail had an account already (left unchanged); True: a new password
    user_id: int
    login_url: str
    password: str | None = None  # only for accounts created (or given a new password) now


def _check_emails(emails: list[str], verb: str) -> None:
    if bad := [e for e in emails if not EMAIL.match(e)]:
        raise InputError(verb, f"expected e-mail addresses, found {', '.join(map(repr, bad))}")


def add_users(client, emails: list[str], public_url: str | None = None) -> list[Account]:
    """Create a log-in account for every e-mail that has none; return one ``Account`` per e-mail."""
    _check_emails(emails, "users add")
    known = {email.lower(): uid for uid, email in client.users().items()}
    shown = (public_url or client.url).rstrip("/")
    out = []
    for email in dict.fromkeys(e.lower() for e in emails):
        if email in known:
            out.append(Account(email, False, known[email], f"{shown}/user/login/"))
            continue
        password = secrets.token_urlsafe(12)
        status, body = client.sign_up(email, password)
        if status != 302:
            found = re.findall(r'class="[^"]*(?:error|field_errors)[^"]*"[^>]*>\s*([^<]{3,200})', body)
            raise NatoStanceError(f"{client.url}: sign-up of {email} failed (HTTP {status}"
                                  + (f": {found[0].strip()}" if found else "") + ")")
        if not client.can_log_in(email, password):
            raise NatoStanceError(f"{client.url}: the account of {email} was created but logging in with it failed")
        uid = {e.lower(): i for i, e in client.users().items()}[email]
        out.append(Account(email, True, uid, f"{shown}/user/login/", password))
    return out


def reset_passwords(client, emails: list[str], data_dir: str | Path, public_url: str | None = None,
                    home: Path | None = None) -> list[Account]:
    """A new password for each e-mail's existing account, set by ``label-studio reset_password`` on the server's
    data folder (the server is the one ``client`` talks to; it may keep running). The password reaches the
    command on its standard input (it has no terminal: a new session), never on a command line. Each account
    is then checked by logging in with it."""
    from natostance.annotate.labelstudio import server as S

    _check_emails(emails, "users reset")
    data_dir = Path(data_dir).resolve()
    if not (data_dir / "label_studio.sqlite3").is_file():
        raise InputError(str(data_dir), "not a Label Studio data folder (no label_studio.sqlite3): give the "
                         "--data-dir the server was started with")
    known = {email.lower(): uid for uid, email in client.users().items()}
    if missing := [e for e in dict.fromkeys(e.lower() for e in emails) if e not in known]:
        raise InputError("users reset", f"no account for {', '.join(missing)} on {client.url} (create it with "
                         "`natostance annotate users add`)")
    env = {**os.environ, **S.QUIET_ENV, "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir)}
    shown = (public_url or client.url).rstrip("/")
    out = []
    for email in dict.fromkeys(e.lower() for e in emails):
        password = secrets.token_urlsafe(12)
        try:
            done = subprocess.run([str(S.executable(home)), "reset_password", "--username", email], check=False,
                                  input=password + "\n", env=env, cwd=data_dir, capture_output=True, text=True,
                                  start_new_session=True, timeout=RESET_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise NatoStanceError(f"{data_dir}: label-studio reset_password for {email} did not finish within "
                                  f"{RESET_TIMEOUT} s") from None
        if done.returncode or "Password successfully changed" not in done.stdout:
            tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-3:])
            raise NatoStanceError(f"{data_dir}: label-studio reset_password for {email} failed: {tail}")
        if not client.can_log_in(email, password):
            raise NatoStanceError(f"{client.url}: the password of {email} was reset in {data_dir} but logging in "
                                  "with it failed (is that folder this server's data?)")
        out.append(Account(email, True, known[email], f"{shown}/user/login/", password))
    return out


def write_logins(path: str | Path, accounts: list[Account]) -> Path | None:
    """Append the new passwords' logins (e-mail, password, login page) to a mode-600 file; None if none."""
    new = [a for a in accounts if a.created]
    if not new:
        return None
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        for a in new:
            fh.write(f"{a.email}\t{a.password}\t{a.login_url}\n")
    return path
