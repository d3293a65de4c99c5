"""The daily changes to a member on their page (issue 23): transfer, full membership, death,
xóa tên, khai trừ, moving away, dated and with their decision, through the same services as the
API, by the cell's secretary and by the committee's office, on a phone as on a desktop."""

import datetime

import pytest

from conftest import make_member
from dangvu.documents.services import document_issue
from dangvu.lib.measures import Query
from dangvu.lib.measures import get as measure
from dangvu.lib.periods import Period
from dangvu.orgs.models import Change, Member, MemberSpan, MemberStatus
from dangvu.orgs.services import term_create, unit_update

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14; SM-A155F) Mobile Safari/537.36"}


def url(member) -> str:
    return f"/members/{member.pk}/event/"


def total_on(unit, day) -> int:
    values = measure("members.total").compute(Query(unit, Period(day, day)))
    return int(values[unit.path].value) if unit.path in values else 0


def in_unit_on(unit, day) -> int:
    """Counted from the stretches directly: members of the unit on the day."""
    return (MemberSpan.objects.filter(unit=unit, start__lte=day).exclude(end__lte=day)
            .values("member").distinct().count())


def test_the_office_transfers_a_member_between_its_cells(client, org):
    client.force_login(org.users["off"])
    day = TODAY - 10 * DAY
    page = client.get(url(org.mem_member), **PHONE).content.decode()
    assert 'name="event"' in page and org.B.name in page and f'value="{org.A.pk}"' not in page  # not to their own cell
    answer = client.post(url(org.mem_member), {"event": "transfer", "date": day.strftime("%d/%m/%Y"),
                                               "unit": org.B.pk, "note": "Chuyển về nơi cư trú"})
    assert answer.status_code == 302
    member = Member.objects.get(pk=org.mem_member.pk)
    assert member.unit == org.B
    last = MemberSpan.objects.filter(member=member).order_by("-start").first()
    assert (last.unit, last.start, last.start_change, last.from_unit) == (org.B, day, Change.TRANSFER, org.A)
    assert total_on(org.A, day) == in_unit_on(org.A, day) == 2 and total_on(org.B, day) == in_unit_on(org.B, day) == 2
    assert total_on(org.A, day - DAY) == in_unit_on(org.A, day - DAY) == 3  # the day before stays as it was


def test_the_cell_secretary_records_a_death_with_its_decision(client, org):
    org.A = unit_update(actor=None, unit=org.A, symbol="CB")
    term_create(actor=None, unit=org.A, name="2025-2027", congress_closed_on=datetime.date(2025, 6, 1))
    decision = document_issue(actor=None, unit=org.A, doc_type="TB", issued_on=TODAY - 2 * DAY,
                              summary="Thông báo đồng chí Lê Văn Cường từ trần")
    client.force_login(org.users["sec"])
    page = client.get(url(org.mem_member), **PHONE).content.decode()
    assert decision.reference in page and org.B.name not in page  # B is not the secretary's to write
    answer = client.post(url(org.mem_member), {"event": "died", "date": (TODAY - 3 * DAY).strftime("%d/%m/%Y"),
                                               "decision": decision.pk})
    assert answer.status_code == 302
    member = Member.objects.get(pk=org.mem_member.pk)
    assert member.status == MemberStatus.LEFT
    span = MemberSpan.objects.filter(member=member).order_by("-start").first()
    assert (span.end, span.end_change) == (TODAY - 3 * DAY, Change.DIED)
    detail = client.get(f"/members/{member.pk}/").content.decode()
    assert 'id="record-change"' not in detail  # nothing more to record
    assert client.get(url(member)).status_code == 302


def test_full_membership_is_offered_to_a_probationary_member_only(client, org):
    newcomer = make_member(org.A, "Vi Thị Nhung", datetime.date(1995, 5, 5), admission_date=TODAY - 400 * DAY,
                           official_date=None)
    client.force_login(org.users["sec"])
    assert 'value="full"' not in client.get(url(org.mem_member)).content.decode()  # already full
    assert client.post(url(newcomer), {"event": "full", "date": (TODAY - 30 * DAY).strftime("%d/%m/%Y")}).status_code == 302
    newcomer.refresh_from_db()
    assert (newcomer.status, newcomer.official_date) == (MemberStatus.FULL, TODAY - 30 * DAY)


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"event": "died", "date": (TODAY + 3 * DAY).strftime("%d/%m/%Y")}, "date", "ở tương lai"),
    ({"event": "transfer", "date": TODAY.strftime("%d/%m/%Y")}, "unit", "Hãy chọn chi bộ"),
    ({"event": "bay_di", "date": TODAY.strftime("%d/%m/%Y")}, "event", "Lựa chọn"),
    ({"event": "died", "date": "31/02/2026"}, "date", "ngày hợp lệ"),
])
def test_bad_input_is_named_on_its_field_and_nothing_changes(client, org, body, field, message):
    client.force_login(org.users["off"])
    answer = client.post(url(org.mem_member), body)
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert field in errors and message.lower() in " ".join(errors[field]).lower(), errors
    assert Member.objects.get(pk=org.mem_member.pk).status == MemberStatus.FULL
    assert MemberSpan.objects.filter(member=org.mem_member).count() == 2


def test_ids_outside_the_users_units_are_refused_naming_nothing(client, org):
    """The secretary of B (out) cannot reach A's member; A's secretary cannot move one to B."""
    client.force_login(org.users["out"])
    assert client.get(url(org.mem_member)).status_code == 404
    client.force_login(org.users["view"])
    assert client.get(url(org.mem_member)).status_code == 403
    client.force_login(org.users["sec"])
    answer = client.post(url(org.mem_member), {"event": "transfer", "date": TODAY.strftime("%d/%m/%Y"),
                                               "unit": org.B.pk})
    assert answer.status_code == 200 and org.B.name not in answer.content.decode()
    assert Member.objects.get(pk=org.mem_member.pk).unit == org.A


def test_the_edit_form_offers_only_the_statuses_it_accepts(client, org):
    client.force_login(org.users["sec"])
    page = client.get(f"/members/{org.mem_member.pk}/edit/").content.decode()
    assert 'value="chinh_thuc"' in page and 'value="du_bi"' in page
    assert 'value="ra_khoi_dang"' not in page and 'value="chuyen_di"' not in page
