import io
import random
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as Docx

from conftest import run_worker
from dangvu.essays import bulk
from dangvu.essays import services as essay_services
from dangvu.essays.highlight import pieces
from dangvu.essays.models import Essay, EssayStatus, IntegrityScan, ScanPair
from dangvu.integrity.synthetic import essay as synthetic_essay
from dangvu.integrity.synthetic import to_tcvn3
from dangvu.study import services
from dangvu.study.selectors import campaign_figures

from .conftest import DAY, TODAY


def docx_bytes(text: str, font: str | None = None) -> bytes:
    doc = Docx()
    run = doc.add_paragraph().add_run(text)
    if font:
        run.font.name = font
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_submit_review_resubmit_and_the_figures(org, campaign):
    essay = essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, text="Bài viết ngắn.", today=TODAY)
    assert essay.status == EssayStatus.SUBMITTED
    essay_services.essay_review(actor=None, essay=essay, accept=False, reason="thin", note="Viết sơ sài, cần liên hệ bản thân")
    f = campaign_figures(campaign)
    assert (f.submitted, f.returned_now, f.returned["thin"]) == (1, 1, 1)
    # Rework is allowed after the deadline; the reason stays counted once accepted.
    again = essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, text="Bài viết lại.",
                                  today=campaign.essay_deadline + 5 * DAY)
    assert (again.status, again.version) == (EssayStatus.RESUBMITTED, 2)
    essay_services.essay_review(actor=None, essay=again, accept=True)
    f = campaign_figures(campaign)
    assert (f.submitted, f.passed, f.returned_total, f.returned["thin"]) == (1, 1, 1, 1)
    with pytest.raises(ValidationError):
        essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, text="x", today=TODAY)


def test_first_submission_after_the_deadline_is_refused(org, campaign):
    with pytest.raises(ValidationError) as exc:
        essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, text="Muộn.",
                              today=campaign.essay_deadline + DAY)
    assert campaign.essay_deadline.strftime("%d/%m/%Y") in str(exc.value)
    assert not Essay.objects.exists()


def test_a_tcvn3_docx_is_stored_as_unicode(org, campaign):
    text = "Đảng bộ xã lãnh đạo toàn diện công tác học tập nghị quyết."
    essay = essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, file_name="bai.docx",
                                  data=docx_bytes(to_tcvn3(text), ".VnTime"), today=TODAY)
    assert essay.text == text


def test_an_unreadable_upload_names_the_file_and_writes_nothing(org, campaign):
    with pytest.raises(ValidationError) as exc:
        essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, file_name="bai cu.doc",
                              data=b"\xd0\xcf\x11\xe0old word", today=TODAY)
    assert "bai cu.doc" in str(exc.value) and ".docx" in str(exc.value)
    assert not Essay.objects.exists()


