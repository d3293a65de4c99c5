"""A member downloads everything held about them (/me/data/): one .zip with the data as JSON, a
readable .xlsx and their essays' files; nobody else can download it, and each download is logged."""

import datetime
import io
import json
import zipfile

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from dangvu.audit.models import AuditEntry, RecordRead
from dangvu.audit.personal import sources
from dangvu.orgs import services as org_services
from dangvu.orgs.models import MemberStatus

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
ESSAY_FILE = "Bài thu hoạch của tôi về nghị quyết, viết tay rồi gõ lại.".encode()


@pytest.fixture
def lived(org):
    """mem has a record with a history, an essay with its file, study and class attendance, a rating
    proposed but not decided, a meeting with a secret vote, dues, an inspection and a discipline."""
    from dangvu.essays import services as essays
    from dangvu.evaluation import services as evaluation
    from dangvu.inspections.services import discipline_record, inspection_record
    from dangvu.meetings import dues
    from dangvu.meetings import services as meetings
    from dangvu.study import services as study
    from dangvu.training import services as training
    from dangvu.training.models import Programme

    mem = org.mem_member
    org_services.member_update(actor=org.users["off"], member=mem, phone="0912000111", email="cuong@example.vn")
    campaign = study.campaign_create(actor=None, unit=org.G, title="Học tập Nghị quyết", documents=[],
                                     units=[org.G], start=TODAY - 10 * DAY, end=TODAY + 20 * DAY,
                                     essay_required=True, essay_deadline=TODAY + 10 * DAY, min_words=5)
    session = study.session_record(actor=None, campaign=campaign, held_on=TODAY - DAY)
    study.attendance_record(actor=None, session=session, marks={mem.pk: "present"}, unit_path=org.A.path)
    essays.essay_submit(actor=None, campaign=campaign, member=mem, file_name="bai-cuong.txt", data=ESSAY_FILE)
    essays.essay_submit(actor=None, campaign=campaign, member=org.other_member,
                        text="Bài của người khác, không thuộc về Cường.")
    training.ensure_standard_programmes()
    cls = training.class_create(actor=None, unit=org.G, programme=Programme.objects.first(), name="Lớp bồi dưỡng 1",
                                start=TODAY - 5 * DAY, end=TODAY + 5 * DAY, place="", online=False)
    training.enrol(actor=None, training_class=cls, members=[mem], candidates=[])
    rnd = evaluation.round_open(actor=None, unit=org.G, title="Đánh giá năm nay", kind="year",
                                start=datetime.date(TODAY.year, 1, 1), end=datetime.date(TODAY.year, 12, 31))
    rating = evaluation.assessment_save(actor=None, rating=rnd.ratings.get(member=mem), general_points=25,
                                        task_points=55, tasks=[{"title": "Công tác chuyên môn", "result": "on_time"}],
                                        strengths="Nhiệt tình với công việc")
    evaluation.proposal_make(actor=None, rating=rating, level="good", votes_for=3, votes_against=0)
    meeting = meetings.meeting_schedule(actor=None, unit=org.A, kind="regular", date=TODAY - 2 * DAY,
                                        start=datetime.time(19, 30), end=datetime.time(21, 0), place="Nhà văn hóa")
    meetings.attendance_record(actor=None, meeting=meeting, marks={org.sec_member.pk: "present", mem.pk: "present"})
    vote = meetings.vote_open(actor=None, meeting=meeting, question="Bầu phó bí thư chi bộ", secret=True,
                              rule="majority")
    meetings.ballot_cast(vote=vote, member=mem, choice="against")
    dues.dues_pay(actor=None, member=mem, months=[TODAY.replace(day=1)], paid_on=TODAY)
    inspection = inspection_record(actor=None, unit=org.G, kind="inspection", member=mem, start=TODAY - 9 * DAY,
                                   end=TODAY - 8 * DAY, content="Việc đóng đảng phí", conclusion="Thực hiện tốt")
    discipline_record(actor=None, unit=org.G, penalty="khien_trach", decided_on=TODAY - 7 * DAY,
                      reason="Vắng sinh hoạt không lý do", member=mem, inspection=inspection)
    return org


def _download(client, user):
    client.force_login(user)
    response = client.get("/me/data/")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)
                                         if response.streaming else response.content))
    return archive, json.loads(archive.read("du-lieu-ca-nhan.json"))


def _section(data, key):
    return next(s for s in data["sections"] if s["key"] == key)


