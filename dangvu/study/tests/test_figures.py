"""Every figure a page, the API or the report prints, checked against rows counted directly."""

import datetime
import random

import pytest

from conftest import make_member
from dangvu.essays import services as essay_services
from dangvu.essays.models import Essay, EssayStatus, ReturnReason
from dangvu.orgs.models import ACTIVE_STATUSES, Member
from dangvu.study import services
from dangvu.study.models import Attendance, SessionMode
from dangvu.study.selectors import campaign_figures, campaign_rollup, missing_members, session_figures

from .conftest import DAY, TODAY


@pytest.fixture
def activity(org, campaign):
    rng = random.Random(7)
    for n in range(12):
        make_member(org.A if n % 2 else org.B, f"Đảng viên Số {n}", datetime.date(1980, 1, n + 1))
    make_member(org.B, "Người Đã Chuyển", datetime.date(1970, 1, 1), status="chuyen_di")
    members = list(Member.objects.filter(status__in=ACTIVE_STATUSES))
    s1 = services.session_record(actor=None, campaign=campaign, held_on=TODAY - 5 * DAY,
                                 mode=SessionMode.ONLINE, points=[services.PointIn("Hội trường xã", 40),
                                                                  services.PointIn("Nhà văn hóa thôn", 25)])
    s2 = services.session_record(actor=None, campaign=campaign, held_on=TODAY - 4 * DAY)
    for session in (s1, s2):
        services.attendance_record(actor=None, session=session, unit_path=org.G.path,
                                   marks={m.pk: rng.choice(["present", "present", "absent", "excused"]) for m in members})
    for m in members:
        if rng.random() < 0.7:
            essay = essay_services.essay_submit(actor=None, campaign=campaign, member=m, text=f"Bài viết của {m.full_name}.",
                                          today=TODAY)
            roll = rng.random()
            if roll < 0.3:
                essay_services.essay_review(actor=None, essay=essay, accept=False,
                                      reason=rng.choice([ReturnReason.THIN, ReturnReason.COPIED]))
                if rng.random() < 0.5:
                    essay_services.essay_submit(actor=None, campaign=campaign, member=m, text="Bài viết lại, đầy đủ hơn.")
            elif roll < 0.8:
                essay_services.essay_review(actor=None, essay=essay, accept=True)
    return campaign


@pytest.mark.parametrize("unit_name", ["G", "A", "B"])
def test_rollup_matches_rows_counted_directly(org, activity, unit_name):
    unit = getattr(org, unit_name)
    f = campaign_rollup(activity, org.G)[unit.path]
    assert campaign_figures(activity, unit) == f  # the one-unit selector agrees with the roll-up
    eligible = Member.objects.filter(unit__path__startswith=unit.path, status__in=ACTIVE_STATUSES)
    assert f.eligible == eligible.count() > 0
    present = Attendance.objects.filter(session__campaign=activity, status="present", member__in=eligible)
    assert f.attended == present.values("member").distinct().count()
    essays = Essay.objects.filter(campaign=activity, member__in=eligible)
    assert f.required == eligible.count()
    assert f.submitted == essays.count()
    assert f.passed == essays.filter(status=EssayStatus.PASSED).count()
    assert f.returned_now == essays.filter(status=EssayStatus.RETURNED).count()
    assert f.awaiting == essays.filter(status__in=[EssayStatus.SUBMITTED, EssayStatus.RESUBMITTED]).count()
    for reason in ReturnReason.values:
        assert f.returned[reason] == essays.filter(was_returned=True, return_reason=reason).count()
    assert unit_name != "G" or f.returned_total > 0  # the data exercises every branch
    assert f.missing == missing_members(activity, unit).count()


