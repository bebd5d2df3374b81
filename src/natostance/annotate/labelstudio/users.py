"""Annotator accounts: ``natostance annotate users add EMAIL...``.

Label Studio Community creates users through its API without a usable password (they cannot log in), so
each account is made the way a person would make it: the sign-up form, opened with the organisation's
invite token (our servers accept sign-ups only with it; ``Client.sign_up``). The password is generated here, written to a
mode-600 file for the lead to hand over, and never printed. Every account is then checked by logging in
with it. An e-mail that already has an account is left as it is.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from natostance.errors import InputError, NatoStanceError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Account:
    email: str
    created: bool            # False: the e-mail had an account already (left unchanged)
    user_id: int
    login_url: str
    password: str | None = None  # only for accounts created now


def add_users(client, emails: list[str], public_url: str | None = None) -> list[Account]:
    """Create a log-in account for every e-mail that has none; return one ``Account`` per e-mail."""
    bad = [e for e in emails if not EMAIL.match(e)]
    if bad:
        raise InputError("users add", f"expected e-mail addresses, found {', '.join(map(repr, bad))}")
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


def write_logins(path: str | Path, accounts: list[Account]) -> Path | None:
    """Append the new accounts' logins (e-mail, password, login page) to a mode-600 file; None if none."""
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