def test_a_member_downloads_everything_held_about_them(client, lived):
    org = lived
    archive, data = _download(client, org.users["mem"])
    assert data["member"] == "Lê Văn Cường"
    counts = {s["key"]: len(s["records"]) for s in data["sections"]}
    assert counts == {
        "orgs.member": 1, "orgs.history": 2, "orgs.exemptions": 0, "orgs.roles": 0, "orgs.candidacy": 0,
        "accounts.account": 1, "accounts.tokens": 0, "accounts.teams": 0,
        "study.attendance": 1, "essays.essays": 1,
        "training.enrolments": 1, "training.lessons": 0, "training.theory": 0,
        "inspections.inspections": 1, "inspections.recommendations": 0, "inspections.disciplines": 1,
        "evaluation.ratings": 1, "evaluation.tasks": 1, "evaluation.decisions": 0,
        "meetings.attendance": 1, "meetings.votes": 1, "meetings.dues_bases": 0, "meetings.dues": 1,
        "audit.changes": 3,  # created, phone and e-mail set (one change), dues paid
    }
    with translation.override("vi"):  # the download speaks the page's language (Vietnamese by default)
        statuses = [str(MemberStatus.PROBATIONARY.label), str(MemberStatus.FULL.label)]
        essays_title = gettext("Essays")
    assert [h["status"] for h in _section(data, "orgs.history")["records"]] == statuses
    record = _section(data, "orgs.member")["records"][0]
    assert record["phone"] == "0912000111" and record["date_of_birth"] == "1990-07-08"
    # the essay's file travels with the data, byte for byte, named in its record
    essay = _section(data, "essays.essays")["records"][0]
    assert archive.read(essay["file"]) == ESSAY_FILE
    assert essay["file"].startswith("files/essays.essays/") and essay["file"].endswith("bai-cuong.txt")
    # nobody else's records: the other member's essay is not in it
    assert "không thuộc về Cường" not in archive.read("du-lieu-ca-nhan.json").decode()
    # the readable summary opens, a sheet per kind of record after the contents
    book = load_workbook(io.BytesIO(archive.read("tom-tat.xlsx")), read_only=True)
    assert len(book.sheetnames) == 1 + len(data["sections"]) and essays_title in book.sheetnames
    rows = list(book[essays_title].iter_rows(values_only=True))
    assert len(rows) == 2 and isinstance(rows[1][2], datetime.datetime)  # submitted: a real date, not text
    assert set(archive.namelist()) == {"du-lieu-ca-nhan.json", "tom-tat.xlsx", essay["file"]}


def test_each_app_keeps_its_own_privacy_rules_in_the_download(client, lived):
    org = lived
    _archive, data = _download(client, org.users["mem"])
    rating = _section(data, "evaluation.ratings")["records"][0]
    # the member reads all of their own rating, as its page shows it: the proposal and its counts…
    assert (rating["general_points"], rating["task_points"], rating["votes_for"]) == ("25.0", "55.0", 3)
    assert rating["strengths"] == "Nhiệt tình với công việc"
    # …but a level only once decided (it is only proposed here)
    assert rating["level"] is None and rating["decided_on"] is None
    # a secret vote: only that they voted and on what, never how (no such thing is stored)
    votes = _section(data, "meetings.votes")
    assert list(votes["columns"]) == ["date", "question"]
    assert votes["records"] == [{"date": (TODAY - 2 * DAY).isoformat(), "question": "Bầu phó bí thư chi bộ"}]
    # the change log says when and what, not which officer made the change
    changes = _section(data, "audit.changes")
    assert list(changes["columns"]) == ["at", "action", "changes"]
    # the account: its name, never the password's hash
    account = _section(data, "accounts.account")["records"][0]
    assert account["username"] == "mem" and "password" not in account


def test_only_the_member_downloads_their_data_and_each_download_is_logged(client, lived):
    org = lived
    # the secretary of the member's cell gets their own data, whatever they add to the address
    client.force_login(org.users["sec"])
    response = client.get(f"/me/data/?member={org.mem_member.pk}")
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("du-lieu-ca-nhan.json"))
    assert data["member"] == "Trần Thị Bình"
    assert _section(data, "essays.essays")["records"] == []
    assert len(_section(data, "orgs.roles")["records"]) == 1  # her own role as secretary
    # an officer with every key but no member record has nothing to download
    client.force_login(org.users["off"])
    assert client.get("/me/data/").status_code == 404
    client.logout()
    assert client.get("/me/data/").status_code == 302  # to the login page
    _download(client, org.users["mem"])
    logged = list(RecordRead.objects.filter(via=RecordRead.Via.EXPORT).order_by("id")
                  .values_list("reader__username", "member_id", "unit_path"))
    assert logged == [("sec", org.sec_member.pk, org.A.path), ("mem", org.mem_member.pk, org.A.path)]


def test_every_app_with_records_of_members_contributes_through_its_own_module():
    """The download knows no app: each one's personal_data.records_of is found by its name."""
    modules = [f.__module__ for f in sources()]
    assert modules[0] == "dangvu.orgs.personal_data" and modules[-1] == "dangvu.audit.personal_data"
    assert set(modules) == {f"dangvu.{app}.personal_data" for app in (
        "orgs", "accounts", "study", "essays", "training", "inspections", "evaluation", "meetings", "audit")}


def test_the_member_page_and_the_notebook_offer_the_download_to_the_member_only(client, lived):
    org = lived
    client.force_login(org.users["mem"])
    assert 'href="/me/data/"' in client.get(f"/members/{org.mem_member.pk}/").content.decode()
    assert 'href="/me/data/"' in client.get("/so-tay/").content.decode()
    client.force_login(org.users["sec"])
    assert 'href="/me/data/"' not in client.get(f"/members/{org.mem_member.pk}/").content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).count() == 0