def test_session_figures_count_heads_at_points_else_members_present(org, activity):
    figures = session_figures(activity, org.G)
    present_s2 = Attendance.objects.filter(session__campaign=activity, session__mode="in_person",
                                           status="present").count()
    assert (figures.sessions, figures.online_sessions, figures.connection_points) == (2, 1, 2)
    assert figures.attendances == 40 + 25 + present_s2
    # a cell sees the sessions its members attended and their presences, never the commune's head
    # counts: at the online conference, counted by head at the commune's points, it counts its own
    # members present (issue 23: never 0 when its members attended)
    cell = session_figures(activity, org.A)
    present_a = Attendance.objects.filter(session__campaign=activity, status="present", member__unit=org.A)
    assert present_a.filter(session__mode="online").count() > 0  # the data exercises the rule
    assert (cell.connection_points, cell.attendances) == (0, present_a.count())


def test_unit_page_api_and_campaign_page_show_the_selector_figures(client, org, activity):
    client.force_login(org.users["off"])
    f = campaign_rollup(activity, org.G)[org.G.path]
    page = client.get(f"/campaigns/{activity.pk}/").content.decode()
    assert f'id="fig-submitted">{f.submitted}/{f.required}<' in page
    data = client.get(f"/api/campaigns/{activity.pk}").json()
    assert data["figures"]["submitted"] == f.submitted
    assert data["figures"]["returned_total"] == f.returned_total
    assert {u["unit_name"] for u in data["by_unit"]} == {org.A.name, org.B.name}


def test_year_summary_counts_as_the_report_does(client, org, activity):
    from dangvu.study.models import ConnectionPoint, StudySession
    from dangvu.study.selectors import year_summary
    from dangvu.training.models import Enrolment, Programme
    from dangvu.training.services import class_create, enrol, ensure_standard_programmes, result_record

    awareness = ensure_standard_programmes()[0]
    cls = class_create(actor=None, unit=org.A, programme=awareness, name="Lớp nhận thức", start=TODAY, end=TODAY)
    candidate = org.A.candidates.create(full_name="Vi Thị Gấm", date_of_birth=datetime.date(2000, 1, 1), sex="nu")
    enrol(actor=None, training_class=cls, candidates=[candidate])
    result_record(actor=None, enrolment=cls.enrolments.get(), result="completed", certificate_number="12/2026")

    s = year_summary(org.G, activity.start.year)
    assert s.campaigns == 1
    assert s.sessions.connection_points == ConnectionPoint.objects.count()
    assert s.sessions.sessions == StudySession.objects.count()
    assert s.figures == campaign_rollup(activity, org.G)[org.G.path]
    assert (s.awareness.classes, s.awareness.enrolled, s.awareness.completed) == (
        1, Enrolment.objects.filter(training_class__programme__kind=Programme.Kind.AWARENESS).count(), 1)
    candidate.refresh_from_db()
    assert candidate.stage == "da_hoc"
    client.force_login(org.users["off"])
    text = client.get(f"/units/{org.G.pk}/campaigns/?year={s.year}").content.decode()
    assert f"{s.figures.submitted}/{s.figures.required}" in text


def test_year_summary_api_uses_the_same_selector_and_scope(client, org, activity):
    from dangvu.study.selectors import year_summary

    s = year_summary(org.A, activity.start.year)
    client.force_login(org.users["sec"])
    data = client.get(f"/api/units/{org.A.pk}/study-summary?year={s.year}").json()
    assert (data["figures"]["submitted"], data["figures"]["eligible"], data["attendances"]) == (
        s.figures.submitted, s.figures.eligible, s.sessions.attendances)
    assert client.get(f"/api/units/{org.B.pk}/study-summary?year={s.year}").status_code == 404


def test_figures_by_unit_export_matches_the_page(client, org, activity):
    import io

    from openpyxl import load_workbook

    client.force_login(org.users["off"])
    response = client.get(f"/campaigns/{activity.pk}/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    rollup = campaign_rollup(activity, org.G)
    by_name = {r[0]: r for r in rows[1:]}
    for unit in (org.G, org.A, org.B):
        f = rollup[unit.path]
        assert by_name[unit.name][1:7] == (f.eligible, f.attended, f.required, f.submitted, f.passed, f.returned_total)
