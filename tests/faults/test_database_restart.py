"""PostgreSQL restarted under load: a real gunicorn keeps serving a stream of acknowledged writes
(documents numbered in the register) while its database is restarted (`pg_ctl restart -m fast`).
Errors come only from requests that overlapped the restart; every request sent after it
succeeds, with the same gunicorn worker, never restarted; every write that was acknowledged is
in the database, and the register's numbers run 1..n with none skipped or doubled.

Then PostgreSQL is restarted again while the server is idle: gunicorn keeps its connections
(DB_CONN_MAX_AGE=60, as a production server would), and the first request after it must not
fail on the dead one: Django's health check (CONN_HEALTH_CHECKS) replaces it first.

The database is a private throwaway cluster in a temporary folder, never the machine's (the rest
of the suite runs on it), holding a copy of the migrated test database. Run with CI's
PostgreSQL run of the suite."""

import datetime
import threading
import time

import psycopg
import pytest
import requests
from django.db import connection

from dangvu.orgs import services as org_services

from .processes import AppServer, PrivateCluster, csrf, db_params, login, server_password, wait_for

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="run in the PostgreSQL run of the suite"),
              pytest.mark.django_db(transaction=True)]  # committed: copied into the private cluster

BEFORE, AFTER = 8, 8  # acknowledged writes before the restart, and after it


class Load:
    """One client posting documents one after another, each answer recorded as
    (sent, answered, document id when acknowledged, what came back)."""

    def __init__(self, client: requests.Session, url: str, form: dict):
        self.client, self.url, self.form = client, url, form
        self.results: list[tuple[float, float, int | None, str]] = []
        self.stopping, self.going, self.idle = threading.Event(), threading.Event(), threading.Event()
        self.going.set()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def pause(self) -> None:
        """No request in flight until `resume()`: the server's connection to the database sits idle."""
        self.going.clear()
        assert wait_for(self.idle.is_set)

    def resume(self) -> None:
        self.going.set()

    def run(self) -> None:
        while not self.stopping.is_set():
            if not self.going.is_set():
                self.idle.set()
                self.going.wait(0.1)
                continue
            self.idle.clear()
            sent = time.monotonic()
            try:
                answer = self.client.post(self.url, data={**csrf(self.client), **self.form}, allow_redirects=False,
                                          timeout=15)
                where = answer.headers.get("Location", "")
                acked = int(where.split("/")[2]) if answer.status_code == 302 and where.startswith("/documents/") \
                    else None
                seen = f"{answer.status_code} {where}"
            except requests.RequestException as exc:
                acked, seen = None, repr(exc)
            self.results.append((sent, time.monotonic(), acked, seen))

    def acknowledged(self, sent_after: float = 0.0) -> list[int]:
        return [pk for sent, _answered, pk, _seen in self.results if pk is not None and sent > sent_after]


def test_the_app_rides_out_a_database_restart_and_loses_nothing_acknowledged(org, tmp_path):
    cluster = PrivateCluster()
    if (why := cluster.unavailable()) is not None:
        pytest.skip(why)
    committee = org_services.unit_update(actor=None, unit=org.G, symbol="ĐUK")
    org_services.term_create(actor=None, unit=committee, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    server_password(org.users["off"], "x-off")
    unit_id = committee.pk
    with cluster:
        cluster.copy_of(db_params())  # the migrated test database, with the committee and its office
        env = cluster.env(tmp_path, DB_CONN_MAX_AGE=60)
        with AppServer(tmp_path, **env) as server:
            worker = server.worker_pid()
            client = login(server.url, "off", "x-off")
            load = Load(client, f"{server.url}/units/{unit_id}/documents/new/",
                        {"direction": "issued", "doc_type": "CV", "issued_on": "01/12/2025", "summary": "Về việc thử"})
            load.thread.start()
            try:
                assert wait_for(lambda: len(load.acknowledged()) >= BEFORE), load.results[-3:]
                down = time.monotonic()
                cluster.restart()  # under load: requests in flight or sent meanwhile may fail
                up = time.monotonic()
                assert wait_for(lambda: len(load.acknowledged(sent_after=up)) >= AFTER), load.results[-3:]
                load.pause()
                cluster.restart()  # while the server's kept connection sits idle: nobody notices it broke
                resumed = time.monotonic()
                load.resume()
                assert wait_for(lambda: len(load.acknowledged(sent_after=resumed)) >= AFTER), load.results[-3:]
            finally:
                load.stopping.set()
                load.thread.join(20)
            assert server.worker_pid() == worker  # the same gunicorn worker served on: nothing restarted it
            log = server.log_tail()
        with psycopg.connect(**cluster.params()) as db:
            stored = dict(db.execute("SELECT id, number FROM documents_document").fetchall())

    acknowledged = load.acknowledged()
    assert set(acknowledged) <= set(stored), "an acknowledged write was lost"
    assert len(acknowledged) == len(set(acknowledged))  # no id given twice
    assert sorted(stored.values()) == list(range(1, len(stored) + 1))  # numbers 1..n: none skipped, none doubled
    failed = [(sent, answered, seen) for sent, answered, pk, seen in load.results if pk is None]
    assert all(sent <= up and answered >= down for sent, answered, _seen in failed), (failed, down, up, log)
    # after a restart every request succeeds: even the first to use the connection kept from before
    # the idle restart, which Django's health check replaces (CONN_HEALTH_CHECKS)
    assert all(pk is not None for sent, _answered, pk, _seen in load.results if sent > up), (failed, log)
    assert len(acknowledged) >= BEFORE + 2 * AFTER
