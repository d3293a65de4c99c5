"""Who sees and changes what in study: a cell never reaches another cell's members or essays."""

import pytest

from dangvu.essays import services as essay_services
from dangvu.essays.models import Essay, EssayStatus
from dangvu.study import services
from dangvu.study.models import Attendance

from .conftest import DAY, TODAY


@pytest.fixture
def essays(org, campaign):
    return {name: essay_services.essay_submit(actor=None, campaign=campaign, member=getattr(org, name), text=f"Bài {name}.",
                                        today=TODAY)
            for name in ("sec_member", "mem_member", "out_member")}


def login(client, org, persona):
    client.force_login(org.users[persona])
    return client


CASES = [
    # (persona, method, url builder, expected status)
    ("sec", "get", lambda o, c, e: f"/campaigns/{c.pk}/", 200),
    ("out", "get", lambda o, c, e: f"/essays/{e['mem_member'].pk}/", 404),
    ("out", "post", lambda o, c, e: f"/essays/{e['mem_member'].pk}/", 404),
    ("sec", "get", lambda o, c, e: f"/essays/{e['out_member'].pk}/", 404),
    ("mem", "get", lambda o, c, e: f"/essays/{e['mem_member'].pk}/", 200),
    ("mem", "get", lambda o, c, e: f"/essays/{e['sec_member'].pk}/", 404),
    ("mem", "get", lambda o, c, e: f"/campaigns/{c.pk}/", 404),
    ("mem", "post", lambda o, c, e: f"/essays/{e['mem_member'].pk}/", 403),
    ("view", "get", lambda o, c, e: f"/campaigns/{c.pk}/essays/", 200),
    ("view", "post", lambda o, c, e: f"/essays/{e['mem_member'].pk}/", 403),
    ("view", "get", lambda o, c, e: f"/campaigns/{c.pk}/sessions/new/", 403),
    ("sec", "get", lambda o, c, e: f"/campaigns/{c.pk}/sessions/new/", 200),  # a make-up session of cell A
    ("view", "post", lambda o, c, e: f"/campaigns/{c.pk}/scan/", 403),
    ("out", "get", lambda o, c, e: f"/units/{o.G.pk}/documents/", 404),
    ("mem", "get", lambda o, c, e: f"/documents/{c.documents.get().pk}/", 200),
    ("out", "get", lambda o, c, e: f"/api/essays/{e['mem_member'].pk}", 404),
    ("mem", "get", lambda o, c, e: f"/api/campaigns/{c.pk}", 404),
    ("view", "post", lambda o, c, e: f"/api/essays/{e['mem_member'].pk}/review", 403),
]


@pytest.mark.parametrize("persona,method,url,expected", CASES)
def test_study_access(client, org, campaign, essays, persona, method, url, expected):
    login(client, org, persona)
    target = url(org, campaign, essays)
    if method == "get":
        response = client.get(target)
    elif target.startswith("/api/"):
        response = client.post(target, {"accept": False, "reason": "copied"}, content_type="application/json")
    else:
        response = client.post(target, {"decision": "return", "reason": "copied"})
    assert response.status_code == expected
    assert Essay.objects.filter(status=EssayStatus.RETURNED).count() == 0


def test_cell_secretary_sees_the_district_campaign_clipped_to_the_cell(client, org, campaign, essays):
    login(client, org, "sec")
    page = client.get(f"/campaigns/{campaign.pk}/essays/")
    names = {m.full_name for m, _e in page.context["rows"]}
    assert names == {"Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"}
    assert {m.full_name: e and e.pk for m, e in page.context["rows"]} == {
        "Trần Thị Bình": essays["sec_member"].pk, "Lê Văn Cường": essays["mem_member"].pk, "Phạm Thị Dung": None}
    data = client.get(f"/api/campaigns/{campaign.pk}").json()
    assert (data["figures"]["unit_id"], data["figures"]["eligible"], data["figures"]["submitted"]) == (org.A.pk, 3, 2)
    api = client.get(f"/api/campaigns/{campaign.pk}/essays").json()
    assert {e["member_name"] for e in api["items"]} == {"Trần Thị Bình", "Lê Văn Cường"}


