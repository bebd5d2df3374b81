"""``annotate users add``: accounts a person can log in with, passwords only in a mode-600 file."""

import json
import stat

import pytest
from click.testing import CliRunner

from natostance.cli import cli

pytestmark = pytest.mark.server


def test_users_add_creates_accounts_that_log_in_and_keeps_passwords_out_of_the_output(client, tmp_path):
    logins = tmp_path / "logins.txt"
    res = CliRunner().invoke(cli, ["annotate", "users", "add", "Ann1@Example.org", "ann2@example.org",
                                   "--logins", str(logins), "--public-url", "http://10.0.0.5:8080"])
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(logins.stat().st_mode) == 0o600
    rows = [line.split("\t") for line in logins.read_text().splitlines()]
    assert [r[0] for r in rows] == ["ann1@example.org", "ann2@example.org"]
    assert all(r[2] == "http://10.0.0.5:8080/user/login/" for r in rows)
    for email, password, _ in rows:
        assert password not in res.output
        assert client.can_log_in(email, password)
        assert not client.can_log_in(email, password + "x")
    assert f"ann1@example.org: created (user " in res.output and f"with the password in {logins}" in res.output
    again = CliRunner().invoke(cli, ["annotate", "users", "add", "ann1@example.org", "--logins", str(logins), "--json"])
    assert again.exit_code == 0, again.output
    assert [(a["email"], a["created"]) for a in json.loads(again.output)] == [("ann1@example.org", False)]
    assert len(logins.read_text().splitlines()) == 2  # nothing new to hand over


def test_sign_up_needs_the_invite_token_and_bad_emails_are_refused(client):
    status, _, _ = client._form("user/signup/", {"email": "intruder@example.org", "password": "pw-123456789"})
    assert status == 403
    assert "intruder@example.org" not in client.users().values()
    res = CliRunner().invoke(cli, ["annotate", "users", "add", "not-an-email"])
    assert res.exit_code == 1 and res.output == "error: users add: expected e-mail addresses, found 'not-an-email'\n"


def test_users_reset_gives_an_api_made_account_a_password_it_logs_in_with(client, ls_server, tmp_path):
    """An account made through the API (as `submit-pass` makes them) cannot log in; `users reset` fixes that
    through Label Studio's own reset_password on the server's data folder, the password never on a command line."""
    email = "apiuser@example.org"
    if email not in client.users().values():
        client.create_user(email)
    logins = tmp_path / "logins.txt"
    added = CliRunner().invoke(cli, ["annotate", "users", "add", email, "--logins", str(logins)])
    assert added.exit_code == 0 and "has an account already" in added.output and not logins.exists()
    res = CliRunner().invoke(cli, ["annotate", "users", "reset", email, "--data-dir", str(ls_server.data_dir),
                                   "--logins", str(logins)])
    assert res.exit_code == 0, res.output
    (row,) = [line.split("\t") for line in logins.read_text().splitlines()]
    assert row[0] == email and stat.S_IMODE(logins.stat().st_mode) == 0o600
    assert row[1] not in res.output and client.can_log_in(email, row[1])
    assert f"{email}: new password (user " in res.output
    unknown = CliRunner().invoke(cli, ["annotate", "users", "reset", "nobody@example.org", "--data-dir",
                                       str(ls_server.data_dir)])
    assert unknown.exit_code == 1 and "no account for nobody@example.org" in unknown.output
    wrong = CliRunner().invoke(cli, ["annotate", "users", "reset", email, "--data-dir", str(tmp_path)])
    assert wrong.exit_code == 1 and "not a Label Studio data folder" in wrong.output
