"""Pages read from a replica when one is configured (DATABASE_REPLICA_URL), and a user's pages
read the primary right after their own write, on whichever application server answers (the pin
is in the shared cache). Two gunicorn processes on the test's PostgreSQL; the "replica" is the
same database under a second connection, so what is proved is the routing, read from each
request's log line ("reads"), and that every page answers alike. PostgreSQL only."""

import json

import pytest
import requests
from django.db import connection
from django.test import Client, override_settings

from tests.faults.processes import SECRET, AppServer, csrf, db_params

REDIS = "redis://127.0.0.1:6379/12"

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database other processes can see")


@pytest.fixture
def servers(transactional_db, org, tmp_path):
    db = db_params()
    replica = f"postgres://{db['user']}@{db['host']}:{db['port']}/{db['dbname']}"
    import redis

    redis.Redis.from_url(REDIS).flushdb()  # no pin left by an earlier run (user ids repeat)
    shared = {"REDIS_URL": REDIS, "MEDIA_ROOT": tmp_path / "media", "FIGURE_DELAY": 0,
              "DATABASE_REPLICA_URL": replica, "REPLICA_PIN_SECONDS": 600, "REQUEST_LOG": 1,
              "PYTHONUNBUFFERED": 1}  # each log line on disk as it is written
    with AppServer(tmp_path / "a", **shared) as a, AppServer(tmp_path / "b", **shared) as b:
        yield a, b


def signed_in(user) -> requests.Session:
    """A browser whose user signed in earlier (no write of theirs in this test yet)."""
    django_client = Client()
    with override_settings(SECRET_KEY=SECRET):  # the servers' key signs the session
        django_client.force_login(user)
    browser = requests.Session()
    browser.cookies.set("sessionid", django_client.cookies["sessionid"].value)
    return browser


def reads(server, route: str, user_id: int) -> list[tuple[str, str]]:
    """(method, database read) of each logged request of this user on this route, in order."""
    lines = [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith('{"at"')]
    return [(line["method"], line["reads"]) for line in lines if line["route"] == route and line["user"] == user_id]


def test_pages_read_the_replica_but_a_users_own_write_is_read_back_from_the_primary(servers, org):
    a, b = servers
    officer, secretary = org.users["off"], org.users["sec"]
    browser = signed_in(officer)
    assert browser.get(f"{a.url}/units/{org.G.pk}/", timeout=30, allow_redirects=False).status_code == 200
    tokens = browser.get(f"{a.url}/account/tokens/", timeout=30, allow_redirects=False)
    assert tokens.status_code == 200 and "Đọc sổ sách" not in tokens.text
    assert reads(a, "units/<int:pk>/", officer.pk) == [("GET", "replica")]

    # the officer's write, on server A; what they open next, on server B, reads the primary
    made = browser.post(f"{a.url}/account/tokens/", timeout=30,
                        data={**csrf(browser), "name": "Đọc sổ sách", "scope": "read", "days": "30"})
    assert made.status_code == 200 and "Đọc sổ sách" in made.text
    listed = browser.get(f"{b.url}/account/tokens/", timeout=30, allow_redirects=False)
    assert listed.status_code == 200 and "Đọc sổ sách" in listed.text
    assert reads(a, "account/tokens/", officer.pk) == [("GET", "replica"), ("POST", "primary")]
    assert reads(b, "account/tokens/", officer.pk) == [("GET", "primary")]

    # someone else's pages still read the replica
    other = signed_in(secretary)
    assert other.get(f"{b.url}/units/{org.A.pk}/", timeout=30, allow_redirects=False).status_code == 200
    assert reads(b, "units/<int:pk>/", secretary.pk) == [("GET", "replica")]

    # an API call is judged by its token inside the view: it reads the primary
    from dangvu.accounts.services import token_create

    _token, secret = token_create(user=secretary, name="Kịch bản", scope="read", days=30)
    answer = requests.get(f"{b.url}/api/units/{org.A.pk}", headers={"Authorization": f"Bearer {secret}"}, timeout=30)
    assert answer.status_code == 200 and answer.json()["id"] == org.A.pk
    assert reads(b, "api/units/<unit_id>", secretary.pk) == [("GET", "primary")]
