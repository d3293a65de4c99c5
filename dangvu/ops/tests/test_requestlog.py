"""One JSON line per request without personal data; slow requests and server errors kept for
the operations page, which only superusers open."""

import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dangvu.jobs.models import Job
from dangvu.ops.models import RequestRecord


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="dangvu.request")
    return lambda: [json.loads(r.getMessage()) for r in caplog.records if r.name == "dangvu.request"]


def test_one_line_per_request_with_route_ids_and_no_query_or_names(client, org, lines):
    client.force_login(org.users["sec"])
    response = client.get(f"/units/{org.A.pk}/members/?q=Trần Thị Bình")
    assert response.status_code == 200
    [line] = lines()
    assert set(line) == {"at", "method", "route", "id", "status", "ms", "user", "unit"}
    assert (line["method"], line["route"], line["id"], line["status"], line["user"], line["unit"]) == (
        "GET", "units/<int:pk>/members/", org.A.pk, 200, org.users["sec"].pk, org.A.pk)
    assert "Bình" not in json.dumps(line, ensure_ascii=False) and "q=" not in json.dumps(line)


def test_requests_slower_than_the_threshold_are_kept(client, org, settings):
    settings.SLOW_REQUEST_MS = 0
    client.force_login(org.users["sec"])
    client.get(f"/units/{org.A.pk}/")
    client.get("/healthz")  # probes are never "slow requests"
    [kept] = RequestRecord.objects.all()
    assert (kept.kind, kept.route, kept.object_id, kept.status, kept.user_id) == (
        "slow", "units/<int:pk>/", org.A.pk, 200, org.users["sec"].pk)


def test_a_server_error_is_kept_with_where_not_what(client, org, settings):
    settings.ROOT_URLCONF = "dangvu.ops.tests.urls_failing"
    client.raise_request_exception = False
    client.force_login(org.users["sec"])
    assert client.get(f"/units/{org.A.pk}/breaks/").status_code == 500
    [kept] = RequestRecord.objects.filter(kind="error")
    assert kept.route == "units/<int:pk>/breaks/" and kept.object_id == org.A.pk
    assert kept.error == "RuntimeError ops/tests/urls_failing.py:9"  # the message named a member: not kept


def test_records_are_pruned_to_the_last_kept(client, org, settings):
    settings.SLOW_REQUEST_MS, settings.REQUEST_RECORDS_KEPT = 0, 3
    from dangvu.ops import requestlog

    requestlog.PRUNE_EVERY = 1
    try:
        for _ in range(5):
            client.get("/login/")
    finally:
        requestlog.PRUNE_EVERY = 100
    assert RequestRecord.objects.filter(kind="slow").count() == 3


def test_the_operations_page_is_for_superusers_only(client, org):
    Job.objects.create(kind="reports.build", subject_id=7, status=Job.Status.FAILED, error="Hết bộ nhớ",
                       finished=timezone.now())
    RequestRecord.objects.create(kind="error", at=timezone.now(), method="POST", route="essays/<int:pk>/",
                                 object_id=12, status=500, duration_ms=40, error="KeyError essays/views.py:88")
    client.force_login(org.users["off"])  # every key of a committee, not a superuser
    assert client.get("/ops/").status_code == 404
    root = get_user_model().objects.create_superuser("root", password="x-root")
    client.force_login(root)
    page = client.get("/ops/").content.decode()
    assert "reports.build #7" in page and "Hết bộ nhớ" in page and "KeyError essays/views.py:88" in page
