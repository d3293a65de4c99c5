"""A file is read (a .doc converted by LibreOffice, seconds) before any transaction opens, so a
hostile or slow file never holds the database's locks (issue 24: one junk .doc locked SQLite for
up to 60 s and logins waited 27 s). Real commits: outside the test transaction."""

import io
import zipfile

import pytest
from django.db import transaction

from dangvu.essays import bulk
from dangvu.essays import services as essay_services
from dangvu.essays.models import Essay
from dangvu.study.tests.conftest import TODAY

pytestmark = pytest.mark.django_db(transaction=True)
TEXT = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh là việc làm thường xuyên của mỗi đảng viên."


@pytest.fixture
def reads(monkeypatch):
    """Whether a transaction was open each time a file was read (the real reader runs)."""
    seen = []
    real = essay_services.extract_text

    def spy(name, data):
        seen.append(transaction.get_connection().in_atomic_block)
        return real(name, data)

    monkeypatch.setattr(essay_services, "extract_text", spy)
    return seen


def test_one_file_is_read_before_its_transaction(org, campaign, reads):
    essay = essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, file_name="bai.txt",
                                        data=TEXT.encode(), today=TODAY)
    assert reads == [False] and Essay.objects.get(pk=essay.pk).text == TEXT


def test_a_bulk_upload_reads_every_file_before_recording_them_all(org, campaign, reads):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for member in (org.mem_member, org.other_member):
            z.writestr(f"{member.full_name}.txt", TEXT)
    matches = bulk.match(bulk.list_zip(io.BytesIO(archive.getvalue())), [org.mem_member, org.other_member])
    assert bulk.apply(actor=None, campaign=campaign, archive=io.BytesIO(archive.getvalue()), matches=matches) == 2
    assert reads == [False, False] and Essay.objects.filter(campaign=campaign).count() == 2