def test_bulk_zip_matches_names_previews_strays_and_is_atomic(org, campaign):
    members = services.eligible_members(campaign)
    files = {"chi bo A/Le Van Cuong.txt": "Bài của anh Cường.".encode(),
             "Trần Thị Bình - bài thu hoạch.docx": docx_bytes("Bài của chị Bình."),
             "khong ro ai.txt": b"???", "anh.jpg": b"\xff\xd8"}
    matches = {m.name: m for m in bulk.match(sorted(files), members)}
    assert matches["chi bo A/Le Van Cuong.txt"].member == org.mem_member
    assert matches["Trần Thị Bình - bài thu hoạch.docx"].member == org.sec_member
    assert matches["khong ro ai.txt"].member is None and matches["anh.jpg"].member is None
    assert services.eligible_members(campaign).count() == 4

    broken = dict(files, **{"Pham Thi Dung.docx": b"PK\x03\x04 not a real zip"})
    with pytest.raises(ValidationError) as exc:
        bulk.apply(actor=None, campaign=campaign, archive=zip_of(broken), matches=bulk.match(sorted(broken), members))
    assert "Pham Thi Dung.docx" in str(exc.value)
    assert not Essay.objects.exists()  # nothing half-written

    assert bulk.apply(actor=None, campaign=campaign, archive=zip_of(files), matches=list(matches.values())) == 2


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(client, org, campaign, settings):
    """1 MB of zeros per file packs about 1,000×: refused by ratio; many small files by count;
    a total over the limit by size. Nothing is kept on disk, no essay is written."""
    from django.core.files.storage import default_storage

    bomb = zip_of({"Le Van Cuong.txt": b"0" * (4 * 2**20)})
    with pytest.raises(ValidationError) as exc:
        bulk.list_zip(bomb)
    assert "Le Van Cuong.txt" in str(exc.value) and "1027" in str(exc.value)
    settings.UPLOAD_LIMITS = dict(settings.UPLOAD_LIMITS, zip_files=3, zip_bytes=1000)
    with pytest.raises(ValidationError) as exc:
        bulk.list_zip(zip_of({f"{n}.txt": b"x" for n in range(4)}))
    assert "3" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        bulk.list_zip(zip_of({"a.txt": b"y" * 600, "b.txt": b"z" * 600}))
    assert "MB" in str(exc.value)
    client.force_login(org.users["off"])
    response = client.post(f"/campaigns/{campaign.pk}/essays/upload/",
                           {"file": SimpleUploadedFile("bai.zip", bomb, "application/zip")})
    assert response.status_code == 200 and "Le Van Cuong.txt" in response.content.decode()
    assert not default_storage.exists("bulk") or not default_storage.listdir("bulk")[1]
    assert not Essay.objects.exists()


