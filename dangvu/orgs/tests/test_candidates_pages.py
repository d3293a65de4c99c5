"""Admission candidates on their pages (issue 23): added, corrected, moved through the stages
and admitted by the cell's secretary and by the committee's office, on a phone; every refusal
names its field, or names nothing where the id submitted is not the user's to use."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dangvu.audit.models import AuditEntry
from dangvu.documents.services import document_issue
from dangvu.lib.measures import Query
from dangvu.lib.measures import get as measure
from dangvu.lib.periods import Period
from dangvu.orgs import services
from dangvu.orgs.models import Candidate, Change, Member, MemberSpan, MemberStatus, Term

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14; SM-A155F) Mobile Safari/537.36"}
Stage = Candidate.Stage


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def years_ago(years: int, day: datetime.date = TODAY) -> datetime.date:
    return services.birthday(day, -years)


def admitted_in(unit, period: Period) -> int:
    values = measure("members.admitted").compute(Query(unit, period))
    return int(values[unit.path].value) if unit.path in values else 0


def admitted_directly(unit, period: Period) -> int:
    """Counted from the stretches themselves: admissions into the cell in the period."""
    return MemberSpan.objects.filter(unit=unit, start_change=Change.ADMITTED, start__gte=period.start,
                                     start__lte=period.end).count()


def considered(unit, name="Hà Thị Mai", dob=datetime.date(2001, 3, 4)) -> Candidate:
    return services.candidate_create(actor=None, unit=unit, full_name=name, date_of_birth=dob, sex="nu",
                                     stage=Stage.CONSIDERED)


def register(unit, symbol: str, congress_closed_on=datetime.date(2025, 8, 20)):
    """Give `unit` a document register: a symbol and a term."""
    unit = services.unit_update(actor=None, unit=unit, symbol=symbol)
    services.term_create(actor=None, unit=unit, name="2025-2030", congress_closed_on=congress_closed_on)
    return unit


@pytest.fixture
def decision_of_A(org):
    org.A = register(org.A, "CB", datetime.date(2025, 6, 1))
    return document_issue(actor=None, unit=org.A, doc_type="TB", issued_on=TODAY - 5 * DAY,
                          summary="Thông báo kết quả xét kết nạp quần chúng Hà Thị Mai")


@pytest.fixture
def decision_of_G(org):
    org.G = register(org.G, "ĐU")
    return document_issue(actor=None, unit=org.G, doc_type="QĐ", issued_on=TODAY - 4 * DAY,
                          summary="Quyết định kết nạp đảng viên")


def test_the_cell_secretary_adds_moves_and_admits_a_candidate_on_a_phone(client, org, decision_of_A):
    client.force_login(org.users["sec"])
    listing = client.get(f"/units/{org.A.pk}/candidates/", **PHONE).content.decode()
    assert 'id="add-candidate"' in listing
    assert 'name="full_name"' in client.get(f"/units/{org.A.pk}/candidates/new/", **PHONE).content.decode()
    answer = client.post(f"/units/{org.A.pk}/candidates/new/", {
        "full_name": "Hà Thi Mai", "date_of_birth": "04/03/2001", "sex": "nu", "stage": Stage.INTRODUCED}, **PHONE)
    candidate = Candidate.objects.get(unit=org.A)
    assert answer.status_code == 302 and answer["Location"] == f"/candidates/{candidate.pk}/"
    assert (candidate.date_of_birth, candidate.stage) == (datetime.date(2001, 3, 4), Stage.INTRODUCED)

    assert client.get(f"/candidates/{candidate.pk}/edit/", **PHONE).status_code == 200
    answer = client.post(f"/candidates/{candidate.pk}/edit/", {
        "full_name": "Hà Thị Mai", "date_of_birth": "04/03/2001", "sex": "nu"}, **PHONE)
    assert answer.status_code == 302
    candidate.refresh_from_db()
    assert candidate.full_name == "Hà Thị Mai"

    stage_url = f"/candidates/{candidate.pk}/stage/"
    for stage in (Stage.STUDYING, Stage.STUDIED, Stage.CONSIDERED, Stage.STUDIED, Stage.CONSIDERED):  # one back
        assert client.post(stage_url, {"stage": stage}, **PHONE).status_code == 302
        candidate.refresh_from_db()
        assert candidate.stage == stage
    page = client.get(f"/candidates/{candidate.pk}/", **PHONE).content.decode()
    assert 'id="admit"' in page and 'id="stage-back"' in page and 'id="stage-next"' not in page

    period = Period(datetime.date(TODAY.year - 1, 1, 1), TODAY)
    before = admitted_in(org.A, period), admitted_in(org.G, period), admitted_directly(org.A, period)
    admit_page = client.get(f"/candidates/{candidate.pk}/admit/", **PHONE).content.decode()
    assert decision_of_A.reference in admit_page
    answer = client.post(f"/candidates/{candidate.pk}/admit/", {
        "admission_date": dmy(TODAY - 2 * DAY), "decision": decision_of_A.pk}, **PHONE)
    assert answer.status_code == 302
    candidate.refresh_from_db()
    member = candidate.member
    assert answer["Location"] == f"/members/{member.pk}/"
    assert candidate.stage == Stage.ADMITTED
    assert (member.unit, member.full_name, member.date_of_birth, member.sex) == (
        org.A, "Hà Thị Mai", datetime.date(2001, 3, 4), "nu")
    assert (member.status, member.admission_date, member.official_date) == (
        MemberStatus.PROBATIONARY, TODAY - 2 * DAY, None)
    span = MemberSpan.objects.get(member=member)
    assert (span.start, span.start_change, span.status, span.decision) == (
        TODAY - 2 * DAY, Change.ADMITTED, MemberStatus.PROBATIONARY, decision_of_A)
    after = admitted_in(org.A, period), admitted_in(org.G, period), admitted_directly(org.A, period)
    assert after == (before[0] + 1, before[1] + 1, before[2] + 1) and after[0] == after[2]

    actions = list(AuditEntry.objects.filter(model="orgs.candidate", object_id=str(candidate.pk))
                   .order_by("id").values_list("action", "actor__username"))
    assert actions[0] == (AuditEntry.Action.CREATE, "sec") and len(actions) == 8  # create, edit, 5 steps, admission
    assert AuditEntry.objects.filter(model="orgs.member", object_id=str(member.pk), actor__username="sec").exists()
    page = client.get(f"/candidates/{candidate.pk}/", **PHONE).content.decode()
    assert 'id="member-link"' in page and 'id="admit"' not in page and 'id="stage-back"' not in page


def test_the_committee_office_admits_with_the_communes_decision(client, org, decision_of_G):
    candidate = considered(org.B)
    client.force_login(org.users["off"])
    page = client.get(f"/candidates/{candidate.pk}/admit/", **PHONE).content.decode()
    assert decision_of_G.reference in page
    answer = client.post(f"/candidates/{candidate.pk}/admit/", {
        "admission_date": dmy(TODAY - DAY), "decision": decision_of_G.pk}, **PHONE)
    assert answer.status_code == 302
    member = Member.objects.get(candidacy=candidate)
    assert (member.unit, member.status, member.admission_date) == (org.B, MemberStatus.PROBATIONARY, TODAY - DAY)
    assert MemberSpan.objects.get(member=member).decision == decision_of_G
    # and adds one from the commune's list of candidates, at the stage they reached
    answer = client.post(f"/units/{org.B.pk}/candidates/new/", {
        "full_name": "Sầm Văn Tú", "date_of_birth": "12/12/1999", "sex": "nam", "stage": Stage.STUDIED}, **PHONE)
    assert answer.status_code == 302
    assert Candidate.objects.get(full_name="Sầm Văn Tú").stage == Stage.STUDIED


@pytest.mark.parametrize(("dob", "day", "field", "message"), [
    (datetime.date(2001, 3, 4), TODAY + 3 * DAY, "admission_date", "ở tương lai"),
    (years_ago(17), TODAY - DAY, "admission_date", "đủ 18 tuổi"),
    (datetime.date(1990, 1, 1), datetime.date(2019, 12, 31), "admission_date", "thành lập"),
    (datetime.date(2001, 3, 4), "30/02/2025", "admission_date", "ngày hợp lệ"),
])
def test_a_wrong_admission_date_is_named_on_its_field_and_nothing_changes(client, org, dob, day, field, message):
    candidate = considered(org.A, dob=dob)
    client.force_login(org.users["sec"])
    answer = client.post(f"/candidates/{candidate.pk}/admit/",
                         {"admission_date": day if isinstance(day, str) else dmy(day)}, **PHONE)
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.member) == (Stage.CONSIDERED, None)
    assert not Member.objects.filter(full_name="Hà Thị Mai").exists()


def test_a_decision_dated_after_the_admission_is_named(client, org, decision_of_G):
    candidate = considered(org.A)
    client.force_login(org.users["off"])
    answer = client.post(f"/candidates/{candidate.pk}/admit/", {
        "admission_date": dmy(TODAY - 10 * DAY), "decision": decision_of_G.pk})
    assert answer.status_code == 200 and "decision" in answer.context["form"].errors
    assert Candidate.objects.get(pk=candidate.pk).member is None


def test_a_decision_the_user_may_not_cite_is_refused_naming_nothing(client, org, decision_of_G):
    """A's secretary does not read the commune's register: its decision, a made-up id and a
    word are refused alike, 404, and nothing is written."""
    candidate = considered(org.A)
    client.force_login(org.users["sec"])
    assert decision_of_G.reference not in client.get(f"/candidates/{candidate.pk}/admit/").content.decode()
    for value in (decision_of_G.pk, decision_of_G.pk + 1000, "abc"):
        answer = client.post(f"/candidates/{candidate.pk}/admit/", {"admission_date": dmy(TODAY - DAY),
                                                                    "decision": value})
        assert answer.status_code == 404
        assert decision_of_G.summary not in answer.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).member is None and Member.objects.count() == 4


def test_another_cells_secretary_gets_404_everywhere(client, org):
    candidate = considered(org.A)
    client.force_login(org.users["out"])
    for url in (f"/candidates/{candidate.pk}/", f"/candidates/{candidate.pk}/edit/",
                f"/candidates/{candidate.pk}/admit/", f"/units/{org.A.pk}/candidates/",
                f"/units/{org.A.pk}/candidates/new/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/candidates/{candidate.pk}/stage/", {"stage": Stage.STUDIED}).status_code == 404
    assert client.post(f"/candidates/{candidate.pk}/admit/", {"admission_date": dmy(TODAY)}).status_code == 404
    assert client.post(f"/candidates/{candidate.pk}/edit/", {
        "full_name": "X Y Z", "date_of_birth": "01/01/2000", "sex": "nam"}).status_code == 404
    # a candidate that does not exist answers the same
    assert client.get(f"/candidates/{candidate.pk + 1000}/").status_code == 404
    candidate.refresh_from_db()
    assert (candidate.full_name, candidate.stage, candidate.member) == ("Hà Thị Mai", Stage.CONSIDERED, None)


def test_a_reader_without_write_reads_but_may_not_act(client, org):
    candidate = considered(org.A)
    client.force_login(org.users["view"])
    page = client.get(f"/candidates/{candidate.pk}/", **PHONE).content.decode()
    assert "Hà Thị Mai" in page and 'id="admit"' not in page and 'id="stage-back"' not in page
    assert 'id="add-candidate"' not in client.get(f"/units/{org.A.pk}/candidates/").content.decode()
    for url in (f"/candidates/{candidate.pk}/edit/", f"/candidates/{candidate.pk}/admit/",
                f"/units/{org.A.pk}/candidates/new/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/candidates/{candidate.pk}/stage/", {"stage": Stage.STUDIED}).status_code == 403
    assert client.post(f"/candidates/{candidate.pk}/admit/", {"admission_date": dmy(TODAY)}).status_code == 403
    assert client.post(f"/units/{org.A.pk}/candidates/new/", {
        "full_name": "Lò Văn Sáng", "date_of_birth": "01/01/2000", "sex": "nam"}).status_code == 403
    client.force_login(org.users["mem"])  # a plain member reads no one's record
    assert client.get(f"/candidates/{candidate.pk}/").status_code == 404
    assert Candidate.objects.count() == 1 and Candidate.objects.get().stage == Stage.CONSIDERED


def test_stages_move_one_at_a_time_and_admission_only_by_its_action(client, org):
    candidate = services.candidate_create(actor=None, unit=org.A, full_name="Mùa A Páo",
                                          date_of_birth=datetime.date(2000, 2, 2), sex="nam")
    client.force_login(org.users["sec"])
    for stage in (Stage.CONSIDERED, Stage.ADMITTED, "bay_di"):
        answer = client.post(f"/candidates/{candidate.pk}/stage/", {"stage": stage}, follow=True)
        assert [m.level_tag for m in answer.context["messages"]] == ["error"]
        assert Candidate.objects.get(pk=candidate.pk).stage == Stage.INTRODUCED
    answer = client.post(f"/candidates/{candidate.pk}/admit/", {"admission_date": dmy(TODAY - DAY)})
    assert answer.status_code == 200 and answer.context["form"].non_field_errors()  # not considered yet
    assert Candidate.objects.get(pk=candidate.pk).member is None
    with pytest.raises(ValidationError) as refused:
        services.candidate_create(actor=None, unit=org.A, full_name="Mùa A Páo", date_of_birth=datetime.date(2000, 2, 2),
                                  sex="nam")
    assert "full_name" in refused.value.error_dict  # once on the cell's list
    with pytest.raises(ValidationError) as refused:
        services.candidate_create(actor=None, unit=org.G, full_name="Vàng Thị Dợ", date_of_birth=datetime.date(2000, 2, 2),
                                  sex="nu")
    assert "unit" in refused.value.error_dict  # candidates are introduced to a cell
    with pytest.raises(ValidationError) as refused:
        services.candidate_create(actor=None, unit=org.A, full_name="Vàng Thị Dợ", date_of_birth=years_ago(15),
                                  sex="nu")
    assert "date_of_birth" in refused.value.error_dict


def test_an_admitted_candidate_is_the_members_record_now(client, org):
    candidate = considered(org.A)
    member = services.candidate_admit(actor=None, candidate=candidate, admission_date=TODAY - DAY)
    client.force_login(org.users["sec"])
    for url in (f"/candidates/{candidate.pk}/edit/", f"/candidates/{candidate.pk}/admit/"):
        assert client.get(url).status_code == 302
    assert client.post(f"/candidates/{candidate.pk}/stage/", {"stage": Stage.CONSIDERED}).status_code == 302
    with pytest.raises(ValidationError):
        services.candidate_admit(actor=None, candidate=candidate, admission_date=TODAY - DAY)
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.ADMITTED
    assert Member.objects.filter(full_name="Hà Thị Mai").get() == member


def test_a_term_cannot_start_before_its_unit_was_founded(org):
    """A's valid from 1/1/2020: a congress closing on 30/12/2019 would start a term before it."""
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.term_create(actor=None, unit=org.A, name="2019-2020", congress_closed_on=datetime.date(2019, 12, 30))
    assert "thành lập" in " ".join(refused.value.error_dict["congress_closed_on"][0].messages)
    assert not Term.objects.filter(unit=org.A).exists()
    term = services.term_create(actor=None, unit=org.A, name="2020-2022", congress_closed_on=datetime.date(2019, 12, 31))
    assert term.start == org.A.valid_from


def test_the_demo_starts_no_term_before_its_unit(db):
    from django.db.models import F

    from dangvu.orgs.demo import build_demo

    build_demo(members=300, seed=5, progress=False)
    assert Term.objects.exists()
    assert not Term.objects.filter(start__lt=F("unit__valid_from")).exists()
