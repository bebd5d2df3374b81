"""The only module that talks to a Label Studio server (through ``label-studio-sdk``).

Everything else in ``natostance.annotate`` is pure functions over tasks and records. Every failure
becomes one ``NatoStanceError`` line that names the server URL and what was being done; the API key
is read from the environment only and never appears in a message, a log or a repr: server text quoted
in a message goes through ``redact`` first (a server may echo the Authorization header). Every request
has a connect timeout (10 s) and a read timeout (``NATOSTANCE_LS_TIMEOUT`` seconds, default 120), so a
server that accepts connections but never answers ends in one clear line, not a hang.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from typing import Any

from natostance.errors import NatoStanceError

URL_ENV, KEY_ENV, TIMEOUT_ENV = "LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY", "NATOSTANCE_LS_TIMEOUT"
CONNECT_TIMEOUT, READ_TIMEOUT = 10.0, 120.0
# credentials a server might echo back: auth headers, token/password/key fields, JWTs
_SECRETS = re.compile(r"(?i)((?:token|bearer|basic)\s+)[A-Za-z0-9._~+/=-]{6,}"
                      r"|(\"?(?:authorization|api[_-]?key|token|access|refresh|password|secret)\"?\s*[:=]\s*\"?)[^\s\",}]{6,}"
                      r"|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def redact(text: str, *secrets: str | None) -> str:
    """``text`` with the given secrets and anything that looks like a credential replaced by ``[redacted]``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _SECRETS.sub(lambda m: (m.group(1) or m.group(2) or "") + "[redacted]", text)


def read_timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV)
    if raw is None:
        return READ_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise NatoStanceError(f"{TIMEOUT_ENV}: expected a number of seconds > 0, found {raw!r}")
    return value


