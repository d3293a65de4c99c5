"""A full disk: an upload fails with a message naming the file; nothing else is lost.

No database row points at a missing or partial file, no partial file stays on the disk,
and the files already stored are untouched (hashed before and after)."""

import datetime
import errno
import hashlib
import html
import io
import random
import resource
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from dangvu.documents import services as doc_services
from dangvu.documents.models import Document
from dangvu.essays import services as essay_services
from dangvu.essays.models import Essay
from dangvu.integrity.synthetic import essay as synthetic_essay
from dangvu.lib import uploads
from dangvu.lib.disk import free_bytes, has_room
from dangvu.study import services as study_services

TODAY = datetime.date.today()  # pages submit with the real date
DAY = datetime.timedelta(days=1)


def essay_text(seed: int) -> bytes:
    return synthetic_essay(random.Random(seed), 400).encode()


def files_under(root) -> dict[str, str]:
    """Every file under `root` with the SHA-256 of its content."""
    root = Path(root)
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def shown(response) -> str:
    return html.unescape(response.content.decode())


def expected(name: str) -> str:
    with translation.override("vi"):  # the pages answer in Vietnamese first
        return uploads.no_room_message(name)


@pytest.fixture
def small_disk(tmp_path, settings):
    """MEDIA_ROOT on a 256 KiB tmpfs (needs root and the right to mount: skipped otherwise)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or done.returncode})")
    settings.MEDIA_ROOT = str(mount)
    # below zero the early check lets a file through to a full disk, as when another upload
    # takes the last room between the check and the write: the write itself must fail cleanly
    settings.UPLOAD_MIN_FREE_MB = -1
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path) -> None:
    """Write a filler file until the filesystem refuses even one more byte."""
    with open(disk / "filler.bin", "wb", buffering=0) as out:
        for size in (64 * 1024, 4096, 512, 1):
            while True:
                try:
                    out.write(b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break


def test_an_essay_uploaded_to_a_full_disk_is_refused_and_nothing_else_is_lost(client, org, campaign, small_disk,
                                                                               settings):
    kept = essay_services.essay_submit(actor=None, campaign=campaign, member=org.sec_member, file_name="bai-binh.txt",
                                       data=essay_text(1), today=TODAY)
    document = doc_services.document_receive(
        actor=None, unit=org.G, doc_type="CT", number=45, issuer_symbol="TW", issued_on=datetime.date(2026, 3, 2),
        summary="Chỉ thị về tăng cường công tác kiểm tra", file_name="chi-thi-45.txt", data=essay_text(2))
    assert kept.file and document.file
    fill(small_disk)
    before = files_under(small_disk)
    assert len(before) == 3  # the essay, the document, the filler

    client.force_login(org.users["mem"])
    response = client.post(f"/so-tay/campaigns/{campaign.pk}/essay/",
                           {"file": SimpleUploadedFile("bai-cuong.txt", essay_text(3), "text/plain")})
    assert response.status_code == 200
    assert expected("bai-cuong.txt") in shown(response)
    assert not Essay.objects.filter(member=org.mem_member).exists()
    assert files_under(small_disk) == before  # no partial file, no temporary one; the others intact
    settings.UPLOAD_MIN_FREE_MB = 0  # with the check on, the same upload is refused before it is read
    response = client.post(f"/so-tay/campaigns/{campaign.pk}/essay/",
                           {"file": SimpleUploadedFile("bai-cuong.txt", essay_text(3), "text/plain")})
    assert response.status_code == 200 and expected("bai-cuong.txt") in shown(response)
    assert files_under(small_disk) == before and not Essay.objects.filter(member=org.mem_member).exists()
    kept.refresh_from_db()
    document.refresh_from_db()
    assert kept.file.read() == essay_text(1) and document.file.read() == essay_text(2)

    # room again: the same upload goes through
    (small_disk / "filler.bin").unlink()
    response = client.post(f"/so-tay/campaigns/{campaign.pk}/essay/",
                           {"file": SimpleUploadedFile("bai-cuong.txt", essay_text(3), "text/plain")})
    assert response.status_code == 302
    assert Essay.objects.get(member=org.mem_member).file.read() == essay_text(3)


def test_a_document_uploaded_to_a_full_disk_is_refused_and_nothing_else_is_lost(client, org, small_disk):
    kept = doc_services.document_receive(
        actor=None, unit=org.G, doc_type="CT", number=45, issuer_symbol="TW", issued_on=datetime.date(2026, 3, 2),
        summary="Chỉ thị về tăng cường công tác kiểm tra", file_name="chi-thi-45.txt", data=essay_text(2))
    fill(small_disk)
    before = files_under(small_disk)
    client.force_login(org.users["off"])
    response = client.post(f"/units/{org.G.pk}/documents/new/", {
        "direction": "received", "doc_type": "CT", "number": "46", "issuer_symbol": "TW", "issued_on": "2026-03-02",
        "summary": "Chỉ thị về công tác kiểm tra", "file": SimpleUploadedFile("chi-thi-46.txt", essay_text(8))})
    assert response.status_code == 200 and expected("chi-thi-46.txt") in shown(response)
    assert list(Document.objects.filter(unit=org.G).values_list("number", flat=True)) == [45]
    assert files_under(small_disk) == before
    kept.refresh_from_db()
    assert kept.file.read() == essay_text(2)


def test_a_bulk_archive_that_fills_the_disk_midway_leaves_no_essay_and_no_file(org, campaign, small_disk):
    """The first essay's file fits, the second's does not: the transaction rolls back, and the
    first file, already stored, goes with it."""
    from dangvu.essays import bulk

    files = {"Le Van Cuong.txt": (essay_text(4) * 20)[:20 * 1024], "Tran Thi Binh.txt": (essay_text(5) * 40)[:60 * 1024]}
    (small_disk / "filler.bin").write_bytes(b"\0" * (free_bytes(small_disk) - 40 * 1024))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    before = files_under(small_disk)
    matches = bulk.match(sorted(files), study_services.eligible_members(campaign))
    assert [m.member for m in matches] == [org.mem_member, org.sec_member]
    with pytest.raises(uploads.NoRoom) as exc:
        bulk.apply(actor=None, campaign=campaign, archive=archive.getvalue(), matches=matches)
    assert exc.value.messages == [uploads.no_room_message("Tran Thi Binh.txt")]
    assert not Essay.objects.exists()
    assert files_under(small_disk) == before


def test_a_rating_decision_on_a_full_disk_is_refused_and_takes_no_number(client, org, small_disk):
    """The committee's QĐ of a round is a file too: on a full disk the page says so, naming it;
    no document is issued, no number is used, no decision is linked; with room, number 1."""
    from dangvu.evaluation.models import Decision, Level
    from dangvu.evaluation.tests.test_pages import _round
    from dangvu.evaluation.tests.test_rounds import through
    from dangvu.orgs import services as org_services

    rnd = _round(org)
    through(rnd, org.mem_member, Level.GOOD)
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    fill(small_disk)
    before = files_under(small_disk)
    client.force_login(org.users["off"])
    response = client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}", {"form": "publish"}, follow=True)
    assert expected("quyet-dinh-xep-loai-01.docx") in shown(response)
    assert not Document.objects.exists() and not Decision.objects.filter(document__isnull=False).exists()
    assert files_under(small_disk) == before
    (small_disk / "filler.bin").unlink()
    client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}", {"form": "publish"})
    assert [d.reference for d in Document.objects.all()] == ["01-QĐ/ĐU"]
    assert Decision.objects.get(rating__member=org.mem_member, replaced=False).document == Document.objects.get()


def test_below_the_free_space_threshold_every_upload_page_refuses_before_writing(client, org, campaign, settings):
    media = Path(settings.MEDIA_ROOT)
    settings.UPLOAD_MIN_FREE_MB = free_bytes(media) // 2**20 + 1024  # a gigabyte more than there is
    assert not has_room(media)
    documents_before = Document.objects.count()

    client.force_login(org.users["mem"])
    response = client.post(f"/so-tay/campaigns/{campaign.pk}/essay/",
                           {"file": SimpleUploadedFile("bai-cuong.txt", essay_text(6), "text/plain")})
    assert response.status_code == 200 and expected("bai-cuong.txt") in shown(response)
    assert not Essay.objects.exists()

    client.force_login(org.users["off"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Le Van Cuong.txt", essay_text(7))
    response = client.post(f"/campaigns/{campaign.pk}/essays/upload/",
                           {"file": SimpleUploadedFile("bai.zip", archive.getvalue(), "application/zip")})
    assert response.status_code == 200 and expected("bai.zip") in shown(response)

    response = client.post(f"/units/{org.G.pk}/documents/new/", {
        "direction": "received", "doc_type": "CT", "number": "46", "issuer_symbol": "TW", "issued_on": "2026-03-02",
        "summary": "Chỉ thị về công tác kiểm tra", "file": SimpleUploadedFile("chi-thi-46.txt", essay_text(8))})
    assert response.status_code == 200 and expected("chi-thi-46.txt") in shown(response)
    assert Document.objects.count() == documents_before

    assert files_under(media) == {}  # nothing written anywhere under the media folder

    settings.UPLOAD_MIN_FREE_MB = 0  # room again: the same essay goes through
    client.force_login(org.users["mem"])
    response = client.post(f"/so-tay/campaigns/{campaign.pk}/essay/",
                           {"file": SimpleUploadedFile("bai-cuong.txt", essay_text(6), "text/plain")})
    assert response.status_code == 302 and Essay.objects.get().file.read() == essay_text(6)


def test_a_write_refused_by_the_kernel_leaves_no_partial_file(settings):
    """A real refusal mid-write without mounting anything: a file-size limit on this process
    (EFBIG, the error a quota or a full disk gives as ENOSPC or EDQUOT) while 200 KiB are written."""
    media = Path(settings.MEDIA_ROOT)
    data = b"x" * (200 * 1024)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the error, not the signal that kills
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, old_limit[1]))
    try:
        with pytest.raises(uploads.NoRoom) as exc:
            uploads.save_file(default_storage, "essays/2026/big.txt", data, file_name="big.txt")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    assert exc.value.file_name == "big.txt" and exc.value.__cause__.errno == errno.EFBIG
    assert files_under(media) == {}
    assert uploads.save_file(default_storage, "essays/2026/big.txt", data, file_name="big.txt") == "essays/2026/big.txt"
    assert files_under(media) == {"essays/2026/big.txt": hashlib.sha256(data).hexdigest()}


def test_a_file_stored_in_a_transaction_that_rolls_back_is_deleted(db, settings):
    media = Path(settings.MEDIA_ROOT)
    with pytest.raises(RuntimeError), uploads.discard_on_failure(), transaction.atomic():
        uploads.save_file(default_storage, "essays/2026/a.txt", b"first", file_name="a.txt")
        with uploads.discard_on_failure():  # an inner step that completed: its file is the outer block's now
            uploads.save_file(default_storage, "essays/2026/b.txt", b"second", file_name="b.txt")
        raise RuntimeError("a later step failed")
    assert files_under(media) == {}
    with uploads.discard_on_failure(), transaction.atomic():
        name = uploads.save_file(default_storage, "essays/2026/c.txt", b"kept", file_name="c.txt")
    assert files_under(media) == {name: hashlib.sha256(b"kept").hexdigest()}