def test_bulk_upload_pages(client, org, campaign):
    client.force_login(org.users["off"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Le Van Cuong.txt", "Bài của anh Cường.")
        z.writestr("ai do.txt", "???")
    archive.seek(0)
    archive.name = "bai.zip"
    response = client.post(f"/campaigns/{campaign.pk}/essays/upload/", {"file": archive})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "ai do.txt" in preview and "Lê Văn Cường" in preview
    assert not Essay.objects.exists()
    client.post(response["Location"])
    assert list(Essay.objects.values_list("member__full_name", flat=True)) == ["Lê Văn Cường"]
    # the outsider cannot use another user's upload token
    client.force_login(org.users["out"])
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_scan_runs_on_the_worker_and_finds_the_copy_and_the_thin_one(client, org, campaign):
    rng = random.Random(3)
    original = synthetic_essay(rng, 300)
    doc_text = campaign.documents.get().text
    essay_services.essay_submit(actor=None, campaign=campaign, member=org.sec_member, text=original, today=TODAY)
    copy = essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member,
                                 text="Tôi xin trình bày. " + original[: len(original) * 2 // 3], today=TODAY)
    thin = essay_services.essay_submit(actor=None, campaign=campaign, member=org.other_member,
                                 text=doc_text + " Tôi nhất trí.", today=TODAY)
    essay_services.essay_submit(actor=None, campaign=campaign, member=org.out_member, text=synthetic_essay(rng, 300),
                          today=TODAY)
    client.force_login(org.users["off"])
    response = client.post(f"/campaigns/{campaign.pk}/scan/")
    scan = IntegrityScan.objects.get()
    assert response["Location"] == f"/scans/{scan.pk}/"
    assert client.get(f"/scans/{scan.pk}/").context["scan"].running
    run_worker()
    scan.refresh_from_db()
    assert scan.status == IntegrityScan.Status.DONE and scan.essays == 4
    [pair] = scan.findings()["pairs"]
    api = client.get(f"/api/scans/{scan.pk}").json()  # the contract: the pairs as the engine gives them
    assert (api["pairs"], api["thin"], api["essays"]) == ([pair], [thin.pk], 4)
    assert sorted(pair) == ["a", "b", "passages", "score"] and pair["passages"]
    assert {pair["a"], pair["b"]} == {copy.pk, Essay.objects.get(member=org.sec_member).pk}
    assert pair["score"] > 0.9
    assert scan.result["thin"] == [thin.pk]  # the studied document's text is not the writer's own
    page = client.get(f"/scans/{scan.pk}/pairs/0/").content.decode()
    assert page.count("<mark>") >= 2
    # Return the copy in one click from the side-by-side page.
    client.post(f"/essays/{copy.pk}/", {"decision": "return", "reason": "copied", "note": "",
                                        "next": f"/scans/{scan.pk}/pairs/0/"})
    copy.refresh_from_db()
    assert (copy.status, copy.return_reason) == (EssayStatus.RETURNED, "copied")


def test_highlight_pieces_cover_the_text_once():
    text = "một hai ba bốn năm sáu bảy"
    parts = pieces(text, [(4, 10), (8, 14), (19, 99)])
    assert "".join(p.text for p in parts) == text
    assert [p.text for p in parts if p.copied] == ["hai ba bốn", "sáu bảy"]


@pytest.mark.django_db(transaction=True)
def test_campaigns_are_checked_once_when_submissions_close(org, campaign):
    from django.core.management import call_command

    essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, text=synthetic_essay(random.Random(1)),
                          today=TODAY)
    assert essay_services.scan_closed_campaigns(campaign.essay_deadline) == []  # still open on the deadline day
    call_command("scan_closed_campaigns", verbosity=0)  # today: still before the deadline
    assert not IntegrityScan.objects.exists()
    [scan] = essay_services.scan_closed_campaigns(campaign.essay_deadline + DAY)
    run_worker()
    scan.refresh_from_db()
    assert (scan.status, scan.essays) == (IntegrityScan.Status.DONE, 1)
    assert essay_services.scan_closed_campaigns(campaign.essay_deadline + 2 * DAY) == []  # not twice


def test_the_members_essay_flow_too_short_returned_edited_resubmitted(client, org, campaign):
    """Sổ tay: a too-short essay is refused saying how many words are missing and replaces
    nothing; a returned essay opens with its text; each submission counts and shows in the history."""
    from dangvu.essays.models import Essay, EssayStatus

    client.force_login(org.users["mem"])
    url = f"/so-tay/campaigns/{campaign.pk}/essay/"
    full = " ".join(["Tôi nhận thức sâu sắc vai trò của công tác xây dựng Đảng."] * 6)  # 72 words ≥ 60
    client.post(url, {"text": full})
    short = client.post(url, {"text": "Bài viết ngắn hai mươi tám chữ."}).content.decode()
    assert "có 7 chữ" in short and "ít nhất 60" in short and "thêm ít nhất 53 chữ" in short
    essay = Essay.objects.get(member=org.mem_member)
    assert (essay.text, essay.version) == (full, 1)  # the short one replaced nothing
    essay_services.essay_review(actor=org.users["sec"], essay=essay, accept=False, reason="thin", note="Liên hệ thêm")
    page = client.get(url).content.decode()
    assert "Tôi nhận thức sâu sắc vai trò" in page.split('id="essay-form"')[1]  # opens with its text to edit
    client.post(url, {"text": full + " Bản thân tôi sẽ gương mẫu thực hiện."})
    essay.refresh_from_db()
    assert (essay.status, essay.version) == (EssayStatus.RESUBMITTED, 2)
    page = client.get(url).content.decode()
    history = page.split('id="essay-history"')[1].split("</details>")[0]
    assert history.count("Nộp lần") == 2 and "Phải làm lại: Sơ sài" in history
    # the sổ tay tells the status from the button, and the returned essay's note went with the return
    row = client.get("/so-tay/").content.decode().split('id="my-essays"')[1].split("</tr>")[0]
    assert "Đã nộp lại" in row and ">Nộp lại</a>" in row and "Liên hệ thêm" not in row
    assert "Liên hệ thêm" not in page.split('id="essay-status"')[1].split("</p>")[0]


def test_the_attendance_page_lists_members_first_and_folds_the_connection_points(client, org, campaign):
    from dangvu.study import services as study

    points = [study.PointIn(f"Điểm cầu số {n}", 20, None) for n in range(41)]
    session = study.session_record(actor=None, campaign=campaign, held_on=campaign.start, mode="online", points=points)
    client.force_login(org.users["off"])
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert page.index('id="attendance-form"') < page.index('<details id="points">')
    assert "41 điểm cầu" in page and "Trần Thị Bình" in page


def test_a_cell_secretary_records_a_make_up_session_for_the_cells_members(client, org, campaign):
    """The commune's campaign: cell A's secretary holds a make-up session for A's members who
    missed it; it counts for A and the commune, not for the sibling cell; only A's members are marked."""
    from dangvu.lib import measures
    from dangvu.lib.periods import Period
    from dangvu.study.models import Attendance, StudySession

    client.force_login(org.users["sec"])
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert 'id="make-up-link"' in page
    form = client.get(f"/campaigns/{campaign.pk}/sessions/new/").content.decode()
    assert "buổi học bù" in form.lower() and 'name="points"' not in form
    answer = client.post(f"/campaigns/{campaign.pk}/sessions/new/", {
        "held_on": campaign.start.isoformat(), "mode": "in_person", "place": "Nhà văn hóa thôn", "title": "Học bù"})
    session = StudySession.objects.get(title="Học bù")
    assert answer.status_code == 302 and session.unit == org.A
    client.post(f"/sessions/{session.pk}/", {f"m{org.mem_member.pk}": "present"})
    assert Attendance.objects.filter(session=session, member=org.mem_member, status="present").exists()
    bad = client.put(f"/api/sessions/{session.pk}/attendance", {"marks": {str(org.out_member.pk): "present"}},
                     content_type="application/json")
    assert bad.status_code == 422 and not Attendance.objects.filter(member=org.out_member).exists()
    period = Period(campaign.start, campaign.end)
    sessions = measures.compute_all(org.G, period, [measures.get("study.sessions")])["study.sessions"]
    assert (sessions[org.A.path].value, sessions[org.G.path].value) == (1, 1)
    assert org.B.path not in sessions
    client.force_login(org.users["out"])  # B's secretary neither sees nor edits A's make-up session
    assert client.get(f"/sessions/{session.pk}/edit/").status_code == 404
    assert client.get(f"/sessions/{session.pk}/").status_code == 404
    assert "Học bù" not in client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert [s["id"] for s in client.get(f"/api/campaigns/{campaign.pk}/sessions").json()] == []
    client.force_login(org.users["off"])  # the commune's office sees it, held by A
    assert [(s["id"], s["unit_id"]) for s in client.get(f"/api/campaigns/{campaign.pk}/sessions").json()] == [
        (session.pk, org.A.pk)]


def test_a_cancelled_session_and_campaign_are_kept_marked_and_counted_nowhere(client, org, campaign):
    from dangvu.audit.models import AuditEntry
    from dangvu.lib import measures
    from dangvu.lib.periods import Period
    from dangvu.study import services as study

    session = study.session_record(actor=None, campaign=campaign, held_on=campaign.start, title="Ghi nhầm")
    study.attendance_record(actor=None, session=session, marks={org.mem_member.pk: "present"}, unit_path=org.G.path)
    period = Period(campaign.start, campaign.end)
    keys = [measures.get(k) for k in ("study.sessions", "study.participants", "study.campaigns")]

    def figures():
        table = measures.compute_all(org.G, period, keys)
        return {k: measures.value_at(v, org.G.path, measures.get(k)) for k, v in table.items()}

    assert (figures()["study.sessions"].value, figures()["study.participants"].numerator) == (1, 1)
    client.force_login(org.users["off"])
    assert client.post(f"/sessions/{session.pk}/cancel/", {"cancel_reason": ""}).status_code == 302
    session.refresh_from_db()
    assert session.cancelled_on is None  # a reason is needed
    client.post(f"/sessions/{session.pk}/cancel/", {"cancel_reason": "Ghi nhầm ngày"})
    session.refresh_from_db()
    assert session.cancelled_on is not None and session.attendance.count() == 1  # kept, with its attendance
    assert (figures()["study.sessions"].value, figures()["study.participants"].numerator) == (0, 0)
    assert "đã hủy" in client.get(f"/campaigns/{campaign.pk}/").content.decode()
    client.post(f"/campaigns/{campaign.pk}/cancel/", {"cancel_reason": "Cấp trên điều chỉnh kế hoạch"})
    assert figures()["study.campaigns"].value == 0
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "Cấp trên điều chỉnh kế hoạch" in page
    assert AuditEntry.objects.filter(changes__has_key="cancelled_on").count() == 2
    client.force_login(org.users["mem"])  # nothing more is recorded for a cancelled campaign
    text = " ".join(["Tôi nhận thức sâu sắc vai trò của công tác xây dựng Đảng."] * 6)
    refused = client.post(f"/so-tay/campaigns/{campaign.pk}/essay/", {"text": text})
    assert refused.status_code == 200 and "Đợt học tập đã bị hủy ngày" in refused.content.decode()


def test_a_group_shows_once_and_a_cells_result_counts_its_own_essays(client, org, campaign):
    from django.utils import timezone

    text = " ".join(["Tôi nhận thức sâu sắc vai trò của công tác xây dựng Đảng."] * 6)
    essays = [essay_services.essay_submit(actor=None, campaign=campaign, member=m, text=text, today=TODAY)
              for m in (org.sec_member, org.mem_member, org.other_member, org.out_member)]
    a, b, c, d = (e.pk for e in essays)
    scan = IntegrityScan.objects.create(campaign=campaign, status=IntegrityScan.Status.DONE, essays=4,
                                        finished=timezone.now(), result={"clusters": [[a, b, c, d]],
                                                                         "thin": [a, b, c, d]})
    ScanPair.objects.bulk_create([ScanPair(scan=scan, n=n, a=x, b=y, score=1.0, passages=[])
                                  for n, (x, y) in enumerate(((a, b), (a, c), (b, c), (a, d)))])
    client.force_login(org.users["off"])
    page = client.get(f"/scans/{scan.pk}/").content.decode()
    assert page.count("/pairs/") == 0  # four identical essays: one group, not six pair rows
    assert "Phạm Thị Dung" in page.split("<h2>")[2] and "Thin" not in page
    # thin as well as copied: each is listed as thin, the reason it is returned for
    assert 'id="thin"' in page and page.split('id="thin"')[1].split("</table>")[0].count('href="/essays/') == 4
    client.force_login(org.users["sec"])  # cell A's part: its three essays were checked
    page = client.get(f"/scans/{scan.pk}/").content.decode()
    assert "Đã kiểm tra 3 bài của Chi bộ thôn Nà Ngoa (trong 4 bài của đợt)" in page


def test_a_check_kept_the_old_way_has_its_pairs_moved_to_rows_and_back(org, campaign):
    """Migration essays 0005: the pairs of a check finished before it leave the JSON for rows,
    in their order, and come back the same when the migration is undone."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    moving = importlib.import_module("dangvu.essays.migrations.0005_scan_pairs_in_rows")
    pairs = [{"a": 7, "b": 9, "score": 0.75, "passages": [[0, 10, 5, 15]]}, {"a": 3, "b": 7, "score": 1.0, "passages": []}]
    old = {"pairs": pairs, "clusters": [[3, 7, 9]], "thin": [9]}
    scan = IntegrityScan.objects.create(campaign=campaign, status=IntegrityScan.Status.DONE, essays=3,
                                        finished=timezone.now(), result=old)
    editor = SimpleNamespace(connection=connection)
    moving.pairs_to_rows(apps, editor)
    scan.refresh_from_db()
    assert scan.result == {"clusters": [[3, 7, 9]], "thin": [9]}
    assert list(scan.found_pairs.order_by("n").values_list("n", "a", "b")) == [(0, 7, 9), (1, 3, 7)]
    assert scan.findings() == old
    moving.rows_to_pairs(apps, editor)
    scan.refresh_from_db()
    assert scan.result == old
