"""An application server (a real gunicorn) whose worker is killed with SIGKILL in the middle of
a request, inside its transaction: an essay handed in, and a document numbered in the register.
Nothing is half-written, the number is neither skipped nor given twice, and the next request
(served by the worker gunicorn starts in its place) does the work once.

The request is held inside its transaction by a lock on the audit table, taken from another
connection: the row and its file are written, the audit entry waits. A file stored by a request
that never committed has no row; `stray_files_remove` (dangvu/lib/uploads.py) is what clears it.
PostgreSQL only: the server must see the test database."""

import datetime
import os
import signal
import threading
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.utils import timezone

from dangvu.audit.models import AuditEntry
from dangvu.documents import services as doc_services
from dangvu.documents.models import Document, NumberCounter
from dangvu.essays import services as essay_services
from dangvu.essays.models import Essay
from dangvu.orgs import services as org_services

from .processes import AppServer, TableLock, csrf, login, server_password, wait_for

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database another process can see"),
              pytest.mark.django_db(transaction=True)]

ESSAY = ("Bài thu hoạch của tôi về việc học tập nghị quyết, liên hệ với công việc ở chi bộ thôn. " * 8).strip()


def files_under(media: Path, folder: str) -> set[str]:
    root = media / folder
    return {str(p.relative_to(media)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def post_killed_inside(server: AppServer, client: requests.Session, url: str, data: dict, files: dict,
                       while_waiting) -> None:
    """POST, hold the request at the audit table inside its transaction, SIGKILL the server's
    worker, release the table and wait until the request's database session has ended."""
    answers: list = []

    def send():
        try:
            answers.append(client.post(url, data=data, files=files, allow_redirects=False, timeout=30))
        except requests.RequestException as exc:
            answers.append(exc)

    with TableLock("audit_auditentry") as lock:
        sending = threading.Thread(target=send)
        sending.start()
        blocked = wait_for(lock.waiting)
        assert blocked, "the request never reached the audit table:\n" + server.log_tail()
        while_waiting()
        os.kill(server.worker_pid(), signal.SIGKILL)
        sending.join(30)
        lock.release()
        assert wait_for(lambda: lock.backend_gone(blocked)), "the killed request's session did not end"
    assert len(answers) == 1 and isinstance(answers[0], requests.ConnectionError), answers  # no answer came


def test_a_server_killed_inside_an_essay_submission_leaves_no_half_essay(org, campaign, tmp_path, settings):
    media = Path(settings.MEDIA_ROOT)
    server_password(org.users["mem"], "x-mem")
    upload = {"file": ("bai-thu-hoach.txt", ESSAY.encode(), "text/plain")}
    with AppServer(tmp_path) as server:
        client = login(server.url, "mem", "x-mem")
        url = f"{server.url}/so-tay/campaigns/{campaign.pk}/essay/"

        def half_written():  # the essay's file is stored; its row waits, uncommitted, to be audited
            assert len(files_under(media, "essays")) == 1
            assert not Essay.objects.filter(campaign=campaign).exists()

        post_killed_inside(server, client, url, csrf(client), upload, half_written)
        assert not Essay.objects.filter(campaign=campaign).exists()
        assert not AuditEntry.objects.filter(model="essays.essay").exists()
        stray = files_under(media, "essays")
        assert len(stray) == 1  # the file of the transaction that never committed
        assert essay_services.essay_files_sweep(older_than=datetime.timedelta(0)) == list(stray)

        # handed in again, to the worker gunicorn started in its place: recorded once, file and row together
        answer = client.post(url, data=csrf(client), files=upload, allow_redirects=False, timeout=30)
        assert answer.status_code == 302, answer.text[:2000]
    essay = Essay.objects.get(campaign=campaign)
    assert (essay.member_id, essay.version, essay.text, essay.file_name) == (
        org.mem_member.pk, 1, ESSAY, "bai-thu-hoach.txt")
    assert files_under(media, "essays") == {essay.file.name}
    assert (media / essay.file.name).read_text() == ESSAY
    assert AuditEntry.objects.filter(model="essays.essay", object_id=str(essay.pk)).count() == 1


def test_a_server_killed_while_numbering_a_document_skips_no_number(org, tmp_path, settings):
    media = Path(settings.MEDIA_ROOT)
    committee = org_services.unit_update(actor=None, unit=org.G, symbol="ĐUK")
    org_services.term_create(actor=None, unit=committee, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    today = timezone.localdate()
    for _ in range(2):  # numbers 01 and 02 of the series are taken
        doc_services.document_issue(actor=None, unit=committee, doc_type="CV", issued_on=today, summary="Về việc thử")
    server_password(org.users["off"], "x-off")
    form = {"direction": "issued", "doc_type": "CV", "issued_on": today.strftime("%d/%m/%Y"),
            "summary": "Về việc tổ chức hội nghị học tập nghị quyết"}
    upload = {"file": ("cong-van.txt", "Kính gửi các chi bộ trực thuộc.".encode(), "text/plain")}

    def numbers() -> list[int]:
        return sorted(Document.objects.filter(unit=committee, doc_type="CV").values_list("number", flat=True))

    with AppServer(tmp_path) as server:
        client = login(server.url, "off", "x-off")
        url = f"{server.url}/units/{committee.pk}/documents/new/"

        def half_written():  # number 03 taken and the entry written inside the transaction, not yet audited
            assert len(files_under(media, "documents")) == 1
            assert numbers() == [1, 2]

        post_killed_inside(server, client, url, {**csrf(client), **form}, upload, half_written)
        assert numbers() == [1, 2]
        assert NumberCounter.objects.get(unit=committee, series="CV").last == 2  # the counter rolled back too
        stray = files_under(media, "documents")
        assert len(stray) == 1
        assert doc_services.document_files_sweep(older_than=datetime.timedelta(0)) == list(stray)

        # the next issue, to the worker gunicorn started in its place, gets the next number
        answer = client.post(url, data={**csrf(client), **form}, files=upload, allow_redirects=False, timeout=30)
        assert answer.status_code == 302, answer.text[:2000]
    assert numbers() == [1, 2, 3]
    third = Document.objects.get(unit=committee, doc_type="CV", number=3)
    assert third.reference == "03-CV/ĐUK" and answer.headers["Location"] == f"/documents/{third.pk}/"
    assert NumberCounter.objects.get(unit=committee, series="CV").last == 3
    assert files_under(media, "documents") == {third.file.name}
    assert AuditEntry.objects.filter(model="documents.document", object_id=str(third.pk)).count() == 1