class Client:
    """A connection to one Label Studio server: ``Client()`` reads ``LABEL_STUDIO_URL``/``_API_KEY``."""

    def __init__(self, url: str | None = None, api_key: str | None = None, timeout: float | None = None):
        self.url = (url or os.environ.get(URL_ENV) or "").rstrip("/")
        key = api_key or os.environ.get(KEY_ENV)
        self.timeout = timeout or read_timeout()
        if not self.url:
            raise NatoStanceError(f"no Label Studio server: set {URL_ENV} (e.g. http://127.0.0.1:8080) "
                                  "or start one with `natostance annotate server`")
        if not key:
            raise NatoStanceError(f"no API key for {self.url}: set {KEY_ENV} (Account & Settings "
                                  "-> Access token in the Label Studio UI)")
        import httpx
        from label_studio_sdk import LabelStudio  # the optional [annotation] extra

        self._key = key
        self._limits = httpx.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout))
        # no automatic retries: a retried import whose first try reached the server duplicates tasks
        self.sdk = LabelStudio(base_url=self.url, api_key=key, httpx_client=httpx.Client(timeout=self._limits),
                               max_retries=0)
        self._http = self.sdk._client_wrapper.httpx_client  # SDK transport + auth, for bulk calls

    def __repr__(self) -> str:
        return f"Client(url={self.url!r})"

    @contextmanager
    def _calling(self, what: str):
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        try:
            yield
        except httpx.ConnectTimeout:
            raise NatoStanceError(f"cannot reach Label Studio at {self.url} while {what}: no connection within "
                                  f"{min(CONNECT_TIMEOUT, self.timeout):.0f} s; is the server running and "
                                  f"{URL_ENV} right?") from None
        except httpx.TimeoutException:
            raise NatoStanceError(f"Label Studio at {self.url} accepted the connection but did not answer within "
                                  f"{self.timeout:.0f} s while {what}; is the server hung or overloaded? "
                                  f"({TIMEOUT_ENV}=<seconds> waits longer)") from None
        except httpx.TransportError as exc:
            raise NatoStanceError(f"cannot reach Label Studio at {self.url} while {what}: "
                                  f"{type(exc).__name__}: {redact(str(exc), self._key) or 'no answer'}; is the "
                                  f"server running and {URL_ENV} right?") from None
        except ApiError as exc:
            if exc.status_code in (401, 403):
                raise NatoStanceError(f"Label Studio at {self.url} rejected the API key in {KEY_ENV} "
                                      f"(HTTP {exc.status_code}) while {what}") from None
            body = exc.body if isinstance(exc.body, str) else json.dumps(exc.body, default=str)
            if body.lstrip().startswith("<"):
                raise NatoStanceError(f"{self.url} answered HTTP {exc.status_code} with an HTML page while "
                                      f"{what}: not the Label Studio API; is {URL_ENV} right?") from None
            raise NatoStanceError(f"Label Studio at {self.url} answered HTTP {exc.status_code} while "
                                  f"{what}: {redact(body, self._key)[:300]}") from None

    def _raw(self, method: str, path: str, what: str, **kw) -> Any:
        from label_studio_sdk.core.api_error import ApiError

        with self._calling(what):
            resp = self._http.request(path, method=method, **kw)
            if resp.status_code >= 400:
                try:
                    body = resp.json()
                except ValueError:
                    body = resp.text
                raise ApiError(status_code=resp.status_code, body=body)
            return resp

    # --- who and what -------------------------------------------------------------------------
    def whoami(self) -> dict:
        return self._raw("GET", "api/current-user/whoami", "checking the API key").json()

    def users(self) -> dict[int, str]:
        """User id -> email (``completed_by`` in exports is the id)."""
        with self._calling("listing users"):
            return {u.id: u.email or u.username or str(u.id) for u in self.sdk.users.list()}

    def invite_token(self) -> str:
        """The organisation's invite token (the only way to sign up on servers this package starts)."""
        return self._raw("GET", "api/invite", "reading the invite link").json()["token"]

    def _form(self, page: str, data: dict | None = None) -> tuple[int, str, str]:
        """GET a Django form page in a fresh session (no API key), then POST ``data`` to it with its CSRF token;
        return (status, Location header, body) of the last request."""
        import httpx

        url, shown = f"{self.url}/{page}", page.split("?")[0]  # the invite token stays out of messages
        with self._calling(f"opening {shown}"), httpx.Client(timeout=self._limits, follow_redirects=False) as http:
            resp = http.get(url)
            if resp.status_code >= 400:
                raise NatoStanceError(f"Label Studio at {self.url} answered HTTP {resp.status_code} while opening "
                                      f"{shown}")
            if data is not None:
                resp = http.post(url, data={**data, "csrfmiddlewaretoken": http.cookies.get("csrftoken")},
                                 headers={"Referer": url})
            return resp.status_code, resp.headers.get("location", ""), resp.text

    def sign_up(self, email: str, password: str) -> tuple[int, str]:
        """Sign up through the form with the invite token, as a person would; (status, body): 302 is success."""
        status, _, body = self._form(f"user/signup/?token={self.invite_token()}",
                                     {"email": email, "password": password, "allow_newsletters": ""})
        return status, body

    def can_log_in(self, email: str, password: str) -> bool:
        """Log in through the login form; True when the server lets that e-mail and password in."""
        status, location, _ = self._form("user/login/", {"email": email, "password": password})
        return status == 302 and "/user/login" not in location

    def create_user(self, email: str) -> int:
        with self._calling(f"creating user {email}"):
            return self.sdk.users.create(email=email, username=email).id

    # --- projects -------------------------------------------------------------------------------
    def find_project(self, title: str) -> dict | None:
        with self._calling(f"looking up project {title!r}"):
            found = [p for p in self.sdk.projects.list(title=title) if p.title == title]
        return self.project(found[0].id) if found else None

    def project(self, project_id: int) -> dict:
        return self._raw("GET", f"api/projects/{project_id}", f"reading project {project_id}").json()

    def create_project(self, title: str, label_config: str, **settings) -> dict:
        with self._calling(f"creating project {title!r}"):
            p = self.sdk.projects.create(title=title, label_config=label_config, **settings)
        return self.project(p.id)

    def update_project(self, project_id: int, **settings) -> None:
        with self._calling(f"updating project {project_id}"):
            self.sdk.projects.update(id=project_id, **settings)

    # --- tasks ----------------------------------------------------------------------------------
    def task_units(self, project_id: int, key: str, page_size: int = 5000) -> dict[str, int]:
        """Unit id (``data[key]``) -> task id for every task already in the project."""
        units: dict[str, int] = {}
        page = 1
        while True:
            resp = self._raw("GET", "api/tasks", f"listing tasks of project {project_id}",
                             params={"project": project_id, "fields": "task_only", "page": page,
                                     "page_size": page_size})
            body = resp.json()
            rows = body.get("tasks", []) if isinstance(body, dict) else body
            for t in rows:
                if key in t.get("data", {}):
                    units[t["data"][key]] = t["id"]
            total = body.get("total", len(units)) if isinstance(body, dict) else len(units)
            if not rows or page * page_size >= total:
                return units
            page += 1

    def import_tasks(self, project_id: int, tasks: list[dict]) -> dict:
        """Import tasks (with predictions/annotations) in one request; return the server's counts."""
        resp = self._raw("POST", f"api/projects/{project_id}/import",
                         f"importing {len(tasks)} tasks into project {project_id}", json=tasks)
        return resp.json()

    def create_annotation(self, task_id: int, result: list[dict], completed_by: int | None = None,
                          **extra) -> int:
        with self._calling(f"annotating task {task_id}"):
            return self.sdk.annotations.create(id=task_id, result=result, completed_by=completed_by,
                                               **extra).id

    def export(self, project_id: int) -> bytes:
        """The full JSON export (every task, annotated or not) as the server sent it."""
        resp = self._raw("GET", f"api/projects/{project_id}/export",
                         f"exporting project {project_id}",
                         params={"exportType": "JSON", "download_all_tasks": "true"})
        return resp.content
