"""Faults against the real server: wrong URL or token, stale config, server gone mid-push."""

import base64
import json

import pytest
from click.testing import CliRunner

from natostance.annotate.labelstudio import config as C
from natostance.annotate.labelstudio.client import Client
from natostance.annotate.labelstudio.push import ensure_project, project_title, push
from natostance.annotate.labelstudio.server import free_port, start_copy
from natostance.cli import cli
from natostance.errors import NatoStanceError

pytestmark = pytest.mark.server


def test_wrong_url_is_one_clear_line(monkeypatch):
    port = free_port()
    monkeypatch.setenv("LABEL_STUDIO_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "secret-token-value")
    res = CliRunner().invoke(cli, ["annotate", "pull", "--round", "nope"])
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot reach Label Studio at http://127.0.0.1:{port}")
    assert "secret-token-value" not in res.output and "Traceback" not in res.output


def test_wrong_token_is_one_clear_line_without_the_token(ls_server, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_URL", ls_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "0123456789abcdef-wrong")
    res = CliRunner().invoke(cli, ["annotate", "pull", "--round", "r1"])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        f"error: Label Studio at {ls_server.url} rejected the API key in LABEL_STUDIO_API_KEY (HTTP 401) "
        "while listing users"]
    assert "0123456789abcdef-wrong" not in repr(Client(ls_server.url, "0123456789abcdef-wrong"))
    # a personal access token (a JWT refresh token) that the server does not know
    b64 = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
    jwt = f"{b64({'alg': 'HS256'})}.{b64({'token_type': 'refresh', 'exp': 4102444800, 'user_id': 1})}.c2ln"
    with pytest.raises(NatoStanceError, match=r"rejected the API key in LABEL_STUDIO_API_KEY \(HTTP 401\)") as err:
        Client(ls_server.url, jwt).users()
    assert jwt not in str(err.value)


def test_a_url_that_is_not_the_api_says_so(ls_server):
    with pytest.raises(NatoStanceError, match=r"/not-here answered HTTP 404 with an HTML page while listing users: "
                                              r"not the Label Studio API; is LABEL_STUDIO_URL right\?"):
        Client(ls_server.url + "/not-here", ls_server.token).users()


def test_missing_settings_say_which_variable(monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    with pytest.raises(NatoStanceError, match="set LABEL_STUDIO_URL"):
        Client()
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    with pytest.raises(NatoStanceError, match="set LABEL_STUDIO_API_KEY"):
        Client()


def test_project_with_a_stale_config_is_refused_then_updated(client, rows):
    stale = C.render("sentences").replace('<Choice value="none"', '<Choice value="irrelevant"', 1)
    client.create_project(project_title("stale", "sentences"), stale)
    with pytest.raises(NatoStanceError, match=r"'natostance stale sentences' \(id \d+\) .* was made with another "
                                              r"labeling config than the one schemas/labels.schema.json generates now: "
                                              r"it was made with labels version 1, this push uses 1; stance_nato offers "
                                              r"favor, against, neutral, irrelevant in the project, favor, against, "
                                              r"neutral, none now\. A round's annotations share one config: push to a "
                                              r"new round"):
        push(rows, round_name="stale", kinds=["sentences"], client=client)
    ensure_project(client, "stale", "sentences", update_config=True)
    (res,) = push(rows, round_name="stale", kinds=["sentences"], client=client)
    assert res.imported == 5


class _DiesAfterOneBatch(Client):
    """A real client whose server is stopped right after the first batch went in."""

    def __init__(self, server):
        super().__init__(server.url, server.token)
        self.server, self.calls = server, 0

    def import_tasks(self, project_id, tasks):
        self.calls += 1
        if self.calls == 2:
            self.server.stop()
        return super().import_tasks(project_id, tasks)


def test_server_down_mid_push_then_the_next_push_resumes(rows, tmp_path):
    data = tmp_path / "ls"
    srv = start_copy(data)
    port = int(srv.url.rsplit(":", 1)[1])
    try:
        with pytest.raises(NatoStanceError) as err:
            push(rows, round_name="crash", kinds=["sentences"], batch_size=2, client=_DiesAfterOneBatch(srv))
        msg = str(err.value)
        assert msg.startswith("push to project 1 stopped after 2 of 5 new sentences tasks: cannot reach "
                              f"Label Studio at {srv.url}")
        assert "run push again" in msg
        srv = start_copy(data, port=port)  # restarted on the same data
        client = Client(srv.url, srv.token)
        (res,) = push(rows, round_name="crash", kinds=["sentences"], batch_size=2, client=client)
        assert (res.already, res.imported) == (2, 3)
        units = client.task_units(res.project_id, "sentence_id")
        assert sorted(units) == sorted(r["sentence_id"] for r in rows["sentences"])
        assert client.project(res.project_id)["task_number"] == 5
    finally:
        srv.stop()
