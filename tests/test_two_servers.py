"""One user's requests landing on two application servers (two gunicorn processes, as behind a
load balancer): the session, the login throttle and the kept figures are shared through
PostgreSQL and Redis, so every server answers alike. PostgreSQL only: the servers are other
processes and must see the test's database."""

import pytest
import requests
from django.db import connection
from django.test import override_settings

from conftest import make_member
from tests.faults.processes import AppServer, login, server_password

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database other processes can see")


@pytest.fixture
def servers(transactional_db, org, tmp_path):
    shared = {"REDIS_URL": "redis://127.0.0.1:6379/13", "MEDIA_ROOT": tmp_path / "media", "FIGURE_DELAY": 0,
              "FIGURE_RECOUNT": 0, "LOGIN_FAILURE_LIMIT": 5}
    for name in ("sec", "off"):
        server_password(org.users[name], "pw-" + name)
    with AppServer(tmp_path / "a", **shared) as a, AppServer(tmp_path / "b", **shared) as b:
        yield a, b


def members_total(client, server, unit) -> int:
    answer = client.get(f"{server.url}/api/units/{unit.pk}/figures", timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()["figures"]["members.total"]["value"]


def test_two_servers_answer_one_user_alike(servers, org):
    a, b = servers
    # a session opened on one server works on the other, and ends on both
    client = login(a.url, "sec", "pw-sec")
    page = client.get(f"{b.url}/units/{org.A.pk}/", timeout=30)
    assert page.status_code == 200 and org.A.name in page.text
    client.post(f"{b.url}/logout/", data={"csrfmiddlewaretoken": client.cookies["csrftoken"]}, timeout=30)
    assert client.get(f"{a.url}/units/{org.A.pk}/", allow_redirects=False, timeout=30).status_code == 302

    # a change shows in the figures of both, whichever counted them first
    officer = login(a.url, "off", "pw-off")
    assert (members_total(officer, a, org.G), members_total(officer, b, org.G)) == (4, 4)  # the fixture's four
    with override_settings(FIGURE_RECOUNT=False):
        make_member(org.B, "Đỗ Văn Giang")
    assert (members_total(officer, b, org.G), members_total(officer, a, org.G)) == (5, 5)

    # wrong passwords are counted across servers: the fifth, wherever it lands, locks the account
    answers = []
    for server in (a, b, a, b, b):
        attempt = requests.Session()
        token = attempt.get(server.url + "/login/", timeout=10).cookies["csrftoken"]
        answers.append(attempt.post(server.url + "/login/", allow_redirects=False, timeout=30, data={
            "csrfmiddlewaretoken": token, "username": "off", "password": "wrong"}).status_code)
    assert answers == [200, 200, 200, 200, 429]  # the form again four times, then refused
    for server in (a, b):  # the right password no longer opens it, on either server
        with pytest.raises(AssertionError, match="Nhập sai mật khẩu quá nhiều lần"):
            login(server.url, "off", "pw-off")
