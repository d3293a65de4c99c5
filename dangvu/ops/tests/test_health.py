"""/healthz: what a monitor gets with everything well, and with each part failing."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.utils import timezone

from dangvu.jobs.beat import Pulse, beat_once
from dangvu.jobs.models import WorkerBeat

ALL_OK = {"database": "ok", "cache": "ok", "worker": "ok", "disk": "ok"}


@pytest.fixture
def worker_beating(db):
    beat_once("test-host:1", timezone.now())


def test_everything_well_is_200_for_anyone(client, worker_beating):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == ALL_OK  # nothing else disclosed
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_no_worker_heard_from_lately_is_503_naming_the_worker(client, db, settings):
    WorkerBeat.objects.create(name="old-host:7", seen=timezone.now() - datetime.timedelta(seconds=31),
                              started=timezone.now() - datetime.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {**ALL_OK, "worker": "no worker heard from in 30 s"}


def test_a_disk_below_the_upload_threshold_is_503(client, worker_beating, settings):
    settings.UPLOAD_MIN_FREE_MB = 10**9  # a petabyte: no disk here has it
    body = json.loads(client.get("/healthz").content)
    assert body["disk"].endswith("MB free, below 1000000000 MB") and body["worker"] == "ok"


def test_a_cache_that_cannot_be_reached_is_503(client, worker_beating, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503 and json.loads(response.content) == {**ALL_OK, "cache": "unreachable"}


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="a second thread writing SQLite's shared in-memory test database locks its tables")
def test_a_workers_pulse_writes_its_row_and_removes_it_on_a_clean_stop(transactional_db, settings):
    settings.WORKER_BEAT_SECONDS = 60
    pulse = Pulse().start()
    deadline = timezone.now() + datetime.timedelta(seconds=20)
    while not WorkerBeat.objects.filter(name=pulse.name).exists() and timezone.now() < deadline:
        pass
    assert list(WorkerBeat.objects.values_list("name", flat=True)) == [pulse.name]
    pulse.stop()
    assert WorkerBeat.objects.count() == 0


@pytest.mark.parametrize("loopback", [False, True])
def test_the_deploy_check_is_clean_only_where_plain_http_is_honest(loopback):
    """make serve on 127.0.0.1 says so (PLAIN_HTTP_ON_LOOPBACK); anywhere else the four HTTPS
    checks still fire until SECURE_COOKIES=1 (test_hardening runs that case)."""
    env = dict(os.environ, DEBUG="0", SECRET_KEY="k" * 20 + "-Xy9#pQ" * 8, SECURE_COOKIES="0")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if loopback:
        env["PLAIN_HTTP_ON_LOOPBACK"] = "1"
    done = subprocess.run([sys.executable, "-m", "dangvu", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=120)
    fired = {w for w in ("W004", "W008", "W012", "W016") if f"security.{w}" in done.stdout + done.stderr}
    assert (done.returncode, fired) == ((0, set()) if loopback else (1, {"W004", "W008", "W012", "W016"}))