def test_a_secretary_marks_attendance_only_in_their_cell(client, org, campaign):
    session = services.session_record(actor=None, campaign=campaign, held_on=TODAY - DAY)
    login(client, org, "sec")
    # a member of another cell slipped into the form: nothing is saved, and the page gives the id,
    # never the name of someone the secretary may not see; an absurd id is refused the same way
    for stray in (org.out_member.pk, 10**30):
        refused = client.post(f"/sessions/{session.pk}/", {f"m{org.mem_member.pk}": "present", f"m{stray}": "present"})
        page = refused.content.decode()
        assert refused.status_code == 200 and str(stray) in page and "Hoàng Văn Em" not in page
        assert not Attendance.objects.exists()
    client.post(f"/sessions/{session.pk}/", {f"m{org.mem_member.pk}": "present"})
    assert list(Attendance.objects.values_list("member_id", flat=True)) == [org.mem_member.pk]
    response = client.put(f"/api/sessions/{session.pk}/attendance", {"marks": {str(org.out_member.pk): "present"}},
                          content_type="application/json")
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert str(org.out_member.pk) in message and "Hoàng Văn Em" not in message
    assert Attendance.objects.count() == 1


def test_attendance_is_marked_a_page_at_a_time(client, org, campaign, monkeypatch):
    """A committee officer gets the members a page at a time: saving a page changes
    that page's marks only and comes back to it; the Excel sheet has everyone."""
    import io

    from openpyxl import load_workbook

    from dangvu.study import views

    monkeypatch.setattr(views, "ATTENDANCE_PAGE", 2)
    session = services.session_record(actor=None, campaign=campaign, held_on=TODAY - DAY)
    login(client, org, "off")
    members = list(services.eligible_members(campaign).order_by("unit__path", "sort_key", "id"))
    assert len(members) > 2
    first = client.get(f"/sessions/{session.pk}/").content.decode()
    second = client.get(f"/sessions/{session.pk}/?page=2").content.decode()
    assert members[0].full_name in first and members[0].full_name not in second
    assert members[2].full_name in second and members[2].full_name not in first
    saved = client.post(f"/sessions/{session.pk}/?page=2", {f"m{members[2].pk}": "absent"})
    assert saved.status_code == 302 and saved["Location"].endswith("?page=2")
    client.post(f"/sessions/{session.pk}/?page=1", {f"m{members[0].pk}": "present"})
    assert dict(Attendance.objects.values_list("member_id", "status")) == {members[0].pk: "present",
                                                                            members[2].pk: "absent"}
    sheet = load_workbook(io.BytesIO(client.get(f"/sessions/{session.pk}/?format=xlsx").content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert sorted(names) == sorted(m.full_name for m in members)


def test_members_submit_their_own_essay_in_the_notebook_and_api(client, org, campaign):
    login(client, org, "mem")
    notebook = client.get("/so-tay/").content.decode()
    assert campaign.title in notebook and campaign.essay_deadline.strftime("%d/%m/%Y") in notebook
    text = " ".join(["Bài thu hoạch của tôi về học tập nghị quyết."] * 7)  # 63 words; the campaign asks 60
    client.post(f"/so-tay/campaigns/{campaign.pk}/essay/", {"text": text})
    assert Essay.objects.get(member=org.mem_member).text == text
    other = client.post(f"/api/campaigns/{campaign.pk}/essays", {"member_id": org.sec_member.pk, "text": "giả mạo"},
                        content_type="application/json")
    assert other.status_code in (403, 404)
    assert not Essay.objects.filter(member=org.sec_member).exists()
    login(client, org, "out")  # B's secretary is in the campaign too, but not for A's members
    assert client.get(f"/so-tay/campaigns/{campaign.pk}/essay/").status_code == 200
    assert client.post(f"/api/campaigns/{campaign.pk}/essays", {"member_id": org.mem_member.pk, "text": "x"},
                       content_type="application/json").status_code in (403, 404)


def test_ids_and_years_in_forms_are_never_written_with_thousand_separators(client, org, campaign):
    """Vietnamese number formatting writes 7900 as “7.900”: form field names and values must not."""
    import datetime

    from dangvu.orgs.history import first_spans
    from dangvu.orgs.models import Member, MemberSpan

    big = Member.objects.create(id=23456, unit=org.A, full_name="Vi Văn Lớn", date_of_birth=datetime.date(1990, 1, 1),
                                sex="nam", admission_date=datetime.date(2015, 1, 1), status="chinh_thuc")
    MemberSpan.objects.bulk_create(first_spans(big))  # a member's history, as the services write it
    session = services.session_record(actor=None, campaign=campaign, held_on=TODAY - DAY)
    login(client, org, "off")
    page = client.get(f"/sessions/{session.pk}/").content.decode()
    assert 'name="m23456"' in page and "m23.456" not in page
    client.post(f"/sessions/{session.pk}/", {"m23456": "present"})
    assert Attendance.objects.get().member_id == 23456
    summary = client.get(f"/units/{org.G.pk}/campaigns/").content.decode()
    assert f"Số liệu năm {TODAY.year}<" in summary
    assert f'value="{TODAY.year}"' in summary and f"{TODAY.year // 1000}.{TODAY.year % 1000:03d}" not in summary


def test_only_the_organisers_record_sessions_and_check_the_whole_campaign(client, org, campaign):
    from dangvu.essays.models import IntegrityScan
    from dangvu.study.models import StudySession

    login(client, org, "sec")  # sees the campaign from cell A, holds study:write over A only
    body = {"held_on": (TODAY - DAY).isoformat(), "mode": "in_person"}
    made = client.post(f"/api/campaigns/{campaign.pk}/sessions", body, content_type="application/json")
    assert made.status_code == 201 and StudySession.objects.get().unit == org.A  # a make-up session of A only
    online = dict(body, mode="online", points=[{"name": "Hội trường", "head_count": 10}])
    assert client.post(f"/api/campaigns/{campaign.pk}/sessions", online,
                       content_type="application/json").status_code == 422  # not the campaign's conference
    assert client.post(f"/api/campaigns/{campaign.pk}/scans").status_code == 403
    assert client.post(f"/campaigns/{campaign.pk}/scan/").status_code == 403
    assert StudySession.objects.count() == 1 and not IntegrityScan.objects.exists()
    login(client, org, "off")
    assert client.post(f"/api/campaigns/{campaign.pk}/sessions", body, content_type="application/json").status_code == 201
    scan = client.post(f"/api/campaigns/{campaign.pk}/scans").json()
    login(client, org, "sec")
    assert client.get(f"/api/scans/{scan['id']}").status_code == 403


def test_organisers_correct_a_campaign_and_nobody_else_can(client, org, campaign, studied_document):
    from dangvu.audit.models import AuditEntry

    url = f"/campaigns/{campaign.pk}/edit/"
    form = {"title": "Học tập Nghị quyết 66-NQ/TW (bổ sung)", "documents": [studied_document.pk], "units": [org.G.pk],
            "start": campaign.start.isoformat(), "end": campaign.end.isoformat(), "essay_required": "on",
            "essay_deadline": (campaign.essay_deadline + 7 * DAY).isoformat(), "min_words": "80"}
    for persona in ("sec", "out", "view"):  # a cell's secretary, another cell's, a reader of the whole committee
        login(client, org, persona)
        assert client.get(url).status_code == 403
        assert client.post(url, form).status_code == 403
    login(client, org, "off")
    assert campaign.title in client.get(url).content.decode()
    late = dict(form, end=(campaign.start - DAY).isoformat())
    refused = client.post(url, late)
    assert refused.status_code == 200 and "Ngày kết thúc trước ngày bắt đầu." in refused.content.decode()
    campaign.refresh_from_db()
    assert campaign.title == "Học tập Nghị quyết 66-NQ/TW" and campaign.min_words == 60
    assert client.post(url, form).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.min_words) == ("Học tập Nghị quyết 66-NQ/TW (bổ sung)", 80)
    assert campaign.essay_deadline == TODAY + 28 * DAY
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, model="study.campaign").latest("id")
    assert set(entry.changes) == {"title", "essay_deadline", "min_words"}
    assert entry.actor == org.users["off"]


