"""A central or provincial campaign's copy check runs on the configured Dask cluster, from the
same page with the same progress; a commune's runs here; an unreachable cluster fails the
check with a message the organiser can act on."""

import random

import pytest
from distributed import LocalCluster
from django.contrib.auth import get_user_model

from conftest import run_worker
from dangvu.accounts.models import Team
from dangvu.essays import services as essay_services
from dangvu.essays.models import IntegrityScan
from dangvu.essays.scanning import scan_campaign
from dangvu.integrity.synthetic import essay as synthetic_essay
from dangvu.lib.keys import FULL_KEYS
from dangvu.study import services

from .conftest import DAY, TODAY


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as running:
        yield running


def _steps_run(cluster) -> set[str]:
    """The kinds of task the cluster has run (the scheduler keeps their names)."""
    return set(cluster.scheduler.task_prefixes)


def _submit_copy(org, campaign):
    rng = random.Random(3)
    original = synthetic_essay(rng, 300)
    essay_services.essay_submit(actor=None, campaign=campaign, member=org.sec_member, text=original, today=TODAY)
    essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member,
                                text="Tôi xin trình bày. " + original[: len(original) * 2 // 3], today=TODAY)
    essay_services.essay_submit(actor=None, campaign=campaign, member=org.out_member, text=synthetic_essay(rng, 300),
                                today=TODAY)


@pytest.fixture
def province_office(org):
    user = get_user_model().objects.create_user(username="tinh", password="x-tinh")
    Team.objects.create(name="Ban Tuyên giáo Tỉnh ủy", unit=org.P, permissions=sorted(FULL_KEYS)).users.add(user)
    return user


@pytest.fixture
def provincial(org, studied_document):
    return services.campaign_create(
        actor=None, unit=org.P, title="Học tập Nghị quyết 57-NQ/TW", documents=[studied_document], units=[org.G],
        start=TODAY - 9 * DAY, end=TODAY + 51 * DAY, essay_required=True, essay_deadline=TODAY + 21 * DAY,
        min_words=60)


@pytest.mark.django_db(transaction=True)
def test_a_provincial_campaign_is_checked_on_the_cluster_from_its_page(client, org, provincial, province_office,
                                                                       cluster, settings):
    _submit_copy(org, provincial)
    here = scan_campaign(provincial)
    here = {"pairs": list(here["pairs"]), "clusters": here["clusters"], "thin": here["thin"]}
    settings.DASK_SCHEDULER = cluster.scheduler_address
    before = _steps_run(cluster)
    client.force_login(province_office)
    response = client.post(f"/campaigns/{provincial.pk}/scan/")
    scan = IntegrityScan.objects.get()
    assert response["Location"] == f"/scans/{scan.pk}/"
    run_worker()
    scan.refresh_from_db()
    assert scan.status == IntegrityScan.Status.DONE
    assert scan.findings() == here  # the same pairs, scores and passages as a check run here
    assert [len(here["pairs"]), scan.essays] == [1, 3]
    assert {"count_part", "verify"} <= _steps_run(cluster) - before  # the cluster did the compare step


@pytest.mark.django_db(transaction=True)
def test_a_communes_campaign_is_checked_here_even_with_a_cluster(org, campaign, cluster, settings):
    _submit_copy(org, campaign)
    settings.DASK_SCHEDULER = cluster.scheduler_address
    before = _steps_run(cluster)
    result = scan_campaign(campaign)
    assert len(list(result["pairs"])) == 1
    assert _steps_run(cluster) == before


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_cluster_fails_the_check_and_says_what_to_do(client, org, provincial, province_office,
                                                                   settings):
    _submit_copy(org, provincial)
    settings.DASK_SCHEDULER, settings.DASK_CONNECT_TIMEOUT = "tcp://127.0.0.1:9", 1
    client.force_login(province_office)
    client.post(f"/campaigns/{provincial.pk}/scan/")
    run_worker()
    scan = IntegrityScan.objects.get()
    assert scan.status == IntegrityScan.Status.FAILED
    page = client.get(f"/scans/{scan.pk}/").content.decode()
    assert "Cụm máy kiểm tra trùng lặp không phản hồi" in page
