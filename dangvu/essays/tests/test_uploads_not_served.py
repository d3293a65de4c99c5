"""Uploaded files are never served by their path: no route answers under MEDIA_URL, whoever
asks; an essay's file comes only through its scoped view, and outside the scope that view is 404
(not 403: nothing tells the file exists)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import get_resolver

from conftest import make_member
from dangvu.essays import services as essays
from dangvu.study import services as study

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
DATA = "Bài thu hoạch của Cường, nộp bằng tệp.".encode()


@pytest.fixture
def essay(org):
    campaign = study.campaign_create(actor=None, unit=org.G, title="Học tập Nghị quyết", documents=[], units=[org.G],
                                     start=TODAY - 10 * DAY, end=TODAY + 20 * DAY, essay_required=True,
                                     essay_deadline=TODAY + 10 * DAY, min_words=5)
    return essays.essay_submit(actor=None, campaign=campaign, member=org.mem_member, file_name="bai.txt", data=DATA)


def test_no_route_serves_the_media_folder():
    prefix = settings.MEDIA_URL.lstrip("/")
    assert prefix  # uploads have a folder of their own…
    assert not [str(p.pattern) for p in get_resolver().url_patterns if str(p.pattern).startswith(prefix)]


def test_a_stored_file_is_404_by_its_path_even_for_a_superuser(client, essay):
    stored = essay.file.name
    assert (Path(settings.MEDIA_ROOT) / stored).read_bytes() == DATA  # …and the file is really there
    admin = get_user_model().objects.create_superuser(username="root", password="x-root")
    client.force_login(admin)
    assert client.get(f"/{settings.MEDIA_URL.strip('/')}/{stored}").status_code == 404
    assert client.get(f"/{stored}").status_code == 404


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_scoped_view_gives_the_file_to_its_owner_and_their_committee_only(client, org, essay):
    url = f"/essays/{essay.pk}/file/"
    for user in ("mem", "sec", "off"):  # the writer, their cell's secretary, the committee above
        client.force_login(org.users[user])
        answer = client.get(url)
        assert answer.status_code == 200, user
        assert _body(answer) == DATA
    b_member = make_member(org.B, "Vũ Thị Hoa", datetime.date(1985, 4, 4))
    b_member.user = get_user_model().objects.create_user(username="hoa", password="x-hoa")
    b_member.save()
    for user in (org.users["out"], b_member.user):
        client.force_login(user)
        answer = client.get(url)
        assert answer.status_code == 404, user.username  # another cell: as if there were no such file
        assert b"bai.txt" not in answer.content