def test_organisers_correct_a_session_and_its_points_and_attendance_stays(client, org, campaign):
    from dangvu.audit.models import AuditEntry
    from dangvu.study.models import SessionMode

    session = services.session_record(actor=None, campaign=campaign, held_on=TODAY - DAY, mode=SessionMode.ONLINE,
                                      points=[services.PointIn("Hội trường xã", 40)])
    services.attendance_record(actor=None, session=session, marks={org.mem_member.pk: "present"},
                               unit_path=org.G.path)
    url = f"/sessions/{session.pk}/edit/"
    form = {"title": "Hội nghị trực tuyến", "held_on": (TODAY - 2 * DAY).isoformat(), "mode": SessionMode.ONLINE,
            "place": "", "points": "Hội trường xã; 45\nNhà văn hóa thôn 2; 30"}
    login(client, org, "sec")
    assert client.get(url).status_code == 403 and client.post(url, form).status_code == 403
    login(client, org, "off")
    assert "Hội trường xã; 40" in client.get(url).content.decode()
    outside = client.post(url, dict(form, held_on=(campaign.end + DAY).isoformat()))
    assert outside.status_code == 200 and "Buổi học phải nằm trong thời gian của đợt" in outside.content.decode()
    assert client.post(url, form).status_code == 302
    session.refresh_from_db()
    assert session.held_on == TODAY - 2 * DAY and session.title == "Hội nghị trực tuyến"
    assert sorted(session.points.values_list("name", "head_count")) == [("Hội trường xã", 45), ("Nhà văn hóa thôn 2", 30)]
    assert list(Attendance.objects.values_list("member_id", "status")) == [(org.mem_member.pk, "present")]
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, model="study.studysession").latest("id")
    assert set(entry.changes) == {"held_on", "title", "points"}
